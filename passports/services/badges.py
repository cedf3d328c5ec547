"""Single-record Open Badges 3.0 credentials: made once per record and served again, superseded
when the worker's details change, revoked with their record."""

from __future__ import annotations

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from core.audit import audit_log
from core.dates import format_day
from core.errors import ApplicationError
from passports import badges, credentials, keys, signing, status_lists
from passports.models import Passport, RecordBadge, TrainingRecord
from register.models import RegisterEntry

Status = RecordBadge.Status
ISSUER_NAME = credentials.ISSUER_NAME
_ISSUE_ATTEMPTS = 5


class BadgeError(ApplicationError):
    pass


def badge_url(public_id: str) -> str:
    """The badge's id, which is also where anyone can check it."""
    return settings.SITE_URL + reverse("passports:verify-badge-link", args=[public_id])


def subject_url(entry: RegisterEntry) -> str:
    """The worker's page on the public register, the badge's subject id."""
    return settings.SITE_URL + reverse("register:public-entry", args=[entry.registration_number])


def record_badge_get_or_issue(*, record: TrainingRecord, requested_by: User) -> RecordBadge:
    """The record's current badge, made and signed now if it has none. Only the worker's own
    verified training that has not expired: a badge says the training is valid, and a worker
    whose training has expired keeps it on their passport instead."""
    if record.entry.worker_id != requested_by.pk:
        raise BadgeError("You can only download badges for your own training.")
    key = keys.active_key()
    if key is None:
        raise BadgeError("No signing key: run manage.py signing_key create")
    with transaction.atomic():
        # Locking the record makes two downloads at once make one badge, and a revocation
        # wait for the badge to exist (and so revoke it).
        record = (
            TrainingRecord.objects.select_for_update(of=("self",))
            .select_related("entry", "standard", "provider")
            .get(pk=record.pk)
        )
        if record.status != TrainingRecord.Status.VERIFIED:
            raise BadgeError("Only verified training can be downloaded as a badge.")
        if record.entry.status == RegisterEntry.Status.REMOVED:
            raise BadgeError("This person has been removed from the register.")
        today = timezone.localdate()
        if record.expires_on is not None and record.expires_on <= today:
            raise BadgeError(
                f"{record.standard.title} expired on {format_day(record.expires_on)}, so it "
                "cannot be downloaded as a badge: a badge says the training is valid. It still "
                "shows on your passport."
            )
        current = record.badges.filter(status=Status.VALID).first()
        if current is not None:
            return current
        badge = _insert_signed(record=record, key=key)
        audit_log(
            action="passports.badge.issued",
            actor=requested_by,
            target=badge,
            new_status=badge.status,
            data={"public_id": badge.public_id, "record_id": record.pk, "kid": key.kid},
        )
    return badge


def _insert_signed(*, record: TrainingRecord, key) -> RecordBadge:
    private_key = keys.private_key_for(key)
    capacity = status_lists.list_capacity(RecordBadge)
    provider = record.provider.name if record.provider_id else record.provider_name
    for attempt in range(_ISSUE_ATTEMPTS):
        badge = RecordBadge(
            record=record,
            key=key,
            issued_at=timezone.now(),
            revocation_index=status_lists.random_free_index(
                purpose=status_lists.BADGE_REVOCATION, capacity=capacity
            ),
        )
        credential = badges.compose_record_badge(
            issuer_did=keys.register_did(),
            issuer_name=ISSUER_NAME,
            site_url=settings.SITE_URL,
            credential_id=badge_url(badge.public_id),
            subject_id=subject_url(record.entry),
            recipient_name=record.entry.full_name,
            registration_number=record.entry.registration_number,
            standard_code=record.standard.code,
            standard_title=record.standard.title,
            standard_category=record.standard.category,
            completed_on=record.completed_on,
            expires_on=record.expires_on,
            provider_name=provider or "the training provider",
            status_entry=credentials.status_entry(
                purpose=credentials.REVOCATION,
                index=badge.revocation_index,
                list_name=credentials.BADGE_REVOCATION,
            ),
        )
        badge.token = signing.sign_badge(
            badges.jwt_claims(credential),
            private_key=private_key,
            kid=keys.verification_method_id(key.kid),
        )
        try:
            with transaction.atomic():
                badge.save(force_insert=True)
        except IntegrityError:
            if attempt == _ISSUE_ATTEMPTS - 1:
                raise
            continue
        return badge
    raise AssertionError("unreachable")


def _end_badges(*, badges_query, to: str, reason_code: str, by: User, data: dict) -> list:
    ended = list(badges_query.select_for_update().filter(status=Status.VALID).order_by("id"))
    for badge in ended:
        badge.status = to
        badge.reason_code = reason_code
        badge.save(update_fields=["status", "reason_code"])
        audit_log(
            action=f"passports.badge.{to}",
            actor=by,
            target=badge,
            old_status=Status.VALID,
            new_status=to,
            data={"public_id": badge.public_id, "reason_code": reason_code, **data},
        )
    if ended:
        status_lists.forget_signed_lists()
    return ended


def badges_revoke_for_record(*, record: TrainingRecord, by: User) -> list[RecordBadge]:
    """Revoke the badges of a record that no longer stands. Runs inside the caller's
    transaction, so the record and its badges change together."""
    return _end_badges(
        badges_query=RecordBadge.objects.filter(record=record),
        to=Status.REVOKED,
        reason_code=Passport.ReasonCode.RECORD_REVOKED,
        by=by,
        data={"record_id": record.pk},
    )


def badges_supersede_for_entry(*, entry: RegisterEntry, by: User) -> list[RecordBadge]:
    """Supersede every valid badge of a worker whose signed details changed: the next download
    makes a new badge with the details as they are now."""
    return _end_badges(
        badges_query=RecordBadge.objects.filter(record__entry=entry),
        to=Status.SUPERSEDED,
        reason_code=Passport.ReasonCode.DETAILS_CHANGED,
        by=by,
        data={"entry_id": entry.pk},
    )


def badges_revoke_for_removal(*, entry: RegisterEntry, by: User | None) -> list[RecordBadge]:
    """Revoke every valid badge of a worker removed from the register on fitness to practise
    grounds, with that reason. A suspension leaves badges alone: they have no suspension list,
    and a revocation could never be undone when it ends; the online check of a badge reports
    the suspension. Runs inside the caller's transaction."""
    return _end_badges(
        badges_query=RecordBadge.objects.filter(record__entry=entry),
        to=Status.REVOKED,
        reason_code=Passport.ReasonCode.FITNESS_TO_PRACTISE,
        by=by,
        data={"entry_id": entry.pk},
    )
