"""Reads that depend on who asks, one module per area. Account reads are re-exported here."""

from register.selectors.accounts import (
    audit_events_recent,
    invitation_get_by_token,
    invitation_get_for_owner,
    membership_get_for_owner,
    membership_live_api_keys,
    organisation_get,
    organisation_list_for_user,
    organisation_members,
    organisation_pending_invitations,
)

__all__ = [
    "audit_events_recent",
    "invitation_get_by_token",
    "invitation_get_for_owner",
    "membership_get_for_owner",
    "membership_live_api_keys",
    "organisation_get",
    "organisation_list_for_user",
    "organisation_members",
    "organisation_pending_invitations",
]
