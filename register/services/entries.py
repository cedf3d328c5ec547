"""Register entries: creation on approval, and every change of status after it."""

from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from accounts.permissions import require
from core.audit import audit_log
from core.errors import ApplicationError
from core.names import name_search_form, normalise_town
from core.notifications import email_from_template
from register import registration_numbers
from register.models import (
    Annotation,
    Application,
    RegisterEntry,
    RegistrationNumberSequence,
    StatusChange,
)
from register.services.name_words import entry_name_words_update
from register.signals import entry_status_changed

Status = RegisterEntry.Status


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
    _notify_status_change(entry=entry, old_status=old, reason=reason)
    return entry


def _notify_status_change(*, entry: RegisterEntry, old_status: str, reason: str) -> None:
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
    if not affects_practice:
        return
    # Employers hear that the status changed, never the reason: that can hold private detail.
    # Those the worker named when applying and those with the worker on their staff list.
    entry_status_changed.send(
        sender=RegisterEntry, entry=entry, context={**context, "old_status_code": old_status}
    )


def entry_suspend(
    *, entry: RegisterEntry, registrar: User, kind: str, until: date, reason: str
) -> RegisterEntry:
    require(registrar, "entry.manage", entry)
    if kind not in RegisterEntry.SuspensionKind.values:
        raise EntryStatusError("Choose whether this is an interim order or a sanction.")
    if until is None or until <= timezone.localdate():
        raise EntryStatusError("A suspension needs an end date in the future.")
    with transaction.atomic():
        return _change_status(
            entry=entry,
            to=Status.SUSPENDED,
            reason=reason,
            by=registrar,
            action="register.entry.suspended",
            suspension_kind=kind,
            suspended_until=until,
        )


def entry_end_suspension(*, entry: RegisterEntry, registrar: User, reason: str) -> RegisterEntry:
    require(registrar, "entry.manage", entry)
    with transaction.atomic():
        has_conditions = entry.annotations.filter(
            kind=Annotation.Kind.CONDITION, ended_at__isnull=True
        ).exists()
        return _change_status(
            entry=entry,
            to=Status.REGISTERED_WITH_CONDITIONS if has_conditions else Status.REGISTERED,
            reason=reason,
            by=registrar,
            action="register.entry.suspension_ended",
            suspension_kind="",
            suspended_until=None,
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
) -> Annotation:
    """Add a condition or an annotation. A condition on a registered entry makes it
    'registered with conditions'."""
    require(registrar, "entry.manage", entry)
    if kind not in Annotation.Kind.values:
        raise EntryStatusError("Choose a condition or an annotation.")
    if not public_text.strip() and not is_health_related:
        raise EntryStatusError("Write the text that the public register will show.")
    with transaction.atomic():
        entry = _lock(entry)
        if entry.status == Status.REMOVED:
            raise EntryStatusError("A removed entry cannot be given conditions or annotations.")
        annotation = Annotation.objects.create(
            entry=entry,
            kind=kind,
            public_text=public_text.strip(),
            private_notes=private_notes.strip(),
            is_health_related=is_health_related,
            created_by=registrar,
        )
        audit_log(
            action=f"register.{kind}.added",
            actor=registrar,
            target=entry,
            data={"annotation_id": annotation.pk, "health_related": is_health_related},
        )
        if kind == Annotation.Kind.CONDITION and entry.status == Status.REGISTERED:
            _change_status(
                entry=entry,
                to=Status.REGISTERED_WITH_CONDITIONS,
                reason=reason,
                by=registrar,
                action="register.entry.conditions_imposed",
            )
    return annotation


def entry_end_annotation(*, annotation: Annotation, registrar: User, reason: str) -> Annotation:
    """End a condition or annotation. When the last condition ends, the entry is registered."""
    require(registrar, "entry.manage", annotation.entry)
    with transaction.atomic():
        entry = _lock(annotation.entry)
        annotation = Annotation.objects.select_for_update().get(pk=annotation.pk)
        if annotation.ended_at is not None:
            raise EntryStatusError("This has already ended.")
        annotation.ended_at = timezone.now()
        annotation.save(update_fields=["ended_at"])
        audit_log(
            action=f"register.{annotation.kind}.ended",
            actor=registrar,
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
                by=registrar,
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


def entry_remove(*, entry: RegisterEntry, registrar: User, kind: str, reason: str) -> RegisterEntry:
    require(registrar, "entry.manage", entry)
    if kind not in RegisterEntry.RemovalKind.values:
        raise EntryStatusError("Choose a voluntary removal or a fitness to practise removal.")
    with transaction.atomic():
        return _change_status(
            entry=entry,
            to=Status.REMOVED,
            reason=reason,
            by=registrar,
            action="register.entry.removed",
            removal_kind=kind,
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
