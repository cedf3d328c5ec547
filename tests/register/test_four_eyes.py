"""Finding 8: one registrar could record every check and approve alone. With four-eyes approval
(on by default; tests/settings.py turns it off, these tests turn it back on) the second approver
recorded none of the checks, a change of checks after the first approval sends the application
back, and a failed or referred check blocks approval until a registrar resolves it."""

from datetime import timedelta

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.urls import reverse
from django.utils import timezone

from core.models import AuditEvent
from register.models import (
    Application,
    ApplicationSentBack,
    IdentityCheckResolution,
    RegisterEntry,
)
from register.services import applications
from register.services.applications import ApplicationStateError, IdentityCheckError
from tests.factories import UserFactory, code_of_conduct_current
from tests.register.test_applications import record_all_checks

Status = Application.Status


@pytest.fixture
def four_eyes(settings):
    settings.FOUR_EYES_APPROVAL = True


def _registrar(name: str):
    user = UserFactory(full_name=name, is_registrar=True, is_staff=True)
    TOTP.activate(user, generate_totp_secret())
    return user


@pytest.fixture
def second_registrar(db):
    return _registrar("Sam Second")


@pytest.fixture
def third_registrar(db):
    return _registrar("Tara Third")


def record_failed_dbs_check(application, registrar, outcome="failed"):
    return applications.identity_check_record(
        application=application,
        registrar=registrar,
        check_type="dbs",
        outcome=outcome,
        certificate_number="009876543210",
        certificate_issued_on=timezone.localdate() - timedelta(days=30),
        notes="Barred-list match.",
    )


def _status(application) -> str:
    return Application.objects.get(pk=application.pk).status


@pytest.mark.django_db
def test_a_registrar_who_recorded_a_check_cannot_give_the_second_approval(
    four_eyes, submitted, registrar, second_registrar, third_registrar
):
    record_all_checks(submitted, registrar, references=1)
    applications.identity_check_record(
        application=submitted,
        registrar=second_registrar,
        check_type="reference",
        outcome="passed",
        referee_name="Second Referee",
        referee_relationship="Manager",
    )
    assert applications.application_approve(application=submitted, registrar=registrar) is None

    with pytest.raises(ApplicationStateError, match="recorded none of its checks"):
        applications.application_approve(application=submitted, registrar=second_registrar)
    assert _status(submitted) == Status.AWAITING_SECOND_APPROVAL
    assert not RegisterEntry.objects.exists()

    entry = applications.application_approve(application=submitted, registrar=third_registrar)

    assert entry.worker == submitted.worker
    assert Application.objects.get(pk=submitted.pk).decided_by == third_registrar


@pytest.mark.django_db
def test_a_check_recorded_after_the_first_approval_sends_the_application_back(
    four_eyes, submitted, registrar, second_registrar, third_registrar
):
    record_all_checks(submitted, registrar)
    applications.application_approve(application=submitted, registrar=registrar)

    check = record_failed_dbs_check(submitted, second_registrar)

    application = Application.objects.get(pk=submitted.pk)
    assert application.status == Status.SUBMITTED
    assert application.first_approver is None
    sent_back = ApplicationSentBack.objects.get(application=submitted)
    assert sent_back.first_approver == registrar
    assert sent_back.sent_back_by == second_registrar
    assert "after the first approval" in sent_back.reason
    event = AuditEvent.objects.get(action="register.application.sent_back")
    assert (event.old_status, event.new_status) == ("awaiting_second_approval", "submitted")
    assert event.data["first_approver_id"] == registrar.pk
    # The third registrar never gives a "second" approval of checks the first never saw: the
    # failed check has to be resolved, then approved twice again.
    with pytest.raises(ApplicationStateError, match="failed check .* resolved"):
        applications.application_approve(application=submitted, registrar=third_registrar)
    assert not RegisterEntry.objects.exists()
    assert check.outcome == "failed"


@pytest.mark.django_db
def test_a_passed_check_recorded_after_the_first_approval_sends_it_back_too(
    four_eyes, submitted, registrar, second_registrar
):
    record_all_checks(submitted, registrar)
    applications.application_approve(application=submitted, registrar=registrar)

    record_all_checks(submitted, registrar, references=0)

    assert _status(submitted) == Status.SUBMITTED
    assert ApplicationSentBack.objects.filter(application=submitted).count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("outcome", ["failed", "referred"])
def test_a_failed_or_referred_check_blocks_approval_though_another_of_its_type_passed(
    submitted, registrar, outcome
):
    record_all_checks(submitted, registrar)
    record_failed_dbs_check(submitted, registrar, outcome=outcome)

    with pytest.raises(ApplicationStateError, match=f"the {outcome} check .*Enhanced DBS"):
        applications.application_approve(application=submitted, registrar=registrar)

    assert _status(submitted) == Status.SUBMITTED
    assert not RegisterEntry.objects.exists()


@pytest.mark.django_db
def test_a_resolved_check_no_longer_blocks_approval(submitted, registrar):
    record_all_checks(submitted, registrar)
    check = record_failed_dbs_check(submitted, registrar)

    resolution = applications.identity_check_resolve(
        identity_check=check, registrar=registrar, reason="Entered against the wrong certificate."
    )

    assert resolution.resolved_by == registrar
    event = AuditEvent.objects.get(action="register.identity_check.resolved")
    assert event.data["check_id"] == check.pk
    assert event.data["reason"] == "Entered against the wrong certificate."
    entry = applications.application_approve(application=submitted, registrar=registrar)
    assert entry.worker == submitted.worker


