"""Verifying passports: each tamper case, each kind of failure with its own message, expired
training as a warning, and offline verification that never touches the database."""

import io
import json
import os
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.management import CommandError, call_command
from joserfc import jws
from joserfc.jwk import OctKey, OKPKey

from passports import credentials, keys, signing, verification
from passports.models import Passport, SigningKey
from passports.pdf import PassportDocument, PassportPdfRenderer
from passports.services import passports as services
from register.models import RegisterEntry
from tests.passports.test_signing import (
    b64encode_json,
    decode,
)

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.filterwarnings("ignore:EdDSA is deprecated:joserfc.errors.SecurityWarning"),
]

Reason = Passport.ReasonCode
ALTERED = verification.TAMPERED
PROJECT_ROOT = Path(__file__).resolve().parents[2]


def statuses(result) -> dict[str, str]:
    return {check.name: check.status for check in result.checks}


def messages(result) -> dict[str, str]:
    return {check.name: check.message for check in result.checks}


def changed_at(token: str, segment: int, position: int) -> str:
    """The token with one character of one segment replaced by another base64url character."""
    parts = token.split(".")
    part = parts[segment]
    replacement = "A" if part[position] != "A" else "B"
    parts[segment] = part[:position] + replacement + part[position + 1 :]
    return ".".join(parts)


def sign_with(private_key: OKPKey, claims: dict, *, kid: str) -> str:
    return signing.sign(claims, private_key=private_key, kid=kid)


# --- A good passport --------------------------------------------------------------------------


def test_a_fresh_passport_passes_every_check(passport, entry_with_training):
    result = verification.verify(passport.token)

    assert result.valid
    assert [check.name for check in result.checks] == [
        "format",
        "signature",
        "key",
        "type",
        "status",
        "registration",
        "training",
        "issued",
    ]
    assert statuses(result) == {
        "format": "pass",
        "signature": "pass",
        "key": "pass",
        "type": "pass",
        "status": "pass",
        "registration": "pass",
        "training": "warn",
        "issued": "pass",
    }
    assert messages(result)["registration"] == "Registered: may practise."
    assert result.passport["registrationNumber"] == entry_with_training.registration_number
    assert result.passport["name"] == "Wendy Worker"
    assert result.passport["id"] == passport.public_id


def test_it_says_when_the_passport_was_issued(passport):
    # The signed time is what counts: sign a passport whose validFrom is known.
    _, claims = decode(passport.token)
    claims["validFrom"] = "2026-07-01T09:30:00Z"
    token = sign_with(
        keys.private_key_for(passport.key),
        claims,
        kid=keys.verification_method_id(passport.key.kid),
    )

    result = verification.verify(token)

    # 09:30 UTC is 10:30 in London in July.
    assert messages(result)["issued"] == "Issued at 10:30 on 1 July 2026."


def test_expired_training_is_a_warning_with_its_date_never_a_failure(passport):
    _, claims = decode(passport.token)
    fire_safety = next(
        item
        for item in claims["credentialSubject"]["training"]
        if item["achievement"]["humanCode"] == "fire-safety"
    )
    expired_on = datetime.fromisoformat(fire_safety["expiresOn"]).date()

    result = verification.verify(passport.token)

    training = result.check("training")
    assert result.valid
    assert training.status == "warn"
    assert training.message == "1 of 2 training records has expired."
    by_name = {record["name"]: record for record in training.records}
    assert by_name["Fire safety"]["status"] == "warn"
    assert by_name["Fire safety"]["message"] == (f"Expired on {expired_on.day} {expired_on:%B %Y}.")
    assert by_name["Fire safety"]["expiresOn"] == expired_on.isoformat()
    assert by_name["Moving and handling"]["status"] == "pass"
    assert by_name["Moving and handling"]["message"].startswith("Valid; expires on ")


def test_training_expires_on_its_expiry_date(passport):
    _, claims = decode(passport.token)
    moving = next(
        item
        for item in claims["credentialSubject"]["training"]
        if item["achievement"]["humanCode"] == "moving-and-handling"
    )
    expiry = datetime.fromisoformat(moving["expiresOn"]).date()

    on_the_day = verification.verify(passport.token, today=expiry)
    day_before = verification.verify(passport.token, today=expiry - timedelta(days=1))

    assert {r["name"]: r["status"] for r in on_the_day.check("training").records}[
        "Moving and handling"
    ] == "warn"
    assert {r["name"]: r["status"] for r in day_before.check("training").records}[
        "Moving and handling"
    ] == "pass"


