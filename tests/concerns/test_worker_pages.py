"""The worker's side of a case: who may open each page, what the worker sees (and never sees:
who raised a concern when they asked not to be named), the three forms and their errors, the
document download, and the next step on the home page."""

import io
from datetime import timedelta

import pytest
from django.core import mail
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image, PngImagePlugin
from pypdf import PdfReader, PdfWriter

from concerns.models import Appeal, Case, Document, InterimOrder, WorkerResponse
from concerns.services import cases as case_services
from concerns.services.raising import concern_confirm, concern_raise
from core.audit import AuditEvent
from core.dates import format_day
from core.encryption import file_encrypt
from tests.concerns.conftest import (
    PDF,
    decide,
    investigating_case,
    pdf,
    raised,
    ready_to_decide,
    received_case,
)
from tests.factories import RegisterEntryFactory, UserFactory

pytestmark = pytest.mark.django_db

EXE = b"MZ\x90\x00" + b"\x00" * 64


def _page(client, case):
    return client.get(reverse("concerns:worker-case", args=[case.reference]))


def _signed_in(client, user):
    client.force_login(user)
    return client


# Who may open what -----------------------------------------------------------------------------


@pytest.fixture
def raiser(db):
    """Someone with an account who raised the concern while signed in."""
    return UserFactory(email="rae@example.org", full_name="Rae Raiser")


@pytest.fixture
def walk(subject, registrars, raiser, worker, employer, association_admin):
    """A case under investigation, raised by a signed-in person with a file of theirs (not
    shared with the worker), screened by Sam, with a registrar's file shared with the worker."""
    RegisterEntryFactory(application__worker=worker)
    case, _ = concern_raise(
        raised=raised(subject, name="", email="", phone=""), documents=[pdf()], user=raiser
    )
    case_services.case_screen(
        case=case,
        registrar=registrars["Sam"],
        risk="serious",
        result="investigate",
        reasons="Serious.",
        allegation="You did not give a person their medicines.",
    )
    shared = case_services.document_add(
        case=case,
        registrar=registrars["Sam"],
        upload=pdf("care-plan.pdf"),
        shared_with_worker=True,
    )
    case.refresh_from_db()
    return {
        "case": case,
        "shared": shared,
        "unshared": case.documents.get(given_by=Document.From.RAISER),
        "personas": {
            "subject": subject.worker,
            "other_worker": worker,
            "employer": employer,
            "association_admin": association_admin,
            "raiser": raiser,
            "screener": registrars["Sam"],
            "registrar_with_no_part": registrars["Dee"],
        },
    }


PERSONAS = [
    "anonymous",
    "subject",
    "other_worker",
    "employer",
    "association_admin",
    "raiser",
    "screener",
    "registrar_with_no_part",
]

# URL -> GET status per persona, in PERSONAS order. 302 from anonymous is the redirect to sign
# in; 405: the URL only takes a POST. The list of one's own cases is every signed-in person's,
# and shows only their own (test_the_list_shows_only_the_worker_s_own_cases).
GET_ACCESS = {
    "worker-cases": "302 200 200 200 200 200 200 200",
    "worker-case": "302 200 404 404 404 404 404 404",
    "worker-respond": "302 405 405 405 405 405 405 405",
    "worker-interim-respond": "302 405 405 405 405 405 405 405",
    "worker-appeal": "302 405 405 405 405 405 405 405",
    "document-shared": "302 200 404 404 404 404 200 404",
    "document-not-shared": "302 404 404 404 404 404 200 404",
}


def _url(name, walk):
    case = walk["case"]
    return {
        "worker-cases": reverse("concerns:worker-cases"),
        "worker-case": reverse("concerns:worker-case", args=[case.reference]),
        "worker-respond": reverse("concerns:worker-respond", args=[case.reference]),
        "worker-interim-respond": reverse(
            "concerns:worker-interim-respond", args=[case.reference, 1]
        ),
        "worker-appeal": reverse("concerns:worker-appeal", args=[case.reference]),
        "document-shared": reverse("concerns:document", args=[case.reference, walk["shared"].pk]),
        "document-not-shared": reverse(
            "concerns:document", args=[case.reference, walk["unshared"].pk]
        ),
    }[name]