@pytest.mark.django_db
def test_resolving_needs_a_reason_and_happens_once(submitted, registrar):
    check = record_failed_dbs_check(submitted, registrar)

    with pytest.raises(IdentityCheckError, match="Give the reason"):
        applications.identity_check_resolve(identity_check=check, registrar=registrar, reason=" ")
    assert not IdentityCheckResolution.objects.exists()

    applications.identity_check_resolve(identity_check=check, registrar=registrar, reason="Done.")
    with pytest.raises(IdentityCheckError, match="already been resolved"):
        applications.identity_check_resolve(
            identity_check=check, registrar=registrar, reason="Again."
        )
    assert IdentityCheckResolution.objects.count() == 1


@pytest.mark.django_db
def test_a_passed_check_cannot_be_resolved(submitted, registrar):
    record_all_checks(submitted, registrar, references=0)
    passed = submitted.checks.first()

    with pytest.raises(IdentityCheckError, match="failed or was referred"):
        applications.identity_check_resolve(
            identity_check=passed, registrar=registrar, reason="Why not."
        )


@pytest.mark.django_db
def test_resolving_after_the_first_approval_sends_it_back_and_bars_the_resolver(
    four_eyes, submitted, registrar, second_registrar, third_registrar
):
    record_all_checks(submitted, registrar)
    check = record_failed_dbs_check(submitted, registrar)
    applications.identity_check_resolve(identity_check=check, registrar=registrar, reason="Error.")
    # The failed check is resolved, so the first approval may be given...
    applications.application_approve(application=submitted, registrar=registrar)
    # ...and a second failed check recorded by the third registrar sends it back.
    second_failure = record_failed_dbs_check(submitted, third_registrar, outcome="referred")
    assert _status(submitted) == Status.SUBMITTED

    applications.identity_check_resolve(
        identity_check=second_failure, registrar=second_registrar, reason="Cleared on appeal."
    )
    applications.application_approve(application=submitted, registrar=registrar)

    for barred in (registrar, second_registrar, third_registrar):
        with pytest.raises(ApplicationStateError, match="different registrar|recorded none"):
            applications.application_approve(application=submitted, registrar=barred)
    fourth = _registrar("Fay Fourth")
    assert applications.application_approve(application=submitted, registrar=fourth) is not None


@pytest.mark.django_db
def test_registrars_see_why_an_application_was_sent_back_and_resolve_a_check(
    four_eyes, client, submitted, registrar, second_registrar
):
    record_all_checks(submitted, registrar)
    applications.application_approve(application=submitted, registrar=registrar)
    check = record_failed_dbs_check(submitted, second_registrar)
    client.force_login(registrar)
    page = reverse("register:registrar-application", args=[submitted.pk])

    shown = client.get(page).content.decode()

    assert "Sent back for a new first approval" in shown
    assert "after the first approval" in shown
    assert "Not resolved: blocks approval" in shown

    refused = client.post(
        page, {"action": "resolve_check", "check": check.pk, f"resolve-{check.pk}-reason": ""}
    )
    assert refused.status_code == 400
    assert "Give the reason this check no longer stands in the way" in refused.content.decode()
    assert not IdentityCheckResolution.objects.exists()

    resolved = client.post(
        page,
        {"action": "resolve_check", "check": check.pk, f"resolve-{check.pk}-reason": "Error."},
    )
    assert resolved.status_code == 302
    assert IdentityCheckResolution.objects.get(identity_check=check).reason == "Error."
    assert "Resolved by" in client.get(page).content.decode()


@pytest.mark.django_db
def test_a_check_of_another_application_cannot_be_resolved_through_this_one(
    client, submitted, registrar
):
    from tests.factories import ApplicationFactory

    other = ApplicationFactory()
    applications.application_submit(
        application=other, worker=other.worker, code=code_of_conduct_current()
    )
    elsewhere = record_failed_dbs_check(other, registrar)
    client.force_login(registrar)

    response = client.post(
        reverse("register:registrar-application", args=[submitted.pk]),
        {"action": "resolve_check", "check": elsewhere.pk, f"resolve-{elsewhere.pk}-reason": "x"},
    )

    assert response.status_code == 404
    assert not IdentityCheckResolution.objects.exists()


@pytest.mark.django_db
def test_an_approval_of_a_page_that_no_longer_shows_every_check_is_refused(
    four_eyes, client, submitted, registrar, second_registrar, third_registrar
):
    record_all_checks(submitted, registrar)
    applications.application_approve(application=submitted, registrar=registrar)
    page = reverse("register:registrar-application", args=[submitted.pk])
    client.force_login(third_registrar)
    shown = applications.application_review_state(Application.objects.get(pk=submitted.pk))
    assert f'name="reviewed" value="{shown}"' in client.get(page).content.decode()
    # While the third registrar reads the page, the second records a referred check, which
    # sends the application back; their click must not count as a fresh first approval.
    record_failed_dbs_check(submitted, second_registrar, outcome="referred")

    response = client.post(page, {"action": "approve", "reviewed": shown})

    assert response.status_code == 400
    assert "changed while you were looking at it" in response.content.decode()
    application = Application.objects.get(pk=submitted.pk)
    assert (application.status, application.first_approver) == (Status.SUBMITTED, None)
