"""Training records over the API: a provider records and revokes, a worker reads their own."""

import datetime

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from api.throttles import TrainingRecordsThrottle
from core.models import AuditEvent
from passports.models import MatchFailure, ProviderApproval, TrainingRecord
from passports.services.records import NO_MATCH
from register.registration_numbers import format_number
from tests.api.conftest import error_of
from tests.factories import RegisterEntryFactory, TrainingRecordFactory, TrainingStandardFactory

pytestmark = pytest.mark.django_db

CREATE = reverse("api:training-records")
OWN = reverse("api:own-training-records")


def revoke_url(record) -> str:
    return reverse("api:training-record-revoke", args=[record.pk])


def new_record(provider_organisation, entry, **changes) -> dict:
    body = {
        "provider": provider_organisation.pk,
        "registration_number": entry.registration_number,
        "date_of_birth": "1990-05-17",
        "standard": "moving-and-handling",
        "completed_on": (timezone.localdate() - datetime.timedelta(days=3)).isoformat(),
    }
    body.update(changes)
    return body


@pytest.fixture
def provider_client(client, provider):
    client.force_login(provider)
    return client


# --- Recording -----------------------------------------------------------------------------


def test_an_approved_provider_records_verified_training(
    provider_client, approved_provider_organisation, entry, provider
):
    response = provider_client.post(
        CREATE, new_record(approved_provider_organisation, entry), content_type="application/json"
    )

    assert response.status_code == 201
    body = response.json()
    record = TrainingRecord.objects.get(pk=body["id"])
    assert (record.entry, record.provider, record.status) == (
        entry,
        approved_provider_organisation,
        TrainingRecord.Status.VERIFIED,
    )
    assert body["registration_number"] == entry.registration_number
    assert body["standard"] == {"code": "moving-and-handling", "title": "Moving and handling"}
    assert body["status"] == "verified"
    event = AuditEvent.objects.get(action="passports.record.recorded")
    assert (event.actor_id, event.target_id) == (provider.pk, str(record.pk))


@pytest.mark.parametrize("born", ["1990-05-17", "1991-01-01"], ids=["right date", "wrong date"])
def test_a_provider_not_yet_approved_is_refused_the_same_whatever_the_date_of_birth(
    provider_client, approved_provider_organisation, entry, born
):
    ProviderApproval.objects.filter(organisation=approved_provider_organisation).delete()

    response = provider_client.post(
        CREATE,
        new_record(approved_provider_organisation, entry, date_of_birth=born),
        content_type="application/json",
    )

    assert response.status_code == 403
    error = error_of(response)
    assert error["code"] == "refused"
    assert error["message"].startswith(
        f"{approved_provider_organisation.name} cannot record or upload training yet: a "
        "registrar must approve it as a training provider first."
    )
    assert not TrainingRecord.objects.exists()
    assert not MatchFailure.objects.exists()


@pytest.mark.parametrize(
    "changes",
    [{"date_of_birth": "1991-01-01"}, {"registration_number": format_number(9_999_999)}],
    ids=["wrong date of birth", "unknown registration number"],
)
def test_a_mismatch_never_says_which_half_was_wrong(
    provider_client, approved_provider_organisation, entry, changes
):
    response = provider_client.post(
        CREATE,
        new_record(approved_provider_organisation, entry, **changes),
        content_type="application/json",
    )

    assert response.status_code == 400
    assert error_of(response) == {
        "status": 400,
        "code": "refused",
        "message": NO_MATCH[0].upper() + NO_MATCH[1:],
        "fields": {},
    }
    assert not TrainingRecord.objects.exists()


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        (
            {"registration_number": "CR1234"},
            "registration_number",
            "Enter a registration number like CR1000001H",
        ),
        (
            {"completed_on": "2999-01-01"},
            "completed_on",
            "The completion date must be today or in the past",
        ),
        ({"standard": "juggling"}, "standard", "There is no training standard in use"),
        ({"date_of_birth": "17/05/1990"}, "date_of_birth", "Date has wrong format"),
    ],
)
def test_a_wrong_value_is_named_next_to_its_field(
    provider_client, approved_provider_organisation, entry, changes, field, message
):
    response = provider_client.post(
        CREATE,
        new_record(approved_provider_organisation, entry, **changes),
        content_type="application/json",
    )

    assert response.status_code == 400
    error = error_of(response)
    assert (error["code"], list(error["fields"])) == ("invalid", [field])
    assert error["fields"][field][0].startswith(message)
    assert not TrainingRecord.objects.exists()


