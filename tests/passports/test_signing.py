"""Issuing passports: what a passport says, how it is signed, and the services that supersede,
revoke and suspend one.

The fixtures here (a signing key, a worker's entry with training, an issued passport) are
imported by the other passport test modules.
"""

import base64
import json
import threading
from datetime import UTC, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection, connections
from django.utils import timezone
from joserfc import jws
from joserfc.jwk import KeySet

from core.models import AuditEvent
from passports import credentials, keys, signing
from passports.models import Passport
from passports.services import passports as services
from register.models import RegisterEntry
from tests.factories import RegisterEntryFactory

pytestmark = pytest.mark.filterwarnings("ignore:EdDSA is deprecated:joserfc.errors.SecurityWarning")

Status = Passport.Status
Reason = Passport.ReasonCode


def decode(token: str) -> tuple[dict, dict]:
    """Header and claims, read without checking anything."""
    header, payload, _ = token.split(".")
    return json.loads(_b64decode(header)), json.loads(_b64decode(payload))


def _b64decode(segment: str) -> bytes:
    return base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4))


def b64encode_json(value: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(value).encode()).decode().rstrip("=")


# --- The credential ---------------------------------------------------------------------------


def test_a_passport_is_a_verifiable_credential_2_0(passport, entry_with_training):
    header, claims = decode(passport.token)

    assert header == {
        "alg": "EdDSA",
        "typ": "vc+jwt",
        "cty": "vc",
        "kid": f"did:web:testserver#{passport.key.kid}",
    }
    assert claims["@context"] == [
        "https://www.w3.org/ns/credentials/v2",
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
    ]
    assert claims["type"] == ["VerifiableCredential", "CareRegisterTrainingPassport"]
    assert claims["id"] == f"http://testserver/passports/{passport.public_id}"
    assert claims["issuer"] == {"id": "did:web:testserver", "name": "Care Register"}
    assert claims["validFrom"] == passport.issued_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    subject = claims["credentialSubject"]
    assert subject["registrationNumber"] == entry_with_training.registration_number
    assert subject["name"] == "Wendy Worker"
    assert subject["registrationStatus"] == "registered"


def test_every_verified_record_is_an_open_badges_achievement(passport):
    _, claims = decode(passport.token)
    today = timezone.localdate()

    training = claims["credentialSubject"]["training"]

    # Verified records only, by standard code: the unverified food hygiene record is left out.
    assert [item["achievement"]["humanCode"] for item in training] == [
        "fire-safety",
        "moving-and-handling",
    ]
    moving = training[1]
    assert moving["type"] == ["AchievementSubject"]
    assert moving["achievement"]["type"] == ["Achievement"]
    assert moving["achievement"]["id"] == "http://testserver/training/standards/moving-and-handling"
    assert moving["achievement"]["name"] == "Moving and handling"
    assert moving["achievement"]["criteria"]["narrative"]
    assert moving["activityEndDate"] == f"{today - timedelta(days=30)}T00:00:00Z"
    assert moving["expiresOn"] == (today + timedelta(days=335)).isoformat()
    assert moving["provider"] == "Skills Ltd"


def test_credential_status_points_at_both_status_lists(passport):
    _, claims = decode(passport.token)

    assert claims["credentialStatus"] == [
        {
            "id": f"http://testserver/credentials/status/revocation#{passport.revocation_index}",
            "type": "BitstringStatusListEntry",
            "statusPurpose": "revocation",
            "statusListIndex": str(passport.revocation_index),
            "statusListCredential": "http://testserver/credentials/status/revocation",
        },
        {
            "id": f"http://testserver/credentials/status/suspension#{passport.suspension_index}",
            "type": "BitstringStatusListEntry",
            "statusPurpose": "suspension",
            "statusListIndex": str(passport.suspension_index),
            "statusListCredential": "http://testserver/credentials/status/suspension",
        },
    ]


def test_a_standard_jose_library_verifies_the_token_against_the_published_jwks(passport):
    # Only the JWKS, as any verifier would fetch it, and the library's own kid matching.
    key_set = KeySet.import_key_set(keys.jwks_document())

    verified = jws.deserialize_compact(passport.token, key_set, algorithms=["EdDSA"])

    assert json.loads(verified.payload)["id"].endswith(passport.public_id)


def test_the_did_of_a_register_on_a_port_encodes_the_colon(settings):
    settings.SITE_URL = "http://127.0.0.1:8000"
    assert keys.register_did() == "did:web:127.0.0.1%3A8000"
    settings.SITE_URL = "https://register.example.org"
    assert keys.register_did() == "did:web:register.example.org"


