"""The campaigns part's models: a local recruitment campaign an association runs (such as
"Good Care Month, January 2027"), the employers that join it, what they tag to it (vacancies,
stories, open days), people's bookings of open days, and the campaign's funnel kept as counts
(careers/services/campaigns.py is the only writer)."""

import datetime
import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from accounts.models import Organisation
from core.references import reference_new

__all__ = [
    "Campaign",
    "CampaignApplication",
    "CampaignCount",
    "CampaignEvent",
    "CampaignEventBooking",
    "CampaignMember",
    "CampaignPlace",
    "CampaignStory",
    "CampaignVacancy",
]


def campaign_code_new() -> str:
    # Short enough to type from a poster, random enough that codes are not guessed in order.
    alphabet = "abcdefghjkmnpqrstuvwxyz23456789"
    return "".join(secrets.choice(alphabet) for _ in range(7))


class Campaign(models.Model):
    """A local campaign to bring people into care work, run by an association.

    draft: being written; only the association's members see it;
    published: public at /careers/campaigns/<code>/; employers join it and tag to it, and its
    tracked link counts people through the funnel;
    ended: over; its page says so and its link counts nothing more, its funnel stays.

    Ended is final. Every change goes through careers/services/campaigns.py and is audited
    (`careers.campaign.<verb>`)."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"
        ENDED = "ended", "Ended"

    TRANSITIONS = {
        Status.DRAFT: {Status.PUBLISHED},
        Status.PUBLISHED: {Status.ENDED},
        Status.ENDED: set(),
    }

    reference = models.CharField(max_length=12, unique=True, default=reference_new, editable=False)
    # The code a tracked link carries (/c/<code>/ or ?c=<code>), printed under every QR code.
    code = models.CharField(max_length=12, unique=True, default=campaign_code_new, editable=False)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="campaigns",
        limit_choices_to={"kind": Organisation.Kind.ASSOCIATION},
    )
    name = models.CharField(max_length=120)
    starts_on = models.DateField()
    ends_on = models.DateField()
    message = models.TextField(max_length=2000)
    # As typed, each starting with #, separated by spaces: "#GoodCareMonth #CareJobsLeeds".
    hashtags = models.CharField(max_length=200, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    published_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="campaign_ends_after_start"
            )
        ]

    def __str__(self):
        return self.name

    @property
    def is_live(self) -> bool:
        """Open to employers joining and tagging, and counting people who arrive."""
        return self.status == self.Status.PUBLISHED

    def hashtag_list(self) -> list[str]:
        return self.hashtags.split()


class CampaignPlace(models.Model):
    """One town or postcode district of a campaign's area, as jobs' places table knows it, so
    that "in the area" means the same on every page."""

    class Kind(models.TextChoices):
        DISTRICT = "district", "Postcode district"
        TOWN = "town", "Town"

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="places")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    # jobs.Place's key: "LS1" for a district, the folded name ("leeds") for a town.
    key = models.CharField(max_length=100)
    name = models.CharField(max_length=200)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "kind", "key"], name="campaign_place_once")
        ]

    def __str__(self):
        return self.name


class CampaignMember(models.Model):
    """An employer that joined a campaign; only joined employers tag to it."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="members")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="campaign_memberships"
    )
    joined_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    joined_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["organisation__name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "organisation"], name="campaign_member_once"
            )
        ]

    def __str__(self):
        return f"{self.organisation_id} in campaign {self.campaign_id}"


class CampaignVacancy(models.Model):
    """A joined employer's published vacancy in the campaign's area, tagged to it. The public
    page reads only those still published (careers/selectors/campaigns.py)."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="vacancy_tags")
    vacancy = models.ForeignKey(
        "jobs.Vacancy", on_delete=models.CASCADE, related_name="campaign_tags"
    )
    tagged_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["campaign", "vacancy"], name="campaign_vacancy_once")
        ]

    def __str__(self):
        return f"Vacancy {self.vacancy_id} in campaign {self.campaign_id}"


class CampaignStory(models.Model):
    """A joined employer's published story tagged to a campaign. Read back only through
    `Story.objects.published()`, so a story whose worker withdraws consent leaves every
    campaign page at once (docs/careers.md, "For campaigns")."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="story_tags")
    story = models.ForeignKey(
        "careers.Story", on_delete=models.CASCADE, related_name="campaign_tags"
    )
    tagged_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["campaign", "story"], name="campaign_story_once")
        ]

    def __str__(self):
        return f"Story {self.story_id} in campaign {self.campaign_id}"


