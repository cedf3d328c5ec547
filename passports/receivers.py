"""What passports do when the register announces a change (a signal: the register never imports
passports)."""

from django.dispatch import receiver

from core.notifications import email_from_template
from passports.models import Passport
from passports.services.badges import badges_revoke_for_removal, badges_supersede_for_entry
from passports.services.passports import (
    passports_restore_for_registration,
    passports_revoke_for_removal,
    passports_supersede_for_details_change,
    passports_suspend_for_registration,
)
from register.models import RegisterEntry
from register.signals import entry_details_changed, entry_status_changed

EntryStatus = RegisterEntry.Status


@receiver(entry_details_changed)
def _supersede_what_shows_the_old_details(sender, entry, by, fields, **kwargs):
    superseded = passports_supersede_for_details_change(entry=entry, by=by)
    badges_supersede_for_entry(entry=entry, by=by)
    if superseded:
        email_from_template(
            to=[entry.worker.email],
            template="passport_details_changed",
            context={"entry": entry, "superseded": len(superseded)},
        )
    return superseded


@receiver(entry_status_changed)
def _passports_follow_the_registration(sender, entry, context, by=None, **kwargs):
    """A suspended registration suspends the worker's valid passports (the suspension list
    tells offline verifiers); its end makes them valid again; a removal on fitness to practise
    grounds revokes them, and the worker's badges, for good. The worker is emailed once."""
    old_status = context.get("old_status_code", "")
    badges = []
    if entry.status == EntryStatus.SUSPENDED:
        change = "suspended"
        passports = passports_suspend_for_registration(entry=entry, by=by)
    elif old_status == EntryStatus.SUSPENDED and entry.may_practise:
        change = "restored"
        passports = passports_restore_for_registration(entry=entry, by=by)
    elif (
        entry.status == EntryStatus.REMOVED
        and entry.removal_kind == RegisterEntry.RemovalKind.FITNESS_TO_PRACTISE
    ):
        change = "revoked"
        passports = passports_revoke_for_removal(entry=entry, by=by)
        badges = badges_revoke_for_removal(entry=entry, by=by)
    else:
        return []
    if passports or badges:
        valid = sum(passport.status == Passport.Status.VALID for passport in passports)
        email_from_template(
            to=[entry.worker.email],
            template="passport_registration_changed",
            context={
                "entry": entry,
                "change": change,
                "passports": len(passports),
                "valid_again": valid,
                # Those carrying a record revoked during the suspension.
                "still_suspended": len(passports) - valid if change == "restored" else 0,
                "badges": len(badges),
            },
        )
    return passports
