"""Reads that depend on who is asking. They raise Http404 or PermissionDenied themselves, so
views never filter by owner."""

from allauth.account.models import EmailAddress
from django.db.models import QuerySet
from django.http import Http404

from accounts.models import Invitation, Membership, Organisation, User
from accounts.permissions import can, require
from accounts.signals import collected, membership_holdings_requested
from core.models import AuditEvent


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


def membership_holdings(*, user: User, membership: Membership) -> list:
    """What a member holds that removing them or changing their role could withdraw (the API
    keys they made), for an owner deciding whether to do it. The apps that hold such things
    answer `membership_holdings_requested`."""
    return collected(
        membership_holdings_requested.send(sender=Membership, membership=membership, user=user)
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


def user_verified_email(*, user) -> str:
    """The signed-in person's verified email address, their primary one first; "" if they have
    none (or are not signed in), so a form can offer it instead of asking them to type it."""
    if user is None or not user.is_authenticated:
        return ""
    address = (
        EmailAddress.objects.filter(user=user, verified=True)
        .order_by("-primary", "pk")
        .values_list("email", flat=True)
        .first()
    )
    return address or ""
