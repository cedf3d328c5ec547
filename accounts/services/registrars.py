"""Setting up registrars by invitation: a one-time link for one email address, accepted by
someone signed in with that address who has used an authenticator app in that session."""

import hashlib
import secrets

from allauth.account.models import EmailAddress
from allauth.mfa.utils import is_mfa_enabled
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import RegistrarInvitation, User
from accounts.services.organisations import registrar_appoint
from core.audit import audit_log
from core.errors import ApplicationError


class RegistrarInvitationError(ApplicationError):
    pass


# What the invitee still has to do, each a step the invitation page links to.
SIGN_IN = "Sign in, or create an account, with the address the invitation was sent to."
SET_UP_AUTHENTICATOR = "Set up an authenticator app first: registrars must use one."
USE_AUTHENTICATOR = "Enter a code from your authenticator app first."


def registrar_invitation_token_hash(token: str) -> str:
    # The token is 256 random bits, so a plain hash is enough: a copy of the table opens nothing.
    return hashlib.sha256(token.encode()).hexdigest()


def registrar_invitation_path(token: str) -> str:
    return reverse("accounts:registrar-invitation", args=[token])


def registrar_invitation_create(*, email: str) -> tuple[RegistrarInvitation, str]:
    """A new invitation for `email`, and the token of its link, which is shown once and never
    stored. A pending invitation to the same address is cancelled: only the newest link works."""
    email = User.objects.normalize_email(email.strip()).lower()
    if "@" not in email:
        raise RegistrarInvitationError("Give the email address of the person to invite.")
    if User.objects.filter(email__iexact=email, is_registrar=True).exists():
        raise RegistrarInvitationError(f"{email} is already a registrar.")
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        for older in RegistrarInvitation.objects.select_for_update().filter(
            email=email, status=RegistrarInvitation.Status.PENDING
        ):
            older.status = RegistrarInvitation.Status.CANCELLED
            older.save(update_fields=["status"])
            audit_log(
                action="accounts.registrar_invitation.cancelled",
                target=older,
                old_status=RegistrarInvitation.Status.PENDING,
                new_status=older.status,
                data={"email": email, "replaced": True},
            )
        invitation = RegistrarInvitation.objects.create(
            email=email, token_hash=registrar_invitation_token_hash(token)
        )
        audit_log(
            action="accounts.registrar_invitation.created",
            target=invitation,
            new_status=invitation.status,
            data={"email": email, "expires_at": invitation.expires_at},
        )
    return invitation, token


def registrar_invitation_get(*, token: str) -> RegistrarInvitation | None:
    return RegistrarInvitation.objects.filter(
        token_hash=registrar_invitation_token_hash(token)
    ).first()


def registrar_invitation_problem(
    *, invitation: RegistrarInvitation, user: User, second_factor_used: bool
) -> str | None:
    """Why `user` cannot accept the invitation now, in plain English, or None if they can."""
    if invitation.status != RegistrarInvitation.Status.PENDING:
        return "This invitation has already been used or was replaced by a newer one."
    if invitation.is_expired:
        return "This invitation has expired. Ask for a new one."
    if not user.is_authenticated:
        return SIGN_IN
    if (
        user.email.lower() != invitation.email
        or not EmailAddress.objects.filter(
            user=user, email__iexact=invitation.email, verified=True
        ).exists()
    ):
        return (
            "This invitation was sent to a different email address. Sign in with the address "
            "it was sent to."
        )
    if user.is_registrar:
        return "You are already a registrar."
    if not is_mfa_enabled(user):
        return SET_UP_AUTHENTICATOR
    if not second_factor_used:
        return USE_AUTHENTICATOR
    return None


def registrar_invitation_accept(*, token: str, user: User, second_factor_used: bool) -> User:
    """The invitee becomes a registrar; the link cannot be used again."""
    with transaction.atomic():
        invitation = (
            RegistrarInvitation.objects.select_for_update()
            .filter(token_hash=registrar_invitation_token_hash(token))
            .first()
        )
        if invitation is None:
            raise RegistrarInvitationError("This invitation link is not valid.")
        problem = registrar_invitation_problem(
            invitation=invitation, user=user, second_factor_used=second_factor_used
        )
        if problem:
            raise RegistrarInvitationError(problem)
        invitation.status = RegistrarInvitation.Status.ACCEPTED
        invitation.accepted_by = user
        invitation.accepted_at = timezone.now()
        invitation.save(update_fields=["status", "accepted_by", "accepted_at"])
        audit_log(
            action="accounts.registrar_invitation.accepted",
            actor=user,
            target=invitation,
            old_status=RegistrarInvitation.Status.PENDING,
            new_status=invitation.status,
        )
        registrar = registrar_appoint(user=user, appointed_by=None)
    return registrar
