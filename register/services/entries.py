"""Register entries: creation on approval, and every change of status after it."""

import logging
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from accounts.permissions import require
from core.audit import audit_log
from core.dates import format_day
from core.errors import ApplicationError
from core.names import name_search_form, normalise_town
from core.notifications import email_from_template
from register import registration_numbers
from register.models import (
    Annotation,
    Application,
    ConcernCategory,
    RegisterEntry,
    RegistrationNumberSequence,
    StatusChange,
)
from register.services.name_words import entry_name_words_update
from register.signals import entry_status_changed

logger = logging.getLogger(__name__)

Status = RegisterEntry.Status
Kind = Annotation.Kind


class EntryStatusError(ApplicationError):
    pass


def registration_number_issue() -> str:
    """The next registration number. Call inside the approving transaction: the locked row
    makes concurrent approvals wait their turn, so no two ever get the same number."""
    sequence, _ = RegistrationNumberSequence.objects.select_for_update().get_or_create(id=1)
    sequence.last_value += 1
    sequence.save(update_fields=["last_value"])
    return registration_numbers.format_number(sequence.last_value)


def next_renewal_due(from_date: date) -> date:
    return from_date + timedelta(days=settings.REGISTRATION_PERIOD_DAYS)


def entry_create(*, application: Application, approved_by: User) -> RegisterEntry:
    """Put an approved applicant on the register. The caller holds the application's lock."""
    today = timezone.localdate()
    entry = RegisterEntry.objects.create(
        worker=application.worker,
        application=application,
        registration_number=registration_number_issue(),
        full_name=application.legal_name,
        search_name=name_search_form(application.legal_name),
        search_town=normalise_town(application.town),
        pathway_role=application.pathway_role,
        status=Status.REGISTERED,
        registered_from=today,
        renewal_due=next_renewal_due(today),
    )
    entry_name_words_update(entry=entry)
    if application.employer_id:
        entry.employers.add(application.employer_id)
    StatusChange.objects.create(
        entry=entry,
        old_status="",
        new_status=entry.status,
        reason="Application approved.",
        changed_by=approved_by,
    )
    audit_log(
        action="register.entry.created",
        actor=approved_by,
        target=entry,
        new_status=entry.status,
        data={
            "registration_number": entry.registration_number,
            "application_id": application.pk,
            "renewal_due": entry.renewal_due,
        },
    )
    return entry


def _lock(entry: RegisterEntry) -> RegisterEntry:
    return RegisterEntry.objects.select_for_update().get(pk=entry.pk)


def _change_status(
    *,
    entry: RegisterEntry,
    to: str,
    reason: str,
    by: User | None,
    action: str,
    data: dict | None = None,
    **fields,
) -> RegisterEntry:
    """The one path for a status change: locked, checked against TRANSITIONS, saved, logged,
    and announced to the worker and, when it changes their right to practise, to employers."""
    reason = (reason or "").strip()
    if not reason:
        raise EntryStatusError("Give a reason for the change: the worker will see it.")
    entry = _lock(entry)
    old = entry.status
    if to not in RegisterEntry.TRANSITIONS[old]:
        raise EntryStatusError(
            f"An entry that is {entry.get_status_display().lower()} cannot become "
            f"{Status(to).label.lower()}."
        )
    entry.status = to
    entry.status_changed_at = timezone.now()
    for name, value in fields.items():
        setattr(entry, name, value)
    entry.save(update_fields=["status", "status_changed_at", *fields])
    # A voluntary removal takes the entry out of public search.
    entry_name_words_update(entry=entry)
    StatusChange.objects.create(
        entry=entry, old_status=old, new_status=to, reason=reason, changed_by=by
    )
    audit_log(
        action=action,
        actor=by,
        target=entry,
        old_status=old,
        new_status=to,
        data={"reason": reason, **(data or {}), **fields},
    )
    _notify_status_change(entry=entry, old_status=old, reason=reason, by=by)
    return entry


