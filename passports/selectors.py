"""Reads for the training pages. Those that depend on who asks raise Http404 or PermissionDenied
themselves, so views never filter by owner.

`training_states` and `summarise_training` say where a worker's training stands on a given day;
the passport page uses them, and so can anything else that needs the same answer.
"""

from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db.models import Max, Q, QuerySet, Sum
from django.http import Http404
from django.utils import timezone

from accounts.models import Organisation, User
from accounts.permissions import can, require
from core.dates import format_day
from passports.models import (
    ImportBatch,
    MatchFailure,
    ProviderApproval,
    ProviderApprovalRequest,
    TrainingRecord,
    TrainingStandard,
)
from passports.services.records import ImportCheck, training_import_check
from register.models import RegisterEntry

Status = TrainingRecord.Status

DUE_SOON_DAYS = 60


# --- Where a worker's training stands -------------------------------------------------------


@dataclass(frozen=True)
class RecordState:
    """A verified record on a given day. `state` is "valid", "due" (it expires within
    DUE_SOON_DAYS days, and is still valid until then) or "expired"; `label` says it in words."""

    record: TrainingRecord
    state: str
    label: str

    @property
    def is_current(self) -> bool:
        return self.state != "expired"


@dataclass(frozen=True)
class NeededStandard:
    """A standard the worker's role requires and they do not hold today, and why."""

    standard: TrainingStandard
    reason: str


@dataclass(frozen=True)
class TrainingStates:
    """A worker's training on one day.

    counted: verified records, newest first, each with its state; not_counted: unverified,
    rejected and revoked records, which never count; needed: required standards with no
    currently valid verified record.
    """

    today: date
    counted: list[RecordState]
    not_counted: list[TrainingRecord]
    needed: list[NeededStandard]
    required: list[TrainingStandard]


def record_state(record: TrainingRecord, *, today: date) -> RecordState:
    """A verified record's state on `today`. Training expires on its expiry date: on that day it
    is no longer valid."""
    expires_on = record.expires_on
    if expires_on is None or expires_on > today + timedelta(days=DUE_SOON_DAYS):
        return RecordState(record, "valid", "Valid")
    if expires_on > today:
        return RecordState(record, "due", f"Due for renewal within {DUE_SOON_DAYS} days")
    return RecordState(record, "expired", f"Expired on {format_day(expires_on)}")


def summarise_training(
    *, records: list[TrainingRecord], required: list[TrainingStandard], today: date
) -> TrainingStates:
    """Where the training stands on `today`, from the records and required standards given.
    No database access: the same records and day always give the same answer."""
    counted = [
        record_state(record, today=today) for record in records if record.status == Status.VERIFIED
    ]
    not_counted = [record for record in records if record.status != Status.VERIFIED]
    current = {state.record.standard_id for state in counted if state.is_current}
    latest_expired: dict[int, date] = {}
    for state in counted:
        if not state.is_current:
            standard_id = state.record.standard_id
            latest_expired[standard_id] = max(
                state.record.expires_on, latest_expired.get(standard_id, state.record.expires_on)
            )
    waiting = {record.standard_id for record in not_counted if record.status == Status.UNVERIFIED}
    needed = []
    for standard in required:
        if standard.pk in current:
            continue
        if standard.pk in waiting:
            reason = "A record is waiting for a registrar to check it"
        elif standard.pk in latest_expired:
            reason = f"Expired on {format_day(latest_expired[standard.pk])}"
        else:
            reason = "Not recorded yet"
        needed.append(NeededStandard(standard, reason))
    return TrainingStates(
        today=today, counted=counted, not_counted=not_counted, needed=needed, required=required
    )


def training_states(*, entry: RegisterEntry, today: date) -> TrainingStates:
    """Every record of the entry with its state on `today`, and what the entry's pathway role
    still needs: active standards required for the role with no currently valid verified
    record. Expired training counts as needed."""
    records = list(
        TrainingRecord.objects.filter(entry=entry)
        .select_related("standard", "provider")
        .order_by("-completed_on", "-id")
    )
    required: list[TrainingStandard] = []
    if entry.pathway_role_id is not None:
        required = list(
            TrainingStandard.objects.filter(
                is_active=True, required_for=entry.pathway_role_id
            ).order_by("category", "title")
        )
    return summarise_training(records=records, required=required, today=today)


# --- The worker's own pages -----------------------------------------------------------------


@dataclass(frozen=True)
class PassportPage:
    entry: RegisterEntry
    training: TrainingStates
    may_add: bool
    passports: list


