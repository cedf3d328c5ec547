"""The verification page, the verify API, the published documents, the registrar's passport
page, and who may open each."""

import json

import pytest
from django.urls import reverse

from api.passports import PassportVerifyThrottle
from passports import signing, verification
from passports.models import Passport
from passports.services import passports as services
from tests.passports.test_verification import changed_at, passport_pdf

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.filterwarnings("ignore:EdDSA is deprecated:joserfc.errors.SecurityWarning"),
]

API = "/api/v1/passports/verify"


def api_verify(client, body, **kwargs):
    return client.post(API, data=json.dumps(body), content_type="application/json", **kwargs)


# --- Who may open what ------------------------------------------------------------------------

PERSONAS = ["anonymous", "worker", "employer", "registrar_without_mfa", "registrar"]

# endpoint -> expected status per persona, in PERSONAS order. 302 for the anonymous visitor is
# the redirect to sign in; for a registrar without MFA, the redirect to set it up.
ACCESS_TABLE = {
    "verify page": [200, 200, 200, 200, 200],
    "verify link": [200, 200, 200, 200, 200],
    "verify API": [200, 200, 200, 200, 200],
    "jwks": [200, 200, 200, 200, 200],
    "did": [200, 200, 200, 200, 200],
    "revocation list": [200, 200, 200, 200, 200],
    "suspension list": [200, 200, 200, 200, 200],
    "registrar passport page": [302, 403, 403, 302, 200],
    "registrar suspends": [302, 403, 403, 302, 302],
}


def _request(client, endpoint, passport):
    public_id = passport.public_id
    return {
        "verify page": lambda: client.get(reverse("passports:verify")),
        "verify link": lambda: client.get(reverse("passports:verify-link", args=[public_id])),
        "verify API": lambda: api_verify(client, {"token": passport.token}),
        "jwks": lambda: client.get("/.well-known/jwks.json"),
        "did": lambda: client.get("/.well-known/did.json"),
        "revocation list": lambda: client.get("/credentials/status/revocation"),
        "suspension list": lambda: client.get("/credentials/status/suspension"),
        "registrar passport page": lambda: client.get(
            reverse("passports:registrar-passport", args=[public_id])
        ),
        "registrar suspends": lambda: client.post(
            reverse("passports:registrar-passport", args=[public_id]),
            {"action": "suspend", "reason_code": "under_review"},
        ),
    }[endpoint]()


@pytest.mark.parametrize(
    ("endpoint", "persona", "expected"),
    [
        (endpoint, persona, statuses[index])
        for endpoint, statuses in ACCESS_TABLE.items()
        for index, persona in enumerate(PERSONAS)
    ],
)
def test_access_table(client, request, passport, endpoint, persona, expected):
    if persona != "anonymous":
        client.force_login(request.getfixturevalue(persona))

    response = _request(client, endpoint, passport)

    assert response.status_code == expected
    passport.refresh_from_db()
    changed = endpoint == "registrar suspends" and persona == "registrar"
    assert passport.status == ("suspended" if changed else "valid")


# --- The page ---------------------------------------------------------------------------------


def test_the_page_offers_a_link_or_token_box_and_a_pdf_upload(client):
    page = client.get(reverse("passports:verify")).content.decode()

    assert '<label for="id_token">Passport link or token</label>' in page
    assert 'type="file"' in page
    assert 'enctype="multipart/form-data"' in page


def test_pasting_a_token_shows_each_check_with_a_label_in_words(client, passport):
    response = client.post(reverse("passports:verify"), {"token": passport.token})

    page = response.content.decode()
    assert response.status_code == 200
    assert "this passport is genuine and current" in page
    assert "<strong>Pass:</strong>\n      Signature." in page
    assert "<strong>Warning:</strong>\n      Training." in page
    assert "<strong>Expired:</strong> Fire safety." in page
    assert "Wendy Worker" in page


def test_pasting_the_qr_link_checks_that_passport(client, passport):
    link = f"http://testserver/verify/{passport.public_id}/"

    page = client.post(reverse("passports:verify"), {"token": link}).content.decode()

    assert "this passport is genuine and current" in page


