"""After a case closed with no action is deleted, the audit log shows only that it existed and
which registrars acted: never the worker, the person who raised it, or what anyone wrote."""

import json
from datetime import timedelta

import pytest

from accounts.models import Organisation
from concerns.models import Case, CaseFigures
from concerns.services import cases as case_services
from concerns.services.clock import cases_delete_after_retention
from concerns.services.raising import concern_raise
from core.audit import AuditEvent
from tests.concerns.conftest import decide, raised, ready_to_decide
from tests.factories import MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


def test_a_deleted_no_action_case_leaves_nothing_identifying_in_the_audit_log(
    subject, registrars, clock
):
    organisation = OrganisationFactory(name="Elm Lodge", kind=Organisation.Kind.EMPLOYER)
    manager = MembershipFactory(organisation=organisation, user__email="manager@elm.example").user
    case, _ = concern_raise(
        raised=raised(subject, what_happened="Shouted at Mrs Ada Lovelace in the lounge."),
        documents=[],
        user=manager,
        organisation=organisation,
    )
    case = case_services.case_screen(
        case=case,
        registrar=registrars["Sam"],
        risk="low",
        result="investigate",
        reasons="Needs the worker's account.",
        allegation="You raised your voice at a resident.",
    )
    case_services.case_respond(case=case, worker=subject.worker, text="I was calling across.")
    decide(ready_to_decide(case, registrars), registrars, "no_action")
    assert case.status == Case.Status.CLOSED
    reference, pk = case.reference, case.pk

    clock.advance(timedelta(days=367))
    assert cases_delete_after_retention() == 1
    assert not Case.objects.filter(pk=pk).exists()
    figures = CaseFigures.objects.get()
    assert figures.case is None and figures.outcome == "no_action"

    events = AuditEvent.objects.filter(target_type="concerns.case", target_id=str(pk))
    assert events.filter(action="concerns.case.deleted").exists()
    logged = json.dumps(
        [[event.actor_label, event.target_label, event.data] for event in events.order_by("id")]
    )
    assert reference in logged
    for secret in (
        subject.worker.email,
        subject.registration_number,
        "Łukasz",
        manager.email,
        "priya@example.org",
        "Lovelace",
        "raised your voice",
        "calling across",
    ):
        assert secret not in logged, secret
    actors = set(events.exclude(actor_id=None).values_list("actor_id", flat=True))
    assert actors <= {registrar.pk for registrar in registrars.values()}
