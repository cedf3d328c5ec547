"""Deciding a case, service by service (concerns/services/cases.py): each happy path with the
step it logs and the audit event it writes, every move the transition table refuses, every
service refused in every status it must refuse, and each fairness rule. What a decision does
to the register itself is in test_outcomes_on_register.py."""

import datetime
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from accounts.permissions import can
from concerns.models import (
    Appeal,
    Case,
    CaseFigures,
    Decision,
    Document,
    InterimOrder,
    Participant,
    StepLog,
    WorkerResponse,
)
from concerns.services import cases as case_services
from concerns.services.cases import CaseError
from concerns.services.raising import concern_raise
from core.audit import AuditEvent
from register.models import RegisterEntry
from tests.concerns.conftest import (
    PDF,
    decide,
    investigating_case,
    make_registrar,
    pdf,
    raised,
    ready_to_decide,
    received_case,
)
from tests.factories import RegisterEntryFactory

pytestmark = pytest.mark.django_db
Status = Case.Status
UK = timezone.get_current_timezone()


def _events(case, action: str):
    return AuditEvent.objects.filter(action=action, target_id=str(case.pk))


def _steps(case) -> list[tuple[str, str, str]]:
    return list(StepLog.objects.filter(case=case).values_list("old_status", "new_status", "note"))


def _reload(case) -> Case:
    return Case.objects.get(pk=case.pk)


def _screen(case, registrar, **changes):
    values = {
        "risk": "serious",
        "result": "investigate",
        "reasons": "Harm to a person.",
        "allegation": "You did not give a person their medicines.",
    }
    values.update(changes)
    return case_services.case_screen(case=case, registrar=registrar, **values)


def _appealed(subject, registrars, outcome="advice", **fields):
    case = ready_to_decide(investigating_case(subject, registrars, risk="medium"), registrars)
    decide(case, registrars, outcome, **fields)
    case_services.appeal_lodge(case=case, worker=subject.worker, grounds="It did not happen.")
    return _reload(case)


def _appeal_panel(case, registrars):
    for name in ("Abe", "Ada"):
        case_services.panel_join(case=case, registrar=registrars[name], role="appeal_decider")
    return _reload(case)


# The transition table ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new"),
    [
        (old, new)
        for old in Status.values
        for new in Status.values
        if new not in Case.TRANSITIONS[Status(old)]
    ],
)
def test_every_move_the_transition_table_does_not_list_is_refused(subject, old, new):
    case = received_case(subject)
    Case.objects.filter(pk=case.pk).update(status=old)
    case = _reload(case)
    steps = StepLog.objects.count()

    with pytest.raises(CaseError, match="cannot become"):
        case_services._move(case, new, by=None, note="Not allowed")

    assert _reload(case).status == old
    assert StepLog.objects.count() == steps


def test_every_status_has_a_row_in_the_transition_table():
    assert set(Case.TRANSITIONS) == set(Status)
    assert Case.OPEN == set(Status) - {Status.UNCONFIRMED, Status.CLOSED}


# Each service, refused in every status but the ones it acts in --------------------------------

# service -> (the statuses it acts in, how to call it, the words of its refusal)
SERVICES = {
    "screen": (
        {Status.RECEIVED},
        lambda case, r, s: _screen(case, r["Sam"]),
        "You cannot screen it",
    ),
    "interim_suspend": (
        {Status.INVESTIGATING},
        lambda case, r, s: case_services.interim_suspend(
            case=case, registrar=r["Sam"], reasons="Risk."
        ),
        "You cannot suspend the worker",
    ),
    "join_decision_panel": (
        {Status.INVESTIGATING},
        lambda case, r, s: case_services.panel_join(
            case=case, registrar=r["Dee"], role="decision_maker"
        ),
        "You cannot join the decision panel",
    ),
    "join_appeal_panel": (
        {Status.APPEALED},
        lambda case, r, s: case_services.panel_join(
            case=case, registrar=r["Abe"], role="appeal_decider"
        ),
        "You cannot join the appeal panel",
    ),
    "propose": (
        {Status.INVESTIGATING, Status.APPEALED},
        lambda case, r, s: case_services.decision_propose(
            case=case, registrar=r["Dee"], outcome="advice", reasons="Once."
        ),
        "You cannot propose a decision",
    ),
    "respond": (
        {Status.INVESTIGATING},
        lambda case, r, s: case_services.case_respond(case=case, worker=s.worker, text="No."),
        "You cannot respond now",
    ),
    "appeal": (
        {Status.APPEAL_WINDOW},
        lambda case, r, s: case_services.appeal_lodge(case=case, worker=s.worker, grounds="No."),
        "You cannot appeal",
    ),
    "add_document": (
        set(Status) - {Status.UNCONFIRMED, Status.CLOSED},
        lambda case, r, s: case_services.document_add(
            case=case, registrar=r["Sam"], upload=pdf(), shared_with_worker=False
        ),
        "Evidence can only be added to an open case",
    ),
}


@pytest.mark.parametrize(
    ("service", "status"),
    [
        (service, status)
        for service, (allowed, _, _) in SERVICES.items()
        for status in Status.values
        if status not in allowed
    ],
)
def test_each_service_refuses_a_case_in_a_status_it_does_not_act_in(
    subject, registrars, service, status
):
    # Screened by Sam (so he has a part) and told to the worker: only the status stands in
    # the way.
    case = investigating_case(subject, registrars)
    Case.objects.filter(pk=case.pk).update(status=status, appeal_due=timezone.localdate())
    case = _reload(case)
    _, call, refusal = SERVICES[service]
    events = AuditEvent.objects.count()

    with pytest.raises(CaseError, match=refusal):
        call(case, registrars, subject)

    assert _reload(case).status == status
    assert AuditEvent.objects.count() == events


