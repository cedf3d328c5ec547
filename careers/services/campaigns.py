"""Local recruitment campaigns: an association writes, publishes and ends a campaign; employers
join it and tag their published vacancies in its area, their published stories and their open
days; people book places at open days. Every change of state is audited as
`careers.campaign.<verb>` (or `careers.campaign_event.<verb>`) in the transaction that makes
it; emails go once it commits.

The funnel is counted here too (campaign_count_add and the attribution helpers below): counts
per stage, day and employer, never a row about a person."""

import datetime
import re
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import F, prefetch_related_objects
from django.urls import reverse
from django.utils import timezone

from accounts.models import Organisation, User
from accounts.permissions import require
from careers.models import (
    Campaign,
    CampaignApplication,
    CampaignCount,
    CampaignEvent,
    CampaignEventBooking,
    CampaignMember,
    CampaignPlace,
    CampaignStory,
    CampaignVacancy,
    Story,
)
from core.audit import audit_log
from core.errors import ApplicationError
from core.names import normalise_name
from core.notifications import email_from_template
from core.ratelimit import RateLimit
from employers.services.verification import employer_require_verified
from jobs.models import Application, Place, Vacancy
from jobs.places import place_find, postcode_key

Status = Campaign.Status
Stage = CampaignCount.Stage

NAME_MAX_LENGTH = 120
MESSAGE_MAX_LENGTH = 2000
HASHTAGS_MAX_LENGTH = 200
# A campaign runs for a season at most; a longer one is a typing mistake in the year.
LONGEST_CAMPAIGN_DAYS = 366
MOST_PLACES = 30
# Arrivals counted from one address in an hour: a room of people scanning one poster's QR code
# stays within it; a script opening the link over and over makes no more rows than this.
ARRIVALS_PER_ADDRESS_PER_HOUR = 60
EVENT_MOST_PLACES = 500
_FULL_POSTCODE = re.compile(r"^[A-Z]{1,2}[0-9][0-9A-Z]?[0-9][A-Z]{2}$")
_HASHTAG = re.compile(r"^#[A-Za-z][A-Za-z0-9_]{0,49}$")


class CampaignError(ApplicationError):
    pass


class CampaignInvalid(CampaignError):
    """What the person typed does not fit; `problems` maps each field to what is wrong."""

    def __init__(self, problems: dict[str, str]):
        self.problems = problems
        super().__init__(" ".join(problems.values()), field=next(iter(problems)))


@dataclass(frozen=True)
class CampaignDetails:
    name: str
    starts_on: datetime.date | None
    ends_on: datetime.date | None
    area: str
    message: str
    hashtags: str = ""


def _area_places(text: str) -> tuple[list[Place], str]:
    """The towns and postcode districts of an area, each found in jobs' places table; the
    problem, in words, with the first one that is not."""
    parts = [part.strip() for part in re.split(r"[,;\n]+", text or "") if part.strip()]
    if not parts:
        return [], "Enter the towns or postcode districts the campaign covers, such as Leeds, LS6."
    if len(parts) > MOST_PLACES:
        return [], f"Enter at most {MOST_PLACES} towns or postcode districts."
    places = []
    for part in parts:
        place = place_find(part)
        if place is None:
            return [], f"We could not find {part}. Enter a town or a postcode district, like LS6."
        if place.kind == Place.Kind.POSTCODE or _FULL_POSTCODE.match(postcode_key(part)):
            return [], (
                f"{part} is a full postcode. Enter its first half (the district), like LS6, "
                "or the town."
            )
        places.append(place)
    return list({(place.kind, place.key): place for place in places}.values()), ""


