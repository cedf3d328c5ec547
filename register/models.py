"""Accounts, organisations and the audit log: the core every other app stands on."""

import hashlib
import json
import secrets
from datetime import timedelta

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone

from register.encryption import EncryptedTextField


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields["is_staff"] = True
        extra_fields["is_superuser"] = True
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    """A person who signs in. The email address is the login; there is no username.

    A care worker is someone who signed up to join the register. A registrar is appointed by
    staff and reads the audit log in the admin, so registrars are also `is_staff`.
    """

    username = None
    first_name = None
    last_name = None
    email = models.EmailField("email address", unique=True)
    full_name = models.CharField(max_length=200)
    is_care_worker = models.BooleanField(
        default=False, help_text="Signed up to join the register as a care worker."
    )
    is_registrar = models.BooleanField(
        default=False, help_text="Checks identity and evidence, approves and maintains entries."
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    objects = UserManager()

    def __str__(self):
        return self.full_name or self.email

    def get_full_name(self):
        return self.full_name

    def get_short_name(self):
        return self.full_name.split(" ")[0] if self.full_name else self.email


class Organisation(models.Model):
    """An employer, a training provider or an association behind the register."""

    class Kind(models.TextChoices):
        EMPLOYER = "employer", "Employer (care provider)"
        TRAINING_PROVIDER = "training_provider", "Training provider"
        ASSOCIATION = "association", "Association"

    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=32, choices=Kind.choices)
    created_at = models.DateTimeField(default=timezone.now)
    members = models.ManyToManyField(User, through="Membership", related_name="organisations")

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class Membership(models.Model):
    """A user's place in an organisation. Owners may invite and remove members."""

    class Role(models.TextChoices):
        OWNER = "owner", "Owner"
        MEMBER = "member", "Member"

        @property
        def with_article(self) -> str:
            """The role in a sentence: "an owner", "a member"."""
            label = str(self.label).lower()
            return f"{'an' if label[0] in 'aeiou' else 'a'} {label}"

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.MEMBER)
    joined_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation"], name="one_membership_each")
        ]

    def __str__(self):
        return f"{self.user} in {self.organisation} ({self.role})"


def _new_invitation_token() -> str:
    return secrets.token_urlsafe(32)


def _invitation_expiry():
    return timezone.now() + timedelta(days=14)


