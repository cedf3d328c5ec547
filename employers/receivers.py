"""What employers do when the apps below them announce a change (signals, not imports, so that
accounts and the register never depend on employers)."""

from django.dispatch import receiver

from accounts.models import Membership
from accounts.permissions import can, require
from accounts.signals import membership_changed, membership_holdings_requested
from employers.models import ApiKey
from employers.services.api_keys import RevokedBecause, api_keys_revoke_made_by
from employers.services.sharecodes import share_codes_revoke_for_removed_entry
from employers.services.staff import employers_notify_status_change, employers_warn_of_lapse
from register.models import RegisterEntry
from register.signals import entry_status_changed, renewal_reminder_sent


@receiver(membership_changed, sender=Membership)
def _revoke_keys_the_member_may_no_longer_hold(sender, membership, by, left, **kwargs):
    # Revoked, not only refused while they are away: invited back, a member would otherwise
    # find their old keys working again.
    if left:
        reason = RevokedBecause.MAKER_LEFT
    elif not can(membership.user, "apikey.manage", membership.organisation):
        reason = RevokedBecause.MAKER_NOT_OWNER
    else:
        return []
    return api_keys_revoke_made_by(
        organisation=membership.organisation, maker=membership.user, user=by, reason=reason
    )


@receiver(membership_holdings_requested, sender=Membership)
def _live_keys_the_member_made(sender, membership, user, **kwargs):
    """The keys a member made for their organisation that still work."""
    require(user, "apikey.manage", membership.organisation)
    return list(
        ApiKey.objects.filter(
            organisation_id=membership.organisation_id,
            created_by_id=membership.user_id,
            revoked_at__isnull=True,
        ).order_by("name", "pk")
    )


@receiver(entry_status_changed)
def _tell_employers_the_status_changed(sender, entry, context, **kwargs):
    employers_notify_status_change(entry=entry, context=context)


@receiver(entry_status_changed)
def _revoke_share_codes_of_a_removed_worker(sender, entry, context, **kwargs):
    # Heard only for removals the register announces (from a practising status, or on fitness
    # to practise grounds from any); the share code check refuses the code of any removed entry
    # whatever the way it was removed.
    if entry.status == RegisterEntry.Status.REMOVED:
        share_codes_revoke_for_removed_entry(entry=entry)


@receiver(renewal_reminder_sent)
def _warn_employers_the_registration_will_lapse(
    sender, entry, renewal_due, days_before, today, **kwargs
):
    employers_warn_of_lapse(
        entry=entry, renewal_due=renewal_due, days_before=days_before, today=today
    )
