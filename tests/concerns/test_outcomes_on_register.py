"""What a decision does to the worker's registration, passports and employers: the register's
own services make each change, so the public register, the status lists and the webhooks
follow."""

from datetime import timedelta

import pytest
from django.utils import timezone

from concerns.models import Case
from concerns.services import cases as case_services
from concerns.services.cases import CaseError
from register.models import Annotation, RegisterEntry
from register.selectors.public import entry_public_representation
from tests.concerns.conftest import decide, investigating_case, ready_to_decide

pytestmark = pytest.mark.django_db
Status = RegisterEntry.Status


def _entry(entry):
    return RegisterEntry.objects.get(pk=entry.pk)


def _interim(case, registrars):
    return case_services.interim_suspend(
        case=case, registrar=registrars["Sam"], reasons="Serious harm to a person."
    )


def test_conditions_after_an_interim_suspension_leave_the_worker_registered_with_them(
    subject, registrars
):
    case = investigating_case(subject, registrars)
    order = _interim(case, registrars)
    assert _entry(subject).status == Status.SUSPENDED
    assert _entry(subject).suspension_kind == "interim"
    decide(
        ready_to_decide(case, registrars),
        registrars,
        "conditions",
        published_text="Must not give medicines without supervision.",
    )
    entry = _entry(subject)
    assert entry.status == Status.REGISTERED_WITH_CONDITIONS
    public = entry_public_representation(entry)
    assert public["conditions"][0]["text"] == "Must not give medicines without supervision."
    assert public["conditions"][0]["category"] == "Poor practice"
    order.refresh_from_db()
    assert order.ended_at is not None
    assert case.status == Case.Status.APPEAL_WINDOW
    assert case.appeal_due == timezone.localdate() + timedelta(days=28)


def test_a_suspension_decided_after_an_interim_one_replaces_it_without_a_gap(subject, registrars):
    case = investigating_case(subject, registrars, category="dishonesty")
    _interim(case, registrars)
    until = timezone.localdate() + timedelta(days=90)
    decide(ready_to_decide(case, registrars), registrars, "suspension", until=until)
    entry = _entry(subject)
    assert (entry.status, entry.suspension_kind, entry.suspended_until) == (
        Status.SUSPENDED,
        "sanction",
        until,
    )
    assert entry_public_representation(entry)["sanction_category"] == "Dishonesty"
    # Suspended throughout: the history never shows the worker registered in between.
    history = list(entry.history.order_by("changed_at", "id").values_list("new_status", flat=True))
    assert history[-2:] == ["suspended", "suspended"]
    assert "registered" not in history[1:]


def test_a_removal_waits_for_the_appeal_window_with_the_worker_suspended(
    subject, registrars, clock
):
    case = investigating_case(subject, registrars, category="theft")
    decide(ready_to_decide(case, registrars), registrars, "removal")
    entry = _entry(subject)
    assert entry.status == Status.SUSPENDED and entry.suspension_kind == "interim"
    clock.advance(timedelta(days=28))
    assert case_services.cases_close_unappealed() == []
    clock.advance(timedelta(days=1))
    assert [closed.pk for closed in case_services.cases_close_unappealed()] == [case.pk]
    entry = _entry(subject)
    assert entry.status == Status.REMOVED
    assert entry.removal_kind == RegisterEntry.RemovalKind.FITNESS_TO_PRACTISE
    assert entry_public_representation(entry)["sanction_category"] == "Theft"


def test_an_upheld_appeal_takes_the_conditions_off_the_register(subject, registrars):
    case = investigating_case(subject, registrars)
    decide(
        ready_to_decide(case, registrars),
        registrars,
        "conditions",
        published_text="Must work under supervision.",
    )
    assert _entry(subject).status == Status.REGISTERED_WITH_CONDITIONS
    case_services.appeal_lodge(case=case, worker=subject.worker, grounds="It was not me.")
    for name in ("Abe", "Ada"):
        case_services.panel_join(case=case, registrar=registrars[name], role="appeal_decider")
    decision = case_services.decision_propose(
        case=case,
        registrar=registrars["Abe"],
        outcome="no_action",
        upheld=True,
        reasons="The rota shows the worker was not on shift.",
    )
    case_services.decision_agree(decision=decision, registrar=registrars["Ada"])
    case.refresh_from_db()
    assert case.status == Case.Status.CLOSED
    entry = _entry(subject)
    assert entry.status == Status.REGISTERED
    assert entry_public_representation(entry)["conditions"] == []
    assert not Annotation.objects.filter(entry=entry, ended_at__isnull=True).exists()
    assert case.figures.appeal_upheld is True


def test_a_decision_maker_never_decides_the_appeal_on_their_own_decision(subject, registrars):
    case = investigating_case(subject, registrars)
    decide(ready_to_decide(case, registrars), registrars, "advice")
    case_services.appeal_lodge(case=case, worker=subject.worker, grounds="Unfair.")
    for name in ("Dee", "Dan"):
        with pytest.raises(CaseError, match="took part in the decision"):
            case_services.panel_join(case=case, registrar=registrars[name], role="appeal_decider")


def test_the_screener_never_decides(subject, registrars):
    case = investigating_case(subject, registrars)
    with pytest.raises(CaseError, match="You screened this case"):
        case_services.panel_join(case=case, registrar=registrars["Sam"], role="decision_maker")


def test_the_daily_command_takes_a_day_to_act_as_if_it_were_today(subject, registrars):
    from io import StringIO

    from django.core.management import call_command

    case = investigating_case(subject, registrars)
    decide(ready_to_decide(case, registrars), registrars, "advice")
    after = (case.appeal_due + timedelta(days=1)).isoformat()
    output = StringIO()
    call_command("advance_concerns", "--dry-run", "--today", after, stdout=output)
    assert "Would close 1 case(s)" in output.getvalue()
    case.refresh_from_db()
    assert case.status == Case.Status.APPEAL_WINDOW
    call_command("advance_concerns", "--today", after, stdout=StringIO())
    case.refresh_from_db()
    assert case.status == Case.Status.CLOSED
