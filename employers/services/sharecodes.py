"""Share codes: a worker's consent for an employer to see their registration and training.

A code is 9 characters from a 30-symbol alphabet with the easily confused characters left out:
no 0 or O, no 1, I or L, and no U (read aloud it is taken for V or "you"). That is
30**9 ≈ 2 × 10**13 codes, about 44 bits. Against someone guessing online that is plenty: a
code lives 30 days, each user and each address may fail 10 times an hour, and a guess must
also come with the worker's date of birth. Against someone holding a copy of the database it
is not enough for a plain SHA-256 (a GPU tries every code in hours), so the stored hash is an
HMAC under BLIND_INDEX_KEY, which is not in the database: without the key, the hashes say
nothing about the codes. The key makes a slow password hash unnecessary, and it keeps lookups
to one indexed query.
"""

import hmac
import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from accounts.models import Organisation, User
from accounts.permissions import require
from core.audit import audit_log, current_request
from core.encryption import blind_index
from core.errors import ApplicationError
from core.ratelimit import RateLimit
from employers.models import ApiKey, ShareCode, ShareCodeCheck
from employers.services.verification import employer_require_verified
from passports.selectors import TrainingStates, training_states
from register.models import IdentityCheck, RegisterEntry

ALPHABET = "ABCDEFGHJKMNPQRSTVWXYZ23456789"
CODE_LENGTH = 9
MAX_LIVE_CODES = 10
# One message for every code that does not open a record, whatever the reason, so the answer
# never says whether a code exists.
NOT_ACCEPTED_MESSAGE = (
    "That share code and date of birth were not accepted. Check the code and date of birth, "
    "or ask the worker for a new code."
)
RATE_LIMITED_MESSAGE = (
    "Too many share codes or dates of birth were not accepted. Wait an hour, then try again."
)
# Compared against when no code matches, so an unknown code takes the same path as a known one.
_NO_DATE_OF_BIRTH = date(1, 1, 1)

Outcome = ShareCodeCheck.Outcome


class ShareCodeError(ApplicationError):
    pass


class ShareCodeNotAccepted(ShareCodeError):
    pass


class ShareCodeRateLimited(ShareCodeError):
    pass


def share_code_generate() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def share_code_normalise(text: str) -> str:
    """What the employer typed, without spaces or dashes, in upper case."""
    return "".join(character for character in (text or "").upper() if character.isalnum())


def share_code_format(code: str) -> str:
    """In threes, for reading aloud: ABC-DEF-GHJ."""
    code = share_code_normalise(code)
    return "-".join(code[index : index + 3] for index in range(0, len(code), 3))


def share_code_hash(code: str) -> str:
    return blind_index(share_code_normalise(code), purpose="share_code")


def share_code_create(
    *, worker: User, entry: RegisterEntry, shares_identity_checks: bool, label: str = ""
) -> tuple[ShareCode, str]:
    """A new code for the worker's own entry. The code itself is returned once, here, and
    never stored."""
    require(worker, "sharecode.manage_own", entry)
    label = (label or "").strip()
    if len(label) > 100:
        raise ShareCodeError("Keep the note to 100 characters or fewer.", field="label")
    now = timezone.now()
    with transaction.atomic():
        entry = RegisterEntry.objects.select_for_update().get(pk=entry.pk)
        if entry.status == RegisterEntry.Status.REMOVED:
            raise ShareCodeError(
                "You are no longer on the register, so there is no record to share."
            )
        # A share made by applying for a job is not one the worker handed out, so it does not
        # count: someone applying for many jobs can still make a code for an interview.
        live = ShareCode.objects.filter(
            entry=entry, revoked_at__isnull=True, expires_at__gt=now, for_application=False
        ).count()
        if live >= MAX_LIVE_CODES:
            raise ShareCodeError(
                f"You already have {MAX_LIVE_CODES} codes that work. Revoke one you no longer "
                "need, then make a new one."
            )
        code = share_code_generate()
        share_code = ShareCode.objects.create(
            worker=worker,
            entry=entry,
            code_hash=share_code_hash(code),
            hint=code[-3:],
            label=label,
            shares_identity_checks=bool(shares_identity_checks),
            created_at=now,
            expires_at=now + timedelta(days=settings.SHARE_CODE_VALID_DAYS),
        )
        audit_log(
            action="employers.share_code.created",
            actor=worker,
            target=share_code,
            data={
                "expires_at": share_code.expires_at,
                "shares_identity_checks": share_code.shares_identity_checks,
            },
        )
    return share_code, code


