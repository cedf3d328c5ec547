"""Single-record badges: Open Badges 3.0 JWTs (section 8.2) that another JOSE library accepts, one
per record, with a revocation-list entry, revoked with their record and checked by /verify/ and
the API like passports."""

import json
from datetime import timedelta
from io import StringIO

import jwt
import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from core.models import AuditEvent
from passports import badges, keys, signing, status_lists, verification
from passports.models import Passport, RecordBadge, TrainingRecord
from passports.services import badges as badge_services
from passports.services import records
from tests.factories import TrainingRecordFactory, TrainingStandardFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.filterwarnings("ignore:EdDSA is deprecated:joserfc.errors.SecurityWarning"),
]


@pytest.fixture
def in_date(entry_with_training):
    """Moving and handling, verified, completed 30 days ago and expiring in 335 days."""
    return entry_with_training.training.get(standard__code="moving-and-handling")


@pytest.fixture
def badge(in_date, worker, signing_key):
    return badge_services.record_badge_get_or_issue(record=in_date, requested_by=worker)


def badge_revocation_bits() -> list[int]:
    credential = status_lists.status_list_credential(status_lists.BADGE_REVOCATION)
    bits = status_lists.decode_bitstring(credential["credentialSubject"]["encodedList"])
    return [index for index in range(len(bits) * 8) if status_lists.bit_is_set(bits, index)]


def pyjwt_key(signing_key):
    """The register's public key as another library reads it, from the published JWKS."""
    [published] = [
        key for key in keys.jwks_document()["keys"] if key["kid"].endswith(signing_key.kid)
    ]
    return jwt.PyJWK(published, algorithm="EdDSA")


# --- The format ------------------------------------------------------------------------------


def test_a_badge_has_only_the_header_open_badges_allows(badge):
    header = signing.read_header(badge.token)

    assert header == {
        "alg": "EdDSA",
        "typ": "JWT",
        "kid": keys.verification_method_id(badge.key.kid),
    }


def test_a_different_jose_library_verifies_a_badge_and_its_registered_claims(
    badge, signing_key, in_date
):
    """PyJWT, not the joserfc the register signs with, checks the signature, requires every
    registered claim Open Badges 3.0 section 8.2 names, and checks iss, nbf and exp."""
    claims = jwt.decode(
        badge.token,
        key=pyjwt_key(signing_key),
        algorithms=["EdDSA"],
        issuer=keys.register_did(),
        options={"require": ["iss", "jti", "nbf", "sub", "exp"]},
    )

    assert claims["jti"] == claims["id"] == badge_services.badge_url(badge.public_id)
    assert claims["sub"] == claims["credentialSubject"]["id"]
    assert claims["sub"].endswith(f"/register/{in_date.entry.registration_number}/")
    assert claims["nbf"] == int(badges.start_of_day(in_date.completed_on).timestamp())
    assert claims["exp"] == int(badges.start_of_day(in_date.expires_on).timestamp())
    assert claims["validFrom"] < claims["validUntil"]
    assert claims["type"] == ["VerifiableCredential", "OpenBadgeCredential"]


def test_a_badge_carries_its_revocation_list_entry(badge, settings):
    status = signing.verify(
        badge.token, public_key=keys.public_key_from_x(badge.key.public_jwk["x"])
    )["credentialStatus"]

    url = f"{settings.SITE_URL}/credentials/status/badge-revocation"
    assert status == {
        "id": f"{url}#{badge.revocation_index}",
        "type": "BitstringStatusListEntry",
        "statusPurpose": "revocation",
        "statusListIndex": str(badge.revocation_index),
        "statusListCredential": url,
    }


def test_the_badge_revocation_list_is_published_and_signed(client, badge):
    response = client.get("/credentials/status/badge-revocation")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/vc+jwt"
    claims = signing.verify(
        response.content.decode(), public_key=keys.public_key_from_x(badge.key.public_jwk["x"])
    )
    assert claims["credentialSubject"]["statusPurpose"] == "revocation"
    assert claims["id"].endswith("/credentials/status/badge-revocation")