# Screening -----------------------------------------------------------------------------------


def test_screening_opens_an_investigation_and_tells_the_worker_and_the_raiser(
    subject, registrars, committed
):
    case = received_case(subject)
    mail.outbox.clear()

    with committed(execute=True):
        case = _screen(case, registrars["Sam"])

    case = _reload(case)
    assert case.status == Status.INVESTIGATING
    assert (case.screened_by, case.risk, case.screening_result) == (
        registrars["Sam"],
        "serious",
        "investigate",
    )
    assert case.response_due == timezone.localdate() + timedelta(days=28)
    assert case.worker_told_at is not None
    assert _steps(case)[-2:] == [
        ("received", "screened", "Screened"),
        ("screened", "investigating", "Investigation opened"),
    ]
    assert Participant.objects.get(case=case).role == Participant.Role.SCREENER
    assert _events(case, "concerns.case.screened").get().data == {"risk": "serious"}
    assert _events(case, "concerns.case.investigating").exists()
    recipients = sorted(message.to[0] for message in mail.outbox)
    assert recipients == ["priya@example.org", "subject@example.org"]
    to_worker = next(m for m in mail.outbox if m.to == ["subject@example.org"])
    assert "You did not give a person their medicines." in to_worker.body
    assert "Priya" not in to_worker.body and "priya@example.org" not in to_worker.body


def test_screening_out_closes_the_case_and_tells_only_the_raiser(subject, registrars, committed):
    case = received_case(subject)
    mail.outbox.clear()

    with committed(execute=True):
        _screen(case, registrars["Sam"], risk="low", result="no_case", allegation="")

    case = _reload(case)
    assert (case.status, case.outcome) == (Status.CLOSED, Case.Outcome.NO_ACTION)
    assert case.worker_told_at is None and case.closed_at is not None
    assert _steps(case)[-1] == ("screened", "closed", "Closed at screening")
    figures = CaseFigures.objects.get(case=case)
    assert figures.screened_out and figures.outcome == Case.Outcome.NO_ACTION
    assert [message.to for message in mail.outbox] == [["priya@example.org"]]
    # The worker was never told, so the worker never sees the case.
    assert not can(subject.worker, "case.worker_view", case)


def test_screening_counts_the_working_days_it_took(subject, registrars, clock):
    clock.set(datetime.datetime(2026, 3, 6, 10, 0, tzinfo=UK))  # a Friday
    case = received_case(subject)
    clock.set(datetime.datetime(2026, 3, 10, 16, 0, tzinfo=UK))  # the Tuesday after

    _screen(case, registrars["Sam"])

    assert CaseFigures.objects.get(case=case).working_days_to_screen == 2


def test_screening_finds_a_worker_named_without_a_number(subject, registrars):
    case = received_case(subject, registration_number="", worker_name="Lukasz", workplace="Elm")

    _screen(case, registrars["Sam"], registration_number=subject.registration_number.lower())

    assert _reload(case).entry == subject


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"risk": "huge"}, "Choose the level of risk."),
        ({"result": "maybe"}, "Choose whether to investigate or close the case."),
        ({"reasons": "  "}, "Write the reasons for your screening decision."),
        ({"allegation": ""}, "Write the allegation as the worker will read it."),
    ],
)
def test_screening_with_bad_input_says_why_and_changes_nothing(
    subject, registrars, changes, message
):
    case = received_case(subject)
    steps = StepLog.objects.count()

    with pytest.raises(CaseError, match=message):
        _screen(case, registrars["Sam"], **changes)

    case = _reload(case)
    assert case.status == Status.RECEIVED and case.screened_by is None
    assert StepLog.objects.count() == steps
    assert not Participant.objects.filter(case=case).exists()


def test_an_investigation_needs_the_worker_found_on_the_register(subject, registrars):
    case = received_case(subject, registration_number="", worker_name="Lukasz", workplace="Elm")

    with pytest.raises(CaseError, match="Find the worker on the register"):
        _screen(case, registrars["Sam"])
    with pytest.raises(CaseError, match="No one on the register has that registration number"):
        _screen(case, registrars["Sam"], registration_number="CR9999999X")

    case = _reload(case)
    assert case.entry is None and case.status == Status.RECEIVED


def test_a_case_with_no_worker_found_may_still_be_screened_out(subject, registrars):
    case = received_case(subject, registration_number="", worker_name="Jo", workplace="Unknown")

    _screen(case, registrars["Sam"], risk="low", result="no_case", allegation="")

    assert _reload(case).status == Status.CLOSED


def test_nobody_screens_a_concern_about_themselves(subject, registrars):
    own = RegisterEntryFactory(application__worker=registrars["Sam"])
    about_sam = received_case(own)
    named = received_case(subject, registration_number="", worker_name="Sam", workplace="Here")

    with pytest.raises(PermissionDenied):
        _screen(about_sam, registrars["Sam"])
    with pytest.raises(CaseError, match="You cannot screen a concern about yourself."):
        _screen(named, registrars["Sam"], registration_number=own.registration_number)

    assert _reload(named).entry is None


def test_nobody_screens_a_concern_they_raised(subject, registrars):
    case, _ = concern_raise(
        raised=raised(subject, email="", name=""), documents=[], user=registrars["Dee"]
    )
    assert case.status == Status.RECEIVED

    with pytest.raises(PermissionDenied):
        _screen(case, registrars["Dee"])
    assert not can(registrars["Dee"], "case.view", case)


# Interim suspension --------------------------------------------------------------------------


