"""Training records: recorded by a training provider one at a time or from a CSV file, added by
the worker with evidence, checked by a registrar, revoked by the provider that recorded them."""

import calendar
import hashlib
import time
from dataclasses import dataclass
from datetime import date
from pathlib import PurePath

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from accounts.models import Organisation, User
from accounts.permissions import can
from core.audit import audit_log
from core.errors import ApplicationError
from core.notifications import email_from_template
from passports import csv_import
from passports.csv_import import CsvFileError, RowError
from passports.models import ImportBatch, TrainingRecord, TrainingStandard
from passports.services.providers import (
    MatchLockedOut,
    ProviderNotApproved,
    locked_out_message,
    match_attempt_start,
    provider_is_approved,
    provider_require_approved,
)

__all__ = ["MatchLockedOut", "ProviderNotApproved", "provider_is_approved"]
from register.models import RegisterEntry
from register.registration_numbers import is_valid, normalise
from register.services.evidence import EvidenceError, evidence_upload

Status = TrainingRecord.Status

EARLIEST_COMPLETION = date(1970, 1, 1)
# Rejected and revoked records do not count, so the same training may be recorded again.
LIVE_STATUSES = (Status.VERIFIED, Status.UNVERIFIED)
# Both halves of the match get the same answer, so a wrong answer never tells a provider
# whether the registration number exists or the date of birth was wrong.
NO_MATCH = "no registered worker matches that registration number and date of birth"
# A file is never answered row by row about who matched: a row-by-row answer (or a count of
# rows ready to record) told a provider which of several guessed dates of birth was right.
ALREADY_RECORDED = "this training is already recorded for this worker on that date"
# Registration numbers looked up per query. One query for any file up to this size, and under
# every database's limit on query parameters (SQLite's can be as low as 32,766).
LOOKUP_CHUNK = 20_000
BULK_CREATE_BATCH = 1_000


class TrainingRecordError(ApplicationError):
    """A training record change the rules do not allow. `field` names the form field the
    message belongs next to, when there is one."""


class NoWorkerMatched(TrainingRecordError):
    """The registration number and date of birth match no registered worker; the attempt has
    counted towards the daily limit of failed matches."""


class ImportRefused(TrainingRecordError):
    """A CSV file whose rows do not all pass: nothing from it is stored."""

    def __init__(self, message: str, *, errors: list[RowError]):
        super().__init__(message)
        self.errors = errors


def _sentence(message: str) -> str:
    return message[:1].upper() + message[1:]


# --- Rules shared by single records and CSV rows ---------------------------------------------


def add_months(value: date, months: int) -> date:
    """The same day `months` calendar months later, or the month's last day if it is shorter:
    31 January plus one month is 28 (or 29) February."""
    month_index = value.month - 1 + months
    year = value.year + month_index // 12
    month = month_index % 12 + 1
    return date(year, month, min(value.day, calendar.monthrange(year, month)[1]))


def expiry_for(*, standard: TrainingStandard, completed_on: date) -> date | None:
    """When training completed on `completed_on` needs refreshing; None if it never does."""
    if standard.refresher_months is None:
        return None
    return add_months(completed_on, standard.refresher_months)


def completion_date_problem(completed_on: date, *, today: date) -> str | None:
    if completed_on > today:
        return "the completion date must be today or in the past"
    if completed_on < EARLIEST_COMPLETION:
        return "the completion date must be on or after 1 January 1970"
    return None


def standard_problem(standard: TrainingStandard | None, code: str = "") -> str | None:
    if standard is None:
        return f"there is no training standard with the code {code}"
    if not standard.is_active:
        return f"the standard {standard.code} is no longer in use"
    return None


def _is_already_recorded(*, entry_id: int, standard: TrainingStandard, completed_on: date) -> bool:
    return TrainingRecord.objects.filter(
        entry_id=entry_id, standard=standard, completed_on=completed_on, status__in=LIVE_STATUSES
    ).exists()


