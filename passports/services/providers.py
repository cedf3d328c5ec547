"""Training providers: a registrar approves one before it may record any training, and withdraws
the approval; and the daily limit on registration numbers with dates of birth that match no
registered worker, which would otherwise let a provider guess a worker's date of birth."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from accounts.models import Organisation, User
from accounts.permissions import can
from core.audit import audit_log
from core.dates import format_day
from core.errors import ApplicationError
from core.ratelimit import Hit, RateLimit
from passports.models import (
    ImportBatch,
    MatchFailure,
    ProviderApproval,
    ProviderApprovalRequest,
)


class ProviderApprovalError(ApplicationError):
    """An approval change the rules do not allow."""


class ProviderNotApproved(ApplicationError):
    """A provider no registrar has approved (or whose approval was withdrawn) tried to record."""


class MatchLockedOut(ApplicationError):
    """Too many failed matches today: recording is paused until tomorrow."""


def not_approved_message(provider: Organisation) -> str:
    return (
        f"{provider.name} cannot record or upload training yet: a registrar must approve it as "
        "a training provider first. To ask, a member of the organisation signs in and sends "
        "“Ask a registrar to approve” from its training records page, saying what training it "
        "delivers; a registrar checks the organisation and approves it. Nothing was recorded."
    )


def locked_out_message() -> str:
    limit = settings.TRAINING_MATCH_FAILURES_PER_DAY
    return (
        "Recording training is paused until tomorrow: today your organisation or your account "
        f"gave more than {limit} registration numbers with dates of birth that match no "
        "registered worker. Nothing was recorded. Check the numbers and dates of birth with "
        "the workers before you try again tomorrow. The register's staff can see these attempts."
    )


def provider_is_approved(provider: Organisation) -> bool:
    return ProviderApproval.objects.filter(
        organisation=provider, withdrawn_at__isnull=True
    ).exists()


def provider_require_approved(provider: Organisation) -> None:
    """Raise ProviderNotApproved unless a registrar's approval of the provider is current."""
    if not provider_is_approved(provider):
        raise ProviderNotApproved(not_approved_message(provider))


# --- A provider asks, a registrar approves and withdraws ------------------------------------


def provider_approval_request(
    *, provider: Organisation, user: User, about: str
) -> ProviderApprovalRequest:
    """A member of a training provider asks registrars to approve it."""
    if not can(user, "training.record", provider):
        raise ProviderApprovalError("Only members of this training provider can ask for it.")
    about = (about or "").strip()
    if not about:
        raise ProviderApprovalError(
            "Say what training your organisation delivers, for the registrar who checks it",
            field="about",
        )
    with transaction.atomic():
        provider = Organisation.objects.select_for_update().get(pk=provider.pk)
        if provider_is_approved(provider):
            raise ProviderApprovalError(f"{provider.name} is already approved.")
        asked = ProviderApprovalRequest.objects.filter(organisation=provider).first()
        if asked is not None:
            raise ProviderApprovalError(
                f"{provider.name} has already asked to be approved, on "
                f"{format_day(asked.requested_at)}: a registrar will look at it."
            )
        asked = ProviderApprovalRequest.objects.create(
            organisation=provider, requested_by=user, about=about[:2000]
        )
        audit_log(
            action="passports.provider.approval_requested",
            actor=user,
            target=provider,
            data={"provider_id": provider.pk},
        )
    return asked


def provider_approve(*, provider: Organisation, registrar: User) -> ProviderApproval:
    """A registrar approves a training provider, or approves it again after a withdrawal."""
    if not can(registrar, "provider.approve", provider):
        raise ProviderApprovalError(
            "Only a registrar with two-factor authentication can approve a training provider, "
            "and never one they belong to."
        )
    with transaction.atomic():
        provider = Organisation.objects.select_for_update().get(pk=provider.pk)
        approval = ProviderApproval.objects.filter(organisation=provider).first()
        if approval is not None and approval.is_current:
            raise ProviderApprovalError(f"{provider.name} is already approved.")
        now = timezone.now()
        old_status = "withdrawn" if approval is not None else ""
        # Once approved, the request has been answered.
        ProviderApprovalRequest.objects.filter(organisation=provider).delete()
        if approval is None:
            approval = ProviderApproval.objects.create(
                organisation=provider, approved_by=registrar, approved_at=now
            )
        else:
            approval.approved_by = registrar
            approval.approved_at = now
            approval.withdrawn_at = None
            approval.withdrawn_by = None
            approval.save(
                update_fields=["approved_by", "approved_at", "withdrawn_at", "withdrawn_by"]
            )
        audit_log(
            action="passports.provider.approved",
            actor=registrar,
            target=provider,
            old_status=old_status,
            new_status="approved",
            data={"provider_id": provider.pk},
        )
    return approval