class Invitation(models.Model):
    """An owner's invitation for someone to join an organisation.

    pending: sent, not yet answered; accepted: the invitee joined; revoked: withdrawn by an
    owner. An invitation past `expires_at` can no longer be accepted.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        ACCEPTED = "accepted", "Accepted"
        REVOKED = "revoked", "Revoked"

    TRANSITIONS = {
        Status.PENDING: {Status.ACCEPTED, Status.REVOKED},
        Status.ACCEPTED: set(),
        Status.REVOKED: set(),
    }

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField()
    role = models.CharField(
        max_length=16, choices=Membership.Role.choices, default=Membership.Role.MEMBER
    )
    token = models.CharField(max_length=64, unique=True, default=_new_invitation_token)
    invited_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(default=_invitation_expiry)
    accepted_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "email"],
                condition=models.Q(status="pending"),
                name="one_pending_invitation_per_email",
            )
        ]

    def __str__(self):
        return f"Invitation for {self.email} to {self.organisation}"

    @property
    def is_expired(self) -> bool:
        return timezone.now() >= self.expires_at


GENESIS_HASH = "0" * 64


class AuditEvent(models.Model):
    """One change of state, written once through `register.audit.audit_log` and never changed.

    Each event stores the hash of the one before it and a hash of its own content, so editing
    or deleting an event breaks the chain; `manage.py verify_audit_log` finds the break.
    """

    occurred_at = models.DateTimeField(default=timezone.now, db_index=True)
    # The actor's id is kept as plain data, not a foreign key, so that the hashed content of an
    # event never depends on another table.
    actor_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    actor_label = models.CharField(max_length=254, blank=True)
    action = models.CharField(max_length=100, db_index=True)
    target_type = models.CharField(max_length=100, blank=True)
    target_id = models.CharField(max_length=64, blank=True)
    target_label = models.CharField(max_length=254, blank=True)
    old_status = models.CharField(max_length=64, blank=True)
    new_status = models.CharField(max_length=64, blank=True)
    data = models.JSONField(default=dict, blank=True, encoder=DjangoJSONEncoder)
    request_id = models.CharField(max_length=64, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    previous_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["-id"]
        indexes = [models.Index(fields=["target_type", "target_id"])]

    def __str__(self):
        return f"{self.occurred_at:%Y-%m-%d %H:%M:%S} {self.action} {self.target_label}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AuditLogIsAppendOnly("Audit events cannot be changed once written.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AuditLogIsAppendOnly("Audit events cannot be deleted.")

    def canonical_content(self) -> bytes:
        """The exact bytes the hash covers: every field but the hash itself."""
        content = {
            "occurred_at": self.occurred_at.isoformat(timespec="microseconds"),
            "actor_id": self.actor_id,
            "actor_label": self.actor_label,
            "action": self.action,
            "target_type": self.target_type,
            "target_id": self.target_id,
            "target_label": self.target_label,
            "old_status": self.old_status,
            "new_status": self.new_status,
            "data": self.data,
            "request_id": self.request_id,
            "ip_address": self.ip_address,
            "previous_hash": self.previous_hash,
        }
        return json.dumps(
            content, sort_keys=True, separators=(",", ":"), cls=DjangoJSONEncoder
        ).encode()

    def compute_hash(self) -> str:
        return hashlib.sha256(self.canonical_content()).hexdigest()


class AuditChainHead(models.Model):
    """The newest event's id and hash, in a single row.

    Writers lock this row, so two concurrent events can never both claim the same predecessor,
    and a deleted newest event is caught because the head still names it.
    """

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    last_event_id = models.BigIntegerField(null=True)
    last_hash = models.CharField(max_length=64, default=GENESIS_HASH)

    def __str__(self):
        return f"Audit chain head at event {self.last_event_id}"


class AuditLogIsAppendOnly(Exception):
    """Raised on any attempt to change or delete an audit event through the ORM."""


# --- The register ---------------------------------------------------------------------------


class PathwayRole(models.Model):
    """A role category of the Care Workforce Pathway, kept as data so it can follow the
    pathway's revisions without a code change."""

    code = models.SlugField(max_length=64, unique=True)
    title = models.CharField(max_length=120)
    description = models.TextField(blank=True)
    order = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["order", "title"]

    def __str__(self):
        return self.title


def _evidence_path(instance, filename):
    # The stored name is random: the uploader's file name is kept only as data.
    return f"evidence/{instance.owner_id}/{secrets.token_hex(16)}"


class EvidenceFile(models.Model):
    """A document uploaded as evidence: identity, DBS, a name change. Stored outside the web
    root and served only through a view that checks who is asking."""

    class Kind(models.TextChoices):
        PDF = "application/pdf", "PDF"
        JPEG = "image/jpeg", "JPEG image"
        PNG = "image/png", "PNG image"

    owner = models.ForeignKey(User, on_delete=models.PROTECT, related_name="evidence_files")
    uploaded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    file = models.FileField(upload_to=_evidence_path)
    content_type = models.CharField(max_length=32, choices=Kind.choices)
    original_name = models.CharField(max_length=200)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"{self.original_name} ({self.get_content_type_display()})"


