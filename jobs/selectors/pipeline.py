"""Reads for the employer's pipeline of applicants and for interviews.

A vacancy's applicants are for the members of the employer that advertised it (rule
`application.manage`); to anyone else the vacancy's pipeline, and each applicant, do not exist
(404). Workers' data goes only to an employer a registrar has verified (ADR 0019):
EmployerNotVerified otherwise. An applicant's interview page is theirs alone.

Each applicant is shown with their verified state: not on the register, or their live register
status (always: the register is public), and, while the share their application made is live,
their training and, if they chose to share them, the outcomes of their identity checks."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count
from django.http import Http404
from django.utils import timezone

from accounts.models import User
from accounts.permissions import can
from core.audit import audit_log
from core.dates import format_day
from employers.services.verification import employer_require_verified
from jobs.models import Application, InterviewSlot, ScreeningAnswer, ScreeningQuestion, Vacancy
from passports.models import TrainingRecord, TrainingStandard
from passports.selectors import TrainingStates, summarise_training
from register.models import IdentityCheck, RegisterEntry

Stage = Application.Stage

SORTS = {
    "newest": "Newest first",
    "oldest": "Oldest first",
    "name": "Name",
    "stage": "Stage",
}
# The stages an employer moves an application to from the pipeline. Checks and hired belong to
# the pre-employment checks; withdrawn is the applicant's own.
EMPLOYER_MOVES = (
    Stage.SHORTLISTED,
    Stage.INTERVIEW,
    Stage.TRIAL_OFFERED,
    Stage.OFFER,
    Stage.NOT_PROGRESSED,
)
MOVE_LABELS = {
    Stage.SHORTLISTED: "Shortlist",
    Stage.INTERVIEW: "Invite to an interview",
    Stage.TRIAL_OFFERED: "Offer a paid job trial",
    Stage.OFFER: "Make an offer",
    Stage.NOT_PROGRESSED: "Do not progress",
}

NOT_ON_THE_REGISTER = "Not verified: not on the register"
SHARE_REVOKED = "The applicant stopped sharing their passport"


def applicant_name(application: Application) -> str:
    """The name on the register for someone on it; the name on their account otherwise."""
    if application.entry_id is not None:
        return application.entry.full_name
    return application.applicant.full_name


# --- The applicant's verified state ----------------------------------------------------------


@dataclass(frozen=True)
class IdentityCheckShared:
    """What an employer may know of a registrar's check: never the document or its number."""

    check_type: str
    outcome: str
    checked_on: date


@dataclass(frozen=True)
class VerifiedState:
    """What the employer may know of an applicant's registration and passport today.

    share: "live" (training, and identity checks if shared, are shown), "revoked" (the worker
    stopped sharing), "ended" (30 days after the vacancy closed), or "none" (not on the
    register, or applied without sharing)."""

    entry: RegisterEntry | None
    share: str
    share_ended_on: date | None = None
    training: TrainingStates | None = None
    identity_checks: list[IdentityCheckShared] | None = None

    @property
    def on_register(self) -> bool:
        return self.entry is not None

    @property
    def status_label(self) -> str:
        if self.entry is None:
            return NOT_ON_THE_REGISTER
        return self.entry.get_status_display()

    @property
    def may_practise(self) -> bool:
        return self.entry is not None and self.entry.may_practise

    @property
    def share_text(self) -> str:
        if self.share == "revoked":
            return SHARE_REVOKED
        if self.share == "ended":
            return f"Sharing ended on {format_day(self.share_ended_on)}"
        if self.share == "none" and self.entry is not None:
            return "The applicant did not share their passport"
        return ""

    @property
    def training_counts(self) -> dict[str, int]:
        counts = {"valid": 0, "due": 0, "expired": 0}
        if self.training is not None:
            for item in self.training.counted:
                counts[item.state] += 1
        return counts

    @property
    def training_attention(self) -> bool:
        """Training due for renewal, expired, or needed for the role and not held."""
        if self.training is None:
            return False
        counts = self.training_counts
        return bool(counts["due"] or counts["expired"] or self.training.needed)

    @property
    def training_summary(self) -> str:
        if self.training is None:
            return ""
        counts = self.training_counts
        parts = [f"{counts['valid']} valid"]
        if counts["due"]:
            parts.append(f"{counts['due']} due for renewal")
        if counts["expired"]:
            parts.append(f"{counts['expired']} expired")
        if self.training.needed:
            parts.append(f"{len(self.training.needed)} needed for the role")
        return ", ".join(parts)