def _notify_status_change(
    *, entry: RegisterEntry, old_status: str, reason: str, by: User | None
) -> None:
    context = {
        "entry": entry,
        "old_status": Status(old_status).label if old_status else "",
        "new_status": entry.get_status_display(),
        "reason": reason,
    }
    email_from_template(to=[entry.worker.email], template="entry_status_worker", context=context)
    affects_practice = (old_status in RegisterEntry.PRACTISING) != entry.may_practise or (
        Status.REGISTERED_WITH_CONDITIONS in {old_status, entry.status}
    )
    # A removal on fitness to practise grounds is announced even from a suspension, which had
    # already stopped the worker practising: it is final, where the suspension was not.
    struck_off = (
        entry.status == Status.REMOVED
        and entry.removal_kind == RegisterEntry.RemovalKind.FITNESS_TO_PRACTISE
    )
    if not (affects_practice or struck_off):
        return
    # Employers hear that the status changed, never the reason: that can hold private detail.
    # Those the worker named when applying and those with the worker on their staff list.
    entry_status_changed.send(
        sender=RegisterEntry,
        entry=entry,
        context={**context, "old_status_code": old_status},
        by=by,
    )


def _category_checked(category: str) -> str:
    category = category or ""
    if category not in {"", *ConcernCategory.values}:
        raise EntryStatusError("Choose the category of the concern from the list.")
    return category


def _suspension_checked(kind: str, until: date | None, category: str) -> str:
    """The suspension's kind, end and category are possible together; returns the category."""
    if kind not in RegisterEntry.SuspensionKind.values:
        raise EntryStatusError("Choose whether this is an interim order or a sanction.")
    if until is None or until <= timezone.localdate():
        raise EntryStatusError("A suspension needs an end date in the future.")
    category = _category_checked(category)
    if category and kind != RegisterEntry.SuspensionKind.SANCTION:
        raise EntryStatusError(
            "Only a sanction has a category of concern: an interim order is made before the "
            "concern is decided."
        )
    return category


def entry_suspend(
    *,
    entry: RegisterEntry,
    registrar: User,
    kind: str,
    until: date,
    reason: str,
    category: str = "",
) -> RegisterEntry:
    """Suspend the entry until `until`. A sanction (a fitness to practise outcome) may carry the
    category of the concern, which the public register shows unless it is health; an interim
    order, made before the concern is decided, carries none."""
    require(registrar, "entry.manage", entry)
    category = _suspension_checked(kind, until, category)
    with transaction.atomic():
        return _change_status(
            entry=entry,
            to=Status.SUSPENDED,
            reason=reason,
            by=registrar,
            action="register.entry.suspended",
            suspension_kind=kind,
            suspended_until=until,
            sanction_category=category,
        )


def entry_end_suspension(*, entry: RegisterEntry, registrar: User, reason: str) -> RegisterEntry:
    require(registrar, "entry.manage", entry)
    with transaction.atomic():
        return _end_suspension(entry=entry, by=registrar, reason=reason)


def entry_end_interim_suspension_run_out(*, entry: RegisterEntry, reason: str) -> RegisterEntry:
    """The system ends an interim suspension whose order has run out (the concerns clock:
    suspensions_run_out never ends an interim one). Anything else is left as it is."""
    with transaction.atomic():
        entry = _lock(entry)
        if (
            entry.status != Status.SUSPENDED
            or entry.suspension_kind != RegisterEntry.SuspensionKind.INTERIM
        ):
            return entry
        return _end_suspension(entry=entry, by=None, reason=reason)


def _end_suspension(*, entry: RegisterEntry, by: User | None, reason: str) -> RegisterEntry:
    """No permission check: entry_end_suspension checks it, and sanctions_end_expired is the
    system's own (by=None). Call inside a transaction."""
    has_conditions = entry.annotations.filter(
        kind=Annotation.Kind.CONDITION, ended_at__isnull=True
    ).exists()
    return _change_status(
        entry=entry,
        to=Status.REGISTERED_WITH_CONDITIONS if has_conditions else Status.REGISTERED,
        reason=reason,
        by=by,
        action="register.entry.suspension_ended",
        suspension_kind="",
        suspended_until=None,
        sanction_category="",
    )


