"""What the passing of time does to cases (concerns/services/clock.py and `manage.py
advance_concerns`): overdue screening chased once a day, and cases closed with no action
deleted once their retention period has passed, leaving only their anonymous figures and the
audit log's record that they existed."""

import datetime
import json
from datetime import timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from accounts.permissions import can
from concerns.models import Case, CaseFigures, Decision, Document, InterimOrder, StepLog
from concerns.retention import delete_after
from concerns.services import cases as case_services
from concerns.services.clock import cases_delete_after_retention, screening_chase
from core.audit import AuditEvent, find_chain_breaks
from register.models import RegisterEntry
from tests.concerns.conftest import decide, investigating_case, ready_to_decide, received_case

pytestmark = pytest.mark.django_db
UK = timezone.get_current_timezone()
MONDAY = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=UK)


def _case_events(case_pk: int):
    return AuditEvent.objects.filter(target_type="concerns.case", target_id=str(case_pk))


# Chasing overdue screening -------------------------------------------------------------------


def test_a_case_not_screened_in_time_is_chased_once_a_day(
    subject, registrars, registrar_without_mfa, clock, committed
):
    clock.set(MONDAY)
    case = received_case(subject)
    assert case.screening_due == datetime.date(2026, 3, 9)  # five working days on

    clock.set(MONDAY + timedelta(days=7))  # the day it is due: not yet overdue
    assert screening_chase() == []

    clock.set(MONDAY + timedelta(days=8, hours=1))
    mail.outbox.clear()
    with committed(execute=True):
        chased = screening_chase()
    assert [chased_case.pk for chased_case in chased] == [case.pk]
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert set(message.to) == {user.email for user in registrars.values()} | {
        registrar_without_mfa.email
    }
    assert case.reference in message.body and "was due by 9 March 2026" in message.body
    assert "/registrar/concerns/" in message.body
    # Nothing of what the concern says, or who raised it, goes in the email.
    assert "Priya" not in message.body and "medicines" not in message.body
    assert Case.objects.get(pk=case.pk).screening_chased_on == timezone.localdate()
    event = _case_events(case.pk).get(action="concerns.case.screening_chased")
    assert event.data == {"screening_due": "2026-03-09"}

    # Again the same day: nothing more.
    with committed(execute=True):
        assert screening_chase() == []
    assert len(mail.outbox) == 1

    # The next day, still not screened: chased again.
    clock.set(MONDAY + timedelta(days=9, hours=1))
    with committed(execute=True):
        assert [chased_case.pk for chased_case in screening_chase()] == [case.pk]
    assert len(mail.outbox) == 2


def test_a_screened_case_is_never_chased(subject, registrars, clock):
    clock.set(MONDAY)
    investigating_case(subject, registrars)
    clock.set(MONDAY + timedelta(days=30))

    assert screening_chase() == []


# Retention -----------------------------------------------------------------------------------


def _closed_with_no_action(subject, registrars):
    """Investigated, with an interim suspension, a shared document and a response, then
    decided with no action: everything a case can gather before it is deleted."""
    case = investigating_case(subject, registrars)
    case_services.interim_suspend(case=case, registrar=registrars["Sam"], reasons="Risk.")
    document = Document.objects.get(case=case)
    case_services.document_share(document=document, registrar=registrars["Sam"])
    case_services.case_respond(
        case=Case.objects.get(pk=case.pk), worker=subject.worker, text="It was not me."
    )
    decide(ready_to_decide(case, registrars), registrars, "no_action")
    return Case.objects.get(pk=case.pk)


