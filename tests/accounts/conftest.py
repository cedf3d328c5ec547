import pytest

from accounts.models import Membership
from employers.services import api_keys
from tests.factories import MembershipFactory


@pytest.fixture
def second_owner(employer_organisation):
    """Owen, a second owner of the employer, who made keys of his own."""
    return MembershipFactory(
        user__email="owen@example.org",
        user__full_name="Owen Owner",
        organisation=employer_organisation,
        role=Membership.Role.OWNER,
    )


def make_key(organisation, user, name="HR system"):
    api_key, _full = api_keys.api_key_create(
        organisation=organisation, user=user, name=name, scopes=["staff:read"]
    )
    return api_key
