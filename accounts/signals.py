"""Signals accounts sends to the apps above it, and account events from django-allauth,
written to the audit log."""

from allauth.account import signals as account_signals
from allauth.account.internal.flows.login import record_authentication
from allauth.mfa import signals as mfa_signals
from allauth.mfa.models import Authenticator
from django.contrib.auth import signals as auth_signals
from django.dispatch import Signal, receiver

from core.audit import audit_log

# Sent inside the transaction that removes a membership (left=True) or changes its role
# (left=False), once the change is saved. A receiver withdraws what the member may no longer
# hold and returns the list of what it withdrew (employers revoke the API keys the member
# made); the service returns every receiver's list as one. A receiver that raises rolls the
# whole change back.
membership_changed = Signal()

# Sent to ask what a member holds that changing their role or removing them would withdraw,
# for an owner deciding whether to do it. Each receiver returns a list.
membership_holdings_requested = Signal()


# Sent when the signed-in home page is drawn, to ask each app what the person can do next
# there ("Continue your application", "Check a share code"). Each receiver returns a list of
# accounts.next_steps.NextStep.
next_steps_requested = Signal()


def collected(responses) -> list:
    """Every receiver's list from `Signal.send`, as one list."""
    return [item for _, items in responses for item in (items or [])]


@receiver(account_signals.user_signed_up)
def _signed_up(sender, request, user, **kwargs):
    audit_log(
        action="accounts.user.signed_up",
        actor=user,
        target=user,
        data={"care_worker": user.is_care_worker},
    )


@receiver(account_signals.email_confirmed)
def _email_confirmed(sender, request, email_address, **kwargs):
    audit_log(
        action="accounts.user.email_verified",
        actor=email_address.user,
        target=email_address.user,
        data={"email": email_address.email},
    )


@receiver(auth_signals.user_logged_in)
def _logged_in(sender, request, user, **kwargs):
    audit_log(action="accounts.user.logged_in", actor=user, target=user)


@receiver(auth_signals.user_logged_out)
def _logged_out(sender, request, user, **kwargs):
    if user is not None:
        audit_log(action="accounts.user.logged_out", actor=user, target=user)


@receiver(auth_signals.user_login_failed)
def _login_failed(sender, credentials, request=None, **kwargs):
    # The attempted address is kept so that attacks on one account can be seen; the password
    # never reaches the log (mask_secrets drops it even if it were passed).
    audit_log(
        action="accounts.user.login_failed",
        data={"email": str(credentials.get("email") or credentials.get("username") or "")},
    )


@receiver(account_signals.password_changed)
def _password_changed(sender, request, user, **kwargs):
    audit_log(action="accounts.user.password_changed", actor=user, target=user)


@receiver(account_signals.password_reset)
def _password_reset(sender, request, user, **kwargs):
    audit_log(action="accounts.user.password_reset", actor=user, target=user)


@receiver(account_signals.email_changed)
def _email_changed(sender, request, user, from_email_address, to_email_address, **kwargs):
    audit_log(
        action="accounts.user.email_changed",
        actor=user,
        target=user,
        data={
            "from": from_email_address.email if from_email_address else "",
            "to": to_email_address.email,
        },
    )


@receiver(mfa_signals.authenticator_added)
def _authenticator_added(sender, request, user, authenticator, **kwargs):
    audit_log(
        action="accounts.user.mfa_added",
        actor=user,
        target=user,
        data={"type": authenticator.type},
    )
    if request is not None and authenticator.type != Authenticator.Type.RECOVERY_CODES:
        # Setting up an authenticator app means typing a code from it: this session has used
        # the second factor, as a sign-in with a code would have recorded (registrar powers
        # need one, see config.middleware).
        record_authentication(
            request, user, "mfa", id=authenticator.pk, type=authenticator.type, activated=True
        )


@receiver(mfa_signals.authenticator_removed)
def _authenticator_removed(sender, request, user, authenticator, **kwargs):
    audit_log(
        action="accounts.user.mfa_removed",
        actor=user,
        target=user,
        data={"type": authenticator.type},
    )


@receiver(mfa_signals.authenticator_reset)
def _authenticator_reset(sender, request, user, authenticator, **kwargs):
    audit_log(
        action="accounts.user.mfa_reset",
        actor=user,
        target=user,
        data={"type": authenticator.type},
    )