@pytest.mark.parametrize(
    ("name", "persona", "expected"),
    [
        (name, persona, int(codes.split()[index]))
        for name, codes in GET_ACCESS.items()
        for index, persona in enumerate(PERSONAS)
    ],
)
def test_access_table(client, walk, name, persona, expected):
    if persona != "anonymous":
        client.force_login(walk["personas"][persona])

    response = client.get(_url(name, walk))

    assert response.status_code == expected


def test_the_list_shows_only_the_worker_s_own_cases(client, walk):
    reference = walk["case"].reference
    for persona, user in walk["personas"].items():
        client.force_login(user)
        page = client.get(reverse("concerns:worker-cases")).content.decode()
        assert (reference in page) == (persona == "subject"), persona


@pytest.mark.parametrize("persona", [p for p in PERSONAS if p not in {"anonymous", "subject"}])
def test_nobody_but_the_worker_may_respond_or_appeal(client, walk, registrars, persona):
    case = walk["case"]
    order = case_services.interim_suspend(
        case=case, registrar=registrars["Sam"], reasons="A serious risk."
    )
    client.force_login(walk["personas"][persona])
    posts = [
        ("concerns:worker-respond", [case.reference], {"respond-text": "Not me."}),
        (
            "concerns:worker-interim-respond",
            [case.reference, order.pk],
            {"interim-text": "Not me."},
        ),
        ("concerns:worker-appeal", [case.reference], {"appeal-grounds": "Wrong."}),
    ]
    for name, args, data in posts:
        assert client.post(reverse(name, args=args), data).status_code == 404, name
    assert not WorkerResponse.objects.exists()
    assert not Appeal.objects.exists()
    order.refresh_from_db()
    assert order.responded_at is None


def test_a_case_is_not_the_worker_s_to_see_until_they_are_told_of_it(client, subject):
    case = received_case(subject)
    client.force_login(subject.worker)

    assert _page(client, case).status_code == 404
    assert case.reference not in client.get(reverse("concerns:worker-cases")).content.decode()


# What the worker sees --------------------------------------------------------------------------


def test_the_case_page_shows_the_allegation_category_deadline_and_where_to_get_help(
    client, subject, registrars
):
    case = investigating_case(subject, registrars)
    page = _page(_signed_in(client, subject.worker), case).content.decode()

    assert "On two days in November 2026 you did not give a person their medicines." in page
    assert "Poor practice" in page
    assert f"You have until <strong>{format_day(case.response_due)}</strong>" in page
    assert "talk to your union" in page
    assert reverse("concerns:how") in page
    assert 'action="{}"'.format(reverse("concerns:worker-respond", args=[case.reference])) in page


def test_the_list_gives_each_case_s_stage_and_next_deadline(client, subject, registrars):
    case = investigating_case(subject, registrars)
    response = _signed_in(client, subject.worker).get(reverse("concerns:worker-cases"))
    page = response.content.decode()

    assert case.reference in page
    assert "Investigating" in page
    assert f"<strong>{format_day(case.response_due)}</strong>: respond to the concern" in page


SECRETS = [
    "Priya Public",
    "priya@example.org",
    "07700 900999",
    "Left my mother without her medicines for two days.",
    "Early November 2026",
]


def _everything_the_worker_reads(client, case, subject) -> str:
    """Every worker page of the case and every email sent to the worker."""
    client.force_login(subject.worker)
    pages = [
        _page(client, case).content.decode(),
        client.get(reverse("concerns:worker-cases")).content.decode(),
        client.get(reverse("accounts:home")).content.decode(),
    ]
    for document in case.documents.filter(shared_with_worker=True):
        response = client.get(reverse("concerns:document", args=[case.reference, document.pk]))
        pages.append(response["Content-Disposition"])
    emails = [
        f"{message.subject}\n{message.body}"
        for message in mail.outbox
        if message.to == [subject.worker.email]
    ]
    assert emails, "the worker was sent no email"
    return "\n".join(pages + emails)