def test_the_registration_now_is_reported_but_does_not_decide_validity(
    passport, entry_with_training
):
    RegisterEntry.objects.filter(pk=entry_with_training.pk).update(
        status=RegisterEntry.Status.LAPSED
    )

    result = verification.verify(passport.token)

    assert result.valid
    assert result.check("registration").status == "fail"
    assert result.check("registration").message == (
        "Lapsed: the registration was not renewed, so they may not practise."
    )
    assert result.passport["registrationStatusAtIssue"] == "Registered"


# --- Tampering --------------------------------------------------------------------------------


def test_a_changed_byte_in_the_payload_is_caught_wherever_it_is(passport):
    payload = passport.token.split(".")[1]

    for position in range(len(payload)):
        result = verification.verify(changed_at(passport.token, 1, position))
        assert not result.valid, position
        assert result.check("signature").status == "fail", position
        assert result.check("signature").message == ALTERED, position
        # Altered content is never shown as the register's.
        assert result.passport is None


def test_a_changed_byte_in_the_signature_is_caught(passport):
    signature = passport.token.split(".")[2]

    # The last character also carries two padding bits, which some changes leave alone.
    for position in range(len(signature) - 1):
        result = verification.verify(changed_at(passport.token, 2, position))
        assert not result.valid, position
        assert result.check("signature").message == ALTERED, position


def test_a_changed_byte_in_the_header_is_caught(passport):
    first_byte = verification.verify(changed_at(passport.token, 0, 0))

    assert not first_byte.valid
    assert first_byte.check("signature").status == "fail"
    assert first_byte.check("signature").message == ALTERED


def test_a_changed_byte_anywhere_in_the_header_never_verifies(passport):
    header = passport.token.split(".")[0]
    seen = set()

    for position in range(len(header)):
        result = verification.verify(changed_at(passport.token, 0, position))
        assert not result.valid, position
        failing = [check for check in result.checks if check.status == "fail"]
        assert failing, position
        seen.add(failing[0].message)

    # The header names the key, so a change there either breaks the signature or names a key
    # the register never had; it never goes unnoticed.
    assert ALTERED in seen
    assert seen <= {
        ALTERED,
        verification.UNKNOWN_KEY,
        verification.MALFORMED,
    } | {message for message in seen if message.startswith("Not signed the way")}


# --- Keys -------------------------------------------------------------------------------------


def test_a_token_signed_with_the_wrong_key_material_is_refused(passport):
    _, claims = decode(passport.token)
    impostor = OKPKey.generate_key("Ed25519")

    forged = sign_with(impostor, claims, kid=keys.verification_method_id(passport.key.kid))
    result = verification.verify(forged)

    assert not result.valid
    assert result.check("signature").message == ALTERED
    assert result.check("key").status == "pass"


def test_an_unknown_key_id_is_refused(passport):
    _, claims = decode(passport.token)

    forged = sign_with(OKPKey.generate_key("Ed25519"), claims, kid="did:web:testserver#key-1999-01")
    result = verification.verify(forged)

    assert not result.valid
    assert result.check("key").status == "fail"
    assert result.check("key").message == "Signed with a key the register does not know."
    assert result.check("signature").status == "skip"


def test_a_revoked_key_is_refused(passport):
    keys.signing_key_revoke(kid=passport.key.kid)

    result = verification.verify(passport.token)

    assert not result.valid
    assert result.check("key").message == "Signed with a key that has been revoked."


def test_a_key_revoked_by_another_process_is_refused_within_the_stated_seconds(
    passport, monkeypatch
):
    # Another process's revocation reaches this one only through the database: no call here
    # forgets this process's copy of the keys.
    now = [1000.0]
    monkeypatch.setattr(keys.time, "monotonic", lambda: now[0])
    assert verification.verify(passport.token).valid
    SigningKey.objects.filter(kid=passport.key.kid).update(status=SigningKey.Status.REVOKED)

    now[0] += keys.PUBLIC_KEY_CACHE_SECONDS - 0.5
    still_trusted = verification.verify(passport.token)
    now[0] += 0.5
    result = verification.verify(passport.token)

    assert still_trusted.valid
    assert not result.valid
    assert result.check("key").message == "Signed with a key that has been revoked."


@pytest.mark.parametrize("algorithm", ["HS256", "none", "ES256"])
def test_a_header_naming_another_algorithm_is_refused(passport, algorithm):
    header, payload, signature = passport.token.split(".")
    forged_header = b64encode_json(
        {"alg": algorithm, "typ": "vc+jwt", "kid": keys.verification_method_id(passport.key.kid)}
    )

    result = verification.verify(f"{forged_header}.{payload}.{signature}")

    assert not result.valid
    assert result.check("signature").status == "fail"
    assert result.check("signature").message == (
        f"Not signed the way the register signs passports (algorithm '{algorithm}')."
    )


