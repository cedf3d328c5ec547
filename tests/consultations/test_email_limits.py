"""Finding 9 of issue 17: nobody can make the register send unlimited emails to any address
through a consultation's "save and come back later" and its receipt. Each email counts against
the address it goes to (by its blind index), the session and the client's address; a draft's
link goes once to each address, and a response's receipt once. The emails counted here are the
ones actually sent (the tests run the tasks backend at once, into Django's outbox)."""

from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from consultations.models import Response, ResponseDraft
from consultations.services import responding
from consultations.services.responding import EmailRefused
from tests.factories import answers

pytestmark = pytest.mark.django_db

VICTIM = "victim@example.org"


@pytest.fixture
def send(django_capture_on_commit_callbacks):
    """POST as a person would, and run what their request queued after its commit."""

    def post(client, url, data, **extra):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(url, data, **extra)

    return post


def started(consultation, address: str) -> Client:
    """A fresh browser, from `address`, that has pressed Start."""
    client = Client(REMOTE_ADDR=address)
    client.post(reverse("consultations:detail", args=[consultation.slug]))
    return client


def address(number: int) -> str:
    return f"198.51.{number // 256}.{number % 256}"


def save_url(consultation) -> str:
    return reverse("consultations:save", args=[consultation.slug])


def test_sixty_fresh_sessions_from_sixty_addresses_get_five_links_sent_to_one_inbox(
    consultation, send
):
    pages = [
        send(started(consultation, address(n)), save_url(consultation), {"email": VICTIM})
        for n in range(60)
    ]

    assert len(mail.outbox) == responding.EMAILS_PER_RECIPIENT_PER_DAY == 5
    assert all(message.to == [VICTIM] for message in mail.outbox)
    refused = pages[-1].content.decode()
    assert "We have sent as many emails to that address as we can today" in refused
    # A refused save changes nothing: only the five emailed drafts were kept.
    assert ResponseDraft.objects.count() == 5


def test_one_connection_with_a_fresh_session_and_address_each_time_is_limited(consultation, send):
    for n in range(60):
        send(
            started(consultation, "203.0.113.50"),
            save_url(consultation),
            {"email": f"person{n}@example.org"},
        )

    assert len(mail.outbox) == responding.EMAILS_PER_CLIENT_ADDRESS_PER_HOUR == 20


def test_one_session_asking_for_many_addresses_from_many_connections_is_limited(consultation, send):
    client = started(consultation, "203.0.113.60")
    pages = []
    for n in range(60):
        pages.append(
            send(
                client,
                save_url(consultation),
                {"email": f"person{n}@example.org"},
                REMOTE_ADDR=address(n),
            )
        )

    assert len(mail.outbox) == responding.EMAILS_PER_SESSION_PER_HOUR == 5
    assert "You have asked for too many emails in the last hour" in pages[-1].content.decode()


def test_a_draft_s_link_goes_once_to_each_address(consultation, send):
    client = started(consultation, "203.0.113.70")

    first = send(client, save_url(consultation), {"email": "me@example.org"})
    again = send(client, save_url(consultation), {"email": "ME@example.org "})
    elsewhere = send(client, save_url(consultation), {"email": "work@example.org"})

    assert [message.to for message in mail.outbox] == [["me@example.org"], ["work@example.org"]]
    assert "We have emailed you a link" in first.content.decode()
    assert "We have already emailed the link to" in again.content.decode()
    assert "We have emailed you a link" in elsewhere.content.decode()
    draft = ResponseDraft.objects.get()
    assert len(draft.emailed_to) == 2
    assert not any("example.org" in index for index in draft.emailed_to)


def test_saving_again_to_the_same_address_still_saves_the_answers(consultation):
    first = responding.response_draft_save(
        consultation=consultation, answers={}, page_reached=1, email="me@example.org"
    )
    given = answers(consultation)

    again = responding.response_draft_save(
        consultation=consultation,
        answers=given,
        page_reached=3,
        email="me@example.org",
        token=first.token,
    )

    assert (first.emailed, again.emailed, again.token) == (True, False, first.token)
    draft = responding.response_draft_get(consultation=consultation, token=first.token)
    assert (draft.answers, draft.page_reached) == (given, 3)


def test_a_response_s_receipt_is_sent_once(consultation, send):
    client = started(consultation, "203.0.113.80")
    response = responding.response_submit(
        consultation=consultation, answers=answers(consultation), idempotency_key="key-1"
    ).response
    session = client.session
    session[f"consultation-{consultation.pk}-reference"] = response.reference
    session.save()
    done = reverse("consultations:done", args=[consultation.slug])

    pages = [
        send(client, done, {"action": "receipt", "receipt-email": f"me{n}@example.org"})
        for n in range(5)
    ]

    assert len(mail.outbox) == 1 and response.reference in mail.outbox[0].body
    assert "We have emailed your reference to you" in pages[0].content.decode()
    assert "We have already emailed the reference for this response" in (pages[1].content.decode())
    assert Response.objects.get().receipt_sent is True


def test_receipts_and_links_share_the_limit_of_one_inbox(
    consultation, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(5):
            response = responding.response_submit(
                consultation=consultation,
                answers=answers(consultation),
                idempotency_key=f"key-{n}",
            ).response
            responding.response_receipt_send(response=response, email=VICTIM)
        response = responding.response_submit(
            consultation=consultation, answers=answers(consultation), idempotency_key="key-last"
        ).response
        with pytest.raises(EmailRefused, match="as many emails to that address"):
            responding.response_receipt_send(response=response, email=VICTIM)
        with pytest.raises(EmailRefused, match="as many emails to that address"):
            responding.response_draft_save(
                consultation=consultation, answers={}, page_reached=1, email=VICTIM
            )

    assert len(mail.outbox) == 5
    # The refused receipt can still be asked for once the limit allows: it was not marked sent.
    assert Response.objects.get(pk=response.pk).receipt_sent is False
    assert not ResponseDraft.objects.exists()


def test_the_limit_of_one_inbox_ends_a_day_later(consultation, clock):
    for _ in range(5):
        responding.response_draft_save(
            consultation=consultation, answers={}, page_reached=1, email=VICTIM
        )
    with pytest.raises(EmailRefused):
        responding.response_draft_save(
            consultation=consultation, answers={}, page_reached=1, email=VICTIM
        )

    clock.advance(timedelta(hours=25))

    assert responding.response_draft_save(
        consultation=consultation, answers={}, page_reached=1, email=VICTIM
    ).emailed
