"""An approved change of name supersedes the passports and badges issued under the old name, with
the reason "details changed", and asks the worker to issue a new passport."""

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.models import AuditEvent
from passports import status_lists, verification
from passports.models import Passport, RecordBadge
from passports.services import badges as badge_services
from passports.services import passports as services
from register.services import details
from register.services.evidence import evidence_upload

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.filterwarnings("ignore:EdDSA is deprecated:joserfc.errors.SecurityWarning"),
]


def change_name(entry, registrar, *, approve=True, new_name="Wendy Newname", capture=None):
    evidence = evidence_upload(
        owner=entry.worker,
        uploaded_by=entry.worker,
        upload=SimpleUploadedFile("deed.pdf", b"%PDF-1.4 deed poll", "application/pdf"),
    )
    request = details.name_change_request(
        entry=entry, worker=entry.worker, new_name=new_name, evidence=evidence
    )
    with capture(execute=True):
        details.name_change_decide(
            request=request, registrar=registrar, approve=approve, reason="" if approve else "No."
        )


def bits(list_name: str) -> list[int]:
    credential = status_lists.status_list_credential(list_name)
    bitstring = status_lists.decode_bitstring(credential["credentialSubject"]["encodedList"])
    return [i for i in range(len(bitstring) * 8) if status_lists.bit_is_set(bitstring, i)]


def test_an_approved_change_of_name_supersedes_the_valid_passport(
    passport, entry_with_training, registrar, django_capture_on_commit_callbacks
):
    change_name(entry_with_training, registrar, capture=django_capture_on_commit_callbacks)

    passport.refresh_from_db()
    assert passport.status == Passport.Status.SUPERSEDED
    assert passport.reason_code == Passport.ReasonCode.DETAILS_CHANGED
    # Revoked for an offline verifier, as every superseded passport is; never suspended.
    assert passport.revocation_index in bits("revocation")
    assert passport.suspension_index not in bits("suspension")
    event = AuditEvent.objects.get(action="passports.passport.superseded")
    assert event.actor_id == registrar.pk
    assert (event.old_status, event.new_status) == ("valid", "superseded")
    assert event.data == {"public_id": passport.public_id, "reason_code": "details_changed"}


def test_the_worker_is_asked_to_issue_a_new_passport(
    passport, entry_with_training, registrar, django_capture_on_commit_callbacks
):
    change_name(entry_with_training, registrar, capture=django_capture_on_commit_callbacks)

    [email] = [m for m in mail.outbox if "new training passport" in m.subject]
    assert email.to == [entry_with_training.worker.email]
    assert "Wendy Newname" in email.body
    assert "/my-registration/passport/" in email.body


def test_the_old_passport_now_verifies_as_replaced_with_the_reason(
    client, passport, entry_with_training, registrar, django_capture_on_commit_callbacks
):
    change_name(entry_with_training, registrar, capture=django_capture_on_commit_callbacks)

    result = verification.verify(passport.token)
    page = client.post(reverse("passports:verify"), {"token": passport.token}).content.decode()

    assert result.valid is False
    assert result.verdict == "superseded"
    assert "details, such as their name, have changed" in result.check("status").message
    assert 'data-verdict="superseded"' in page
    assert "Replaced by a newer passport" in page


def test_a_new_passport_carries_the_new_name(
    passport, entry_with_training, worker, registrar, django_capture_on_commit_callbacks
):
    change_name(entry_with_training, registrar, capture=django_capture_on_commit_callbacks)

    newer = services.passport_issue(entry=entry_with_training, requested_by=worker)

    result = verification.verify(newer.token)
    assert result.valid is True
    assert result.passport["name"] == "Wendy Newname"


def test_the_passport_page_tells_the_worker_why(
    client, passport, entry_with_training, worker, registrar, django_capture_on_commit_callbacks
):
    change_name(entry_with_training, registrar, capture=django_capture_on_commit_callbacks)
    client.force_login(worker)

    page = client.get(reverse("passports:page")).content.decode()

    assert "Your name changed, so your passport was replaced" in page


def test_a_suspended_passport_stays_suspended(
    passport, entry_with_training, registrar, django_capture_on_commit_callbacks
):
    services.passport_suspend(passport=passport, registrar=registrar, reason_code="under_review")

    change_name(entry_with_training, registrar, capture=django_capture_on_commit_callbacks)

    passport.refresh_from_db()
    assert (passport.status, passport.reason_code) == ("suspended", "under_review")
    assert not AuditEvent.objects.filter(action="passports.passport.superseded").exists()


def test_a_refused_change_of_name_leaves_the_passport_alone(
    passport, entry_with_training, registrar, django_capture_on_commit_callbacks
):
    change_name(
        entry_with_training, registrar, approve=False, capture=django_capture_on_commit_callbacks
    )

    passport.refresh_from_db()
    assert passport.status == Passport.Status.VALID
    assert verification.verify(passport.token).valid is True


def test_badges_under_the_old_name_are_superseded_and_made_anew(
    entry_with_training, worker, registrar, signing_key, django_capture_on_commit_callbacks
):
    record = entry_with_training.training.get(standard__code="moving-and-handling")
    old = badge_services.record_badge_get_or_issue(record=record, requested_by=worker)

    change_name(entry_with_training, registrar, capture=django_capture_on_commit_callbacks)

    old.refresh_from_db()
    assert (old.status, old.reason_code) == ("superseded", "details_changed")
    assert old.revocation_index in bits(status_lists.BADGE_REVOCATION)
    result = verification.verify(old.token)
    assert result.verdict == "superseded"
    new = badge_services.record_badge_get_or_issue(record=record, requested_by=worker)
    assert new.pk != old.pk
    assert verification.verify(new.token).badge["name"] == "Wendy Newname"
    assert RecordBadge.objects.filter(status="valid").count() == 1


def test_the_name_change_and_the_supersession_happen_together_or_not_at_all(
    passport, entry_with_training, registrar, monkeypatch, django_capture_on_commit_callbacks
):
    def fail(**kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr("passports.receivers.passports_supersede_for_details_change", fail)

    with pytest.raises(RuntimeError):
        change_name(entry_with_training, registrar, capture=django_capture_on_commit_callbacks)

    entry_with_training.refresh_from_db()
    passport.refresh_from_db()
    assert entry_with_training.full_name == "Wendy Worker"
    assert passport.status == Passport.Status.VALID


@pytest.mark.parametrize("action", ["suspend", "revoke"])
def test_a_registrar_cannot_give_the_registers_own_reason(client, passport, registrar, action):
    with pytest.raises(services.PassportError, match="Choose a reason"):
        getattr(services, f"passport_{action}")(
            passport=passport, registrar=registrar, reason_code="details_changed"
        )
    client.force_login(registrar)

    page = client.get(reverse("passports:registrar-passport", args=[passport.public_id]))

    passport.refresh_from_db()
    assert passport.status == Passport.Status.VALID
    assert page.status_code == 200
    assert 'value="under_review"' in page.content.decode()
    assert 'value="details_changed"' not in page.content.decode()