# --- Issuing ---------------------------------------------------------------------------------


def test_issuing_a_badge_writes_the_audit_event(badge, worker, in_date):
    event = AuditEvent.objects.get(action="passports.badge.issued")

    assert event.actor_id == worker.pk
    assert event.target_id == str(badge.pk)
    assert event.data == {
        "public_id": badge.public_id,
        "record_id": in_date.pk,
        "kid": badge.key.kid,
    }


def test_downloading_again_serves_the_same_badge(badge, in_date, worker):
    again = badge_services.record_badge_get_or_issue(record=in_date, requested_by=worker)

    assert again.pk == badge.pk
    assert RecordBadge.objects.count() == 1
    assert AuditEvent.objects.filter(action="passports.badge.issued").count() == 1


def test_expired_training_gets_no_badge(entry_with_training, worker, signing_key):
    expired = entry_with_training.training.get(standard__code="fire-safety")

    with pytest.raises(badge_services.BadgeError, match="expired on .*cannot be downloaded"):
        badge_services.record_badge_get_or_issue(record=expired, requested_by=worker)

    assert not RecordBadge.objects.exists()


def test_unverified_training_gets_no_badge(entry_with_training, worker, signing_key):
    waiting = entry_with_training.training.get(standard__code="food-hygiene")

    with pytest.raises(badge_services.BadgeError, match="Only verified training"):
        badge_services.record_badge_get_or_issue(record=waiting, requested_by=worker)


def test_nobody_else_gets_a_badge_for_a_workers_record(in_date, outsider, signing_key):
    with pytest.raises(badge_services.BadgeError, match="your own training"):
        badge_services.record_badge_get_or_issue(record=in_date, requested_by=outsider)

    assert not RecordBadge.objects.exists()


