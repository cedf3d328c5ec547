"""The registrars' pages for concerns: who may open what at each stage of a case, every step
through its form, the refusals shown in the error summary with nothing changed, and the
raiser's identity shown to the case's registrars and nowhere else."""

from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from concerns.models import Case, Decision, Document, InterimOrder, Participant
from concerns.services import cases as case_services
from core.audit import AuditEvent
from register.models import RegisterEntry
from tests.concerns.conftest import (
    decide,
    investigating_case,
    make_registrar,
    pdf,
    ready_to_decide,
    received_case,
)
from tests.factories import RegisterEntryFactory

pytestmark = pytest.mark.django_db

PERSONAS = [
    "anonymous",
    "subject",
    "worker",
    "employer",
    "association_admin",
    "registrar_without_mfa",
    "registrar",
    "screener",
    "decision_maker",
    "appeal_decider",
]


@pytest.fixture
def people(subject, worker, entry, employer, association_admin, registrar_without_mfa, registrars):
    """Each persona of the table: `subject` is the worker the concern is about, `worker`
    another registered worker, `registrar` a registrar with no part in any case, `screener`
    Sam, `decision_maker` Dee and `appeal_decider` Abe."""
    return {
        "anonymous": None,
        "subject": subject.worker,
        "worker": worker,
        "employer": employer,
        "association_admin": association_admin,
        "registrar_without_mfa": registrar_without_mfa,
        "registrar": make_registrar("nia@register.example", "Nia"),
        "screener": registrars["Sam"],
        "decision_maker": registrars["Dee"],
        "appeal_decider": registrars["Abe"],
    }