def _status_on_arrival(*, recorder: User, worker_id: int) -> str:
    # Only approved providers record at all. A provider's person recording their own training
    # does not verify it themselves.
    return Status.VERIFIED if worker_id != recorder.pk else Status.UNVERIFIED


class _NoMatch(Exception):
    pass


# --- Recorded by a provider, one at a time ---------------------------------------------------


def training_record_create_by_provider(
    *,
    provider: Organisation,
    recorded_by: User,
    registration_number: str,
    date_of_birth: date,
    standard: TrainingStandard,
    completed_on: date,
) -> TrainingRecord:
    """Record one piece of training a provider delivered. Only an approved provider may, and
    its record is verified at once. A number and date of birth that match nobody count towards
    the provider's and the member's daily limit of failed matches."""
    if not can(recorded_by, "training.record", provider):
        raise TrainingRecordError("Only members of this training provider can record for it.")
    provider_require_approved(provider)
    number = normalise(registration_number or "")
    if not is_valid(number):
        raise TrainingRecordError(
            "Enter a registration number like CR1000001H: this one is not valid, so check it "
            "for typos",
            field="registration_number",
        )
    problem = standard_problem(standard)
    if problem:
        raise TrainingRecordError(_sentence(problem), field="standard")
    problem = completion_date_problem(completed_on, today=timezone.localdate())
    if problem:
        raise TrainingRecordError(_sentence(problem), field="completed_on")
    attempt = match_attempt_start(provider=provider, user=recorded_by)
    try:
        record = _record_for_matched_worker(
            attempt=attempt,
            provider=provider,
            recorded_by=recorded_by,
            number=number,
            date_of_birth=date_of_birth,
            standard=standard,
            completed_on=completed_on,
        )
    except _NoMatch:
        attempt.fail(failed=1)  # The one failure is already counted, so it is within.
        raise NoWorkerMatched(_sentence(NO_MATCH)) from None
    return record


def _record_for_matched_worker(
    *,
    attempt,
    provider: Organisation,
    recorded_by: User,
    number: str,
    date_of_birth: date,
    standard: TrainingStandard,
    completed_on: date,
) -> TrainingRecord:
    with transaction.atomic():
        # Locking the entry makes the duplicate check hold against a CSV commit or another
        # provider recording the same training at the same moment.
        entry = (
            RegisterEntry.objects.select_for_update(of=("self",))
            .select_related("application")
            .exclude(status=RegisterEntry.Status.REMOVED)
            .filter(registration_number=number)
            .first()
        )
        if entry is None or entry.application.date_of_birth != date_of_birth:
            raise _NoMatch
        attempt.matched()
        if _is_already_recorded(entry_id=entry.pk, standard=standard, completed_on=completed_on):
            raise TrainingRecordError(_sentence(ALREADY_RECORDED))
        status = _status_on_arrival(recorder=recorded_by, worker_id=entry.worker_id)
        now = timezone.now()
        record = TrainingRecord.objects.create(
            entry=entry,
            standard=standard,
            completed_on=completed_on,
            expires_on=expiry_for(standard=standard, completed_on=completed_on),
            provider=provider,
            status=status,
            recorded_by=recorded_by,
            recorded_at=now,
            decided_by=recorded_by if status == Status.VERIFIED else None,
            decided_at=now if status == Status.VERIFIED else None,
        )
        audit_log(
            action="passports.record.recorded",
            actor=recorded_by,
            target=record,
            new_status=status,
            data={
                "registration_number": entry.registration_number,
                "standard": standard.code,
                "completed_on": completed_on,
                "provider_id": provider.pk,
            },
        )
    return record


# --- Added by the worker, with evidence -------------------------------------------------------


