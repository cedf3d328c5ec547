"""The register: applications, identity checks, entries, status history, renewals."""

import secrets

from django.db import models
from django.utils import timezone

from accounts.models import Organisation, User
from core.encryption import (
    EncryptedBooleanField,
    EncryptedCharField,
    EncryptedDateField,
    EncryptedFileKeyField,
    EncryptedTextField,
    file_decrypt,
)
from core.references import reference_new


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
    root, encrypted with a key of its own (`data_key`, itself encrypted with the field key),
    and served only through a view that checks who is asking."""

    class Kind(models.TextChoices):
        PDF = "application/pdf", "PDF"
        JPEG = "image/jpeg", "JPEG image"
        PNG = "image/png", "PNG image"

    owner = models.ForeignKey(User, on_delete=models.PROTECT, related_name="evidence_files")
    uploaded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    file = models.FileField(upload_to=_evidence_path)
    content_type = models.CharField(max_length=32, choices=Kind.choices)
    # People name their scans after themselves ("Jane Smith passport.pdf").
    original_name = EncryptedCharField(max_length=200)
    size = models.PositiveIntegerField()
    # Of the plaintext, so it still identifies the document the person uploaded.
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField(default=timezone.now)
    # The Fernet key the file on disk is encrypted with, made for this file alone. The column
    # is encrypted with FIELD_ENCRYPTION_KEYS, so rotate_field_keys re-wraps it.
    data_key = EncryptedFileKeyField(editable=False)

    def __str__(self):
        return f"{self.original_name} ({self.get_content_type_display()})"

    def read(self) -> bytes:
        """The document as uploaded: the stored file, decrypted with its data key."""
        with self.file.open("rb") as stored:
            return file_decrypt(stored.read(), key=self.data_key)


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
    # What the applicant and registrars quote: random, so it tells nobody how many people
    # applied, or which application comes next. The primary key stays in registrars' URLs only.
    reference = models.CharField(max_length=12, unique=True, default=reference_new, editable=False)
    status = models.CharField(max_length=32, choices=Status.choices, default=Status.DRAFT)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    submitted_at = models.DateTimeField(null=True, blank=True, db_index=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    # About you. Everything the worker tells us about themselves is encrypted at rest
    # (docs/security.md, "What is encrypted at rest"); none of it is looked up by value.
    legal_name = EncryptedCharField(max_length=200, blank=True)
    previous_names = EncryptedTextField(blank=True, help_text="One name per line.")
    date_of_birth = EncryptedDateField(null=True, blank=True)
    # Contact and address
    phone = EncryptedCharField(max_length=32, blank=True)
    address_line_1 = EncryptedCharField(max_length=200, blank=True)
    address_line_2 = EncryptedCharField(max_length=200, blank=True)
    town = EncryptedCharField(max_length=100, blank=True)
    postcode = EncryptedCharField(max_length=10, blank=True)
    # Your work
    pathway_role = models.ForeignKey(PathwayRole, null=True, blank=True, on_delete=models.PROTECT)
    employer = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Declarations: special-category data (health, criminal record), answers and details alike.
    has_criminal_record = EncryptedBooleanField(null=True)
    criminal_record_details = EncryptedTextField(blank=True)
    has_health_condition = EncryptedBooleanField(null=True)
    health_condition_details = EncryptedTextField(blank=True)
    has_fitness_to_practise_history = EncryptedBooleanField(null=True)
    fitness_to_practise_details = EncryptedTextField(blank=True)
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
        return f"Application {self.reference} from {self.legal_name or self.worker}"


class Referee(models.Model):
    """Someone the applicant names to give a reference, one of two (`position` 1 or 2). Who they
    are and how they know the applicant is personal data, encrypted at rest like the rest of
    the application (docs/security.md)."""

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="referees")
    position = models.PositiveSmallIntegerField()
    name = EncryptedCharField(max_length=200)
    email = EncryptedCharField(max_length=254)
    relationship = EncryptedCharField(max_length=200)
    known_for = EncryptedCharField(max_length=100)

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["application", "position"], name="one_referee_each")
        ]

    def __str__(self):
        return f"Referee {self.position} of application {self.application.reference}"


class ReferenceRequest(models.Model):
    """An emailed request for a reference: a single-use link, of which only a hash is kept.

    sent: the link works until `expires_at`; answered: the referee replied (once, and the link
    is spent); cancelled: a newer request to the same referee replaced it. The referee's
    answers are evidence; the registrar decides, and that decision is the IdentityCheck of type
    reference this request points to.
    """

    class Status(models.TextChoices):
        SENT = "sent", "Sent"
        ANSWERED = "answered", "Answered"
        CANCELLED = "cancelled", "Replaced by a newer request"

    referee = models.ForeignKey(Referee, on_delete=models.PROTECT, related_name="requests")
    token_hash = models.CharField(max_length=64, unique=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.SENT)
    sent_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    sent_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    answered_at = models.DateTimeField(null=True, blank=True)
    # The referee's answers: what they say about the applicant is personal data about both.
    knows_applicant = EncryptedBooleanField(null=True)
    how_known = EncryptedTextField(blank=True)
    has_concerns = EncryptedBooleanField(null=True)
    concerns_details = EncryptedTextField(blank=True)
    comments = EncryptedTextField(blank=True)
    identity_check = models.OneToOneField(
        "IdentityCheck",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reference_request",
    )

    class Meta:
        ordering = ["-sent_at", "-id"]

    def __str__(self):
        return f"Reference request {self.pk} ({self.get_status_display()})"

    @property
    def is_expired(self) -> bool:
        return self.status == self.Status.SENT and self.expires_at <= timezone.now()

    @property
    def state_label(self) -> str:
        """What a registrar sees: sent (until when), answered, expired, or replaced."""
        if self.is_expired:
            return "Expired"
        return self.get_status_display()


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


class IdentityCheckResolution(models.Model):
    """A registrar's resolution of a check that failed or was referred, with the reason: until
    it has one, such a check blocks approval, whatever other checks of its type passed."""

    identity_check = models.OneToOneField(
        IdentityCheck, on_delete=models.PROTECT, related_name="resolution"
    )
    reason = models.TextField()
    resolved_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    resolved_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"Resolution of {self.identity_check}"


class ApplicationSentBack(models.Model):
    """A first approval cleared because the checks changed after it: the application went back
    to waiting for a first approval, and this says why, for the registrars."""

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="sent_back")
    reason = models.TextField()
    first_approver = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    sent_back_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    sent_back_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-sent_back_at", "-id"]
        verbose_name_plural = "applications sent back"

    def __str__(self):
        return f"Application {self.application_id} sent back"


class RegistrationNumberSequence(models.Model):
    """The last registration number issued, in one row that approvals lock in turn."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    last_value = models.PositiveIntegerField(default=1000000)

    def __str__(self):
        return f"Last registration number {self.last_value}"


