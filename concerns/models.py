"""Concerns about registrants, and how each is decided: a case.

A concern is raised by a member of the public, an employer or a colleague (an account is not
needed); once its email address is confirmed it becomes a case that registrars screen,
investigate, decide and, on appeal, decide again. Who raised it and what they said are
encrypted at rest; where the raiser asked, the worker never learns who they are. The figures
the yearly report gives are kept apart, in `CaseFigures`, without anything that identifies
anyone, so that deleting a case closed with no action leaves the report as it was.

docs/concerns.md explains the process and its time limits in plain English.
"""

import secrets

from django.db import models
from django.utils import timezone

from accounts.models import Organisation, User
from core.encryption import (
    EncryptedCharField,
    EncryptedFileKeyField,
    EncryptedTextField,
    file_decrypt,
)
from core.references import reference_new
from register.models import ConcernCategory, EvidenceFile, RegisterEntry


class Case(models.Model):
    """One concern about one worker, from the moment it is raised until it is closed.

    unconfirmed: raised by someone without an account, waiting for them to confirm their email
    address (it is not a case yet: registrars never see it, and it is deleted if not confirmed);
    received: waiting to be screened (within CONCERN_SCREENING_WORKING_DAYS working days);
    screened: a registrar has recorded the risk and whether to investigate;
    investigating: the worker has been told and may respond; evidence is gathered;
    decided: two registrars who did not screen it have decided the outcome, with reasons;
    appeal_window: the worker may appeal until `appeal_due`;
    appealed: two registrars who took no part in the decision are deciding the appeal;
    closed: nothing more will happen (screened out, decided and not appealed, or appeal decided).
    """

    class Status(models.TextChoices):
        UNCONFIRMED = "unconfirmed", "Waiting for email confirmation"
        RECEIVED = "received", "Received"
        SCREENED = "screened", "Screened"
        INVESTIGATING = "investigating", "Investigating"
        DECIDED = "decided", "Decided"
        APPEAL_WINDOW = "appeal_window", "Open to appeal"
        APPEALED = "appealed", "Appeal being decided"
        CLOSED = "closed", "Closed"

    # The one table of allowed moves (services/cases.py `_move` refuses any other).
    TRANSITIONS = {
        Status.UNCONFIRMED: {Status.RECEIVED},
        Status.RECEIVED: {Status.SCREENED},
        # Screening either opens an investigation or finds nothing a register acts on.
        Status.SCREENED: {Status.INVESTIGATING, Status.CLOSED},
        Status.INVESTIGATING: {Status.DECIDED},
        # No action cannot be appealed, so such a decision closes the case at once.
        Status.DECIDED: {Status.APPEAL_WINDOW, Status.CLOSED},
        Status.APPEAL_WINDOW: {Status.APPEALED, Status.CLOSED},
        Status.APPEALED: {Status.CLOSED},
        Status.CLOSED: set(),
    }
    # Cases a registrar has work on: shown in the queue.
    OPEN = {
        Status.RECEIVED,
        Status.SCREENED,
        Status.INVESTIGATING,
        Status.DECIDED,
        Status.APPEAL_WINDOW,
        Status.APPEALED,
    }

    class Source(models.TextChoices):
        PUBLIC = "public", "Member of the public"
        EMPLOYER = "employer", "Employer"
        COLLEAGUE = "colleague", "Colleague"

    class Risk(models.TextChoices):
        LOW = "low", "Low"
        MEDIUM = "medium", "Medium"
        SERIOUS = "serious", "Serious"

    class ScreeningResult(models.TextChoices):
        INVESTIGATE = "investigate", "Investigate"
        NO_CASE = "no_case", "Close: nothing the register acts on"

    class Outcome(models.TextChoices):
        NO_ACTION = "no_action", "No action"
        ADVICE = "advice", "Advice"
        WARNING = "warning", "Warning"
        CONDITIONS = "conditions", "Conditions"
        SUSPENSION = "suspension", "Suspension"
        REMOVAL = "removal", "Removal"

    reference = models.CharField(max_length=16, unique=True, default=reference_new)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.UNCONFIRMED)
    category = models.CharField(max_length=24, choices=ConcernCategory.choices)
    source = models.CharField(max_length=16, choices=Source.choices)

    # Who the concern is about: an entry when the raiser gave a registration number that
    # matched, or when the screening registrar found the worker from a name and workplace.
    entry = models.ForeignKey(
        RegisterEntry, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    named_worker = EncryptedCharField(max_length=200, blank=True)
    named_workplace = EncryptedCharField(max_length=200, blank=True)
    given_registration_number = models.CharField(max_length=12, blank=True)

    # What happened, in the raiser's words.
    what_happened = EncryptedTextField()
    when_happened = EncryptedCharField(max_length=200)

    # Who raised it. Anonymous: no name and no contact kept (the confirmation address is
    # erased once confirmed), so nobody can ask them questions or tell them the outcome.
    anonymous = models.BooleanField(default=False)
    raiser_name = EncryptedCharField(max_length=200, blank=True)
    raiser_email = EncryptedCharField(max_length=254, blank=True)
    raiser_phone = EncryptedCharField(max_length=40, blank=True)
    raiser_user = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    raiser_organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # True: the worker never learns who raised the concern.
    identity_withheld = models.BooleanField(default=True)

    # The email confirmation: a single-use link, of which only a hash is kept.
    confirmation_hash = models.CharField(max_length=64, blank=True, db_index=True)
    confirmation_expires_at = models.DateTimeField(null=True, blank=True)

    raised_at = models.DateTimeField(default=timezone.now)
    received_at = models.DateTimeField(null=True, blank=True)
    screening_due = models.DateField(null=True, blank=True)
    screening_chased_on = models.DateField(null=True, blank=True)

    screened_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    screened_at = models.DateTimeField(null=True, blank=True)
    risk = models.CharField(max_length=16, choices=Risk.choices, blank=True)
    screening_result = models.CharField(max_length=16, choices=ScreeningResult.choices, blank=True)
    screening_reasons = EncryptedTextField(blank=True)

    # The allegation as the register puts it to the worker: written by the screening
    # registrar, never naming a raiser whose identity is withheld.
    allegation = EncryptedTextField(blank=True)
    investigation_started_at = models.DateTimeField(null=True, blank=True)
    # From when the worker may see the case: an investigation or an interim suspension.
    worker_told_at = models.DateTimeField(null=True, blank=True)
    response_due = models.DateField(null=True, blank=True)

    outcome = models.CharField(max_length=16, choices=Outcome.choices, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    appeal_due = models.DateField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    status_changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [
            models.Index(fields=["status", "screening_due"]),
            models.Index(fields=["status", "closed_at"]),
        ]

    def __str__(self):
        return f"Case {self.reference}"

    @property
    def screening_overdue(self) -> bool:
        return (
            self.status == self.Status.RECEIVED
            and self.screening_due is not None
            and self.screening_due < timezone.localdate()
        )

    @property
    def raiser_known(self) -> bool:
        return not self.anonymous


def new_confirmation_token() -> str:
    return secrets.token_urlsafe(32)


class StepLog(models.Model):
    """When each step of a case happened and who took it: the case's own timeline, kept
    beside the audit log so that a page can show it and the report can time it."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="steps")
    old_status = models.CharField(max_length=16, blank=True)
    new_status = models.CharField(max_length=16)
    by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    # What the step was, in words the worker may read ("Decision made", "Appeal received").
    note = models.CharField(max_length=200)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.case}: {self.note}"


class Participant(models.Model):
    """A registrar's part in a case. A registrar who screened never decides; a registrar who
    decided never decides the appeal; the worker and the raiser take no part in their own."""

    class Role(models.TextChoices):
        SCREENER = "screener", "Screened the case"
        INTERIM_REVIEWER = "interim_reviewer", "Reviewed the interim suspension"
        DECISION_MAKER = "decision_maker", "Decision maker"
        APPEAL_DECIDER = "appeal_decider", "Appeal decision maker"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="participants")
    registrar = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    role = models.CharField(max_length=20, choices=Role.choices)
    joined_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["case", "registrar", "role"], name="one_part_of_each_kind"
            )
        ]

    def __str__(self):
        return f"{self.registrar} on {self.case} ({self.get_role_display()})"


def _document_path(instance, filename):
    return f"concerns/{secrets.token_hex(16)}"


class Document(models.Model):
    """A file given as evidence on a case: by the raiser, the worker or a registrar. Encrypted
    on disk with a key of its own, like register evidence, and served only to those who may see
    the case. `shared_with_worker` says whether the worker may read and answer it."""

    class From(models.TextChoices):
        RAISER = "raiser", "The person who raised the concern"
        WORKER = "worker", "The worker"
        REGISTRAR = "registrar", "A registrar"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="documents")
    given_by = models.CharField(max_length=16, choices=From.choices)
    shared_with_worker = models.BooleanField(default=False)
    file = models.FileField(upload_to=_document_path)
    # The formats register evidence accepts, checked by the same code.
    content_type = models.CharField(max_length=32, choices=EvidenceFile.Kind.choices)
    original_name = EncryptedCharField(max_length=200)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField(default=timezone.now)
    data_key = EncryptedFileKeyField(editable=False)

    class Meta:
        ordering = ["uploaded_at", "id"]

    def __str__(self):
        return f"Document {self.pk} on {self.case}"

    def read(self) -> bytes:
        with self.file.open("rb") as stored:
            return file_decrypt(stored.read(), key=self.data_key)


class InterimOrder(models.Model):
    """An immediate suspension while a serious risk is looked into. The worker is told why and
    may respond by `response_due`; a second registrar, not the one who imposed it, reviews it.

    The order ends when a registrar lifts it (on review or later) or when the case is decided.
    """

    class Review(models.TextChoices):
        CONTINUE = "continue", "Continue the suspension"
        LIFT = "lift", "Lift the suspension"

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="interim_orders")
    imposed_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    imposed_at = models.DateTimeField(default=timezone.now)
    until = models.DateField()
    reasons = EncryptedTextField()
    response_due = models.DateField()
    worker_response = EncryptedTextField(blank=True)
    responded_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review = models.CharField(max_length=16, choices=Review.choices, blank=True)
    review_reasons = EncryptedTextField(blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["imposed_at", "id"]

    def __str__(self):
        return f"Interim suspension on {self.case}"

    @property
    def in_force(self) -> bool:
        return self.ended_at is None


class WorkerResponse(models.Model):
    """What the worker says about the allegation, in the service, with any documents."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="responses")
    text = EncryptedTextField()
    given_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["given_at", "id"]

    def __str__(self):
        return f"Response on {self.case}"


class Decision(models.Model):
    """An outcome with written reasons, made by two registrars: one proposes, a second agrees
    (both are recorded as decision makers). For an appeal, `on_appeal` is true, and `upheld`
    says whether the appeal succeeded; the outcome is then what replaces the first decision.

    proposed: waiting for a second registrar; made: agreed and in effect; declined: the second
    registrar did not agree, with reasons, and another proposal may be made.
    """

    class Status(models.TextChoices):
        PROPOSED = "proposed", "Waiting for a second registrar"
        MADE = "made", "Made"
        DECLINED = "declined", "Not agreed"

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="decisions")
    on_appeal = models.BooleanField(default=False)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PROPOSED)
    outcome = models.CharField(max_length=16, choices=Case.Outcome.choices)
    upheld = models.BooleanField(null=True, blank=True)
    reasons = EncryptedTextField()
    # What the public register shows for a warning or conditions, and what the worker is told.
    published_text = EncryptedTextField(blank=True)
    # Warnings are published, and suspensions last, until this day.
    until = models.DateField(null=True, blank=True)
    proposed_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    proposed_at = models.DateTimeField(default=timezone.now)
    agreed_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    agreed_at = models.DateTimeField(null=True, blank=True)
    declined_reasons = EncryptedTextField(blank=True)
    # The register annotation (warning or conditions) this decision put on the entry.
    annotation_id = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["proposed_at", "id"]

    def __str__(self):
        return f"{self.get_outcome_display()} on {self.case} ({self.get_status_display()})"