def share_code_create_for_application(
    *,
    worker: User,
    entry: RegisterEntry,
    shares_identity_checks: bool,
    label: str,
    expires_at: datetime,
) -> ShareCode:
    """A share of the worker's record made by applying for a job, in the caller's transaction.
    Its code is never shown: the employer opens the record from the application, so the stored
    hash is of a long random secret nobody knows, which no typed code can match."""
    require(worker, "sharecode.manage_own", entry)
    if entry.status == RegisterEntry.Status.REMOVED:
        raise ShareCodeError("You are no longer on the register, so there is no record to share.")
    # No savepoint: the share is stored with the caller's change or not at all, so there is
    # nothing to roll back to in between (and two round trips fewer).
    with transaction.atomic(savepoint=False):
        share_code = ShareCode.objects.create(
            worker=worker,
            entry=entry,
            code_hash=share_code_hash(secrets.token_urlsafe(32)),
            hint="",
            label=label[:100],
            shares_identity_checks=bool(shares_identity_checks),
            for_application=True,
            created_at=timezone.now(),
            expires_at=expires_at,
        )
        audit_log(
            action="employers.share_code.created",
            actor=worker,
            target=share_code,
            data={
                "expires_at": share_code.expires_at,
                "shares_identity_checks": share_code.shares_identity_checks,
                "for_application": True,
            },
        )
    return share_code


def share_code_end_by(*, share_code: ShareCode, ends_at: datetime, reason: str) -> bool:
    """Bring a share's end forward to `ends_at` when it would end later; never move it later.
    True when it moved. Safe to call again: a share already ending by then is left alone."""
    with transaction.atomic():
        moved = ShareCode.objects.filter(
            pk=share_code.pk, revoked_at__isnull=True, expires_at__gt=ends_at
        ).update(expires_at=ends_at)
        if moved:
            share_code.expires_at = ends_at
            audit_log(
                action="employers.share_code.shortened",
                target=share_code,
                data={"expires_at": ends_at, "reason": reason},
            )
    return bool(moved)


def share_code_revoke(*, share_code: ShareCode, worker: User) -> ShareCode:
    require(worker, "sharecode.manage_own", share_code.entry)
    with transaction.atomic():
        share_code = ShareCode.objects.select_for_update().get(pk=share_code.pk)
        if share_code.revoked_at is not None:
            raise ShareCodeError("This code has already been revoked.")
        if not share_code.is_live():
            raise ShareCodeError("This code has already expired: nobody can use it.")
        share_code.revoked_at = timezone.now()
        share_code.save(update_fields=["revoked_at"])
        audit_log(action="employers.share_code.revoked", actor=worker, target=share_code)
    return share_code


def share_codes_revoke_for_removed_entry(*, entry: RegisterEntry) -> list[ShareCode]:
    """Revoke every live code of an entry that has left the register, in the transaction that
    removed it: a code is consent to see a registration, and there is none any more."""
    now = timezone.now()
    with transaction.atomic():
        live = list(
            ShareCode.objects.select_for_update()
            .filter(entry_id=entry.pk, revoked_at__isnull=True, expires_at__gt=now)
            .order_by("pk")
        )
        for share_code in live:
            share_code.revoked_at = now
            share_code.save(update_fields=["revoked_at"])
            audit_log(
                action="employers.share_code.revoked",
                target=share_code,
                data={"reason": "worker_removed_from_register", "entry_id": entry.pk},
            )
    return live


# --- Checking a code -------------------------------------------------------------------------


@dataclass(frozen=True)
class IdentityCheckOutcome:
    """What an employer may know of a registrar's check: never the document or its number."""

    check_type: str
    outcome: str
    checked_on: date


@dataclass(frozen=True)
class SharedRecord:
    """What an accepted code opens, read at the moment of the check."""

    check: ShareCodeCheck
    entry: RegisterEntry
    training: TrainingStates
    identity_checks: list[IdentityCheckOutcome] | None


def _failures_limit() -> RateLimit:
    # Counted in slices of a minute, so a run of failures locks out for the hour, to the minute.
    return RateLimit(
        "share-code-failures",
        limit=settings.SHARE_CODE_FAILURES_PER_HOUR,
        period=3600,
        slices=60,
    )


def _failure_keys(*, user: User, ip_address: str | None) -> list[str]:
    keys = [f"user:{user.pk}"]
    if ip_address:
        keys.append(f"ip:{ip_address}")
    return keys


