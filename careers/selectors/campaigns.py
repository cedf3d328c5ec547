"""Reads of campaigns, each for whoever asks: the public sees published and ended campaigns,
their tagged vacancies that are still published, their published stories and open days; the
running association's members see their drafts and the funnel; an employer's members see the
campaigns they may join and what they tagged. Anyone else gets Http404, so that nobody learns
a draft exists."""

from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet, Sum
from django.http import Http404
from django.utils import timezone

from accounts.models import Organisation, User
from accounts.permissions import can
from careers.models import (
    Campaign,
    CampaignCount,
    CampaignEvent,
    CampaignEventBooking,
    CampaignMember,
    Story,
)
from careers.selectors.stories import stories_published_of_organisation
from core.suppression import suppress
from jobs.models import Vacancy

PUBLIC_STATUSES = (Campaign.Status.PUBLISHED, Campaign.Status.ENDED)
# The funnel is published to the association as counts: below this a cell is withheld, as the
# consultations' results are (docs/consultations-analysis.md).
FUNNEL_SUPPRESSION_THRESHOLD = 5
STAGES = list(CampaignCount.Stage)


def campaign_public_get(*, code: str) -> Campaign:
    campaign = (
        Campaign.objects.select_related("organisation")
        .filter(code=code, status__in=PUBLIC_STATUSES)
        .first()
    )
    if campaign is None:
        raise Http404("No such campaign.")
    return campaign


def campaign_vacancies(campaign: Campaign) -> QuerySet[Vacancy]:
    """The campaign's tagged vacancies that still take applications: a vacancy closed, filled
    or withdrawn leaves the page without anyone untagging it."""
    return Vacancy.objects.filter(
        campaign_tags__campaign=campaign,
        status=Vacancy.Status.PUBLISHED,
        closing_date__gte=timezone.localdate(),
    )


def campaign_stories(campaign: Campaign) -> QuerySet[Story]:
    """Read through `Story.objects.published()`: a withdrawn story is gone at once."""
    return (
        Story.objects.published()
        .filter(campaign_tags__campaign=campaign)
        .select_related("organisation")
        .order_by("-approved_at", "-id")
    )


def campaign_events(campaign: Campaign) -> QuerySet[CampaignEvent]:
    """Open days still to come, the soonest first."""
    return (
        CampaignEvent.objects.filter(
            campaign=campaign,
            status=CampaignEvent.Status.OPEN,
            day__gte=timezone.localdate(),
        )
        .select_related("organisation")
        .order_by("day", "starts_at", "id")
    )


def campaign_employers(campaign: Campaign) -> QuerySet[Organisation]:
    return Organisation.objects.filter(campaign_memberships__campaign=campaign).order_by("name")


# --- The running association -------------------------------------------------------------------


def _association(user: User, org_id: int) -> Organisation:
    organisation = Organisation.objects.filter(pk=org_id).first()
    if organisation is None or not can(user, "campaign.create", organisation):
        raise Http404("No such organisation.")
    return organisation


def association_campaigns(*, user: User, org_id: int) -> tuple[Organisation, QuerySet[Campaign]]:
    organisation = _association(user, org_id)
    return organisation, Campaign.objects.filter(organisation=organisation)


def association_for_new_campaign(*, user: User, org_id: int) -> Organisation:
    return _association(user, org_id)


def campaign_to_manage(*, user: User, reference: str) -> Campaign:
    campaign = Campaign.objects.select_related("organisation").filter(reference=reference).first()
    if campaign is None or not can(user, "campaign.manage", campaign):
        raise Http404("No such campaign.")
    return campaign


# --- Employers ----------------------------------------------------------------------------------


def _employer(user: User, org_id: int) -> Organisation:
    organisation = Organisation.objects.filter(pk=org_id).first()
    if organisation is None or not can(user, "campaign.take_part", organisation):
        raise Http404("No such organisation.")
    return organisation