class Application(models.Model):
    """A care worker's application to join the register.

    draft: being filled in, resumable; submitted: waiting for a registrar;
    information_requested: a registrar asked the worker for more; awaiting_second_approval:
    one registrar approved and four-eyes approval needs another; approved: the worker is on
    the register; rejected: refused, with a reason; withdrawn: the worker gave up.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted"
        INFORMATION_REQUESTED = "information_requested", "More information requested"
        AWAITING_SECOND_APPROVAL = "awaiting_second_approval", "Awaiting second approval"
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Rejected"
        WITHDRAWN = "withdrawn", "Withdrawn"

    TRANSITIONS = {
        Status.DRAFT: {Status.SUBMITTED, Status.WITHDRAWN},
        Status.SUBMITTED: {
            Status.INFORMATION_REQUESTED,
            Status.AWAITING_SECOND_APPROVAL,
            Status.APPROVED,
            Status.REJECTED,
        },
        Status.INFORMATION_REQUESTED: {Status.SUBMITTED, Status.WITHDRAWN},
        Status.AWAITING_SECOND_APPROVAL: {Status.APPROVED, Status.SUBMITTED, Status.REJECTED},
        Status.APPROVED: set(),
        Status.REJECTED: set(),
        Status.WITHDRAWN: set(),
    }
    OPEN_STATUSES = {
        Status.DRAFT,
        Status.SUBMITTED,
        Status.INFORMATION_REQUESTED,
        Status.AWAITING_SECOND_APPROVAL,
    }

    worker = models.ForeignKey(User, on_delete=models.PROTECT, related_name="applications")
    status = models.CharField(max_length=32, choices=Status.choices, default=Status.DRAFT)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    submitted_at = models.DateTimeField(null=True, blank=True, db_index=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    # About you
    legal_name = models.CharField(max_length=200, blank=True)
    previous_names = models.TextField(blank=True, help_text="One name per line.")
    date_of_birth = models.DateField(null=True, blank=True)
    # Contact and address
    phone = models.CharField(max_length=32, blank=True)
    address_line_1 = models.CharField(max_length=200, blank=True)
    address_line_2 = models.CharField(max_length=200, blank=True)
    town = models.CharField(max_length=100, blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    # Your work
    pathway_role = models.ForeignKey(PathwayRole, null=True, blank=True, on_delete=models.PROTECT)
    employer = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Declarations
    has_criminal_record = models.BooleanField(null=True)
    criminal_record_details = models.TextField(blank=True)
    has_health_condition = models.BooleanField(null=True)
    health_condition_details = models.TextField(blank=True)
    has_fitness_to_practise_history = models.BooleanField(null=True)
    fitness_to_practise_details = models.TextField(blank=True)
    declares_truth = models.BooleanField(default=False)
    consents_to_publication = models.BooleanField(default=False)

    # The registrar's side
    information_request = models.TextField(blank=True)
    rejection_reason = models.TextField(blank=True)
    first_approver = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        indexes = [models.Index(fields=["status", "submitted_at"])]
        constraints = [
            # One open application at a time: a second would race the first to the register.
            models.UniqueConstraint(
                fields=["worker"],
                condition=models.Q(
                    status__in=[
                        "draft",
                        "submitted",
                        "information_requested",
                        "awaiting_second_approval",
                    ]
                ),
                name="one_open_application_per_worker",
            )
        ]

    def __str__(self):
        return f"Application {self.pk} from {self.legal_name or self.worker}"


class IdentityCheck(models.Model):
    """One check a registrar recorded on an application, with its outcome and evidence."""

    class Type(models.TextChoices):
        PHOTO_ID = "photo_id", "Photo identity document"
        DBS = "dbs", "Enhanced DBS certificate with barred-list check"
        RIGHT_TO_WORK = "right_to_work", "Right to work"
        REFERENCE = "reference", "Reference"

    class Outcome(models.TextChoices):
        PASSED = "passed", "Passed"
        FAILED = "failed", "Failed"
        REFERRED = "referred", "Referred"

    class DocumentType(models.TextChoices):
        PASSPORT = "passport", "Passport"
        DRIVING_LICENCE = "driving_licence", "UK photocard driving licence"
        BIOMETRIC_RESIDENCE = "biometric_residence", "Biometric residence permit or card"
        NATIONAL_ID = "national_id", "National identity card"

    class RightToWorkRoute(models.TextChoices):
        SHARE_CODE = "share_code", "Home Office online check with a share code"
        BRITISH_OR_IRISH = "british_or_irish", "British or Irish citizen: document check"

    class UpdateServiceResult(models.TextChoices):
        NO_CHANGE = "no_change", "No new information"
        NEW_INFORMATION = "new_information", "New information: apply for a new certificate"

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="checks")
    check_type = models.CharField(max_length=32, choices=Type.choices)
    outcome = models.CharField(max_length=16, choices=Outcome.choices)
    evidence_reference = models.CharField(max_length=200, blank=True)
    evidence_file = models.ForeignKey(
        EvidenceFile, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    checked_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    checked_at = models.DateTimeField(default=timezone.now)
    notes = models.TextField(blank=True)

    # Photo identity document
    document_type = models.CharField(max_length=32, choices=DocumentType.choices, blank=True)
    document_number = EncryptedTextField(blank=True)
    document_number_index = models.CharField(max_length=64, blank=True, db_index=True)
    document_expires_on = models.DateField(null=True, blank=True)
    # Enhanced DBS
    certificate_number = EncryptedTextField(blank=True)
    certificate_number_index = models.CharField(max_length=64, blank=True, db_index=True)
    certificate_issued_on = models.DateField(null=True, blank=True)
    update_service_checked_on = models.DateField(null=True, blank=True)
    update_service_result = models.CharField(
        max_length=32, choices=UpdateServiceResult.choices, blank=True
    )
    # Right to work
    right_to_work_route = models.CharField(
        max_length=32, choices=RightToWorkRoute.choices, blank=True
    )
    # Reference
    referee_name = models.CharField(max_length=200, blank=True)
    referee_relationship = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["checked_at"]

    def __str__(self):
        return f"{self.get_check_type_display()}: {self.get_outcome_display()}"


class RegistrationNumberSequence(models.Model):
    """The last registration number issued, in one row that approvals lock in turn."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    last_value = models.PositiveIntegerField(default=1000000)

    def __str__(self):
        return f"Last registration number {self.last_value}"