def training_record_add_by_worker(
    *,
    entry: RegisterEntry,
    worker: User,
    standard: TrainingStandard,
    completed_on: date,
    provider_name: str,
    upload: UploadedFile,
) -> TrainingRecord:
    """A worker adds training they did, with a certificate as evidence. It stays unverified,
    and does not count, until a registrar verifies it."""
    if not can(worker, "training.add_own", entry):
        raise TrainingRecordError("You can only add training to your own registration.")
    provider_name = (provider_name or "").strip()
    problem = standard_problem(standard)
    if problem:
        raise TrainingRecordError(_sentence(problem), field="standard")
    problem = completion_date_problem(completed_on, today=timezone.localdate())
    if problem:
        raise TrainingRecordError(_sentence(problem), field="completed_on")
    if not provider_name:
        raise TrainingRecordError("Enter the name of the training provider", field="provider_name")
    evidence = None
    try:
        with transaction.atomic():
            entry = RegisterEntry.objects.select_for_update().get(pk=entry.pk)
            if entry.status == RegisterEntry.Status.REMOVED:
                raise TrainingRecordError(
                    "Your entry has been removed from the register, so training can no longer "
                    "be added to it."
                )
            if _is_already_recorded(
                entry_id=entry.pk, standard=standard, completed_on=completed_on
            ):
                raise TrainingRecordError(_sentence(ALREADY_RECORDED))
            try:
                evidence = evidence_upload(owner=worker, uploaded_by=worker, upload=upload)
            except EvidenceError as error:
                raise TrainingRecordError(str(error), field="upload") from None
            record = TrainingRecord.objects.create(
                entry=entry,
                standard=standard,
                completed_on=completed_on,
                expires_on=expiry_for(standard=standard, completed_on=completed_on),
                provider_name=provider_name[:200],
                evidence=evidence,
                status=Status.UNVERIFIED,
                recorded_by=worker,
            )
            audit_log(
                action="passports.record.added",
                actor=worker,
                target=record,
                new_status=Status.UNVERIFIED,
                data={
                    "standard": standard.code,
                    "completed_on": completed_on,
                    "provider_name": record.provider_name,
                    "evidence_id": evidence.pk,
                },
            )
    except Exception:
        if evidence is not None:
            # The evidence row went with the transaction; its file must not stay behind.
            evidence.file.delete(save=False)
        raise
    return record


# --- A registrar's decision, and revocation ---------------------------------------------------


def training_record_decide(
    *, record: TrainingRecord, registrar: User, verify: bool, reason: str = ""
) -> TrainingRecord:
    """A registrar verifies an unverified record, or rejects it with a reason the worker sees."""
    if not can(registrar, "training.decide", record):
        raise TrainingRecordError(
            "Only a registrar with two-factor authentication can check training records, and "
            "never their own."
        )
    reason = (reason or "").strip()
    if not verify and not reason:
        raise TrainingRecordError(
            "Give the reason for rejecting the record: the worker will see it", field="reason"
        )
    target = Status.VERIFIED if verify else Status.REJECTED
    with transaction.atomic():
        record = (
            TrainingRecord.objects.select_for_update(of=("self",))
            .select_related("entry__worker", "standard")
            .get(pk=record.pk)
        )
        if target not in TrainingRecord.TRANSITIONS[record.status]:
            raise TrainingRecordError(
                "This record has already been decided: it is "
                f"{record.get_status_display().lower()}."
            )
        old_status = record.status
        record.status = target
        record.status_reason = reason
        record.decided_by = registrar
        record.decided_at = timezone.now()
        record.save(update_fields=["status", "status_reason", "decided_by", "decided_at"])
        audit_log(
            action=f"passports.record.{target}",
            actor=registrar,
            target=record,
            old_status=old_status,
            new_status=target,
            data={"entry_id": record.entry_id, "standard": record.standard.code, "reason": reason},
        )
        email_from_template(
            to=[record.entry.worker.email],
            template="training_record_decided",
            context={"record": record, "entry": record.entry, "verified": verify},
        )
    return record