def test_an_hmac_token_keyed_with_the_public_key_is_refused(passport):
    # The classic confusion attack: HS256 with the published key as the shared secret.
    _, claims = decode(passport.token)
    secret = OctKey.import_key(passport.key.public_jwk["x"].encode())
    forged = jws.serialize_compact(
        {"alg": "HS256", "typ": "vc+jwt", "kid": keys.verification_method_id(passport.key.kid)},
        json.dumps(claims),
        secret,
        algorithms=["HS256"],
    )

    result = verification.verify(forged)

    assert not result.valid
    assert "algorithm 'HS256'" in result.check("signature").message


# --- Status -----------------------------------------------------------------------------------


def test_a_revoked_passport_is_refused_with_its_reason(passport, registrar):
    services.passport_revoke(passport=passport, registrar=registrar, reason_code=Reason.FRAUD)

    result = verification.verify(passport.token)

    assert not result.valid
    assert result.check("signature").status == "pass"
    assert result.check("status").message == "This passport has been revoked (suspected fraud)."


def test_a_suspended_passport_is_refused(passport, registrar):
    services.passport_suspend(
        passport=passport, registrar=registrar, reason_code=Reason.UNDER_REVIEW
    )

    result = verification.verify(passport.token)

    assert not result.valid
    assert result.check("status").message == "This passport is suspended (under review)."


def test_a_superseded_passport_is_refused(passport, entry_with_training, worker):
    services.passport_issue(entry=entry_with_training, requested_by=worker)

    result = verification.verify(passport.token)

    assert not result.valid
    assert result.check("status").message == (
        "This passport has been replaced by a newer one (superseded). Ask the worker for their "
        "latest passport."
    )


# --- Not passports at all ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "token",
    ["", "   ", "hello", "a.b", "a.b.c", "a..c", "eyJ.eyJ.", "!!!.???.***", None, 42, ["x"]],
)
def test_anything_that_is_not_a_token_is_malformed(token):
    result = verification.verify(token)

    assert not result.valid
    assert result.check("format").message == "This is not a passport token (malformed)."
    assert all(check.status == "skip" for check in result.checks[1:])


def test_a_credential_the_register_signed_that_is_not_a_passport_is_refused(signing_key):
    token = sign_with(
        keys.private_key_for(signing_key),
        {
            "@context": [credentials.VC_CONTEXT],
            "type": ["VerifiableCredential"],
            "issuer": keys.register_did(),
            "credentialSubject": {"name": "Anything"},
        },
        kid=keys.verification_method_id(signing_key.kid),
    )

    result = verification.verify(token)

    assert not result.valid
    assert result.check("signature").status == "pass"
    assert result.check("type").message == (
        "This is a signed credential but not a Care Register passport or badge."
    )


def test_a_passport_naming_another_issuer_is_not_ours(passport):
    _, claims = decode(passport.token)
    claims["issuer"] = {"id": "did:web:elsewhere.example", "name": "Elsewhere"}
    token = sign_with(
        keys.private_key_for(passport.key),
        claims,
        kid=keys.verification_method_id(passport.key.kid),
    )

    assert verification.verify(token).check("type").status == "fail"


def test_an_unexpected_error_is_reported_as_malformed_not_raised(passport, monkeypatch):
    def broken():
        raise RuntimeError("the cache fell over")

    monkeypatch.setattr(keys, "published_keys", broken)

    result = verification.verify(passport.token)

    assert not result.valid
    assert result.check("format").message == verification.MALFORMED


# --- Links and PDFs ---------------------------------------------------------------------------


def test_a_verification_link_verifies_the_stored_passport(passport):
    result = verification.verify_text(f"http://testserver/verify/{passport.public_id}/")

    assert result.valid
    assert result.passport["id"] == passport.public_id


def test_a_link_to_no_passport_says_so():
    result = verification.verify_text("https://register.example.org/verify/NoSuchPassport123/")

    assert result.check("format").message == verification.NO_SUCH_LINK


def passport_pdf(passport) -> bytes:
    return PassportPdfRenderer().render(
        PassportDocument(
            full_name="Wendy Worker",
            registration_number=passport.entry.registration_number,
            registration_status="Registered",
            issued_at=passport.issued_at,
            verify_url=f"http://testserver/verify/{passport.public_id}/",
            token=passport.token,
            records=[],
            public_id=passport.public_id,
        )
    )