class RegisterEntry(models.Model):
    """A care worker's entry on the register.

    registered: may practise; registered_with_conditions: may practise within conditions;
    suspended: may not practise until the suspension ends (interim or sanction);
    lapsed: not renewed in time; removed: off the register (voluntary or fitness to practise).
    """

    class Status(models.TextChoices):
        REGISTERED = "registered", "Registered"
        REGISTERED_WITH_CONDITIONS = "registered_with_conditions", "Registered with conditions"
        SUSPENDED = "suspended", "Suspended"
        LAPSED = "lapsed", "Lapsed"
        REMOVED = "removed", "Removed"

    class SuspensionKind(models.TextChoices):
        INTERIM = "interim", "Interim order"
        SANCTION = "sanction", "Sanction"

    class RemovalKind(models.TextChoices):
        VOLUNTARY = "voluntary", "Voluntary removal"
        FITNESS_TO_PRACTISE = "fitness_to_practise", "Removed on fitness to practise grounds"

    TRANSITIONS = {
        Status.REGISTERED: {
            Status.REGISTERED_WITH_CONDITIONS,
            Status.SUSPENDED,
            Status.LAPSED,
            Status.REMOVED,
        },
        Status.REGISTERED_WITH_CONDITIONS: {
            Status.REGISTERED,
            Status.SUSPENDED,
            Status.LAPSED,
            Status.REMOVED,
        },
        Status.SUSPENDED: {Status.REGISTERED, Status.REGISTERED_WITH_CONDITIONS, Status.REMOVED},
        Status.LAPSED: {Status.REGISTERED, Status.REMOVED},
        Status.REMOVED: set(),
    }
    # Changes an employer must hear about: the worker's right to practise changed.
    PRACTISING = {Status.REGISTERED, Status.REGISTERED_WITH_CONDITIONS}

    worker = models.OneToOneField(User, on_delete=models.PROTECT, related_name="register_entry")
    application = models.OneToOneField(
        Application, on_delete=models.PROTECT, related_name="register_entry"
    )
    registration_number = models.CharField(max_length=12, unique=True)
    full_name = models.CharField(max_length=200)
    # Lower case, accents and punctuation removed: what name search matches against.
    search_name = models.CharField(max_length=200, db_index=True)
    search_town = models.CharField(max_length=100, blank=True, db_index=True)
    pathway_role = models.ForeignKey(PathwayRole, null=True, on_delete=models.PROTECT)
    employers = models.ManyToManyField(Organisation, blank=True, related_name="+")
    status = models.CharField(max_length=32, choices=Status.choices, default=Status.REGISTERED)
    suspension_kind = models.CharField(max_length=16, choices=SuspensionKind.choices, blank=True)
    suspended_until = models.DateField(null=True, blank=True)
    removal_kind = models.CharField(max_length=32, choices=RemovalKind.choices, blank=True)
    registered_from = models.DateField()
    renewal_due = models.DateField(db_index=True)
    status_changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name_plural = "register entries"
        indexes = [
            models.Index(fields=["status", "renewal_due"]),
            # Name search within a town reads this in name order and stops at one page.
            models.Index(fields=["search_town", "search_name", "id"], name="entry_town_name"),
        ]

    def __str__(self):
        return f"{self.full_name} ({self.registration_number})"

    @property
    def may_practise(self) -> bool:
        return self.status in self.PRACTISING


