"""Writes to accounts and organisations. Each one is atomic and leaves an audit event."""

from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Value
from django.db.models.functions import Lower, Replace
from django.urls import reverse
from django.utils import timezone

from accounts.models import Invitation, Membership, Organisation, User
from accounts.permissions import acts_as_registrar, require
from accounts.signals import collected, membership_changed
from core.audit import audit_log
from core.errors import ApplicationError
from core.notifications import email_from_template


class InvitationError(ApplicationError):
    pass


class MembershipError(ApplicationError):
    pass


def organisation_name_key(name: str) -> str:
    """The name as two organisations are compared: without case or spaces."""
    return "".join((name or "").split()).lower()


def organisation_name_taken(name: str) -> Organisation | None:
    """An organisation whose name is `name` but for case and spaces, if there is one."""
    return (
        Organisation.objects.annotate(name_key=Replace(Lower("name"), Value(" "), Value("")))
        .filter(name_key=organisation_name_key(name))
        .order_by("pk")
        .first()
    )


def organisation_create(
    *, user: User, name: str, kind: str, name_confirmed_by: User | None = None
) -> Organisation:
    """Create an organisation with `user` as its owner. A name another organisation already
    has (but for case and spaces) is refused, unless a registrar confirms that this is a
    different organisation with the same name (`name_confirmed_by`): otherwise anyone could
    pose as a known employer or provider under its own name."""
    require(user, "organisation.create", kind)
    name = " ".join(name.split())
    if not name:
        raise ApplicationError("Enter the organisation's name.")
    if name_confirmed_by is not None and not acts_as_registrar(name_confirmed_by):
        raise PermissionDenied
    with transaction.atomic():
        taken = organisation_name_taken(name)
        if taken is not None and name_confirmed_by is None:
            raise ApplicationError(
                f"An organisation called {taken.name} is already on the register. If yours is "
                "a different organisation, add something that tells them apart, such as the "
                "town. If it really has the same name, contact the register: a registrar can "
                "confirm it and set it up for you."
            )
        organisation = Organisation.objects.create(name=name, kind=kind)
        Membership.objects.create(user=user, organisation=organisation, role=Membership.Role.OWNER)
        data = {"kind": kind, "name": name}
        if taken is not None:
            data.update(same_name_as=taken.pk, name_confirmed_by=name_confirmed_by.pk)
        audit_log(
            action="accounts.organisation.created",
            actor=name_confirmed_by or user,
            target=organisation,
            data=data,
        )
    return organisation


def invitation_send(
    *, organisation: Organisation, inviter: User, email: str, role: str = Membership.Role.MEMBER
) -> Invitation:
    """Invite someone by email. Only owners may invite."""
    require(inviter, "organisation.invite", organisation)
    email = User.objects.normalize_email(email).lower()
    if organisation.memberships.filter(user__email__iexact=email).exists():
        raise InvitationError(f"{email} is already a member of {organisation}.")
    try:
        with transaction.atomic():
            invitation = Invitation.objects.create(
                organisation=organisation, email=email, role=role, invited_by=inviter
            )
            audit_log(
                action="accounts.invitation.sent",
                actor=inviter,
                target=invitation,
                new_status=invitation.status,
                data={"organisation_id": organisation.pk, "email": email, "role": role},
            )
            email_from_template(
                to=[email],
                template="invitation",
                context={
                    "invitation": invitation,
                    "accept_path": reverse(
                        "accounts:organisation-invitation-accept", args=[invitation.token]
                    ),
                },
            )
    except IntegrityError:
        raise InvitationError(f"{email} already has an invitation waiting.") from None
    return invitation


def invitation_accept(*, token: str, user: User) -> Membership:
    """The invitee joins. The invitation must be pending, unexpired and for their address."""
    with transaction.atomic():
        invitation = Invitation.objects.select_for_update().filter(token=token).first()
        if invitation is None:
            raise InvitationError("This invitation link is not valid.")
        if Invitation.Status.ACCEPTED not in Invitation.TRANSITIONS[invitation.status]:
            raise InvitationError("This invitation has already been used or withdrawn.")
        if invitation.is_expired:
            raise InvitationError("This invitation has expired. Ask for a new one.")
        if invitation.email.lower() != user.email.lower():
            raise InvitationError(
                "This invitation was sent to a different email address. "
                "Sign in with the address it was sent to."
            )
        membership, created = Membership.objects.get_or_create(
            user=user, organisation=invitation.organisation, defaults={"role": invitation.role}
        )
        old_status = invitation.status
        invitation.status = Invitation.Status.ACCEPTED
        invitation.accepted_by = user
        invitation.save(update_fields=["status", "accepted_by"])
        audit_log(
            action="accounts.invitation.accepted",
            actor=user,
            target=invitation,
            old_status=old_status,
            new_status=invitation.status,
            data={"organisation_id": invitation.organisation_id, "role": membership.role},
        )
    return membership


