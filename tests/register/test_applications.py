from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from core.models import AuditEvent
from register.models import Application, IdentityCheck, RegisterEntry
from register.services import applications
from register.services.applications import ApplicationStateError, IdentityCheckError
from tests.factories import ApplicationFactory, UserFactory, code_of_conduct_current

Status = Application.Status
TODAY = timezone.localdate


def record_all_checks(application, registrar, *, references=2):
    applications.identity_check_record(
        application=application,
        registrar=registrar,
        check_type="photo_id",
        outcome="passed",
        document_type="passport",
        document_number="925665416",
        document_expires_on=TODAY() + timedelta(days=400),
    )
    applications.identity_check_record(
        application=application,
        registrar=registrar,
        check_type="dbs",
        outcome="passed",
        certificate_number="001234567890",
        certificate_issued_on=TODAY() - timedelta(days=100),
    )
    applications.identity_check_record(
        application=application,
        registrar=registrar,
        check_type="right_to_work",
        outcome="passed",
        right_to_work_route="british_or_irish",
    )
    for number in range(references):
        applications.identity_check_record(
            application=application,
            registrar=registrar,
            check_type="reference",
            outcome="passed",
            referee_name=f"Referee {number}",
            referee_relationship="Manager",
        )


@pytest.mark.django_db
def test_starting_twice_resumes_the_same_draft(worker):
    first = applications.application_start(worker=worker)
    second = applications.application_start(worker=worker)

    assert first == second
    assert first.status == Status.DRAFT
    assert AuditEvent.objects.filter(action="register.application.started").count() == 1


@pytest.mark.django_db
def test_only_care_workers_may_apply(outsider):
    with pytest.raises(PermissionDenied):
        applications.application_start(worker=outsider)


@pytest.mark.django_db
def test_submitting_sets_submitted_and_emails_a_confirmation(
    application, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        applications.application_submit(
            application=application, worker=application.worker, code=code_of_conduct_current()
        )

    application.refresh_from_db()
    assert application.status == Status.SUBMITTED
    assert application.submitted_at is not None
    assert mail.outbox[0].to == [application.worker.email]
    assert "received your application" in mail.outbox[0].subject
    event = AuditEvent.objects.get(action="register.application.submitted")
    assert (event.old_status, event.new_status) == ("draft", "submitted")


@pytest.mark.django_db
def test_an_incomplete_application_cannot_be_submitted(worker):
    application = ApplicationFactory(
        worker=worker, date_of_birth=None, has_criminal_record=True, declares_truth=False
    )

    with pytest.raises(ApplicationStateError) as error:
        applications.application_submit(
            application=application, worker=worker, code=code_of_conduct_current()
        )

    message = str(error.value)
    assert "Enter your date of birth" in message
    assert "Give details of a criminal record" in message
    assert "Confirm that your answers are true" in message
    assert Application.objects.get(pk=application.pk).status == Status.DRAFT


@pytest.mark.django_db
def test_someone_else_cannot_edit_or_submit_an_application(application, outsider):
    with pytest.raises(PermissionDenied):
        applications.application_save_step(
            application=application, worker=outsider, step="contact", values={"town": "X"}
        )
    with pytest.raises(PermissionDenied):
        applications.application_submit(
            application=application, worker=outsider, code=code_of_conduct_current()
        )


@pytest.mark.django_db
def test_a_submitted_application_cannot_be_edited(submitted):
    with pytest.raises(ApplicationStateError, match="can no longer be changed"):
        applications.application_save_step(
            application=submitted, worker=submitted.worker, step="contact", values={"town": "X"}
        )


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("ls14ap", "LS1 4AP"),
        ("SW1A 1AA", "SW1A 1AA"),
        (" m1 1ae ", "M1 1AE"),
        ("EC1A1BB", "EC1A 1BB"),
    ],
)
def test_postcodes_are_validated_and_tidied(typed, stored):
    assert applications.normalise_postcode(typed) == stored


@pytest.mark.parametrize("typed", ["12345", "LS1", "ABC 123", "LS1 4AI", ""])
def test_a_postcode_that_is_not_a_uk_postcode_is_refused(typed):
    with pytest.raises(Exception, match="real UK postcode"):
        applications.normalise_postcode(typed)