class NameWord(models.Model):
    """One word of the name of an entry on the public register, with the entry's whole name and
    town: name search reads, from an index alone, the entries with a word that starts as a word
    typed, already in name order (see register.selectors.public). Derived data, kept in step by
    register.services.name_words.entry_name_words_update in the transaction that changes the
    entry; an entry the public may not see has no words."""

    pk = models.CompositePrimaryKey("entry", "word")
    # The primary key's index, entry first, serves the foreign key: no index of its own.
    entry = models.ForeignKey(
        RegisterEntry, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    word = models.CharField(max_length=200)
    # Copies of the entry's columns, so that the search needs no row of the entry table.
    search_name = models.CharField(max_length=200)
    search_town = models.CharField(max_length=100, blank=True)

    class Meta:
        indexes = [
            # varchar_pattern_ops lets PostgreSQL read "word LIKE 'smi%'" as one index range
            # whatever the database's collation; other databases ignore it.
            models.Index(
                fields=["word", "search_name", "entry"],
                name="name_word_in_name_order",
                opclasses=["varchar_pattern_ops", "varchar_ops", "int8_ops"],
            ),
            models.Index(
                fields=["search_town", "word", "search_name", "entry"],
                name="name_word_in_town",
                opclasses=["varchar_ops", "varchar_pattern_ops", "varchar_ops", "int8_ops"],
            ),
        ]

    def __str__(self):
        return f"{self.word} ({self.entry_id})"


class StatusChange(models.Model):
    """The history of an entry's status, shown to the worker and to registrars."""

    entry = models.ForeignKey(RegisterEntry, on_delete=models.PROTECT, related_name="history")
    old_status = models.CharField(max_length=32, blank=True)
    new_status = models.CharField(max_length=32)
    reason = models.TextField()
    changed_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-changed_at", "-id"]

    def __str__(self):
        return f"{self.entry.registration_number}: {self.old_status} → {self.new_status}"

    @property
    def new_status_label(self) -> str:
        return RegisterEntry.Status(self.new_status).label


class Annotation(models.Model):
    """A condition on practice, or an annotation such as a specialist qualification.

    The public text appears on the register; a health-related one never does, whatever its
    text, because health is special-category data.
    """

    class Kind(models.TextChoices):
        CONDITION = "condition", "Condition"
        ANNOTATION = "annotation", "Annotation"

    entry = models.ForeignKey(RegisterEntry, on_delete=models.PROTECT, related_name="annotations")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    public_text = models.TextField(blank=True)
    private_notes = models.TextField(blank=True)
    is_health_related = models.BooleanField(default=False)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self):
        return f"{self.get_kind_display()} on {self.entry.registration_number}"

    @property
    def is_public(self) -> bool:
        return bool(self.public_text) and not self.is_health_related and self.ended_at is None


