"""An application's life after it is sent: the employer moves it through the stages, each move
checked against `Application.TRANSITIONS`, recorded in its timeline and the audit log
(`jobs.application.<stage>`), and told to the applicant by email. Every application ends with
an outcome and a message: none is left to silence."""

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from core.audit import audit_log
from core.errors import ApplicationError
from core.notifications import email_from_template
from jobs.models import Application, ApplicationEvent, JobTrial
from jobs.services import checks
from jobs.signals import application_stage_moved

Stage = Application.Stage

# How each stage reads after "this application is".
AS_A_STATE = {
    Stage.RECEIVED: "received and not looked at yet",
    Stage.SHORTLISTED: "shortlisted",
    Stage.INTERVIEW: "at the interview stage",
    Stage.TRIAL_OFFERED: "at the job trial stage",
    Stage.OFFER: "at the offer stage",
    Stage.CHECKS: "at the pre-employment checks",
    Stage.HIRED: "finished: the applicant was hired",
    Stage.NOT_PROGRESSED: "finished: it was not progressed",
    Stage.WITHDRAWN: "finished: the applicant withdrew it",
}

# Ending an application needs words for the applicant: a stage change alone may be sent with
# the service's standard wording.
MESSAGE_REQUIRED = {Stage.NOT_PROGRESSED}

LIVE_TRIAL_REFUSAL = (
    "This application has a paid trial offered or booked. Cancel the trial first, or record its "
    "hours, on its trial page."
)


def application_has_live_trial(application: Application) -> bool:
    """Whether a trial on the application is still offered, waiting on a new time, or booked."""
    return JobTrial.objects.filter(application=application, status__in=JobTrial.LIVE).exists()


class ApplicationStageError(ApplicationError):
    """The move is not allowed from the application's current stage, or lacks its message."""


def _locked(application: Application) -> Application:
    return Application.objects.select_for_update(of=("self",)).get(pk=application.pk)


def application_move_locked(
    *, application: Application, to: str, actor: User | None, message: str = ""
) -> Application:
    """Move an application already locked by the caller's transaction to stage `to`: the one
    place a stage changes. `actor` is None when the clock moves it."""
    old = application.stage
    if to not in Application.TRANSITIONS[old]:
        raise ApplicationStageError(
            f"This application is {AS_A_STATE[old]}, so it cannot be moved to "
            f"“{Stage(to).label.lower()}”."
        )
    # Moving on past a live trial would leave it acceptable and reminded on an application
    # that has moved on, and skip the pay a late cancellation owes: the employer cancels it
    # (jobs.services.trials.trial_cancel) or records its hours first. The candidate's withdrawal
    # ends it itself (jobs.services.trials.trial_end_on_withdrawal_locked).
    if (
        old == Stage.TRIAL_OFFERED
        and to != Stage.WITHDRAWN
        and application_has_live_trial(application)
    ):
        raise ApplicationStageError(LIVE_TRIAL_REFUSAL)
    message = (message or "").strip()
    if to in MESSAGE_REQUIRED and not message:
        raise ApplicationStageError(
            "Write a message to the applicant: every application ends with one."
        )
    if to == Stage.HIRED:
        # The pre-employment checks come first: no hire while any is unfinished.
        checks.checklist_require_finished(application=application)
    now = timezone.now()
    application.stage = to
    application.stage_changed_at = now
    application.message = message
    application.save(update_fields=["stage", "stage_changed_at", "message"])
    ApplicationEvent.objects.create(
        application=application, stage=to, from_stage=old, actor=actor, message=message, at=now
    )
    audit_log(
        action=f"jobs.application.{to}",
        actor=actor,
        target=application,
        old_status=old,
        new_status=to,
        data={"vacancy": application.vacancy.reference},
    )
    application_stage_moved.send(sender=Application, application=application, old=old, to=to)
    if to == Stage.OFFER:
        checks.checklist_open_locked(application=application, actor=actor)
    elif to == Stage.HIRED:
        checks.checklist_hire_locked(application=application, actor=actor)
    email_from_template(
        to=[application.applicant.email],
        template="jobs/application_stage",
        context={"application": application, "vacancy": application.vacancy, "message": message},
    )
    return application


def application_move(
    *, application: Application, to: str, actor: User, message: str = ""
) -> Application:
    """The employer moves an application to stage `to`, with an optional message to the
    applicant (required to end it). The caller has checked the actor may manage it."""
    with transaction.atomic():
        locked = _locked(application)
        locked.vacancy = application.vacancy
        application_move_locked(application=locked, to=to, actor=actor, message=message)
    return locked