def _client(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _deciding(subject, registrars) -> Case:
    """Investigating with serious risk: Sam screened it and suspended the worker, Ada reviewed
    the suspension, Dee and Dan are the panel, and Dee's proposal waits for Dan."""
    case = investigating_case(subject, registrars)
    order = case_services.interim_suspend(
        case=case, registrar=registrars["Sam"], reasons="Medicines errors put people at risk."
    )
    case_services.interim_respond(order=order, worker=subject.worker, text="Not me.")
    case_services.interim_review(
        order=order, registrar=registrars["Ada"], review="continue", reasons="The risk stands."
    )
    case = ready_to_decide(case, registrars)
    case_services.decision_propose(
        case=case, registrar=registrars["Dee"], outcome="advice", reasons="Once, with regret."
    )
    return case


def _appealed(subject, registrars) -> Case:
    """Decided (advice), appealed by the worker, with Abe and Ada on the appeal panel."""
    case = ready_to_decide(investigating_case(subject, registrars, risk="medium"), registrars)
    decide(case, registrars, "advice")
    case_services.appeal_lodge(case=case, worker=subject.worker, grounds="It did not happen.")
    case.refresh_from_db()
    for name in ("Abe", "Ada"):
        case_services.panel_join(case=case, registrar=registrars[name], role="appeal_decider")
    return case


STAGES = {
    "received": lambda subject, registrars: received_case(subject),
    "deciding": _deciding,
    "appealed": _appealed,
}

# What a GET answers, per stage and URL, in PERSONAS order. 302 from anonymous is to sign in,
# from the registrar without MFA to set it up, and from a registrar who may open the case but
# not take that step now, back to the case with the reason. 405: the URL takes only a POST.
ACCESS = {
    "received": {
        "queue": "302 403 403 403 403 302 200 200 200 200",
        "case": "302 404 404 404 404 302 200 200 200 200",
        "screen": "302 404 404 404 404 302 200 200 200 200",
        "interim": "302 404 404 404 404 302 302 302 302 302",
        "join": "302 405 405 405 405 302 405 405 405 405",
        "propose": "302 404 404 404 404 302 302 302 302 302",
        "document-add": "302 404 404 404 404 302 200 200 200 200",
        "document-share": "302 405 405 405 405 302 405 405 405 405",
    },
    "deciding": {
        "queue": "302 403 403 403 403 302 200 200 200 200",
        "case": "302 404 404 404 404 302 404 200 200 404",
        "screen": "302 404 404 404 404 302 404 302 302 404",
        "interim": "302 404 404 404 404 302 404 302 302 404",
        "interim-review": "302 404 404 404 404 302 404 302 302 404",
        "join": "302 405 405 405 405 302 405 405 405 405",
        "propose": "302 404 404 404 404 302 404 302 302 404",
        "second-opinion": "302 404 404 404 404 302 404 200 200 404",
        "document-add": "302 404 404 404 404 302 404 200 200 404",
        "document-share": "302 405 405 405 405 302 405 405 405 405",
    },
    "appealed": {
        "case": "302 404 404 404 404 302 404 200 200 200",
        "screen": "302 404 404 404 404 302 404 302 302 302",
        "interim": "302 404 404 404 404 302 404 302 302 302",
        "propose": "302 404 404 404 404 302 404 302 302 200",
        "second-opinion": "302 404 404 404 404 302 404 200 200 200",
        "document-add": "302 404 404 404 404 302 404 200 200 200",
    },
}


def _url(name: str, case: Case) -> str:
    if name == "queue":
        return reverse("concerns:queue")
    args = [case.reference]
    if name == "interim-review":
        args.append(case.interim_orders.get().pk)
    elif name == "second-opinion":
        args.append(case.decisions.first().pk)
    elif name == "document-share":
        args.append(case.documents.first().pk)
    return reverse(f"concerns:{name}", args=args)


@pytest.mark.parametrize(
    ("stage", "name", "persona", "expected"),
    [
        (stage, name, persona, int(codes.split()[index]))
        for stage, rows in ACCESS.items()
        for name, codes in rows.items()
        for index, persona in enumerate(PERSONAS)
    ],
)
def test_who_may_open_each_page_at_each_stage(
    people, subject, registrars, stage, name, persona, expected
):
    case = STAGES[stage](subject, registrars)

    response = _client(people[persona]).get(_url(name, case))

    assert response.status_code == expected
    if expected == 302 and persona not in {"anonymous", "registrar_without_mfa"}:
        assert response["Location"] == reverse("concerns:case", args=[case.reference])


def test_every_url_of_the_registrars_side_is_in_the_table():
    from concerns.urls import urlpatterns

    registrar_urls = {
        pattern.name for pattern in urlpatterns if str(pattern.pattern).startswith("registrar/")
    }
    tabled = {name for rows in ACCESS.values() for name in rows}
    assert registrar_urls == tabled


# The queue -----------------------------------------------------------------------------------


def test_the_queue_groups_cases_by_their_next_step_with_overdue_screening_first(
    subject, registrars, clock
):
    clock.advance(timedelta(days=-20))
    old = received_case(subject, what_happened="An old concern.")
    clock.advance(timedelta(days=20))
    new = received_case(subject)
    investigating = investigating_case(subject, registrars)
    client = _client(registrars["Dee"])

    page = client.get(reverse("concerns:queue")).content.decode()

    assert page.index("To screen (2)") < page.index("Waiting for a decision panel member (1)")
    assert page.index(old.reference) < page.index(new.reference)
    assert f"Overdue: was due by {old.screening_due.day}" in page
    assert "You may join the decision panel." in page
    assert investigating.reference in page


def test_a_registrar_sees_only_the_summary_line_of_a_case_they_have_no_part_in(subject, registrars):
    case = investigating_case(subject, registrars)
    page = _client(registrars["Dee"]).get(reverse("concerns:queue")).content.decode()

    assert case.reference in page
    assert f'href="{reverse("concerns:case", args=[case.reference])}"' not in page
    assert subject.registration_number in page
    assert "Priya" not in page and "priya@example.org" not in page
    assert "medicines" not in page


def test_the_queue_tells_the_screener_they_cannot_decide(subject, registrars):
    investigating_case(subject, registrars)

    page = _client(registrars["Sam"]).get(reverse("concerns:queue")).content.decode()

    assert "You screened this case, so you cannot decide it." in page
    assert "Join the decision panel" not in page


def test_the_queue_flags_an_interim_suspension_not_yet_reviewed(subject, registrars):
    case = investigating_case(subject, registrars)
    case_services.interim_suspend(case=case, registrar=registrars["Sam"], reasons="Risk.")

    sam = _client(registrars["Sam"]).get(reverse("concerns:queue")).content.decode()
    dee = _client(registrars["Dee"]).get(reverse("concerns:queue")).content.decode()

    assert "Interim suspension not yet reviewed" in sam
    assert "You imposed the interim suspension, so another registrar must review it." in sam
    # Any other registrar may open the case to review it.
    assert f'href="{reverse("concerns:case", args=[case.reference])}"' in dee


def test_a_worker_not_yet_identified_is_shown_as_such(subject, registrars):
    received_case(subject, registration_number="", worker_name="Lukasz", workplace="Elm Lodge")

    page = _client(registrars["Dee"]).get(reverse("concerns:queue")).content.decode()

    assert "Not identified" in page


def test_a_case_about_a_registrar_is_not_in_their_queue_and_they_cannot_open_it(registrars):
    own = RegisterEntryFactory(application__worker=registrars["Dee"])
    case = received_case(own)
    client = _client(registrars["Dee"])

    assert case.reference not in client.get(reverse("concerns:queue")).content.decode()
    assert client.get(reverse("concerns:case", args=[case.reference])).status_code == 404
    response = client.post(
        reverse("concerns:screen", args=[case.reference]),
        {"risk": "low", "result": "no_case", "reasons": "Nothing in it."},
    )
    assert response.status_code == 404
    case.refresh_from_db()
    assert case.status == Case.Status.RECEIVED


def test_the_registrar_home_counts_cases_to_screen_and_overdue(subject, registrars, clock):
    clock.advance(timedelta(days=-20))
    received_case(subject)
    clock.advance(timedelta(days=20))
    received_case(subject)

    page = _client(registrars["Sam"]).get(reverse("accounts:registrar-home")).content.decode()

    assert reverse("concerns:queue") in page
    assert "2 to screen, 1 overdue." in page


# The case page -------------------------------------------------------------------------------


def test_the_case_page_shows_the_raiser_to_registrars_and_warns_the_worker_will_not_see_it(
    subject, registrars
):
    case = received_case(subject)

    page = _client(registrars["Sam"]).get(reverse("concerns:case", args=[case.reference]))

    text = page.content.decode()
    assert "Priya Public" in text and "priya@example.org" in text and "07700 900123" in text
    assert "The worker will NOT see this." in text
    assert reverse("concerns:how") in text
    assert "Left my mother without her medicines" in text
    assert reverse("register:registrar-entry", args=[subject.registration_number]) in text
    assert reverse("concerns:document", args=[case.reference, case.documents.get().pk]) in text


def test_an_anonymous_concern_says_so(subject, registrars):
    case = received_case(subject, anonymous=True, name="", identity_withheld=False)

    text = _client(registrars["Sam"]).get(reverse("concerns:case", args=[case.reference]))

    assert "Anonymous." in text.content.decode()


def test_each_page_offers_only_the_steps_its_reader_may_take(subject, registrars):
    case = _deciding(subject, registrars)
    url = reverse("concerns:case", args=[case.reference])

    sam = _client(registrars["Sam"]).get(url).content.decode()
    dee = _client(registrars["Dee"]).get(url).content.decode()
    dan = _client(registrars["Dan"]).get(url).content.decode()

    proposal = reverse("concerns:second-opinion", args=[case.reference, case.decisions.get().pk])
    assert "You screened this case, so you cannot decide it." in sam
    assert "Agree or not with the proposed decision" not in sam
    assert "You proposed this decision, so the other registrar must agree it." in dee
    assert "Agree or not with the proposed decision" in dan and proposal in dan
    for page in (sam, dee, dan):
        assert "Propose a decision</a>" not in page
        assert "Screen this case" not in page
        assert "Impose an interim suspension" not in page


# Steps through their forms -------------------------------------------------------------------


def test_a_registrar_screens_a_case_and_opens_the_investigation(subject, registrars, committed):
    case = received_case(subject)
    client = _client(registrars["Sam"])
    with committed(execute=True):
        response = client.post(
            reverse("concerns:screen", args=[case.reference]),
            {
                "risk": "serious",
                "result": "investigate",
                "reasons": "Harm to a person.",
                "allegation": "On two days in November you did not give a person their medicines.",
            },
        )

    assert response.status_code == 302
    assert response["Location"] == reverse("concerns:case", args=[case.reference])
    case.refresh_from_db()
    assert case.status == Case.Status.INVESTIGATING
    assert case.screened_by == registrars["Sam"]
    page = client.get(response["Location"]).content.decode()
    assert "The investigation is open" in page
    to_worker = [message for message in mail.outbox if message.to == [subject.worker.email]]
    assert to_worker
    for message in to_worker:
        assert "Priya" not in message.body and "priya@example.org" not in message.body


def test_a_registrar_screens_a_case_out(subject, registrars):
    case = received_case(subject)

    response = _client(registrars["Sam"]).post(
        reverse("concerns:screen", args=[case.reference]),
        {"risk": "low", "result": "no_case", "reasons": "A dispute about fees."},
    )

    assert response.status_code == 302
    case.refresh_from_db()
    assert (case.status, case.outcome) == (Case.Status.CLOSED, Case.Outcome.NO_ACTION)


def test_screening_finds_a_worker_the_raiser_named_without_a_number(subject, registrars):
    case = received_case(subject, registration_number="", worker_name="Lukasz", workplace="Elm")
    client = _client(registrars["Sam"])
    form = client.get(reverse("concerns:screen", args=[case.reference])).content.decode()
    assert "The worker&#x27;s registration number" in form

    response = client.post(
        reverse("concerns:screen", args=[case.reference]),
        {
            "risk": "medium",
            "result": "investigate",
            "reasons": "Found on the register.",
            "allegation": "You left a person without medicines.",
            "registration_number": subject.registration_number.lower(),
        },
    )

    assert response.status_code == 302
    case.refresh_from_db()
    assert case.entry == subject


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"result": "no_case", "reasons": "x"}, "Choose the level of risk"),
        ({"risk": "low", "reasons": "x"}, "Choose whether to open an investigation"),
        ({"risk": "low", "result": "no_case"}, "Write the reasons for your screening decision"),
        (
            {"risk": "low", "result": "investigate", "reasons": "x"},
            "Write the allegation as the worker will read it",
        ),
    ],
)
def test_screening_with_something_missing_says_what_and_changes_nothing(
    subject, registrars, data, message
):
    case = received_case(subject)
    client = _client(registrars["Sam"])
    events = AuditEvent.objects.count()

    response = client.post(reverse("concerns:screen", args=[case.reference]), data)

    assert response.status_code == 400
    text = response.content.decode()
    assert "There is a problem" in text and message in text
    case.refresh_from_db()
    assert case.status == Case.Status.RECEIVED
    assert AuditEvent.objects.count() == events