def invitation_revoke(*, invitation: Invitation, user: User) -> Invitation:
    require(user, "organisation.invite", invitation.organisation)
    with transaction.atomic():
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if Invitation.Status.REVOKED not in Invitation.TRANSITIONS[invitation.status]:
            raise InvitationError("Only a pending invitation can be withdrawn.")
        old_status = invitation.status
        invitation.status = Invitation.Status.REVOKED
        invitation.save(update_fields=["status"])
        audit_log(
            action="accounts.invitation.revoked",
            actor=user,
            target=invitation,
            old_status=old_status,
            new_status=invitation.status,
        )
    return invitation


def _owners_locked(*, organisation: Organisation) -> int:
    """How many owners the organisation has, with each owner's row locked until commit, so two
    owners removing or demoting each other at once cannot both pass the last-owner check.
    The rows are read, not counted: PostgreSQL takes no lock for a SELECT COUNT(*)."""
    return len(
        Membership.objects.select_for_update()
        .filter(organisation=organisation, role=Membership.Role.OWNER)
        .values_list("pk", flat=True)
    )


def membership_remove(*, membership: Membership, user: User) -> list:
    """An owner removes a member. The last owner cannot be removed, so no organisation is
    left without someone who can manage it. What the member held is withdrawn with it (the API
    keys they made are revoked) and returned as a list."""
    require(user, "organisation.remove_member", membership.organisation)
    with transaction.atomic():
        owner_count = _owners_locked(organisation=membership.organisation)
        if membership.role == Membership.Role.OWNER and owner_count <= 1:
            raise MembershipError("An organisation needs at least one owner.")
        audit_log(
            action="accounts.membership.removed",
            actor=user,
            target=membership.organisation,
            data={"user_id": membership.user_id, "role": membership.role},
        )
        membership.delete()
        # Revoked, not only refused while they are away: invited back, they would otherwise
        # find their old keys working again.
        revoked = collected(
            membership_changed.send(sender=Membership, membership=membership, by=user, left=True)
        )
    return revoked


def membership_role_change(*, membership: Membership, user: User, role: str) -> list:
    """An owner gives a member another role. The last owner keeps theirs, as in
    membership_remove. What the member may no longer hold in their new role (the live API keys
    they made, once they may not manage keys) is withdrawn in the same transaction and returned
    as a list."""
    require(user, "organisation.change_role", membership.organisation)
    if role not in Membership.Role.values:
        raise MembershipError("Choose a role.")
    with transaction.atomic():
        owner_count = _owners_locked(organisation=membership.organisation)
        membership = (
            Membership.objects.select_for_update()
            .select_related("organisation", "user")
            .get(pk=membership.pk)
        )
        old_role = membership.role
        if role == old_role:
            raise MembershipError(
                f"{membership.user} is already {Membership.Role(role).with_article}."
            )
        if old_role == Membership.Role.OWNER and owner_count <= 1:
            raise MembershipError("An organisation needs at least one owner.")
        membership.role = role
        membership.save(update_fields=["role"])
        audit_log(
            action="accounts.membership.role_changed",
            actor=user,
            target=membership.organisation,
            data={
                "user_id": membership.user_id,
                "membership_id": membership.pk,
                "old_role": old_role,
                "new_role": role,
            },
        )
        revoked = collected(
            membership_changed.send(sender=Membership, membership=membership, by=user, left=False)
        )
    return revoked


def registrar_appoint(*, user: User, appointed_by: User | None) -> User:
    """Make someone a registrar. Registrars read the audit log in the admin, so they are staff,
    and in the Registrars group that may view it."""
    if appointed_by is not None and not appointed_by.is_superuser:
        raise PermissionDenied
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        if user.is_registrar:
            raise ApplicationError(f"{user.email} is already a registrar.")
        user.is_registrar = True
        user.is_staff = True
        user.save(update_fields=["is_registrar", "is_staff"])
        user.groups.add(registrars_group())
        audit_log(
            action="accounts.user.registrar_appointed",
            actor=appointed_by,
            target=user,
            data={"appointed_at": timezone.now()},
        )
    return user


REGISTRARS_GROUP = "Registrars"

# The admin permissions the Registrars group holds, by app label. Each app adds its own with
# registrar_permissions_add when Django starts, so accounts names no other app's models.
_REGISTRAR_PERMISSIONS: dict[str, set[str]] = {"core": {"view_auditevent"}}


def registrar_permissions_add(*, app_label: str, codenames: list[str]) -> None:
    """Give registrars these admin permissions of `app_label` (called from an AppConfig)."""
    _REGISTRAR_PERMISSIONS.setdefault(app_label, set()).update(codenames)


def registrars_group() -> Group:
    """The group whose members may read the audit log in the admin, created when first needed."""
    group, _ = Group.objects.get_or_create(name=REGISTRARS_GROUP)
    for app_label, codenames in _REGISTRAR_PERMISSIONS.items():
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames)
        )
    return group