def employer_campaigns(*, user: User, org_id: int) -> tuple[Organisation, list[Campaign]]:
    """The running campaigns an employer may join, and those it joined, each with `joined`."""
    organisation = _employer(user, org_id)
    joined = set(
        CampaignMember.objects.filter(organisation=organisation).values_list(
            "campaign_id", flat=True
        )
    )
    campaigns = list(
        Campaign.objects.filter(Q(status=Campaign.Status.PUBLISHED) | Q(pk__in=joined))
        .select_related("organisation")
        .order_by("-starts_on", "-id")
    )
    for campaign in campaigns:
        campaign.joined = campaign.pk in joined
    return organisation, campaigns


@dataclass
class EmployerCampaign:
    organisation: Organisation
    campaign: Campaign
    joined: bool
    vacancies: list = field(default_factory=list)
    tagged_vacancy_ids: set = field(default_factory=set)
    stories: list = field(default_factory=list)
    tagged_story_ids: set = field(default_factory=set)
    events: list = field(default_factory=list)


def employer_campaign(*, user: User, org_id: int, code: str) -> EmployerCampaign:
    """One campaign as an employer sees it: whether it joined, its published vacancies (each
    with `in_area`) and published stories with those tagged, and its open days."""
    from careers.services.campaigns import campaign_area_matches

    organisation = _employer(user, org_id)
    campaign = (
        Campaign.objects.select_related("organisation")
        # The area is read for every vacancy below, and shown on the page.
        .prefetch_related("places")
        .filter(code=code, status__in=PUBLIC_STATUSES)
        .first()
    )
    if campaign is None:
        raise Http404("No such campaign.")
    page = EmployerCampaign(
        organisation=organisation,
        campaign=campaign,
        joined=CampaignMember.objects.filter(campaign=campaign, organisation=organisation).exists(),
    )
    if not page.joined:
        return page
    page.vacancies = list(
        Vacancy.objects.filter(organisation=organisation, status=Vacancy.Status.PUBLISHED).order_by(
            "title", "id"
        )
    )
    for vacancy in page.vacancies:
        vacancy.in_area = campaign_area_matches(
            campaign, town=vacancy.town, postcode=vacancy.postcode
        )
    page.tagged_vacancy_ids = set(
        campaign.vacancy_tags.filter(vacancy__organisation=organisation).values_list(
            "vacancy_id", flat=True
        )
    )
    page.stories = list(stories_published_of_organisation(organisation_id=organisation.pk))
    page.tagged_story_ids = set(
        campaign.story_tags.filter(story__organisation=organisation).values_list(
            "story_id", flat=True
        )
    )
    page.events = list(
        CampaignEvent.objects.filter(campaign=campaign, organisation=organisation).annotate(
            booked=Count("bookings", filter=Q(bookings__cancelled_at__isnull=True))
        )
    )
    return page


def employer_vacancy_for_poster(*, campaign: Campaign, organisation: Organisation, reference: str):
    """One of the employer's vacancies tagged to the campaign, for its poster."""
    vacancy = (
        campaign_vacancies(campaign).filter(organisation=organisation, reference=reference).first()
    )
    if vacancy is None:
        raise Http404("No such vacancy in this campaign.")
    return vacancy


def event_to_manage(*, user: User, reference: str) -> CampaignEvent:
    event = (
        CampaignEvent.objects.select_related("campaign", "organisation")
        .filter(reference=reference)
        .first()
    )
    if event is None or not can(user, "campaign_event.manage", event):
        raise Http404("No such open day.")
    return event


# --- People -------------------------------------------------------------------------------------


def event_public_get(*, reference: str) -> CampaignEvent:
    event = (
        CampaignEvent.objects.select_related("campaign", "organisation")
        .filter(reference=reference, campaign__status__in=PUBLIC_STATUSES)
        .annotate(booked=Count("bookings", filter=Q(bookings__cancelled_at__isnull=True)))
        .first()
    )
    if event is None:
        raise Http404("No such open day.")
    return event


