"""The pages of raising a concern: what anyone sees first, the safeguarding signpost, the form
and each of its errors, the emailed link (which a GET never confirms), and the reference."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from concerns.models import Case, Document
from concerns.services.raising import concern_raise
from tests.concerns.conftest import PDF, pdf, raised
from tests.factories import MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db

FIND_COUNCIL = "https://www.gov.uk/find-local-council"


@pytest.fixture
def client(client, django_capture_on_commit_callbacks):
    """A browser whose posts' after-commit work (the emails) runs, as the real commit would
    run it: the test's transaction is never committed."""
    post = client.post

    def post_and_commit(*args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return post(*args, **kwargs)

    client.post = post_and_commit
    return client


@pytest.fixture
def employer_elsewhere(db):
    """A member of another employer, which has nobody on its staff list."""
    return MembershipFactory(
        user__email="elsewhere@example.org", organisation=OrganisationFactory(name="Oak House")
    ).user


@pytest.fixture
def token(subject):
    return concern_raise(raised=raised(subject), documents=[])[1]


PERSONAS = [
    "anonymous",
    "worker",
    "other_worker",
    "employer",
    "employer_elsewhere",
    "registrar",
    "association_admin",
]

# (method, page) -> status per persona, in PERSONAS order. Raising a concern is open to
# everyone, signed in or not; the token in a confirmation link is the only permission it needs.
PAGES = {
    ("get", "start"): [200] * 7,
    ("get", "start-theft"): [302] * 7,
    ("get", "start-abuse"): [200] * 7,
    ("get", "start-nothing-chosen"): [400] * 7,
    ("get", "raise"): [200] * 7,
    ("post", "raise"): [400] * 7,
    ("get", "check-email"): [200] * 7,
    ("get", "confirm"): [200] * 7,
    ("get", "confirm-unknown"): [404] * 7,
    # Nothing sent from this browser: back to the start.
    ("get", "received"): [302] * 7,
}


def _url(page: str, token: str) -> str:
    start = reverse("concerns:start")
    return {
        "start": start,
        "start-theft": start + "?chosen=yes&category=theft",
        "start-abuse": start + "?chosen=yes&category=abuse_or_neglect",
        "start-nothing-chosen": start + "?chosen=yes",
        "raise": reverse("concerns:raise"),
        "check-email": reverse("concerns:check-email"),
        "confirm": reverse("concerns:confirm", args=[token]),
        "confirm-unknown": reverse("concerns:confirm", args=["not-a-real-token"]),
        "received": reverse("concerns:received"),
    }[page]


@pytest.mark.parametrize(
    ("method", "page", "persona", "expected"),
    [
        (method, page, persona, statuses[index])
        for (method, page), statuses in PAGES.items()
        for index, persona in enumerate(PERSONAS)
    ],
)
def test_page_access_table(client, request, token, method, page, persona, expected):
    if persona != "anonymous":
        client.force_login(request.getfixturevalue(persona))

    response = getattr(client, method)(_url(page, token))

    assert response.status_code == expected
    # Whoever opens it, the link is not used up by looking at it.
    assert Case.objects.get().status == Case.Status.UNCONFIRMED


# --- The start page and the signpost ------------------------------------------------------------


def _text(response) -> str:
    main = response.content.decode().split('<main id="main"', 1)[1].split(">", 1)[1]
    return " ".join(re.sub(r"<[^>]+>", " ", main).split())


def test_the_start_page_says_to_call_999_before_anything_else(client):
    response = client.get(reverse("concerns:start"))
    text = _text(response)

    assert text.startswith(
        "Raise a concern about a care worker If someone is in danger now, call 999"
    )
    assert "is not the safeguarding authority" in text
    page = response.content.decode()
    assert f'href="{FIND_COUNCIL}"' in page
    assert f'href="{reverse("concerns:how")}"' in page
    # The limits of an anonymous concern, and what the register cannot do.
    assert "we cannot ask you questions about what happened, and we cannot tell you" in text
    assert "What the register cannot do" in text
    for label in ("Poor practice", "Dishonesty", "Theft", "Abuse or neglect", "Health", "Other"):
        assert re.search(rf">\s*{label}</label>", page), label


def test_abuse_or_neglect_leads_to_the_safeguarding_signpost_before_the_form(client):
    response = client.get(reverse("concerns:start") + "?chosen=yes&category=abuse_or_neglect")

    text = _text(response)
    assert text.startswith(
        "Back Have you told the council's safeguarding team? If someone is in danger now, call 999"
    )
    page = response.content.decode()
    assert f'href="{FIND_COUNCIL}"' in page
    assert "<form" not in page.split('<main id="main"', 1)[1]
    assert 'href="/concerns/raise/?category=abuse_or_neglect"' in page


def test_any_other_category_goes_straight_to_the_form_with_it_chosen(client):
    response = client.get(reverse("concerns:start") + "?chosen=yes&category=theft", follow=True)

    assert response.redirect_chain == [("/concerns/raise/?category=theft", 302)]
    assert re.search(
        r'<input type="radio" name="category" value="theft"[^>]* checked',
        (response.content.decode()),
    )


def test_continuing_without_choosing_says_what_to_do(client):
    response = client.get(reverse("concerns:start") + "?chosen=yes")

    assert response.status_code == 400
    assert "Choose what the concern is about" in response.content.decode()


# --- The form ------------------------------------------------------------------------------------


def _answers(subject, **changes) -> dict:
    answers = {
        "category": "poor_practice",
        "registration_number": subject.registration_number,
        "worker_name": "",
        "workplace": "",
        "source": "public",
        "what_happened": "Left my mother without her medicines for two days.",
        "when_happened": "Early November",
        "anonymous": "False",
        "name": "Priya Public",
        "email": "priya@example.org",
        "phone": "07700 900123",
        "worker_may_know": "False",
    }
    answers.update(changes)
    return {key: value for key, value in answers.items() if value is not None}


def test_a_concern_from_someone_without_an_account_waits_for_their_email(client, subject):
    response = client.post(
        reverse("concerns:raise"), {**_answers(subject), "documents": [pdf(), pdf("two.pdf")]}
    )

    assert response.status_code == 302
    assert response.url == reverse("concerns:check-email")
    case = Case.objects.get()
    assert (case.status, case.entry, case.source) == ("unconfirmed", subject, "public")
    assert (case.raiser_name, case.raiser_email, case.identity_withheld) == (
        "Priya Public",
        "priya@example.org",
        True,
    )
    assert Document.objects.filter(case=case).count() == 2
    assert mail.outbox[-1].to == ["priya@example.org"]
    page = client.get(response.url).content.decode()
    # Enough of the address to spot a typing slip, and no more.
    assert "p••••@example.org" in page
    assert "priya@example.org" not in page


def test_an_anonymous_raiser_keeps_nothing_of_theirs_but_the_address_to_confirm(client, subject):
    client.post(
        reverse("concerns:raise"),
        _answers(subject, anonymous="True", name="Priya", phone="0770", worker_may_know=None),
    )

    case = Case.objects.get()
    assert case.anonymous and case.identity_withheld
    assert (case.raiser_name, case.raiser_phone) == ("", "")
    assert case.raiser_email == "priya@example.org"  # until the link is clicked


def test_a_worker_named_by_name_and_workplace_is_kept_for_the_registrar(client, subject):
    client.post(
        reverse("concerns:raise"),
        _answers(subject, registration_number="", worker_name="Lukasz", workplace="Elm Lodge"),
    )

    case = Case.objects.get()
    assert case.entry is None
    assert (case.named_worker, case.named_workplace) == ("Lukasz", "Elm Lodge")


def test_the_raiser_may_let_the_worker_know_who_they_are(client, subject):
    client.post(reverse("concerns:raise"), _answers(subject, worker_may_know="True"))

    assert Case.objects.get().identity_withheld is False


def test_a_signed_in_colleague_s_concern_is_received_at_once_from_their_account(
    client, subject, other_worker
):
    client.force_login(other_worker)
    form = client.get(reverse("concerns:raise")).content.decode()
    assert 'name="email"' not in form
    assert 'name="anonymous"' not in form
    assert "sign out first" in form

    answers = _answers(subject, source="colleague", name="", email=None, anonymous=None)
    response = client.post(reverse("concerns:raise"), answers, follow=True)

    case = Case.objects.get()
    assert response.redirect_chain == [(reverse("concerns:received"), 302)]
    assert (case.status, case.source, case.raiser_user) == ("received", "colleague", other_worker)
    assert (case.raiser_email, case.raiser_name) == ("olive@example.org", "Olive Other")
    assert case.reference in response.content.decode()


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"category": None}, "category", "Choose what the concern is about"),
        ({"category": "gossip"}, "category", "Select a valid choice"),
        (
            {"registration_number": "CR12"},
            "registration_number",
            "Enter a registration number like CR1000001H",
        ),
        (
            {"registration_number": "CR9999999X"},
            "registration_number",
            "Enter a registration number like CR1000001H",
        ),
        ({"registration_number": ""}, "worker_name", "Give the worker's name"),
        (
            {"registration_number": "", "worker_name": "Lukasz"},
            "workplace",
            "Give where the worker works",
        ),
        ({"source": None}, "source", "Choose how you know the worker"),
        ({"what_happened": "  "}, "what_happened", "Tell us what happened"),
        (
            {"what_happened": "x" * 10001},
            "what_happened",
            "Tell us what happened in 10,000 characters or fewer",
        ),
        ({"when_happened": ""}, "when_happened", "Tell us when it happened, even roughly"),
        ({"anonymous": None}, "anonymous", "Choose whether you want to stay anonymous"),
        ({"name": ""}, "name", "Enter your name, or choose to stay anonymous"),
        ({"email": ""}, "email", "Enter your email address"),
        ({"email": "priya@"}, "email", "Enter your email address, like name@example.org"),
        (
            {"worker_may_know": None},
            "worker_may_know",
            "Choose whether the worker may be told who raised the concern",
        ),
    ],
)
def test_each_mistake_gets_a_clear_message_by_its_field_and_nothing_is_kept(
    client, subject, changes, field, message
):
    response = client.post(
        reverse("concerns:raise"), {**_answers(subject, **changes), "documents": [pdf()]}
    )

    assert response.status_code == 400
    assert message in " ".join(response.context["form"].errors[field])
    page = response.content.decode()
    assert "There is a problem" in page
    assert "Nothing has been sent or kept yet. The files you chose were not kept either" in page
    assert not Case.objects.exists()
    assert not Document.objects.exists()
    assert not mail.outbox


