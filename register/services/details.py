"""Changes to a registered worker's details. Contact details and address are the worker's to
change; a new name needs evidence and a registrar's approval, since the name is on the public
register."""

from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import User
from accounts.permissions import require
from core.audit import audit_log
from core.errors import ApplicationError
from core.names import name_search_form, normalise_town
from core.notifications import email_from_template
from register.models import EvidenceFile, NameChangeRequest, RegisterEntry
from register.services.name_words import entry_name_words_update
from register.signals import entry_details_changed

CONTACT_FIELDS = ["phone", "address_line_1", "address_line_2", "town", "postcode"]


class DetailsError(ApplicationError):
    pass


def contact_details_update(*, entry: RegisterEntry, worker: User, values: dict) -> RegisterEntry:
    """Self-service: the approved application is the worker's record of contact and address."""
    if entry.worker_id != worker.pk:
        raise DetailsError("You can only change your own details.")
    with transaction.atomic():
        entry = RegisterEntry.objects.select_for_update().get(pk=entry.pk)
        record = entry.application
        changed = [name for name in CONTACT_FIELDS if getattr(record, name) != values[name]]
        if not changed:
            return entry
        for name in changed:
            setattr(record, name, values[name])
        record.updated_at = timezone.now()
        record.save(update_fields=[*changed, "updated_at"])
        if "town" in changed:
            entry.search_town = normalise_town(record.town)
            entry.save(update_fields=["search_town"])
            entry_name_words_update(entry=entry)
        # Which fields changed, never their values: addresses do not belong in the log.
        audit_log(
            action="register.details.contact_updated",
            actor=worker,
            target=entry,
            data={"fields": changed},
        )
    return entry


def name_change_request(
    *, entry: RegisterEntry, worker: User, new_name: str, evidence: EvidenceFile
) -> NameChangeRequest:
    new_name = " ".join(new_name.split())
    if entry.worker_id != worker.pk:
        raise DetailsError("You can only change your own name.")
    if not new_name:
        raise DetailsError("Enter your new name.")
    if new_name == entry.full_name:
        raise DetailsError("That is already the name on the register.")
    if evidence.owner_id != worker.pk:
        raise DetailsError("That evidence belongs to someone else.")
    try:
        with transaction.atomic():
            request = NameChangeRequest.objects.create(
                entry=entry, new_name=new_name, evidence=evidence
            )
            audit_log(
                action="register.name_change.requested",
                actor=worker,
                target=entry,
                new_status=request.status,
                data={"request_id": request.pk, "new_name": new_name},
            )
    except IntegrityError:
        raise DetailsError("You already have a change of name waiting for a registrar.") from None
    return request


def name_change_decide(
    *, request: NameChangeRequest, registrar: User, approve: bool, reason: str = ""
) -> NameChangeRequest:
    require(registrar, "entry.manage", request.entry)
    reason = reason.strip()
    if not approve and not reason:
        raise DetailsError("Give the reason for refusing the change of name.")
    with transaction.atomic():
        request = NameChangeRequest.objects.select_for_update().get(pk=request.pk)
        target = NameChangeRequest.Status.APPROVED if approve else NameChangeRequest.Status.REJECTED
        if target not in NameChangeRequest.TRANSITIONS[request.status]:
            raise DetailsError("This change of name has already been decided.")
        old = request.status
        request.status = target
        request.decided_by = registrar
        request.decided_at = timezone.now()
        request.decision_reason = reason
        request.save(update_fields=["status", "decided_by", "decided_at", "decision_reason"])
        entry = RegisterEntry.objects.select_for_update().get(pk=request.entry_id)
        old_name = entry.full_name
        if approve:
            entry.full_name = request.new_name
            entry.search_name = name_search_form(request.new_name)
            entry.save(update_fields=["full_name", "search_name"])
            entry_name_words_update(entry=entry)
            worker = entry.worker
            worker.full_name = request.new_name
            worker.save(update_fields=["full_name"])
            # Passports and badges signed with the old name must stop reading as current.
            entry_details_changed.send(
                sender=RegisterEntry, entry=entry, by=registrar, fields=["full_name"]
            )
        audit_log(
            action=f"register.name_change.{target}",
            actor=registrar,
            target=entry,
            old_status=old,
            new_status=target,
            data={
                "request_id": request.pk,
                "old_name": old_name,
                "new_name": request.new_name,
                "reason": reason,
            },
        )
        email_from_template(
            to=[entry.worker.email],
            template="name_change_decided",
            context={"request": request, "approved": approve},
        )
    return request
