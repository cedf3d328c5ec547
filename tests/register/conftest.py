"""Fixtures of the register's tests."""

import pytest

from register.services import applications
from tests.factories import ApplicationFactory, RegisterEntryFactory, code_of_conduct_current


@pytest.fixture
def application(worker):
    """The worker's application, complete and still a draft."""
    return ApplicationFactory(worker=worker, legal_name="Wendy Worker")


@pytest.fixture
def submitted(application):
    return applications.application_submit(
        application=application, worker=application.worker, code=code_of_conduct_current()
    )


@pytest.fixture
def entry_with_an_accented_name(db):
    """Zoë O'Brien-Smith of Hebden Bridge: an accent, an apostrophe and a hyphen in the name,
    and a town of two words. She is no persona."""
    return RegisterEntryFactory(
        application__legal_name="Zoë O'Brien-Smith", application__town="Hebden Bridge"
    )