def event_booking_of(*, event: CampaignEvent, user: User | None) -> CampaignEventBooking | None:
    if user is None or not user.is_authenticated:
        return None
    return CampaignEventBooking.objects.filter(
        event=event, user=user, cancelled_at__isnull=True
    ).first()


# --- The funnel ---------------------------------------------------------------------------------


@dataclass
class Funnel:
    """The campaign's counts, small numbers withheld: `totals` by stage; `weeks` as (Monday,
    cells) with a cell a stage; `employers` as (name, cells). A cell is an int or the words
    it is withheld with."""

    campaign: Campaign
    stages: list
    totals: list
    weeks: list
    employers: list


def _cells(values: dict, withheld: dict, keys: list) -> list:
    return [withheld.get(key, values.get(key, 0)) for key in keys]


def campaign_funnel(*, campaign: Campaign) -> Funnel:
    """Two grouped reads of the counts, by stage and week and by employer and stage. Small
    numbers are suppressed once over both tables, each stage's column in each a line adding up
    to the same total: suppressed apart, the week table could show a total (a single week's
    count) that the employer table withholds, and give away what that hides."""
    counts = CampaignCount.objects.filter(campaign=campaign)
    by_week = {
        (row["week"], row["stage"]): row["total"]
        for row in counts.values("week", "stage").annotate(total=Sum("count")).order_by()
    }
    by_employer = {
        (row["organisation_id"], row["stage"]): row["total"]
        for row in counts.values("organisation_id", "stage").annotate(total=Sum("count")).order_by()
    }
    totals = {stage: 0 for stage in STAGES}
    for (_, stage), total in by_week.items():
        totals[stage] += total

    weeks = sorted({week for week, _ in by_week})
    by_week = {(week, stage): by_week.get((week, stage), 0) for week in weeks for stage in STAGES}
    organisation_ids = sorted({pk for pk, _ in by_employer}, key=lambda pk: (pk is None, pk or 0))
    by_employer = {
        (pk, stage): by_employer.get((pk, stage), 0) for pk in organisation_ids for stage in STAGES
    }
    names = dict(
        Organisation.objects.filter(pk__in=[pk for pk in organisation_ids if pk]).values_list(
            "pk", "name"
        )
    )
    # One set of cells for both tables, each key saying its table; the totals are shared.
    values = {
        **{("week", *key): value for key, value in by_week.items()},
        **{("employer", *key): value for key, value in by_employer.items()},
        **{("total", stage): totals[stage] for stage in STAGES},
    }
    withheld = suppress(
        values,
        [[("week", week, stage) for week in weeks] + [("total", stage)] for stage in STAGES]
        + [
            [("employer", pk, stage) for pk in organisation_ids] + [("total", stage)]
            for stage in STAGES
        ],
        threshold=FUNNEL_SUPPRESSION_THRESHOLD,
    )
    employers = sorted(
        (
            (
                names.get(pk, "The campaign's own page"),
                _cells(values, withheld, [("employer", pk, stage) for stage in STAGES]),
            )
            for pk in organisation_ids
        ),
        key=lambda row: row[0],
    )
    return Funnel(
        campaign=campaign,
        stages=[stage.label for stage in STAGES],
        totals=_cells(values, withheld, [("total", stage) for stage in STAGES]),
        weeks=[
            (week, _cells(values, withheld, [("week", week, stage) for stage in STAGES]))
            for week in weeks
        ],
        employers=employers,
    )


def campaign_funnel_csv_rows(funnel: Funnel) -> list[list]:
    """The funnel as rows for core.csv_safety.csv_text: the weeks, then the employers."""
    rows: list[list] = [["Table", "Week beginning or employer", *funnel.stages]]
    for week, cells in funnel.weeks:
        rows.append(["By week", week.isoformat(), *cells])
    rows.append(["By week", "Total", *funnel.totals])
    for name, cells in funnel.employers:
        rows.append(["By employer", name, *cells])
    return rows
