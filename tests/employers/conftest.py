"""Fixtures for the employer features: a registered worker with training, and share codes."""

import pytest

from employers.services import sharecodes
from register.models import IdentityCheck
from tests.factories import (
    DATE_OF_BIRTH,
    TrainingStandardFactory,
)


@pytest.fixture
def moving(db):
    return TrainingStandardFactory(code="moving-and-handling", title="Moving and handling")


@pytest.fixture
def fire(db):
    return TrainingStandardFactory(code="fire-safety", title="Fire safety")


@pytest.fixture
def identity_check(entry_in_own_role, registrar):
    return IdentityCheck.objects.create(
        application=entry_in_own_role.application,
        check_type=IdentityCheck.Type.PHOTO_ID,
        outcome=IdentityCheck.Outcome.PASSED,
        checked_by=registrar,
        document_type=IdentityCheck.DocumentType.PASSPORT,
        document_number="123456789",
        evidence_reference="Passport seen in person",
    )


@pytest.fixture
def share_code(worker, entry_in_own_role):
    """A live code, as (ShareCode, the code as the worker was shown it)."""
    share_code, code = sharecodes.share_code_create(
        worker=worker, entry=entry_in_own_role, shares_identity_checks=False
    )
    return share_code, sharecodes.share_code_format(code)


@pytest.fixture
def accepted_check(share_code, employer, employer_organisation):
    return sharecodes.share_code_check(
        organisation=employer_organisation,
        user=employer,
        code=share_code[1],
        date_of_birth=DATE_OF_BIRTH,
    ).check