def _whole_case(subject, registrars, committed, **changes):
    """A case taken through every step that writes to the worker, with the raiser's own file
    shared with the worker: investigation, interim suspension and its review, new evidence,
    the decision, the appeal and its decision."""
    with committed(execute=True):
        case = investigating_case(subject, registrars, phone="07700 900999", **changes)
        order = case_services.interim_suspend(
            case=case, registrar=registrars["Sam"], reasons="A serious risk to people."
        )
        case_services.interim_respond(order=order, worker=subject.worker, text="Not me.")
        case_services.interim_review(
            order=order, registrar=registrars["Dee"], review="continue", reasons="Still serious."
        )
        case_services.document_share(
            document=case.documents.get(given_by=Document.From.RAISER),
            registrar=registrars["Sam"],
        )
    snapshot = {"investigating": case.reference}
    with committed(execute=True):
        ready_to_decide(case, registrars)
        decide(case, registrars, "advice")
        case_services.appeal_lodge(case=case, worker=subject.worker, grounds="It was not me.")
        case_services.panel_join(case=case, registrar=registrars["Abe"], role="appeal_decider")
        case_services.panel_join(case=case, registrar=registrars["Ada"], role="appeal_decider")
        decision = case_services.decision_propose(
            case=case,
            registrar=registrars["Abe"],
            outcome="no_action",
            upheld=True,
            reasons="The records show the medicines were given.",
        )
        case_services.decision_agree(decision=decision, registrar=registrars["Ada"])
    case.refresh_from_db()
    assert case.status == Case.Status.CLOSED
    return case, snapshot


def test_a_withheld_raiser_is_never_named_to_the_worker_on_any_page_or_email(
    client, subject, registrars, committed
):
    case, _ = _whole_case(subject, registrars, committed, identity_withheld=True)

    everything = _everything_the_worker_reads(client, case, subject)

    for secret in SECRETS:
        assert secret not in everything
    # Nor the name the raiser gave their file, which may say who they are.
    assert "statement.pdf" not in everything
    assert "The person who raised this asked not to be named." in everything


def test_a_raiser_who_agreed_is_named_to_the_worker_but_their_own_words_are_not(
    client, subject, registrars, committed
):
    case, _ = _whole_case(subject, registrars, committed, identity_withheld=False)

    everything = _everything_the_worker_reads(client, case, subject)

    assert "Raised by Priya Public, a member of the public." in everything
    assert "statement.pdf" in everything
    for secret in SECRETS[1:]:
        assert secret not in everything


def test_an_anonymous_concern_says_so(client, subject, registrars):
    case = investigating_case(subject, registrars, anonymous=True, name="")
    page = _page(_signed_in(client, subject.worker), case).content.decode()

    assert "This concern was raised anonymously." in page


def test_an_employer_who_agreed_is_named_with_their_organisation(
    client, subject, registrars, employer, employer_organisation
):
    case, _ = concern_raise(
        raised=raised(subject, identity_withheld=False, name="Emma Employer"),
        documents=[],
        user=employer,
        organisation=employer_organisation,
    )
    case_services.case_screen(
        case=case,
        registrar=registrars["Sam"],
        risk="low",
        result="investigate",
        reasons="Low.",
        allegation="A late medicines round.",
    )
    page = _page(_signed_in(client, subject.worker), case).content.decode()

    assert "Raised by Emma Employer, for Sunrise Care Homes, an employer." in page


def test_documents_not_shared_with_the_worker_are_not_listed_at_all(client, subject, registrars):
    case = investigating_case(subject, registrars)
    hidden = case.documents.get(given_by=Document.From.RAISER)
    page = _page(_signed_in(client, subject.worker), case).content.decode()

    assert reverse("concerns:document", args=[case.reference, hidden.pk]) not in page
    assert "No evidence has been shared with you." in page

    case_services.document_share(document=hidden, registrar=registrars["Sam"])
    page = _page(client, case).content.decode()

    assert reverse("concerns:document", args=[case.reference, hidden.pk]) in page
    assert f"evidence-{hidden.pk}.pdf" in page
    assert "from the person who raised the concern" in page


def test_a_decision_still_being_agreed_is_not_shown(client, subject, registrars):
    case = ready_to_decide(investigating_case(subject, registrars), registrars)
    case_services.decision_propose(
        case=case,
        registrar=registrars["Dee"],
        outcome="advice",
        reasons="A proposal the worker must not read yet.",
    )
    page = _page(_signed_in(client, subject.worker), case).content.decode()

    assert "A proposal the worker must not read yet." not in page
    assert "The registrars are deciding your case." in page
    assert 'name="respond-text"' not in page


def test_the_decision_its_reasons_and_the_appeal_form_are_shown_while_appeal_is_open(
    client, subject, registrars
):
    case = ready_to_decide(investigating_case(subject, registrars), registrars)
    decide(case, registrars, "advice")
    page = _page(_signed_in(client, subject.worker), case).content.decode()

    assert "Advice" in page
    assert "The evidence shows it happened twice." in page
    assert f"you may appeal until <strong>{format_day(case.appeal_due)}</strong>" in page
    assert 'name="appeal-grounds"' in page


