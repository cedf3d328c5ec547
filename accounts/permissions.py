"""The one place that answers "may this user do X to this object?".

Views, API views and templates ask `can(user, action, obj)` or `require(...)`; no other module
decides access on its own. Each rule is a small function, registered by its action name. Each
app registers its own rules in its `rules.py`, which its AppConfig imports when Django starts;
this module holds the engine and the rules about accounts and organisations.
"""

from collections.abc import Callable

from allauth.mfa.utils import is_mfa_enabled
from django.core.exceptions import PermissionDenied

from accounts.models import Membership, Organisation

Rule = Callable[..., bool]
_RULES: dict[str, Rule] = {}


def rule(action: str):
    def register_rule(function: Rule) -> Rule:
        if action in _RULES:
            raise ValueError(f"A rule for {action!r} is already registered.")
        _RULES[action] = function
        return function

    return register_rule


def can(user, action: str, obj=None) -> bool:
    try:
        check = _RULES[action]
    except KeyError:
        raise ValueError(f"No permission rule for {action!r}.") from None
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return check(user, obj)


def require(user, action: str, obj=None) -> None:
    if not can(user, action, obj):
        raise PermissionDenied


def known_actions() -> list[str]:
    return sorted(_RULES)


def acts_as_registrar(user) -> bool:
    # A registrar's powers reach every worker's personal data, so they count only once the
    # account is protected by a second factor, and, for someone signed in on the web, once
    # their session has used it: config.middleware marks a session that has not as False.
    return user.is_registrar and _second_factor_in_use(user)


def _second_factor_in_use(user) -> bool:
    return is_mfa_enabled(user) and getattr(user, "second_factor_this_session", True) is not False


def membership_in(user, organisation: Organisation) -> Membership | None:
    return organisation.memberships.filter(user=user).first()


@rule("registrar.access")
def _registrar_access(user, obj) -> bool:
    return acts_as_registrar(user)


@rule("audit.view")
def _audit_view(user, obj) -> bool:
    return acts_as_registrar(user) or (user.is_superuser and _second_factor_in_use(user))


@rule("organisation.create")
def _organisation_create(user, obj) -> bool:
    # Associations run consultations for the whole sector, so only staff set them up.
    kind = obj
    if kind == Organisation.Kind.ASSOCIATION:
        return user.is_staff
    return True


@rule("organisation.view")
def _organisation_view(user, organisation) -> bool:
    return membership_in(user, organisation) is not None or acts_as_registrar(user)


@rule("organisation.invite")
def _organisation_invite(user, organisation) -> bool:
    membership = membership_in(user, organisation)
    return membership is not None and membership.role == Membership.Role.OWNER


@rule("organisation.remove_member")
def _organisation_remove_member(user, organisation) -> bool:
    return _organisation_invite(user, organisation)


@rule("organisation.change_role")
def _organisation_change_role(user, organisation) -> bool:
    return _organisation_invite(user, organisation)