def test_the_same_training_cannot_be_recorded_twice(
    provider_client, approved_provider_organisation, entry
):
    body = new_record(approved_provider_organisation, entry)
    provider_client.post(CREATE, body, content_type="application/json")

    response = provider_client.post(CREATE, body, content_type="application/json")

    assert response.status_code == 400
    assert error_of(response)["message"] == (
        "This training is already recorded for this worker on that date"
    )
    assert TrainingRecord.objects.count() == 1


def test_nobody_records_for_a_provider_they_are_not_a_member_of(
    client, other_provider, approved_provider_organisation, entry
):
    client.force_login(other_provider)

    response = client.post(
        CREATE, new_record(approved_provider_organisation, entry), content_type="application/json"
    )

    assert response.status_code == 400
    assert error_of(response)["fields"] == {
        "provider": ["You do not record for a training provider with that id."]
    }
    assert not TrainingRecord.objects.exists()


def test_a_session_without_its_csrf_token_is_refused(
    provider, approved_provider_organisation, entry
):
    client = Client(enforce_csrf_checks=True)
    client.force_login(provider)

    response = client.post(
        CREATE, new_record(approved_provider_organisation, entry), content_type="application/json"
    )

    assert response.status_code == 403
    assert error_of(response)["code"] == "permission_denied"
    assert "CSRF" in error_of(response)["message"]
    assert not TrainingRecord.objects.exists()


# --- Listing a provider's records -----------------------------------------------------------


def test_a_provider_lists_only_its_own_records(
    provider_client, approved_provider_organisation, record, other_record
):
    response = provider_client.get(CREATE, {"provider": approved_provider_organisation.pk})

    assert response.status_code == 200
    assert [item["id"] for item in response.json()["results"]] == [record.pk]


def test_another_providers_list_does_not_exist(provider_client, other_record):
    response = provider_client.get(CREATE, {"provider": other_record.provider_id})

    assert response.status_code == 404
    assert error_of(response)["code"] == "not_found"


def test_listing_needs_the_provider(provider_client):
    response = provider_client.get(CREATE)

    assert response.status_code == 400
    assert list(error_of(response)["fields"]) == ["provider"]


# --- Revoking ------------------------------------------------------------------------------


