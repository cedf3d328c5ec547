"""Every URL in the URLconf, sent broken bodies by POST as a persona who may use it: wrongly
typed fields, broken JSON, the wrong content type, a broken multipart body, too many fields,
and a body over DATA_UPLOAD_MAX_MEMORY_SIZE. Nothing may answer 5xx; bodies the server cannot
read at all must answer 400 or 413, not be half-read."""

import pytest
from django.conf import settings
from django.test import Client

from tests.security.urlwalk import all_routes, url_for

WRONGLY_TYPED = {
    "pk": "not-a-number",
    "id": ["1", "2"],
    "email": "x" * 5000 + "@",
    "name": "\x00<script>alert(1)</script>",
    "full_name": "",
    "new_name": "\u202e\ufffe",
    "date_of_birth": "31/02/1990",
    "date_of_birth_0": "99",
    "date_of_birth_1": "-1",
    "date_of_birth_2": "abcd",
    "completed_on_0": "tomorrow",
    "completed_on_1": "\u0661",
    "completed_on_2": "9" * 5000,
    "opens_at_0": "31",
    "opens_at_1": "2",
    "opens_at_2": "2026",
    "opens_at_3": "99:99",
    "closes_at_0": "",
    "closes_at_3": "25pm",
    "code": "🙂" * 50,
    "registration_number": "CR" + "9" * 500,
    "scopes": "everything",
    "role": "god",
    "kind": "nonsense",
    "status": "approved",
    "outcome": "passed" * 100,
    "hours": "1e309",
    "cpd_hours": "NaN",
    "number": "-5",
    "answers": "{not json",
    "idempotency_key": "",
    "url": "javascript:alert(1)",
    "upload": "not a file",
    "evidence": "not a file",
    "token": "../../etc/passwd",
    "decision": "maybe",
    "reason": "x" * 100_000,
}


def _persona_for(route) -> str:
    """The persona whose forms these are, so the body reaches the view, not a refusal."""
    name, pattern = route.name, route.pattern
    if name.startswith("admin:") or pattern.startswith("registrar/"):
        return "registrar"
    if pattern.startswith(("employer/", "organisations/", "invitations/")):
        return "employer"
    if pattern.startswith("provider/") or name == "api:training-records":
        return "provider"
    if pattern.startswith("consultations/manage"):
        return "association_admin"
    if pattern.startswith("apply/"):
        return "outsider"
    if name.startswith(("account_", "mfa_")) or name == "account_login":
        return "worker"
    return "worker"


def _client(world, persona, route):
    client = Client(raise_request_exception=False)
    if route.name in {"api:share-codes-check", "api:staff-list", "api:staff-member"}:
        client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {world.objects['api_key_secret']}"
    elif persona != "anonymous":
        client.force_login(world.personas[persona])
    return client


BODIES = {
    "wrongly typed form fields": lambda: {"data": WRONGLY_TYPED},
    "form fields that are not UTF-8": lambda: {
        "data": b"name=%ff%fe%00&email=%c3%28&full_name=%ed%a0%80",
        "content_type": "application/x-www-form-urlencoded",
    },
    "broken JSON": lambda: {"data": '{"registration_number": ', "content_type": "application/json"},
    "JSON of the wrong shape": lambda: {
        "data": '[1, {"date_of_birth": [], "code": 5, "registration_number": {"a": null}}]',
        "content_type": "application/json",
    },
    "a body of the wrong content type": lambda: {
        "data": b"\x89PNG\r\n\x1a\n\x00\x00",
        "content_type": "image/png",
    },
}

UNREADABLE_BODIES = {
    "a body over the upload limit": lambda: {
        "data": "a=" + "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 10),
        "content_type": "application/x-www-form-urlencoded",
    },
    "too many fields": lambda: {
        "data": "&".join(f"f{i}=1" for i in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 5)),
        "content_type": "application/x-www-form-urlencoded",
    },
    "a broken multipart body": lambda: {
        "data": b"--nope\r\nContent-Disposition: form-data; name=\r\n\r\n",
        "content_type": "multipart/form-data; boundary=",
    },
}


@pytest.mark.django_db
def test_no_url_answers_a_broken_body_with_a_server_error(world):
    failures = []
    for route in all_routes():
        url = url_for(route, world)
        persona = _persona_for(route)
        for what, body in BODIES.items():
            response = _client(world, persona, route).post(url, **body())
            if response.status_code >= 500:
                failures.append(f"POST {url} as {persona} with {what}: {response.status_code}")
            elif route.name == "api:passports-verify" and response.status_code == 200:
                # Documented: a token that fails verification is a 200 with valid: false.
                if response.json()["valid"] is not False:
                    failures.append(f"POST {url} with {what} was called valid")
            elif route.name.startswith("api:") and response.status_code < 400:
                # The API never takes a broken body as a success.
                failures.append(f"POST {url} as {persona} with {what}: {response.status_code}")
    assert not failures, "\n".join(failures)


@pytest.mark.django_db
def test_a_body_the_server_cannot_read_never_answers_a_server_error_anywhere(world):
    failures = []
    for route in all_routes():
        url = url_for(route, world)
        persona = _persona_for(route)
        for what, body in UNREADABLE_BODIES.items():
            response = _client(world, persona, route).post(url, **body())
            if response.status_code >= 500:
                failures.append(f"POST {url} as {persona} with {what}: {response.status_code}")
    assert not failures, "\n".join(failures)


@pytest.mark.django_db
@pytest.mark.parametrize("what", list(UNREADABLE_BODIES))
@pytest.mark.parametrize(
    ("name", "persona"),
    [
        ("accounts:organisation-list", "worker"),
        ("register:worker-contact", "worker"),
        ("passports:verify", "anonymous"),
        ("api:passports-verify", "anonymous"),
        ("api:training-records", "provider"),
        ("api:share-codes-check", "employer"),
    ],
)
def test_a_view_that_reads_the_body_refuses_one_it_cannot_read_with_400(world, name, persona, what):
    route = next(route for route in all_routes() if route.name == name)
    client = _client(world, persona, route)

    response = client.post(url_for(route, world), **UNREADABLE_BODIES[what]())

    assert response.status_code in {400, 413}