def entry_add_annotation(
    *,
    entry: RegisterEntry,
    registrar: User,
    kind: str,
    public_text: str,
    private_notes: str = "",
    is_health_related: bool = False,
    reason: str,
    ends_on: date | None = None,
    category: str = "",
) -> Annotation:
    """Add a condition, a warning or an annotation. A condition on a registered entry makes it
    'registered with conditions'; a warning changes no status, and is published until
    `ends_on`, which it must have. A condition or a warning may carry the category of the
    concern; one about health is never published, whatever its text."""
    require(registrar, "entry.manage", entry)
    if kind not in Annotation.Kind.values:
        raise EntryStatusError("Choose a condition, a warning or an annotation.")
    category = _category_checked(category)
    if category and kind == Kind.ANNOTATION:
        raise EntryStatusError("Only a condition or a warning has a category of concern.")
    if category == ConcernCategory.HEALTH:
        is_health_related = True
    today = timezone.localdate()
    if kind == Kind.WARNING and ends_on is None:
        raise EntryStatusError("Give the date the warning is published until.")
    if ends_on is not None:
        if kind == Kind.ANNOTATION:
            raise EntryStatusError("Only a condition or a warning has an end date.")
        if ends_on <= today:
            raise EntryStatusError(
                f"The date the {Kind(kind).label.lower()} ends must be in the future."
            )
    if not public_text.strip() and not is_health_related:
        raise EntryStatusError("Write the text that the public register will show.")
    with transaction.atomic():
        entry = _lock(entry)
        if entry.status == Status.REMOVED:
            raise EntryStatusError(
                "A removed entry cannot be given conditions, warnings or annotations."
            )
        annotation = Annotation.objects.create(
            entry=entry,
            kind=kind,
            public_text=public_text.strip(),
            private_notes=private_notes.strip(),
            is_health_related=is_health_related,
            ends_on=ends_on,
            category=category,
            created_by=registrar,
        )
        audit_log(
            action=f"register.{kind}.added",
            actor=registrar,
            target=entry,
            data={
                "annotation_id": annotation.pk,
                "health_related": is_health_related,
                "ends_on": ends_on,
                "category": category,
            },
        )
        if kind == Kind.CONDITION and entry.status == Status.REGISTERED:
            _change_status(
                entry=entry,
                to=Status.REGISTERED_WITH_CONDITIONS,
                reason=reason,
                by=registrar,
                action="register.entry.conditions_imposed",
            )
    return annotation


def entry_end_annotation(*, annotation: Annotation, registrar: User, reason: str) -> Annotation:
    """End a condition, warning or annotation. When the last condition ends, the entry is
    registered."""
    require(registrar, "entry.manage", annotation.entry)
    with transaction.atomic():
        return _end_annotation(annotation=annotation, by=registrar, reason=reason)


def _end_annotation(*, annotation: Annotation, by: User | None, reason: str) -> Annotation:
    """No permission check: entry_end_annotation checks it, and sanctions_end_expired is the
    system's own (by=None). Call inside a transaction."""
    entry = _lock(annotation.entry)
    annotation = Annotation.objects.select_for_update().get(pk=annotation.pk)
    if annotation.ended_at is not None:
        raise EntryStatusError("This has already ended.")
    annotation.ended_at = timezone.now()
    annotation.save(update_fields=["ended_at"])
    audit_log(
        action=f"register.{annotation.kind}.ended",
        actor=by,
        target=entry,
        data={"annotation_id": annotation.pk, "reason": reason},
    )
    conditions_left = entry.annotations.filter(
        kind=Annotation.Kind.CONDITION, ended_at__isnull=True
    ).exists()
    if entry.status == Status.REGISTERED_WITH_CONDITIONS and not conditions_left:
        _change_status(
            entry=entry,
            to=Status.REGISTERED,
            reason=reason,
            by=by,
            action="register.entry.conditions_lifted",
        )
    return annotation


def entry_lapse(*, entry: RegisterEntry, reason: str, by: User | None = None) -> RegisterEntry:
    with transaction.atomic():
        return _change_status(
            entry=entry, to=Status.LAPSED, reason=reason, by=by, action="register.entry.lapsed"
        )