def test_an_interim_suspension_suspends_at_once_and_tells_the_worker_why(
    subject, registrars, committed
):
    case = investigating_case(subject, registrars)
    mail.outbox.clear()

    with committed(execute=True):
        order = case_services.interim_suspend(
            case=case, registrar=registrars["Sam"], reasons="People could miss their medicines."
        )

    today = timezone.localdate()
    assert (order.until, order.response_due) == (
        today + timedelta(days=182),
        today + timedelta(days=14),
    )
    entry = RegisterEntry.objects.get(pk=subject.pk)
    assert (entry.status, entry.suspension_kind) == ("suspended", "interim")
    assert _reload(case).status == Status.INVESTIGATING
    assert _steps(case)[-1] == ("investigating", "investigating", "Interim suspension imposed")
    assert CaseFigures.objects.get(case=case).interim_suspension
    event = _events(case, "concerns.interim_order.imposed").get()
    assert event.data["order_id"] == order.pk and event.actor_id == registrars["Sam"].pk
    # The register tells the worker of the change of status; the case says why.
    to_worker = [m.body for m in mail.outbox if m.to == ["subject@example.org"]]
    assert any("People could miss their medicines." in body for body in to_worker)
    assert not any("Priya" in body for body in to_worker)


@pytest.mark.parametrize(
    ("arrange", "who", "message"),
    [
        ("medium_risk", "Sam", "needs a serious risk recorded at screening"),
        ("serious", "Dee", "Only a registrar with a part in this case"),
        ("already", "Sam", "already suspended while this case is looked into"),
        ("lapsed", "Sam", "nothing to suspend"),
        ("no_reasons", "Sam", "Write why the worker must be suspended now"),
    ],
)
def test_an_interim_suspension_is_refused_when_it_may_not_be_imposed(
    subject, registrars, arrange, who, message
):
    case = investigating_case(
        subject, registrars, risk="medium" if arrange == "medium_risk" else "serious"
    )
    if arrange == "already":
        case_services.interim_suspend(case=case, registrar=registrars["Sam"], reasons="Risk.")
    if arrange == "lapsed":
        RegisterEntry.objects.filter(pk=subject.pk).update(status=RegisterEntry.Status.LAPSED)
        case = _reload(case)
    orders = InterimOrder.objects.count()

    with pytest.raises(CaseError, match=message):
        case_services.interim_suspend(
            case=case,
            registrar=registrars[who],
            reasons="" if arrange == "no_reasons" else "Risk.",
        )

    assert InterimOrder.objects.count() == orders


def test_the_worker_responds_to_an_interim_suspension_once(subject, registrars, worker):
    case = investigating_case(subject, registrars)
    order = case_services.interim_suspend(case=case, registrar=registrars["Sam"], reasons="R.")

    with pytest.raises(CaseError, match="Write your response."):
        case_services.interim_respond(order=order, worker=subject.worker, text=" ")
    with pytest.raises(CaseError, match="You can only respond to your own suspension."):
        case_services.interim_respond(order=order, worker=worker, text="Not me.")
    case_services.interim_respond(order=order, worker=subject.worker, text="I was on leave.")
    with pytest.raises(CaseError, match="already responded"):
        case_services.interim_respond(order=order, worker=subject.worker, text="Again.")

    order.refresh_from_db()
    assert order.worker_response == "I was on leave." and order.responded_at
    assert _events(case, "concerns.interim_order.responded").get().data["late"] is False


def test_a_late_response_to_an_interim_suspension_is_kept_and_marked_late(
    subject, registrars, clock
):
    case = investigating_case(subject, registrars)
    order = case_services.interim_suspend(case=case, registrar=registrars["Sam"], reasons="R.")
    clock.advance(timedelta(days=15))

    case_services.interim_respond(order=order, worker=subject.worker, text="Sorry, late.")

    assert _events(case, "concerns.interim_order.responded").get().data["late"] is True


def test_the_registrar_who_imposed_a_suspension_never_reviews_it(subject, registrars):
    case = investigating_case(subject, registrars)
    order = case_services.interim_suspend(case=case, registrar=registrars["Sam"], reasons="R.")

    with pytest.raises(CaseError, match="A registrar who did not impose the suspension"):
        case_services.interim_review(
            order=order, registrar=registrars["Sam"], review="lift", reasons="Changed my mind."
        )

    order.refresh_from_db()
    assert order.reviewed_at is None and order.in_force


def test_a_suspension_is_not_continued_before_the_worker_is_heard(subject, registrars, clock):
    case = investigating_case(subject, registrars)
    order = case_services.interim_suspend(case=case, registrar=registrars["Sam"], reasons="R.")

    with pytest.raises(CaseError, match="The worker has until .* to respond to the suspension"):
        case_services.interim_review(
            order=order, registrar=registrars["Ada"], review="continue", reasons="Risk stands."
        )

    order.refresh_from_db()
    assert order.reviewed_at is None
    assert not _events(case, "concerns.interim_order.reviewed").exists()
    # Once their time has passed without a response, it may be continued.
    clock.set(
        datetime.datetime.combine(order.response_due + timedelta(days=1), datetime.time(9), UK)
    )
    case_services.interim_review(
        order=order, registrar=registrars["Ada"], review="continue", reasons="Risk stands."
    )
    order.refresh_from_db()
    assert order.review == "continue"