def test_a_registration_number_nobody_has_is_refused_by_its_field(client, subject):
    # A well-formed number with the right check letter, that is not on the register.
    response = client.post(
        reverse("concerns:raise"), _answers(subject, registration_number="CR1000001H")
    )

    assert response.status_code == 400
    assert "No one on the register has that registration number" in " ".join(
        response.context["form"].errors["registration_number"]
    )
    assert not Case.objects.exists()


def test_more_than_five_files_are_refused(client, subject):
    files = [pdf(f"page{number}.pdf") for number in range(6)]
    response = client.post(reverse("concerns:raise"), {**_answers(subject), "documents": files})

    assert response.status_code == 400
    assert "Choose at most 5 files. You chose 6." in response.context["form"].errors["documents"]
    assert not Case.objects.exists()


def test_a_file_that_is_not_a_pdf_or_picture_is_refused_whole(client, subject):
    notes = SimpleUploadedFile("notes.txt", b"just some words", content_type="text/plain")
    response = client.post(
        reverse("concerns:raise"), {**_answers(subject), "documents": [pdf(), notes]}
    )

    assert response.status_code == 400
    assert response.context["form"].errors["documents"] == [
        "notes.txt: The selected file must be a PDF, JPG or PNG."
    ]
    assert not Case.objects.exists()
    assert not Document.objects.exists()