class ConcernCategory(models.TextChoices):
    """What a fitness to practise concern is about, kept with the outcome it led to (a warning,
    a condition, a sanction suspension, a removal) and shown with it on the public register.
    Health is special-category data: an outcome about health is never shown publicly, nor is
    its category (`public_label`). The concerns app takes its choices from here."""

    POOR_PRACTICE = "poor_practice", "Poor practice"
    DISHONESTY = "dishonesty", "Dishonesty"
    THEFT = "theft", "Theft"
    ABUSE_OR_NEGLECT = "abuse_or_neglect", "Abuse or neglect"
    HEALTH = "health", "Health"
    OTHER = "other", "Other"

    @classmethod
    def public_label(cls, value: str) -> str | None:
        """The label the public register shows, or None: none given, or health."""
        if not value or value == cls.HEALTH:
            return None
        return cls(value).label


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
    # What the concern behind a sanction suspension or a fitness to practise removal was about;
    # blank otherwise, and cleared when the suspension ends.
    sanction_category = models.CharField(max_length=32, choices=ConcernCategory.choices, blank=True)
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
    """A condition on practice, a warning, or an annotation such as a specialist qualification.

    The public text appears on the register until the annotation ends, or until its `ends_on`
    day has passed (a warning is published for a set period; a condition may have an end too).
    A health-related one never does, whatever its text, because health is special-category
    data; nor does one whose category of concern is health.
    """

    class Kind(models.TextChoices):
        CONDITION = "condition", "Condition"
        ANNOTATION = "annotation", "Annotation"
        # A fitness to practise outcome that does not change the entry's status.
        WARNING = "warning", "Warning"

    entry = models.ForeignKey(RegisterEntry, on_delete=models.PROTECT, related_name="annotations")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    public_text = models.TextField(blank=True)
    private_notes = models.TextField(blank=True)
    is_health_related = models.BooleanField(default=False)
    # The last day it is published; end_expired_sanctions ends it the day after.
    ends_on = models.DateField(null=True, blank=True)
    category = models.CharField(max_length=32, choices=ConcernCategory.choices, blank=True)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self):
        return f"{self.get_kind_display()} on {self.entry.registration_number}"

    @property
    def has_run_out(self) -> bool:
        """Its last day has passed, whether or not the daily command has ended it yet."""
        return self.ends_on is not None and self.ends_on < timezone.localdate()

    @property
    def is_public(self) -> bool:
        return (
            bool(self.public_text)
            and not self.is_health_related
            and self.category != ConcernCategory.HEALTH
            and self.ended_at is None
            and not self.has_run_out
        )

    @property
    def public_category(self) -> str | None:
        return ConcernCategory.public_label(self.category)


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
    # The declarations again, encrypted at rest like the application's.
    has_criminal_record = EncryptedBooleanField()
    criminal_record_details = EncryptedTextField(blank=True)
    has_health_condition = EncryptedBooleanField()
    health_condition_details = EncryptedTextField(blank=True)
    has_fitness_to_practise_history = EncryptedBooleanField()
    fitness_to_practise_details = EncryptedTextField(blank=True)
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


