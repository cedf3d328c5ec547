"""API keys across the API: the provider's keys on training records, keys on FHIR, and the
401/403 line (a key that is not valid is 401 with a Bearer challenge; a key without the scope
is 403)."""

import pytest
from django.urls import reverse
from django.utils import timezone

from employers.services import api_keys
from passports.models import TrainingRecord
from tests.api.conftest import error_of, put_on_staff_list

pytestmark = pytest.mark.django_db


def make_key(organisation, user, scopes):
    _api_key, full = api_keys.api_key_create(
        organisation=organisation, user=user, name="System", scopes=scopes
    )
    return full


def bearer(key):
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def record_body(entry, **overrides):
    return {
        "registration_number": entry.registration_number,
        "date_of_birth": "1990-05-17",
        "standard": "moving-and-handling",
        "completed_on": timezone.localdate().isoformat(),
        **overrides,
    }


def test_a_providers_key_records_training_for_its_own_organisation(
    client, provider, approved_provider_organisation, entry
):
    key = make_key(approved_provider_organisation, provider, ["training:write"])

    response = client.post(
        reverse("api:training-records"),
        record_body(entry),
        content_type="application/json",
        **bearer(key),
    )

    assert response.status_code == 201, response.json()
    record = TrainingRecord.objects.get(pk=response.json()["id"])
    assert record.provider == approved_provider_organisation
    assert record.recorded_by == provider


def test_a_key_records_for_no_other_provider_even_one_its_maker_belongs_to(
    client, provider, approved_provider_organisation, other_provider, entry
):
    # The key's maker is also an owner of the other provider; the key is still only its own.
    other = other_provider.organisations.get()
    other.memberships.create(user=provider, role="owner")
    key = make_key(approved_provider_organisation, provider, ["training:read", "training:write"])

    posted = client.post(
        reverse("api:training-records"),
        record_body(entry, provider=other.pk),
        content_type="application/json",
        **bearer(key),
    )
    listed = client.get(reverse("api:training-records") + f"?provider={other.pk}", **bearer(key))

    assert posted.status_code == 400
    assert error_of(posted)["fields"] == {
        "provider": ["You do not record for a training provider with that id."]
    }
    assert listed.status_code == 404
    assert not TrainingRecord.objects.filter(provider=other).exists()


def test_a_key_revokes_only_its_own_organisations_records(
    client, provider, approved_provider_organisation, other_provider, record, other_record
):
    other_provider.organisations.get().memberships.create(user=provider, role="owner")
    key = make_key(approved_provider_organisation, provider, ["training:write"])
    url = "api:training-record-revoke"

    theirs = client.post(
        reverse(url, args=[other_record.pk]), {"reason": "No."}, "application/json", **bearer(key)
    )
    ours = client.post(
        reverse(url, args=[record.pk]), {"reason": "In error."}, "application/json", **bearer(key)
    )

    assert theirs.status_code == 404
    assert ours.status_code == 200
    other_record.refresh_from_db()
    assert other_record.status == TrainingRecord.Status.VERIFIED


def test_a_key_lists_its_providers_records_without_naming_the_provider(
    client, provider, approved_provider_organisation, record
):
    key = make_key(approved_provider_organisation, provider, ["training:read"])

    response = client.get(reverse("api:training-records"), **bearer(key))

    assert response.status_code == 200
    assert [row["id"] for row in response.json()["results"]] == [record.pk]


def test_a_read_key_may_not_record(client, provider, approved_provider_organisation, entry):
    key = make_key(approved_provider_organisation, provider, ["training:read"])

    response = client.post(
        reverse("api:training-records"),
        record_body(entry),
        content_type="application/json",
        **bearer(key),
    )

    assert response.status_code == 403
    assert error_of(response)["message"] == (
        "This API key may not do that: it needs the training:write scope."
    )
    assert not TrainingRecord.objects.exists()


def test_a_revoked_key_is_a_401_with_a_bearer_challenge(
    client, provider, approved_provider_organisation
):
    api_key, full = api_keys.api_key_create(
        organisation=approved_provider_organisation,
        user=provider,
        name="Old",
        scopes=["training:read"],
    )
    api_keys.api_key_revoke(api_key=api_key, user=provider)

    response = client.get(reverse("api:training-records"), **bearer(full))

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Bearer"
    assert error_of(response)["message"] == "The API key is not valid, or was revoked."


def test_an_anonymous_caller_is_challenged_for_a_key(client):
    response = client.get(reverse("api:own-training-records"))

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Bearer"


def test_keys_may_not_read_their_makers_own_training(
    client, worker, entry, approved_provider_organisation
):
    # Even a key made by someone on the register: a key speaks for an organisation.
    approved_provider_organisation.memberships.create(user=worker, role="owner")
    key = make_key(approved_provider_organisation, worker, ["training:read"])

    response = client.get(reverse("api:own-training-records"), **bearer(key))

    assert response.status_code == 403


def test_an_employers_fhir_key_sees_current_training_only_of_workers_on_its_staff_list(
    client, employer, employer_organisation, entry, record
):
    key = make_key(employer_organisation, employer, ["fhir:read"])
    url = reverse("api:fhir-practitioner", args=[entry.registration_number])

    before = client.get(url, **bearer(key)).json()
    put_on_staff_list(entry=entry, organisation=employer_organisation, user=employer)
    after = client.get(url, **bearer(key)).json()

    assert [q["code"]["coding"][0]["code"] for q in before["qualification"]] == ["registration"]
    assert [q["code"]["coding"][0]["code"] for q in after["qualification"]] == [
        "registration",
        record.standard.code,
    ]


def test_a_key_made_by_a_registrar_sees_no_training_it_would_not_as_a_key(
    client, registrar, employer_organisation, entry, record
):
    employer_organisation.memberships.create(user=registrar, role="owner")
    key = make_key(employer_organisation, registrar, ["fhir:read"])

    response = client.get(
        reverse("api:fhir-practitioner", args=[entry.registration_number]), **bearer(key)
    )

    assert [q["code"]["coding"][0]["code"] for q in response.json()["qualification"]] == [
        "registration"
    ]


def test_a_fhir_read_without_the_scope_is_a_403_operation_outcome(
    client, employer, employer_organisation, entry
):
    key = make_key(employer_organisation, employer, ["staff:read"])

    response = client.get(
        reverse("api:fhir-practitioner", args=[entry.registration_number]), **bearer(key)
    )

    assert response.status_code == 403
    assert response.json()["resourceType"] == "OperationOutcome"
    assert response.json()["issue"][0]["code"] == "forbidden"


def test_an_employers_fhir_key_sees_no_training_once_its_verification_is_withdrawn(
    client, employer, employer_organisation, entry, record, registrar
):
    from employers.services.verification import employer_verification_withdraw

    key = make_key(employer_organisation, employer, ["fhir:read"])
    put_on_staff_list(entry=entry, organisation=employer_organisation, user=employer)
    url = reverse("api:fhir-practitioner", args=[entry.registration_number])
    assert len(client.get(url, **bearer(key)).json()["qualification"]) == 2

    employer_verification_withdraw(organisation=employer_organisation, registrar=registrar)

    assert [
        q["code"]["coding"][0]["code"]
        for q in client.get(url, **bearer(key)).json()["qualification"]
    ] == ["registration"]
