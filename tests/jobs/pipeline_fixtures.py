"""Fixtures of the pipeline's tests: a published vacancy of the employer persona's organisation
with one screening question, and applicants to it.

Wendy (`worker`) is registered and shares her passport with the application; Pat applied
without being on the register; Sam is suspended. Import the fixtures a test module uses."""

from datetime import timedelta

import pytest
from django.utils import timezone

from jobs.models import ScreeningAnswer, ScreeningQuestion, Vacancy
from register.models import RegisterEntry
from tests.factories import (
    JobApplicationFactory,
    OrganisationFactory,
    RegisterEntryFactory,
    TrainingRecordFactory,
    TrainingStandardFactory,
    UserFactory,
    VacancyFactory,
    job_application_share,
)


@pytest.fixture
def vacancy(employer, employer_organisation):
    vacancy = VacancyFactory(
        organisation=employer_organisation,
        created_by=employer,
        status=Vacancy.Status.PUBLISHED,
        title="Night care assistant",
    )
    ScreeningQuestion.objects.create(
        vacancy=vacancy, position=1, text="Do you have a driving licence and a car for work?"
    )
    return vacancy


@pytest.fixture
def question(vacancy):
    return vacancy.questions.get()


@pytest.fixture
def wendy_application(vacancy, worker, entry_in_own_role, question):
    """Wendy, registered, shares her passport (not her identity checks); her moving and
    handling is due for renewal within 60 days. She drives."""
    application = JobApplicationFactory(
        vacancy=vacancy,
        applicant=worker,
        entry=entry_in_own_role,
        submitted_at=timezone.now() - timedelta(days=2),
    )
    job_application_share(application)
    TrainingRecordFactory(
        entry=entry_in_own_role,
        standard=TrainingStandardFactory(code="moving-and-handling", title="Moving and handling"),
        completed_on=timezone.localdate() - timedelta(days=340),
        expires_on=timezone.localdate() + timedelta(days=20),
    )
    ScreeningAnswer.objects.create(application=application, question=question, answer=True)
    return application


@pytest.fixture
def pat_application(vacancy, question):
    """Pat, not on the register, applied yesterday and does not drive."""
    application = JobApplicationFactory(
        vacancy=vacancy,
        applicant=UserFactory(email="pat@example.org", full_name="Pat Newcomer"),
        submitted_at=timezone.now() - timedelta(days=1),
    )
    ScreeningAnswer.objects.create(application=application, question=question, answer=False)
    return application


@pytest.fixture
def sam_application(vacancy, own_role):
    """Sam applied today, and has since been suspended from the register."""
    entry = RegisterEntryFactory(
        application__worker__email="sam@example.org",
        application__legal_name="Sam Suspended",
        application__pathway_role=own_role,
    )
    application = JobApplicationFactory(vacancy=vacancy, applicant=entry.worker, entry=entry)
    job_application_share(application)
    RegisterEntry.objects.filter(pk=entry.pk).update(status=RegisterEntry.Status.SUSPENDED)
    return application


@pytest.fixture
def other_employer(db):
    """A member of another verified employer."""
    from tests.factories import MembershipFactory

    organisation = OrganisationFactory(name="Elsewhere Care")
    return MembershipFactory(user__email="elsewhere@example.org", organisation=organisation).user