def test_a_second_registrar_continues_a_suspension(subject, registrars, committed):
    case = investigating_case(subject, registrars)
    order = case_services.interim_suspend(case=case, registrar=registrars["Sam"], reasons="R.")
    # Before the review, any registrar but Sam may read the case to review it.
    assert can(registrars["Ada"], "case.view", _reload(case))
    case_services.interim_respond(order=order, worker=subject.worker, text="I was not there.")
    mail.outbox.clear()

    with committed(execute=True):
        case_services.interim_review(
            order=order, registrar=registrars["Ada"], review="continue", reasons="Risk stands."
        )

    order.refresh_from_db()
    assert (order.review, order.reviewed_by, order.in_force) == (
        "continue",
        registrars["Ada"],
        True,
    )
    assert RegisterEntry.objects.get(pk=subject.pk).status == "suspended"
    assert Participant.objects.filter(
        case=case, registrar=registrars["Ada"], role=Participant.Role.INTERIM_REVIEWER
    ).exists()
    assert _steps(case)[-1][2] == "Interim suspension reviewed: continue the suspension"
    assert _events(case, "concerns.interim_order.reviewed").get().data["review"] == "continue"
    assert [m.to for m in mail.outbox] == [["subject@example.org"]]
    # Once reviewed, a registrar with no part no longer reads the case.
    assert not can(registrars["Abe"], "case.view", _reload(case))
    with pytest.raises(CaseError, match="already been reviewed"):
        case_services.interim_review(
            order=order, registrar=registrars["Abe"], review="lift", reasons="No."
        )


def test_a_second_registrar_lifts_a_suspension_and_the_worker_may_practise(subject, registrars):
    case = investigating_case(subject, registrars)
    order = case_services.interim_suspend(case=case, registrar=registrars["Sam"], reasons="R.")

    case_services.interim_review(
        order=order, registrar=registrars["Ada"], review="lift", reasons="The employer acted."
    )

    order.refresh_from_db()
    assert not order.in_force
    assert RegisterEntry.objects.get(pk=subject.pk).status == "registered"
    assert _events(case, "concerns.interim_order.ended").exists()
    with pytest.raises(CaseError, match="This suspension has ended."):
        case_services.interim_respond(order=order, worker=subject.worker, text="Too late.")


@pytest.mark.parametrize(
    ("review", "reasons", "message"),
    [
        ("pause", "x", "Choose whether to continue or lift the suspension."),
        ("lift", " ", "Write the reasons for your review"),
    ],
)
def test_a_review_with_bad_input_says_why(subject, registrars, review, reasons, message):
    case = investigating_case(subject, registrars)
    order = case_services.interim_suspend(case=case, registrar=registrars["Sam"], reasons="R.")

    with pytest.raises(CaseError, match=message):
        case_services.interim_review(
            order=order, registrar=registrars["Ada"], review=review, reasons=reasons
        )

    order.refresh_from_db()
    assert order.reviewed_at is None


def test_a_decision_ends_an_interim_suspension(subject, registrars):
    case = investigating_case(subject, registrars)
    order = case_services.interim_suspend(case=case, registrar=registrars["Sam"], reasons="R.")

    decide(ready_to_decide(case, registrars), registrars, "advice")

    order.refresh_from_db()
    assert not order.in_force
    assert RegisterEntry.objects.get(pk=subject.pk).status == "registered"


def test_a_decision_to_remove_ends_an_unreviewed_interim_order_and_keeps_the_worker_suspended(
    subject, registrars
):
    case = investigating_case(subject, registrars)
    order = case_services.interim_suspend(case=case, registrar=registrars["Sam"], reasons="R.")

    decide(ready_to_decide(case, registrars), registrars, "removal")

    # The removal's own suspension takes the order's place until it can no longer be appealed.
    order.refresh_from_db()
    assert not order.in_force
    assert RegisterEntry.objects.get(pk=subject.pk).status == "suspended"
    # So the case is no longer open to every registrar as one to review...
    assert not can(registrars["Abe"], "case.view", _reload(case))
    # ...nobody can lift the suspension while the removal may be appealed...
    with pytest.raises(CaseError, match="You cannot review the interim suspension"):
        case_services.interim_review(
            order=order, registrar=registrars["Abe"], review="lift", reasons="Lift it."
        )
    assert RegisterEntry.objects.get(pk=subject.pk).status == "suspended"
    # ...and the worker is no longer asked to answer it.
    with pytest.raises(CaseError, match="This suspension has ended."):
        case_services.interim_respond(order=order, worker=subject.worker, text="Too late.")


# The worker's response -----------------------------------------------------------------------


def test_the_worker_responds_with_evidence_the_registrars_see(subject, registrars, worker):
    case = investigating_case(subject, registrars)

    response = case_services.case_respond(
        case=case, worker=subject.worker, text="I was not on shift.", documents=[pdf("rota.pdf")]
    )

    assert WorkerResponse.objects.get(case=case) == response
    document = Document.objects.get(case=case, given_by=Document.From.WORKER)
    assert document.shared_with_worker and document.read() == PDF
    assert _steps(case)[-1] == ("investigating", "investigating", "The worker responded")
    assert _events(case, "concerns.case.worker_responded").get().data["documents"] == 1
    with pytest.raises(PermissionDenied):
        case_services.case_respond(case=case, worker=worker, text="Me too.")


def test_the_worker_cannot_respond_once_a_decision_is_being_made(subject, registrars):
    case = ready_to_decide(investigating_case(subject, registrars), registrars)
    case_services.decision_propose(
        case=case, registrar=registrars["Dee"], outcome="advice", reasons="Once."
    )

    with pytest.raises(CaseError, match="A decision is being made on your case."):
        case_services.case_respond(case=case, worker=subject.worker, text="One more thing.")


# Panels and decisions ------------------------------------------------------------------------


