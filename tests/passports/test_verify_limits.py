"""The limits on /verify/ and the verify API: how often one address may check passports, and
hostile PDFs uploaded through either."""

import uuid
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from core.ratelimit import RateLimit
from passports import verification
from tests.passports.test_pdf_bombs import FLATE, crafted_pdf
from tests.passports.test_verification import passport_pdf

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.filterwarnings("ignore:EdDSA is deprecated:joserfc.errors.SecurityWarning"),
]

VERIFY = "/verify/"
API = "/api/v1/passports/verify"


def small_limit(monkeypatch, name: str, limit: int) -> None:
    monkeypatch.setattr(
        verification, name, RateLimit(f"test-{uuid.uuid4().hex}", limit=limit, period=60)
    )


def pdf_upload(data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile("passport.pdf", data, "application/pdf")


def test_the_verify_form_is_throttled_per_client_address(client, passport, monkeypatch):
    assert verification.VERIFY_FORM_LIMIT.limit == 120
    small_limit(monkeypatch, "VERIFY_FORM_LIMIT", 2)

    responses = [
        client.post(VERIFY, {"token": passport.token}, REMOTE_ADDR="203.0.113.7") for _ in range(3)
    ]

    assert [response.status_code for response in responses] == [200, 200, 429]
    refused = responses[2]
    assert int(refused["Retry-After"]) >= 1
    page = refused.content.decode()
    assert verification.TOO_MANY_CHECKS in page
    # Refused before checking: no verdict is shown.
    assert "this passport is genuine and current" not in page
    # Another address is counted on its own.
    other = client.post(VERIFY, {"token": passport.token}, REMOTE_ADDR="198.51.100.4")
    assert other.status_code == 200


def test_pdf_uploads_share_one_limit_across_the_form_and_the_api(client, passport, monkeypatch):
    assert verification.PDF_UPLOAD_LIMIT.limit == 30
    small_limit(monkeypatch, "PDF_UPLOAD_LIMIT", 2)
    pdf = passport_pdf(passport)

    by_form = client.post(VERIFY, {"pdf": pdf_upload(pdf)})
    by_api = client.post(API, {"file": pdf_upload(pdf)})
    third = client.post(API, {"file": pdf_upload(pdf)})
    by_form_again = client.post(VERIFY, {"pdf": pdf_upload(pdf)})

    assert (by_form.status_code, by_api.status_code) == (200, 200)
    assert third.status_code == 429
    assert third.json()["error"]["message"].startswith(verification.TOO_MANY_CHECKS)
    assert by_form_again.status_code == 429
    # Tokens are cheap and are not held back by the PDF limit.
    assert client.post(VERIFY, {"token": passport.token}).status_code == 200


@pytest.mark.parametrize("copies", [2, 40])
def test_a_pdf_full_of_compressed_passports_is_refused_by_the_form_and_the_api(
    client, signing_key, copies
):
    bomb = zlib.compress(bytes(50 * 1024 * 1024), 9)
    pdf = crafted_pdf([(b"passport.jwt", FLATE, bomb)] * copies)

    page = client.post(VERIFY, {"pdf": pdf_upload(pdf)})
    data = client.post(API, {"file": pdf_upload(pdf)}).json()

    assert page.status_code == 200
    assert "This PDF is not a Care Register passport" in page.content.decode()
    assert data["valid"] is False
    assert data["checks"][0]["status"] == "fail"
    assert data["checks"][0]["message"].startswith("This PDF is not a Care Register passport: ")
