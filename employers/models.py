"""Employers: share codes, staff lists, API keys, webhooks and training expiry notices."""

from django.db import models
from django.utils import timezone

from accounts.models import Organisation, User
from core.encryption import EncryptedTextField
from register.models import RegisterEntry


class EmployerVerification(models.Model):
    """A registrar's word that an employer organisation is who it says it is. Until an employer
    holds a current verification the register sends it no worker's data: no share-code record,
    staff list, alert or webhook (ADR 0019).

    Withdrawing keeps the row, with who withdrew it and when; verifying again starts afresh.
    """

    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="employer_verification"
    )
    verified_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    verified_at = models.DateTimeField(default=timezone.now)
    withdrawn_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"Verification of {self.organisation}"

    @property
    def is_current(self) -> bool:
        return self.withdrawn_at is None


class ShareCode(models.Model):
    """A code a worker gives an employer so it can see their record, with their consent.

    Only a keyed hash of the code is stored (see employers/services/sharecodes.py), so a copy of
    the database does not reveal a live code. A code is live until `expires_at` or until the
    worker revokes it; it can be used by several employers while it is live.
    """

    worker = models.ForeignKey(User, on_delete=models.CASCADE, related_name="share_codes")
    entry = models.ForeignKey(RegisterEntry, on_delete=models.CASCADE, related_name="share_codes")
    code_hash = models.CharField(max_length=64, unique=True)
    # The last three characters, so the worker can tell their codes apart: never enough to use.
    hint = models.CharField(max_length=3)
    label = models.CharField(max_length=100, blank=True)
    shares_identity_checks = models.BooleanField(default=False)
    # Made by applying for a job: a share with that employer for that application only. Its
    # code was never shown to anyone, so nobody types it, and it does not count towards the
    # worker's limit of live codes (employers/services/sharecodes.py).
    for_application = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"Share code ···-···-·{self.hint} for {self.entry.registration_number}"

    @property
    def masked(self) -> str:
        return f"•••-•••-•{self.hint}"

    def is_live(self, *, now=None) -> bool:
        now = now or timezone.now()
        return self.revoked_at is None and now < self.expires_at


class ShareCodeCheck(models.Model):
    """One attempt by an employer to open a record with a share code, whatever its outcome.

    The employer only ever learns "accepted" or "not accepted"; the outcome recorded here says
    why, for the worker's log and for investigating misuse.
    """

    class Outcome(models.TextChoices):
        ACCEPTED = "accepted", "Accepted"
        UNKNOWN_CODE = "unknown_code", "Code not recognised"
        WRONG_DATE_OF_BIRTH = "wrong_date_of_birth", "Wrong date of birth"
        EXPIRED = "expired", "Code expired"
        REVOKED = "revoked", "Code revoked"
        RATE_LIMITED = "rate_limited", "Too many attempts"

    share_code = models.ForeignKey(
        ShareCode, null=True, blank=True, on_delete=models.CASCADE, related_name="checks"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="share_code_checks"
    )
    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    via_api_key = models.ForeignKey(
        "ApiKey", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    outcome = models.CharField(max_length=32, choices=Outcome.choices)
    checked_at = models.DateTimeField(default=timezone.now)
    ip_address = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        ordering = ["-checked_at", "-id"]

    def __str__(self):
        when = f"{self.checked_at:%Y-%m-%d %H:%M}"
        return f"{self.get_outcome_display()} by {self.organisation} at {when}"

    @property
    def accepted(self) -> bool:
        return self.outcome == self.Outcome.ACCEPTED


class StaffMembership(models.Model):
    """A worker on an employer's staff list. Added only after an accepted share code check
    (the worker's consent), which it records; removed by the employer, or left by the worker.

    active: on the list, the employer sees the worker on its dashboard and hears about changes;
    removed: the employer took the worker off the list; left: the worker took themselves off it
    (both kept for the history, and a worker who left is shown to the employer as having left).
    """

    class Status(models.TextChoices):
        ACTIVE = "active", "On the staff list"
        REMOVED = "removed", "Removed"
        LEFT = "left", "Left the list"

    class RemovalReason(models.TextChoices):
        # Conduct matters beyond the employer: it prompts a concern to the register, and the
        # employer's own duty to refer to the DBS (Safeguarding Vulnerable Groups Act 2006).
        LEFT = "left", "They left their job with you"
        CONDUCT = "conduct", "They were dismissed, or left, because of their conduct"
        ADDED_IN_ERROR = "added_in_error", "They were added to the list in error"

    TRANSITIONS = {
        Status.ACTIVE: {Status.REMOVED, Status.LEFT},
        Status.REMOVED: set(),
        Status.LEFT: set(),
    }

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="staff_memberships"
    )
    entry = models.ForeignKey(
        RegisterEntry, on_delete=models.CASCADE, related_name="staff_memberships"
    )
    consent_check = models.OneToOneField(
        ShareCodeCheck, on_delete=models.PROTECT, related_name="staff_membership"
    )
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.ACTIVE)
    added_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(default=timezone.now)
    removed_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    removed_at = models.DateTimeField(null=True, blank=True)
    # Why the employer took the worker off the list. Empty when the worker left the list
    # themselves, when the API removed them without saying, and on rows from before it was asked.
    removal_reason = models.CharField(max_length=16, choices=RemovalReason.choices, blank=True)

    class Meta:
        ordering = ["-added_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "entry"],
                condition=models.Q(status="active"),
                name="one_active_staff_membership",
            )
        ]

    def __str__(self):
        return f"{self.entry.registration_number} on the staff list of {self.organisation}"