class Appeal(models.Model):
    """The worker's appeal against a decision, made within CONCERN_APPEAL_DAYS."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="appeal")
    grounds = EncryptedTextField()
    lodged_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"Appeal on {self.case}"


class CaseFigures(models.Model):
    """What the yearly transparency report counts about one case, and nothing that identifies
    anyone: no worker, no raiser, no words. It outlives the case when a case closed with no
    action is deleted after the retention period."""

    case = models.OneToOneField(
        Case, null=True, blank=True, on_delete=models.SET_NULL, related_name="figures"
    )
    received_on = models.DateField()
    category = models.CharField(max_length=24, choices=ConcernCategory.choices)
    source = models.CharField(max_length=16, choices=Case.Source.choices)
    working_days_to_screen = models.PositiveIntegerField(null=True, blank=True)
    days_to_decide = models.PositiveIntegerField(null=True, blank=True)
    screened_out = models.BooleanField(default=False)
    interim_suspension = models.BooleanField(default=False)
    outcome = models.CharField(max_length=16, choices=Case.Outcome.choices, blank=True)
    appealed = models.BooleanField(default=False)
    appeal_upheld = models.BooleanField(null=True, blank=True)
    deleted_on = models.DateField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["received_on"])]

    def __str__(self):
        return f"Figures for a case received on {self.received_on}"
