"""Issuing signed passports, and a registrar's revocation and suspension of one."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from accounts.models import User
from accounts.permissions import can, require
from core.audit import audit_log
from core.errors import ApplicationError
from passports import credentials, keys, signing, status_lists
from passports.models import Passport, TrainingRecord
from register.models import RegisterEntry

Status = Passport.Status
ReasonCode = Passport.ReasonCode

# The passport lifecycle. Written here while the model is frozen; it moves next to
# Passport.Status when the model next changes. A superseded passport can still be revoked (it
# may have been issued in error); nothing ever leaves "revoked".
TRANSITIONS = {
    Status.VALID: {Status.SUPERSEDED, Status.SUSPENDED, Status.REVOKED},
    Status.SUSPENDED: {Status.VALID, Status.REVOKED, Status.SUPERSEDED},
    Status.SUPERSEDED: {Status.REVOKED},
    Status.REVOKED: set(),
}

# The reasons the register gives on its own, when something else changed; a registrar never
# picks them. A passport suspended because the registration is comes back when it ends.
AUTOMATIC_REASONS = {ReasonCode.DETAILS_CHANGED, ReasonCode.REGISTRATION_SUSPENDED}

# A clash of random indexes is rare (lists stay half empty); a few retries make it vanish.
_ISSUE_ATTEMPTS = 5


class PassportError(ApplicationError):
    pass


def _check_transition(passport: Passport, to: str) -> None:
    if to not in TRANSITIONS[passport.status]:
        raise PassportError(
            f"A {passport.get_status_display().lower()} passport cannot become "
            f"{Status(to).label.lower()}."
        )


def passport_issue(*, entry: RegisterEntry, requested_by: User) -> Passport:
    """Sign a snapshot of the entry and its training. Earlier passports of the entry that are
    valid or suspended become superseded."""
    require(requested_by, "passport.issue", entry)
    key = keys.active_key()
    if key is None:
        raise PassportError("No signing key: run manage.py signing_key create")
    private_key = keys.private_key_for(key)
    with transaction.atomic():
        # Locking the entry makes two issues for one worker take turns, so exactly one
        # passport ends up valid.
        entry = RegisterEntry.objects.select_for_update().get(pk=entry.pk)
        if entry.status == RegisterEntry.Status.REMOVED:
            raise PassportError("This person has been removed from the register.")
        if entry.status == RegisterEntry.Status.SUSPENDED:
            # It would be valid at once, beside the passports the suspension suspended.
            raise PassportError(
                "A passport cannot be issued while the registration is suspended. One can be "
                "issued again when the suspension ends."
            )
        earlier = list(
            Passport.objects.select_for_update()
            .filter(entry=entry, status__in=[Status.VALID, Status.SUSPENDED])
            .order_by("issued_at", "id")
        )
        # A passport suspended because a record in it was revoked is replaced freely: the new
        # one leaves the record out. Any other suspension (a registrar's, even one giving that
        # reason by hand for a passport whose records all stand) is a registrar's to end.
        held = any(
            old.status == Status.SUSPENDED and not _suspended_for_a_withdrawn_record(old)
            for old in earlier
        )
        if held and not can(requested_by, "passport.manage", entry):
            # Otherwise a new passport would undo the suspension the moment it was made.
            raise PassportError(
                "Your passport is suspended while the register looks into it. A new one can "
                "be issued once the suspension ends."
            )
        records = credentials.training_records_for(entry)
        passport = _insert_signed(entry=entry, records=records, key=key, private_key=private_key)
        passport.records.set(records)
        for old in earlier:
            _check_transition(old, Status.SUPERSEDED)
            old_status = old.status
            old.status = Status.SUPERSEDED
            old.save(update_fields=["status"])
            audit_log(
                action="passports.passport.superseded",
                actor=requested_by,
                target=old,
                old_status=old_status,
                new_status=old.status,
                data={"public_id": old.public_id, "superseded_by": passport.public_id},
            )
        if earlier:
            # A superseded passport's revocation bit is now set (a suspended one keeps its
            # suspension bit too), so the published lists change.
            status_lists.forget_signed_lists()
        audit_log(
            action="passports.passport.issued",
            actor=requested_by,
            target=passport,
            new_status=passport.status,
            data={
                "public_id": passport.public_id,
                "kid": key.kid,
                "training_records": len(records),
                "superseded": [old.public_id for old in earlier],
            },
        )
    return passport


def _suspended_for_a_withdrawn_record(passport: Passport) -> bool:
    return (
        passport.reason_code == ReasonCode.RECORD_REVOKED
        and passport.records.exclude(status=TrainingRecord.Status.VERIFIED).exists()
    )


def _insert_signed(*, entry, records, key, private_key) -> Passport:
    capacity = status_lists.list_capacity()
    for attempt in range(_ISSUE_ATTEMPTS):
        passport = Passport(
            entry=entry,
            key=key,
            issued_at=timezone.now(),
            revocation_index=status_lists.random_free_index(
                purpose=status_lists.REVOCATION, capacity=capacity
            ),
            suspension_index=status_lists.random_free_index(
                purpose=status_lists.SUSPENSION, capacity=capacity
            ),
        )
        passport.token = signing.sign(
            credentials.compose_passport(passport=passport, entry=entry, records=records),
            private_key=private_key,
            kid=keys.verification_method_id(key.kid),
        )
        try:
            # A savepoint, so a clash undoes only this insert and the retry can go on.
            with transaction.atomic():
                passport.save(force_insert=True)
        except IntegrityError:
            if attempt == _ISSUE_ATTEMPTS - 1:
                raise
            continue
        return passport
    raise AssertionError("unreachable")


def _change_status(
    *, passport: Passport, registrar: User, to: str, reason_code: str, action: str
) -> Passport:
    require(registrar, "passport.manage", passport.entry)
    # "Details changed" and "the registration is suspended" are given only by the register,
    # when the worker's details or registration change.
    if to != Status.VALID and (
        reason_code not in ReasonCode.values or reason_code in AUTOMATIC_REASONS
    ):
        raise PassportError("Choose a reason from the list.")
    with transaction.atomic():
        passport = Passport.objects.select_for_update().select_related("entry").get(pk=passport.pk)
        _check_transition(passport, to)
        if (
            to == Status.VALID
            and passport.reason_code == ReasonCode.REGISTRATION_SUSPENDED
            and passport.entry.status == RegisterEntry.Status.SUSPENDED
        ):
            raise PassportError(
                "This passport is suspended because the registration is. It will be valid "
                "again when the suspension ends."
            )
        no_longer_verified = passport.records.exclude(status=TrainingRecord.Status.VERIFIED)
        if to == Status.VALID and no_longer_verified.exists():
            raise PassportError(
                "This passport carries a training record that no longer stands, so it cannot "
                "be valid again. The worker can issue a new passport without it."
            )
        old = passport.status
        passport.status = to
        passport.reason_code = reason_code if to != Status.VALID else ""
        passport.save(update_fields=["status", "reason_code"])
        audit_log(
            action=action,
            actor=registrar,
            target=passport,
            old_status=old,
            new_status=to,
            data={"public_id": passport.public_id, "reason_code": passport.reason_code},
        )
        status_lists.forget_signed_lists()
    return passport


def passport_revoke(*, passport: Passport, registrar: User, reason_code: str) -> Passport:
    """Revoke for good: the passport fails verification and its revocation bit is set."""
    return _change_status(
        passport=passport,
        registrar=registrar,
        to=Status.REVOKED,
        reason_code=reason_code,
        action="passports.passport.revoked",
    )


def passport_suspend(*, passport: Passport, registrar: User, reason_code: str) -> Passport:
    """Suspend while something is looked into: it fails verification until unsuspended."""
    return _change_status(
        passport=passport,
        registrar=registrar,
        to=Status.SUSPENDED,
        reason_code=reason_code,
        action="passports.passport.suspended",
    )


def passport_unsuspend(*, passport: Passport, registrar: User) -> Passport:
    """End a suspension: the passport is valid again and its suspension bit is cleared."""
    return _change_status(
        passport=passport,
        registrar=registrar,
        to=Status.VALID,
        reason_code="",
        action="passports.passport.unsuspended",
    )


def passports_suspend_for_record(*, record: TrainingRecord, by: User) -> list[Passport]:
    """Suspend every valid passport that carries `record`, which no longer stands (revoked or
    corrected), with reason `record_revoked`. Runs inside the caller's transaction, so the
    record and its passports change together; the caller tells the worker."""
    return _move_valid_passports(
        Passport.objects.filter(records=record),
        to=Status.SUSPENDED,
        reason_code=ReasonCode.RECORD_REVOKED,
        by=by,
        action="passports.passport.suspended",
        data={"record_id": record.pk},
    )


def passports_supersede_for_details_change(*, entry: RegisterEntry, by: User) -> list[Passport]:
    """Supersede every valid passport of a worker whose signed details (their name) changed,
    with reason `details_changed`: it is no longer a true picture, so verifiers are told to ask
    for the latest. A suspended passport stays suspended, so the suspension still holds the
    worker's next passport for a registrar. Runs inside the caller's transaction; the caller
    tells the worker."""
    return _move_valid_passports(
        Passport.objects.filter(entry=entry),
        to=Status.SUPERSEDED,
        reason_code=ReasonCode.DETAILS_CHANGED,
        by=by,
        action="passports.passport.superseded",
    )


def passports_suspend_for_registration(*, entry: RegisterEntry, by: User | None) -> list[Passport]:
    """Suspend every valid passport of a worker whose registration was suspended, with reason
    `registration_suspended`, so that offline verifiers reading the suspension list are told
    too. Runs inside the caller's transaction; the caller tells the worker."""
    return _move_valid_passports(
        Passport.objects.filter(entry=entry),
        to=Status.SUSPENDED,
        reason_code=ReasonCode.REGISTRATION_SUSPENDED,
        by=by,
        action="passports.passport.suspended",
    )