def test_an_interim_suspension_shows_its_reasons_and_the_form_to_answer_it(
    client, subject, registrars
):
    case = investigating_case(subject, registrars)
    order = case_services.interim_suspend(
        case=case, registrar=registrars["Sam"], reasons="People may be at risk of harm."
    )
    page = _page(_signed_in(client, subject.worker), case).content.decode()

    assert "People may be at risk of harm." in page
    assert f"You may respond until <strong>{format_day(order.response_due)}</strong>" in page
    assert reverse("concerns:worker-interim-respond", args=[case.reference, order.pk]) in page

    case_services.interim_review(
        order=order, registrar=registrars["Dee"], review="lift", reasons="The risk is managed."
    )
    page = _page(client, case).content.decode()

    assert "Lift the suspension" in page
    assert "The risk is managed." in page
    assert 'name="interim-text"' not in page


# Responding ------------------------------------------------------------------------------------


def test_the_worker_responds_with_evidence(client, subject, registrars):
    case = investigating_case(subject, registrars)
    _signed_in(client, subject.worker)

    response = client.post(
        reverse("concerns:worker-respond", args=[case.reference]),
        {
            "respond-text": "I gave the medicines; the chart was filled in late.",
            "respond-documents": [pdf("chart.pdf"), pdf("rota.pdf")],
        },
    )

    assert response.status_code == 302
    assert response["Location"].endswith("#responses")
    answer = WorkerResponse.objects.get(case=case)
    assert answer.text == "I gave the medicines; the chart was filled in late."
    mine = case.documents.filter(given_by=Document.From.WORKER)
    assert sorted(document.original_name for document in mine) == ["chart.pdf", "rota.pdf"]
    assert all(document.shared_with_worker for document in mine)
    assert AuditEvent.objects.filter(action="concerns.case.worker_responded").exists()
    page = client.get(response["Location"]).content.decode()
    assert "the chart was filled in late" in page
    assert "chart.pdf" in page and "from you" in page


def _refused(response, message):
    assert response.status_code == 400
    page = response.content.decode()
    assert "There is a problem" in page
    assert message in page
    assert "<title>Error:" in page


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"respond-text": "  "}, "Write your response to the allegation."),
        ({"respond-text": "x" * 10001}, "Write 10,000 characters or fewer."),
        (
            {
                "respond-text": "Mine.",
                "respond-documents": [SimpleUploadedFile("virus.pdf", EXE)],
            },
            "virus.pdf: The selected file must be a PDF, JPG or PNG.",
        ),
        (
            {"respond-text": "Mine.", "respond-documents": [pdf(f"{n}.pdf") for n in range(6)]},
            "Choose at most 5 files. You chose 6.",
        ),
    ],
)
def test_a_response_with_a_problem_changes_nothing(client, subject, registrars, data, message):
    case = investigating_case(subject, registrars)
    before = Document.objects.count()
    _signed_in(client, subject.worker)

    response = client.post(reverse("concerns:worker-respond", args=[case.reference]), data)

    _refused(response, message)
    assert not WorkerResponse.objects.exists()
    assert Document.objects.count() == before


def test_a_good_file_is_not_kept_when_another_is_refused(client, subject, registrars, settings):
    case = investigating_case(subject, registrars)
    before = Document.objects.count()
    _signed_in(client, subject.worker)

    response = client.post(
        reverse("concerns:worker-respond", args=[case.reference]),
        {
            "respond-text": "Mine.",
            "respond-documents": [pdf("good.pdf"), SimpleUploadedFile("bad.png", PDF)],
        },
    )

    _refused(response, "bad.png: The file&#x27;s name does not match what is inside it.")
    assert Document.objects.count() == before


def test_the_worker_cannot_respond_once_the_case_is_decided(client, subject, registrars):
    case = ready_to_decide(investigating_case(subject, registrars), registrars)
    decide(case, registrars, "advice")
    _signed_in(client, subject.worker)

    response = client.post(
        reverse("concerns:worker-respond", args=[case.reference]), {"respond-text": "Late."}
    )

    _refused(response, "You cannot respond now: the case is open to appeal.")
    assert not WorkerResponse.objects.exists()


