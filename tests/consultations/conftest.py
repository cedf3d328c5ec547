"""Fixtures of the consultations' tests. The consultation itself, its association and the
registered worker who answers it are in tests/conftest.py, shared with the API's tests."""

import pytest

from accounts.models import Membership, Organisation
from tests.factories import MembershipFactory


@pytest.fixture
def other_association_admin(db):
    """The owner of a second association, who may see none of the first one's drafts."""
    return MembershipFactory(
        user__email="other-association@example.org",
        organisation__name="Managers' Association",
        organisation__kind=Organisation.Kind.ASSOCIATION,
        role=Membership.Role.OWNER,
    ).user
