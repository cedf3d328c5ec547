"""What passports do when the register announces a change (a signal: the register never imports
passports)."""

from django.dispatch import receiver

from core.notifications import email_from_template
from passports.services.badges import badges_supersede_for_entry
from passports.services.passports import passports_supersede_for_details_change
from register.signals import entry_details_changed


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