@pytest.mark.django_db
def test_approval_is_refused_until_every_required_check_passed(submitted, registrar):
    record_all_checks(submitted, registrar, references=1)

    with pytest.raises(ApplicationStateError, match="2 references that passed: 1 so far"):
        applications.application_approve(application=submitted, registrar=registrar)
    assert not RegisterEntry.objects.exists()


@pytest.mark.django_db
def test_approval_puts_the_worker_on_the_register(
    submitted, registrar, django_capture_on_commit_callbacks
):
    record_all_checks(submitted, registrar)

    with django_capture_on_commit_callbacks(execute=True):
        entry = applications.application_approve(application=submitted, registrar=registrar)

    assert entry.status == RegisterEntry.Status.REGISTERED
    assert entry.full_name == "Wendy Worker"
    assert entry.registered_from == TODAY()
    assert entry.renewal_due == TODAY() + timedelta(days=365)
    assert Application.objects.get(pk=submitted.pk).status == Status.APPROVED
    assert entry.registration_number in mail.outbox[-1].subject
    assert AuditEvent.objects.filter(action="register.application.approved").exists()
    assert AuditEvent.objects.filter(action="register.entry.created").exists()


@pytest.mark.django_db
def test_a_registrar_cannot_decide_their_own_application(registrar):
    registrar.is_care_worker = True
    registrar.save()
    own = ApplicationFactory(worker=registrar)
    applications.application_submit(
        application=own, worker=registrar, code=code_of_conduct_current()
    )

    with pytest.raises(PermissionDenied):
        applications.application_approve(application=own, registrar=registrar)


@pytest.mark.django_db
def test_four_eyes_approval_needs_a_second_different_registrar(submitted, registrar, settings):
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    settings.FOUR_EYES_APPROVAL = True
    record_all_checks(submitted, registrar)
    second = UserFactory(is_registrar=True, is_staff=True)
    TOTP.activate(second, generate_totp_secret())

    assert applications.application_approve(application=submitted, registrar=registrar) is None
    assert Application.objects.get(pk=submitted.pk).status == Status.AWAITING_SECOND_APPROVAL
    with pytest.raises(ApplicationStateError, match="different registrar must confirm"):
        applications.application_approve(application=submitted, registrar=registrar)

    entry = applications.application_approve(application=submitted, registrar=second)

    assert entry.worker == submitted.worker
    assert Application.objects.get(pk=submitted.pk).first_approver == registrar