def test_too_many_concerns_from_one_place_are_refused_above_the_form(client, subject):
    for number in range(10):
        response = client.post(
            reverse("concerns:raise"), _answers(subject, email=f"person{number}@example.org")
        )
        assert response.status_code == 302
    response = client.post(reverse("concerns:raise"), _answers(subject, email="new@example.org"))

    assert response.status_code == 400
    assert response.context["form"].non_field_errors() == [
        "Too many concerns have been sent from here today. Try again tomorrow."
    ]
    assert Case.objects.count() == 10


# --- The emailed link ---------------------------------------------------------------------------


def _link_from_email() -> str:
    return re.search(r"https?://[^/\s]+(/concerns/confirm/[^/\s]+/)", mail.outbox[-1].body).group(1)


def test_opening_the_link_asks_for_a_button_press_and_confirms_nothing(client, subject):
    client.post(reverse("concerns:raise"), _answers(subject))
    link = _link_from_email()

    for _ in range(3):  # a mail scanner, then the person, then again
        response = client.get(link)
        assert response.status_code == 200
        assert "Confirm and send the concern" in response.content.decode()
    case = Case.objects.get()
    assert case.status == Case.Status.UNCONFIRMED
    assert case.received_at is None


def test_pressing_the_button_sends_the_concern_and_shows_its_reference(client, subject):
    client.post(reverse("concerns:raise"), _answers(subject))
    link = _link_from_email()

    response = client.post(link, follow=True)

    case = Case.objects.get()
    assert case.status == Case.Status.RECEIVED
    assert response.redirect_chain == [(reverse("concerns:received"), 302)]
    page = response.content.decode()
    assert case.reference in page
    assert "We have emailed you the reference too." in page
    assert "We will tell you the outcome" in page


def test_an_anonymous_raiser_sees_the_reference_only_on_the_page(client, subject):
    client.post(
        reverse("concerns:raise"), _answers(subject, anonymous="True", worker_may_know=None)
    )
    link = _link_from_email()
    mail.outbox.clear()

    page = client.post(link, follow=True).content.decode()

    case = Case.objects.get()
    assert case.reference in page
    assert "Write the reference down" in page
    assert "We cannot tell you the outcome" in page
    assert case.raiser_email == ""
    assert not mail.outbox


def test_a_link_used_once_cannot_be_used_again(client, subject):
    client.post(reverse("concerns:raise"), _answers(subject))
    link = _link_from_email()
    client.post(link)

    for method in ("get", "post"):
        response = getattr(client, method)(link)
        assert response.status_code == 404
        assert "This link is not valid or has already been used" in response.content.decode()


def test_an_expired_link_says_so_and_sends_nothing(client, subject, clock):
    client.post(reverse("concerns:raise"), _answers(subject))
    link = _link_from_email()
    clock.advance(timedelta(hours=73))

    for method in ("get", "post"):
        response = getattr(client, method)(link)
        assert response.status_code == 404
        assert "This link has expired" in response.content.decode()
    assert Case.objects.get().status == Case.Status.UNCONFIRMED


def test_the_pdf_given_is_kept_encrypted_with_the_case(client, subject):
    client.post(reverse("concerns:raise"), {**_answers(subject), "documents": [pdf()]})
    client.post(_link_from_email())

    document = Document.objects.get()
    assert document.read() == PDF
    assert (document.given_by, document.shared_with_worker) == ("raiser", False)