def passports_restore_for_registration(*, entry: RegisterEntry, by: User | None) -> list[Passport]:
    """When the worker's suspension ends: make valid again exactly the passports suspended
    because of it, never one a registrar suspended or one suspended for a revoked record. One
    that carries a record revoked in the meantime stays suspended, now for that record, so the
    worker can replace it. Returns every passport changed (valid, or still suspended). Runs
    inside the caller's transaction; the caller tells the worker."""
    held = list(
        Passport.objects.select_for_update()
        .filter(entry=entry, status=Status.SUSPENDED, reason_code=ReasonCode.REGISTRATION_SUSPENDED)
        .order_by("id")
    )
    for passport in held:
        if passport.records.exclude(status=TrainingRecord.Status.VERIFIED).exists():
            passport.reason_code = ReasonCode.RECORD_REVOKED
            passport.save(update_fields=["reason_code"])
            action = "passports.passport.suspended"
        else:
            _check_transition(passport, Status.VALID)
            passport.status = Status.VALID
            passport.reason_code = ""
            passport.save(update_fields=["status", "reason_code"])
            action = "passports.passport.unsuspended"
        audit_log(
            action=action,
            actor=by,
            target=passport,
            old_status=Status.SUSPENDED,
            new_status=passport.status,
            data={"public_id": passport.public_id, "reason_code": passport.reason_code},
        )
    if held:
        status_lists.forget_signed_lists()
    return held


