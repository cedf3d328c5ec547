"""A training record revoked after a passport carrying it was issued: the passport is suspended
at once, the worker is told and can issue a fresh one, and the online check marks the record."""

import json
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from core.models import AuditEvent
from passports import status_lists, verification
from passports.models import Passport, TrainingRecord
from passports.services import passports as services
from passports.services import records
from tests.factories import TrainingRecordFactory, TrainingStandardFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.filterwarnings("ignore:EdDSA is deprecated:joserfc.errors.SecurityWarning"),
]

REASON = "The trainer was not qualified."


@pytest.fixture
def provider_record(entry_with_training, provider_organisation):
    """Safeguarding, recorded and verified by the provider, in date."""
    return TrainingRecordFactory(
        entry=entry_with_training,
        standard=TrainingStandardFactory(code="safeguarding", title="Safeguarding adults"),
        provider=provider_organisation,
        completed_on=timezone.localdate() - timedelta(days=20),
        expires_on=None,
    )


@pytest.fixture
def carrying(provider_record, entry_with_training, worker, signing_key):
    """The worker's passport, issued after the provider's record: it carries it."""
    return services.passport_issue(entry=entry_with_training, requested_by=worker)


def revoke(record, by, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return records.training_record_revoke(record=record, by=by, reason=REASON)


def suspension_bits() -> list[int]:
    bits = status_lists.decode_bitstring(
        status_lists.status_list_credential("suspension")["credentialSubject"]["encodedList"]
    )
    return [index for index in range(len(bits) * 8) if status_lists.bit_is_set(bits, index)]


def test_a_passport_remembers_the_records_it_was_signed_with(carrying, provider_record):
    carried = set(carrying.records.values_list("standard__code", flat=True))

    # The unverified food hygiene record is not in it.
    assert carried == {"moving-and-handling", "fire-safety", "safeguarding"}


def test_revoking_a_record_suspends_every_valid_passport_carrying_it(
    carrying, provider_record, provider, django_capture_on_commit_callbacks
):
    revoke(provider_record, provider, django_capture_on_commit_callbacks)

    carrying.refresh_from_db()
    assert carrying.status == Passport.Status.SUSPENDED
    assert carrying.reason_code == Passport.ReasonCode.RECORD_REVOKED
    assert carrying.suspension_index in suspension_bits()
    [event] = AuditEvent.objects.filter(action="passports.passport.suspended")
    assert event.actor_id == provider.pk
    assert (event.old_status, event.new_status) == ("valid", "suspended")
    assert event.data == {
        "public_id": carrying.public_id,
        "reason_code": "record_revoked",
        "record_id": provider_record.pk,
    }


def test_a_registrars_revocation_suspends_the_passport_too(
    carrying, provider_record, registrar, django_capture_on_commit_callbacks
):
    revoke(provider_record, registrar, django_capture_on_commit_callbacks)

    carrying.refresh_from_db()
    assert (carrying.status, carrying.reason_code) == ("suspended", "record_revoked")


def test_a_passport_that_does_not_carry_the_record_is_left_alone(
    entry_with_training,
    worker,
    signing_key,
    provider,
    provider_organisation,
    django_capture_on_commit_callbacks,
):
    earlier = services.passport_issue(entry=entry_with_training, requested_by=worker)
    # Recorded after the passport was issued: not in it.
    later_record = TrainingRecordFactory(
        entry=entry_with_training,
        standard=TrainingStandardFactory(code="first-aid", title="First aid"),
        provider=provider_organisation,
        completed_on=timezone.localdate() - timedelta(days=2),
    )

    revoke(later_record, provider, django_capture_on_commit_callbacks)

    earlier.refresh_from_db()
    assert earlier.status == Passport.Status.VALID
    assert not AuditEvent.objects.filter(action="passports.passport.suspended").exists()
    assert verification.verify(earlier.token).valid is True


def test_the_record_revocation_and_the_suspension_happen_together_or_not_at_all(
    carrying, provider_record, provider, monkeypatch
):
    def fail(**kwargs):
        raise RuntimeError("the email could not be queued")

    monkeypatch.setattr(records, "email_from_template", fail)

    with pytest.raises(RuntimeError):
        records.training_record_revoke(record=provider_record, by=provider, reason=REASON)

    carrying.refresh_from_db()
    provider_record.refresh_from_db()
    assert (provider_record.status, carrying.status) == ("verified", "valid")


def test_the_worker_is_emailed_that_their_passport_is_suspended(
    carrying, provider_record, provider, django_capture_on_commit_callbacks
):
    revoke(provider_record, provider, django_capture_on_commit_callbacks)

    [email] = mail.outbox
    assert email.to == [carrying.entry.worker.email]
    assert "Reason: The trainer was not qualified." in email.body
    assert "Your signed passport carried this record, so it has been suspended" in email.body
    assert "Issue a new passport" in email.body


def test_the_email_says_nothing_of_a_passport_when_none_carried_the_record(
    provider_record, provider, django_capture_on_commit_callbacks
):
    revoke(provider_record, provider, django_capture_on_commit_callbacks)

    [email] = mail.outbox
    assert "suspended" not in email.body


def test_the_passport_page_tells_the_worker_and_they_issue_a_fresh_passport(
    client, carrying, provider_record, provider, worker, django_capture_on_commit_callbacks
):
    revoke(provider_record, provider, django_capture_on_commit_callbacks)
    client.force_login(worker)

    page = client.get(reverse("passports:page")).content.decode()
    assert "a training record in it has since been revoked" in page

    response = client.post(reverse("passports:issue"))

    assert response.status_code == 302
    fresh = Passport.objects.get(status=Passport.Status.VALID)
    assert fresh.pk != carrying.pk
    assert "safeguarding" not in set(fresh.records.values_list("standard__code", flat=True))
    assert verification.verify(fresh.token).valid is True
    carrying.refresh_from_db()
    assert carrying.status == Passport.Status.SUPERSEDED
    assert "a training record in it has since been revoked" not in (
        client.get(reverse("passports:page")).content.decode()
    )


def test_a_passport_suspended_for_a_revoked_record_cannot_be_made_valid_again(
    carrying, provider_record, provider, registrar, django_capture_on_commit_callbacks
):
    revoke(provider_record, provider, django_capture_on_commit_callbacks)

    with pytest.raises(services.PassportError, match="no longer stands"):
        services.passport_unsuspend(passport=carrying, registrar=registrar)


def test_the_online_check_fails_a_passport_and_marks_the_revoked_record(
    carrying, provider_record, provider, django_capture_on_commit_callbacks
):
    revoke(provider_record, provider, django_capture_on_commit_callbacks)

    result = verification.verify(carrying.token)

    assert result.valid is False
    training = result.check("training")
    assert training.status == verification.FAIL
    assert training.message.startswith("1 of 3 training records is no longer verified")
    by_name = {record["name"]: record for record in training.records}
    assert by_name["Safeguarding adults"]["status"] == verification.FAIL
    assert by_name["Safeguarding adults"]["message"] == (
        "Revoked since this passport was issued: no longer verified."
    )
    # The others are reported as before.
    assert {
        record["status"] for name, record in by_name.items() if name != "Safeguarding adults"
    } == {
        verification.PASS,
        verification.WARN,
    }


def test_a_revoked_record_alone_makes_the_online_check_not_valid(carrying, provider_record):
    # A passport whose status did not change (linked to its records before suspension was
    # automatic): the record itself is enough.
    TrainingRecord.objects.filter(pk=provider_record.pk).update(status="revoked")

    result = verification.verify(carrying.token)

    assert result.check("status").status == verification.PASS
    assert result.valid is False
    assert result.check("training").status == verification.FAIL


def test_offline_the_passport_alone_cannot_tell_a_record_was_revoked(
    carrying, provider_record, client
):
    TrainingRecord.objects.filter(pk=provider_record.pk).update(status="revoked")
    jwks = client.get("/.well-known/jwks.json").json()

    result = verification.verify(carrying.token, jwks=jwks)

    # Offline the lists decide; the training is read from the token alone.
    assert result.check("training").status != verification.FAIL


def test_the_verify_page_and_the_api_show_the_record_as_no_longer_verified(
    client, carrying, provider_record, provider, django_capture_on_commit_callbacks
):
    revoke(provider_record, provider, django_capture_on_commit_callbacks)

    page = client.post(reverse("passports:verify"), {"token": carrying.token}).content.decode()
    data = client.post(
        "/api/v1/passports/verify",
        data=json.dumps({"token": carrying.token}),
        content_type="application/json",
    ).json()

    assert "<strong>No longer verified:</strong> Safeguarding adults." in page
    assert "<strong>Valid:</strong> Safeguarding adults." not in page
    assert "do not rely on this passport" in page
    assert data["valid"] is False
    training = next(check for check in data["checks"] if check["name"] == "training")
    [safeguarding] = [r for r in training["records"] if r["name"] == "Safeguarding adults"]
    assert safeguarding["status"] == "fail"


def test_the_migration_links_passports_issued_before_it_to_their_records(
    carrying, provider_record, entry_with_training
):
    from importlib import import_module

    from django.apps import apps

    migration = import_module("passports.migrations.0003_passport_records")
    carrying.records.clear()
    # Revoked before the migration ran: still linked, so the online check can mark it.
    TrainingRecord.objects.filter(pk=provider_record.pk).update(status="revoked")
    # The same training recorded again after the passport was issued: not the one it carries.
    TrainingRecordFactory(
        entry=entry_with_training,
        standard=provider_record.standard,
        completed_on=provider_record.completed_on,
        recorded_at=timezone.now() + timedelta(hours=1),
    )

    migration.link_issued_passports(apps, None)

    assert set(carrying.records.values_list("standard__code", "status")) == {
        ("moving-and-handling", "verified"),
        ("fire-safety", "verified"),
        ("safeguarding", "revoked"),
    }
    assert verification.verify(carrying.token).valid is False


def test_a_registrars_suspension_giving_that_reason_by_hand_still_holds(
    carrying, registrar, worker, entry_with_training
):
    services.passport_suspend(
        passport=carrying, registrar=registrar, reason_code=Passport.ReasonCode.RECORD_REVOKED
    )

    # Every record in it still stands, so only a registrar may replace it.
    with pytest.raises(services.PassportError, match="suspended while the register looks"):
        services.passport_issue(entry=entry_with_training, requested_by=worker)