def entry_restore(*, entry: RegisterEntry, reason: str, by: User | None) -> RegisterEntry:
    """Back on the register after a lapse, with a new renewal date a full period away."""
    today = timezone.localdate()
    with transaction.atomic():
        return _change_status(
            entry=entry,
            to=Status.REGISTERED,
            reason=reason,
            by=by,
            action="register.entry.restored",
            renewal_due=next_renewal_due(today),
        )


def entry_remove(
    *, entry: RegisterEntry, registrar: User, kind: str, reason: str, category: str = ""
) -> RegisterEntry:
    """Take the entry off the register. A removal on fitness to practise grounds may carry the
    category of the concern, which the public register shows unless it is health."""
    require(registrar, "entry.manage", entry)
    if kind not in RegisterEntry.RemovalKind.values:
        raise EntryStatusError("Choose a voluntary removal or a fitness to practise removal.")
    category = _category_checked(category)
    if category and kind != RegisterEntry.RemovalKind.FITNESS_TO_PRACTISE:
        raise EntryStatusError(
            "Only a removal on fitness to practise grounds has a category of concern."
        )
    with transaction.atomic():
        return _change_status(
            entry=entry,
            to=Status.REMOVED,
            reason=reason,
            by=registrar,
            action="register.entry.removed",
            removal_kind=kind,
            sanction_category=category,
        )


def entry_suspension_change(
    *,
    entry: RegisterEntry,
    registrar: User,
    kind: str,
    until: date,
    reason: str,
    category: str = "",
) -> RegisterEntry:
    """Change a suspension in force: an interim suspension becomes the sanction a concern's
    decision set, with its own end date and category. The worker stays suspended throughout,
    so employers and passports, who follow changes of status, have nothing new to hear; the
    worker is emailed and the history shows the change."""
    require(registrar, "entry.manage", entry)
    category = _suspension_checked(kind, until, category)
    reason = (reason or "").strip()
    if not reason:
        raise EntryStatusError("Give a reason for the change: the worker will see it.")
    with transaction.atomic():
        entry = _lock(entry)
        if entry.status != Status.SUSPENDED:
            raise EntryStatusError("Only a suspension in force can be changed.")
        old = {
            "suspension_kind": entry.suspension_kind,
            "suspended_until": entry.suspended_until,
            "sanction_category": entry.sanction_category,
        }
        entry.suspension_kind = kind
        entry.suspended_until = until
        entry.sanction_category = category
        entry.save(update_fields=["suspension_kind", "suspended_until", "sanction_category"])
        StatusChange.objects.create(
            entry=entry,
            old_status=Status.SUSPENDED,
            new_status=Status.SUSPENDED,
            reason=reason,
            changed_by=registrar,
        )
        audit_log(
            action="register.entry.suspension_changed",
            actor=registrar,
            target=entry,
            old_status=Status.SUSPENDED,
            new_status=Status.SUSPENDED,
            data={
                "reason": reason,
                "from": old,
                "suspension_kind": kind,
                "suspended_until": until,
                "sanction_category": category,
            },
        )
        email_from_template(
            to=[entry.worker.email],
            template="entry_status_worker",
            context={
                "entry": entry,
                "old_status": Status.SUSPENDED.label,
                "new_status": f"{Status.SUSPENDED.label} until {format_day(until)}",
                "reason": reason,
            },
        )
    return entry


def entry_remove_for_fitness_to_practise(
    *, entry: RegisterEntry, by: User | None, reason: str, category: str = ""
) -> RegisterEntry:
    """Remove on fitness to practise grounds a decision that can no longer be appealed: run by
    the concerns clock (by=None) or within a registrar's appeal decision, which the concerns
    services have already checked. Views call entry_remove, which checks the registrar."""
    category = _category_checked(category)
    with transaction.atomic():
        return _change_status(
            entry=entry,
            to=Status.REMOVED,
            reason=reason,
            by=by,
            action="register.entry.removed",
            removal_kind=RegisterEntry.RemovalKind.FITNESS_TO_PRACTISE,
            sanction_category=category,
        )


