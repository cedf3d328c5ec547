"""The revocation and suspension lists: bits at the right positions, a long enough list, and a
signed credential with a short life."""

import base64
import gzip
import json
from datetime import timedelta

import pytest
from django.utils import timezone
from joserfc import jws
from joserfc.jwk import KeySet

from passports import credentials, keys, signing, status_lists
from passports.models import Passport
from passports.services import passports as services
from tests.passports.test_signing import decode

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.filterwarnings("ignore:EdDSA is deprecated:joserfc.errors.SecurityWarning"),
]

Reason = Passport.ReasonCode


def set_positions(encoded: str) -> list[int]:
    bits = status_lists.decode_bitstring(encoded)
    return [index for index in range(len(bits) * 8) if status_lists.bit_is_set(bits, index)]


def served_list(client, purpose: str) -> tuple[dict, dict]:
    response = client.get(f"/credentials/status/{purpose}")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vc+jwt"
    return decode(response.content.decode())


# --- The bitstring, without the database -----------------------------------------------------


def test_bit_zero_is_the_leftmost_bit_of_the_first_byte():
    encoded = status_lists.encode_bitstring([0, 9, 131_071], length=131_072)

    # Decoded here with the standard library alone, not with the module under test.
    raw = gzip.decompress(_base64url(encoded[1:]))
    assert len(raw) == 16 * 1024
    assert raw[0] == 0b1000_0000
    assert raw[1] == 0b0100_0000
    assert raw[-1] == 0b0000_0001
    assert set_positions(encoded) == [0, 9, 131_071]


def _base64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def test_the_encoded_list_is_multibase_base64url_without_padding():
    encoded = status_lists.encode_bitstring([], length=131_072)

    assert encoded.startswith("u")
    assert "=" not in encoded
    assert "+" not in encoded and "/" not in encoded
    assert len(status_lists.decode_bitstring(encoded)) == 16 * 1024


# --- Positions from the database --------------------------------------------------------------


def test_a_revoked_passport_sets_its_bit_in_the_revocation_list_only(passport, registrar, client):
    services.passport_revoke(passport=passport, registrar=registrar, reason_code=Reason.FRAUD)

    _, revocation = served_list(client, "revocation")
    _, suspension = served_list(client, "suspension")

    assert set_positions(revocation["credentialSubject"]["encodedList"]) == [
        passport.revocation_index
    ]
    assert set_positions(suspension["credentialSubject"]["encodedList"]) == []


def test_a_suspended_passport_sets_its_bit_in_the_suspension_list(passport, registrar, client):
    services.passport_suspend(
        passport=passport, registrar=registrar, reason_code=Reason.UNDER_REVIEW
    )

    _, suspension = served_list(client, "suspension")
    _, revocation = served_list(client, "revocation")

    assert set_positions(suspension["credentialSubject"]["encodedList"]) == [
        passport.suspension_index
    ]
    assert set_positions(revocation["credentialSubject"]["encodedList"]) == []


def test_lifting_a_suspension_clears_the_bit_at_once(
    passport,
    registrar,
    client,
    django_capture_on_commit_callbacks,
):
    services.passport_suspend(
        passport=passport, registrar=registrar, reason_code=Reason.UNDER_REVIEW
    )
    served_list(client, "suspension")  # now cached

    with django_capture_on_commit_callbacks(execute=True):
        services.passport_unsuspend(passport=passport, registrar=registrar)

    _, suspension = served_list(client, "suspension")
    assert set_positions(suspension["credentialSubject"]["encodedList"]) == []


def test_several_revoked_passports_each_set_their_own_bit(
    entry_with_training, worker, registrar, signing_key
):
    issued = [
        services.passport_issue(entry=entry_with_training, requested_by=worker) for _ in range(4)
    ]
    for revoked in issued[:3]:
        services.passport_revoke(passport=revoked, registrar=registrar, reason_code=Reason.FRAUD)

    listed = set_positions(
        status_lists.status_list_credential("revocation")["credentialSubject"]["encodedList"]
    )

    assert listed == sorted(p.revocation_index for p in issued[:3])
    assert issued[3].revocation_index not in listed


