"""The employer's moves on its pipeline: one applicant at a time, or many "not progressed" at
once with one message (all or none), and the pipeline's CSV export. Every stage change goes
through jobs.services.applications (the one place a stage changes), which records it in the
application's timeline and the audit log and tells the applicant."""

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from accounts.permissions import require
from core.audit import audit_log
from core.csv_safety import csv_text
from core.errors import ApplicationError
from employers.services.verification import employer_require_verified
from jobs.models import Application, InterviewSlot, JobTrial, Vacancy
from jobs.selectors.pipeline import EMPLOYER_MOVES, Pipeline, applicant_name, free_slots
from jobs.services.applications import (
    AS_A_STATE,
    application_move,
    application_move_locked,
)

Stage = Application.Stage

MAX_MESSAGE_LENGTH = 2000


class PipelineError(ApplicationError):
    pass


class BulkMoveRefused(PipelineError):
    """Some of the ticked applicants cannot be moved; `problems` says which, and why. None was
    moved."""

    def __init__(self, message: str, problems: list[str]):
        super().__init__(message)
        self.problems = problems


def _check_message(message: str, *, required: bool) -> str:
    message = (message or "").strip()
    if required and not message:
        raise PipelineError(
            "Write a message to the applicant: every application ends with one, so nobody is "
            "left to wonder.",
            field="message",
        )
    if len(message) > MAX_MESSAGE_LENGTH:
        raise PipelineError(
            f"Keep the message to {MAX_MESSAGE_LENGTH} characters or fewer.", field="message"
        )
    return message


def _release_future_slot(application: Application) -> None:
    # An application that ends gives back an interview still to come, so another applicant
    # can book it; one already held stays on record beside it.
    InterviewSlot.objects.filter(booked_by=application, starts_at__gt=timezone.now()).update(
        booked_by=None, booked_at=None
    )


def applicant_move(
    *, application: Application, to: str, user: User, message: str = ""
) -> Application:
    """A member of the employer moves one applicant on: shortlist, invite to an interview (only
    once the vacancy has a free interview slot to come, which the applicant books), offer a
    paid trial, make an offer, or not progress (with a message)."""
    require(user, "application.manage", application)
    employer_require_verified(application.vacancy.organisation)
    if to not in EMPLOYER_MOVES:
        raise PipelineError("Choose what happens next.", field="to")
    message = _check_message(message, required=to == Stage.NOT_PROGRESSED)
    if to == Stage.INTERVIEW and not free_slots(application.vacancy):
        raise PipelineError(
            "Add interview times first: the applicant chooses one of them when you invite them.",
            field="to",
        )
    with transaction.atomic():
        moved = application_move(application=application, to=to, actor=user, message=message)
        if to == Stage.NOT_PROGRESSED:
            _release_future_slot(moved)
    return moved


def applicants_not_progress(
    *, vacancy: Vacancy, references: list[str], user: User, message: str
) -> list[Application]:
    """Several applicants not progressed at once, each told with the same message. All are
    moved, or none: if any cannot be (it has ended, or is no longer the vacancy's), nothing
    changes and BulkMoveRefused names each one."""
    require(user, "application.manage", vacancy)
    employer_require_verified(vacancy.organisation)
    message = _check_message(message, required=True)
    references = sorted(set(references))
    if not references:
        raise PipelineError("Tick at least one applicant.", field="applications")
    with transaction.atomic():
        # In the order of their ids, as every other locker of applications takes them, so two
        # employers' members moving overlapping sets wait for each other instead of deadlocking.
        locked = list(
            Application.objects.select_for_update(of=("self",))
            .filter(vacancy=vacancy, reference__in=references)
            .select_related("applicant", "entry")
            .order_by("pk")
        )
        problems = []
        found = {application.reference for application in locked}
        for reference in references:
            if reference not in found:
                problems.append(f"{reference}: not an application for this vacancy")
        # One read for all of them: a live trial is cancelled, or its hours recorded, first.
        with_live_trial = set(
            JobTrial.objects.filter(application__in=locked, status__in=JobTrial.LIVE).values_list(
                "application_id", flat=True
            )
        )
        for application in locked:
            if Stage.NOT_PROGRESSED not in Application.TRANSITIONS[application.stage]:
                problems.append(
                    f"{applicant_name(application)} ({application.reference}): this application "
                    f"is {AS_A_STATE[application.stage]}"
                )
            elif application.pk in with_live_trial:
                problems.append(
                    f"{applicant_name(application)} ({application.reference}): a paid trial is "
                    "offered or booked, so cancel the trial first, or record its hours"
                )
        if problems:
            raise BulkMoveRefused(
                "Nobody was moved, because some of the applicants you ticked cannot be: untick "
                "them and try again.",
                problems,
            )
        for application in locked:
            application.vacancy = vacancy
            application_move_locked(
                application=application, to=Stage.NOT_PROGRESSED, actor=user, message=message
            )
            _release_future_slot(application)
    return locked


CSV_HEADER = [
    "Reference",
    "Name",
    "Email",
    "Applied on",
    "Stage",
    "Register status",
    "Registration number",
    "Passport shared",
    "Training",
    "Availability",
    "Statement",
]


def pipeline_export(*, user: User, pipeline: Pipeline) -> str:
    """The pipeline as the employer filtered it, as CSV safe to open in a spreadsheet (what an
    applicant wrote may start with "=", "+", "-" or "@"), recorded in the audit log as
    `jobs.pipeline.exported`."""
    vacancy = pipeline.vacancy
    require(user, "application.manage", vacancy)
    employer_require_verified(vacancy.organisation)
    questions = pipeline.questions
    header = CSV_HEADER + [question.text for question in questions]
    rows = [header]
    for row in pipeline.rows:
        application, verified = row.application, row.verified
        answers = [
            {True: "Yes", False: "No"}.get(row.answers.get(question.pk), "")
            for question in questions
        ]
        rows.append(
            [
                application.reference,
                row.name,
                application.applicant.email,
                timezone.localdate(application.submitted_at).isoformat(),
                application.get_stage_display(),
                verified.status_label,
                verified.entry.registration_number if verified.entry else "",
                "Yes" if verified.share == "live" else (verified.share_text or "No"),
                verified.training_summary,
                application.availability,
                application.statement,
                *answers,
            ]
        )
    audit_log(
        action="jobs.pipeline.exported",
        actor=user,
        target=vacancy,
        data={"applications": len(pipeline.rows)},
    )
    return csv_text(rows)
