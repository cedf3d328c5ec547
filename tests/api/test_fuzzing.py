"""Schemathesis against the WSGI application: generated requests to every operation in the
OpenAPI schema, signed out and signed in, must never get a 5xx, a status code the schema does not
list, or a body that breaks the schema. .ci/fuzz-api does the same, longer, against a real
server on a seeded database."""

import datetime

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from django.test import Client
from django.utils import timezone
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    response_schema_conformance,
    status_code_conformance,
)

from config.wsgi import application
from employers.services import api_keys
from tests.factories import (
    ConsultationFactory,
    ProviderApprovalFactory,
    RegisterEntryFactory,
    TrainingRecordFactory,
    TrainingStandardFactory,
)

CHECKS = [not_a_server_error, response_schema_conformance, status_code_conformance]


# The schema is generated from the code alone: loading it needs no database.
schema = schemathesis.openapi.from_wsgi("/api/v1/schema/", application)


@pytest.fixture(autouse=True)
def _requests_keep_the_test_connection():
    # As Django's test client does: a request must not close the connection that holds the
    # test's transaction when it finishes.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def seeded(worker, provider, registrar, employer, employer_organisation, association_admin):
    """Data for the signed-in calls to reach past the 404s: the worker on the register, with a
    verified record from an approved provider."""
    entry = RegisterEntryFactory(application__worker=worker)
    organisation = provider.organisations.get()
    ProviderApprovalFactory(organisation=organisation, approved_by=registrar)
    record = TrainingRecordFactory(
        entry=entry,
        standard=TrainingStandardFactory(code="fire-safety", title="Fire safety"),
        completed_on=timezone.localdate() - datetime.timedelta(days=10),
        expires_on=None,
        provider=organisation,
        recorded_by=provider,
    )
    association = association_admin.organisations.get()
    consultation = ConsultationFactory(
        created_by=association_admin, organisation=association, status="open"
    )
    _api_key, key = api_keys.api_key_create(
        organisation=employer_organisation,
        user=employer,
        name="Fuzz",
        scopes=[
            "register:read",
            "passports:verify",
            "sharecodes:check",
            "staff:read",
            "staff:write",
            "fhir:read",
        ],
    )
    return {
        "worker": worker,
        "provider": provider,
        "key": key,
        "known": {
            "registration_number": entry.registration_number,
            "record_id": record.pk,
            "provider": organisation.pk,
            "slug": consultation.slug,
        },
    }


def call_and_validate(case, seeded, headers=None) -> None:
    """The generated request, then the same with the ids that exist put in: random ids almost
    never name a worker or a record, and the answers about real ones must hold too."""
    case.call_and_validate(headers=headers, checks=CHECKS)
    known = seeded["known"]
    replaced = False
    for parameters in (case.path_parameters, case.query):
        for name in set(parameters or {}) & set(known):
            parameters[name] = known[name]
            replaced = True
    if replaced:
        case.call_and_validate(headers=headers, checks=CHECKS)


def session_headers(user) -> dict[str, str]:
    client = Client()
    client.force_login(user)
    csrf = "a" * 32
    return {
        "Cookie": f"sessionid={client.cookies['sessionid'].value}; csrftoken={csrf}",
        "X-CSRFToken": csrf,
    }


HYPOTHESIS = settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
    ],
    database=None,
)


@schema.parametrize()
@HYPOTHESIS
def test_no_generated_request_breaks_the_api_signed_out(case, seeded):
    call_and_validate(case, seeded)


@schema.parametrize()
@HYPOTHESIS
def test_no_generated_request_breaks_the_api_for_a_worker(case, seeded):
    call_and_validate(case, seeded, session_headers(seeded["worker"]))


@schema.parametrize()
@HYPOTHESIS
def test_no_generated_request_breaks_the_api_for_a_training_provider(case, seeded):
    call_and_validate(case, seeded, session_headers(seeded["provider"]))


@schema.parametrize()
@HYPOTHESIS
def test_no_generated_request_breaks_the_api_for_an_employers_api_key(case, seeded):
    call_and_validate(case, seeded, {"Authorization": f"Bearer {seeded['key']}"})