def test_a_header_algorithm_other_than_eddsa_is_refused_by_the_signing_module(passport):
    header, payload, signature = passport.token.split(".")
    forged_header = b64encode_json({"alg": "HS256", "typ": "vc+jwt", "kid": "x"})

    with pytest.raises(signing.AlgorithmNotAllowed):
        signing.verify(
            f"{forged_header}.{payload}.{signature}",
            public_key=keys.public_key_from_x(passport.key.public_jwk["x"]),
        )


# --- Issuing ----------------------------------------------------------------------------------


def test_issuing_stores_the_signed_token_and_writes_the_audit_event(passport, worker):
    event = AuditEvent.objects.get(action="passports.passport.issued")

    assert passport.status == Status.VALID
    assert passport.token.count(".") == 2
    assert event.actor_id == worker.pk
    assert event.target_id == str(passport.pk)
    assert event.data["public_id"] == passport.public_id
    assert event.data["kid"] == passport.key.kid
    assert event.data["training_records"] == 2


def test_a_new_passport_supersedes_the_previous_one(passport, entry_with_training, worker):
    newer = services.passport_issue(entry=entry_with_training, requested_by=worker)

    passport.refresh_from_db()
    assert passport.status == Status.SUPERSEDED
    assert newer.status == Status.VALID
    event = AuditEvent.objects.get(action="passports.passport.superseded")
    assert (event.old_status, event.new_status) == ("valid", "superseded")
    assert event.data["superseded_by"] == newer.public_id
    assert AuditEvent.objects.get(action="passports.passport.issued", target_id=str(newer.pk)).data[
        "superseded"
    ] == [passport.public_id]


def test_each_passport_gets_its_own_indexes(passport, entry_with_training, worker):
    others = [
        services.passport_issue(entry=entry_with_training, requested_by=worker) for _ in range(5)
    ]

    revocation = {p.revocation_index for p in [passport, *others]}
    suspension = {p.suspension_index for p in [passport, *others]}
    assert len(revocation) == len(suspension) == 6
    assert all(0 <= index < 131_072 for index in revocation | suspension)


def test_a_registrar_may_issue_a_passport_for_a_worker(entry_with_training, registrar, signing_key):
    passport = services.passport_issue(entry=entry_with_training, requested_by=registrar)

    assert passport.entry == entry_with_training


@pytest.mark.parametrize("persona", ["outsider", "employer", "registrar_without_mfa"])
def test_nobody_else_may_issue_a_workers_passport(
    request, entry_with_training, signing_key, persona
):
    with pytest.raises(PermissionDenied):
        services.passport_issue(
            entry=entry_with_training, requested_by=request.getfixturevalue(persona)
        )
    assert not Passport.objects.exists()


def test_issuing_without_a_signing_key_says_how_to_make_one(entry_with_training, worker):
    with pytest.raises(
        services.PassportError, match=r"^No signing key: run manage.py signing_key create$"
    ):
        services.passport_issue(entry=entry_with_training, requested_by=worker)


def test_a_removed_worker_cannot_have_a_passport(entry_with_training, worker, signing_key):
    RegisterEntry.objects.filter(pk=entry_with_training.pk).update(
        status=RegisterEntry.Status.REMOVED
    )

    with pytest.raises(services.PassportError, match="removed from the register"):
        services.passport_issue(entry=entry_with_training, requested_by=worker)


def test_a_worker_cannot_issue_their_way_out_of_a_suspension(
    passport, entry_with_training, worker, registrar
):
    services.passport_suspend(
        passport=passport, registrar=registrar, reason_code=Reason.UNDER_REVIEW
    )

    with pytest.raises(services.PassportError, match="suspended"):
        services.passport_issue(entry=entry_with_training, requested_by=worker)

    # A registrar can: the suspended passport is then superseded.
    services.passport_issue(entry=entry_with_training, requested_by=registrar)
    passport.refresh_from_db()
    assert passport.status == Status.SUPERSEDED


def test_an_index_clash_is_retried_with_new_indexes(
    passport, entry_with_training, worker, monkeypatch
):
    from passports import status_lists

    # The first candidate always clashes with the existing passport; the database's unique
    # constraint catches it, and the issue is retried with fresh random indexes.
    clashes = [passport.revocation_index]
    real = status_lists.random_free_index

    def clashing_once(*, purpose, capacity):
        if purpose == status_lists.REVOCATION and clashes:
            return clashes.pop()
        return real(purpose=purpose, capacity=capacity)

    monkeypatch.setattr(status_lists, "random_free_index", clashing_once)

    newer = services.passport_issue(entry=entry_with_training, requested_by=worker)

    assert newer.revocation_index != passport.revocation_index