def test_a_passport_pdf_is_verified_from_the_token_inside_it(passport):
    result = verification.verify_pdf(passport_pdf(passport))

    assert result.valid
    assert result.passport["id"] == passport.public_id


def test_a_pdf_that_is_not_a_passport_says_why():
    result = verification.verify_pdf(b"%PDF-1.4 nothing here")

    assert not result.valid
    assert result.check("format").message == "This PDF could not be read."


# --- Offline ----------------------------------------------------------------------------------


def test_offline_verification_uses_only_the_jwks(passport, django_assert_num_queries):
    jwks = keys.jwks_document()

    with django_assert_num_queries(0):
        result = verification.verify(passport.token, jwks=jwks)

    assert result.valid
    assert statuses(result)["status"] == "skip"
    assert messages(result)["status"].startswith("Not checked offline")
    assert messages(result)["registration"] == (
        "Not checked offline. When the passport was issued: Registered."
    )
    assert result.check("training").status == "warn"


def test_offline_verification_honours_a_revoked_status_in_the_jwks(
    passport, django_assert_num_queries
):
    jwks = keys.jwks_document()
    jwks["keys"][0]["status"] = "revoked"

    with django_assert_num_queries(0):
        result = verification.verify(passport.token, jwks=jwks)

    assert not result.valid
    assert result.check("key").message == verification.REVOKED_KEY


def test_offline_verification_refuses_a_key_missing_from_the_jwks(
    passport, django_assert_num_queries
):
    with django_assert_num_queries(0):
        result = verification.verify(passport.token, jwks={"keys": []})

    assert result.check("key").message == verification.UNKNOWN_KEY


def test_offline_verification_catches_tampering(passport, django_assert_num_queries):
    jwks = keys.jwks_document()

    with django_assert_num_queries(0):
        result = verification.verify(changed_at(passport.token, 1, 40), jwks=jwks)

    assert result.check("signature").message == ALTERED


@pytest.fixture
def saved(passport, tmp_path):
    token_file = tmp_path / "passport.jwt"
    token_file.write_text(passport.token + "\n")
    jwks_file = tmp_path / "jwks.json"
    jwks_file.write_text(json.dumps(keys.jwks_document()))
    return token_file, jwks_file


def test_the_offline_command_prints_each_check_and_exits_0_when_valid(
    saved, django_assert_num_queries
):
    token_file, jwks_file = saved
    out = io.StringIO()

    with django_assert_num_queries(0):
        call_command("verify_passport", str(token_file), "--jwks", str(jwks_file), stdout=out)

    output = out.getvalue()
    assert output.startswith("VALID (checked offline)")
    assert "PASS         signature" in output
    assert "NOT CHECKED  status" in output
    assert "Fire safety: Expired on" in output


def test_the_offline_command_exits_1_when_not_valid(saved, tmp_path):
    token_file, jwks_file = saved
    token_file.write_text(changed_at(token_file.read_text().strip(), 1, 10))
    out = io.StringIO()

    with pytest.raises(SystemExit) as exit_code:
        call_command("verify_passport", str(token_file), "--jwks", str(jwks_file), stdout=out)

    assert exit_code.value.code == 1
    assert "NOT VALID" in out.getvalue()
    assert ALTERED in out.getvalue()


def test_the_offline_command_reads_a_passport_pdf(saved, passport, tmp_path):
    _, jwks_file = saved
    pdf_file = tmp_path / "passport.pdf"
    pdf_file.write_bytes(passport_pdf(passport))
    out = io.StringIO()

    call_command("verify_passport", str(pdf_file), "--jwks", str(jwks_file), stdout=out)

    assert out.getvalue().startswith("VALID")


def test_the_offline_command_refuses_a_file_that_is_not_a_jwks(saved, tmp_path):
    token_file, _ = saved
    not_jwks = tmp_path / "jwks.json"
    not_jwks.write_text('{"hello": "world"}')

    with pytest.raises(CommandError, match="holds no Ed25519 keys"):
        call_command("verify_passport", str(token_file), "--jwks", str(not_jwks))


def test_the_offline_command_runs_with_no_database_at_all(saved):
    token_file, jwks_file = saved
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        # Nothing listens on port 9: any attempt to use the database would fail loudly.
        "DATABASE_URL": "postgres://nobody@127.0.0.1:9/nothing",
        "SITE_URL": "https://somewhere-else.example",
        "FIELD_ENCRYPTION_KEYS": ",".join(django_settings.FIELD_ENCRYPTION_KEYS),
    }

    completed = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "verify_passport", str(token_file), "--jwks", str(jwks_file)],
        cwd=PROJECT_ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.startswith("VALID (checked offline)")