def test_two_registrars_who_did_not_screen_form_the_decision_panel(subject, registrars):
    case = investigating_case(subject, registrars)

    case_services.panel_join(case=case, registrar=registrars["Dee"], role="decision_maker")
    with pytest.raises(CaseError, match="You are already on this panel."):
        case_services.panel_join(case=case, registrar=registrars["Dee"], role="decision_maker")
    case_services.panel_join(case=case, registrar=registrars["Dan"], role="decision_maker")
    with pytest.raises(CaseError, match="This panel already has two registrars."):
        case_services.panel_join(case=case, registrar=registrars["Abe"], role="decision_maker")
    with pytest.raises(CaseError, match="Choose the decision panel or the appeal panel."):
        case_services.panel_join(case=case, registrar=registrars["Abe"], role="screener")

    panel = Participant.objects.filter(case=case, role="decision_maker")
    assert {part.registrar.full_name for part in panel} == {"Dee", "Dan"}
    assert _events(case, "concerns.panel.joined").count() == 2


def test_the_registrar_who_screened_never_joins_the_decision_panel(subject, registrars):
    case = investigating_case(subject, registrars)

    with pytest.raises(CaseError, match="You screened this case, so you cannot decide it."):
        case_services.panel_join(case=case, registrar=registrars["Sam"], role="decision_maker")

    assert not Participant.objects.filter(case=case, role="decision_maker").exists()


def test_nobody_joins_the_panel_of_a_case_about_themselves(registrars):
    own = RegisterEntryFactory(application__worker=registrars["Dee"])
    case = investigating_case(own, registrars)

    with pytest.raises(PermissionDenied):
        case_services.panel_join(case=case, registrar=registrars["Dee"], role="decision_maker")


def test_only_a_panel_member_proposes(subject, registrars):
    case = ready_to_decide(investigating_case(subject, registrars), registrars)

    for name in ("Sam", "Abe"):
        with pytest.raises(CaseError, match="Join the panel first"):
            case_services.decision_propose(
                case=case, registrar=registrars[name], outcome="advice", reasons="Once."
            )

    assert not Decision.objects.exists()


def test_no_decision_is_proposed_while_the_worker_may_still_respond(subject, registrars):
    case = investigating_case(subject, registrars)
    for name in ("Dee", "Dan"):
        case_services.panel_join(case=case, registrar=registrars[name], role="decision_maker")

    with pytest.raises(CaseError, match="The worker has until"):
        case_services.decision_propose(
            case=case, registrar=registrars["Dee"], outcome="advice", reasons="Once."
        )
    case_services.case_respond(case=case, worker=subject.worker, text="It was a mistake.")

    decision = case_services.decision_propose(
        case=case, registrar=registrars["Dee"], outcome="advice", reasons="Once."
    )
    assert decision.status == Decision.Status.PROPOSED


def test_a_proposal_needs_a_second_registrar_on_the_panel_who_did_not_propose_it(
    subject, registrars
):
    case = ready_to_decide(investigating_case(subject, registrars), registrars)
    decision = case_services.decision_propose(
        case=case, registrar=registrars["Dee"], outcome="advice", reasons="Once."
    )
    assert _events(case, "concerns.decision.proposed").get().data["outcome"] == "advice"

    with pytest.raises(CaseError, match="A proposed decision is already waiting"):
        case_services.decision_propose(
            case=case, registrar=registrars["Dan"], outcome="no_action", reasons="Nothing."
        )
    with pytest.raises(CaseError, match="you proposed this decision"):
        case_services.decision_agree(decision=decision, registrar=registrars["Dee"])
    for name in ("Sam", "Abe"):
        with pytest.raises(CaseError, match="Only the second registrar on the panel"):
            case_services.decision_agree(decision=decision, registrar=registrars[name])
        with pytest.raises(CaseError, match="Only the second registrar on the panel"):
            case_services.decision_decline(
                decision=decision, registrar=registrars[name], reasons="No."
            )

    decision.refresh_from_db()
    assert decision.status == Decision.Status.PROPOSED
    assert _reload(case).status == Status.INVESTIGATING


def test_a_proposal_not_agreed_lets_the_panel_propose_again(subject, registrars):
    case = ready_to_decide(investigating_case(subject, registrars), registrars)
    decision = case_services.decision_propose(
        case=case, registrar=registrars["Dee"], outcome="no_action", reasons="Nothing."
    )

    with pytest.raises(CaseError, match="Write why you do not agree."):
        case_services.decision_decline(decision=decision, registrar=registrars["Dan"], reasons="")
    case_services.decision_decline(
        decision=decision, registrar=registrars["Dan"], reasons="The records show a pattern."
    )

    decision.refresh_from_db()
    assert decision.status == Decision.Status.DECLINED
    assert decision.declined_reasons == "The records show a pattern."
    assert _events(case, "concerns.decision.declined").exists()
    with pytest.raises(CaseError, match="no longer waiting for agreement"):
        case_services.decision_agree(decision=decision, registrar=registrars["Dan"])
    second = case_services.decision_propose(
        case=case, registrar=registrars["Dan"], outcome="advice", reasons="A pattern, advised."
    )
    case_services.decision_agree(decision=second, registrar=registrars["Dee"])
    assert _reload(case).outcome == Case.Outcome.ADVICE


@pytest.mark.parametrize(
    ("outcome", "fields", "message"),
    [
        ("reprimand", {}, "Choose an outcome."),
        ("warning", {"until": "later"}, "Write the warning or the conditions"),
        ("conditions", {}, "Write the warning or the conditions"),
        ("warning", {"published_text": "Warned."}, "Give the day the warning or suspension ends"),
        ("suspension", {"until": "past"}, "Give the day the warning or suspension ends"),
        ("advice", {"until": "past"}, "The end date must be in the future."),
    ],
)
def test_an_outcome_without_what_it_needs_is_refused(subject, registrars, outcome, fields, message):
    case = ready_to_decide(investigating_case(subject, registrars), registrars)
    days = {"later": 30, "past": -1}
    fields = dict(fields)
    if "until" in fields:
        fields["until"] = timezone.localdate() + timedelta(days=days[fields["until"]])

    with pytest.raises(CaseError, match=message):
        case_services.decision_propose(
            case=case, registrar=registrars["Dee"], outcome=outcome, reasons="R.", **fields
        )

    assert not Decision.objects.exists()