class CodeOfConduct(models.Model):
    """One version of the code of conduct the associations publish for everyone on the register.

    The current version is the newest published: the highest version number. Earlier versions
    stay readable, since each acceptance names the version it was. `principles` is a list of
    {"heading": str, "statements": [str, ...]}, each statement a "you will..." sentence.
    """

    version = models.PositiveIntegerField(unique=True)
    title = models.CharField(max_length=200)
    summary = models.TextField(help_text="What changed since the version before.")
    principles = models.JSONField()
    published_at = models.DateTimeField(default=timezone.now)
    # Nobody for the first version, which a migration wrote.
    published_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-version"]
        verbose_name = "code of conduct"
        verbose_name_plural = "codes of conduct"
        constraints = [
            models.CheckConstraint(condition=models.Q(version__gte=1), name="code_version_from_one")
        ]

    def __str__(self):
        return f"{self.title}, version {self.version}"


class CodeAcceptance(models.Model):
    """A person's acceptance of one version of the code of conduct: when, and on which page.
    One row per person and version; accepting the same version again changes nothing."""

    class How(models.TextChoices):
        APPLICATION = "application", "When applying"
        SIGN_IN = "sign_in", "At sign-in"
        RENEWAL = "renewal", "When renewing"

    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="code_acceptances")
    code = models.ForeignKey(CodeOfConduct, on_delete=models.PROTECT, related_name="acceptances")
    how = models.CharField(max_length=16, choices=How.choices)
    accepted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-accepted_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["user", "code"], name="one_acceptance_per_version")
        ]

    def __str__(self):
        return f"{self.user} accepted version {self.code.version}"