def _clean(details: CampaignDetails, *, today: datetime.date) -> tuple[dict, list[Place]]:
    problems = {}
    name = " ".join((details.name or "").split())
    message = (details.message or "").strip()
    hashtags = " ".join((details.hashtags or "").split())
    if not name:
        problems["name"] = "Enter the campaign's name, such as Good Care Month."
    elif len(name) > NAME_MAX_LENGTH:
        problems["name"] = f"Write the name in {NAME_MAX_LENGTH} characters or fewer."
    if details.starts_on is None:
        problems["starts_on"] = "Enter the day the campaign starts."
    if details.ends_on is None:
        problems["ends_on"] = "Enter the day the campaign ends."
    if details.starts_on and details.ends_on:
        if details.ends_on < details.starts_on:
            problems["ends_on"] = "The campaign must end on or after the day it starts."
        elif (details.ends_on - details.starts_on).days > LONGEST_CAMPAIGN_DAYS:
            problems["ends_on"] = "A campaign runs for a year at most."
        elif details.ends_on < today:
            problems["ends_on"] = "The campaign's last day must be today or later."
    places, area_problem = _area_places(details.area)
    if area_problem:
        problems["area"] = area_problem
    if not message:
        problems["message"] = "Write the campaign's message to people thinking of care work."
    elif len(message) > MESSAGE_MAX_LENGTH:
        problems["message"] = f"Write the message in {MESSAGE_MAX_LENGTH:,} characters or fewer."
    if hashtags:
        wrong = [tag for tag in hashtags.split() if not _HASHTAG.match(tag)]
        if wrong or len(hashtags) > HASHTAGS_MAX_LENGTH:
            problems["hashtags"] = (
                "Write hashtags starting with #, letters and numbers only, separated by "
                "spaces, such as #GoodCareMonth #CareJobsLeeds."
            )
    if problems:
        raise CampaignInvalid(problems)
    fields = {
        "name": name,
        "starts_on": details.starts_on,
        "ends_on": details.ends_on,
        "message": message,
        "hashtags": hashtags,
    }
    return fields, places


def _places_set(campaign: Campaign, places: list[Place]) -> None:
    campaign.places.all().delete()
    CampaignPlace.objects.bulk_create(
        CampaignPlace(
            campaign=campaign,
            kind=CampaignPlace.Kind.DISTRICT
            if place.kind == Place.Kind.DISTRICT
            else CampaignPlace.Kind.TOWN,
            key=place.key,
            name=place.name,
        )
        for place in places
    )


def _snapshot(campaign: Campaign, places: list[Place]) -> dict:
    return {
        "name": campaign.name,
        "starts_on": campaign.starts_on,
        "ends_on": campaign.ends_on,
        "area": [place.name for place in places],
        "hashtags": campaign.hashtags,
    }


def campaign_create(
    *, organisation: Organisation, user: User, details: CampaignDetails
) -> Campaign:
    """An association's member starts a campaign as a draft, which only its members see."""
    require(user, "campaign.create", organisation)
    fields, places = _clean(details, today=timezone.localdate())
    with transaction.atomic():
        campaign = Campaign.objects.create(organisation=organisation, created_by=user, **fields)
        _places_set(campaign, places)
        audit_log(
            action="careers.campaign.created",
            actor=user,
            target=campaign,
            new_status=campaign.status,
            data={"organisation_id": organisation.pk, **_snapshot(campaign, places)},
        )
    return campaign


def _locked(campaign: Campaign) -> Campaign:
    return (
        Campaign.objects.select_for_update(of=("self",))
        .select_related("organisation")
        .get(pk=campaign.pk)
    )


def campaign_update(*, campaign: Campaign, user: User, details: CampaignDetails) -> Campaign:
    """Change a draft campaign. A published one keeps its words and area, since employers
    joined it and tagged vacancies in that area on the strength of them."""
    require(user, "campaign.manage", campaign)
    fields, places = _clean(details, today=timezone.localdate())
    with transaction.atomic():
        campaign = _locked(campaign)
        if campaign.status != Status.DRAFT:
            raise CampaignError(
                f"This campaign is {campaign.get_status_display().lower()}, so it cannot be "
                "changed."
            )
        for name, value in fields.items():
            setattr(campaign, name, value)
        campaign.save(update_fields=list(fields))
        _places_set(campaign, places)
        audit_log(
            action="careers.campaign.updated",
            actor=user,
            target=campaign,
            data=_snapshot(campaign, places),
        )
    return campaign


def _move(campaign: Campaign, to: str, *, verb: str, user: User, fields: dict) -> Campaign:
    if to not in Campaign.TRANSITIONS[campaign.status]:
        raise CampaignError(
            f"This campaign is {campaign.get_status_display().lower()}, so it cannot be {verb} now."
        )
    old = campaign.status
    campaign.status = to
    for name, value in fields.items():
        setattr(campaign, name, value)
    campaign.save(update_fields=["status", *fields])
    audit_log(
        action=f"careers.campaign.{verb}",
        actor=user,
        target=campaign,
        old_status=old,
        new_status=to,
        data={"organisation_id": campaign.organisation_id},
    )
    return campaign