@pytest.mark.django_db(transaction=True)
def test_concurrent_issues_leave_exactly_one_valid_passport():
    """On PostgreSQL the threads really race; SQLite serialises writers, which is also safe."""
    if connection.vendor == "sqlite":
        pytest.skip("SQLite allows one writer at a time; the race needs PostgreSQL.")
    keys.signing_key_create()
    entry = RegisterEntryFactory()
    errors = []
    barrier = threading.Barrier(4)

    def issue():
        try:
            barrier.wait()
            for _ in range(3):
                services.passport_issue(entry=entry, requested_by=entry.worker)
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=issue) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    passports = Passport.objects.filter(entry=entry)
    assert passports.count() == 12
    assert passports.filter(status=Status.VALID).count() == 1
    assert len(set(passports.values_list("revocation_index", flat=True))) == 12


# --- Revoking and suspending ------------------------------------------------------------------


def test_a_registrar_revokes_a_passport_with_a_reason(passport, registrar):
    services.passport_revoke(passport=passport, registrar=registrar, reason_code=Reason.FRAUD)

    passport.refresh_from_db()
    assert (passport.status, passport.reason_code) == (Status.REVOKED, "fraud")
    event = AuditEvent.objects.get(action="passports.passport.revoked")
    assert (event.old_status, event.new_status, event.actor_id) == (
        "valid",
        "revoked",
        registrar.pk,
    )
    assert event.data["reason_code"] == "fraud"


def test_a_suspension_can_be_lifted(passport, registrar):
    services.passport_suspend(
        passport=passport, registrar=registrar, reason_code=Reason.UNDER_REVIEW
    )
    passport.refresh_from_db()
    assert (passport.status, passport.reason_code) == (Status.SUSPENDED, "under_review")

    services.passport_unsuspend(passport=passport, registrar=registrar)

    passport.refresh_from_db()
    assert (passport.status, passport.reason_code) == (Status.VALID, "")
    assert list(
        AuditEvent.objects.filter(action__startswith="passports.passport.")
        .order_by("id")
        .values_list("action", flat=True)
    ) == [
        "passports.passport.issued",
        "passports.passport.suspended",
        "passports.passport.unsuspended",
    ]


def test_a_superseded_passport_can_still_be_revoked(
    passport, entry_with_training, worker, registrar
):
    services.passport_issue(entry=entry_with_training, requested_by=worker)

    services.passport_revoke(
        passport=passport, registrar=registrar, reason_code=Reason.ISSUED_IN_ERROR
    )

    passport.refresh_from_db()
    assert passport.status == Status.REVOKED


@pytest.mark.parametrize(
    ("start", "service", "message"),
    [
        ("revoked", "revoke", "A revoked passport cannot become revoked."),
        ("revoked", "suspend", "A revoked passport cannot become suspended."),
        ("revoked", "unsuspend", "A revoked passport cannot become valid."),
        ("superseded", "suspend", "A superseded passport cannot become suspended."),
        ("superseded", "unsuspend", "A superseded passport cannot become valid."),
        ("valid", "unsuspend", "A valid passport cannot become valid."),
        ("suspended", "suspend", "A suspended passport cannot become suspended."),
    ],
)
def test_each_refused_change_says_why(passport, registrar, start, service, message):
    Passport.objects.filter(pk=passport.pk).update(status=start)
    call = getattr(services, f"passport_{service}")
    kwargs = {} if service == "unsuspend" else {"reason_code": Reason.FRAUD}

    with pytest.raises(services.PassportError) as refused:
        call(passport=passport, registrar=registrar, **kwargs)

    assert str(refused.value) == message
    passport.refresh_from_db()
    assert passport.status == start
    assert not AuditEvent.objects.filter(
        action__in=["passports.passport.revoked", "passports.passport.suspended"]
    ).exists()


def test_a_reason_is_needed_to_revoke(passport, registrar):
    with pytest.raises(services.PassportError, match="Choose a reason"):
        services.passport_revoke(passport=passport, registrar=registrar, reason_code="because")


@pytest.mark.parametrize("persona", ["worker", "employer", "registrar_without_mfa"])
def test_only_a_registrar_may_revoke(request, passport, persona):
    with pytest.raises(PermissionDenied):
        services.passport_revoke(
            passport=passport, registrar=request.getfixturevalue(persona), reason_code=Reason.FRAUD
        )


def test_a_registrar_never_revokes_their_own_passport(registrar, signing_key):
    own_entry = RegisterEntryFactory(application__worker=registrar)
    own = services.passport_issue(entry=own_entry, requested_by=registrar)

    with pytest.raises(PermissionDenied):
        services.passport_revoke(passport=own, registrar=registrar, reason_code=Reason.FRAUD)


def test_the_transitions_cover_every_status():
    assert set(services.TRANSITIONS) == set(Status.values)
    assert set(credentials.STATUS_PURPOSES) == {"revocation", "suspension"}
