"""The pages of references (issue 18, item 7) and what the applicant and worker see (items 5, 7)."""

import pytest
from django.urls import reverse
from django.utils.html import escape

from core.dates import format_day
from register.models import IdentityCheck, ReferenceRequest
from register.services import references
from tests.factories import DATE_OF_BIRTH, ApplicationFactory, RegisterEntryFactory


@pytest.fixture
def sent(submitted, registrar):
    """The first referee has been sent a request: (request, token)."""
    return references.reference_request_send(
        referee=submitted.referees.get(position=1), registrar=registrar
    )


ANSWER = {
    "knows_applicant": "True",
    "how_known": "I managed her at Sunrise Care Homes for four years.",
    "has_concerns": "False",
    "comments": "",
    "confirms": "on",
}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("persona", "send", "decide"),
    [
        ("anonymous", 302, 302),
        ("worker", 404, 404),
        ("employer", 404, 404),
        ("outsider", 404, 404),
        ("registrar_without_mfa", 302, 302),
        ("registrar", 302, 302),
    ],
)
def test_who_may_send_a_request_and_decide_a_reference(
    client, request, submitted, persona, send, decide
):
    if persona != "anonymous":
        client.force_login(request.getfixturevalue(persona))
    args = [submitted.pk, 1]

    send_response = client.post(reverse("register:registrar-reference-send", args=args))
    decide_response = client.post(
        reverse("register:registrar-reference-decide", args=args), {"outcome": "passed"}
    )

    assert (send_response.status_code, decide_response.status_code) == (send, decide)
    sent_by_registrar = ReferenceRequest.objects.filter(sent_by__is_registrar=True).count()
    assert sent_by_registrar == (1 if persona == "registrar" else 0)
    assert not IdentityCheck.objects.exists()


@pytest.mark.django_db
def test_a_registrar_sends_requests_sees_their_state_and_decides_an_answer(
    client, registrar, submitted, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(registrar)
    page = reverse("register:registrar-application", args=[submitted.pk])
    first = submitted.referees.get(position=1)
    assert "Not sent yet" in client.get(page).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("register:registrar-reference-send", args=[submitted.pk, 1]))
    assert response.url == page + "#references"
    body = client.get(page).content.decode()
    assert "Sent: sent" in body and "Send the request again" in body

    token = mailoutbox[-1].body.split("/reference/")[1].split("/")[0]
    references.reference_answer(
        token=token,
        client_ip=None,
        knows_applicant=True,
        how_known="Her manager for four years.",
        has_concerns=False,
        concerns_details="",
        comments="",
    )
    body = client.get(page).content.decode()
    assert "Her manager for four years." in body and "Record the reference" in body

    answered = ReferenceRequest.objects.get(status="answered")
    decide = reverse("register:registrar-reference-decide", args=[submitted.pk, 1])
    refused = client.post(decide, {})
    assert refused.status_code == 400
    assert "Select whether the reference passes" in refused.content.decode()
    assert not IdentityCheck.objects.exists()

    client.post(decide, {f"reference-{answered.pk}-outcome": "passed"})
    check = IdentityCheck.objects.get()
    assert (check.check_type, check.outcome, check.referee_name) == (
        "reference",
        "passed",
        first.name,
    )
    assert "Recorded as a reference check" in client.get(page).content.decode()


@pytest.mark.django_db
def test_the_referee_answers_on_the_page_the_link_opens_once(client, submitted, sent):
    _, token = sent
    url = reverse("register:reference-answer", args=[token])

    page = client.get(url)
    assert page.status_code == 200
    assert f"Do you know {submitted.legal_name}?" in page.content.decode()
    assert page["Cache-Control"].startswith("max-age=0")

    incomplete = client.post(url, {**ANSWER, "has_concerns": "True"})
    assert incomplete.status_code == 400
    assert "Tell us the reason" in incomplete.content.decode()
    assert ReferenceRequest.objects.get().status == "sent"

    response = client.post(url, ANSWER)
    assert response.url == reverse("register:reference-thanks")
    assert ReferenceRequest.objects.get().how_known == ANSWER["how_known"]

    again = client.get(url)
    assert again.status_code == 404
    assert "You have already sent this reference" in again.content.decode()


@pytest.mark.django_db
def test_a_wrong_link_shows_a_plain_page(client, sent):
    response = client.get(reverse("register:reference-answer", args=["not-a-real-token"]))

    assert response.status_code == 404
    assert "This link is not valid" in response.content.decode()


@pytest.mark.django_db
def test_the_referees_step_says_what_is_wrong_and_saves_nothing(client, worker):
    application = ApplicationFactory(worker=worker, referees=False)
    client.force_login(worker)
    url = reverse("register:apply-referees")

    response = client.post(
        url,
        {
            "referee-1-name": "Sam Manager",
            "referee-1-email": "not an email",
            "referee-1-relationship": "Manager",
            "referee-1-known_for": "4 years",
        },
    )

    body = response.content.decode()
    assert response.status_code == 400
    assert "First referee: Enter an email address in the right format" in body
    assert "Second referee: Enter the referee&#x27;s full name" in body
    assert not application.referees.exists()


@pytest.mark.django_db
def test_the_dashboard_says_where_the_application_is_and_gives_its_reference(client, submitted):
    client.force_login(submitted.worker)

    body = client.get(reverse("register:worker-dashboard")).content.decode()

    assert submitted.reference in body
    assert "We are checking your references." in body
    assert "photo identity document check that passed" not in body
    name = escape(submitted.referees.first().name)
    assert f"We will email {name} to ask for a reference." in body


@pytest.mark.django_db
def test_a_worker_sees_their_date_of_birth_on_their_own_pages(client, worker):
    RegisterEntryFactory(application__worker=worker)
    client.force_login(worker)
    born = format_day(DATE_OF_BIRTH)

    for page in ("register:worker-dashboard", "register:worker-contact"):
        response = client.get(reverse(page))
        assert response.status_code == 200
        assert born in response.content.decode(), page


@pytest.mark.django_db
def test_the_start_page_gives_a_sent_application_its_reference(client, submitted):
    client.force_login(submitted.worker)

    body = client.get(reverse("register:apply-start")).content.decode()

    assert f'We have your application, reference <strong class="code">{submitted.reference}' in body
