"""Passports follow the registration: a suspension suspends the worker's valid passports (so the
suspension list tells offline verifiers), its end makes exactly those valid again, and a removal
on fitness to practise grounds revokes them, and the worker's badges, for good. Checked with
the real signing key, the online verifier and the published, signed status lists."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from core.models import AuditEvent
from passports import keys, verification
from passports.models import Passport, RecordBadge
from passports.services import badges as badge_services
from passports.services import passports as services
from passports.services import records
from register.models import RegisterEntry
from register.services import entries
from tests.passports.test_status_lists import offline_status

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.filterwarnings("ignore:EdDSA is deprecated:joserfc.errors.SecurityWarning"),
]

Reason = Passport.ReasonCode
ONE_DAY = timedelta(days=1)


def today():
    return timezone.localdate()


def suspend(entry, registrar, capture, *, kind="sanction", until=None):
    with capture(execute=True):
        entries.entry_suspend(
            entry=entry,
            registrar=registrar,
            kind=kind,
            until=until or today() + timedelta(days=60),
            reason="Panel decision.",
        )


def end_suspension(entry, registrar, capture):
    with capture(execute=True):
        entries.entry_end_suspension(entry=entry, registrar=registrar, reason="Served.")


def remove(entry, registrar, capture, *, kind="fitness_to_practise"):
    with capture(execute=True):
        entries.entry_remove(
            entry=entry, registrar=registrar, kind=kind, reason="Struck off.", category="theft"
        )


def standing(passport) -> tuple[str, str]:
    passport.refresh_from_db()
    return passport.status, passport.reason_code


def offline(client, passport) -> tuple[bool, dict[str, bool]]:
    """What an offline verifier concludes: the signature against the published JWKS, and the
    bits of the published, signed status lists."""
    result = verification.verify(passport.token, jwks=keys.jwks_document())
    return result.valid, offline_status(client, passport)


def passport_emails() -> list:
    return [message for message in mail.outbox if "training passport" in message.subject]


# --- Suspension -------------------------------------------------------------------------------


def test_a_suspended_registration_suspends_the_valid_passport(
    client, passport, entry_with_training, registrar, django_capture_on_commit_callbacks
):
    suspend(entry_with_training, registrar, django_capture_on_commit_callbacks)

    assert standing(passport) == ("suspended", "registration_suspended")
    online = verification.verify(passport.token)
    assert online.valid is False
    assert online.check("status").message == (
        "This passport is suspended (the registration is suspended)."
    )
    assert online.check("registration").status == verification.FAIL
    # Offline the signature still holds; the suspension list says it is suspended.
    assert offline(client, passport) == (True, {"revocation": False, "suspension": True})
    event = AuditEvent.objects.get(action="passports.passport.suspended")
    assert (event.actor_id, event.old_status, event.new_status) == (
        registrar.pk,
        "valid",
        "suspended",
    )
    assert event.data == {"public_id": passport.public_id, "reason_code": "registration_suspended"}


def test_an_interim_order_suspends_the_passport_too(
    passport, entry_with_training, registrar, django_capture_on_commit_callbacks
):
    suspend(entry_with_training, registrar, django_capture_on_commit_callbacks, kind="interim")

    assert standing(passport) == ("suspended", "registration_suspended")


def test_when_the_suspension_ends_the_passport_is_valid_again(
    client, passport, entry_with_training, registrar, django_capture_on_commit_callbacks
):
    suspend(entry_with_training, registrar, django_capture_on_commit_callbacks)
    assert offline_status(client, passport)["suspension"] is True  # the list is now cached

    end_suspension(entry_with_training, registrar, django_capture_on_commit_callbacks)

    assert standing(passport) == ("valid", "")
    assert verification.verify(passport.token).valid is True
    assert offline(client, passport) == (True, {"revocation": False, "suspension": False})
    event = AuditEvent.objects.get(action="passports.passport.unsuspended")
    assert (event.actor_id, event.old_status, event.new_status) == (
        registrar.pk,
        "suspended",
        "valid",
    )


def test_the_daily_command_ending_a_sanction_restores_the_passport_as_the_system(
    passport, entry_with_training, registrar, django_capture_on_commit_callbacks
):
    until = today() + timedelta(days=10)
    suspend(entry_with_training, registrar, django_capture_on_commit_callbacks, until=until)

    with django_capture_on_commit_callbacks(execute=True):
        entries.sanctions_end_expired(today=until + ONE_DAY)

    assert standing(passport) == ("valid", "")
    event = AuditEvent.objects.get(action="passports.passport.unsuspended")
    assert (event.actor_id, event.actor_label) == (None, "system")


def test_a_passport_suspended_for_a_revoked_record_stays_suspended_when_the_suspension_ends(
    client,
    entry_with_training,
    worker,
    provider,
    provider_organisation,
    registrar,
    signing_key,
    django_capture_on_commit_callbacks,
):
    record = entry_with_training.training.get(standard__code="moving-and-handling")
    carrying = services.passport_issue(entry=entry_with_training, requested_by=worker)
    with django_capture_on_commit_callbacks(execute=True):
        records.training_record_revoke(record=record, by=registrar, reason="Not qualified.")
    assert standing(carrying) == ("suspended", "record_revoked")

    suspend(entry_with_training, registrar, django_capture_on_commit_callbacks)
    assert standing(carrying) == ("suspended", "record_revoked")
    end_suspension(entry_with_training, registrar, django_capture_on_commit_callbacks)

    assert standing(carrying) == ("suspended", "record_revoked")
    assert verification.verify(carrying.token).valid is False
    assert offline(client, carrying) == (True, {"revocation": False, "suspension": True})
    assert not AuditEvent.objects.filter(action="passports.passport.unsuspended").exists()


def test_a_registrars_own_suspension_outlasts_the_registrations(
    passport, entry_with_training, registrar, django_capture_on_commit_callbacks
):
    services.passport_suspend(passport=passport, registrar=registrar, reason_code="fraud")

    suspend(entry_with_training, registrar, django_capture_on_commit_callbacks)
    end_suspension(entry_with_training, registrar, django_capture_on_commit_callbacks)

    assert standing(passport) == ("suspended", "fraud")


def test_a_record_revoked_during_the_suspension_keeps_the_passport_suspended_for_it(
    client, passport, entry_with_training, registrar, django_capture_on_commit_callbacks
):
    suspend(entry_with_training, registrar, django_capture_on_commit_callbacks)
    record = entry_with_training.training.get(standard__code="moving-and-handling")
    with django_capture_on_commit_callbacks(execute=True):
        records.training_record_revoke(record=record, by=registrar, reason="Not qualified.")
    mail.outbox.clear()

    end_suspension(entry_with_training, registrar, django_capture_on_commit_callbacks)

    # Suspended now for the record, which the worker can replace the passport without.
    assert standing(passport) == ("suspended", "record_revoked")
    assert offline_status(client, passport) == {"revocation": False, "suspension": True}
    [email] = passport_emails()
    assert email.subject.endswith("Your training passport is valid again")
    assert "A passport of yours carries a training record that was revoked" in email.body
    assert "valid again." not in email.body


# --- Removal ----------------------------------------------------------------------------------


def test_a_removal_on_fitness_to_practise_grounds_revokes_the_valid_passport(
    client, passport, entry_with_training, registrar, django_capture_on_commit_callbacks
):
    remove(entry_with_training, registrar, django_capture_on_commit_callbacks)

    assert standing(passport) == ("revoked", "fitness_to_practise")
    online = verification.verify(passport.token)
    assert online.valid is False
    assert online.check("status").message == (
        "This passport has been revoked (fitness to practise)."
    )
    assert offline(client, passport) == (True, {"revocation": True, "suspension": False})
    event = AuditEvent.objects.get(action="passports.passport.revoked")
    assert (event.old_status, event.new_status) == ("valid", "revoked")


def test_a_removal_after_a_suspension_revokes_the_passport_it_suspended(
    client, passport, entry_with_training, registrar, django_capture_on_commit_callbacks
):
    suspend(entry_with_training, registrar, django_capture_on_commit_callbacks)

    remove(entry_with_training, registrar, django_capture_on_commit_callbacks)

    assert standing(passport) == ("revoked", "fitness_to_practise")
    assert offline(client, passport)[1] == {"revocation": True, "suspension": False}
    event = AuditEvent.objects.get(action="passports.passport.revoked")
    assert (event.old_status, event.new_status) == ("suspended", "revoked")


def test_a_removal_leaves_a_registrars_suspension_and_its_reason_alone(
    passport, entry_with_training, registrar, django_capture_on_commit_callbacks
):
    services.passport_suspend(passport=passport, registrar=registrar, reason_code="fraud")

    remove(entry_with_training, registrar, django_capture_on_commit_callbacks)

    assert standing(passport) == ("suspended", "fraud")


def test_a_voluntary_removal_leaves_the_passport_alone(
    passport, entry_with_training, registrar, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        entries.entry_remove(
            entry=entry_with_training, registrar=registrar, kind="voluntary", reason="Left."
        )

    assert standing(passport) == ("valid", "")


def test_a_removal_revokes_the_workers_badges_and_a_suspension_does_not(
    entry_with_training, worker, registrar, signing_key, django_capture_on_commit_callbacks
):
    record = entry_with_training.training.get(standard__code="moving-and-handling")
    badge = badge_services.record_badge_get_or_issue(record=record, requested_by=worker)

    suspend(entry_with_training, registrar, django_capture_on_commit_callbacks)
    badge.refresh_from_db()
    assert badge.status == RecordBadge.Status.VALID
    # Online, the badge's check reports the suspension.
    assert verification.verify(badge.token).check("registration").status == verification.FAIL

    remove(entry_with_training, registrar, django_capture_on_commit_callbacks)

    badge.refresh_from_db()
    assert (badge.status, badge.reason_code) == ("revoked", "fitness_to_practise")
    result = verification.verify(badge.token)
    assert result.valid is False
    assert result.check("status").message == (
        "This badge has been revoked: the worker was removed from the register on fitness to "
        "practise grounds."
    )


# --- The worker, and what they can do meanwhile -----------------------------------------------


def test_the_worker_is_emailed_once_for_each_change(
    passport, entry_with_training, registrar, django_capture_on_commit_callbacks
):
    suspend(entry_with_training, registrar, django_capture_on_commit_callbacks)
    [suspended] = passport_emails()
    assert suspended.to == [entry_with_training.worker.email]
    assert suspended.subject.endswith("Your training passport is suspended")
    assert "It will be valid again when your suspension ends." in suspended.body
    mail.outbox.clear()

    end_suspension(entry_with_training, registrar, django_capture_on_commit_callbacks)
    [restored] = passport_emails()
    assert "Your signed passport is valid again." in restored.body
    mail.outbox.clear()

    remove(entry_with_training, registrar, django_capture_on_commit_callbacks)
    [revoked] = passport_emails()
    assert revoked.subject.endswith("Your training passport has been revoked")
    assert "your signed passport has been revoked" in revoked.body


def test_a_worker_without_a_passport_gets_no_passport_email(
    entry_with_training, registrar, django_capture_on_commit_callbacks
):
    suspend(entry_with_training, registrar, django_capture_on_commit_callbacks)

    assert passport_emails() == []
    assert len(mail.outbox) == 1  # the change of status itself


def test_no_passport_is_issued_while_the_registration_is_suspended(
    client, entry_with_training, worker, registrar, signing_key, django_capture_on_commit_callbacks
):
    suspend(entry_with_training, registrar, django_capture_on_commit_callbacks)

    for someone in [worker, registrar]:
        with pytest.raises(services.PassportError) as refused:
            services.passport_issue(entry=entry_with_training, requested_by=someone)
        assert str(refused.value) == (
            "A passport cannot be issued while the registration is suspended. One can be "
            "issued again when the suspension ends."
        )
    assert not Passport.objects.exists()
    client.force_login(worker)
    page = client.get(reverse("passports:page")).content.decode()
    assert "You cannot issue a new passport while your registration is suspended." in page
    assert "Issue a new passport</button>" not in page


def test_the_passport_page_says_why_the_passport_is_suspended(
    client, passport, entry_with_training, worker, registrar, django_capture_on_commit_callbacks
):
    suspend(entry_with_training, registrar, django_capture_on_commit_callbacks)
    client.force_login(worker)

    page = client.get(reverse("passports:page")).content.decode()

    assert "is suspended because your registration is." in page
    assert "It will be valid again when your suspension ends." in page


def test_a_registrar_cannot_lift_the_registrations_suspension_from_a_passport_by_hand(
    passport, entry_with_training, registrar, django_capture_on_commit_callbacks
):
    suspend(entry_with_training, registrar, django_capture_on_commit_callbacks)

    with pytest.raises(services.PassportError, match="suspended because the registration is"):
        services.passport_unsuspend(passport=passport, registrar=registrar)
    assert standing(passport) == ("suspended", "registration_suspended")


def test_a_registrar_never_gives_the_registrations_reason_by_hand(passport, registrar):
    with pytest.raises(services.PassportError, match="Choose a reason from the list."):
        services.passport_suspend(
            passport=passport, registrar=registrar, reason_code="registration_suspended"
        )

    assert standing(passport) == ("valid", "")


def test_a_passport_and_the_suspension_change_together_or_not_at_all(
    passport, entry_with_training, registrar, monkeypatch
):
    from passports import receivers

    def fail(**kwargs):
        raise RuntimeError("the email could not be queued")

    monkeypatch.setattr(receivers, "email_from_template", fail)

    with pytest.raises(RuntimeError):
        entries.entry_suspend(
            entry=entry_with_training,
            registrar=registrar,
            kind="sanction",
            until=today() + timedelta(days=30),
            reason="Panel.",
        )

    assert standing(passport) == ("valid", "")
    assert RegisterEntry.objects.get(pk=entry_with_training.pk).status == "registered"
