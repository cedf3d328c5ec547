"""The register's signing keys: create, rotate, retire and revoke them, load them for signing,
and publish the public halves as a JWKS and a did:web document.

A key id is dated ("key-2026-11") and never reused; a second key in the same month gets a
letter ("key-2026-11-b"). The JOSE `kid` and the JWKS `kid` are the full verification method
id, "<did>#<key id>", because VC-JOSE-COSE asks for an absolute URL to a verification method
when the credential carries no `iss` (see docs/decisions/0008-passport-format.md).
"""

from __future__ import annotations

import string
import time
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from types import MappingProxyType
from urllib.parse import urlsplit

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import IntegrityError, transaction
from django.utils import timezone
from joserfc.jwk import OKPKey

from core.audit import audit_log
from core.errors import ApplicationError
from passports.models import SigningKey

Status = SigningKey.Status

# The key lifecycle. Written here rather than on the model while the model is frozen; it moves
# next to SigningKey.Status when the model next changes.
TRANSITIONS = {
    Status.ACTIVE: {Status.RETIRED, Status.REVOKED},
    Status.RETIRED: {Status.REVOKED},
    Status.REVOKED: set(),
}

ALGORITHM = "EdDSA"
# How long a web process trusts its copy of the published keys. A key revoked from the command
# line reaches every process within this many seconds. The copy is the process's own, not the
# shared cache's: verification is the busiest open endpoint, and a cache round trip per request
# cost more than the query each process now makes once every 5 seconds (docs/performance.md).
PUBLIC_KEY_CACHE_SECONDS = 5
# (when read, on the monotonic clock; the rows) or None.
_published_rows: tuple[float, tuple] | None = None


class SigningKeyError(ApplicationError):
    pass


# --- Identifiers ------------------------------------------------------------------------------


def register_did(site_url: str | None = None) -> str:
    """The register's did:web, from the host (and port) of SITE_URL.

    did:web percent-encodes the port's colon; the document lives at /.well-known/did.json, so
    SITE_URL must be the site's root.
    """
    parts = urlsplit(site_url or settings.SITE_URL)
    host = (parts.hostname or "localhost").lower()
    return f"did:web:{host}%3A{parts.port}" if parts.port else f"did:web:{host}"


def verification_method_id(kid: str) -> str:
    return f"{register_did()}#{kid}"


def next_kid() -> str:
    """The id the next new key will get."""
    return _kid_for_month(set(SigningKey.objects.values_list("kid", flat=True)))


def _kid_for_month(taken: set[str]) -> str:
    base = f"key-{timezone.localdate():%Y-%m}"
    if base not in taken:
        return base
    for letter in string.ascii_lowercase[1:]:
        candidate = f"{base}-{letter}"
        if candidate not in taken:
            return candidate
    raise SigningKeyError(f"Too many keys made in one month ({base}); wait for next month.")


# --- Lifecycle --------------------------------------------------------------------------------


def _new_key_material() -> tuple[dict, str]:
    passphrase = settings.SIGNING_KEY_PASSPHRASE
    if not passphrase:
        raise ImproperlyConfigured("SIGNING_KEY_PASSPHRASE is empty: keys cannot be stored.")
    private_key = Ed25519PrivateKey.generate()
    pem = private_key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.BestAvailableEncryption(passphrase.encode()),
    ).decode("ascii")
    public = OKPKey.import_key(private_key.public_key()).as_dict()
    jwk = {name: public[name] for name in ("kty", "crv", "x")}
    return jwk, pem


def _insert_active_key() -> SigningKey:
    taken = set(SigningKey.objects.values_list("kid", flat=True))
    jwk, pem = _new_key_material()
    return SigningKey.objects.create(
        kid=_kid_for_month(taken), status=Status.ACTIVE, public_jwk=jwk, private_key=pem
    )


def published_keys_forget() -> None:
    """Make this process read the keys again on its next verification."""
    global _published_rows
    _published_rows = None