def test_every_decision_has_written_reasons(subject, registrars):
    case = ready_to_decide(investigating_case(subject, registrars), registrars)

    with pytest.raises(CaseError, match="Write the reasons for the decision"):
        case_services.decision_propose(
            case=case, registrar=registrars["Dee"], outcome="advice", reasons="  "
        )


def test_no_action_closes_the_case_at_once_with_nothing_to_appeal(subject, registrars, committed):
    case = ready_to_decide(investigating_case(subject, registrars), registrars)
    mail.outbox.clear()

    with committed(execute=True):
        decision = decide(case, registrars, "no_action")

    case = _reload(case)
    assert (case.status, case.outcome, case.appeal_due) == (Status.CLOSED, "no_action", None)
    assert _steps(case)[-2:] == [
        ("investigating", "decided", "Decision made"),
        ("decided", "closed", "Closed: no action"),
    ]
    made = _events(case, "concerns.decision.made").get()
    assert made.data["decision_id"] == decision.pk and made.actor_id == registrars["Dan"].pk
    assert {m.to[0] for m in mail.outbox} == {"subject@example.org", "priya@example.org"}
    to_raiser = next(m for m in mail.outbox if m.to == ["priya@example.org"])
    assert "no public action" in to_raiser.body


def test_a_decision_opens_the_appeal_window_and_counts_the_days_to_decide(
    subject, registrars, clock
):
    case = investigating_case(subject, registrars)
    clock.advance(timedelta(days=30))

    decide(ready_to_decide(case, registrars), registrars, "advice")

    case = _reload(case)
    assert case.status == Status.APPEAL_WINDOW
    assert case.appeal_due == timezone.localdate() + timedelta(days=28)
    assert CaseFigures.objects.get(case=case).days_to_decide == 30
    assert CaseFigures.objects.get(case=case).outcome == "advice"
    decision = case.decisions.get()
    assert (decision.proposed_by, decision.agreed_by) == (registrars["Dee"], registrars["Dan"])


# Appeals -------------------------------------------------------------------------------------


def test_the_worker_appeals_in_time_with_evidence(subject, registrars, committed):
    case = ready_to_decide(investigating_case(subject, registrars), registrars)
    decide(case, registrars, "advice")
    mail.outbox.clear()

    with committed(execute=True):
        appeal = case_services.appeal_lodge(
            case=case, worker=subject.worker, grounds="Unfair.", documents=[pdf("letter.pdf")]
        )

    case = _reload(case)
    assert case.status == Status.APPEALED and Appeal.objects.get(case=case) == appeal
    assert CaseFigures.objects.get(case=case).appealed
    assert _steps(case)[-1] == ("appeal_window", "appealed", "Appeal received")
    assert Document.objects.get(case=case, given_by="worker").shared_with_worker
    assert [m.to for m in mail.outbox] == [["subject@example.org"]]


def test_an_appeal_after_the_time_to_appeal_is_refused(subject, registrars, clock):
    case = ready_to_decide(investigating_case(subject, registrars), registrars)
    decide(case, registrars, "advice")
    clock.advance(timedelta(days=29))

    with pytest.raises(CaseError, match="The time to appeal ended on"):
        case_services.appeal_lodge(case=case, worker=subject.worker, grounds="Late.")

    assert _reload(case).status == Status.APPEAL_WINDOW
    assert not Appeal.objects.exists()


def test_only_the_worker_appeals(subject, registrars, worker):
    case = ready_to_decide(investigating_case(subject, registrars), registrars)
    decide(case, registrars, "advice")

    with pytest.raises(PermissionDenied):
        case_services.appeal_lodge(case=case, worker=worker, grounds="For a friend.")


def test_nobody_who_took_part_in_the_decision_decides_the_appeal(subject, registrars):
    case = _appealed(subject, registrars)

    for name in ("Dee", "Dan"):
        with pytest.raises(CaseError, match="You took part in the decision"):
            case_services.panel_join(case=case, registrar=registrars[name], role="appeal_decider")
    case_services.panel_join(case=case, registrar=registrars["Abe"], role="appeal_decider")
    case_services.panel_join(case=case, registrar=registrars["Ada"], role="appeal_decider")
    with pytest.raises(CaseError, match="This panel already has two registrars."):
        eve = make_registrar("eve@register.example", "Eve")
        case_services.panel_join(case=case, registrar=eve, role="appeal_decider")


def test_the_registrar_who_screened_never_decides_the_appeal_either(subject, registrars):
    # An appeal decides the case again: the one who screened it decides neither.
    case = _appealed(subject, registrars)

    with pytest.raises(CaseError, match="You screened this case, so you cannot decide"):
        case_services.panel_join(case=case, registrar=registrars["Sam"], role="appeal_decider")

    assert not Participant.objects.filter(case=case, role="appeal_decider").exists()


def test_an_appeal_decision_says_whether_it_is_upheld_and_only_lessens_the_outcome(
    subject, registrars
):
    case = _appeal_panel(_appealed(subject, registrars), registrars)

    with pytest.raises(CaseError, match="Say whether the appeal is upheld."):
        case_services.decision_propose(
            case=case, registrar=registrars["Abe"], outcome="no_action", reasons="R."
        )
    for outcome in ("advice", "warning"):
        with pytest.raises(CaseError, match="less serious outcome"):
            case_services.decision_propose(
                case=case,
                registrar=registrars["Abe"],
                outcome=outcome,
                upheld=True,
                reasons="R.",
                published_text="W.",
                until=timezone.localdate() + timedelta(days=30),
            )
    with pytest.raises(CaseError, match="Join the panel first"):
        case_services.decision_propose(
            case=case, registrar=registrars["Dee"], outcome="no_action", upheld=True, reasons="R."
        )