def test_the_worker_cannot_respond_while_a_decision_is_being_agreed(client, subject, registrars):
    case = ready_to_decide(investigating_case(subject, registrars), registrars)
    case_services.decision_propose(
        case=case, registrar=registrars["Dee"], outcome="advice", reasons="Proposed."
    )
    _signed_in(client, subject.worker)

    response = client.post(
        reverse("concerns:worker-respond", args=[case.reference]), {"respond-text": "More."}
    )

    _refused(response, "A decision is being made on your case.")
    assert not WorkerResponse.objects.exists()


# Answering an interim suspension --------------------------------------------------------------


@pytest.fixture
def suspended(subject, registrars):
    case = investigating_case(subject, registrars)
    order = case_services.interim_suspend(
        case=case, registrar=registrars["Sam"], reasons="A serious risk."
    )
    return case, order


def _interim_url(case, order):
    return reverse("concerns:worker-interim-respond", args=[case.reference, order.pk])


def test_the_worker_answers_an_interim_suspension(client, subject, suspended):
    case, order = suspended
    _signed_in(client, subject.worker)

    response = client.post(_interim_url(case, order), {"interim-text": "I have never been late."})

    assert response.status_code == 302
    order.refresh_from_db()
    assert order.worker_response == "I have never been late."
    assert AuditEvent.objects.filter(action="concerns.interim_order.responded").exists()
    page = client.get(response["Location"]).content.decode()
    assert "I have never been late." in page
    assert 'name="interim-text"' not in page


def test_an_empty_answer_to_a_suspension_is_refused(client, subject, suspended):
    case, order = suspended
    _signed_in(client, subject.worker)

    _refused(client.post(_interim_url(case, order), {"interim-text": ""}), "Write your response.")
    order.refresh_from_db()
    assert order.responded_at is None


def test_a_suspension_is_answered_once(client, subject, suspended):
    case, order = suspended
    _signed_in(client, subject.worker)
    client.post(_interim_url(case, order), {"interim-text": "First."})

    response = client.post(_interim_url(case, order), {"interim-text": "Second."})

    _refused(response, "You have already responded to this suspension.")
    order.refresh_from_db()
    assert order.worker_response == "First."


def test_a_lifted_suspension_cannot_be_answered(client, subject, registrars, suspended):
    case, order = suspended
    case_services.interim_review(
        order=order, registrar=registrars["Dee"], review="lift", reasons="Managed."
    )
    _signed_in(client, subject.worker)

    response = client.post(_interim_url(case, order), {"interim-text": "Too late."})

    _refused(response, "This suspension has ended.")
    order.refresh_from_db()
    assert order.responded_at is None


def test_a_decision_to_remove_takes_the_place_of_the_interim_suspension(
    client, subject, registrars, suspended
):
    case, order = suspended
    decide(ready_to_decide(case, registrars), registrars, "removal")
    _signed_in(client, subject.worker)

    page = _page(client, case).content.decode()

    assert "when the decision below took its place" in page
    assert 'name="interim-text"' not in page
    assert "has not reviewed the suspension yet" not in page
    assert "Until then you stay suspended" in page


def test_a_suspension_on_another_case_is_not_found(client, subject, registrars, suspended):
    case, order = suspended
    other = investigating_case(subject, registrars, risk="low")
    _signed_in(client, subject.worker)

    response = client.post(_interim_url(other, order), {"interim-text": "Hm."})

    assert response.status_code == 404
    assert not InterimOrder.objects.filter(responded_at__isnull=False).exists()


# Appealing -------------------------------------------------------------------------------------


@pytest.fixture
def decided(subject, registrars):
    case = ready_to_decide(investigating_case(subject, registrars), registrars)
    decide(case, registrars, "advice")
    return case


def test_the_worker_appeals_with_evidence(client, subject, decided, committed):
    _signed_in(client, subject.worker)

    with committed(execute=True):
        response = client.post(
            reverse("concerns:worker-appeal", args=[decided.reference]),
            {"appeal-grounds": "The chart proves it.", "appeal-documents": [pdf("chart.pdf")]},
        )

    assert response.status_code == 302
    decided.refresh_from_db()
    assert decided.status == Case.Status.APPEALED
    assert decided.appeal.grounds == "The chart proves it."
    assert decided.documents.filter(given_by=Document.From.WORKER).count() == 1
    assert "We have received your appeal" in mail.outbox[-1].subject
    page = client.get(response["Location"]).content.decode()
    assert "The chart proves it." in page
    assert "are deciding your appeal" in page
    assert 'name="appeal-grounds"' not in page