def test_a_provider_revokes_its_own_record_and_the_worker_is_told(
    provider_client, record, provider, worker, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = provider_client.post(
            revoke_url(record),
            {"reason": "Recorded in error: the course was not completed."},
            content_type="application/json",
        )

    assert response.status_code == 200
    assert (response.json()["status"], response.json()["status_reason"]) == (
        "revoked",
        "Recorded in error: the course was not completed.",
    )
    record.refresh_from_db()
    assert record.status == TrainingRecord.Status.REVOKED
    event = AuditEvent.objects.get(action="passports.record.revoked")
    assert (event.actor_id, event.old_status, event.new_status) == (
        provider.pk,
        "verified",
        "revoked",
    )
    assert [message.to for message in mail.outbox] == [[worker.email]]


def test_a_provider_cannot_revoke_another_providers_record(provider_client, other_record):
    response = provider_client.post(
        revoke_url(other_record), {"reason": "Not ours."}, content_type="application/json"
    )

    assert response.status_code == 404
    assert error_of(response) == {
        "status": 404,
        "code": "not_found",
        "message": "No such record.",
        "fields": {},
    }
    other_record.refresh_from_db()
    assert other_record.status == TrainingRecord.Status.VERIFIED
    assert not AuditEvent.objects.filter(action="passports.record.revoked").exists()


def test_an_unknown_record_is_the_same_404(provider_client):
    response = provider_client.post(
        reverse("api:training-record-revoke", args=[999_999]),
        {"reason": "Gone."},
        content_type="application/json",
    )

    assert response.status_code == 404
    assert error_of(response)["message"] == "No such record."


def test_a_revoked_record_cannot_be_revoked_again(provider_client, record):
    provider_client.post(revoke_url(record), {"reason": "Once."}, content_type="application/json")

    response = provider_client.post(
        revoke_url(record), {"reason": "Twice."}, content_type="application/json"
    )

    assert response.status_code == 409
    assert error_of(response) == {
        "status": 409,
        "code": "refused",
        "message": "Only a verified record can be revoked, and this one is revoked.",
        "fields": {},
    }
    assert AuditEvent.objects.filter(action="passports.record.revoked").count() == 1


@pytest.mark.parametrize("reason", ["", "   "])
def test_revoking_needs_a_reason(provider_client, record, reason):
    response = provider_client.post(
        revoke_url(record), {"reason": reason}, content_type="application/json"
    )

    assert response.status_code == 400
    assert list(error_of(response)["fields"]) == ["reason"]
    record.refresh_from_db()
    assert record.status == TrainingRecord.Status.VERIFIED


# --- A worker's own records ----------------------------------------------------------------


def test_a_worker_reads_their_own_records_with_where_each_stands_today(
    client, worker, entry, provider, approved_provider_organisation, other_record
):
    current = TrainingRecordFactory(
        entry=entry,
        standard=TrainingStandardFactory(code="fire-safety", title="Fire safety"),
        completed_on=timezone.localdate() - datetime.timedelta(days=10),
        provider=approved_provider_organisation,
        recorded_by=provider,
    )
    expired = TrainingRecordFactory(
        entry=entry,
        standard=TrainingStandardFactory(code="moving-and-handling", title="Moving and handling"),
        completed_on=timezone.localdate() - datetime.timedelta(days=400),
        provider=approved_provider_organisation,
        recorded_by=provider,
    )
    waiting = TrainingRecordFactory(
        entry=entry,
        standard=TrainingStandardFactory(
            code="infection-prevention-and-control", title="Infection prevention and control"
        ),
        completed_on=timezone.localdate() - datetime.timedelta(days=10),
        provider=approved_provider_organisation,
        recorded_by=provider,
        unverified=True,
    )
    someone_else = TrainingRecordFactory(
        entry=RegisterEntryFactory(),
        standard=TrainingStandardFactory(code="fire-safety", title="Fire safety"),
        completed_on=timezone.localdate() - datetime.timedelta(days=10),
        provider=approved_provider_organisation,
        recorded_by=provider,
    )
    client.force_login(worker)

    response = client.get(OWN)

    assert response.status_code == 200
    body = response.json()
    assert body["registration_number"] == entry.registration_number
    assert body["today"] == timezone.localdate().isoformat()
    states = {item["id"]: (item["status"], item["state"]) for item in body["records"]}
    assert states == {
        current.pk: ("verified", "valid"),
        other_record.pk: ("verified", "valid"),
        expired.pk: ("verified", "expired"),
        waiting.pk: ("unverified", None),
    }
    assert someone_else.pk not in states
    needed = {item["standard"]["code"]: item["reason"] for item in body["needed"]}
    assert needed["moving-and-handling"].startswith("Expired on")


def test_someone_not_on_the_register_has_no_records_to_read(client, outsider):
    client.force_login(outsider)

    response = client.get(OWN)

    assert response.status_code == 404
    assert error_of(response)["message"] == "You are not on the register."


def test_the_training_endpoints_are_rate_limited_per_person(client, worker, entry, monkeypatch):
    monkeypatch.setattr(TrainingRecordsThrottle, "rate", "2/min")
    client.force_login(worker)

    statuses = [client.get(OWN).status_code for _ in range(3)]

    assert statuses == [200, 200, 429]
    assert error_of(client.get(OWN))["code"] == "throttled"