def test_screening_with_a_number_nobody_has_shows_the_service_s_message(subject, registrars):
    case = received_case(subject, registration_number="", worker_name="Lukasz", workplace="Elm")

    response = _client(registrars["Sam"]).post(
        reverse("concerns:screen", args=[case.reference]),
        {
            "risk": "low",
            "result": "investigate",
            "reasons": "x",
            "allegation": "y",
            "registration_number": "CR9999999X",
        },
    )

    assert response.status_code == 400
    assert "No one on the register has that registration number." in response.content.decode()
    case.refresh_from_db()
    assert case.status == Case.Status.RECEIVED and case.entry is None


def test_a_registrar_cannot_screen_a_concern_about_themselves(subject, registrars):
    own = RegisterEntryFactory(application__worker=registrars["Sam"])
    case = received_case(subject, registration_number="", worker_name="Sam", workplace="Here")

    response = _client(registrars["Sam"]).post(
        reverse("concerns:screen", args=[case.reference]),
        {
            "risk": "low",
            "result": "investigate",
            "reasons": "x",
            "allegation": "y",
            "registration_number": own.registration_number,
        },
    )

    assert response.status_code == 400
    assert "You cannot screen a concern about yourself." in response.content.decode()
    case.refresh_from_db()
    assert case.entry is None and case.status == Case.Status.RECEIVED