def test_a_dismissed_appeal_leaves_the_decision_and_closes_the_case(subject, registrars, committed):
    case = _appeal_panel(_appealed(subject, registrars), registrars)
    mail.outbox.clear()

    decision = case_services.decision_propose(
        case=case,
        registrar=registrars["Abe"],
        outcome="no_action",
        upheld=False,
        reasons="The records are clear.",
    )
    with committed(execute=True):
        case_services.decision_agree(decision=decision, registrar=registrars["Ada"])

    decision.refresh_from_db()
    assert (decision.on_appeal, decision.upheld, decision.outcome) == (True, False, "advice")
    case = _reload(case)
    assert (case.status, case.outcome) == (Status.CLOSED, "advice")
    assert _steps(case)[-1] == ("appealed", "closed", "Appeal dismissed")
    figures = CaseFigures.objects.get(case=case)
    assert (figures.appealed, figures.appeal_upheld, figures.outcome) == (True, False, "advice")
    to_raiser = next(m for m in mail.outbox if m.to == ["priya@example.org"])
    assert "The appeal was dismissed." in to_raiser.body


def test_an_upheld_appeal_replaces_the_outcome(subject, registrars):
    case = _appeal_panel(_appealed(subject, registrars), registrars)

    decision = case_services.decision_propose(
        case=case,
        registrar=registrars["Ada"],
        outcome="no_action",
        upheld=True,
        reasons="The worker was not on shift.",
    )
    case_services.decision_agree(decision=decision, registrar=registrars["Abe"])

    case = _reload(case)
    assert (case.status, case.outcome) == (Status.CLOSED, "no_action")
    assert _steps(case)[-1] == ("appealed", "closed", "Appeal upheld")
    figures = CaseFigures.objects.get(case=case)
    assert (figures.appeal_upheld, figures.outcome) == (True, "no_action")
    assert _events(case, "concerns.case.closed").get().data == {"upheld": True}


def test_an_upheld_appeal_against_a_suspension_lets_the_worker_practise(subject, registrars):
    until = timezone.localdate() + timedelta(days=90)
    case = _appeal_panel(_appealed(subject, registrars, "suspension", until=until), registrars)
    assert RegisterEntry.objects.get(pk=subject.pk).status == "suspended"

    decision = case_services.decision_propose(
        case=case, registrar=registrars["Abe"], outcome="advice", upheld=True, reasons="Harsh."
    )
    case_services.decision_agree(decision=decision, registrar=registrars["Ada"])

    assert RegisterEntry.objects.get(pk=subject.pk).status == "registered"
    assert _reload(case).outcome == "advice"


def test_a_dismissed_appeal_against_removal_removes_the_worker(subject, registrars):
    case = _appeal_panel(_appealed(subject, registrars, "removal"), registrars)
    assert RegisterEntry.objects.get(pk=subject.pk).status == "suspended"

    decision = case_services.decision_propose(
        case=case, registrar=registrars["Abe"], outcome="no_action", upheld=False, reasons="R."
    )
    case_services.decision_agree(decision=decision, registrar=registrars["Ada"])

    entry = RegisterEntry.objects.get(pk=subject.pk)
    assert (entry.status, entry.removal_kind) == ("removed", "fitness_to_practise")


# Closing cases nobody appealed ---------------------------------------------------------------


def test_a_case_not_appealed_closes_the_day_after_its_appeal_date(subject, registrars, clock):
    case = ready_to_decide(investigating_case(subject, registrars), registrars)
    decide(case, registrars, "advice")
    appeal_due = _reload(case).appeal_due

    clock.advance(timedelta(days=28))
    assert timezone.localdate() == appeal_due
    assert case_services.cases_close_unappealed() == []
    clock.advance(timedelta(days=1))
    assert [closed.pk for closed in case_services.cases_close_unappealed()] == [case.pk]
    assert case_services.cases_close_unappealed() == []

    case = _reload(case)
    assert case.status == Status.CLOSED
    assert _steps(case)[-1] == ("appeal_window", "closed", "Closed: not appealed in time")
    event = _events(case, "concerns.case.closed").get()
    assert event.actor_id is None


def test_a_removal_takes_effect_when_the_case_closes_unappealed(subject, registrars, clock):
    case = ready_to_decide(investigating_case(subject, registrars), registrars)
    decide(case, registrars, "removal")
    assert RegisterEntry.objects.get(pk=subject.pk).status == "suspended"

    clock.advance(timedelta(days=29))
    case_services.cases_close_unappealed()

    assert RegisterEntry.objects.get(pk=subject.pk).status == "removed"


# Documents -----------------------------------------------------------------------------------


def test_a_registrar_adds_evidence_encrypted_on_disk(subject, registrars):
    case = investigating_case(subject, registrars)

    document = case_services.document_add(
        case=case, registrar=registrars["Sam"], upload=pdf("notes.pdf"), shared_with_worker=False
    )

    with document.file.open("rb") as stored:
        assert stored.read() != PDF
    assert document.read() == PDF
    assert (document.given_by, document.shared_with_worker) == ("registrar", False)
    assert document.original_name == "notes.pdf"
    event = _events(case, "concerns.document.added").get()
    assert event.data == {"document_id": document.pk, "shared_with_worker": False}