def passport_page(*, user: User, entry: RegisterEntry) -> PassportPage:
    require(user, "training.view", entry)
    return PassportPage(
        entry=entry,
        training=training_states(entry=entry, today=timezone.localdate()),
        may_add=entry.status != RegisterEntry.Status.REMOVED
        and can(user, "training.add_own", entry),
        passports=list(entry.passports.order_by("-issued_at")[:10]),
    )


def standards_active() -> QuerySet[TrainingStandard]:
    return TrainingStandard.objects.filter(is_active=True).order_by("category", "title")


# --- A training provider's pages ------------------------------------------------------------


def provider_get(*, user: User, pk: int) -> Organisation:
    """A training provider the user records for. To anyone else it does not exist."""
    provider = Organisation.objects.filter(pk=pk).first()
    if provider is None or not can(user, "training.record", provider):
        raise Http404("No such training provider.")
    return provider


def approval_request_get(*, user: User, provider: Organisation) -> ProviderApprovalRequest | None:
    """The provider's request to be approved, while no registrar has approved it."""
    require(user, "training.record", provider)
    return ProviderApprovalRequest.objects.filter(organisation=provider).first()


def provider_records(
    *, user: User, provider: Organisation, limit: int = 100
) -> list[TrainingRecord]:
    """The provider's most recently recorded records."""
    require(user, "training.record", provider)
    return list(
        TrainingRecord.objects.filter(provider=provider)
        .select_related("entry", "standard")
        .order_by("-recorded_at", "-id")[:limit]
    )


def provider_imports(*, user: User, provider: Organisation, limit: int = 20) -> list[ImportBatch]:
    require(user, "training.record", provider)
    return list(
        ImportBatch.objects.filter(provider=provider)
        .defer("content")
        .order_by("-created_at", "-id")[:limit]
    )


def provider_record_get(*, user: User, provider: Organisation, pk: int) -> TrainingRecord:
    """A record this provider made; any other record does not exist for its members."""
    require(user, "training.record", provider)
    record = (
        TrainingRecord.objects.select_related("entry", "standard")
        .filter(pk=pk, provider=provider)
        .first()
    )
    if record is None:
        raise Http404("No such record.")
    return record


def record_get_for_provider_member(*, user: User, pk: int) -> TrainingRecord:
    """A record made by a training provider the user records for, whichever it is; every other
    record, and every record to anyone else, does not exist. For callers that name the record
    but not the provider, such as the API."""
    record = (
        TrainingRecord.objects.select_related("entry", "standard", "provider")
        .filter(pk=pk, provider__isnull=False)
        .first()
    )
    if record is None or not can(user, "training.record", record.provider):
        raise Http404("No such record.")
    return record


def current_training_for_viewer(
    *, user: User, registration_number: str, today: date
) -> list[RecordState] | None:
    """The verified training of the entry with this number that is current on `today`, for a
    caller who may see that entry's training (the worker, or a registrar); None for anyone
    else, who is told nothing about whether the entry has any."""
    if not user.is_authenticated:
        # Nobody anonymous may see anyone's training: no need to look the entry up.
        return None
    entry = RegisterEntry.objects.filter(registration_number=registration_number).first()
    if entry is None or not can(user, "training.view", entry):
        return None
    return [
        state for state in training_states(entry=entry, today=today).counted if state.is_current
    ]


def import_batch_get(*, user: User, provider: Organisation, pk: int) -> ImportBatch:
    require(user, "training.record", provider)
    batch = ImportBatch.objects.filter(pk=pk, provider=provider).first()
    if batch is None:
        raise Http404("No such upload.")
    return batch


def import_preview(*, user: User, batch: ImportBatch) -> ImportCheck | None:
    """The file checked again now, as it would be committed; None once it is committed, when
    every row would only repeat what it recorded. Only a file whose every row matched a worker
    when it was uploaded is matched again: any other is checked for its own values alone, with
    the count of unmatched rows it was refused with, so that showing it never matches (and
    never answers) what its upload did not count."""
    require(user, "training.record", batch.provider)
    if batch.status == ImportBatch.Status.COMMITTED:
        return None
    today = timezone.localdate()
    if batch.unmatched_rows == 0:
        return training_import_check(text=batch.content, today=today)
    check = training_import_check(text=batch.content, today=today, match=False)
    return replace(check, unmatched_rows=batch.unmatched_rows)


# --- Registrars ------------------------------------------------------------------------------