def campaign_publish(*, campaign: Campaign, user: User) -> Campaign:
    """The campaign goes public: its page opens, employers may join, its link counts."""
    require(user, "campaign.manage", campaign)
    with transaction.atomic():
        campaign = _locked(campaign)
        if campaign.ends_on < timezone.localdate():
            raise CampaignError("The campaign's last day has passed, so it cannot be published.")
        return _move(
            campaign,
            Status.PUBLISHED,
            verb="published",
            user=user,
            fields={"published_at": timezone.now()},
        )


def campaign_end(*, campaign: Campaign, user: User) -> Campaign:
    """The campaign is over: its page says so, its link counts nothing more, its funnel stays."""
    require(user, "campaign.manage", campaign)
    with transaction.atomic():
        campaign = _locked(campaign)
        return _move(
            campaign, Status.ENDED, verb="ended", user=user, fields={"ended_at": timezone.now()}
        )


# --- Employers ----------------------------------------------------------------------------------


def _require_live(campaign: Campaign) -> None:
    if campaign.status != Status.PUBLISHED:
        raise CampaignError(
            "This campaign is not running, so employers cannot join it or add to it now."
        )


def campaign_join(*, campaign: Campaign, organisation: Organisation, user: User) -> CampaignMember:
    """An employer's member joins the campaign for the employer. Joining twice keeps the first."""
    require(user, "campaign.take_part", organisation)
    employer_require_verified(organisation)
    with transaction.atomic():
        campaign = _locked(campaign)
        _require_live(campaign)
        member, created = CampaignMember.objects.get_or_create(
            campaign=campaign, organisation=organisation, defaults={"joined_by": user}
        )
        if created:
            audit_log(
                action="careers.campaign.joined",
                actor=user,
                target=campaign,
                data={"organisation_id": organisation.pk},
            )
    return member


def campaign_area_matches(campaign: Campaign, *, town: str, postcode: str) -> bool:
    """Whether a place (a vacancy's or an open day's) is in the campaign's area: its postcode's
    district is one of the area's districts, or its town one of the area's towns."""
    districts, towns = set(), set()
    for place in campaign.places.all():
        (districts if place.kind == CampaignPlace.Kind.DISTRICT else towns).add(place.key)
    key = postcode_key(postcode or "")
    district = key[:-3] if len(key) >= 5 else key
    return district in districts or normalise_name(town or "")[:100] in towns


def _require_member(campaign: Campaign, organisation: Organisation) -> None:
    if not CampaignMember.objects.filter(campaign=campaign, organisation=organisation).exists():
        raise CampaignError("Join the campaign first.")


def campaign_tags_set(
    *,
    campaign: Campaign,
    organisation: Organisation,
    user: User,
    vacancy_ids: list[int],
    story_ids: list[int],
) -> tuple[list[str], list[str]]:
    """An employer's member chooses which of its published vacancies in the area, and which of
    its published stories, the campaign shows. Returns the vacancies' and stories' references
    now tagged. Anything not the employer's, not published or (a vacancy) outside the area is
    refused in words."""
    require(user, "campaign.take_part", organisation)
    with transaction.atomic():
        campaign = _locked(campaign)
        _require_live(campaign)
        _require_member(campaign, organisation)
        # The area, read once however many places are checked against it.
        prefetch_related_objects([campaign], "places")
        vacancies = list(
            Vacancy.objects.filter(
                pk__in=vacancy_ids or [],
                organisation=organisation,
                status=Vacancy.Status.PUBLISHED,
            )
        )
        if len(vacancies) != len(set(vacancy_ids or [])):
            raise CampaignError("Choose from your own published vacancies.", field="vacancies")
        outside = [
            vacancy.title
            for vacancy in vacancies
            if not campaign_area_matches(campaign, town=vacancy.town, postcode=vacancy.postcode)
        ]
        if outside:
            raise CampaignError(
                f"{', '.join(outside)} {'is' if len(outside) == 1 else 'are'} outside the "
                "campaign's area.",
                field="vacancies",
            )
        stories = list(
            Story.objects.published().filter(pk__in=story_ids or [], organisation=organisation)
        )
        if len(stories) != len(set(story_ids or [])):
            raise CampaignError("Choose from your own published stories.", field="stories")
        CampaignVacancy.objects.filter(
            campaign=campaign, vacancy__organisation=organisation
        ).exclude(vacancy__in=vacancies).delete()
        CampaignVacancy.objects.bulk_create(
            [CampaignVacancy(campaign=campaign, vacancy=vacancy) for vacancy in vacancies],
            ignore_conflicts=True,
        )
        CampaignStory.objects.filter(campaign=campaign, story__organisation=organisation).exclude(
            story__in=stories
        ).delete()
        CampaignStory.objects.bulk_create(
            [CampaignStory(campaign=campaign, story=story) for story in stories],
            ignore_conflicts=True,
        )
        vacancy_refs = sorted(vacancy.reference for vacancy in vacancies)
        story_refs = sorted(story.reference for story in stories)
        audit_log(
            action="careers.campaign.tags_set",
            actor=user,
            target=campaign,
            data={
                "organisation_id": organisation.pk,
                "vacancies": vacancy_refs,
                "stories": story_refs,
            },
        )
    return vacancy_refs, story_refs


