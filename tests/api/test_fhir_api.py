"""FHIR R4 Practitioner read, validated with fhir.resources' R4B models (R4B's Practitioner is
R4's; see docs/decisions/0009-api-docs-fuzzing-and-fhir.md)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from fhir.resources.R4B.operationoutcome import OperationOutcome
from fhir.resources.R4B.practitioner import Practitioner

from api.throttles import PublicRegisterAnonThrottle
from register.models import RegisterEntry
from register.registration_numbers import format_number
from tests.factories import RegisterEntryFactory, TrainingRecordFactory, TrainingStandardFactory

pytestmark = pytest.mark.django_db

SYSTEM = "http://testserver/fhir/sid/registration-number"


def practitioner_url(number: str) -> str:
    return reverse("api:fhir-practitioner", args=[number])


def read(client, number: str, **headers) -> Practitioner:
    response = client.get(practitioner_url(number), **headers)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/fhir+json"
    return Practitioner.model_validate_json(response.content)


@pytest.fixture
def training(entry, provider, approved_provider_organisation):
    """A current verified record, an expired one and one waiting for a registrar."""
    return {
        "current": TrainingRecordFactory(
            entry=entry,
            standard=TrainingStandardFactory(code="fire-safety", title="Fire safety"),
            completed_on=timezone.localdate() - datetime.timedelta(days=10),
            provider=approved_provider_organisation,
            recorded_by=provider,
        ),
        "expired": TrainingRecordFactory(
            entry=entry,
            standard=TrainingStandardFactory(
                code="moving-and-handling", title="Moving and handling"
            ),
            completed_on=timezone.localdate() - datetime.timedelta(days=400),
            provider=approved_provider_organisation,
            recorded_by=provider,
        ),
        "waiting": TrainingRecordFactory(
            entry=entry,
            standard=TrainingStandardFactory(
                code="safeguarding-adults", title="Safeguarding adults"
            ),
            completed_on=timezone.localdate() - datetime.timedelta(days=10),
            provider=approved_provider_organisation,
            recorded_by=provider,
            unverified=True,
        ),
    }


def codes(practitioner: Practitioner) -> list[str]:
    return [q.code.coding[0].code for q in practitioner.qualification]


def test_an_anonymous_read_is_the_registration_alone(client, entry, training):
    practitioner = read(client, entry.registration_number)

    assert practitioner.id == entry.registration_number
    assert [(i.system, i.value) for i in practitioner.identifier] == [
        (SYSTEM, entry.registration_number)
    ]
    assert practitioner.name[0].text == entry.full_name
    assert practitioner.active is True
    assert codes(practitioner) == ["registration"]
    registration = practitioner.qualification[0]
    assert (registration.period.start, registration.period.end) == (
        entry.registered_from,
        entry.renewal_due,
    )
    assert registration.issuer.display == "Care Register"
    assert registration.identifier[0].value == entry.registration_number


def test_the_worker_reading_themselves_also_gets_their_current_verified_training(
    client, worker, entry, training, approved_provider_organisation
):
    client.force_login(worker)

    practitioner = read(client, entry.registration_number)

    assert codes(practitioner) == ["registration", "fire-safety"]
    fire_safety = practitioner.qualification[1]
    assert fire_safety.period.start == training["current"].completed_on
    assert fire_safety.period.end == training["current"].expires_on
    assert fire_safety.issuer.display == approved_provider_organisation.name


def test_a_registrar_gets_the_training_too(client, registrar, entry, training):
    client.force_login(registrar)

    assert codes(read(client, entry.registration_number)) == ["registration", "fire-safety"]


@pytest.mark.parametrize("persona", ["employer", "provider", "outsider", "registrar_without_mfa"])
def test_other_signed_in_people_get_the_registration_alone(
    client, request, entry, training, persona
):
    client.force_login(request.getfixturevalue(persona))

    assert codes(read(client, entry.registration_number)) == ["registration"]


@pytest.mark.parametrize(
    ("status", "active"),
    [
        (RegisterEntry.Status.REGISTERED, True),
        (RegisterEntry.Status.REGISTERED_WITH_CONDITIONS, True),
        (RegisterEntry.Status.SUSPENDED, False),
        (RegisterEntry.Status.LAPSED, False),
    ],
)
def test_active_follows_the_registration_status(client, status, active):
    entry = RegisterEntryFactory(status=status)

    assert read(client, entry.registration_number).active is active


def test_a_worker_removed_on_fitness_to_practise_grounds_is_shown_inactive(client):
    entry = RegisterEntryFactory(
        status=RegisterEntry.Status.REMOVED,
        removal_kind=RegisterEntry.RemovalKind.FITNESS_TO_PRACTISE,
    )

    assert read(client, entry.registration_number).active is False


@pytest.mark.parametrize("known", [False, True], ids=["unknown number", "left voluntarily"])
def test_a_worker_the_public_register_does_not_show_is_a_404_operation_outcome(client, known):
    number = format_number(9_999_999)
    if known:
        number = RegisterEntryFactory(
            status=RegisterEntry.Status.REMOVED,
            removal_kind=RegisterEntry.RemovalKind.VOLUNTARY,
        ).registration_number

    response = client.get(practitioner_url(number))

    assert response.status_code == 404
    assert response["Content-Type"] == "application/fhir+json"
    outcome = OperationOutcome.model_validate_json(response.content)
    assert [(issue.severity, issue.code) for issue in outcome.issue] == [("error", "not-found")]
    assert outcome.issue[0].diagnostics == (
        "No entry on the public register has that registration number."
    )


def test_a_number_can_be_given_in_lower_case_with_dashes(client, entry):
    number = entry.registration_number

    practitioner = read(client, f"{number[:5].lower()}-{number[5:].lower()}")

    assert practitioner.id == number


def test_a_client_asking_for_plain_json_still_gets_fhir_json(client, entry):
    practitioner = read(client, entry.registration_number, HTTP_ACCEPT="application/json")

    assert practitioner.id == entry.registration_number


@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_writing_is_not_supported_and_says_so_in_fhir(client, entry, method):
    response = getattr(client, method)(practitioner_url(entry.registration_number))

    assert response.status_code == 405
    outcome = OperationOutcome.model_validate_json(response.content)
    assert outcome.issue[0].code == "not-supported"


def test_too_many_requests_is_an_operation_outcome_too(client, entry, monkeypatch):
    monkeypatch.setattr(PublicRegisterAnonThrottle, "rate", "1/min")
    url = practitioner_url(entry.registration_number)
    client.get(url)

    response = client.get(url)

    assert response.status_code == 429
    outcome = OperationOutcome.model_validate_json(response.content)
    assert outcome.issue[0].code == "throttled"