def test_a_case_closed_with_no_action_is_deleted_once_its_retention_period_has_passed(
    subject, registrars, clock, committed, settings
):
    clock.set(MONDAY)
    case = _closed_with_no_action(subject, registrars)
    assert case.status == Case.Status.CLOSED and case.outcome == Case.Outcome.NO_ACTION
    stored = [document.file.name for document in case.documents.all()]
    assert stored and all((settings.MEDIA_ROOT / name).exists() for name in stored)
    last_day = delete_after(timezone.localdate(case.closed_at))
    assert last_day == datetime.date(2027, 3, 2)  # 365 days, the period in force

    clock.set(datetime.datetime(2027, 3, 2, 12, 0, tzinfo=UK))
    assert cases_delete_after_retention() == 0
    clock.set(datetime.datetime(2027, 3, 3, 12, 0, tzinfo=UK))
    with committed(execute=True):
        assert cases_delete_after_retention() == 1

    assert not Case.objects.filter(pk=case.pk).exists()
    for model in (Document, StepLog, InterimOrder, Decision):
        assert not model.objects.filter(case_id=case.pk).exists()
    assert not any((settings.MEDIA_ROOT / name).exists() for name in stored)
    # The yearly report keeps its anonymous figures.
    figures = CaseFigures.objects.get()
    assert (figures.case, figures.deleted_on) == (None, datetime.date(2027, 3, 3))
    assert (figures.outcome, figures.interim_suspension) == ("no_action", True)
    # The audit log keeps that the case existed, and nothing of what it said or who it was
    # about or from: no name, no address, no words of the concern, no register entry.
    deleted = _case_events(case.pk).get(action="concerns.case.deleted")
    assert deleted.target_label == f"Case {case.reference}"
    logged = json.dumps(list(_case_events(case.pk).values("actor_label", "target_label", "data")))
    for secret in ("Priya", "priya@example.org", "07700", "O'Brien", "medicines", "not me"):
        assert secret not in logged
    assert f'"about_entry": {subject.pk}' not in logged
    assert list(find_chain_breaks()) == []
    # Nothing happens to it a second time.
    assert cases_delete_after_retention() == 0


def test_a_case_screened_out_is_deleted_too(subject, registrars, clock):
    clock.set(MONDAY)
    case = received_case(subject)
    case_services.case_screen(
        case=case, registrar=registrars["Sam"], risk="low", result="no_case", reasons="Fees."
    )
    clock.set(MONDAY + timedelta(days=366))

    assert cases_delete_after_retention() == 1
    assert CaseFigures.objects.get().screened_out


def test_a_case_with_an_outcome_is_kept(subject, registrars, clock):
    clock.set(MONDAY)
    case = ready_to_decide(investigating_case(subject, registrars), registrars)
    decide(case, registrars, "advice")
    clock.set(MONDAY + timedelta(days=30))
    case_services.cases_close_unappealed()
    assert Case.objects.get(pk=case.pk).status == Case.Status.CLOSED

    clock.set(MONDAY + timedelta(days=800))

    assert cases_delete_after_retention() == 0
    assert Case.objects.filter(pk=case.pk).exists()


def test_a_case_whose_published_outcome_was_overturned_on_appeal_is_kept(
    subject, registrars, clock
):
    # The register published conditions and told employers; the case is the record of why they
    # were withdrawn, so it is not a case closed with no action.
    clock.set(MONDAY)
    case = ready_to_decide(investigating_case(subject, registrars, risk="medium"), registrars)
    decide(case, registrars, "conditions", published_text="Supervised with medicines.")
    case_services.appeal_lodge(case=case, worker=subject.worker, grounds="It did not happen.")
    for name in ("Abe", "Ada"):
        case_services.panel_join(case=case, registrar=registrars[name], role="appeal_decider")
    decision = case_services.decision_propose(
        case=case,
        registrar=registrars["Abe"],
        outcome="no_action",
        upheld=True,
        reasons="The rota shows they were not there.",
    )
    case_services.decision_agree(decision=decision, registrar=registrars["Ada"])
    case = Case.objects.get(pk=case.pk)
    assert (case.status, case.outcome) == (Case.Status.CLOSED, Case.Outcome.NO_ACTION)

    clock.set(MONDAY + timedelta(days=800))

    assert cases_delete_after_retention() == 0
    assert Case.objects.filter(pk=case.pk).exists()


