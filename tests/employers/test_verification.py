"""Employer organisations are verified by a registrar before the register shares any worker's
data with them: share-code records, staff lists, alerts and webhooks (ADR 0019)."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from accounts.models import Membership, Organisation
from core.models import AuditEvent
from employers.models import EmployerVerification, ShareCodeCheck, StaffMembership, WebhookDelivery
from employers.services import api_keys, sharecodes, staff, verification, webhooks
from register.services import entries
from tests.factories import DATE_OF_BIRTH, MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


def _withdraw(organisation, registrar):
    verification.employer_verification_withdraw(organisation=organisation, registrar=registrar)


@pytest.fixture
def unverified(db):
    """A new employer nobody has verified, with its owner."""
    organisation = OrganisationFactory(name="Brand New Care", verified=False)
    owner = MembershipFactory(
        user__email="new-owner@example.org", organisation=organisation, role="owner"
    ).user
    return organisation, owner


# --- The service ----------------------------------------------------------------------------


def test_a_registrar_verifies_and_withdraws_with_audit_events(unverified, registrar):
    organisation, _ = unverified
    assert not verification.employer_is_verified(organisation)

    verification.employer_verify(organisation=organisation, registrar=registrar)
    assert verification.employer_is_verified(organisation)
    with pytest.raises(verification.EmployerVerificationError, match="already verified"):
        verification.employer_verify(organisation=organisation, registrar=registrar)

    _withdraw(organisation, registrar)
    assert not verification.employer_is_verified(organisation)
    with pytest.raises(verification.EmployerVerificationError, match="is not verified"):
        _withdraw(organisation, registrar)

    verification.employer_verify(organisation=organisation, registrar=registrar)
    assert verification.employer_is_verified(organisation)
    assert list(
        AuditEvent.objects.filter(target_id=str(organisation.pk))
        .filter(action__startswith="employers.organisation.")
        .values_list("action", flat=True)
        .order_by("pk")
    ) == [
        "employers.organisation.verified",
        "employers.organisation.verification_withdrawn",
        "employers.organisation.verified",
    ]


def test_a_registrar_without_a_second_factor_cannot_verify(unverified, registrar_without_mfa):
    organisation, _ = unverified

    with pytest.raises(PermissionDenied):
        verification.employer_verify(organisation=organisation, registrar=registrar_without_mfa)


def test_only_a_registrar_verifies_and_never_their_own_organisation(
    unverified, registrar, employer
):
    organisation, owner = unverified
    for someone in (owner, employer):
        with pytest.raises(PermissionDenied):
            verification.employer_verify(organisation=organisation, registrar=someone)
    Membership.objects.create(user=registrar, organisation=organisation, role="member")
    with pytest.raises(PermissionDenied):
        verification.employer_verify(organisation=organisation, registrar=registrar)
    assert not EmployerVerification.objects.filter(organisation=organisation).exists()


def test_only_employers_are_verified(registrar, provider):
    provider_organisation = provider.organisations.get()

    with pytest.raises(verification.EmployerVerificationError, match="Only employer"):
        verification.employer_verify(organisation=provider_organisation, registrar=registrar)


# --- What an unverified employer does not receive --------------------------------------------


def test_an_unverified_employer_cannot_check_a_share_code_and_nothing_is_tried(
    unverified, share_code
):
    organisation, owner = unverified

    with pytest.raises(verification.EmployerNotVerified, match="has not verified Brand New Care"):
        sharecodes.share_code_check(
            organisation=organisation, user=owner, code=share_code[1], date_of_birth=DATE_OF_BIRTH
        )
    assert not ShareCodeCheck.objects.exists()


def test_an_employer_whose_verification_is_withdrawn_cannot_add_staff(
    accepted_check, employer, employer_organisation, registrar
):
    _withdraw(employer_organisation, registrar)

    with pytest.raises(verification.EmployerNotVerified):
        staff.staff_add(organisation=employer_organisation, user=employer, check=accepted_check)
    assert not StaffMembership.objects.exists()


@pytest.fixture
def listed(accepted_check, employer, employer_organisation):
    return staff.staff_add(organisation=employer_organisation, user=employer, check=accepted_check)


def _suspend(entry, registrar):
    entries.entry_suspend(
        entry=entry,
        registrar=registrar,
        kind="interim",
        until=timezone.localdate() + timedelta(days=30),
        reason="Investigation.",
    )


def test_status_change_alerts_go_only_to_verified_employers(
    listed,
    entry_in_own_role,
    employer,
    registrar,
    unverified,
    django_capture_on_commit_callbacks,
):
    organisation, owner = unverified
    entry_in_own_role.employers.add(organisation)  # named on the application, never verified

    with django_capture_on_commit_callbacks(execute=True):
        _suspend(entry_in_own_role, registrar)

    recipients = {address for message in mail.outbox for address in message.to}
    assert owner.email not in recipients and employer.email in recipients


def test_status_change_webhooks_go_only_to_verified_employers(
    listed,
    entry_in_own_role,
    employer,
    employer_organisation,
    registrar,
    unverified,
    django_capture_on_commit_callbacks,
):
    organisation, owner = unverified
    entry_in_own_role.employers.add(organisation)
    webhooks.webhook_endpoint_set(
        organisation=organisation, user=owner, url="https://unverified.example.org/hooks"
    )
    webhooks.webhook_endpoint_set(
        organisation=employer_organisation, user=employer, url="https://verified.example.org/h"
    )

    # Not run: the deliveries are what matters, not an attempt to reach example.org.
    with django_capture_on_commit_callbacks(execute=False):
        _suspend(entry_in_own_role, registrar)

    assert [delivery.endpoint.organisation for delivery in WebhookDelivery.objects.all()] == [
        employer_organisation
    ]


def test_training_expiry_notices_skip_an_employer_no_longer_verified(
    listed, entry_in_own_role, employer, employer_organisation, registrar, moving
):
    from tests.factories import TrainingRecordFactory

    TrainingRecordFactory(
        entry=entry_in_own_role, standard=moving, expires_on=timezone.localdate() - timedelta(1)
    )
    _withdraw(employer_organisation, registrar)

    call_command("notify_expiring_training")

    assert [message for message in mail.outbox if employer.email in message.to] == []


def test_a_queued_webhook_is_not_sent_once_verification_is_withdrawn(
    employer, employer_organisation, registrar, settings
):
    webhooks.webhook_endpoint_set(
        organisation=employer_organisation, user=employer, url="https://hr.example.org/hooks"
    )
    delivery = webhooks.webhook_event_send(
        organisation=employer_organisation, event_type="test.event", data={"name": "Wendy"}
    )
    _withdraw(employer_organisation, registrar)

    attempt = webhooks.webhook_attempt(delivery_id=delivery.pk)

    assert (attempt.status, attempt.attempts) == ("failed", 0)
    assert attempt.last_error == "the organisation is not verified by a registrar"


# --- The pages an unverified owner sees -------------------------------------------------------


@pytest.mark.parametrize("name", ["employers:check", "employers:staff", "employers:staff-csv"])
def test_an_unverified_owner_is_told_why_instead_of_seeing_workers(client, unverified, name):
    organisation, owner = unverified
    client.force_login(owner)

    response = client.get(reverse(name, args=[organisation.pk]))

    assert response.status_code == 403
    text = response.content.decode()
    assert "A registrar has not verified Brand New Care yet" in text
    assert "waiting for verification" in text


def test_an_unverified_owner_may_set_a_webhook_and_is_told_nothing_is_sent_yet(client, unverified):
    organisation, owner = unverified
    client.force_login(owner)

    response = client.post(
        reverse("employers:webhook", args=[organisation.pk]),
        {"url": "https://hr.example.org/hooks"},
    )

    assert response.status_code == 200
    assert "nothing is sent to this address until they do" in response.content.decode()
    assert (
        webhooks.webhook_event_send(organisation=organisation, event_type="test.event", data={})
        is None
    )
    assert not WebhookDelivery.objects.exists()


def test_a_verified_owner_is_not_told_to_wait(client, employer, employer_organisation):
    client.force_login(employer)

    response = client.get(reverse("employers:webhook", args=[employer_organisation.pk]))

    assert "nothing is sent to this address until they do" not in response.content.decode()


def test_the_staff_api_and_share_code_api_refuse_an_unverified_employers_key(
    client, unverified, share_code
):
    organisation, owner = unverified
    _, key = api_keys.api_key_create(
        organisation=organisation,
        user=owner,
        name="HR",
        scopes=["sharecodes:check", "staff:read"],
    )
    bearer = {"HTTP_AUTHORIZATION": f"Bearer {key}"}

    staff_list = client.get(reverse("api:staff-list"), **bearer)
    check = client.post(
        reverse("api:share-codes-check"),
        {"code": share_code[1], "date_of_birth": DATE_OF_BIRTH.isoformat()},
        content_type="application/json",
        **bearer,
    )

    assert staff_list.status_code == check.status_code == 403
    assert "has not verified Brand New Care" in staff_list.json()["error"]["message"]
    assert "has not verified Brand New Care" in check.json()["error"]["message"]
    assert not ShareCodeCheck.objects.exists()


# --- The registrar's page ----------------------------------------------------------------------


def test_the_registrar_lists_employers_waiting_first_and_verifies_one(
    registrar_client, unverified, employer_organisation
):
    organisation, owner = unverified

    page = registrar_client.get(reverse("employers:registrar-employers")).content.decode()
    assert page.index("Brand New Care") < page.index(employer_organisation.name)
    assert owner.email in page

    response = registrar_client.post(
        reverse("employers:registrar-employer-verify", args=[organisation.pk]),
        {"action": "verify"},
        follow=True,
    )

    assert "Brand New Care is verified." in response.content.decode()
    assert verification.employer_is_verified(organisation)


def test_the_registrar_withdraws_a_verification_from_the_page(
    registrar_client, employer_organisation
):
    response = registrar_client.post(
        reverse("employers:registrar-employer-verify", args=[employer_organisation.pk]),
        {"action": "withdraw"},
        follow=True,
    )

    assert "is no longer verified" in response.content.decode()
    assert not verification.employer_is_verified(employer_organisation)
    assert AuditEvent.objects.filter(
        action="employers.organisation.verification_withdrawn"
    ).exists()


def test_the_verify_page_refuses_anyone_but_a_registrar(client, employer, unverified):
    organisation, _ = unverified
    client.force_login(employer)

    response = client.post(
        reverse("employers:registrar-employer-verify", args=[organisation.pk]),
        {"action": "verify"},
    )

    assert response.status_code == 403
    assert not verification.employer_is_verified(organisation)


def test_the_demo_employer_is_verified(db):
    call_command("seed_demo")

    assert verification.employer_is_verified(
        Organisation.objects.get(name="Sunrise Care Homes", kind=Organisation.Kind.EMPLOYER)
    )