def passports_revoke_for_removal(*, entry: RegisterEntry, by: User | None) -> list[Passport]:
    """Revoke, with reason `fitness_to_practise`, every valid passport of a worker removed from
    the register on fitness to practise grounds, and every one suspended because their
    registration was. One a registrar suspended for another reason keeps that reason. Runs
    inside the caller's transaction; the caller tells the worker."""
    return _move_passports(
        Passport.objects.filter(entry=entry).filter(
            Q(status=Status.VALID)
            | Q(status=Status.SUSPENDED, reason_code=ReasonCode.REGISTRATION_SUSPENDED)
        ),
        to=Status.REVOKED,
        reason_code=ReasonCode.FITNESS_TO_PRACTISE,
        by=by,
        action="passports.passport.revoked",
    )


def _move_valid_passports(
    passports, *, to: str, reason_code: str, by: User | None, action: str, data: dict | None = None
) -> list[Passport]:
    """Lock the valid ones among `passports` and move them (_move_passports)."""
    return _move_passports(
        passports.filter(status=Status.VALID),
        to=to,
        reason_code=reason_code,
        by=by,
        action=action,
        data=data,
    )


def _move_passports(
    passports, *, to: str, reason_code: str, by: User | None, action: str, data: dict | None = None
) -> list[Passport]:
    """Lock `passports`, move each to `to` with `reason_code` and an audit event, and republish
    the status lists if any moved."""
    moved = list(passports.select_for_update().order_by("id"))
    for passport in moved:
        _check_transition(passport, to)
        old_status = passport.status
        passport.status = to
        passport.reason_code = reason_code
        passport.save(update_fields=["status", "reason_code"])
        audit_log(
            action=action,
            actor=by,
            target=passport,
            old_status=old_status,
            new_status=to,
            data={
                "public_id": passport.public_id,
                "reason_code": passport.reason_code,
                **(data or {}),
            },
        )
    if moved:
        status_lists.forget_signed_lists()
    return moved