def _forget_public_keys() -> None:
    # Now, for the rest of this transaction, and again after the commit, in case a request in
    # between read the keys as they were. Other processes read them within
    # PUBLIC_KEY_CACHE_SECONDS.
    published_keys_forget()
    transaction.on_commit(published_keys_forget)


def active_key() -> SigningKey | None:
    return SigningKey.objects.filter(status=Status.ACTIVE).first()


def signing_key_create(*, actor=None) -> SigningKey:
    """Make the register's first active key. With an active key already in place, rotate."""
    try:
        with transaction.atomic():
            current = SigningKey.objects.select_for_update().filter(status=Status.ACTIVE).first()
            if current is not None:
                raise SigningKeyError(
                    f"{current.kid} is already active. To replace it, rotate the key."
                )
            key = _insert_active_key()
            audit_log(
                action="passports.key.created",
                actor=actor,
                target=key,
                new_status=key.status,
                data={"kid": key.kid},
            )
            _forget_public_keys()
    except IntegrityError as error:
        # Two creates at once: the one_active_key constraint or the unique kid stopped one.
        raise SigningKeyError("Another key change happened at the same time. Try again.") from error
    return key


def signing_key_rotate(*, actor=None) -> SigningKey:
    """Retire the active key and make a new one active, both or neither. Passports signed with
    the retired key keep verifying."""
    try:
        with transaction.atomic():
            current = SigningKey.objects.select_for_update().filter(status=Status.ACTIVE).first()
            if current is None:
                raise SigningKeyError("There is no active key to rotate. Create one first.")
            current.status = Status.RETIRED
            current.retired_at = timezone.now()
            # Saved before the new key exists: the one_active_key constraint allows one at a time.
            current.save(update_fields=["status", "retired_at"])
            key = _insert_active_key()
            audit_log(
                action="passports.key.rotated",
                actor=actor,
                target=key,
                old_status="",
                new_status=key.status,
                data={"kid": key.kid, "retired_kid": current.kid},
            )
            _forget_public_keys()
    except IntegrityError as error:
        raise SigningKeyError("Another key change happened at the same time. Try again.") from error
    return key


def _change_status(*, kid: str, to: str, actor, action: str, **fields) -> SigningKey:
    with transaction.atomic():
        key = SigningKey.objects.select_for_update().filter(kid=kid).first()
        if key is None:
            raise SigningKeyError(f"There is no key {kid}.")
        old = key.status
        if to not in TRANSITIONS[old]:
            raise SigningKeyError(
                f"{kid} is {key.get_status_display().lower()} and cannot become "
                f"{Status(to).label.lower()}."
            )
        key.status = to
        for name, value in fields.items():
            setattr(key, name, value)
        key.save(update_fields=["status", *fields])
        audit_log(
            action=action,
            actor=actor,
            target=key,
            old_status=old,
            new_status=to,
            data={"kid": kid},
        )
        _forget_public_keys()
    return key


def signing_key_retire(*, kid: str, actor=None) -> SigningKey:
    """Stop signing with a key; what it signed stays valid. Until a new key is made, no
    passports can be issued."""
    return _change_status(
        kid=kid,
        to=Status.RETIRED,
        actor=actor,
        action="passports.key.retired",
        retired_at=timezone.now(),
    )


def signing_key_revoke(*, kid: str, actor=None) -> SigningKey:
    """Declare a key compromised: every passport it signed fails verification from now on."""
    return _change_status(
        kid=kid,
        to=Status.REVOKED,
        actor=actor,
        action="passports.key.revoked",
        revoked_at=timezone.now(),
    )


# --- Loading keys -----------------------------------------------------------------------------

# Decrypting a PEM costs far more than a signature, so each process keeps the keys it has
# loaded. The cache is keyed by the public half as well as the kid, so a key id met again (a
# test database, a restored backup) can never return the wrong key.
_private_keys: dict[tuple[str, str], OKPKey] = {}