def test_a_tampered_token_is_shown_as_not_valid_with_the_reason(client, passport):
    page = client.post(
        reverse("passports:verify"), {"token": changed_at(passport.token, 1, 30)}
    ).content.decode()

    assert "do not rely on this passport" in page
    assert "<strong>Fail:</strong>" in page
    assert "The passport has been altered since it was signed" in page
    # Nothing the forger wrote is shown.
    assert "Wendy Worker" not in page


def test_uploading_the_passport_pdf_checks_it(client, passport):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("passport.pdf", passport_pdf(passport), "application/pdf")

    page = client.post(reverse("passports:verify"), {"pdf": upload}).content.decode()

    assert "this passport is genuine and current" in page


def test_the_page_asks_for_something_to_check(client):
    response = client.post(reverse("passports:verify"), {"token": "  "})

    assert response.status_code == 400
    assert "Paste a passport link or token, or choose a passport PDF" in response.content.decode()


def test_the_qr_link_of_a_revoked_passport_says_so(client, passport, registrar):
    services.passport_revoke(
        passport=passport, registrar=registrar, reason_code=Passport.ReasonCode.ISSUED_IN_ERROR
    )

    page = client.get(reverse("passports:verify-link", args=[passport.public_id])).content.decode()

    assert "do not rely on this passport" in page
    assert "This passport has been revoked (issued in error)." in page


def test_a_link_to_no_passport_is_not_found(client):
    response = client.get(reverse("passports:verify-link", args=["NoSuchPassport"]))

    assert response.status_code == 404
    assert verification.NO_SUCH_LINK in response.content.decode()


# --- The API ----------------------------------------------------------------------------------


def test_the_api_answers_with_valid_and_named_checks(client, passport):
    response = api_verify(client, {"token": passport.token})

    data = response.json()
    assert response.status_code == 200
    assert data["valid"] is True
    assert [check["name"] for check in data["checks"]] == list(verification.CHECK_NAMES)
    assert data["checks"][1] == {
        "name": "signature",
        "status": "pass",
        "message": "The signature is valid: nothing has changed since signing.",
    }
    training = next(check for check in data["checks"] if check["name"] == "training")
    assert {record["name"]: record["status"] for record in training["records"]} == {
        "Fire safety": "warn",
        "Moving and handling": "pass",
    }
    assert data["passport"]["id"] == passport.public_id


@pytest.mark.parametrize(
    ("segment", "position"), [(0, 0), (1, 25), (2, 10)], ids=["header", "payload", "signature"]
)
def test_the_api_reports_tampering_as_not_valid(client, passport, segment, position):
    data = api_verify(client, {"token": changed_at(passport.token, segment, position)}).json()

    assert data["valid"] is False
    assert data["passport"] is None
    signature = next(check for check in data["checks"] if check["name"] == "signature")
    assert signature == {"name": "signature", "status": "fail", "message": verification.TAMPERED}


def test_the_api_reports_a_revoked_passport(client, passport, registrar):
    services.passport_revoke(
        passport=passport, registrar=registrar, reason_code=Passport.ReasonCode.FRAUD
    )

    data = api_verify(client, {"token": passport.token}).json()

    assert data["valid"] is False
    status = next(check for check in data["checks"] if check["name"] == "status")
    assert status["message"] == "This passport has been revoked (suspected fraud)."


def test_the_api_takes_a_passport_pdf(client, passport):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("passport.pdf", passport_pdf(passport), "application/pdf")

    response = client.post(API, {"file": upload})

    assert response.status_code == 200
    assert response.json()["valid"] is True


def test_a_token_that_is_not_one_is_a_verdict_not_an_error(client):
    data = api_verify(client, {"token": "certainly not a passport"}).json()

    assert data["valid"] is False
    assert data["checks"][0] == {
        "name": "format",
        "status": "fail",
        "message": "This is not a passport token (malformed).",
    }


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        ("{}", "application/json"),
        ('{"token": ""}', "application/json"),
        ('{"token": ["a", "b"]}', "application/json"),
        ('{"token": {"x": 1}}', "application/json"),
        ("{not json", "application/json"),
        ("[1, 2, 3]", "application/json"),
        ('{"token": "a\\u0000b"}', "application/json"),
        (json.dumps({"token": "x" * (signing.MAX_TOKEN_LENGTH + 1)}), "application/json"),
    ],
)
def test_a_request_without_anything_to_verify_is_a_400_in_the_error_format(
    client, body, content_type
):
    response = client.post(API, data=body, content_type=content_type)

    assert response.status_code == 400
    error = response.json()["error"]
    assert error["status"] == 400
    assert error["message"]