def _share_state(application: Application, *, now) -> tuple[str, date | None]:
    share = application.share
    if application.entry_id is None or share is None:
        return "none", None
    if share.revoked_at is not None:
        return "revoked", None
    if not share.is_live(now=now):
        return "ended", timezone.localdate(share.expires_at)
    return "live", None


def verified_states(applications: list[Application], *, today: date) -> dict[int, VerifiedState]:
    """The verified state of each application, by its id: four queries, whatever the number
    of applicants (records, standards, identity checks)."""
    now = timezone.now()
    shares = {application.pk: _share_state(application, now=now) for application in applications}
    live = [application for application in applications if shares[application.pk][0] == "live"]
    entry_ids = {application.entry_id for application in live}
    records_by_entry: dict[int, list[TrainingRecord]] = defaultdict(list)
    required_by_role: dict[int, list[TrainingStandard]] = defaultdict(list)
    checks_by_application: dict[int, list[IdentityCheckShared]] = defaultdict(list)
    if entry_ids:
        for record in (
            TrainingRecord.objects.filter(entry_id__in=entry_ids)
            .select_related("standard", "provider")
            .order_by("-completed_on", "-id")
        ):
            records_by_entry[record.entry_id].append(record)
        role_ids = {application.entry.pathway_role_id for application in live} - {None}
        through = TrainingStandard.required_for.through
        for link in through.objects.filter(
            pathwayrole_id__in=role_ids, trainingstandard__is_active=True
        ).select_related("trainingstandard"):
            required_by_role[link.pathwayrole_id].append(link.trainingstandard)
        for role_id in required_by_role:
            required_by_role[role_id].sort(key=lambda standard: (standard.category, standard.title))
        shared_applications = {
            application.entry.application_id: application.pk
            for application in live
            if application.shares_identity_checks
        }
        for check in (
            IdentityCheck.objects.filter(application_id__in=shared_applications)
            .only("application_id", "check_type", "outcome", "checked_at")
            .order_by("checked_at", "id")
        ):
            checks_by_application[shared_applications[check.application_id]].append(
                IdentityCheckShared(
                    check_type=check.get_check_type_display(),
                    outcome=check.get_outcome_display(),
                    checked_on=timezone.localdate(check.checked_at),
                )
            )
    states = {}
    for application in applications:
        share, ended_on = shares[application.pk]
        entry = application.entry if application.entry_id is not None else None
        if share != "live":
            states[application.pk] = VerifiedState(
                entry=entry, share=share, share_ended_on=ended_on
            )
            continue
        training = summarise_training(
            records=records_by_entry[entry.pk],
            required=required_by_role.get(entry.pathway_role_id, []),
            today=today,
        )
        states[application.pk] = VerifiedState(
            entry=entry,
            share="live",
            training=training,
            identity_checks=(
                checks_by_application[application.pk]
                if application.shares_identity_checks
                else None
            ),
        )
    return states


# --- The pipeline -----------------------------------------------------------------------------


def vacancy_for_pipeline(*, user: User, reference: str) -> Vacancy:
    """A vacancy whose applicants the user may see; to anyone else it does not exist. Whether
    its employer is verified is for the caller to check (the reads below check it too)."""
    vacancy = Vacancy.objects.select_related("organisation").filter(reference=reference).first()
    if vacancy is None or not can(user, "application.manage", vacancy):
        raise Http404("No such vacancy.")
    return vacancy