def test_an_appeal_without_grounds_is_refused(client, subject, decided):
    _signed_in(client, subject.worker)

    response = client.post(
        reverse("concerns:worker-appeal", args=[decided.reference]), {"appeal-grounds": ""}
    )

    _refused(response, "Write why you think the decision is wrong.")
    assert not Appeal.objects.exists()


def test_an_appeal_after_the_last_day_is_refused(client, subject, decided, clock):
    clock.set(timezone.now() + timedelta(days=29))
    _signed_in(client, subject.worker)

    response = client.post(
        reverse("concerns:worker-appeal", args=[decided.reference]), {"appeal-grounds": "Late."}
    )

    _refused(response, f"The time to appeal ended on {format_day(decided.appeal_due)}.")
    assert not Appeal.objects.exists()
    page = _page(client, decided).content.decode()
    assert f"The time to appeal ended on {format_day(decided.appeal_due)}." in page
    assert 'name="appeal-grounds"' not in page


def test_an_appeal_is_made_once(client, subject, decided):
    _signed_in(client, subject.worker)
    url = reverse("concerns:worker-appeal", args=[decided.reference])
    client.post(url, {"appeal-grounds": "First."})

    response = client.post(url, {"appeal-grounds": "Second."})

    _refused(response, "You cannot appeal: the case is appeal being decided.")
    assert Appeal.objects.get().grounds == "First."


def test_there_is_nothing_to_appeal_before_a_decision(client, subject, registrars):
    case = investigating_case(subject, registrars)
    _signed_in(client, subject.worker)

    response = client.post(
        reverse("concerns:worker-appeal", args=[case.reference]), {"appeal-grounds": "Early."}
    )

    _refused(response, "You cannot appeal: the case is investigating.")
    assert not Appeal.objects.exists()


# Downloading a document ------------------------------------------------------------------------


def test_a_shared_document_downloads_as_an_attachment_that_is_never_cached(
    client, subject, registrars
):
    case = investigating_case(subject, registrars)
    document = case_services.document_add(
        case=case, registrar=registrars["Sam"], upload=pdf("notes.pdf"), shared_with_worker=True
    )
    _signed_in(client, subject.worker)

    response = client.get(reverse("concerns:document", args=[case.reference, document.pk]))

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="notes.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]
    # The worker reading their own case is not a registrar opening evidence.
    assert not AuditEvent.objects.filter(action="concerns.document.viewed").exists()


def test_a_registrar_opening_a_document_is_recorded_and_sees_the_file_s_own_name(
    client, subject, registrars
):
    case = investigating_case(subject, registrars)
    document = case.documents.get(given_by=Document.From.RAISER)
    _signed_in(client, registrars["Sam"])

    response = client.get(reverse("concerns:document", args=[case.reference, document.pk]))

    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="statement.pdf"'
    event = AuditEvent.objects.get(action="concerns.document.viewed")
    assert event.actor_id == registrars["Sam"].pk
    assert event.data["document_id"] == document.pk


def _pdf_by(author: str) -> bytes:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(PDF)))
    writer.add_metadata({"/Author": author, "/Title": f"Statement of {author}"})
    writer.xmp_metadata = f"<x:xmpmeta><dc:creator>{author}</dc:creator></x:xmpmeta>".encode()
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _photo_by(author: str, kind: str) -> bytes:
    image = Image.new("RGB", (8, 8), "red")
    out = io.BytesIO()
    if kind == "JPEG":
        exif = Image.Exif()
        exif[0x013B] = author  # Artist
        exif[0x010E] = f"Taken from {author}'s kitchen window"  # ImageDescription
        image.save(out, format="JPEG", exif=exif, comment=author.encode())
    else:
        text = PngImagePlugin.PngInfo()
        text.add_text("Author", author)
        image.save(out, format="PNG", pnginfo=text)
    return out.getvalue()


