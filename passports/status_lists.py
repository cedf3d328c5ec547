"""Bitstring Status List v1.0: the revocation and suspension lists the register signs and serves.

Each passport owns one random position in the revocation and the suspension list; each
single-record badge owns one in the badge revocation list. Bit 0 is the left-most bit of the first
byte. A list is at least 131,072 bits long, the herd the specification's privacy section asks
for, and grows in blocks of that size so it is never more than half full: random allocation
then finds a free position in one or two tries, and the herd stays large.
"""

from __future__ import annotations

import base64
import gzip
import secrets
from datetime import timedelta

from django.core.cache import cache
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone

from passports import credentials, keys, signing
from passports.models import Passport, RecordBadge

BLOCK_BITS = 131_072
REVOCATION = credentials.REVOCATION
SUSPENSION = credentials.SUSPENSION
BADGE_REVOCATION = credentials.BADGE_REVOCATION
PURPOSES = credentials.STATUS_PURPOSES
# Every list the register publishes, by the name in its address.
LIST_NAMES = (*PURPOSES, BADGE_REVOCATION)
# Which passports have their bit set in each list. A superseded passport is revoked for an
# offline verifier (a newer one replaced it for good), and one that was suspended when it was
# superseded keeps its suspension bit too: it keeps the suspension's reason code, which
# lifting a suspension clears.
_SET_IN_LIST = {
    REVOCATION: Q(status__in=[Passport.Status.REVOKED, Passport.Status.SUPERSEDED]),
    # A valid passport superseded because the worker's details changed carries that reason
    # code, but was never suspended.
    SUSPENSION: Q(status=Passport.Status.SUSPENDED)
    | (
        Q(status=Passport.Status.SUPERSEDED)
        & ~Q(reason_code__in=["", Passport.ReasonCode.DETAILS_CHANGED])
    ),
    # Badges have only a revocation list: a badge whose record was revoked, or that a newer
    # badge of the same record replaced, is revoked for an offline verifier.
    BADGE_REVOCATION: Q(status__in=[RecordBadge.Status.REVOKED, RecordBadge.Status.SUPERSEDED]),
}
_INDEX_FIELD = {
    REVOCATION: "revocation_index",
    SUSPENSION: "suspension_index",
    BADGE_REVOCATION: "revocation_index",
}
_MODEL = {REVOCATION: Passport, SUSPENSION: Passport, BADGE_REVOCATION: RecordBadge}
# What each list's credential says its bits mean (Bitstring Status List's statusPurpose).
_STATUS_PURPOSE = {REVOCATION: REVOCATION, SUSPENSION: SUSPENSION, BADGE_REVOCATION: REVOCATION}

VALID_FOR = timedelta(minutes=10)
CACHE_SECONDS = 60
_ALLOCATION_TRIES = 40


class StatusListFull(Exception):
    """No free position was found; cannot happen while lists stay half empty."""


# --- Allocation -------------------------------------------------------------------------------


def list_capacity(model=Passport) -> int:
    """Positions to choose from: whole blocks, at least twice the passports (or badges) ever
    issued.

    Ids are never reused, so the highest id bounds the number of passports, and unlike a count
    it is one index lookup however large the table grows.
    """
    highest_id = model.objects.aggregate(highest=Max("id"))["highest"] or 0
    blocks = max(1, -(-2 * (highest_id + 1) // BLOCK_BITS))
    return blocks * BLOCK_BITS


def random_free_index(*, purpose: str, capacity: int) -> int:
    """A random position no passport holds yet. The unique constraint on the column settles a
    race between two issuers; the caller retries on IntegrityError."""
    field, model = _INDEX_FIELD[purpose], _MODEL[purpose]
    for _ in range(_ALLOCATION_TRIES):
        candidate = secrets.randbelow(capacity)
        if not model.objects.filter(**{field: candidate}).exists():
            return candidate
    raise StatusListFull(f"No free {purpose} position after {_ALLOCATION_TRIES} tries.")


# --- The bitstring ----------------------------------------------------------------------------


def encode_bitstring(indexes, *, length: int) -> str:
    """Multibase base64url (prefix "u", no padding) of the GZIP-compressed bitstring."""
    bits = bytearray(length // 8)
    for index in indexes:
        bits[index // 8] |= 0x80 >> (index % 8)
    # mtime=0 keeps the output the same for the same bits.
    compressed = gzip.compress(bytes(bits), mtime=0)
    return "u" + base64.urlsafe_b64encode(compressed).decode("ascii").rstrip("=")


def decode_bitstring(encoded: str) -> bytes:
    if not encoded.startswith("u"):
        raise ValueError("An encodedList is multibase base64url and starts with 'u'.")
    payload = encoded[1:]
    return gzip.decompress(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))


def bit_is_set(bitstring: bytes, index: int) -> bool:
    return bool(bitstring[index // 8] & (0x80 >> (index % 8)))


def list_length(purpose: str) -> int:
    """Whole blocks covering every position handed out, so every passport's index is inside."""
    model = _MODEL[purpose]
    highest = model.objects.aggregate(highest=Max(_INDEX_FIELD[purpose]))["highest"] or 0
    return max(BLOCK_BITS, -(-(highest + 1) // BLOCK_BITS) * BLOCK_BITS)


# --- The signed list --------------------------------------------------------------------------


def _cache_key(purpose: str) -> str:
    return f"passports:status-list:{purpose}"


def status_list_credential(purpose: str) -> dict:
    """The unsigned list credential, built from the database now."""
    if purpose not in LIST_NAMES:
        raise ValueError(f"No status list for {purpose!r}.")
    indexes = (
        _MODEL[purpose]
        .objects.filter(_SET_IN_LIST[purpose])
        .values_list(_INDEX_FIELD[purpose], flat=True)
    )
    now = timezone.now()
    return credentials.compose_status_list(
        purpose=_STATUS_PURPOSE[purpose],
        list_name=purpose,
        encoded_list=encode_bitstring(indexes, length=list_length(purpose)),
        valid_from=now,
        valid_until=now + VALID_FOR,
    )


def signed_status_list(purpose: str) -> str:
    """The list as a vc+jwt, signed with the active key and kept for up to a minute, so that
    a burst of verifiers does not rebuild it on every request."""
    token = cache.get(_cache_key(purpose))
    if token is None:
        key = keys.active_key()
        if key is None:
            raise keys.SigningKeyError("No signing key: run manage.py signing_key create")
        token = signing.sign(
            status_list_credential(purpose),
            private_key=keys.private_key_for(key),
            kid=keys.verification_method_id(key.kid),
        )
        cache.set(_cache_key(purpose), token, CACHE_SECONDS)
    return token


def forget_signed_lists() -> None:
    """Drop the cached lists, so the next request shows the change (with a per-process cache,
    other processes catch up within CACHE_SECONDS)."""
    cache_keys = [_cache_key(name) for name in LIST_NAMES]
    cache.delete_many(cache_keys)
    # Again after the commit, in case a request in between cached the list as it was.
    transaction.on_commit(lambda: cache.delete_many(cache_keys))