def test_screening_twice_is_refused(subject, registrars):
    case = investigating_case(subject, registrars)

    response = _client(registrars["Dee"]).post(
        reverse("concerns:screen", args=[case.reference]),
        {"risk": "low", "result": "no_case", "reasons": "x"},
    )

    # Dee has no part in a case already screened: it is not hers to see.
    assert response.status_code == 404
    response = _client(registrars["Sam"]).post(
        reverse("concerns:screen", args=[case.reference]),
        {"risk": "low", "result": "no_case", "reasons": "x"},
    )
    assert response.status_code == 400
    assert "You cannot screen it: the case is investigating." in response.content.decode()


def test_an_interim_suspension_is_imposed_and_reviewed_by_another_registrar(subject, registrars):
    case = investigating_case(subject, registrars)
    sam = _client(registrars["Sam"])
    assert sam.get(reverse("concerns:interim", args=[case.reference])).status_code == 200

    response = sam.post(
        reverse("concerns:interim", args=[case.reference]), {"reasons": "People are at risk."}
    )

    assert response.status_code == 302
    subject.refresh_from_db()
    assert subject.status == RegisterEntry.Status.SUSPENDED
    order = InterimOrder.objects.get(case=case)
    review_url = reverse("concerns:interim-review", args=[case.reference, order.pk])

    own = sam.post(review_url, {"review": "lift", "reasons": "I changed my mind."})
    assert own.status_code == 400
    assert "A registrar who did not impose the suspension must review it." in own.content.decode()
    order.refresh_from_db()
    assert order.reviewed_at is None

    ada = _client(registrars["Ada"])
    assert ada.get(review_url).status_code == 200
    response = ada.post(review_url, {"review": "lift", "reasons": "The employer has acted."})
    assert response.status_code == 302
    subject.refresh_from_db()
    assert subject.status == RegisterEntry.Status.REGISTERED
    assert Participant.objects.filter(
        case=case, registrar=registrars["Ada"], role="interim_reviewer"
    ).exists()