@pytest.mark.parametrize(
    ("name", "content_type", "content"),
    [
        ("statement.pdf", "application/pdf", _pdf_by("Priya Public")),
        ("photo.jpg", "image/jpeg", _photo_by("Priya Public", "JPEG")),
        ("photo.png", "image/png", _photo_by("Priya Public", "PNG")),
    ],
)
@pytest.mark.parametrize("identity_withheld", [True, False])
def test_a_raiser_s_file_reaches_a_worker_they_are_not_named_to_without_its_metadata(
    client, subject, registrars, name, content_type, content, identity_withheld
):
    # A photo's EXIF or a PDF's author can name the raiser, or say where they live; the
    # registrar who shares the file sees what it shows, not what it carries.
    case, token = concern_raise(
        raised=raised(subject, identity_withheld=identity_withheld),
        documents=[SimpleUploadedFile(name, content, content_type=content_type)],
    )
    case = case_services.case_screen(
        case=concern_confirm(token=token),
        registrar=registrars["Sam"],
        risk="low",
        result="investigate",
        reasons="Worth looking into.",
        allegation="You did not give a person their medicines.",
    )
    document = case.documents.get()
    case_services.document_share(document=document, registrar=registrars["Sam"])
    url = reverse("concerns:document", args=[case.reference, document.pk])

    given = b"".join(_signed_in(client, subject.worker).get(url).streaming_content)

    if identity_withheld:
        assert b"Priya" not in given
        assert given.startswith(content[:4])  # still a file of its kind, that opens
        if content_type == "application/pdf":
            assert len(PdfReader(io.BytesIO(given)).pages) == 1
        else:
            assert Image.open(io.BytesIO(given)).size == (8, 8)
    else:
        assert given == content
    # The registrars on the case read the file as it was sent.
    assert b"".join(_signed_in(client, registrars["Sam"]).get(url).streaming_content) == content


def test_a_raiser_s_file_that_cannot_be_cleaned_is_not_given_to_the_worker(
    client, subject, registrars
):
    case = investigating_case(subject, registrars)
    document = case.documents.get()
    case_services.document_share(document=document, registrar=registrars["Sam"])
    broken = file_encrypt(b"%PDF-1.4 broken", key=document.data_key)
    document.file.save("broken", ContentFile(broken), save=False)
    Document.objects.filter(pk=document.pk).update(file=document.file.name)

    response = _signed_in(client, subject.worker).get(
        reverse("concerns:document", args=[case.reference, document.pk])
    )

    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "This document cannot be opened safely. Contact the register for a copy." in page


def test_a_document_under_another_case_s_reference_is_not_found(client, subject, registrars):
    case = investigating_case(subject, registrars)
    other = investigating_case(subject, registrars)
    document = case_services.document_add(
        case=case, registrar=registrars["Sam"], upload=pdf(), shared_with_worker=True
    )
    _signed_in(client, subject.worker)

    response = client.get(reverse("concerns:document", args=[other.reference, document.pk]))

    assert response.status_code == 404


# The home page and the dashboard ---------------------------------------------------------------


def _steps(client):
    return client.get(reverse("accounts:home")).context["steps"]


def test_the_home_page_tells_the_worker_they_have_a_case_to_respond_to(
    client, subject, registrars, worker
):
    case = investigating_case(subject, registrars)
    _signed_in(client, subject.worker)

    first = _steps(client)[0]

    assert first.text == f"You have a case to respond to by {format_day(case.response_due)}."
    assert first.url == reverse("concerns:worker-case", args=[case.reference])
    assert first.label == "Read the concern and respond"

    client.post(
        reverse("concerns:worker-respond", args=[case.reference]), {"respond-text": "Mine."}
    )
    step = next(step for step in _steps(client) if case.reference in step.title)
    assert "being looked into" in step.text

    client.force_login(worker)
    assert not any(case.reference in step.title for step in _steps(client))


def test_the_home_page_tells_the_worker_until_when_they_may_appeal(client, subject, decided):
    _signed_in(client, subject.worker)

    first = _steps(client)[0]

    assert first.text == (
        f"You may appeal against the decision until {format_day(decided.appeal_due)}."
    )


def test_a_closed_case_is_no_longer_a_next_step(client, subject, registrars):
    case = ready_to_decide(investigating_case(subject, registrars), registrars)
    decide(case, registrars, "no_action")
    _signed_in(client, subject.worker)

    assert not any(case.reference in step.title for step in _steps(client))
    assert "No action" in _page(client, case).content.decode()


def test_the_worker_s_dashboard_links_to_their_cases(client, subject):
    page = _signed_in(client, subject.worker).get(reverse("register:worker-dashboard"))

    assert reverse("concerns:worker-cases") in page.content.decode()