def entry_request_voluntary_removal(
    *, entry: RegisterEntry, worker: User, reason: str
) -> RegisterEntry:
    """A worker leaves the register. Not while suspended or under conditions: leaving must not
    become a way around a fitness to practise decision."""
    if entry.worker_id != worker.pk:
        raise EntryStatusError("You can only ask to remove your own entry.")
    with transaction.atomic():
        entry = _lock(entry)
        if entry.status in {Status.SUSPENDED, Status.REGISTERED_WITH_CONDITIONS}:
            raise EntryStatusError(
                "While you are suspended or have conditions, a registrar must agree to your "
                "removal. Contact the register's staff."
            )
        return _change_status(
            entry=entry,
            to=Status.REMOVED,
            reason=reason or "Asked to be removed from the register.",
            by=worker,
            action="register.entry.removed",
            removal_kind=RegisterEntry.RemovalKind.VOLUNTARY,
        )


# --- The clock ----------------------------------------------------------------------------------


def annotations_run_out(*, today: date):
    """Conditions and warnings whose last day is before `today` and which are not ended yet."""
    return Annotation.objects.filter(ended_at__isnull=True, ends_on__lt=today).order_by(
        "ends_on", "pk"
    )


def suspensions_run_out(*, today: date):
    """Sanction suspensions whose last day is before `today`. Never an interim order: a
    registrar ends one, or the case's decision, or the concerns clock once the order has run
    out (entry_end_interim_suspension_run_out)."""
    return RegisterEntry.objects.filter(
        status=Status.SUSPENDED,
        suspension_kind=RegisterEntry.SuspensionKind.SANCTION,
        suspended_until__lt=today,
    ).order_by("suspended_until", "pk")


@dataclass
class SanctionsEnded:
    """What sanctions_end_expired ended (or, in a dry run, would end), each as a line for
    people, and what it could not end."""

    annotations: list[str] = field(default_factory=list)
    suspensions: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)


def sanctions_end_expired(*, today: date, dry_run: bool = False) -> SanctionsEnded:
    """End every condition and warning whose end date has passed, then every sanction
    suspension whose end date has passed (back to registered, or registered with conditions if
    any remain), as the system (no registrar), each telling the worker and employers as a
    registrar's change would. Conditions go first, so an entry whose condition and suspension
    both ran out goes straight back to registered. Safe to run again: what has ended is not
    found twice."""
    ended = SanctionsEnded()
    # Read in full first: ending one changes the rows the query selects, and SQLite gives a
    # cursor no isolation from writes on its own connection.
    for annotation in list(annotations_run_out(today=today).select_related("entry")):
        line = (
            f"{annotation.get_kind_display().lower()} {annotation.pk} on "
            f"{annotation.entry.registration_number}, until {annotation.ends_on.isoformat()}"
        )
        if dry_run:
            ended.annotations.append(line)
            continue
        try:
            # One transaction each: one that fails leaves the others ended.
            with transaction.atomic():
                _lock(annotation.entry)
                current = annotations_run_out(today=today).filter(pk=annotation.pk).first()
                if current is None:
                    continue  # ended by a registrar since the query ran
                _end_annotation(
                    annotation=current,
                    by=None,
                    reason=f"The {current.get_kind_display().lower()} ran until "
                    f"{format_day(current.ends_on)}.",
                )
        except Exception:
            logger.exception("Could not end %s", line)
            ended.failed.append(line)
        else:
            ended.annotations.append(line)
    run_out = suspensions_run_out(today=today).values_list("pk", "registration_number")
    for pk, number in list(run_out):
        if dry_run:
            ended.suspensions.append(number)
            continue
        try:
            with transaction.atomic():
                entry = suspensions_run_out(today=today).select_for_update().filter(pk=pk).first()
                if entry is None:
                    continue  # changed by a registrar since the query ran
                _end_suspension(
                    entry=entry,
                    by=None,
                    reason=f"The suspension ran until {format_day(entry.suspended_until)}.",
                )
        except Exception:
            logger.exception("Could not end the suspension of %s", number)
            ended.failed.append(f"suspension of {number}")
        else:
            ended.suspensions.append(number)
    return ended