# --- Open days ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class EventDetails:
    title: str
    day: datetime.date | None
    starts_at: datetime.time | None
    ends_at: datetime.time | None
    place: str
    postcode: str
    capacity: int | None
    description: str = ""


def _clean_event(campaign: Campaign, details: EventDetails, *, today: datetime.date) -> dict:
    problems = {}
    title = " ".join((details.title or "").split())
    place = " ".join((details.place or "").split())
    postcode = " ".join((details.postcode or "").split()).upper()
    if not title:
        problems["title"] = "Enter the open day's title, such as Open day at Sunrise House."
    elif len(title) > 150:
        problems["title"] = "Write the title in 150 characters or fewer."
    if details.day is None:
        problems["day"] = "Enter the day of the open day."
    elif details.day < today:
        problems["day"] = "The open day must be today or later."
    elif not campaign.starts_on <= details.day <= campaign.ends_on:
        problems["day"] = "The open day must be during the campaign."
    if details.starts_at is None:
        problems["starts_at"] = "Enter the time it starts, such as 10:00."
    if details.ends_at is None:
        problems["ends_at"] = "Enter the time it ends, such as 14:00."
    elif details.starts_at and details.ends_at <= details.starts_at:
        problems["ends_at"] = "It must end after it starts."
    if not place:
        problems["place"] = "Enter the address of the open day."
    if not postcode:
        problems["postcode"] = "Enter the postcode of the open day."
    elif not campaign_area_matches(campaign, town="", postcode=postcode) and not any(
        campaign_area_matches(campaign, town=part, postcode="") for part in place.split(",")
    ):
        problems["postcode"] = "The open day must be in the campaign's area."
    if details.capacity is None or details.capacity < 1:
        problems["capacity"] = "Enter how many people can come, 1 or more."
    elif details.capacity > EVENT_MOST_PLACES:
        problems["capacity"] = f"Enter {EVENT_MOST_PLACES} places or fewer."
    description = (details.description or "").strip()
    if len(description) > 2000:
        problems["description"] = "Write the description in 2,000 characters or fewer."
    if problems:
        raise CampaignInvalid(problems)
    return {
        "title": title,
        "day": details.day,
        "starts_at": details.starts_at,
        "ends_at": details.ends_at,
        "place": place,
        "postcode": postcode,
        "capacity": details.capacity,
        "description": description,
    }


def event_create(
    *, campaign: Campaign, organisation: Organisation, user: User, details: EventDetails
) -> CampaignEvent:
    """A joined employer posts an open day to the campaign."""
    require(user, "campaign.take_part", organisation)
    with transaction.atomic():
        campaign = _locked(campaign)
        _require_live(campaign)
        _require_member(campaign, organisation)
        # The area, read once however many places are checked against it.
        prefetch_related_objects([campaign], "places")
        fields = _clean_event(campaign, details, today=timezone.localdate())
        event = CampaignEvent.objects.create(
            campaign=campaign, organisation=organisation, created_by=user, **fields
        )
        audit_log(
            action="careers.campaign_event.created",
            actor=user,
            target=event,
            new_status=event.status,
            data={
                "campaign_id": campaign.pk,
                "organisation_id": organisation.pk,
                "day": event.day,
                "capacity": event.capacity,
            },
        )
    return event