def training_record_revoke(*, record: TrainingRecord, by: User, reason: str) -> TrainingRecord:
    """Withdraw a verified record after the fact: by the provider that recorded it, or by a
    registrar. The worker is told why."""
    if not can(by, "training.revoke", record):
        raise TrainingRecordError(
            "Only the training provider that recorded this training, or a registrar, can revoke it."
        )
    reason = (reason or "").strip()
    if not reason:
        raise TrainingRecordError(
            "Give the reason for revoking the record: the worker will see it", field="reason"
        )
    with transaction.atomic():
        record = (
            TrainingRecord.objects.select_for_update(of=("self",))
            .select_related("entry__worker", "standard")
            .get(pk=record.pk)
        )
        if Status.REVOKED not in TrainingRecord.TRANSITIONS[record.status]:
            raise TrainingRecordError(
                f"Only a verified record can be revoked, and this one is "
                f"{record.get_status_display().lower()}."
            )
        old_status = record.status
        record.status = Status.REVOKED
        record.status_reason = reason
        record.decided_by = by
        record.decided_at = timezone.now()
        record.save(update_fields=["status", "status_reason", "decided_by", "decided_at"])
        audit_log(
            action="passports.record.revoked",
            actor=by,
            target=record,
            old_status=old_status,
            new_status=Status.REVOKED,
            data={
                "entry_id": record.entry_id,
                "standard": record.standard.code,
                "provider_id": record.provider_id,
                "reason": reason,
            },
        )
        # Imported here: the passport services reach this module through passports.selectors.
        from passports.services.badges import badges_revoke_for_record
        from passports.services.passports import passports_suspend_for_record

        # In the same transaction: no moment in which the record is revoked and a passport
        # or a badge carrying it still verifies.
        suspended = passports_suspend_for_record(record=record, by=by)
        revoked_badges = badges_revoke_for_record(record=record, by=by)
        email_from_template(
            to=[record.entry.worker.email],
            template="training_record_revoked",
            context={
                "record": record,
                "entry": record.entry,
                "suspended": len(suspended),
                "badge_revoked": bool(revoked_badges),
            },
        )
    return record


# --- CSV import --------------------------------------------------------------------------------


@dataclass(frozen=True)
class CheckedRow:
    line: int
    entry_id: int
    worker_id: int
    standard: TrainingStandard
    completed_on: date


@dataclass(frozen=True)
class ImportCheck:
    """Every row of a file checked, in three steps that each stop the file: the rows' own
    values, line by line; then whether every row names a registered worker, answered only with
    the number of rows that do not (`unmatched_rows`, None when the rows were not matched);
    then what the register holds, line by line."""

    row_count: int
    rows: list[CheckedRow]
    errors: list[RowError]
    seconds: float
    unmatched_rows: int | None = None
    # Registration numbers among the unmatched rows: each one is a failed match.
    failed_matches: int = 0

    @property
    def is_ready(self) -> bool:
        return self.row_count > 0 and not self.errors and self.unmatched_rows == 0


def unmatched_message(count: int) -> str:
    rows = f"{count:,} row{'s' if count != 1 else ''}"
    return (
        f"{rows} of this file {'do' if count != 1 else 'does'} not match a registered worker: "
        "the registration number and date of birth on a row must both match the worker's "
        "registration. Nothing was recorded. To protect workers' personal details we do not "
        "say which rows: check every registration number and date of birth with the workers, "
        "and upload the file again. Each one that does not match counts towards your daily "
        "limit."
    )


def _chunks(values: list, size: int = LOOKUP_CHUNK):
    for start in range(0, len(values), size):
        yield values[start : start + size]