class CpdActivity(models.Model):
    """Continuing professional development logged by the worker towards renewal."""

    entry = models.ForeignKey(RegisterEntry, on_delete=models.CASCADE, related_name="cpd")
    completed_on = models.DateField()
    title = models.CharField(max_length=200)
    hours = models.DecimalField(max_digits=5, decimal_places=1)
    reflection = models.TextField()
    logged_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-completed_on"]
        verbose_name_plural = "CPD activities"

    def __str__(self):
        return f"{self.title} ({self.hours} h)"


class Renewal(models.Model):
    """One year's renewal: the declarations again, with the CPD logged since the last one.

    renewed: accepted, renewal_due moved on a year; referred: a declaration needs a registrar's
    look before the entry is renewed; refused: a registrar declined it.
    """

    class Status(models.TextChoices):
        RENEWED = "renewed", "Renewed"
        REFERRED = "referred", "Referred to a registrar"
        REFUSED = "refused", "Refused"

    entry = models.ForeignKey(RegisterEntry, on_delete=models.PROTECT, related_name="renewals")
    status = models.CharField(max_length=16, choices=Status.choices)
    renewal_due_before = models.DateField()
    has_criminal_record = models.BooleanField()
    criminal_record_details = models.TextField(blank=True)
    has_health_condition = models.BooleanField()
    health_condition_details = models.TextField(blank=True)
    has_fitness_to_practise_history = models.BooleanField()
    fitness_to_practise_details = models.TextField(blank=True)
    cpd_hours = models.DecimalField(max_digits=6, decimal_places=1)
    submitted_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(blank=True)

    class Meta:
        constraints = [
            # A refused renewal does not use up the period: the worker may try again, which
            # is also how a refused worker whose entry then lapsed gets back on the register.
            models.UniqueConstraint(
                fields=["entry", "renewal_due_before"],
                condition=~models.Q(status="refused"),
                name="one_renewal_per_period",
            )
        ]

    def __str__(self):
        return f"Renewal of {self.entry.registration_number} due {self.renewal_due_before}"


class RenewalReminder(models.Model):
    """A reminder sent, so the daily command never sends the same one twice."""

    entry = models.ForeignKey(RegisterEntry, on_delete=models.CASCADE, related_name="reminders")
    renewal_due = models.DateField()
    days_before = models.PositiveSmallIntegerField()
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["entry", "renewal_due", "days_before"], name="one_reminder_each"
            )
        ]

    def __str__(self):
        return f"{self.days_before}-day reminder for {self.entry.registration_number}"


class NameChangeRequest(models.Model):
    """A registered worker's change of name, which a registrar approves against evidence.

    pending: waiting for a registrar; approved: the entry shows the new name; rejected: not.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Rejected"

    TRANSITIONS = {
        Status.PENDING: {Status.APPROVED, Status.REJECTED},
        Status.APPROVED: set(),
        Status.REJECTED: set(),
    }

    entry = models.ForeignKey(RegisterEntry, on_delete=models.PROTECT, related_name="name_changes")
    new_name = models.CharField(max_length=200)
    evidence = models.ForeignKey(EvidenceFile, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    requested_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["entry"],
                condition=models.Q(status="pending"),
                name="one_pending_name_change",
            )
        ]

    def __str__(self):
        return f"Name change to {self.new_name} for {self.entry.registration_number}"


# --- Employers: share codes, staff lists, API keys, webhooks --------------------------------


class ShareCode(models.Model):
    """A code a worker gives an employer so it can see their record, with their consent.

    Only a keyed hash of the code is stored (see register/services/sharecodes.py), so a copy of
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
    (the worker's consent), which it records; removed by the employer.

    active: on the list, the employer sees the worker on its dashboard and hears about changes;
    removed: taken off the list (kept for the history).
    """

    class Status(models.TextChoices):
        ACTIVE = "active", "On the staff list"
        REMOVED = "removed", "Removed"

    TRANSITIONS = {Status.ACTIVE: {Status.REMOVED}, Status.REMOVED: set()}

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
    A revoked key is refused from then on.
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
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"API key {self.name} (cr_live_{self.key_id}_…) of {self.organisation}"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

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