def test_a_body_too_large_for_django_is_a_400_in_the_error_format(client):
    body = json.dumps({"token": "x" * 3_000_000})

    response = client.post(API, data=body, content_type="application/json")

    assert response.status_code == 400
    assert response.json()["error"]["message"].startswith("The request is too large")


def test_a_token_and_a_file_together_are_refused(client, passport):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("passport.pdf", passport_pdf(passport), "application/pdf")

    response = client.post(API, {"file": upload, "token": passport.token})

    assert response.status_code == 400
    assert response.json()["error"]["fields"]["token"] == [
        "Send either a passport token or a PDF file, not both or neither."
    ]


def test_a_file_that_is_not_a_pdf_is_a_verdict(client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("notes.txt", b"hello", "text/plain")

    data = client.post(API, {"file": upload}).json()

    assert data["valid"] is False
    assert data["checks"][0]["message"] == "This file is not a PDF."


@pytest.mark.parametrize(
    "token",
    [
        "a.b.c",
        "eyJhbGciOiJub25lIn0.eyJ0eXBlIjpbXX0.",
        "eyJhbGciOiJub25lIn0.eyJ0eXBlIjpbXX0.c2ln",
        "eyJ9.eyJ9.eyJ9",
        "....",
        "é.é.é",
        "eyJhbGciOiJFZERTQSIsImtpZCI6W119.e30.c2lnbmF0dXJl",
        "eyJhbGciOlsiRWREU0EiXX0.e30.c2ln",
        "bnVsbA.bnVsbA.bnVsbA",
    ],
)
def test_no_input_gives_a_500(client, signing_key, token):
    response = api_verify(client, {"token": token})

    assert response.status_code == 200
    assert response.json()["valid"] is False


def test_the_api_is_throttled_in_its_own_error_format(client, passport, monkeypatch):
    assert PassportVerifyThrottle.rate == "6000/min"
    monkeypatch.setattr(PassportVerifyThrottle, "rate", "2/min")

    responses = [api_verify(client, {"token": passport.token}) for _ in range(3)]

    assert [response.status_code for response in responses] == [200, 200, 429]
    assert responses[2].json()["error"]["status"] == 429


def test_a_signed_in_browser_needs_no_csrf_token(passport, worker):
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    browser.force_login(worker)

    assert api_verify(browser, {"token": passport.token}).status_code == 200


def test_the_api_is_in_the_schema(client):
    schema = client.get(reverse("api:schema")).content.decode()

    assert "passport_verify" in schema
    assert "PassportVerification" in schema


# --- The registrar's passport page ------------------------------------------------------------


def test_a_registrar_suspends_a_passport_from_its_page(registrar_client, passport):
    url = reverse("passports:registrar-passport", args=[passport.public_id])

    response = registrar_client.post(url, {"action": "suspend", "reason_code": "under_review"})

    assert response.status_code == 302
    passport.refresh_from_db()
    assert (passport.status, passport.reason_code) == ("suspended", "under_review")


def test_revoking_from_the_page_needs_a_reason(registrar_client, passport):
    url = reverse("passports:registrar-passport", args=[passport.public_id])

    response = registrar_client.post(url, {"action": "revoke", "reason_code": ""})

    assert response.status_code == 400
    assert "Choose a reason" in response.content.decode()
    passport.refresh_from_db()
    assert passport.status == "valid"


def test_a_refused_change_is_explained_on_the_page(registrar_client, passport):
    url = reverse("passports:registrar-passport", args=[passport.public_id])

    response = registrar_client.post(url, {"action": "unsuspend"})

    assert response.status_code == 400
    assert "A valid passport cannot become valid." in response.content.decode()
