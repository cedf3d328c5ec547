# ruff: noqa: F811  (pytest fixtures imported from tests/jobs/trial_fixtures.py)
"""Paid job trials (issue 21, part 1): the offer and every refusal, the candidate's answers,
cancelling, hours and pay, feedback with a right of reply, the outcome, and the audit events."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from core.errors import ApplicationError
from core.models import AuditEvent
from jobs.models import Application, JobTrial, TrialPay
from jobs.services import trials
from jobs.services.trials import TrialError, TrialRefused
from tests.jobs.trial_fixtures import (  # noqa: F401  (fixtures)
    an_offer,
    own_checks,
    pat,
    tomorrow_at,
    vacancy,
    wendy,
)

Stage = Application.Stage
Status = JobTrial.Status


def offered(application, employer, **overrides) -> JobTrial:
    return trials.trial_offer(application=application, actor=employer, offer=an_offer(**overrides))


def worked(trial, employer, clock, hours="3") -> TrialPay:
    trials.trial_answer(trial=trial, user=trial.application.applicant, answer="accept")
    clock.set(trial.starts_at + timedelta(hours=4))
    return trials.trial_hours_record(trial=trial, actor=employer, hours=hours)


# The offer -------------------------------------------------------------------------------------


def test_an_observation_session_is_offered_and_the_application_moves_to_trial_offered(
    pat, employer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        trial = offered(pat, employer)

    pat.refresh_from_db()
    assert pat.stage == Stage.TRIAL_OFFERED
    assert trial.status == Status.OFFERED
    assert trial.checks_source == JobTrial.CheckSource.NOT_NEEDED
    assert trial.pay_floor_rate == Decimal("12.71")
    event = AuditEvent.objects.get(action="jobs.trial.offered")
    assert event.data["hourly_rate"] == "13.50"
    assert event.data["application"] == pat.reference
    offer_email = next(m for m in mail.outbox if "paid job trial" in m.subject.lower())
    assert "Sue Senior" in offer_email.body
    assert "at least 2 hours (£27.00)" in offer_email.body
    assert "including induction" in offer_email.body


@pytest.mark.parametrize(
    "rate, words",
    [
        ("0", "unpaid trial cannot be offered"),
        ("-1", "unpaid trial cannot be offered"),
        ("12.70", "National Living Wage"),
        ("12.90", "vacancy's own rate, £13.00"),
    ],
)
def test_an_unpaid_or_underpaid_trial_is_refused_and_nothing_is_written(pat, employer, rate, words):
    with pytest.raises(TrialRefused, match=words):
        offered(pat, employer, hourly_rate=Decimal(rate))

    assert not JobTrial.objects.exists()
    pat.refresh_from_db()
    assert pat.stage == Stage.RECEIVED


def test_the_floor_is_the_wage_in_force_on_the_trials_day(pat, employer, vacancy):
    vacancy.pay_amount = Decimal("11.00")
    vacancy.save()
    with pytest.raises(TrialRefused, match="£12.71"):
        offered(pat, employer, hourly_rate=Decimal("12.00"))
    assert offered(pat, employer, hourly_rate=Decimal("12.71")).hourly_rate == Decimal("12.71")


def test_an_observation_session_longer_than_four_hours_is_refused(pat, employer):
    with pytest.raises(TrialRefused, match="at most 4 hours"):
        offered(pat, employer, length_hours=Decimal("4.25"))


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"length_hours": Decimal("0")}, "length_hours"),
        ({"length_hours": Decimal("13"), "kind": "supervised"}, "length_hours"),
        ({"cancellation_pay_hours": Decimal("1.5")}, "cancellation_pay_hours"),
        ({"induction_minutes": 180}, "induction_minutes"),
        ({"supervisor_name": "  "}, "supervisor_name"),
        ({"getting_there": ""}, "getting_there"),
        ({"starts_at": timezone.now() - timedelta(hours=1)}, "starts_at"),
        ({"kind": "cleaning"}, "kind"),
    ],
)
def test_an_offer_missing_what_the_candidate_needs_is_refused(pat, employer, overrides, field):
    with pytest.raises(TrialRefused) as refused:
        offered(pat, employer, **overrides)
    assert refused.value.field == field


def test_a_supervised_trial_without_a_barred_list_check_is_refused(pat, employer):
    with pytest.raises(TrialRefused, match="barred-list check"):
        offered(pat, employer, kind="supervised")
    assert not JobTrial.objects.exists()


def test_a_supervised_trial_reads_both_checks_from_the_register_with_consent(wendy, employer):
    trial = offered(wendy, employer, kind="supervised", length_hours=Decimal("6"))

    assert trial.checks_source == JobTrial.CheckSource.REGISTER
    assert "barred list" in trial.register_summary


def test_without_consent_to_share_identity_checks_the_register_is_not_read(wendy, employer):
    wendy.share.shares_identity_checks = False
    wendy.share.save()
    with pytest.raises(TrialRefused, match="barred-list check"):
        offered(wendy, employer, kind="supervised")


def test_a_stopped_share_gives_nothing_from_the_register(wendy, employer):
    wendy.share.revoked_at = timezone.now()
    wendy.share.save()
    with pytest.raises(TrialRefused, match="barred-list check"):
        offered(wendy, employer, kind="supervised")


@pytest.mark.parametrize("kind", ["interim", "sanction"])
def test_a_suspended_worker_is_not_booked_for_personal_care_on_the_registers_checks(
    wendy, employer, kind
):
    # A suspension leaves the share live and the checks passed; the register's word that the
    # worker may not practise must still stop a trial read from it.
    wendy.entry.status = "suspended"
    wendy.entry.suspension_kind = kind
    wendy.entry.save()

    passed, summary = trials.trial_register_checks(wendy)
    assert not passed
    assert "suspended" in summary
    with pytest.raises(TrialRefused, match="suspended on the register"):
        offered(wendy, employer, kind="supervised")
    assert not JobTrial.objects.exists()

    trial = offered(wendy, employer, kind="supervised", employer_check=own_checks())
    assert trial.checks_source == JobTrial.CheckSource.EMPLOYER


def test_the_employers_own_checks_with_evidence_allow_a_supervised_trial(pat, employer):
    trial = offered(pat, employer, kind="supervised", employer_check=own_checks())

    assert trial.checks_source == JobTrial.CheckSource.EMPLOYER
    assert trial.employer_barred_list_check == "adult_first"
    assert trial.employer_check_evidence.startswith("Share code result seen")


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"barred_list_check": ""}, "kind"),
        ({"barred_list_check": "basic"}, "kind"),
        ({"right_to_work_checked_on": None}, "kind"),
        ({"evidence": ""}, "evidence"),
        ({"checked_by_name": ""}, "checked_by_name"),
        ({"barred_list_checked_on": timezone.localdate() + timedelta(days=1)}, "kind"),
    ],
)
def test_the_employers_own_checks_must_be_complete(pat, employer, overrides, field):
    with pytest.raises(TrialRefused) as refused:
        offered(pat, employer, kind="supervised", employer_check=own_checks(**overrides))
    assert refused.value.field == field


def test_only_the_employers_members_offer_a_trial(pat, other_worker, registrar):
    for person in (other_worker, registrar, pat.applicant):
        with pytest.raises(PermissionDenied):
            offered(pat, person)


def test_a_second_live_trial_and_a_finished_application_are_refused(pat, employer):
    offered(pat, employer)
    with pytest.raises(TrialError, match="already has a trial"):
        offered(pat, employer)
    Application.objects.filter(pk=pat.pk).update(stage=Stage.NOT_PROGRESSED)
    with pytest.raises(TrialError, match="not progressed"):
        offered(pat, employer)


def test_no_new_trial_while_an_earlier_trials_pay_is_unconfirmed(pat, employer):
    # The candidate's page shows the latest trial's pay alone: a new trial would hide the
    # earlier pay from them, so it could never be confirmed.
    trial = offered(pat, employer, starts_at=timezone.now() + timedelta(hours=23))
    trials.trial_answer(trial=trial, user=pat.applicant, answer="accept")
    trials.trial_cancel(trial=trial, actor=employer, reason="Our manager is off sick.")

    with pytest.raises(TrialError, match="confirmed they were paid"):
        offered(pat, employer, starts_at=tomorrow_at(10) + timedelta(days=3))
    assert JobTrial.objects.count() == 1

    trials.trial_pay_confirm_hours(trial=trial, user=pat.applicant)
    with pytest.raises(TrialError, match="confirmed they were paid"):
        offered(pat, employer, starts_at=tomorrow_at(10) + timedelta(days=3))
    trials.trial_pay_confirm_paid(trial=trial, user=pat.applicant)

    second = offered(pat, employer, starts_at=tomorrow_at(10) + timedelta(days=3))
    assert second.status == Status.OFFERED


# The candidate answers -------------------------------------------------------------------------


def test_the_candidate_accepts_and_the_employer_is_told(
    pat, employer, django_capture_on_commit_callbacks
):
    trial = offered(pat, employer)

    with django_capture_on_commit_callbacks(execute=True):
        trials.trial_answer(trial=trial, user=pat.applicant, answer="accept")

    trial.refresh_from_db()
    assert trial.status == Status.ACCEPTED
    assert AuditEvent.objects.filter(action="jobs.trial.accepted").exists()
    assert mail.outbox[0].to == ["employer@example.org"]
    assert "Trial accepted" in mail.outbox[0].subject


def test_the_candidate_proposes_another_time_and_the_employer_offers_a_new_one(pat, employer):
    trial = offered(pat, employer)
    with pytest.raises(TrialError, match="which days"):
        trials.trial_answer(trial=trial, user=pat.applicant, answer="propose")

    trials.trial_answer(
        trial=trial, user=pat.applicant, answer="propose", proposed_time="Any Thursday morning."
    )
    trial.refresh_from_db()
    assert trial.status == Status.TIME_PROPOSED
    assert trial.proposed_time == "Any Thursday morning."

    new_start = tomorrow_at(10) + timedelta(days=2)
    trials.trial_retime(trial=trial, actor=employer, starts_at=new_start)
    trial.refresh_from_db()
    assert trial.status == Status.OFFERED
    assert trial.starts_at == new_start
    assert AuditEvent.objects.filter(action="jobs.trial.retimed").exists()


def test_a_declined_trial_is_final(pat, employer):
    trial = offered(pat, employer)
    trials.trial_answer(trial=trial, user=pat.applicant, answer="decline")
    with pytest.raises(TrialError, match="declined"):
        trials.trial_answer(trial=trial, user=pat.applicant, answer="accept")


def test_only_the_candidate_answers(pat, employer, other_worker):
    trial = offered(pat, employer)
    for person in (employer, other_worker):
        with pytest.raises(PermissionDenied):
            trials.trial_answer(trial=trial, user=person, answer="accept")


# Cancelling ------------------------------------------------------------------------------------


def test_cancelling_an_accepted_trial_within_24_hours_still_owes_the_minimum(
    pat, employer, django_capture_on_commit_callbacks
):
    trial = offered(pat, employer, starts_at=timezone.now() + timedelta(hours=23))
    trials.trial_answer(trial=trial, user=pat.applicant, answer="accept")

    with django_capture_on_commit_callbacks(execute=True):
        trials.trial_cancel(trial=trial, actor=employer, reason="Our manager is off sick.")

    pay = TrialPay.objects.get(trial=trial)
    assert pay.reason == TrialPay.Reason.LATE_CANCELLATION
    assert pay.hours == Decimal("2")
    assert pay.amount == Decimal("27.00")
    assert AuditEvent.objects.filter(action="jobs.trial_pay.recorded").exists()
    assert "still owed £27.00" in mail.outbox[-1].body


def test_an_accepted_trial_cannot_be_cancelled_once_it_has_started(pat, employer, clock):
    trial = offered(pat, employer)
    trials.trial_answer(trial=trial, user=pat.applicant, answer="accept")
    clock.set(trial.starts_at + timedelta(hours=4))

    with pytest.raises(TrialError, match="Record the hours worked instead"):
        trials.trial_cancel(trial=trial, actor=employer, reason="Not needed after all.")

    trial.refresh_from_db()
    assert trial.status == Status.ACCEPTED
    assert not TrialPay.objects.exists()
    assert not AuditEvent.objects.filter(action="jobs.trial.cancelled").exists()
    pay = trials.trial_hours_record(trial=trial, actor=employer, hours="3")
    assert pay.amount == Decimal("40.50")


def test_an_offer_never_accepted_can_still_be_cancelled_after_its_time(pat, employer, clock):
    trial = offered(pat, employer)
    clock.set(trial.starts_at + timedelta(hours=1))
    trials.trial_cancel(trial=trial, actor=employer, reason="They never answered.")
    trial.refresh_from_db()
    assert trial.status == Status.CANCELLED
    assert not TrialPay.objects.exists()


def test_cancelling_with_more_notice_or_before_acceptance_owes_nothing(pat, employer):
    trial = offered(pat, employer, starts_at=tomorrow_at(10) + timedelta(days=3))
    trials.trial_answer(trial=trial, user=pat.applicant, answer="accept")
    trials.trial_cancel(trial=trial, actor=employer, reason="The post has been filled.")
    assert not TrialPay.objects.exists()

    with pytest.raises(TrialError, match="why"):
        trials.trial_cancel(trial=trial, actor=employer, reason=" ")


# After the trial -------------------------------------------------------------------------------


def test_recording_hours_makes_a_pay_record_the_candidate_confirms_then_is_paid(
    pat, employer, clock
):
    trial = offered(pat, employer)
    pay = worked(trial, employer, clock, hours="3")

    assert pay.amount == Decimal("40.50")
    assert pay.due_on == timezone.localdate(trial.starts_at) + timedelta(days=14)
    trial.refresh_from_db()
    assert trial.status == Status.WORKED

    with pytest.raises(TrialError, match="hours first"):
        trials.trial_pay_confirm_paid(trial=trial, user=pat.applicant)
    trials.trial_pay_confirm_hours(trial=trial, user=pat.applicant)
    trials.trial_pay_confirm_paid(trial=trial, user=pat.applicant)
    pay.refresh_from_db()
    assert pay.is_paid
    assert {"jobs.trial_pay.hours_confirmed", "jobs.trial_pay.paid_confirmed"} <= set(
        AuditEvent.objects.values_list("action", flat=True)
    )


def test_hours_cannot_be_recorded_before_the_trial_or_as_nothing(pat, employer, clock):
    trial = offered(pat, employer)
    trials.trial_answer(trial=trial, user=pat.applicant, answer="accept")
    with pytest.raises(TrialError, match="not started"):
        trials.trial_hours_record(trial=trial, actor=employer, hours="3")
    clock.set(trial.starts_at + timedelta(hours=4))
    for hours in ("0", "-2", "13", "abc"):
        with pytest.raises(TrialError):
            trials.trial_hours_record(trial=trial, actor=employer, hours=hours)
    with pytest.raises(TrialError, match="month after"):
        trials.trial_hours_record(
            trial=trial, actor=employer, hours="3", due_on=timezone.localdate() + timedelta(days=60)
        )


def test_only_the_candidate_confirms_pay(pat, employer, clock, other_worker):
    trial = offered(pat, employer)
    worked(trial, employer, clock)
    for person in (employer, other_worker):
        with pytest.raises(PermissionDenied):
            trials.trial_pay_confirm_hours(trial=trial, user=person)


# Feedback --------------------------------------------------------------------------------------


def test_both_sides_give_private_feedback_with_one_reply_each(pat, employer, clock):
    trial = offered(pat, employer)
    with pytest.raises(TrialError, match="once the trial has been worked"):
        trials.trial_feedback_give(
            trial=trial, user=employer, from_employer=True, values=[], text="Early."
        )
    worked(trial, employer, clock)

    from_employer = trials.trial_feedback_give(
        trial=trial,
        user=employer,
        from_employer=True,
        values=["whole-person", "kind"],
        text="You listened to Mrs Khan and let her choose.",
    )
    # Stored and shown in the pathway's order, in the pathway's words.
    assert from_employer.values_labels == [
        "Kind, compassionate and empathetic",
        "See the whole person",
    ]
    with pytest.raises(TrialError, match="already given"):
        trials.trial_feedback_give(
            trial=trial, user=employer, from_employer=True, values=[], text="Again."
        )
    with pytest.raises(PermissionDenied):
        trials.trial_feedback_reply(feedback=from_employer, user=employer, text="Me again.")

    trials.trial_feedback_reply(feedback=from_employer, user=pat.applicant, text="Thank you.")
    with pytest.raises(TrialError, match="already has a reply"):
        trials.trial_feedback_reply(feedback=from_employer, user=pat.applicant, text="More.")

    from_candidate = trials.trial_feedback_give(
        trial=trial,
        user=pat.applicant,
        from_employer=False,
        values=["learning"],
        text="The team made me welcome.",
    )
    assert not from_candidate.from_employer
    assert AuditEvent.objects.filter(action="jobs.trial.feedback_given").count() == 2
    with pytest.raises(TrialError, match="values shown"):
        trials.trial_feedback_give(
            trial=trial, user=pat.applicant, from_employer=False, values=["score"], text="x"
        )


def test_feedback_names_the_same_seven_values_as_the_quizzes():
    # One list, in jobs: a trial's feedback and the scenarios quiz speak the same words.
    from careers import quizzes_content
    from jobs.forms.trials import TrialFeedbackForm
    from jobs.values import VALUES

    assert quizzes_content.VALUES is VALUES
    assert len(VALUES) == 7
    choices = TrialFeedbackForm().fields["values"].choices
    assert choices == [(key, name) for key, (name, _) in VALUES.items()]
    assert ("respect", "Respect") in choices


# The outcome -----------------------------------------------------------------------------------


def test_the_outcome_moves_the_application_through_application_move(pat, employer, clock):
    trial = offered(pat, employer)
    with pytest.raises(TrialError, match="still to happen"):
        trials.trial_outcome(trial=trial, actor=employer, to=Stage.OFFER)
    worked(trial, employer, clock)
    with pytest.raises(ApplicationError, match="Write a message"):
        trials.trial_outcome(trial=trial, actor=employer, to=Stage.NOT_PROGRESSED)

    trials.trial_outcome(trial=trial, actor=employer, to=Stage.OFFER, message="Welcome aboard.")

    pat.refresh_from_db()
    assert pat.stage == Stage.OFFER
    assert pat.events.last().from_stage == Stage.TRIAL_OFFERED
    assert AuditEvent.objects.filter(action="jobs.application.offer").exists()
    assert AuditEvent.objects.filter(action="jobs.trial.outcome").exists()
    with pytest.raises(TrialError, match="outcome has been given"):
        trials.trial_outcome(trial=trial, actor=employer, to=Stage.NOT_PROGRESSED, message="x")