@pytest.mark.django_db
def test_requesting_information_returns_it_to_the_worker_who_resubmits(
    submitted, registrar, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        applications.application_request_information(
            application=submitted, registrar=registrar, message="Upload a clearer passport scan."
        )
    assert Application.objects.get(pk=submitted.pk).status == Status.INFORMATION_REQUESTED
    assert "clearer passport scan" in mail.outbox[-1].body

    applications.application_save_step(
        application=submitted, worker=submitted.worker, step="contact", values={"phone": "0113"}
    )
    applications.application_submit(
        application=submitted, worker=submitted.worker, code=code_of_conduct_current()
    )

    assert Application.objects.get(pk=submitted.pk).status == Status.SUBMITTED


@pytest.mark.django_db
def test_rejection_needs_a_reason_and_is_final(submitted, registrar):
    with pytest.raises(ApplicationStateError, match="Give the reason"):
        applications.application_reject(application=submitted, registrar=registrar, reason=" ")

    applications.application_reject(application=submitted, registrar=registrar, reason="Barred.")

    with pytest.raises(ApplicationStateError, match="cannot be moved to approved"):
        applications.application_approve(application=submitted, registrar=registrar)
    with pytest.raises(ApplicationStateError, match="Checks are recorded only"):
        applications.identity_check_record(
            application=submitted,
            registrar=registrar,
            check_type="reference",
            outcome="passed",
            referee_name="A",
            referee_relationship="B",
        )


@pytest.mark.django_db
def test_a_draft_cannot_be_approved(application, registrar):
    with pytest.raises(ApplicationStateError, match="draft cannot be moved to approved"):
        applications.application_approve(application=application, registrar=registrar)


APPLICATION_ALLOWED = {
    (old, new) for old, targets in Application.TRANSITIONS.items() for new in targets
}


def test_the_application_transition_table_is_what_the_rules_say():
    assert APPLICATION_ALLOWED == {
        ("draft", "submitted"),
        ("draft", "withdrawn"),
        ("submitted", "information_requested"),
        ("submitted", "awaiting_second_approval"),
        ("submitted", "approved"),
        ("submitted", "rejected"),
        ("information_requested", "submitted"),
        ("information_requested", "withdrawn"),
        ("awaiting_second_approval", "approved"),
        ("awaiting_second_approval", "submitted"),
        ("awaiting_second_approval", "rejected"),
    }


@pytest.mark.django_db
@pytest.mark.parametrize(
    "status", [s for s in Status if s not in {"draft", "information_requested"}]
)
def test_withdrawing_is_refused_unless_draft_or_information_requested(application, status):
    Application.objects.filter(pk=application.pk).update(status=status)

    with pytest.raises(ApplicationStateError, match="can be withdrawn"):
        applications.application_withdraw(application=application, worker=application.worker)


@pytest.mark.django_db
def test_a_dbs_certificate_over_three_years_old_needs_the_update_service(submitted, registrar):
    old_certificate = {
        "application": submitted,
        "registrar": registrar,
        "check_type": "dbs",
        "outcome": "passed",
        "certificate_number": "001234567890",
        "certificate_issued_on": TODAY() - timedelta(days=4 * 365),
    }
    with pytest.raises(IdentityCheckError, match="older than 3 years"):
        applications.identity_check_record(**old_certificate)
    with pytest.raises(IdentityCheckError, match="older than 3 years"):
        applications.identity_check_record(
            **old_certificate,
            update_service_checked_on=TODAY(),
            update_service_result="new_information",
        )

    check = applications.identity_check_record(
        **old_certificate, update_service_checked_on=TODAY(), update_service_result="no_change"
    )

    assert check.outcome == "passed"


@pytest.mark.django_db
def test_an_expired_photo_document_cannot_pass(submitted, registrar):
    with pytest.raises(IdentityCheckError, match="expired document"):
        applications.identity_check_record(
            application=submitted,
            registrar=registrar,
            check_type="photo_id",
            outcome="passed",
            document_type="passport",
            document_number="1",
            document_expires_on=date(2020, 1, 1),
        )
    assert not IdentityCheck.objects.exists()


@pytest.mark.django_db
def test_document_numbers_are_encrypted_and_masked_in_the_audit_log(submitted, registrar):
    from django.db import connection

    check = applications.identity_check_record(
        application=submitted,
        registrar=registrar,
        check_type="photo_id",
        outcome="passed",
        document_type="passport",
        document_number="925665416",
        document_expires_on=TODAY() + timedelta(days=30),
    )

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT document_number FROM register_identitycheck WHERE id = %s", [check.pk]
        )
        assert "925665416" not in cursor.fetchone()[0]
    assert IdentityCheck.objects.get(pk=check.pk).document_number == "925665416"
    event = AuditEvent.objects.get(action="register.identity_check.recorded")
    assert event.data["document_number"] == "********"


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_approvals_never_get_the_same_registration_number(registrar):
    """Two registrars press Approve at the same moment on two applications."""
    import threading

    from django.db import connection, connections

    if connection.vendor == "sqlite":
        pytest.skip("SQLite allows one writer at a time; the race needs PostgreSQL.")
    ready = []
    for _ in range(6):
        application = ApplicationFactory()
        applications.application_submit(
            application=application, worker=application.worker, code=code_of_conduct_current()
        )
        record_all_checks(application, registrar)
        ready.append(application)
    barrier = threading.Barrier(len(ready))
    numbers, errors = [], []

    def approve(application):
        try:
            barrier.wait()
            entry = applications.application_approve(application=application, registrar=registrar)
            numbers.append(entry.registration_number)
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=approve, args=[application]) for application in ready]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert len(numbers) == len(set(numbers)) == 6
    assert RegisterEntry.objects.count() == 6