class ApiKey(models.Model):
    """A key an organisation's systems use to call the API, limited to some scopes.

    The key reads `cr_live_<key_id>_<secret>`; only a SHA-256 hash of the secret is stored.
    A revoked key is refused from then on, and so is a key past its expiry date (the owner's
    choice; a key may have none): it works until the end of `expires_on`, UK time.
    """

    class Scope(models.TextChoices):
        # The one list of scopes: the owner's key form offers exactly these, with these words,
        # and every API view names one of them (api/scopes.py). Keys may not answer
        # consultations: a key speaks for an organisation, and one person answers once.
        REGISTER_READ = (
            "register:read",
            "Read the register: search it and read entries, as anyone may (register:read)",
        )
        PASSPORTS_VERIFY = (
            "passports:verify",
            "Verify passports: check a passport token or PDF is genuine (passports:verify)",
        )
        SHARECODES_CHECK = (
            "sharecodes:check",
            "Check share codes: open a worker's record with the code they gave you "
            "(sharecodes:check)",
        )
        STAFF_READ = "staff:read", "Read the staff list and each worker on it (staff:read)"
        STAFF_WRITE = (
            "staff:write",
            "Change the staff list: add a worker after a share code check, or remove one "
            "(staff:write)",
        )
        TRAINING_READ = (
            "training:read",
            "Read training records your training provider recorded (training:read)",
        )
        TRAINING_WRITE = (
            "training:write",
            "Record training: record and revoke training your provider delivered (training:write)",
        )
        FHIR_READ = (
            "fhir:read",
            "Read workers as FHIR Practitioners, with the current training of workers on your "
            "staff list (fhir:read)",
        )
        VACANCIES_WRITE = (
            "vacancies:write",
            "Write vacancies: create drafts of your organisation's vacancies, change them and "
            "publish them (vacancies:write)",
        )

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="api_keys"
    )
    name = models.CharField(max_length=100)
    key_id = models.CharField(max_length=16, unique=True)
    secret_hash = models.CharField(max_length=64)
    scopes = models.JSONField(default=list)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    expires_on = models.DateField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"API key {self.name} (cr_live_{self.key_id}_…) of {self.organisation}"

    def has_expired(self, *, today=None) -> bool:
        return self.expires_on is not None and (today or timezone.localdate()) > self.expires_on

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and not self.has_expired()

    @property
    def prefix(self) -> str:
        return f"cr_live_{self.key_id}_"

    def scope_labels(self) -> list[str]:
        return [self.Scope(scope).label for scope in self.scopes if scope in self.Scope.values]


class WebhookEndpoint(models.Model):
    """Where an employer wants to hear about its staff, signed with a secret it was shown once.

    The secret is kept encrypted rather than hashed: signing each delivery needs the secret
    itself.
    """

    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="webhook_endpoint"
    )
    url = models.URLField(max_length=500)
    secret = EncryptedTextField()
    is_active = models.BooleanField(default=True)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"Webhook of {self.organisation} to {self.url}"


class WebhookDelivery(models.Model):
    """One event sent, or being sent, to an endpoint, with every attempt's result.

    pending: not delivered yet, another attempt is due at `next_attempt_at`; delivered: the
    endpoint answered 2xx; failed: every attempt failed and no more will be made.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        DELIVERED = "delivered", "Delivered"
        FAILED = "failed", "Failed"

    TRANSITIONS = {
        Status.PENDING: {Status.DELIVERED, Status.FAILED},
        Status.DELIVERED: set(),
        Status.FAILED: set(),
    }

    endpoint = models.ForeignKey(
        WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries"
    )
    event_id = models.CharField(max_length=40, unique=True)
    event_type = models.CharField(max_length=64)
    body = models.TextField()
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_response_status = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.CharField(max_length=300, blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "webhook deliveries"

    def __str__(self):
        return f"{self.event_type} {self.event_id} ({self.status})"


class TrainingExpiryNotice(models.Model):
    """A training record whose expiry employers have been told about: at most once a record."""

    record = models.OneToOneField(
        "passports.TrainingRecord", on_delete=models.CASCADE, related_name="expiry_notice"
    )
    expires_on = models.DateField()
    organisations_notified = models.PositiveIntegerField(default=0)
    sent_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"Expiry notice for training record {self.record_id}"


class LapseWarning(models.Model):
    """An employer told that a worker's registration will lapse unless it is renewed: at most
    once for each reminder (the renewal date and the days before it) and organisation."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="lapse_warnings"
    )
    entry = models.ForeignKey(RegisterEntry, on_delete=models.CASCADE, related_name="+")
    renewal_due = models.DateField()
    days_before = models.PositiveSmallIntegerField()
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "entry", "renewal_due", "days_before"],
                name="one_lapse_warning_each",
            )
        ]

    def __str__(self):
        return (
            f"{self.days_before}-day lapse warning to {self.organisation} for "
            f"{self.entry.registration_number}"
        )
