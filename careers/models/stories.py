"""The stories part's models: a care worker's story, nominated by their employer, published
only with the worker's consent and an association's approval (careers/services/stories.py)."""

import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from accounts.models import Organisation
from core.encryption import EncryptedFileKeyField, file_decrypt
from core.references import reference_new

__all__ = ["Story"]

# The longest quote a story shows: a few sentences, read in a glance beside a vacancy.
QUOTE_MAX_LENGTH = 600
# Alt text says what the photo shows; screen readers read it whole, so it is kept short.
ALT_TEXT_MAX_LENGTH = 250


def _photo_path(instance, filename):
    # The stored name is random and says nothing about the worker or the employer.
    return f"story-photos/{secrets.token_hex(16)}"


class StoryQuerySet(models.QuerySet):
    def published(self) -> "StoryQuerySet":
        """Stories anyone may read: consented, approved and not withdrawn. Every public page and
        the vacancy page's section read through this, and campaigns (issue 21, part 4) tag
        only these."""
        return self.filter(
            status=Story.Status.PUBLISHED,
            consented_at__isnull=False,
            approved_at__isnull=False,
            consent_withdrawn_at__isnull=True,
        )


class Story(models.Model):
    """A care worker's own words about their work, with a photo, shown to people thinking of
    care work. An employer nominates one of the workers on its staff list; nothing is public
    until the worker consents and an association approves.

    awaiting_consent: nominated; the worker has not answered yet;
    awaiting_approval: the worker consented; an association has not decided yet;
    published: consented and approved: on the stories page and beside the employer's vacancies;
    consent_refused: the worker said no;
    declined: an association declined it, with a reason the employer is told;
    withdrawn: the worker withdrew their consent, before or after publication: it is taken
    down at once.

    Consent refused, declined and withdrawn are final; an employer may nominate again. Every
    change goes through careers/services/stories.py and is audited (`careers.story.<verb>`)."""

    class Status(models.TextChoices):
        AWAITING_CONSENT = "awaiting_consent", "Waiting for the worker's consent"
        AWAITING_APPROVAL = "awaiting_approval", "Waiting for an association's approval"
        PUBLISHED = "published", "Published"
        CONSENT_REFUSED = "consent_refused", "The worker did not consent"
        DECLINED = "declined", "Declined by an association"
        WITHDRAWN = "withdrawn", "Consent withdrawn"

    TRANSITIONS = {
        Status.AWAITING_CONSENT: {Status.AWAITING_APPROVAL, Status.CONSENT_REFUSED},
        # Consent may be withdrawn at any time until the story is decided, and after.
        Status.AWAITING_APPROVAL: {Status.PUBLISHED, Status.DECLINED, Status.WITHDRAWN},
        Status.PUBLISHED: {Status.WITHDRAWN},
        Status.CONSENT_REFUSED: set(),
        Status.DECLINED: set(),
        Status.WITHDRAWN: set(),
    }
    FINAL = {Status.CONSENT_REFUSED, Status.DECLINED, Status.WITHDRAWN}

    class PhotoType(models.TextChoices):
        JPEG = "image/jpeg", "JPEG image"
        PNG = "image/png", "PNG image"

    reference = models.CharField(max_length=12, unique=True, default=reference_new, editable=False)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="stories",
        limit_choices_to={"kind": Organisation.Kind.EMPLOYER},
    )
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="stories_about_me"
    )
    # The worker's register entry when they were nominated, found through the staff list.
    entry = models.ForeignKey(
        "register.RegisterEntry", on_delete=models.PROTECT, related_name="stories"
    )
    nominated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    nominated_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(
        max_length=24, choices=Status.choices, default=Status.AWAITING_CONSENT
    )

    # What the story shows. The worker's first name is shown, never their full name.
    display_name = models.CharField(max_length=100)
    quote = models.TextField(max_length=QUOTE_MAX_LENGTH)
    role = models.CharField(max_length=120)
    # A year, not a count of years, so the story does not go out of date.
    in_care_since = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1950), MaxValueValidator(2100)]
    )

    # The photo as the service re-encoded it, without metadata, encrypted on disk under its own
    # key like every stored file (docs/security.md); served only by careers' photo view.
    photo = models.FileField(upload_to=_photo_path)
    data_key = EncryptedFileKeyField(editable=False)
    photo_type = models.CharField(max_length=16, choices=PhotoType.choices)
    photo_width = models.PositiveIntegerField()
    photo_height = models.PositiveIntegerField()
    photo_alt = models.CharField("alt text", max_length=ALT_TEXT_MAX_LENGTH)

    consented_at = models.DateTimeField(null=True, blank=True)
    consent_withdrawn_at = models.DateTimeField(null=True, blank=True)
    consent_refused_at = models.DateTimeField(null=True, blank=True)
    # The association that approved or declined it, and who did.
    decided_by_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    declined_at = models.DateTimeField(null=True, blank=True)
    decline_reason = models.TextField(blank=True)

    objects = StoryQuerySet.as_manager()

    class Meta:
        ordering = ["-nominated_at", "-id"]
        verbose_name_plural = "stories"
        indexes = [models.Index(fields=["organisation", "status"])]
        constraints = [
            # Publication needs consent and approval, and no withdrawal: the database keeps
            # this true whatever writes the row.
            models.CheckConstraint(
                condition=~Q(status="published")
                | Q(
                    consented_at__isnull=False,
                    approved_at__isnull=False,
                    consent_withdrawn_at__isnull=True,
                ),
                name="story_published_needs_consent_and_approval",
            )
        ]

    def __str__(self):
        return f"Story {self.reference} of {self.display_name} at {self.organisation}"

    @property
    def is_published(self) -> bool:
        return (
            self.status == self.Status.PUBLISHED
            and self.consented_at is not None
            and self.approved_at is not None
            and self.consent_withdrawn_at is None
        )

    def years_in_care(self, today=None) -> int:
        today = today or timezone.localdate()
        return max(0, today.year - self.in_care_since)

    def read_photo(self) -> bytes:
        """The photo as stored by the service: re-encoded, without metadata."""
        with self.photo.open("rb") as stored:
            return file_decrypt(stored.read(), key=self.data_key)
