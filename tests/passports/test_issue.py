"""Issuing and downloading passports, single-record badges, and the issue_passport command."""

import json
from datetime import UTC, datetime

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from passports import keys, signing, verification
from passports.models import Passport, TrainingRecord
from passports.pdf import token_from_pdf
from tests.factories import RegisterEntryFactory

pytestmark = pytest.mark.django_db


def test_a_worker_issues_a_passport_from_their_page(
    client, worker, entry_with_training, signing_key
):
    client.force_login(worker)

    response = client.post(reverse("passports:issue"))

    assert response.status_code == 302
    passport = Passport.objects.get(entry=entry_with_training)
    assert verification.verify(passport.token).valid
    page = client.get(reverse("passports:page")).content.decode()
    assert reverse("passports:download-pdf", args=[passport.public_id]) in page


def test_issuing_again_supersedes_the_first_passport(
    client, worker, entry_with_training, signing_key
):
    client.force_login(worker)
    client.post(reverse("passports:issue"))
    client.post(reverse("passports:issue"))

    statuses = sorted(
        Passport.objects.filter(entry=entry_with_training).values_list("status", flat=True)
    )

    assert statuses == ["superseded", "valid"]


def test_without_a_signing_key_the_worker_is_told_and_nothing_is_issued(
    client, worker, entry_with_training
):
    client.force_login(worker)

    response = client.post(reverse("passports:issue"), follow=True)

    assert "No signing key" in response.content.decode()
    assert not Passport.objects.exists()


def test_the_downloaded_pdf_carries_a_token_that_verifies(
    client, worker, entry_with_training, signing_key
):
    client.force_login(worker)
    client.post(reverse("passports:issue"))
    passport = Passport.objects.get(entry=entry_with_training)

    response = client.get(reverse("passports:download-pdf", args=[passport.public_id]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert token_from_pdf(response.content) == passport.token
    assert verification.verify_pdf(response.content).valid


def test_the_token_file_is_the_signed_passport(client, worker, entry_with_training, signing_key):
    client.force_login(worker)
    client.post(reverse("passports:issue"))
    passport = Passport.objects.get(entry=entry_with_training)

    response = client.get(reverse("passports:download-token", args=[passport.public_id]))

    assert response.content.decode() == passport.token
    assert response["Content-Type"] == "application/vc+jwt"


@pytest.mark.parametrize(
    ("persona", "expected"),
    [("anonymous", 302), ("worker", 200), ("outsider", 404), ("employer", 404), ("registrar", 404)],
)
def test_only_the_worker_downloads_their_passport(
    client, request, worker, entry_with_training, signing_key, persona, expected
):
    from passports.services.passports import passport_issue

    passport = passport_issue(entry=entry_with_training, requested_by=worker)
    if persona != "anonymous":
        client.force_login(request.getfixturevalue(persona))

    for name in ("passports:download-pdf", "passports:download-token"):
        response = client.get(reverse(name, args=[passport.public_id]))
        assert response.status_code == expected


@pytest.mark.parametrize(
    ("persona", "expected"), [("anonymous", 302), ("outsider", 404), ("worker", 302)]
)
def test_who_may_issue_a_passport(
    client, request, worker, entry_with_training, signing_key, persona, expected
):
    if persona != "anonymous":
        client.force_login(request.getfixturevalue(persona))

    response = client.post(reverse("passports:issue"))

    assert response.status_code == expected
    assert Passport.objects.exists() is (persona == "worker")


def test_a_verified_record_downloads_as_a_signed_open_badge(
    client, worker, entry_with_training, signing_key
):
    record = entry_with_training.training.filter(status=TrainingRecord.Status.VERIFIED).first()
    client.force_login(worker)

    response = client.get(reverse("passports:record-badge", args=[record.pk]))

    assert response.status_code == 200
    header = signing.read_header(response.content.decode())
    public_key = keys.public_key_from_x(signing_key.public_jwk["x"])
    claims = signing.verify(response.content.decode(), public_key=public_key)
    assert header["kid"].endswith(signing_key.kid)
    assert claims["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert claims["credentialSubject"]["achievement"]["name"] == record.standard.title


def test_someone_elses_record_is_not_found(client, outsider, entry_with_training, signing_key):
    record = entry_with_training.training.first()
    client.force_login(outsider)

    assert client.get(reverse("passports:record-badge", args=[record.pk])).status_code == 404


def test_issue_passport_writes_a_token_or_a_pdf_that_verifies_offline(
    entry_with_training, signing_key, tmp_path, capsys
):
    jwks_file = tmp_path / "jwks.json"
    jwks_file.write_text(json.dumps(keys.jwks_document()))

    call_command(
        "issue_passport",
        entry_with_training.registration_number.lower(),
        "--out",
        str(tmp_path / "p.jwt"),
    )
    call_command(
        "issue_passport", entry_with_training.registration_number, "--out", str(tmp_path / "p.pdf")
    )

    token = (tmp_path / "p.jwt").read_text().strip()
    assert verification.verify(token, jwks=json.loads(jwks_file.read_text())).valid
    pdf = (tmp_path / "p.pdf").read_bytes()
    assert verification.verify_pdf(pdf, jwks=json.loads(jwks_file.read_text())).valid
    assert "Issued passport" in capsys.readouterr().out


def test_issue_passport_refuses_an_unknown_number_or_file_type(signing_key, tmp_path):
    with pytest.raises(CommandError, match="No register entry"):
        call_command("issue_passport", "CR1000001H", "--out", str(tmp_path / "p.jwt"))
    entry = RegisterEntryFactory()
    with pytest.raises(CommandError, match="must end in .jwt or .pdf"):
        call_command("issue_passport", entry.registration_number, "--out", str(tmp_path / "p.txt"))


def test_the_issued_message_gives_the_day_in_uk_time(client, worker, entry, signing_key, clock):
    # 23:30 UTC on 30 June is 00:30 on 1 July in London: the passport was issued on 1 July.
    clock.set(datetime(2026, 6, 30, 23, 30, tzinfo=UTC))
    client.force_login(worker)

    response = client.post(reverse("passports:issue"), follow=True)

    assert "Your passport has been issued on 1 July 2026." in response.content.decode()
