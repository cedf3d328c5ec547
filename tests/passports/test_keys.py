"""Signing keys: dated ids never reused, encrypted at rest, rotated and revoked through audited
services and `manage.py signing_key`, and published as a JWKS and a did:web document."""

import io
from datetime import UTC, datetime

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

from core import encryption
from core.models import AuditEvent
from passports import keys, verification
from passports.models import SigningKey
from passports.services import passports as services

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.filterwarnings("ignore:EdDSA is deprecated:joserfc.errors.SecurityWarning"),
]

Status = SigningKey.Status


def this_month() -> str:
    return f"key-{timezone.localdate():%Y-%m}"


def run(*args) -> str:
    out = io.StringIO()
    call_command("signing_key", *args, stdout=out)
    return out.getvalue()


# --- Ids --------------------------------------------------------------------------------------


def test_a_key_id_is_dated_and_a_second_in_the_month_gets_a_letter():
    first = keys.signing_key_create()
    second = keys.signing_key_rotate()
    third = keys.signing_key_rotate()

    assert [first.kid, second.kid, third.kid] == [
        this_month(),
        f"{this_month()}-b",
        f"{this_month()}-c",
    ]


def test_a_revoked_keys_id_is_never_reused():
    first = keys.signing_key_create()
    keys.signing_key_revoke(kid=first.kid)

    replacement = keys.signing_key_create()

    assert replacement.kid == f"{this_month()}-b"


def test_key_ids_follow_the_month(clock):
    clock.set(datetime(2026, 11, 3, 12, 0, tzinfo=UTC))

    assert keys.signing_key_create().kid == "key-2026-11"


# --- At rest ----------------------------------------------------------------------------------


def test_the_private_key_is_encrypted_twice_at_rest(signing_key):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT private_key FROM passports_signingkey WHERE id = %s", [signing_key.pk]
        )
        (stored,) = cursor.fetchone()

    # The column holds a Fernet token; inside it, a PEM encrypted with the passphrase.
    assert "PRIVATE KEY" not in stored
    pem = encryption.decrypt(stored)
    assert pem.startswith("-----BEGIN ENCRYPTED PRIVATE KEY-----")
    assert signing_key.public_jwk == {
        "kty": "OKP",
        "crv": "Ed25519",
        "x": signing_key.public_jwk["x"],
    }


def test_a_wrong_passphrase_is_reported_plainly(signing_key, settings):
    settings.SIGNING_KEY_PASSPHRASE = "not-the-passphrase"
    keys._private_keys.clear()

    with pytest.raises(keys.SigningKeyError, match="check SIGNING_KEY_PASSPHRASE"):
        keys.private_key_for(signing_key)


# --- Lifecycle services -----------------------------------------------------------------------


def test_creating_a_key_is_audited(signing_key):
    event = AuditEvent.objects.get(action="passports.key.created")

    assert signing_key.status == Status.ACTIVE
    assert event.data == {"kid": signing_key.kid}
    assert event.new_status == "active"


def test_a_second_key_cannot_be_created_while_one_is_active(signing_key):
    with pytest.raises(keys.SigningKeyError, match="already active"):
        keys.signing_key_create()
    assert SigningKey.objects.count() == 1


def test_rotating_retires_the_old_key_and_activates_a_new_one(signing_key):
    new = keys.signing_key_rotate()

    signing_key.refresh_from_db()
    assert signing_key.status == Status.RETIRED
    assert signing_key.retired_at is not None
    assert new.status == Status.ACTIVE
    event = AuditEvent.objects.get(action="passports.key.rotated")
    assert event.data == {"kid": new.kid, "retired_kid": signing_key.kid}


def test_rotating_without_a_key_says_to_create_one():
    with pytest.raises(keys.SigningKeyError, match="no active key to rotate"):
        keys.signing_key_rotate()


def test_retiring_and_revoking_are_audited(signing_key):
    keys.signing_key_retire(kid=signing_key.kid)
    keys.signing_key_revoke(kid=signing_key.kid)

    signing_key.refresh_from_db()
    assert signing_key.status == Status.REVOKED
    assert signing_key.revoked_at is not None
    assert [
        (event.action, event.old_status, event.new_status)
        for event in AuditEvent.objects.filter(action__startswith="passports.key.").order_by("id")
    ] == [
        ("passports.key.created", "", "active"),
        ("passports.key.retired", "active", "retired"),
        ("passports.key.revoked", "retired", "revoked"),
    ]


@pytest.mark.parametrize(
    ("start", "change", "message"),
    [
        ("retired", "retire", "is retired and cannot become retired"),
        ("revoked", "retire", "is revoked and cannot become retired"),
        ("revoked", "revoke", "is revoked and cannot become revoked"),
    ],
)
def test_each_refused_key_change_says_why(signing_key, start, change, message):
    SigningKey.objects.filter(pk=signing_key.pk).update(status=start)

    with pytest.raises(keys.SigningKeyError, match=message):
        getattr(keys, f"signing_key_{change}")(kid=signing_key.kid)


def test_an_unknown_key_id_is_refused():
    with pytest.raises(keys.SigningKeyError, match="There is no key key-1999-01"):
        keys.signing_key_revoke(kid="key-1999-01")


# --- Rotation and revocation as a verifier sees them ------------------------------------------