def provider_approval_withdraw(*, provider: Organisation, registrar: User) -> ProviderApproval:
    """A registrar withdraws a provider's approval: it can record no more training until it is
    approved again. What it recorded before stays as it is."""
    if not can(registrar, "provider.approve", provider):
        raise ProviderApprovalError(
            "Only a registrar with two-factor authentication can withdraw an approval, and "
            "never from a provider they belong to."
        )
    with transaction.atomic():
        approval = (
            ProviderApproval.objects.select_for_update().filter(organisation=provider).first()
        )
        if approval is None or not approval.is_current:
            raise ProviderApprovalError(
                f"{provider.name} is not approved, so there is nothing to withdraw."
            )
        approval.withdrawn_at = timezone.now()
        approval.withdrawn_by = registrar
        approval.save(update_fields=["withdrawn_at", "withdrawn_by"])
        audit_log(
            action="passports.provider.withdrawn",
            actor=registrar,
            target=provider,
            old_status="approved",
            new_status="withdrawn",
            data={"provider_id": provider.pk},
        )
    return approval


# --- Failed matches --------------------------------------------------------------------------


def _match_failures_limit() -> RateLimit:
    # The local date is in every key, so each day counts afresh from midnight. A window of two
    # whole days (two UTC-day slices) holds every hit of one local day, which touches at most two
    # UTC days in summer time, and nothing else: each key's count is exactly that day's.
    return RateLimit(
        "training-match-failures",
        limit=settings.TRAINING_MATCH_FAILURES_PER_DAY,
        period=2 * 86400,
        slices=2,
    )


def _keys(*, provider: Organisation, user: User, today: date) -> list[str]:
    return [f"provider:{provider.pk}:{today.isoformat()}", f"user:{user.pk}:{today.isoformat()}"]


@dataclass
class MatchAttempt:
    """One failure counted, before anything is matched, against the provider and the member. A
    match gives it back; a file that fails more than one match counts the rest with `fail`."""

    provider: Organisation
    user: User
    today: date
    first: Hit

    def matched(self) -> None:
        self.first.take_back()

    def fail(
        self, *, failed: int, keep: Callable[[], ImportBatch] | None = None
    ) -> tuple[bool, ImportBatch | None]:
        """Count `failed` failed matches in all (the first already is) and keep them for the
        registrars. Say whether the limit still holds (False: locked out now), with the refused
        file `keep` makes and keeps beside them, made only while within the limit."""
        keys = _keys(provider=self.provider, user=self.user, today=self.today)
        limit = _match_failures_limit()
        within = True
        for _ in range(max(failed - 1, 0)):
            # Past the limit there is nothing more to learn from counting: stop at the first
            # refusal, which is taken back.
            if not limit.hit(*keys).allowed:
                within = False
                break
        reached = not within or max(limit.count(key) for key in keys) >= limit.limit
        with transaction.atomic():
            batch = keep() if keep is not None and within else None
            MatchFailure.objects.create(
                provider=self.provider,
                user=self.user,
                failed=failed,
                batch=batch,
                locked_out=reached,
            )
            audit_log(
                action="passports.match.failed",
                actor=self.user,
                target=self.provider,
                data={
                    "provider_id": self.provider.pk,
                    "failed": failed,
                    "batch_id": batch.pk if batch else None,
                    "locked_out": reached,
                },
            )
        return within, batch


def match_attempt_start(*, provider: Organisation, user: User) -> MatchAttempt:
    """Count one failed match before looking anyone up, so that attempts made at once cannot
    all pass a limit they would each have read as not reached. Raises MatchLockedOut past it."""
    today = timezone.localdate()
    hit = _match_failures_limit().hit(*_keys(provider=provider, user=user, today=today))
    if not hit.allowed:
        with transaction.atomic():
            audit_log(
                action="passports.match.locked_out",
                actor=user,
                target=provider,
                data={"provider_id": provider.pk},
            )
        raise MatchLockedOut(locked_out_message())
    return MatchAttempt(provider=provider, user=user, today=today, first=hit)
