"""Fixtures of the paid trials' tests: the employer's published vacancy paying £13.00 an hour
(above the National Living Wage of £12.71), Wendy on the register with every check passed
and shared (identity checks included), and Pat, not on the register. Import what you use."""

import datetime
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from jobs.models import Vacancy
from jobs.services.trials import EmployerCheck, TrialOffer
from tests.factories import (
    JobApplicationFactory,
    UserFactory,
    VacancyFactory,
    application_share_for,
    register_checks_passed,
)


@pytest.fixture
def vacancy(employer, employer_organisation):
    return VacancyFactory(
        organisation=employer_organisation,
        created_by=employer,
        status=Vacancy.Status.PUBLISHED,
        title="Care assistant",
    )


@pytest.fixture
def wendy(vacancy, worker, entry_in_own_role, registrar):
    """Wendy's application: on the register, every check passed, shared with identity checks."""
    register_checks_passed(entry_in_own_role, registrar=registrar)
    application = JobApplicationFactory(vacancy=vacancy, applicant=worker, entry=entry_in_own_role)
    application_share_for(application, shares_identity_checks=True)
    return application


@pytest.fixture
def pat(vacancy):
    """Pat's application: not on the register, so no barred-list check anywhere."""
    return JobApplicationFactory(
        vacancy=vacancy, applicant=UserFactory(email="pat@example.org", full_name="Pat Newcomer")
    )


def tomorrow_at(hour: int = 10):
    day = timezone.localdate() + timedelta(days=1)
    return timezone.make_aware(datetime.datetime(day.year, day.month, day.day, hour, 0))


def an_offer(**overrides) -> TrialOffer:
    """An observation session tomorrow at ten, three hours at £13.50, 2 hours owed if cancelled."""
    values = {
        "kind": "observation",
        "starts_at": tomorrow_at(10),
        "length_hours": Decimal("3"),
        "induction_minutes": 30,
        "hourly_rate": Decimal("13.50"),
        "cancellation_pay_hours": Decimal("2"),
        "place": "Sunrise House, 1 High Street, Leeds LS1 4AP",
        "supervisor_name": "Sue Senior",
        "what_you_will_do": "Join the morning team: meet residents, help serve breakfast.",
        "what_to_bring": "Flat shoes and your lunch.",
        "getting_there": "Free parking behind the house; the 42 bus stops outside.",
    }
    values.update(overrides)
    return TrialOffer(**values)


def own_checks(**overrides) -> EmployerCheck:
    values = {
        "right_to_work_checked_on": timezone.localdate(),
        "barred_list_check": "adult_first",
        "barred_list_checked_on": timezone.localdate(),
        "checked_by_name": "Emma Employer",
        "evidence": "Share code result seen; DBS Adult First result: no match.",
    }
    values.update(overrides)
    return EmployerCheck(**values)
