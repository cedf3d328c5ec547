"""Reads that depend on who is asking. They raise Http404 or PermissionDenied themselves, so
views never filter by owner."""

from django.db.models import QuerySet
from django.http import Http404

from register.models import ApiKey, AuditEvent, Invitation, Membership, Organisation, User
from register.permissions import can, require


def organisation_list_for_user(*, user: User) -> QuerySet[Organisation]:
    return Organisation.objects.filter(memberships__user=user).order_by("name")


def organisation_get(*, user: User, pk: int) -> Organisation:
    """Someone outside the organisation gets 404, not 403: they learn nothing about it."""
    organisation = Organisation.objects.filter(pk=pk).first()
    if organisation is None or not can(user, "organisation.view", organisation):
        raise Http404("No such organisation.")
    return organisation


def organisation_members(*, user: User, organisation: Organisation) -> QuerySet[Membership]:
    require(user, "organisation.view", organisation)
    return organisation.memberships.select_related("user").order_by("user__full_name")


def organisation_pending_invitations(
    *, user: User, organisation: Organisation
) -> QuerySet[Invitation]:
    require(user, "organisation.invite", organisation)
    return organisation.invitations.filter(status=Invitation.Status.PENDING).order_by("email")


def invitation_get_for_owner(*, user: User, pk: int) -> Invitation:
    invitation = Invitation.objects.select_related("organisation").filter(pk=pk).first()
    if invitation is None or not can(user, "organisation.invite", invitation.organisation):
        raise Http404("No such invitation.")
    return invitation


def membership_get_for_owner(*, user: User, pk: int) -> Membership:
    membership = Membership.objects.select_related("organisation", "user").filter(pk=pk).first()
    if membership is None or not can(user, "organisation.remove_member", membership.organisation):
        raise Http404("No such member.")
    return membership


def membership_live_api_keys(*, user: User, membership: Membership) -> list[ApiKey]:
    """The keys a member made for their organisation that still work, for an owner deciding
    whether to change the member's role."""
    require(user, "apikey.manage", membership.organisation)
    return list(
        ApiKey.objects.filter(
            organisation_id=membership.organisation_id,
            created_by_id=membership.user_id,
            revoked_at__isnull=True,
        ).order_by("name", "pk")
    )


def invitation_get_by_token(*, token: str) -> Invitation:
    """The token is the secret: anyone holding the link may see whom it invites, and where."""
    invitation = (
        Invitation.objects.select_related("organisation", "invited_by").filter(token=token).first()
    )
    if invitation is None:
        raise Http404("This invitation link is not valid.")
    return invitation


def audit_events_recent(*, user: User, limit: int = 50) -> QuerySet[AuditEvent]:
    require(user, "audit.view")
    return AuditEvent.objects.order_by("-id")[:limit]
