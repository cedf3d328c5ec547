"""Who may use share codes, staff lists, webhooks and API keys, and raise a concern about a
worker on a staff list."""

from datetime import timedelta

from django.db.models import Q
from django.utils import timezone

from accounts.models import Membership, Organisation
from accounts.permissions import acts_as_registrar, membership_in, rule
from concerns.rules import StaffWorker
from employers.models import StaffMembership
from register.rules import is_own_entry

# An employer often learns what a worker did only after they have gone: it may raise a concern
# from its staff list for this long after the worker came off it.
CONCERN_AFTER_REMOVAL_DAYS = 90


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


@rule("concern.raise_as_employer")
def _concern_raise_as_employer(user, about: StaffWorker) -> bool:
    """A member of an employer whose staff list holds the worker, or held them until lately
    (not if the employer took them off as added in error: then the worker was never theirs)."""
    if not _is_employer_member(user, about.organisation):
        return False
    since = timezone.now() - timedelta(days=CONCERN_AFTER_REMOVAL_DAYS)
    return (
        StaffMembership.objects.filter(organisation=about.organisation, entry=about.entry)
        .filter(Q(status=StaffMembership.Status.ACTIVE) | Q(removed_at__gte=since))
        .exclude(removal_reason=StaffMembership.RemovalReason.ADDED_IN_ERROR)
        .exists()
    )
