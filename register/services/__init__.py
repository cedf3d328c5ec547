"""Every write in the register app is a service function in one of these modules:

- accounts: organisations, invitations, memberships, registrar appointments;
- evidence: uploaded documents;
- applications: applying to join, identity checks, approval;
- entries: registration numbers and every change of an entry's status;
- renewals: CPD, renewal, reminders, lapsing and restoration;
- details: changes of name, contact details and address;
- name_words: the words of public entries' names that name search reads.

The account services are re-exported here, where the first views and tests found them.
"""

from register.errors import ApplicationError
from register.services.accounts import (
    InvitationError,
    MembershipError,
    invitation_accept,
    invitation_revoke,
    invitation_send,
    membership_remove,
    membership_role_change,
    organisation_create,
    registrar_appoint,
    registrars_group,
)

__all__ = [
    "ApplicationError",
    "InvitationError",
    "MembershipError",
    "invitation_accept",
    "invitation_revoke",
    "invitation_send",
    "membership_remove",
    "membership_role_change",
    "organisation_create",
    "registrar_appoint",
    "registrars_group",
]