class CampaignEvent(models.Model):
    """A recruitment open day a joined employer posts to a campaign; people book a place.

    open: bookable while places are left and the day has not passed;
    cancelled: the employer called it off; everyone booked is told."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        CANCELLED = "cancelled", "Cancelled"

    reference = models.CharField(max_length=12, unique=True, default=reference_new, editable=False)
    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="events")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="campaign_events"
    )
    title = models.CharField(max_length=150)
    description = models.TextField(max_length=2000, blank=True)
    day = models.DateField()
    starts_at = models.TimeField()
    ends_at = models.TimeField()
    place = models.CharField("address", max_length=300)
    postcode = models.CharField(max_length=10)
    capacity = models.PositiveIntegerField()
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.OPEN)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["day", "starts_at", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(capacity__gte=1), name="campaign_event_has_places"),
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="campaign_event_ends_after"
            ),
        ]

    def __str__(self):
        return f"{self.title} on {self.day}"

    def starts(self) -> datetime.datetime:
        return timezone.make_aware(datetime.datetime.combine(self.day, self.starts_at))


class CampaignEventBooking(models.Model):
    """A signed-in person's place at an open day. Cancelled bookings are kept (with when), so
    that a place given back is counted once; a person books an event at most once."""

    reference = models.CharField(max_length=12, unique=True, default=reference_new, editable=False)
    event = models.ForeignKey(CampaignEvent, on_delete=models.PROTECT, related_name="bookings")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="campaign_bookings"
    )
    booked_at = models.DateTimeField(default=timezone.now)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["booked_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["event", "user"], name="campaign_booking_once")
        ]

    def __str__(self):
        return f"Booking {self.reference}"

    @property
    def is_active(self) -> bool:
        return self.cancelled_at is None


class CampaignCount(models.Model):
    """How many people reached a stage of a campaign's funnel on a day, through an employer
    (null for arrivals on the campaign's own page). Counts only: no row says who.

    arrived: opened the tracked link or QR code;
    viewed: opened a vacancy page with the campaign's code in their session;
    applied: sent an application with the code in their session;
    trial: that application was offered a paid trial;
    hired: that application ended in a hire."""

    class Stage(models.TextChoices):
        ARRIVED = "arrived", "Arrived by the link"
        VIEWED = "viewed", "Viewed a vacancy"
        APPLIED = "applied", "Applied"
        TRIAL = "trial", "Offered a trial"
        HIRED = "hired", "Hired"

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="counts")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    stage = models.CharField(max_length=12, choices=Stage.choices)
    day = models.DateField()
    # The Monday of the day's week, stored so the funnel groups by an indexed column.
    week = models.DateField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            # Two partial constraints, since NULLs are distinct in a plain unique constraint.
            models.UniqueConstraint(
                fields=["campaign", "organisation", "stage", "day"],
                condition=Q(organisation__isnull=False),
                name="campaign_count_once_per_employer",
            ),
            models.UniqueConstraint(
                fields=["campaign", "stage", "day"],
                condition=Q(organisation__isnull=True),
                name="campaign_count_once_unattributed",
            ),
        ]
        indexes = [
            models.Index(fields=["campaign", "stage", "week"], name="campaign_count_week_idx"),
        ]

    def __str__(self):
        return f"{self.count} {self.stage} on {self.day}"


class CampaignApplication(models.Model):
    """The one thing kept about an application that came through a campaign: which campaign,
    so that a trial and a hire, which happen later when the candidate's session is long gone,
    can be counted. It holds no person and no path; it is deleted as soon as the application
    ends (hired, not progressed or withdrawn), after which only the counts remain."""

    application = models.OneToOneField(
        "jobs.Application", on_delete=models.CASCADE, related_name="campaign_marker"
    )
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="+")
    trial_counted = models.BooleanField(default=False)

    def __str__(self):
        return f"Application {self.application_id} from campaign {self.campaign_id}"