def test_a_rotated_key_still_verifies_old_passports(passport, entry_with_training, worker):
    keys.signing_key_rotate()
    newer_key_passport = services.passport_issue(entry=entry_with_training, requested_by=worker)

    old = verification.verify(passport.token)
    new = verification.verify(newer_key_passport.token)

    assert old.check("signature").status == "pass"
    assert old.check("key").status == "pass"
    assert "retired" in old.check("key").message
    # The old passport is superseded by the new one, which is a status, not a key, matter.
    assert old.check("status").message.startswith("This passport has been replaced")
    assert new.valid
    assert newer_key_passport.key.kid == f"{this_month()}-b"


def test_a_rotated_key_still_verifies_a_passport_that_was_not_replaced(passport):
    keys.signing_key_rotate()

    assert verification.verify(passport.token).valid


def test_revoking_a_key_fails_every_passport_it_signed(passport):
    keys.signing_key_revoke(kid=passport.key.kid)

    result = verification.verify(passport.token)

    assert not result.valid
    assert result.check("key").status == "fail"
    assert result.check("key").message == "Signed with a key that has been revoked."
    assert result.passport is None


# --- Publishing -------------------------------------------------------------------------------


def test_the_jwks_lists_every_key_with_its_status(client, signing_key):
    retired = signing_key
    active = keys.signing_key_rotate()
    keys.signing_key_revoke(kid=retired.kid)
    revoked = retired

    response = client.get("/.well-known/jwks.json")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/jwk-set+json"
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response.json() == {
        "keys": [
            {
                "kty": "OKP",
                "crv": "Ed25519",
                "x": revoked.public_jwk["x"],
                "kid": f"did:web:testserver#{revoked.kid}",
                "use": "sig",
                "alg": "EdDSA",
                "status": "revoked",
            },
            {
                "kty": "OKP",
                "crv": "Ed25519",
                "x": active.public_jwk["x"],
                "kid": f"did:web:testserver#{active.kid}",
                "use": "sig",
                "alg": "EdDSA",
                "status": "active",
            },
        ]
    }


def test_the_did_document_lists_every_key_and_lets_only_unrevoked_ones_assert(client, signing_key):
    retired = keys.signing_key_rotate()
    keys.signing_key_rotate()
    keys.signing_key_revoke(kid=signing_key.kid)
    signing_key.refresh_from_db()

    document = client.get("/.well-known/did.json").json()

    did = "did:web:testserver"
    assert document["@context"] == ["https://www.w3.org/ns/did/v1", "https://www.w3.org/ns/cid/v1"]
    assert document["id"] == did
    methods = document["verificationMethod"]
    assert [method["id"] for method in methods] == [
        f"{did}#{this_month()}",
        f"{did}#{this_month()}-b",
        f"{did}#{this_month()}-c",
    ]
    assert methods[0] == {
        "id": f"{did}#{signing_key.kid}",
        "type": "JsonWebKey",
        "controller": did,
        "publicKeyJwk": {"kty": "OKP", "crv": "Ed25519", "x": signing_key.public_jwk["x"]},
        "revoked": signing_key.revoked_at.isoformat(timespec="seconds"),
    }
    assert "revoked" not in methods[1]
    assert document["assertionMethod"] == [f"{did}#{retired.kid}", f"{did}#{this_month()}-c"]


# --- The command ------------------------------------------------------------------------------


def test_the_command_creates_a_key_and_is_safe_to_run_again():
    assert "Would create" in run("create", "--dry-run")
    assert not SigningKey.objects.exists()

    assert "Created key-" in run("create")
    assert "already active; nothing to do" in run("create")
    assert SigningKey.objects.count() == 1


def test_the_command_rotates(signing_key):
    assert "Would retire" in run("rotate", "--dry-run")
    assert SigningKey.objects.count() == 1

    output = run("rotate")

    assert f"Retired {signing_key.kid}" in output
    assert SigningKey.objects.filter(status=Status.ACTIVE).get().kid == f"{this_month()}-b"


def test_the_command_retires(signing_key):
    run("retire", "--kid", signing_key.kid, "--dry-run")
    signing_key.refresh_from_db()
    assert signing_key.status == Status.ACTIVE

    run("retire", "--kid", signing_key.kid)

    signing_key.refresh_from_db()
    assert signing_key.status == Status.RETIRED
    assert "already retired" in run("retire", "--kid", signing_key.kid)


def test_revoking_from_the_command_needs_yes(passport):
    kid = passport.key.kid

    assert "1 passport(s) signed with" in run("revoke", "--kid", kid, "--dry-run")
    with pytest.raises(CommandError, match="cannot be undone"):
        run("revoke", "--kid", kid)
    assert SigningKey.objects.get(kid=kid).status == Status.ACTIVE

    run("revoke", "--kid", kid, "--yes")

    assert SigningKey.objects.get(kid=kid).status == Status.REVOKED


def test_the_command_lists_keys(passport):
    output = run("list")

    assert f"{passport.key.kid}" in output
    assert "active" in output
    assert "1 passport(s)" in output


def test_the_command_reports_an_unknown_key():
    with pytest.raises(CommandError, match="There is no key key-1999-01"):
        run("retire", "--kid", "key-1999-01")