def test_only_a_registrar_who_may_see_the_case_adds_evidence(subject, registrars):
    case = investigating_case(subject, registrars)

    with pytest.raises(PermissionDenied):
        case_services.document_add(
            case=case, registrar=registrars["Abe"], upload=pdf(), shared_with_worker=False
        )


def test_a_file_that_is_not_what_it_says_is_refused_and_nothing_is_stored(
    subject, registrars, settings
):
    case = investigating_case(subject, registrars)
    before = {path.name for path in (settings.MEDIA_ROOT / "concerns").iterdir()}

    with pytest.raises(CaseError, match="photo.png: The file's name does not match"):
        case_services.document_add(
            case=case, registrar=registrars["Sam"], upload=pdf("photo.png"), shared_with_worker=True
        )

    assert not Document.objects.filter(case=case, given_by="registrar").exists()
    assert {path.name for path in (settings.MEDIA_ROOT / "concerns").iterdir()} == before


def test_sharing_a_document_lets_the_worker_see_it_and_tells_them(subject, registrars, committed):
    case = investigating_case(subject, registrars)
    document = Document.objects.get(case=case, given_by="raiser")
    mail.outbox.clear()

    with committed(execute=True):
        case_services.document_share(document=document, registrar=registrars["Sam"])

    document.refresh_from_db()
    assert document.shared_with_worker
    assert _events(case, "concerns.document.shared").get().data == {"document_id": document.pk}
    assert [m.to for m in mail.outbox] == [["subject@example.org"]]
    with pytest.raises(CaseError, match="The worker can already see this document."):
        case_services.document_share(document=document, registrar=registrars["Sam"])


def _no_part_readers(subject, registrars):
    """Cases a registrar with no part may read: one waiting to be screened, and one whose
    interim suspension waits for its review."""
    received = received_case(subject)
    suspended = investigating_case(subject, registrars)
    case_services.interim_suspend(case=suspended, registrar=registrars["Sam"], reasons="R.")
    return [received, _reload(suspended)]


def test_only_a_registrar_with_a_part_in_the_case_shares_a_document_with_the_worker(
    subject, registrars
):
    # What the worker may see of a raiser's evidence is for the registrars answerable for the
    # case (the screener, the panel), not for one reading it to screen or to review.
    for case in _no_part_readers(subject, registrars):
        assert can(registrars["Abe"], "case.view", case)
        document = case.documents.get(given_by="raiser")

        with pytest.raises(CaseError, match="Only a registrar with a part in this case"):
            case_services.document_share(document=document, registrar=registrars["Abe"])
        with pytest.raises(CaseError, match="Only a registrar with a part in this case"):
            case_services.document_add(
                case=case, registrar=registrars["Abe"], upload=pdf(), shared_with_worker=True
            )

        document.refresh_from_db()
        assert not document.shared_with_worker
        assert not case.documents.filter(given_by="registrar").exists()
        assert not _events(case, "concerns.document.shared").exists()
    # Adding a document for the registrars alone stays open to them.
    case_services.document_add(
        case=case, registrar=registrars["Abe"], upload=pdf(), shared_with_worker=False
    )


# Who may see a case --------------------------------------------------------------------------


def test_a_received_case_is_open_to_every_registrar_then_only_to_those_with_a_part(
    subject, registrars, registrar_without_mfa
):
    case = received_case(subject)
    assert all(can(user, "case.view", case) for user in registrars.values())
    assert not can(registrar_without_mfa, "case.view", case)
    assert not can(subject.worker, "case.view", case)

    _screen(case, registrars["Sam"])
    case = _reload(case)

    assert can(registrars["Sam"], "case.view", case)
    assert not can(registrars["Dee"], "case.view", case)
    case_services.panel_join(case=case, registrar=registrars["Dee"], role="decision_maker")
    assert can(registrars["Dee"], "case.view", _reload(case))


def test_a_registrar_without_a_second_factor_takes_no_part(subject, registrar_without_mfa):
    case = received_case(subject)

    with pytest.raises(PermissionDenied):
        _screen(case, registrar_without_mfa)


def test_each_step_is_timed_in_the_case_s_timeline(subject, registrars, clock):
    start = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=UK)
    clock.set(start)
    case = received_case(subject)
    clock.set(start + timedelta(days=1))
    _screen(case, registrars["Sam"])
    clock.set(start + timedelta(days=2))
    case_services.case_respond(case=_reload(case), worker=subject.worker, text="Sorry.")
    clock.set(start + timedelta(days=3))
    for name in ("Dee", "Dan"):
        case_services.panel_join(case=case, registrar=registrars[name], role="decision_maker")
    decide(_reload(case), registrars, "advice")

    timeline = list(StepLog.objects.filter(case=case).values_list("note", "at", "by"))
    assert timeline == [
        ("Concern raised", start, None),
        ("Concern received", start, None),
        ("Screened", start + timedelta(days=1), registrars["Sam"].pk),
        ("Investigation opened", start + timedelta(days=1), registrars["Sam"].pk),
        ("The worker responded", start + timedelta(days=2), subject.worker.pk),
        ("Decision made", start + timedelta(days=3), registrars["Dan"].pk),
        ("Open to appeal", start + timedelta(days=3), registrars["Dan"].pk),
    ]
    assert CaseFigures.objects.get(case=case).days_to_decide == 3


def test_another_registrar_is_a_panel_member_like_any_other(subject, registrars):
    # The fixtures' five registrars are no special case: a sixth joins a panel as they do.
    case = investigating_case(subject, registrars)
    sixth = make_registrar("sia@register.example", "Sia")

    case_services.panel_join(case=case, registrar=sixth, role="decision_maker")

    assert can(sixth, "case.view", _reload(case))
