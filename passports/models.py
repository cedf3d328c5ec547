"""Training records and the signed passports built from them."""

import secrets

from django.db import models
from django.utils import timezone

from accounts.models import Organisation, User
from core.encryption import EncryptedTextField
from register.models import EvidenceFile, RegisterEntry


class TrainingStandard(models.Model):
    """A course or qualification a record can be for, kept as data and edited by registrars.

    A refresher period says how long the training stays valid; none means it does not expire.
    """

    class Category(models.TextChoices):
        CARE_CERTIFICATE = "care_certificate", "Care Certificate standard"
        QUALIFICATION = "qualification", "Qualification"
        MANDATORY = "mandatory", "Mandatory training"

    class AwardedBy(models.TextChoices):
        APPROVED_PROVIDER = "approved_provider", "An approved training provider"
        AWARDING_ORGANISATION = "awarding_organisation", "A regulated awarding organisation"

    code = models.SlugField(max_length=64, unique=True)
    title = models.CharField(max_length=200)
    category = models.CharField(max_length=32, choices=Category.choices)
    awarded_by = models.CharField(max_length=32, choices=AwardedBy.choices)
    refresher_months = models.PositiveSmallIntegerField(null=True, blank=True)
    # The seeded refresher periods are sector defaults, not rules: flagged so registrars know
    # they are free to change them.
    refresher_is_default = models.BooleanField(default=False)
    is_active = models.BooleanField(default=True)
    required_for = models.ManyToManyField(
        "register.PathwayRole",
        blank=True,
        related_name="required_training",
        help_text="Roles that must hold this training, shown on the worker's passport page.",
    )

    class Meta:
        ordering = ["category", "code"]

    def __str__(self):
        return f"{self.title} ({self.code})"


class ProviderApproval(models.Model):
    """A training provider a registrar approved. Only an approved provider may record or import
    training, and its records are verified on arrival. A withdrawn approval stops both until a
    registrar approves the provider again (the same row, approved anew)."""

    organisation = models.OneToOneField(
        Organisation, on_delete=models.PROTECT, related_name="provider_approval"
    )
    approved_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    approved_at = models.DateTimeField(default=timezone.now)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    def __str__(self):
        return f"Approval of {self.organisation}"

    @property
    def is_current(self) -> bool:
        return self.withdrawn_at is None


class ProviderApprovalRequest(models.Model):
    """A training provider's request to be approved, shown to registrars until one approves it
    (which removes the request)."""

    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="provider_approval_request"
    )
    requested_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(default=timezone.now)
    # What the provider says it delivers, for the registrar who checks it.
    about = models.TextField()

    def __str__(self):
        return f"Request for approval of {self.organisation}"


class ImportBatch(models.Model):
    """One CSV upload by a provider: previewed first, then committed whole or not at all.

    previewed: checked, nothing stored yet; committed: every row stored; failed: refused.
    """

    class Status(models.TextChoices):
        PREVIEWED = "previewed", "Previewed"
        COMMITTED = "committed", "Committed"
        FAILED = "failed", "Failed"

    provider = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    uploaded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    file_name = models.CharField(max_length=200)
    sha256 = models.CharField(max_length=64)
    # Registration numbers with dates of birth: personal data, so encrypted at rest.
    content = EncryptedTextField()
    row_count = models.PositiveIntegerField(default=0)
    # None: the rows were never matched against the register, because the file had other
    # errors; 0: every row matched a registered worker; n: n rows matched none, and the file
    # was refused with that count alone. A file that was never matched is never matched later
    # either (not even by showing its preview again), so matching is only ever done, and
    # counted, when it is uploaded.
    unmatched_rows = models.PositiveIntegerField(null=True, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PREVIEWED)
    created_at = models.DateTimeField(default=timezone.now)
    committed_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"Import {self.pk} of {self.file_name}"


