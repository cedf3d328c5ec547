"""Who may use share codes, staff lists, webhooks and API keys."""

from accounts.models import Membership, Organisation
from accounts.permissions import acts_as_registrar, membership_in, rule
from register.rules import is_own_entry


def _is_employer_member(user, organisation) -> bool:
    return (
        organisation is not None
        and organisation.kind == Organisation.Kind.EMPLOYER
        and membership_in(user, organisation) is not None
    )


@rule("sharecode.manage_own")
def _sharecode_manage_own(user, entry) -> bool:
    return is_own_entry(user, entry)


@rule("sharecode.check")
def _sharecode_check(user, organisation) -> bool:
    # A share code opens a worker's record to an employer, and to nobody else: not even a
    # registrar, who has their own pages.
    return _is_employer_member(user, organisation)


@rule("staff.leave")
def _staff_leave(user, membership) -> bool:
    # The worker on a staff list may take themselves off it: consent given can be withdrawn.
    return is_own_entry(user, membership.entry)


@rule("employer.verify")
def _employer_verify(user, organisation) -> bool:
    # Not a registrar's own organisation: verifying it is vouching for themselves.
    return acts_as_registrar(user) and membership_in(user, organisation) is None


@rule("staff.view")
def _staff_view(user, organisation) -> bool:
    return _is_employer_member(user, organisation)


@rule("staff.manage")
def _staff_manage(user, organisation) -> bool:
    return _is_employer_member(user, organisation)


@rule("webhook.manage")
def _webhook_manage(user, organisation) -> bool:
    membership = membership_in(user, organisation) if organisation is not None else None
    return (
        membership is not None
        and organisation.kind == Organisation.Kind.EMPLOYER
        and membership.role == Membership.Role.OWNER
    )


@rule("apikey.manage")
def _apikey_manage(user, organisation) -> bool:
    membership = membership_in(user, organisation) if organisation is not None else None
    return membership is not None and membership.role == Membership.Role.OWNER