def test_a_new_retention_period_applies_to_cases_closed_from_its_date(
    subject, registrars, clock, settings
):
    settings.CONCERN_NO_ACTION_RETENTION = [("2026-01-01", 365), ("2026-06-01", 30)]
    clock.set(MONDAY)
    before = received_case(subject)
    case_services.case_screen(
        case=before, registrar=registrars["Sam"], risk="low", result="no_case", reasons="x"
    )
    clock.set(datetime.datetime(2026, 6, 1, 9, 0, tzinfo=UK))
    after = received_case(subject, email="second@example.org")
    case_services.case_screen(
        case=after, registrar=registrars["Sam"], risk="low", result="no_case", reasons="x"
    )

    clock.set(datetime.datetime(2026, 7, 2, 9, 0, tzinfo=UK))
    assert cases_delete_after_retention() == 1

    assert Case.objects.filter(pk=before.pk).exists()
    assert not Case.objects.filter(pk=after.pk).exists()


# The command ---------------------------------------------------------------------------------


def test_an_interim_suspension_ends_when_its_order_runs_out(subject, registrars, clock):
    # docs/concerns.md: an interim suspension is made for up to 182 days. Nothing decided
    # by then, the worker may practise again; the clock sees to it, as it does for sanctions.
    clock.set(MONDAY)
    case = investigating_case(subject, registrars)
    order = case_services.interim_suspend(case=case, registrar=registrars["Sam"], reasons="R.")
    assert RegisterEntry.objects.get(pk=subject.pk).status == "suspended"

    clock.set(datetime.datetime.combine(order.until, datetime.time(12), UK))
    out = StringIO()
    call_command("advance_concerns", stdout=out)
    assert RegisterEntry.objects.get(pk=subject.pk).status == "suspended"  # its last day

    clock.advance(timedelta(days=1))
    call_command("advance_concerns", "--dry-run", stdout=out)
    assert "1 interim suspension(s) past their end" in out.getvalue()
    assert RegisterEntry.objects.get(pk=subject.pk).status == "suspended"
    out = StringIO()
    call_command("advance_concerns", stdout=out)

    assert "ended 1 interim suspension(s) past their end" in out.getvalue()
    assert RegisterEntry.objects.get(pk=subject.pk).status == "registered"
    order.refresh_from_db()
    assert not order.in_force
    assert StepLog.objects.filter(case=case, note="Interim suspension ran out").exists()
    event = _case_events(case.pk).get(action="concerns.interim_order.ended")
    assert event.actor_id is None and event.data == {"order_id": order.pk, "ran_out": True}
    # The case goes on, and no registrar without a part reads it as one to review.
    case = Case.objects.get(pk=case.pk)
    assert case.status == Case.Status.INVESTIGATING
    assert not can(registrars["Abe"], "case.view", case)
    out = StringIO()
    call_command("advance_concerns", stdout=out)
    assert "ended 0 interim suspension(s)" in out.getvalue()


def test_advance_concerns_dry_run_says_what_it_would_do_and_changes_nothing(
    subject, registrars, clock
):
    clock.set(MONDAY)
    waiting = received_case(subject)
    decided = ready_to_decide(investigating_case(subject, registrars), registrars)
    decide(decided, registrars, "advice")
    clock.set(MONDAY + timedelta(days=30))
    out = StringIO()

    call_command("advance_concerns", "--dry-run", stdout=out)

    assert "Would close 1 case(s) past their appeal date, chase 1 overdue" in out.getvalue()
    assert Case.objects.get(pk=decided.pk).status == Case.Status.APPEAL_WINDOW
    assert Case.objects.get(pk=waiting.pk).screening_chased_on is None


def test_advance_concerns_moves_every_case_on_and_is_safe_to_run_again(subject, registrars, clock):
    clock.set(MONDAY)
    waiting = received_case(subject)
    decided = ready_to_decide(investigating_case(subject, registrars), registrars)
    decide(decided, registrars, "advice")
    clock.set(MONDAY + timedelta(days=30))

    out = StringIO()
    call_command("advance_concerns", stdout=out)
    assert "Closed 1 case(s) past their appeal date, chased 1 overdue" in out.getvalue()
    assert Case.objects.get(pk=decided.pk).status == Case.Status.CLOSED
    assert Case.objects.get(pk=waiting.pk).screening_chased_on == timezone.localdate()

    out = StringIO()
    call_command("advance_concerns", stdout=out)
    assert "Closed 0 case(s) past their appeal date, chased 0 overdue" in out.getvalue()