def records_awaiting_decision(*, user: User) -> QuerySet[TrainingRecord]:
    """Unverified records, oldest first, except the registrar's own."""
    require(user, "training.decide")
    return (
        TrainingRecord.objects.filter(status=Status.UNVERIFIED)
        .exclude(entry__worker=user)
        .exclude(recorded_by=user)
        .select_related("entry", "standard", "provider", "evidence")
        .order_by("recorded_at", "id")
    )


def record_get_for_decision(*, user: User, pk: int) -> TrainingRecord:
    require(user, "training.decide")
    record = (
        TrainingRecord.objects.select_related(
            "entry", "standard", "provider", "evidence", "decided_by", "recorded_by"
        )
        .filter(pk=pk)
        .first()
    )
    if record is None:
        raise Http404("No such record.")
    require(user, "training.decide", record)
    return record


# --- Registrars: training providers and their failed matches --------------------------------


@dataclass(frozen=True)
class ProviderRow:
    """A training provider as a registrar sees it: its approval, and its failed matches."""

    provider: Organisation
    approval: ProviderApproval | None
    asked: ProviderApprovalRequest | None
    failed_today: int
    failed_total: int
    locked_out_today: bool

    @property
    def is_approved(self) -> bool:
        return self.approval is not None and self.approval.is_current


@dataclass(frozen=True)
class MemberFailures:
    """A provider's member with failed matches."""

    user: User
    failed_today: int
    failed_total: int
    last_at: object
    locked_out_today: bool


def _start_of_today():
    return timezone.make_aware(datetime.combine(timezone.localdate(), time.min))


def provider_get_for_registrar(*, user: User, pk: int) -> Organisation:
    """A training provider a registrar may approve; any other organisation does not exist."""
    require(user, "provider.approve")
    provider = Organisation.objects.filter(pk=pk, kind=Organisation.Kind.TRAINING_PROVIDER).first()
    if provider is None:
        raise Http404("No such training provider.")
    require(user, "provider.approve", provider)
    return provider


def providers_for_registrar(*, user: User) -> list[ProviderRow]:
    """Every training provider: those asking to be approved first, then those with failed
    matches today, then by name."""
    require(user, "provider.approve")
    limit = settings.TRAINING_MATCH_FAILURES_PER_DAY
    today = Q(occurred_at__gte=_start_of_today())
    failures = {
        row["provider"]: row
        for row in MatchFailure.objects.values("provider").annotate(
            total=Sum("failed"), today=Sum("failed", filter=today)
        )
    }
    approvals = {
        approval.organisation_id: approval
        for approval in ProviderApproval.objects.select_related("approved_by")
    }
    requests = {
        asked.organisation_id: asked
        for asked in ProviderApprovalRequest.objects.select_related("requested_by")
    }
    rows = []
    for provider in Organisation.objects.filter(kind=Organisation.Kind.TRAINING_PROVIDER):
        counted = failures.get(provider.pk, {})
        failed_today = counted.get("today") or 0
        rows.append(
            ProviderRow(
                provider=provider,
                approval=approvals.get(provider.pk),
                asked=requests.get(provider.pk),
                failed_today=failed_today,
                failed_total=counted.get("total") or 0,
                locked_out_today=failed_today >= limit,
            )
        )
    rows.sort(
        key=lambda row: (
            row.asked is None,
            -row.failed_today,
            row.provider.name.lower(),
            row.provider.pk,
        )
    )
    return rows


def members_with_failed_matches(*, user: User) -> list[MemberFailures]:
    """Every person whose recording named workers who did not match, most failures today
    first."""
    require(user, "provider.approve")
    limit = settings.TRAINING_MATCH_FAILURES_PER_DAY
    counted = (
        MatchFailure.objects.values("user")
        .annotate(
            total=Sum("failed"),
            today=Sum("failed", filter=Q(occurred_at__gte=_start_of_today())),
            last_at=Max("occurred_at"),
        )
        .order_by()
    )
    people = User.objects.in_bulk([row["user"] for row in counted])
    rows = [
        MemberFailures(
            user=people[row["user"]],
            failed_today=row["today"] or 0,
            failed_total=row["total"],
            last_at=row["last_at"],
            locked_out_today=(row["today"] or 0) >= limit,
        )
        for row in counted
    ]
    rows.sort(key=lambda row: (-row.failed_today, -row.last_at.timestamp()))
    return rows


def match_failures_recent(*, user: User, limit: int = 50) -> list[MatchFailure]:
    require(user, "provider.approve")
    return list(MatchFailure.objects.select_related("provider", "user")[:limit])
