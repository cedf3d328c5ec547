# ruff: noqa: F811  (pytest fixtures imported from tests/jobs/trial_fixtures.py)
"""An application that ends takes its live trial with it, or waits for it: the candidate's
withdrawal cancels a trial still to come (nothing owed: it was their choice) and keeps one
already started, whose hours are still paid; the employer cannot end or move an application
past a live trial, by hand, in bulk, or by the chasing clock."""

import datetime
from datetime import timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from core.errors import ApplicationError
from core.models import AuditEvent
from jobs.models import Application, InterviewSlot, JobTrial, TrialPay
from jobs.services import pipeline, trials
from jobs.services.applying import application_withdraw, applications_chase
from jobs.services.vacancies import vacancy_close
from tests.jobs.trial_fixtures import an_offer, pat, tomorrow_at, vacancy  # noqa: F401

Stage = Application.Stage
Status = JobTrial.Status


def offered(application, employer, **overrides) -> JobTrial:
    return trials.trial_offer(application=application, actor=employer, offer=an_offer(**overrides))


# The candidate withdraws -----------------------------------------------------------------------


@pytest.mark.parametrize("answer", [None, "accept", "propose"])
def test_withdrawing_cancels_a_trial_still_to_come_and_owes_nothing(
    pat, employer, answer, django_capture_on_commit_callbacks
):
    trial = offered(pat, employer, starts_at=timezone.now() + timedelta(hours=20))
    if answer:
        trials.trial_answer(
            trial=trial, user=pat.applicant, answer=answer, proposed_time="Any afternoon."
        )
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        application_withdraw(application=pat, applicant=pat.applicant)

    trial.refresh_from_db()
    assert trial.status == Status.CANCELLED
    assert trial.cancel_reason == "The candidate withdrew their application."
    assert not TrialPay.objects.exists()
    event = AuditEvent.objects.get(action="jobs.trial.cancelled")
    assert event.actor_id == pat.applicant.pk
    assert event.data["withdrawn"] is True
    assert event.data["late"] is False
    told = [m for m in mail.outbox if "Trial cancelled" in m.subject]
    assert len(told) == 1
    assert employer.email in told[0].to
    assert "withdrew their application" in told[0].body
    assert "Nothing is owed" in told[0].body
    # Nothing is left to remind.
    assert trials.trial_reminders_send(now=timezone.now()) == []


def test_withdrawing_after_an_accepted_trial_started_keeps_its_hours_owed(
    pat, employer, clock, django_capture_on_commit_callbacks
):
    trial = offered(pat, employer)
    trials.trial_answer(trial=trial, user=pat.applicant, answer="accept")
    clock.set(trial.starts_at + timedelta(hours=4))
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        application_withdraw(application=pat, applicant=pat.applicant)

    pat.refresh_from_db()
    trial.refresh_from_db()
    assert pat.stage == Stage.WITHDRAWN
    assert trial.status == Status.ACCEPTED
    withdrawn = next(m for m in mail.outbox if "was withdrawn" in m.subject)
    assert "record the hours worked" in withdrawn.body
    pay = trials.trial_hours_record(trial=trial, actor=employer, hours="3")
    assert pay.reason == TrialPay.Reason.WORKED


# The employer moves the application ------------------------------------------------------------


@pytest.mark.parametrize(
    "to, message",
    [(Stage.NOT_PROGRESSED, "Thank you."), (Stage.OFFER, ""), (Stage.INTERVIEW, "")],
)
def test_the_employer_cannot_move_an_application_past_a_live_trial(
    pat, employer, to, message, clock
):
    trial = offered(pat, employer)
    trials.trial_answer(trial=trial, user=pat.applicant, answer="accept")
    InterviewSlot.objects.create(
        vacancy=pat.vacancy,
        starts_at=tomorrow_at(15) + timedelta(days=2),
        minutes=30,
        kind="phone",
        created_by=employer,
    )

    with pytest.raises(ApplicationError, match="Cancel the trial first, or record its hours"):
        pipeline.applicant_move(application=pat, to=to, user=employer, message=message)

    pat.refresh_from_db()
    trial.refresh_from_db()
    assert pat.stage == Stage.TRIAL_OFFERED
    assert trial.status == Status.ACCEPTED
    assert not AuditEvent.objects.filter(action=f"jobs.application.{to}").exists()


def test_once_the_trial_is_cancelled_the_application_moves_on(pat, employer):
    trial = offered(pat, employer, starts_at=tomorrow_at(10) + timedelta(days=3))
    trials.trial_cancel(trial=trial, actor=employer, reason="The post has been filled.")

    pipeline.applicant_move(application=pat, to=Stage.NOT_PROGRESSED, user=employer, message="x")

    pat.refresh_from_db()
    assert pat.stage == Stage.NOT_PROGRESSED


def test_not_progressing_in_bulk_names_the_applicant_with_a_live_trial(pat, employer):
    offered(pat, employer)

    with pytest.raises(pipeline.BulkMoveRefused) as refused:
        pipeline.applicants_not_progress(
            vacancy=pat.vacancy, references=[pat.reference], user=employer, message="Thank you."
        )

    assert "cancel the trial first, or record its hours" in refused.value.problems[0]
    pat.refresh_from_db()
    assert pat.stage == Stage.TRIAL_OFFERED


def test_the_chasing_clock_leaves_an_application_with_a_live_trial_open(pat, employer, clock):
    trial = offered(pat, employer)
    vacancy_close(vacancy=pat.vacancy, user=employer, outcome="filled")
    later = timezone.localdate() + datetime.timedelta(days=settings.APPLICATION_CHASE_DAYS + 2)
    clock.set(timezone.make_aware(datetime.datetime(later.year, later.month, later.day, 9)))

    report = applications_chase(today=later)

    assert pat.reference not in report.closed
    pat.refresh_from_db()
    assert pat.stage == Stage.TRIAL_OFFERED
    trials.trial_cancel(trial=trial, actor=employer, reason="The post has been filled.")
    assert pat.reference in applications_chase(today=later).closed


# The page ---------------------------------------------------------------------------------------


def test_the_pipeline_page_shows_why_the_move_was_refused(client, pat, employer):
    offered(pat, employer)
    client.force_login(employer)

    response = client.post(
        reverse("jobs:pipeline-move", args=[pat.vacancy.reference, pat.reference]),
        {"to": "not_progressed", "message": "Thank you."},
    )

    assert response.status_code == 400
    assert "Cancel the trial first, or record its hours" in response.content.decode()
    pat.refresh_from_db()
    assert pat.stage == Stage.TRIAL_OFFERED