def test_an_interim_suspension_needs_a_serious_risk(subject, registrars):
    case = investigating_case(subject, registrars, risk="medium")

    response = _client(registrars["Sam"]).post(
        reverse("concerns:interim", args=[case.reference]), {"reasons": "Risk."}
    )

    assert response.status_code == 400
    assert "needs a serious risk recorded at screening" in response.content.decode()
    subject.refresh_from_db()
    assert subject.status == RegisterEntry.Status.REGISTERED


def test_a_registrar_with_no_part_joins_the_panel_from_the_queue(subject, registrars):
    case = investigating_case(subject, registrars)
    client = _client(registrars["Dee"])

    response = client.post(
        reverse("concerns:join", args=[case.reference]), {"role": "decision_maker"}
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("concerns:case", args=[case.reference])
    assert client.get(response["Location"]).status_code == 200


def test_the_screener_cannot_join_the_decision_panel(subject, registrars):
    case = investigating_case(subject, registrars)

    response = _client(registrars["Sam"]).post(
        reverse("concerns:join", args=[case.reference]), {"role": "decision_maker"}
    )

    assert response.status_code == 400
    assert "You screened this case, so you cannot decide it." in response.content.decode()
    assert not Participant.objects.filter(case=case, role="decision_maker").exists()


def test_a_third_registrar_cannot_join_a_full_panel(subject, registrars, people):
    case = ready_to_decide(investigating_case(subject, registrars), registrars)

    response = _client(people["registrar"]).post(
        reverse("concerns:join", args=[case.reference]), {"role": "decision_maker"}
    )

    # Nia has no part, so the queue shows the refusal.
    assert response.status_code == 400
    text = response.content.decode()
    assert "This panel already has two registrars." in text and "Concerns about registrants" in text
    assert Participant.objects.filter(case=case, role="decision_maker").count() == 2


def test_a_registrar_cannot_join_the_panel_of_a_case_about_themselves(registrars):
    own = RegisterEntryFactory(application__worker=registrars["Dee"])
    case = investigating_case(own, registrars)

    response = _client(registrars["Dee"]).post(
        reverse("concerns:join", args=[case.reference]), {"role": "decision_maker"}
    )

    assert response.status_code == 404
    assert not Participant.objects.filter(case=case, registrar=registrars["Dee"]).exists()


def test_the_screener_cannot_propose_a_decision(subject, registrars):
    case = ready_to_decide(investigating_case(subject, registrars), registrars)

    response = _client(registrars["Sam"]).post(
        reverse("concerns:propose", args=[case.reference]),
        {"outcome": "no_action", "reasons": "Nothing in it."},
    )

    assert response.status_code == 400
    assert "Join the panel first" in response.content.decode()
    assert not Decision.objects.filter(case=case).exists()


def test_a_decision_cannot_be_proposed_while_the_worker_may_still_respond(subject, registrars):
    case = investigating_case(subject, registrars)
    for name in ("Dee", "Dan"):
        case_services.panel_join(case=case, registrar=registrars[name], role="decision_maker")

    response = _client(registrars["Dee"]).post(
        reverse("concerns:propose", args=[case.reference]),
        {"outcome": "advice", "reasons": "Once."},
    )

    assert response.status_code == 400
    assert "The worker has until" in response.content.decode()
    assert not Decision.objects.filter(case=case).exists()


def test_the_panel_proposes_and_the_other_member_agrees(subject, registrars, committed):
    case = ready_to_decide(investigating_case(subject, registrars), registrars)
    dee = _client(registrars["Dee"])
    assert dee.get(reverse("concerns:propose", args=[case.reference])).status_code == 200

    response = dee.post(
        reverse("concerns:propose", args=[case.reference]),
        {"outcome": "advice", "reasons": "A single lapse, put right at once."},
    )

    assert response.status_code == 302
    decision = Decision.objects.get(case=case)
    url = reverse("concerns:second-opinion", args=[case.reference, decision.pk])
    own = dee.post(url, {"answer": "agree"})
    assert own.status_code == 400
    assert "A second registrar must agree: you proposed this decision." in own.content.decode()

    dan = _client(registrars["Dan"])
    page = dan.get(url).content.decode()
    assert "A single lapse, put right at once." in page and ">Agree</button>" in page
    with committed(execute=True):
        response = dan.post(url, {"answer": "agree"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == Case.Status.APPEAL_WINDOW
    assert case.outcome == Case.Outcome.ADVICE
    for message in mail.outbox:
        if message.to == [subject.worker.email]:
            assert "Priya" not in message.body


def test_a_proposal_not_agreed_needs_reasons_and_another_may_follow(subject, registrars):
    case = ready_to_decide(investigating_case(subject, registrars), registrars)
    decision = case_services.decision_propose(
        case=case, registrar=registrars["Dee"], outcome="no_action", reasons="Nothing in it."
    )
    url = reverse("concerns:second-opinion", args=[case.reference, decision.pk])
    dan = _client(registrars["Dan"])

    response = dan.post(url, {"answer": "decline"})
    assert response.status_code == 400
    assert "Write why you do not agree" in response.content.decode()
    decision.refresh_from_db()
    assert decision.status == Decision.Status.PROPOSED

    response = dan.post(url, {"answer": "decline", "reasons": "The records show a pattern."})
    assert response.status_code == 302
    decision.refresh_from_db()
    assert decision.status == Decision.Status.DECLINED
    assert (
        _client(registrars["Dee"])
        .get(reverse("concerns:propose", args=[case.reference]))
        .status_code
        == 200
    )


def test_a_warning_needs_its_published_text_and_an_end_date(subject, registrars):
    case = ready_to_decide(investigating_case(subject, registrars), registrars)

    response = _client(registrars["Dee"]).post(
        reverse("concerns:propose", args=[case.reference]),
        {"outcome": "warning", "reasons": "Twice."},
    )

    assert response.status_code == 400
    assert "Write the warning or the conditions" in response.content.decode()
    assert not Decision.objects.filter(case=case).exists()


def test_an_end_date_is_typed_in_three_boxes(subject, registrars):
    case = ready_to_decide(investigating_case(subject, registrars), registrars)
    ends = timezone.localdate() + timedelta(days=90)

    response = _client(registrars["Dee"]).post(
        reverse("concerns:propose", args=[case.reference]),
        {
            "outcome": "suspension",
            "reasons": "Serious harm.",
            "until_0": str(ends.day),
            "until_1": str(ends.month),
            "until_2": str(ends.year),
        },
    )

    assert response.status_code == 302
    assert Decision.objects.get(case=case).until == ends


def test_a_wrong_end_date_is_named(subject, registrars):
    case = ready_to_decide(investigating_case(subject, registrars), registrars)

    response = _client(registrars["Dee"]).post(
        reverse("concerns:propose", args=[case.reference]),
        {
            "outcome": "suspension",
            "reasons": "x",
            "until_0": "31",
            "until_1": "2",
            "until_2": "2030",
        },
    )

    assert response.status_code == 400
    assert "The end date must be a real date" in response.content.decode()


def test_decision_makers_cannot_join_the_appeal_panel(subject, registrars):
    case = ready_to_decide(investigating_case(subject, registrars, risk="medium"), registrars)
    decide(case, registrars, "advice")
    case_services.appeal_lodge(case=case, worker=subject.worker, grounds="It did not happen.")

    response = _client(registrars["Dee"]).post(
        reverse("concerns:join", args=[case.reference]), {"role": "appeal_decider"}
    )

    assert response.status_code == 400
    assert "You took part in the decision" in response.content.decode()
    assert not Participant.objects.filter(case=case, role="appeal_decider").exists()


def test_the_appeal_panel_upholds_an_appeal_with_a_less_serious_outcome(subject, registrars):
    case = _appealed(subject, registrars)
    abe = _client(registrars["Abe"])
    form = abe.get(reverse("concerns:propose", args=[case.reference])).content.decode()
    assert "Is the appeal upheld?" in form
    assert 'value="advice"' not in form and 'value="no_action"' in form

    response = abe.post(
        reverse("concerns:propose", args=[case.reference]),
        {"upheld": "yes", "reasons": "The records were of another worker."},
    )
    assert response.status_code == 400
    assert "Choose the outcome that replaces the decision" in response.content.decode()

    response = abe.post(
        reverse("concerns:propose", args=[case.reference]),
        {"upheld": "yes", "outcome": "no_action", "reasons": "The records were of another."},
    )
    assert response.status_code == 302
    decision = Decision.objects.get(case=case, on_appeal=True)
    response = _client(registrars["Ada"]).post(
        reverse("concerns:second-opinion", args=[case.reference, decision.pk]),
        {"answer": "agree"},
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert (case.status, case.outcome) == (Case.Status.CLOSED, Case.Outcome.NO_ACTION)


def test_a_registrar_adds_a_document_and_shares_another_with_the_worker(subject, registrars):
    case = investigating_case(subject, registrars)
    sam = _client(registrars["Sam"])

    response = sam.post(
        reverse("concerns:document-add", args=[case.reference]),
        {"upload": pdf("notes.pdf"), "shared_with_worker": "on"},
    )

    assert response.status_code == 302
    added = Document.objects.get(case=case, given_by=Document.From.REGISTRAR)
    assert added.shared_with_worker
    raisers = Document.objects.get(case=case, given_by=Document.From.RAISER)
    url = reverse("concerns:document-share", args=[case.reference, raisers.pk])
    assert sam.post(url).status_code == 302
    raisers.refresh_from_db()
    assert raisers.shared_with_worker
    again = sam.post(url)
    assert again.status_code == 400
    assert "The worker can already see this document." in again.content.decode()


def test_only_a_registrar_with_a_part_is_offered_to_share_a_document(subject, registrars):
    case = received_case(subject)
    share = reverse("concerns:document-share", args=[case.reference, case.documents.get().pk])
    abe = _client(registrars["Abe"])

    assert share not in abe.get(reverse("concerns:case", args=[case.reference])).content.decode()
    add = abe.get(reverse("concerns:document-add", args=[case.reference])).content.decode()
    assert 'name="shared_with_worker"' not in add
    response = abe.post(share)
    assert response.status_code == 400
    assert "Only a registrar with a part in this case" in response.content.decode()
    # Ticked in a form that no longer offers it, the box is ignored: the file stays private.
    abe.post(
        reverse("concerns:document-add", args=[case.reference]),
        {"upload": pdf("call-notes.pdf"), "shared_with_worker": "on"},
    )
    assert not Document.objects.get(case=case, given_by="registrar").shared_with_worker

    case = investigating_case(subject, registrars)
    sam = _client(registrars["Sam"])
    page = sam.get(reverse("concerns:case", args=[case.reference])).content.decode()
    assert (
        reverse("concerns:document-share", args=[case.reference, case.documents.get().pk]) in page
    )
    add = sam.get(reverse("concerns:document-add", args=[case.reference])).content.decode()
    assert 'name="shared_with_worker"' in add


def test_a_file_that_is_not_what_it_says_is_refused_and_nothing_is_kept(subject, registrars):
    case = investigating_case(subject, registrars)

    response = _client(registrars["Sam"]).post(
        reverse("concerns:document-add", args=[case.reference]), {"upload": pdf("photo.png")}
    )

    assert response.status_code == 400
    assert "does not match what is inside it" in response.content.decode()
    assert not Document.objects.filter(case=case, given_by=Document.From.REGISTRAR).exists()


def test_every_post_needs_the_csrf_token(subject, registrars):
    case = received_case(subject)
    client = Client(enforce_csrf_checks=True)
    client.force_login(registrars["Sam"])

    response = client.post(
        reverse("concerns:screen", args=[case.reference]),
        {"risk": "low", "result": "no_case", "reasons": "x"},
    )

    assert response.status_code == 403
    case.refresh_from_db()
    assert case.status == Case.Status.RECEIVED
