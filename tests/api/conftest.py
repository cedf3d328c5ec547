"""Fixtures for the API tests: the worker on the register, their training provider (approved)
with a verified record, and another provider with a record of its own."""

import datetime

import pytest
from django.utils import timezone

from accounts.models import Membership, Organisation
from passports.models import ProviderApproval, TrainingStandard
from tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    RegisterEntryFactory,
    TrainingRecordFactory,
    TrainingStandardFactory,
    UserFactory,
    answers,
)


def error_of(response) -> dict:
    """The one error format, checked whole: every error response carries exactly this."""
    body = response.json()
    assert set(body) == {"error"}, body
    error = body["error"]
    assert set(error) == {"status", "code", "message", "fields"}, error
    assert error["status"] == response.status_code
    assert error["message"]
    return error


@pytest.fixture
def entry(worker):
    return RegisterEntryFactory(application__worker=worker)


@pytest.fixture
def provider_organisation(provider):
    organisation = provider.organisations.get()
    # Approved by a registrar who is no persona, so each persona stays as its fixture made it.
    approver = UserFactory(email="approver@example.org", is_registrar=True)
    ProviderApproval.objects.create(organisation=organisation, approved_by=approver)
    return organisation


@pytest.fixture
def standard(db):
    return TrainingStandard.objects.get(code="moving-and-handling")


@pytest.fixture
def record(entry, provider_organisation, provider):
    return TrainingRecordFactory(
        entry=entry,
        standard=TrainingStandardFactory(code="fire-safety", title="Fire safety"),
        completed_on=timezone.localdate() - datetime.timedelta(days=10),
        provider=provider_organisation,
        recorded_by=provider,
    )


@pytest.fixture
def other_provider(db):
    organisation = OrganisationFactory(
        name="Other Training Ltd", kind=Organisation.Kind.TRAINING_PROVIDER
    )
    return MembershipFactory(
        user__email="other-provider@example.org",
        organisation=organisation,
        role=Membership.Role.OWNER,
    ).user


@pytest.fixture
def other_record(entry, other_provider):
    return TrainingRecordFactory(
        entry=entry,
        standard=TrainingStandardFactory(code="safeguarding-adults", title="Safeguarding adults"),
        completed_on=timezone.localdate() - datetime.timedelta(days=10),
        provider=other_provider.organisations.get(),
        recorded_by=other_provider,
    )


def put_on_staff_list(*, entry, organisation, user):
    """The worker gives the employer a share code, and the employer adds them: their consent."""
    from employers.services import sharecodes, staff

    _share_code, code = sharecodes.share_code_create(
        worker=entry.application.worker, entry=entry, shares_identity_checks=False
    )
    check = sharecodes.share_code_check(
        organisation=organisation,
        user=user,
        code=sharecodes.share_code_format(code),
        date_of_birth=entry.application.date_of_birth,
    ).check
    return staff.staff_add(organisation=organisation, user=user, check=check)


def consultation_response_body(open_consultation) -> dict:
    """A whole, valid response to the tests' consultation (ConsultationFactory), as the API
    takes it."""
    result = {}
    for key, value in answers(open_consultation).items():
        result[key] = {"options": value["options"]} if value["options"] else {"text": value["text"]}
    return {"answers": result}