def private_key_for(key: SigningKey) -> OKPKey:
    cache_key = (key.kid, key.public_jwk["x"])
    loaded = _private_keys.get(cache_key)
    if loaded is None:
        try:
            loaded = OKPKey.import_key(
                key.private_key.encode("ascii"), password=settings.SIGNING_KEY_PASSPHRASE
            )
        except (ValueError, TypeError) as error:
            raise SigningKeyError(
                f"The private key of {key.kid} cannot be read: check SIGNING_KEY_PASSPHRASE."
            ) from error
        if loaded.as_dict()["x"] != key.public_jwk["x"]:
            raise SigningKeyError(f"The private key of {key.kid} does not match its public key.")
        _private_keys[cache_key] = loaded
    return loaded


@lru_cache(maxsize=256)
def public_key_from_x(x: str) -> OKPKey:
    """A verifying key from its public bytes; the bytes never change, so it is cached for good."""
    return OKPKey.import_key({"kty": "OKP", "crv": "Ed25519", "x": x})


@dataclass(frozen=True)
class PublishedKey:
    kid: str
    verification_method: str
    status: str
    x: str

    @property
    def public_key(self) -> OKPKey:
        return public_key_from_x(self.x)


def published_keys() -> Mapping[str, PublishedKey]:
    """Every key the register has used, by verification method id, from this process's copy,
    read again when it is PUBLIC_KEY_CACHE_SECONDS old."""
    global _published_rows
    now = time.monotonic()
    copy = _published_rows
    if copy is None or now - copy[0] >= PUBLIC_KEY_CACHE_SECONDS:
        rows = tuple(
            (key.kid, key.status, key.public_jwk["x"])
            for key in SigningKey.objects.only("kid", "status", "public_jwk")
        )
        copy = _published_rows = (now, rows)
    return _by_verification_method(register_did(), copy[1])


@lru_cache(maxsize=16)
def _by_verification_method(did: str, rows: tuple) -> Mapping[str, PublishedKey]:
    # Read-only, because the same mapping is handed to every caller until the rows change.
    return MappingProxyType(
        {
            f"{did}#{kid}": PublishedKey(
                kid=kid, verification_method=f"{did}#{kid}", status=status, x=x
            )
            for kid, status, x in rows
        }
    )


# --- Publishing -------------------------------------------------------------------------------


def _public_jwk(key: SigningKey) -> dict:
    return {
        "kty": "OKP",
        "crv": "Ed25519",
        "x": key.public_jwk["x"],
        "kid": verification_method_id(key.kid),
        "use": "sig",
        "alg": ALGORITHM,
        # Not a registered JWK member: JOSE libraries ignore it, so a verifier has to read it
        # itself and refuse keys marked "revoked" (docs/verifying-passports.md shows how).
        "status": key.status,
    }


def jwks_document() -> dict:
    """/.well-known/jwks.json: every key ever used for passports, oldest first."""
    return {"keys": [_public_jwk(key) for key in SigningKey.objects.order_by("created_at", "id")]}


def did_document() -> dict:
    """/.well-known/did.json: each key a JsonWebKey verification method; only keys that are not
    revoked may assert (sign credentials). A revoked one carries the time it was revoked."""
    did = register_did()
    methods = []
    assertion = []
    for key in SigningKey.objects.order_by("created_at", "id"):
        method = {
            "id": verification_method_id(key.kid),
            "type": "JsonWebKey",
            "controller": did,
            "publicKeyJwk": {"kty": "OKP", "crv": "Ed25519", "x": key.public_jwk["x"]},
        }
        if key.status == Status.REVOKED:
            method["revoked"] = (key.revoked_at or timezone.now()).isoformat(timespec="seconds")
        else:
            assertion.append(method["id"])
        methods.append(method)
    return {
        "@context": ["https://www.w3.org/ns/did/v1", "https://www.w3.org/ns/cid/v1"],
        "id": did,
        "verificationMethod": methods,
        "assertionMethod": assertion,
    }