def _locked_event(event: CampaignEvent) -> CampaignEvent:
    return (
        CampaignEvent.objects.select_for_update(of=("self",))
        .select_related("campaign", "organisation")
        .get(pk=event.pk)
    )


def event_places_left(event: CampaignEvent) -> int:
    booked = event.bookings.filter(cancelled_at__isnull=True).count()
    return max(0, event.capacity - booked)


def event_cancel(*, event: CampaignEvent, user: User) -> CampaignEvent:
    """The employer calls off an open day; everyone with a place is told."""
    require(user, "campaign_event.manage", event)
    with transaction.atomic():
        event = _locked_event(event)
        if event.status != CampaignEvent.Status.OPEN:
            raise CampaignError("This open day is already cancelled.")
        event.status = CampaignEvent.Status.CANCELLED
        event.save(update_fields=["status"])
        audit_log(
            action="careers.campaign_event.cancelled",
            actor=user,
            target=event,
            old_status=CampaignEvent.Status.OPEN,
            new_status=event.status,
            data={"campaign_id": event.campaign_id},
        )
        for booking in event.bookings.filter(cancelled_at__isnull=True).select_related("user"):
            email_from_template(
                to=[booking.user.email],
                template="careers/event_cancelled",
                context={"event": event, "booking": booking},
            )
    return event


def event_book(*, event: CampaignEvent, user: User) -> CampaignEventBooking:
    """A signed-in person books a place at an open day and is emailed a confirmation. A
    second booking finds the first; a cancelled one is booked again if a place is left."""
    if not user.is_authenticated:
        raise PermissionDenied
    with transaction.atomic():
        # The event's row is locked, so two people cannot both take its last place.
        event = _locked_event(event)
        if event.status != CampaignEvent.Status.OPEN or event.campaign.status != Status.PUBLISHED:
            raise CampaignError("This open day is not taking bookings.")
        if event.starts() <= timezone.now():
            raise CampaignError("This open day has started, so it is not taking bookings.")
        booking = CampaignEventBooking.objects.filter(event=event, user=user).first()
        if booking is not None and booking.is_active:
            return booking
        if event_places_left(event) < 1:
            raise CampaignError("Every place at this open day is taken.")
        if booking is None:
            booking = CampaignEventBooking.objects.create(event=event, user=user)
        else:
            booking.cancelled_at = None
            booking.reminded_at = None
            booking.booked_at = timezone.now()
            booking.save(update_fields=["cancelled_at", "reminded_at", "booked_at"])
        audit_log(
            action="careers.campaign_event.booked",
            actor=user,
            target=booking,
            data={"event_id": event.pk},
        )
        email_from_template(
            to=[user.email],
            template="careers/event_booked",
            context={
                "event": event,
                "booking": booking,
                "path": reverse("careers:event", args=[event.reference]),
            },
        )
    return booking


def event_booking_cancel(*, booking: CampaignEventBooking, user: User) -> CampaignEventBooking:
    """The person gives their place back."""
    with transaction.atomic():
        event = _locked_event(booking.event)
        booking = CampaignEventBooking.objects.select_for_update().get(pk=booking.pk)
        if booking.user_id != user.pk:
            raise PermissionDenied
        if booking.cancelled_at is not None:
            raise CampaignError("You have already cancelled this booking.")
        booking.cancelled_at = timezone.now()
        booking.save(update_fields=["cancelled_at"])
        audit_log(
            action="careers.campaign_event.booking_cancelled",
            actor=user,
            target=booking,
            data={"event_id": event.pk},
        )
        email_from_template(
            to=[user.email],
            template="careers/event_booking_cancelled",
            context={"event": event, "booking": booking},
        )
    return booking