def offline_status(client, passport: Passport) -> dict[str, bool]:
    """What an offline verifier concludes from the published lists, purpose -> bit set: each
    list's signature checked against the published JWKS, its bitstring decoded with the
    standard library, and the bit read at the index the passport's own token names."""
    key_set = KeySet.import_key_set(client.get("/.well-known/jwks.json").json())
    _, passport_claims = decode(passport.token)
    found = {}
    for entry in passport_claims["credentialStatus"]:
        token = client.get(entry["statusListCredential"].removeprefix("http://testserver")).content
        verified = jws.deserialize_compact(token.decode(), key_set, algorithms=["EdDSA"])
        subject = json.loads(verified.payload)["credentialSubject"]
        assert subject["statusPurpose"] == entry["statusPurpose"]
        bits = gzip.decompress(_base64url(subject["encodedList"][1:]))
        index = int(entry["statusListIndex"])
        found[entry["statusPurpose"]] = bool(bits[index // 8] & (0x80 >> (index % 8)))
    return found


def test_a_superseded_passport_is_revoked_for_offline_verifiers(
    client, passport, entry_with_training, worker
):
    newer = services.passport_issue(entry=entry_with_training, requested_by=worker)

    assert offline_status(client, passport) == {"revocation": True, "suspension": False}
    assert offline_status(client, newer) == {"revocation": False, "suspension": False}


def test_a_suspended_passport_that_is_superseded_stays_suspended_and_is_revoked_offline(
    client, passport, entry_with_training, registrar
):
    services.passport_suspend(
        passport=passport, registrar=registrar, reason_code=Reason.UNDER_REVIEW
    )
    assert offline_status(client, passport) == {"revocation": False, "suspension": True}

    newer = services.passport_issue(entry=entry_with_training, requested_by=registrar)

    passport.refresh_from_db()
    assert passport.status == Passport.Status.SUPERSEDED
    assert offline_status(client, passport) == {"revocation": True, "suspension": True}
    assert offline_status(client, newer) == {"revocation": False, "suspension": False}


def test_superseding_drops_the_cached_lists(client, passport, entry_with_training, worker):
    assert offline_status(client, passport)["revocation"] is False  # now cached

    services.passport_issue(entry=entry_with_training, requested_by=worker)

    assert offline_status(client, passport)["revocation"] is True


def test_a_list_is_at_least_131072_entries_and_covers_every_index(passport):
    assert status_lists.list_length("revocation") == 131_072

    Passport.objects.filter(pk=passport.pk).update(revocation_index=131_072 + 5)

    assert status_lists.list_length("revocation") == 2 * 131_072


def test_indexes_are_drawn_from_a_list_kept_at_most_half_full(passport):
    assert status_lists.list_capacity() == 131_072

    # Ids never go back, so the highest one bounds how many passports were ever issued. (Its
    # links to records would point at the old id, so they go first.)
    passport.records.clear()
    Passport.objects.filter(pk=passport.pk).update(id=70_000)

    assert status_lists.list_capacity() == 2 * 131_072


def test_a_free_index_is_one_no_passport_holds(passport, monkeypatch):
    draws = iter([passport.revocation_index, passport.revocation_index, 42])
    monkeypatch.setattr(status_lists.secrets, "randbelow", lambda bound: next(draws))

    assert status_lists.random_free_index(purpose="revocation", capacity=131_072) == 42


def test_allocation_gives_up_rather_than_looping_forever(passport, monkeypatch):
    monkeypatch.setattr(status_lists.secrets, "randbelow", lambda bound: passport.suspension_index)

    with pytest.raises(status_lists.StatusListFull):
        status_lists.random_free_index(purpose="suspension", capacity=131_072)


# --- The signed list --------------------------------------------------------------------------


def test_the_list_is_a_signed_bitstring_status_list_credential(client, signing_key):
    header, claims = served_list(client, "revocation")
    now = timezone.now()

    assert header["typ"] == "vc+jwt"
    assert header["kid"] == f"did:web:testserver#{signing_key.kid}"
    assert claims["@context"] == ["https://www.w3.org/ns/credentials/v2"]
    assert claims["type"] == ["VerifiableCredential", "BitstringStatusListCredential"]
    assert claims["id"] == "http://testserver/credentials/status/revocation"
    assert claims["issuer"]["id"] == "did:web:testserver"
    assert claims["credentialSubject"] == {
        "id": "http://testserver/credentials/status/revocation#list",
        "type": "BitstringStatusList",
        "statusPurpose": "revocation",
        "encodedList": status_lists.encode_bitstring([], length=131_072),
    }
    valid_from = credentials.parse_timestamp(claims["validFrom"])
    valid_until = credentials.parse_timestamp(claims["validUntil"])
    assert abs(valid_from - now) < timedelta(seconds=5)
    assert timedelta(minutes=9) < valid_until - now <= timedelta(minutes=10)


def test_the_list_verifies_with_the_registers_published_key(client, signing_key):
    token = client.get("/credentials/status/suspension").content.decode()

    verified = jws.deserialize_compact(
        token, KeySet.import_key_set(keys.jwks_document()), algorithms=["EdDSA"]
    )

    assert b'"statusPurpose":"suspension"' in verified.payload


def test_the_list_is_kept_for_a_minute(client, signing_key, django_assert_max_num_queries):
    first = client.get("/credentials/status/revocation").content

    with django_assert_max_num_queries(0):
        again = status_lists.signed_status_list("revocation")

    assert again.encode() == first


def test_without_a_key_the_list_is_unavailable_not_an_error(client):
    response = client.get("/credentials/status/revocation")

    assert response.status_code == 503
    assert b"no active key" in response.content


def test_an_unknown_purpose_is_not_found(client, signing_key):
    assert client.get("/credentials/status/refresh").status_code == 404


def test_a_status_list_is_not_mistaken_for_a_passport(client, signing_key):
    from passports import verification

    token = client.get("/credentials/status/revocation").content.decode()

    result = verification.verify(token)

    assert result.check("signature").status == "pass"
    assert result.check("type").message == (
        "This is a signed credential but not a Care Register passport or badge."
    )
    assert not result.valid
    assert signing.MEDIA_TYPE == "application/vc+jwt"