class MatchFailure(models.Model):
    """One attempt by a provider's member to record or import training that named workers by a
    registration number and date of birth matching nobody on the register. `failed` counts the
    registration numbers that did not match. Registrars see these; too many in a day lock the
    provider and the member out of recording until the next day (`locked_out` marks the attempt
    that reached the limit)."""

    provider = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    failed = models.PositiveIntegerField()
    batch = models.ForeignKey(
        ImportBatch, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    locked_out = models.BooleanField(default=False)
    occurred_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-occurred_at", "-id"]
        indexes = [
            models.Index(fields=["provider", "occurred_at"]),
            models.Index(fields=["user", "occurred_at"]),
        ]

    def __str__(self):
        return f"{self.failed} failed match(es) by {self.provider} at {self.occurred_at}"


class TrainingRecord(models.Model):
    """One piece of training a worker completed.

    verified: recorded by an approved provider, or checked by a registrar; unverified: added by
    the worker, waiting for a registrar; rejected: a registrar did not accept the evidence;
    revoked: withdrawn after the fact by its provider or a registrar, with a reason.
    """

    class Status(models.TextChoices):
        VERIFIED = "verified", "Verified"
        UNVERIFIED = "unverified", "Unverified"
        REJECTED = "rejected", "Rejected"
        REVOKED = "revoked", "Revoked"

    TRANSITIONS = {
        Status.UNVERIFIED: {Status.VERIFIED, Status.REJECTED},
        Status.VERIFIED: {Status.REVOKED},
        Status.REJECTED: set(),
        Status.REVOKED: set(),
    }

    entry = models.ForeignKey(RegisterEntry, on_delete=models.PROTECT, related_name="training")
    standard = models.ForeignKey(TrainingStandard, on_delete=models.PROTECT, related_name="+")
    completed_on = models.DateField()
    expires_on = models.DateField(null=True, blank=True)
    provider = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    provider_name = models.CharField(max_length=200, blank=True)
    evidence = models.ForeignKey(
        EvidenceFile, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(max_length=16, choices=Status.choices)
    status_reason = models.TextField(blank=True)
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    batch = models.ForeignKey(
        ImportBatch, null=True, blank=True, on_delete=models.PROTECT, related_name="records"
    )

    class Meta:
        ordering = ["-completed_on", "-id"]
        constraints = [
            # Backs up the services' "already recorded" check, which holds under the entry
            # lock; this holds even if some future code path forgets the lock.
            models.UniqueConstraint(
                fields=["entry", "standard", "completed_on"],
                condition=models.Q(status__in=["verified", "unverified"]),
                name="one_live_record_per_training",
            )
        ]
        indexes = [
            models.Index(fields=["entry", "status"]),
            models.Index(fields=["status", "expires_on"]),
        ]

    def __str__(self):
        return f"{self.standard.title} for {self.entry.registration_number}"


def _new_key_id_suffix() -> str:
    return secrets.token_hex(2)


class SigningKey(models.Model):
    """An Ed25519 key the register signs passports with.

    active: signs new passports (one at a time); retired: no longer signs, but passports it
    signed still verify; revoked: compromised, every passport it signed fails verification.
    """

    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        RETIRED = "retired", "Retired"
        REVOKED = "revoked", "Revoked"

    kid = models.CharField(max_length=64, unique=True)
    status = models.CharField(max_length=16, choices=Status.choices)
    public_jwk = models.JSONField()
    # PKCS#8 PEM, itself encrypted with SIGNING_KEY_PASSPHRASE, then stored in an encrypted
    # column: reading the database alone never yields a usable key.
    private_key = EncryptedTextField()
    created_at = models.DateTimeField(default=timezone.now)
    retired_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["status"], condition=models.Q(status="active"), name="one_active_key"
            )
        ]

    def __str__(self):
        return f"{self.kid} ({self.status})"


def _new_passport_id() -> str:
    # 128 bits: short enough for a QR code printed at 3 cm, far too many to guess.
    return secrets.token_urlsafe(16)


class Passport(models.Model):
    """A signed snapshot of a worker's registration and training, issued when they ask.

    valid: the newest passport, untouched; superseded: a newer one was issued; suspended and
    revoked: a registrar acted on it, with a reason code. Each passport owns one random index
    in the revocation list and one in the suspension list.
    """

    class Status(models.TextChoices):
        VALID = "valid", "Valid"
        SUPERSEDED = "superseded", "Superseded"
        SUSPENDED = "suspended", "Suspended"
        REVOKED = "revoked", "Revoked"

    class ReasonCode(models.TextChoices):
        ISSUED_IN_ERROR = "issued_in_error", "Issued in error"
        RECORD_REVOKED = "record_revoked", "A training record was revoked"
        FRAUD = "fraud", "Suspected fraud"
        FITNESS_TO_PRACTISE = "fitness_to_practise", "Fitness to practise"
        UNDER_REVIEW = "under_review", "Under review"
        # The worker's name (or other signed details) changed after the passport was issued:
        # it was superseded so that no current passport shows what is no longer so.
        DETAILS_CHANGED = "details_changed", "Details changed"
        # The worker's registration was suspended: the passport is suspended with it, and is
        # valid again when the suspension ends (passports.receivers).
        REGISTRATION_SUSPENDED = "registration_suspended", "The registration is suspended"

    public_id = models.CharField(max_length=32, unique=True, default=_new_passport_id)
    entry = models.ForeignKey(RegisterEntry, on_delete=models.PROTECT, related_name="passports")
    key = models.ForeignKey(SigningKey, on_delete=models.PROTECT, related_name="passports")
    token = models.TextField()
    issued_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.VALID)
    reason_code = models.CharField(max_length=32, choices=ReasonCode.choices, blank=True)
    revocation_index = models.PositiveIntegerField(unique=True)
    suspension_index = models.PositiveIntegerField(unique=True)
    # The verified records the passport was signed with, so revoking one finds every passport
    # that carries it, and the online check can say which of them no longer stand.
    records = models.ManyToManyField(TrainingRecord, blank=True, related_name="passports")

    class Meta:
        ordering = ["-issued_at"]

    def __str__(self):
        return f"Passport {self.public_id} for {self.entry.registration_number}"


class RecordBadge(models.Model):
    """One verified training record as a signed Open Badges 3.0 credential, made the first time
    the worker downloads it and served again after that.

    valid: the record's current badge; superseded: replaced by a newer badge of the same record,
    because the worker's details changed; revoked: its record was revoked. A badge owns one
    random index in the badge revocation list, set for superseded and revoked badges.
    """

    class Status(models.TextChoices):
        VALID = "valid", "Valid"
        SUPERSEDED = "superseded", "Superseded"
        REVOKED = "revoked", "Revoked"

    public_id = models.CharField(max_length=32, unique=True, default=_new_passport_id)
    record = models.ForeignKey(TrainingRecord, on_delete=models.PROTECT, related_name="badges")
    key = models.ForeignKey(SigningKey, on_delete=models.PROTECT, related_name="badges")
    token = models.TextField()
    issued_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.VALID)
    reason_code = models.CharField(max_length=32, choices=Passport.ReasonCode.choices, blank=True)
    revocation_index = models.PositiveIntegerField(unique=True)

    class Meta:
        ordering = ["-issued_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["record"], condition=models.Q(status="valid"), name="one_valid_badge"
            )
        ]

    def __str__(self):
        return f"Badge {self.public_id} for record {self.record_id}"