def _outcome(
    share_code: ShareCode | None, *, date_of_birth: date, stored: date | None, now: datetime
) -> str:
    # Both comparisons always run, matched or not, so an unknown code costs what a known one
    # does; compare_digest keeps the date comparison itself from leaking by its duration.
    date_matches = hmac.compare_digest(
        (stored or _NO_DATE_OF_BIRTH).isoformat(), date_of_birth.isoformat()
    )
    if share_code is None:
        return Outcome.UNKNOWN_CODE
    if not date_matches:
        return Outcome.WRONG_DATE_OF_BIRTH
    # A code whose worker has left the register is revoked when the register announces the
    # removal; checked here too, because a removal from suspended or lapsed is not announced
    # (it does not change whether the worker may practise), nor is a data fix.
    if share_code.revoked_at is not None or share_code.entry.status == RegisterEntry.Status.REMOVED:
        return Outcome.REVOKED
    if now >= share_code.expires_at:
        return Outcome.EXPIRED
    return Outcome.ACCEPTED


def share_code_check(
    *,
    organisation: Organisation,
    user: User,
    code: str,
    date_of_birth: date,
    api_key: ApiKey | None = None,
) -> SharedRecord:
    """An employer opens a record with a code and the worker's date of birth.

    Every attempt is recorded, whatever its outcome. Anything but an accepted code raises
    ShareCodeNotAccepted with one message; too many failures raise ShareCodeRateLimited.
    """
    require(user, "sharecode.check", organisation)
    # Refused before anything is counted or looked at: no code is tried for an organisation a
    # registrar has not verified (ADR 0019).
    employer_require_verified(organisation)
    context = current_request.get()
    ip_address = context.ip_address if context else None
    now = timezone.now()

    # Count first, so that attempts made at once cannot all pass. Every attempt is counted as a
    # failure, against the user and against the address, before its code is looked at; an
    # accepted one is given back below. The cache's atomic increment gives each attempt a
    # count of its own that includes every attempt still in flight, so of N attempts at once
    # no more are let through to try a code than the failures left in the hour. (An accepted
    # attempt holds its place until it is given back, so one made in that moment may be
    # refused: the limit errs towards refusing.) Reading the failures first and counting one
    # after a refusal, as this once did, let every attempt made at once read the same count
    # and try its code.
    attempt = _failures_limit().hit(
        *_failure_keys(user=user, ip_address=ip_address), now=now.timestamp()
    )
    if not attempt.allowed:
        with transaction.atomic():
            check = ShareCodeCheck.objects.create(
                organisation=organisation,
                user=user,
                via_api_key=api_key,
                outcome=Outcome.RATE_LIMITED,
                checked_at=now,
                ip_address=ip_address,
            )
            audit_log(
                action="employers.share_code.checked",
                actor=user,
                target=organisation,
                new_status=check.outcome,
                data={"check_id": check.pk},
            )
        raise ShareCodeRateLimited(RATE_LIMITED_MESSAGE)

    try:
        share_code = (
            ShareCode.objects.select_related("entry__application", "entry__pathway_role")
            .filter(code_hash=share_code_hash(code))
            .first()
        )
        stored = share_code.entry.application.date_of_birth if share_code is not None else None
        outcome = _outcome(share_code, date_of_birth=date_of_birth, stored=stored, now=now)
        with transaction.atomic():
            check = ShareCodeCheck.objects.create(
                share_code=share_code,
                organisation=organisation,
                user=user,
                via_api_key=api_key,
                outcome=outcome,
                checked_at=now,
                ip_address=ip_address,
            )
            audit_log(
                action="employers.share_code.checked",
                actor=user,
                target=share_code if share_code is not None else organisation,
                new_status=outcome,
                data={"check_id": check.pk, "organisation_id": organisation.pk},
            )
    except BaseException:
        # Nothing was checked or recorded: not a failure.
        attempt.take_back()
        raise
    # The attempt is committed before the refusal, so a refused attempt is still on record.
    if outcome != Outcome.ACCEPTED:
        raise ShareCodeNotAccepted(NOT_ACCEPTED_MESSAGE)
    attempt.take_back()

    entry = share_code.entry
    identity_checks = None
    if share_code.shares_identity_checks:
        identity_checks = [
            IdentityCheckOutcome(
                check_type=item.get_check_type_display(),
                outcome=item.get_outcome_display(),
                checked_on=timezone.localdate(item.checked_at),
            )
            for item in IdentityCheck.objects.filter(application_id=entry.application_id)
            .only("check_type", "outcome", "checked_at")
            .order_by("checked_at", "id")
        ]
    return SharedRecord(
        check=check,
        entry=entry,
        training=training_states(entry=entry, today=timezone.localdate()),
        identity_checks=identity_checks,
    )