@dataclass(frozen=True)
class PipelineFilters:
    """What the employer chose to see: a stage ("open" for every stage not final), verified or
    not ("yes" or "no"), one screening question answered yes or no, training needing
    attention, and the order."""

    stage: str = ""
    verified: str = ""
    question: int | None = None
    answer: str = ""
    training_attention: bool = False
    sort: str = "newest"

    @property
    def any(self) -> bool:
        return bool(
            self.stage
            or self.verified
            or (self.question and self.answer)
            or self.training_attention
        )


@dataclass(frozen=True)
class PipelineRow:
    application: Application
    name: str
    verified: VerifiedState
    answers: dict[int, bool]
    # Each of the vacancy's questions with this applicant's answer (None: not answered).
    answer_list: list[tuple[ScreeningQuestion, bool | None]] = field(default_factory=list)


@dataclass(frozen=True)
class Pipeline:
    vacancy: Vacancy
    rows: list[PipelineRow]
    # Every stage with its number of applications, whatever the filters.
    counts: list[tuple[str, str, int]]
    total: int
    questions: list[ScreeningQuestion] = field(default_factory=list)


def _filtered(vacancy: Vacancy, filters: PipelineFilters):
    applications = Application.objects.filter(vacancy=vacancy)
    if filters.stage == "open":
        applications = applications.exclude(stage__in=Application.FINAL)
    elif filters.stage in Stage.values:
        applications = applications.filter(stage=filters.stage)
    if filters.verified == "yes":
        applications = applications.filter(entry__isnull=False)
    elif filters.verified == "no":
        applications = applications.filter(entry__isnull=True)
    if filters.question and filters.answer in ("yes", "no"):
        applications = applications.filter(
            answers__question_id=filters.question, answers__answer=filters.answer == "yes"
        )
    return applications


def _sorted(rows: list[PipelineRow], sort: str) -> list[PipelineRow]:
    if sort == "oldest":
        return sorted(rows, key=lambda row: (row.application.submitted_at, row.application.pk))
    if sort == "name":
        return sorted(rows, key=lambda row: (row.name.casefold(), row.application.pk))
    if sort == "stage":
        order = list(Stage.values)
        return sorted(
            rows,
            key=lambda row: (order.index(row.application.stage), row.name.casefold()),
        )
    return sorted(
        rows, key=lambda row: (row.application.submitted_at, row.application.pk), reverse=True
    )


def pipeline(
    *, user: User, vacancy: Vacancy, filters: PipelineFilters | None = None, today: date
) -> Pipeline:
    """The vacancy's applicants as the filters choose them, each with their verified state and
    screening answers, and the number at each stage."""
    if not can(user, "application.manage", vacancy):
        raise Http404("No such vacancy.")
    employer_require_verified(vacancy.organisation)
    filters = filters or PipelineFilters()
    applications = list(
        _filtered(vacancy, filters)
        .select_related("applicant", "entry", "share")
        .order_by("-submitted_at", "-id")
    )
    states = verified_states(applications, today=today)
    answers: dict[int, dict[int, bool]] = defaultdict(dict)
    for application_id, question_id, answer in ScreeningAnswer.objects.filter(
        application__in=[application.pk for application in applications]
    ).values_list("application_id", "question_id", "answer"):
        answers[application_id][question_id] = answer
    questions = list(vacancy.questions.all())
    rows = [
        PipelineRow(
            application,
            applicant_name(application),
            states[application.pk],
            answers[application.pk],
            [(question, answers[application.pk].get(question.pk)) for question in questions],
        )
        for application in applications
    ]
    if filters.training_attention:
        rows = [row for row in rows if row.verified.training_attention]
    by_stage = dict(
        Application.objects.filter(vacancy=vacancy)
        .values_list("stage")
        .annotate(count=Count("pk"))
        .values_list("stage", "count")
    )
    counts = [(stage.value, stage.label, by_stage.get(stage.value, 0)) for stage in Stage]
    return Pipeline(
        vacancy=vacancy,
        rows=_sorted(rows, filters.sort if filters.sort in SORTS else "newest"),
        counts=counts,
        total=sum(by_stage.values()),
        questions=questions,
    )


# --- One applicant ----------------------------------------------------------------------------


