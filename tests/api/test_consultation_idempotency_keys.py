"""Finding 12 of issue 17: an Idempotency-Key sent by someone not signed in is bound to the
client that sent it (its address and its answers). Another client that chooses the same key
never learns whether its answers match the first person's, and never gets their reference."""

import uuid

import pytest

from consultations.models import Response
from tests.api.test_consultations_api import body, submit

pytestmark = pytest.mark.django_db

KEY = "response-00000001"  # a client's counter, not a UUID: two clients can pick it
FIRST, SECOND = "203.0.113.10", "198.51.100.20"


def test_another_client_with_the_same_key_and_the_same_answers_never_gets_the_reference(
    client, consultation
):
    first = submit(client, consultation, body(consultation), key=KEY, REMOTE_ADDR=FIRST)

    guess = submit(client, consultation, body(consultation), key=KEY, REMOTE_ADDR=SECOND)

    assert first.status_code == 201
    assert guess.status_code == 201, "a new response of the guesser's own"
    assert first.json()["reference"] not in guess.content.decode()
    assert Response.objects.count() == 2


def test_another_client_with_the_same_key_and_other_answers_learns_nothing(client, consultation):
    submit(client, consultation, body(consultation), key=KEY, REMOTE_ADDR=FIRST)

    guesses = [
        submit(
            client,
            consultation,
            body(consultation, comment=f"Guess {n}"),
            key=KEY,
            REMOTE_ADDR=SECOND,
        )
        for n in range(3)
    ]

    # Not a 409 saying the answers differ, which told a guesser when they matched.
    assert [guess.status_code for guess in guesses] == [201, 201, 201]
    assert Response.objects.count() == 4


def test_even_behind_the_same_address_other_answers_with_the_same_key_learn_nothing(
    client, consultation
):
    submit(client, consultation, body(consultation), key=KEY, REMOTE_ADDR=FIRST)

    other = submit(
        client, consultation, body(consultation, comment="Other"), key=KEY, REMOTE_ADDR=FIRST
    )

    assert other.status_code == 201
    assert Response.objects.count() == 2


def test_the_same_client_sending_the_same_request_again_gets_its_own_reference(
    client, consultation
):
    first = submit(
        client, consultation, body(consultation, comment="Mine"), key=KEY, REMOTE_ADDR=FIRST
    )

    again = submit(
        client, consultation, body(consultation, comment="Mine"), key=KEY, REMOTE_ADDR=FIRST
    )

    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["reference"] == first.json()["reference"]
    assert Response.objects.count() == 1


def test_the_stored_key_names_neither_the_key_sent_nor_the_address(client, consultation):
    key = str(uuid.uuid4())
    submit(client, consultation, body(consultation), key=key, REMOTE_ADDR=FIRST)

    stored = Response.objects.values_list("idempotency_key", flat=True).get()

    assert key not in stored and FIRST not in stored
    assert stored.startswith("api:anon:") and len(stored) <= 64


def test_a_signed_in_person_s_key_never_meets_an_anonymous_one(
    client, consultation, registered_worker
):
    anonymous = submit(client, consultation, body(consultation), key=KEY, REMOTE_ADDR=FIRST)
    client.force_login(registered_worker)

    signed_in = submit(client, consultation, body(consultation), key=KEY, REMOTE_ADDR=FIRST)

    assert signed_in.status_code == 201
    assert anonymous.json()["reference"] not in signed_in.content.decode()