def test_the_download_is_a_plain_jwt(client, worker, in_date, signing_key):
    client.force_login(worker)

    response = client.get(reverse("passports:record-badge", args=[in_date.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/jwt"
    assert response.content.decode() == RecordBadge.objects.get(record=in_date).token


def test_downloading_expired_training_says_why_and_makes_nothing(
    client, worker, entry_with_training, signing_key
):
    expired = entry_with_training.training.get(standard__code="fire-safety")
    client.force_login(worker)

    response = client.get(reverse("passports:record-badge", args=[expired.pk]), follow=True)

    assert "cannot be downloaded as a badge" in response.content.decode()
    assert not RecordBadge.objects.exists()


def test_the_passport_page_offers_no_badge_for_expired_training(
    client, worker, entry_with_training, signing_key
):
    expired = entry_with_training.training.get(standard__code="fire-safety")
    in_date = entry_with_training.training.get(standard__code="moving-and-handling")
    client.force_login(worker)

    page = client.get(reverse("passports:page")).content.decode()

    assert reverse("passports:record-badge", args=[in_date.pk]) in page
    assert reverse("passports:record-badge", args=[expired.pk]) not in page
    assert "None: expired" in page


# --- Revoking with the record ----------------------------------------------------------------


def test_revoking_the_record_revokes_its_badge(
    badge, in_date, registrar, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        records.training_record_revoke(record=in_date, by=registrar, reason="Wrong person.")

    badge.refresh_from_db()
    assert (badge.status, badge.reason_code) == ("revoked", "record_revoked")
    [email] = mail.outbox
    assert "The badge you downloaded for this record has been revoked too" in email.body
    assert badge.revocation_index in badge_revocation_bits()
    event = AuditEvent.objects.get(action="passports.badge.revoked")
    assert event.actor_id == registrar.pk
    assert (event.old_status, event.new_status) == ("valid", "revoked")
    assert event.data == {
        "public_id": badge.public_id,
        "reason_code": "record_revoked",
        "record_id": in_date.pk,
    }
    result = verification.verify(badge.token)
    assert result.valid is False
    assert result.verdict == "not_valid"
    assert result.check("status").message == (
        "This badge has been revoked: its training record was revoked."
    )


def test_a_valid_badges_bit_is_clear(badge):
    assert badge.revocation_index not in badge_revocation_bits()


def test_the_revocation_fails_whole_if_the_badge_cannot_be_revoked(
    badge, in_date, registrar, monkeypatch
):
    def fail(**kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(badge_services, "_end_badges", fail)

    with pytest.raises(RuntimeError):
        records.training_record_revoke(record=in_date, by=registrar, reason="Wrong person.")

    in_date.refresh_from_db()
    badge.refresh_from_db()
    assert in_date.status == TrainingRecord.Status.VERIFIED
    assert badge.status == RecordBadge.Status.VALID


# --- Verifying -------------------------------------------------------------------------------


def test_a_badge_verifies_online_and_says_what_was_checked(badge, in_date):
    result = verification.verify(badge.token)

    assert result.valid is True
    assert result.kind == "badge"
    assert result.verdict == "valid"
    assert [check.status for check in result.checks] == ["pass"] * 8
    assert "Open Badges 3.0" in result.check("type").message
    assert "iss, jti, nbf, sub and exp" in result.check("type").message
    assert result.check("status").message == "Not revoked or replaced by a newer badge."
    assert result.badge == {
        "id": badge.public_id,
        "name": "Wendy Worker",
        "registrationNumber": in_date.entry.registration_number,
        "training": in_date.standard.title,
        "completedOn": in_date.completed_on.isoformat(),
        "expiresOn": in_date.expires_on.isoformat(),
        "key": badge.key.kid,
    }
    assert result.passport is None


def test_a_badge_verifies_offline_against_the_jwks(badge):
    result = verification.verify(badge.token, jwks=keys.jwks_document())

    assert result.valid is True
    assert result.kind == "badge"
    assert result.check("status").status == "skip"


def test_a_badge_past_its_expiry_is_not_valid(badge, in_date):
    result = verification.verify(badge.token, today=in_date.expires_on)

    assert result.valid is False
    assert result.check("training").status == "fail"
    assert "Expired on" in result.check("training").message


def test_a_badge_whose_claims_disagree_with_its_credential_is_refused(badge, signing_key):
    """Signed by the register's own key, yet its iss says another issuer: a verifier reading
    only the claims would be misled, so it is not a valid badge."""
    claims = signing.verify(
        badge.token, public_key=keys.public_key_from_x(signing_key.public_jwk["x"])
    )
    claims["nbf"] = claims["nbf"] - 86_400
    token = signing.sign_badge(
        claims,
        private_key=keys.private_key_for(signing_key),
        kid=keys.verification_method_id(signing_key.kid),
    )

    result = verification.verify(token)

    assert result.valid is False
    assert result.check("type").message == verification.CLAIMS_DIFFER


def test_a_badge_with_an_extra_header_is_not_a_badge(badge, signing_key):
    from joserfc import jws

    claims = signing.verify(
        badge.token, public_key=keys.public_key_from_x(signing_key.public_jwk["x"])
    )
    header = {
        "alg": "EdDSA",
        "typ": "JWT",
        "cty": "vc",
        "kid": keys.verification_method_id(signing_key.kid),
    }
    token = jws.serialize_compact(
        header,
        json.dumps(claims).encode(),
        keys.private_key_for(signing_key),
        registry=signing._REGISTRY,
    )

    result = verification.verify(token)

    assert result.valid is False
    assert result.check("type").message == verification.NOT_A_PASSPORT


def test_the_verify_page_and_the_api_check_a_pasted_badge(client, badge):
    page = client.post(reverse("passports:verify"), {"token": badge.token}).content.decode()
    data = client.post(
        "/api/v1/passports/verify",
        data=json.dumps({"token": badge.token}),
        content_type="application/json",
    ).json()

    assert "this badge is genuine and current" in page
    assert "not a Care Register passport" not in page
    assert data["valid"] is True
    assert data["kind"] == "badge"
    assert data["badge"]["id"] == badge.public_id
    assert data["passport"] is None


def test_a_badges_id_is_its_verification_page(client, badge):
    response = client.get(reverse("passports:verify-badge-link", args=[badge.public_id]))

    assert response.status_code == 200
    assert 'data-verdict="valid"' in response.content.decode()
    missing = client.get(reverse("passports:verify-badge-link", args=["nothing-here"]))
    assert missing.status_code == 404


def test_a_pasted_badge_link_is_checked(client, badge):
    link = badge_services.badge_url(badge.public_id)

    data = client.post(
        "/api/v1/passports/verify",
        data=json.dumps({"token": link}),
        content_type="application/json",
    ).json()

    assert data["valid"] is True
    assert data["kind"] == "badge"


def test_a_passport_is_still_reported_as_a_passport(passport):
    result = verification.verify(passport.token)

    assert result.kind == "passport"
    assert result.as_dict()["badge"] is None


# --- Status lists grow for badges too ----------------------------------------------------------


def test_badges_and_passports_keep_their_own_positions(passport, badge):
    assert Passport.objects.count() == 1
    assert status_lists.list_length(status_lists.BADGE_REVOCATION) == status_lists.BLOCK_BITS
    assert status_lists.list_capacity(RecordBadge) == status_lists.BLOCK_BITS


def test_the_badge_for_training_expiring_tomorrow_is_still_issued(
    entry_with_training, worker, signing_key
):
    record = TrainingRecordFactory(
        entry=entry_with_training,
        standard=TrainingStandardFactory(code="first-aid", title="First aid"),
        completed_on=timezone.localdate() - timedelta(days=364),
        expires_on=timezone.localdate() + timedelta(days=1),
    )

    badge = badge_services.record_badge_get_or_issue(record=record, requested_by=worker)

    assert verification.verify(badge.token).valid is True


def test_a_badge_in_the_old_vc_jwt_format_is_not_taken_for_a_badge(in_date, signing_key):
    """Badges made before decision 26 were vc+jwt with no registered claims and no stored row."""
    credential = badges.compose_record_badge(
        issuer_did=keys.register_did(),
        issuer_name="Care Register",
        site_url="http://testserver",
        credential_id="http://testserver/training/records/1",
        subject_id="http://testserver/register/CR1/",
        recipient_name="Wendy Worker",
        registration_number=in_date.entry.registration_number,
        standard_code=in_date.standard.code,
        standard_title=in_date.standard.title,
        standard_category=in_date.standard.category,
        completed_on=in_date.completed_on,
        expires_on=in_date.expires_on,
        provider_name="Skills Ltd",
    )
    token = signing.sign(
        credential,
        private_key=keys.private_key_for(signing_key),
        kid=keys.verification_method_id(signing_key.kid),
    )

    result = verification.verify(token)

    assert result.valid is False
    assert result.check("type").message == verification.NOT_A_PASSPORT


def test_the_offline_command_checks_a_badge_without_the_database(
    badge, in_date, tmp_path, django_assert_num_queries
):
    token_file = tmp_path / "badge.jwt"
    token_file.write_text(badge.token)
    jwks_file = tmp_path / "jwks.json"
    jwks_file.write_text(json.dumps(keys.jwks_document()))
    out = StringIO()

    with django_assert_num_queries(0):
        call_command("verify_passport", str(token_file), "--jwks", str(jwks_file), stdout=out)

    output = out.getvalue()
    assert output.startswith("VALID (checked offline)")
    assert f"Badge: {in_date.standard.title}, for Wendy Worker" in output
    assert "NOT CHECKED  status" in output