@dataclass(frozen=True)
class ApplicantPage:
    application: Application
    name: str
    verified: VerifiedState
    answers: list[tuple[ScreeningQuestion, bool | None]]
    events: list
    slot: InterviewSlot | None
    moves: list[tuple[str, str]]


def applicant_get(*, user: User, vacancy: Vacancy, reference: str) -> Application:
    """One of the vacancy's applications, for a member of its employer."""
    if not can(user, "application.manage", vacancy):
        raise Http404("No such applicant.")
    application = (
        Application.objects.select_related("applicant", "entry", "share", "vacancy")
        .filter(vacancy=vacancy, reference=reference)
        .first()
    )
    if application is None:
        raise Http404("No such applicant.")
    application.vacancy = vacancy
    return application


def moves_for(application: Application) -> list[tuple[str, str]]:
    """The moves the employer may make from the application's stage, as (stage, label)."""
    allowed = Application.TRANSITIONS[application.stage]
    return [(stage.value, MOVE_LABELS[stage]) for stage in EMPLOYER_MOVES if stage in allowed]


def applicant_page(*, user: User, vacancy: Vacancy, reference: str, today: date) -> ApplicantPage:
    """Everything about one applicant the employer may see. Reading their passport (training
    and identity checks, while the share is live) is recorded in the audit log here, where it is
    read for the employer, as `jobs.application.passport_opened`."""
    application = applicant_get(user=user, vacancy=vacancy, reference=reference)
    employer_require_verified(vacancy.organisation)
    verified = verified_states([application], today=today)[application.pk]
    if verified.share == "live":
        audit_log(
            action="jobs.application.passport_opened",
            actor=user,
            target=application,
            data={
                "vacancy": vacancy.reference,
                "entry_id": application.entry_id,
                "identity_checks": verified.identity_checks is not None,
            },
        )
    given = dict(application.answers.values_list("question_id", "answer"))
    answers = [(question, given.get(question.pk)) for question in vacancy.questions.all()]
    return ApplicantPage(
        application=application,
        name=applicant_name(application),
        verified=verified,
        answers=answers,
        events=list(application.events.select_related("actor")),
        slot=InterviewSlot.objects.filter(booked_by=application).first(),
        moves=moves_for(application),
    )


# --- Interview slots ---------------------------------------------------------------------------


def interview_slots(*, user: User, vacancy: Vacancy) -> list[InterviewSlot]:
    """Every slot of the vacancy, soonest first, with who booked it."""
    if not can(user, "application.manage", vacancy):
        raise Http404("No such vacancy.")
    return list(vacancy.interview_slots.select_related("booked_by__applicant", "booked_by__entry"))


def free_slots(vacancy: Vacancy, *, now=None) -> list[InterviewSlot]:
    """The slots nobody has booked that are still to come."""
    now = now or timezone.now()
    return list(vacancy.interview_slots.filter(booked_by__isnull=True, starts_at__gt=now))


@dataclass(frozen=True)
class InterviewPage:
    application: Application
    slot: InterviewSlot | None
    free: list[InterviewSlot]

    @property
    def may_book(self) -> bool:
        return self.application.stage == Stage.INTERVIEW

    @property
    def may_change(self) -> bool:
        return self.may_book and (self.slot is None or self.slot.starts_at > timezone.now())


def application_for_applicant(*, user: User, reference: str) -> Application:
    """The user's own application; anyone else's does not exist for them."""
    application = (
        Application.objects.select_related("vacancy__organisation")
        .filter(reference=reference)
        .first()
    )
    if application is None or not can(user, "interview.book", application):
        raise Http404("No such application.")
    return application


def interview_page(*, user: User, reference: str) -> InterviewPage:
    """The applicant's interview: the slot they booked, if any, and the free ones to come."""
    application = application_for_applicant(user=user, reference=reference)
    slot = InterviewSlot.objects.filter(booked_by=application).first()
    return InterviewPage(
        application=application,
        slot=slot,
        free=free_slots(application.vacancy) if application.stage == Stage.INTERVIEW else [],
    )