def _entries_by_number(numbers: set[str], *, lock: bool) -> dict[str, tuple[int, int, date]]:
    """registration number -> (entry id, worker id, date of birth) for every entry not removed."""
    found: dict[str, tuple[int, int, date]] = {}
    for chunk in _chunks(sorted(numbers)):
        entries = RegisterEntry.objects.filter(registration_number__in=chunk).exclude(
            status=RegisterEntry.Status.REMOVED
        )
        if lock:
            # In registration number order, so two imports lock shared entries in the same
            # order and cannot deadlock each other.
            entries = entries.select_for_update(of=("self",)).order_by("registration_number")
        for number, entry_id, worker_id, born in entries.values_list(
            "registration_number", "id", "worker_id", "application__date_of_birth"
        ):
            found[number] = (entry_id, worker_id, born)
    return found


def _live_records(entry_ids: set[int]) -> set[tuple[int, int, date]]:
    keys: set[tuple[int, int, date]] = set()
    for chunk in _chunks(sorted(entry_ids)):
        keys.update(
            TrainingRecord.objects.filter(entry_id__in=chunk, status__in=LIVE_STATUSES).values_list(
                "entry_id", "standard_id", "completed_on"
            )
        )
    return keys


@dataclass(frozen=True)
class _Content:
    """A file whose rows' own values are checked: nothing in it is looked up on the register."""

    row_count: int
    rows: list  # ParsedRow, with the standard each names
    errors: list[RowError]
    started: float


def _check_content(text: str, *, today: date) -> _Content:
    started = time.perf_counter()
    parsed = csv_import.parse(text)
    errors = list(parsed.errors)
    standards = {standard.code: standard for standard in TrainingStandard.objects.all()}
    first_line: dict[tuple[str, str, date], int] = {}
    born_on: dict[str, tuple[date, int]] = {}
    rows = []
    for row in parsed.rows:
        problems = []
        standard = standards.get(row.standard_code)
        problem = standard_problem(standard, row.standard_code)
        if problem:
            problems.append(problem)
        problem = completion_date_problem(row.completed_on, today=today)
        if problem:
            problems.append(problem)
        # One date of birth per worker in a file: several would be several guesses at it.
        given = born_on.setdefault(row.registration_number, (row.date_of_birth, row.line))
        if given[0] != row.date_of_birth:
            problems.append(
                f"this row gives {row.registration_number} a different date of birth from "
                f"line {given[1]}: a worker has one date of birth"
            )
        if not problems:
            key = (row.registration_number, row.standard_code, row.completed_on)
            if key in first_line:
                problems.append(f"this row repeats line {first_line[key]}")
            else:
                first_line[key] = row.line
        if problems:
            errors.extend(RowError(row.line, problem) for problem in problems)
        else:
            rows.append((row, standard))
    errors.sort(key=lambda error: error.line)
    return _Content(row_count=parsed.row_count, rows=rows, errors=errors, started=started)


def _check_against_register(content: _Content, *, lock: bool) -> ImportCheck:
    def done(**outcome) -> ImportCheck:
        return ImportCheck(
            row_count=content.row_count, seconds=time.perf_counter() - content.started, **outcome
        )

    if content.errors or not content.rows:
        return done(rows=[], errors=content.errors)
    entries = _entries_by_number({row.registration_number for row, _ in content.rows}, lock=lock)
    unmatched = [
        row
        for row, _standard in content.rows
        if (match := entries.get(row.registration_number)) is None or match[2] != row.date_of_birth
    ]
    if unmatched:
        return done(
            rows=[],
            errors=[],
            unmatched_rows=len(unmatched),
            failed_matches=len({row.registration_number for row in unmatched}),
        )
    live = _live_records({entry_id for entry_id, _worker, _born in entries.values()})
    rows: list[CheckedRow] = []
    errors: list[RowError] = []
    for row, standard in content.rows:
        entry_id, worker_id, _born = entries[row.registration_number]
        if (entry_id, standard.pk, row.completed_on) in live:
            errors.append(RowError(row.line, ALREADY_RECORDED))
        else:
            rows.append(CheckedRow(row.line, entry_id, worker_id, standard, row.completed_on))
    return done(rows=rows if not errors else [], errors=errors, unmatched_rows=0)