def event_reminders_send(*, today: datetime.date, dry_run: bool = False) -> list[str]:
    """Remind everyone with a place at an open open day tomorrow, once each. Returns the
    bookings' references. Safe to run more than once a day: a reminded booking is skipped."""
    tomorrow = today + datetime.timedelta(days=1)
    due = CampaignEventBooking.objects.filter(
        event__day=tomorrow,
        event__status=CampaignEvent.Status.OPEN,
        cancelled_at__isnull=True,
        reminded_at__isnull=True,
    ).select_related("event", "event__organisation", "user")
    sent = []
    for booking in due:
        sent.append(booking.reference)
        if dry_run:
            continue
        with transaction.atomic():
            locked = (
                CampaignEventBooking.objects.select_for_update()
                .filter(pk=booking.pk, reminded_at__isnull=True, cancelled_at__isnull=True)
                .first()
            )
            if locked is None:
                sent.pop()
                continue
            locked.reminded_at = timezone.now()
            locked.save(update_fields=["reminded_at"])
            email_from_template(
                to=[booking.user.email],
                template="careers/event_reminder",
                context={
                    "event": booking.event,
                    "booking": booking,
                    "path": reverse("careers:event", args=[booking.event.reference]),
                },
            )
    return sent


# --- Attribution: counts, never people ----------------------------------------------------------


def week_of(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


def campaign_count_add(
    *, campaign_id: int, organisation_id: int | None, stage: str, day: datetime.date | None = None
) -> None:
    """One more person reached `stage` of the campaign's funnel today, through an employer (or
    none, for arrivals on the campaign's page). An update first, since the row is there for all
    but the first person of the day; two first people at once are settled by the constraint."""
    day = day or timezone.localdate()
    rows = CampaignCount.objects.filter(
        campaign_id=campaign_id, organisation_id=organisation_id, stage=stage, day=day
    )
    if rows.update(count=F("count") + 1):
        return
    try:
        with transaction.atomic():
            CampaignCount.objects.create(
                campaign_id=campaign_id,
                organisation_id=organisation_id,
                stage=stage,
                day=day,
                week=week_of(day),
                count=1,
            )
    except IntegrityError:
        rows.update(count=F("count") + 1)


def _arrivals_limit() -> RateLimit:
    return RateLimit(
        "careers-campaign-arrivals", limit=ARRIVALS_PER_ADDRESS_PER_HOUR, period=3600, slices=6
    )


def campaign_arrival_count(
    *, campaign_id: int, organisation_id: int | None, client_ip: str | None
) -> bool:
    """Count one arrival by the campaign's link, unless the address has brought
    ARRIVALS_PER_ADDRESS_PER_HOUR already this hour. Returns whether it was counted."""
    if not _arrivals_limit().hit(f"ip:{client_ip or 'unknown'}").allowed:
        return False
    campaign_count_add(campaign_id=campaign_id, organisation_id=organisation_id, stage="arrived")
    return True


def campaign_live_by_code(code: str) -> Campaign | None:
    if not code or len(code) > 12:
        return None
    return Campaign.objects.filter(code=code, status=Status.PUBLISHED).first()


def campaign_application_attribute(*, campaign_id: int, application: Application) -> bool:
    """An application sent with a campaign's code in the sender's session: counted as applied,
    and marked so that its trial and hire are counted later. False if it was already."""
    campaign = Campaign.objects.filter(pk=campaign_id, status=Status.PUBLISHED).first()
    if campaign is None:
        return False
    with transaction.atomic():
        _, created = CampaignApplication.objects.get_or_create(
            application=application, defaults={"campaign": campaign}
        )
        if created:
            campaign_count_add(
                campaign_id=campaign.pk,
                organisation_id=application.vacancy.organisation_id,
                stage=Stage.APPLIED,
            )
    return created


def campaign_application_moved(*, application: Application, to: str) -> None:
    """An application that came through a campaign moved stage: a first trial offer and a hire
    are counted; once it ends, its marker is deleted and only the counts remain. Runs in the
    transaction that moves the stage (jobs.signals.application_stage_moved)."""
    marker = (
        CampaignApplication.objects.select_for_update()
        .filter(application_id=application.pk)
        .first()
    )
    if marker is None:
        return
    organisation_id = application.vacancy.organisation_id
    if to == Application.Stage.TRIAL_OFFERED and not marker.trial_counted:
        campaign_count_add(
            campaign_id=marker.campaign_id, organisation_id=organisation_id, stage=Stage.TRIAL
        )
        marker.trial_counted = True
        marker.save(update_fields=["trial_counted"])
    if to == Application.Stage.HIRED:
        campaign_count_add(
            campaign_id=marker.campaign_id, organisation_id=organisation_id, stage=Stage.HIRED
        )
    if to in Application.FINAL:
        marker.delete()
