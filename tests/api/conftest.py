"""Fixtures for the API tests: the worker on the register, their training provider (approved)
with a verified record, and another provider with a record of its own."""

import datetime

import pytest
from django.utils import timezone

from tests.factories import (
    TrainingRecordFactory,
    TrainingStandardFactory,
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
def approved_provider_organisation(approved):
    """The provider's organisation, approved by a member of staff who is no persona (so each
    persona stays as its fixture made it)."""
    return approved.organisation


@pytest.fixture
def record(entry, approved_provider_organisation, provider):
    return TrainingRecordFactory(
        entry=entry,
        standard=TrainingStandardFactory(code="fire-safety", title="Fire safety"),
        completed_on=timezone.localdate() - datetime.timedelta(days=10),
        provider=approved_provider_organisation,
        recorded_by=provider,
    )


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