def training_import_check(
    *, text: str, today: date, lock: bool = False, match: bool = True
) -> ImportCheck:
    """Check every row of a CSV file with the rules a single record follows, in a handful of
    queries whatever the file's size. Raises CsvFileError when the file itself is unusable.

    Without `match`, only the rows' own values are checked and nothing is looked up. With
    `lock`, the matched entries stay locked until the surrounding transaction ends.
    """
    content = _check_content(text, today=today)
    if not match:
        return ImportCheck(
            row_count=content.row_count,
            rows=[],
            errors=content.errors,
            seconds=time.perf_counter() - content.started,
        )
    return _check_against_register(content, lock=lock)


def _batch_create(
    *,
    provider: Organisation,
    uploaded_by: User,
    upload: UploadedFile,
    raw: bytes,
    text: str,
    check: ImportCheck,
) -> ImportBatch:
    status = ImportBatch.Status.PREVIEWED if check.is_ready else ImportBatch.Status.FAILED
    with transaction.atomic():
        batch = ImportBatch.objects.create(
            provider=provider,
            uploaded_by=uploaded_by,
            file_name=PurePath(upload.name or "upload.csv").name[:200],
            sha256=hashlib.sha256(raw).hexdigest(),
            content=text,
            row_count=check.row_count,
            unmatched_rows=check.unmatched_rows,
            status=status,
        )
        audit_log(
            action="passports.import.uploaded",
            actor=uploaded_by,
            target=batch,
            new_status=status,
            data={
                "provider_id": provider.pk,
                "rows": check.row_count,
                "errors": len(check.errors),
                "unmatched_rows": check.unmatched_rows,
                "sha256": batch.sha256,
            },
        )
    return batch


def training_import_upload(
    *, provider: Organisation, uploaded_by: User, upload: UploadedFile
) -> tuple[ImportBatch, ImportCheck]:
    """Check a provider's CSV file and keep it for the preview. Nothing is recorded yet; a file
    with any error is kept as failed, so it can be shown but never committed. Only an approved
    provider may upload, and rows that match no registered worker refuse the whole file with
    their number alone, counted towards the daily limit of failed matches."""
    if not can(uploaded_by, "training.record", provider):
        raise TrainingRecordError("Only members of this training provider can record for it.")
    provider_require_approved(provider)
    limit_mb = csv_import.MAX_BYTES // (1024 * 1024)
    if upload.size is not None and upload.size > csv_import.MAX_BYTES:
        raise TrainingRecordError(f"The file must be smaller than {limit_mb} MB", field="upload")
    upload.seek(0)
    raw = upload.read(csv_import.MAX_BYTES + 1)
    if len(raw) > csv_import.MAX_BYTES:
        raise TrainingRecordError(f"The file must be smaller than {limit_mb} MB", field="upload")
    try:
        text = csv_import.decode(raw)
        content = _check_content(text, today=timezone.localdate())
    except CsvFileError as error:
        raise TrainingRecordError(str(error), field="upload") from None
    if content.row_count == 0:
        raise TrainingRecordError(
            "The file has a header line but no rows of training to record", field="upload"
        )
    made = dict(provider=provider, uploaded_by=uploaded_by, upload=upload, raw=raw, text=text)
    if content.errors:
        check = _check_against_register(content, lock=False)  # Stops before any lookup.
        return _batch_create(**made, check=check), check
    attempt = match_attempt_start(provider=provider, user=uploaded_by)
    check = _check_against_register(content, lock=False)
    if not check.unmatched_rows:
        attempt.matched()
        return _batch_create(**made, check=check), check
    within, batch = attempt.fail(
        failed=check.failed_matches, keep=lambda: _batch_create(**made, check=check)
    )
    if not within:
        # Past the limit the file is not kept and its count not shown: the count would tell
        # whether one more guess in it was right.
        raise MatchLockedOut(locked_out_message())
    return batch, check


def _import_fail(*, batch: ImportBatch, by: User, errors: int) -> None:
    with transaction.atomic():
        batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
        if batch.status != ImportBatch.Status.PREVIEWED:
            return
        batch.status = ImportBatch.Status.FAILED
        batch.save(update_fields=["status"])
        audit_log(
            action="passports.import.failed",
            actor=by,
            target=batch,
            old_status=ImportBatch.Status.PREVIEWED,
            new_status=ImportBatch.Status.FAILED,
            data={"provider_id": batch.provider_id, "rows": batch.row_count, "errors": errors},
        )


def training_import_commit(*, batch: ImportBatch, committed_by: User) -> ImportBatch:
    """Record every row of a previewed file, or none. The rows are checked again first, because
    the register may have changed since the preview; any error refuses the whole file."""
    if not can(committed_by, "training.record", batch.provider):
        raise TrainingRecordError("Only members of this training provider can record for it.")
    provider_require_approved(batch.provider)
    try:
        with transaction.atomic():
            batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
            if batch.status == ImportBatch.Status.COMMITTED:
                raise TrainingRecordError("This file has already been recorded.")
            if batch.status != ImportBatch.Status.PREVIEWED:
                raise TrainingRecordError(
                    "This file has errors, so nothing in it can be recorded. Correct them and "
                    "upload the file again."
                )
            try:
                check = training_import_check(
                    text=batch.content, today=timezone.localdate(), lock=True
                )
            except CsvFileError as error:
                raise ImportRefused(str(error), errors=[]) from None
            if check.unmatched_rows:
                # Every row matched when the file was uploaded: the register changed since.
                raise ImportRefused(
                    f"Nothing was recorded: {check.unmatched_rows:,} row(s) no longer match a "
                    "registered worker, because the register changed since the preview. "
                    "Check them and upload the file again.",
                    errors=[],
                )
            if not check.is_ready:
                raise ImportRefused(
                    f"Nothing was recorded: {len(check.errors)} row(s) no longer pass the "
                    "checks, because the register changed since the preview. Correct them and "
                    "upload the file again.",
                    errors=check.errors,
                )
            now = timezone.now()
            records = []
            for row in check.rows:
                status = _status_on_arrival(recorder=committed_by, worker_id=row.worker_id)
                verified = status == Status.VERIFIED
                records.append(
                    TrainingRecord(
                        entry_id=row.entry_id,
                        standard=row.standard,
                        completed_on=row.completed_on,
                        expires_on=expiry_for(standard=row.standard, completed_on=row.completed_on),
                        provider_id=batch.provider_id,
                        status=status,
                        recorded_by=committed_by,
                        recorded_at=now,
                        decided_by=committed_by if verified else None,
                        decided_at=now if verified else None,
                        batch=batch,
                    )
                )
            TrainingRecord.objects.bulk_create(records, batch_size=BULK_CREATE_BATCH)
            batch.status = ImportBatch.Status.COMMITTED
            batch.committed_at = now
            batch.save(update_fields=["status", "committed_at"])
            verified_count = sum(1 for record in records if record.status == Status.VERIFIED)
            # One event for the file, not one per row: the batch id leads to every record.
            audit_log(
                action="passports.import.committed",
                actor=committed_by,
                target=batch,
                old_status=ImportBatch.Status.PREVIEWED,
                new_status=ImportBatch.Status.COMMITTED,
                data={
                    "provider_id": batch.provider_id,
                    "rows": len(records),
                    "verified": verified_count,
                    "unverified": len(records) - verified_count,
                    "sha256": batch.sha256,
                },
            )
    except ImportRefused as refusal:
        _import_fail(batch=batch, by=committed_by, errors=len(refusal.errors))
        raise
    return batch
