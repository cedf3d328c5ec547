"""Fitness to practise outcomes reach the employers with the worker on their staff list: each
change of status stores a `registration.status_changed` webhook delivery (and emails the
members), never with the reason."""

import json
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from employers.models import WebhookDelivery
from employers.services import staff, webhooks
from register.services import entries

pytestmark = pytest.mark.django_db


def suspend(entry, registrar):
    entries.entry_suspend(
        entry=entry,
        registrar=registrar,
        kind="sanction",
        until=timezone.localdate() + timedelta(days=30),
        reason="Private detail of the hearing.",
        category="dishonesty",
    )


def impose_conditions(entry, registrar):
    entries.entry_add_annotation(
        entry=entry,
        registrar=registrar,
        kind="condition",
        public_text="Supervised practice only.",
        reason="Private detail of the hearing.",
        category="poor_practice",
    )


def remove(entry, registrar):
    entries.entry_remove(
        entry=entry,
        registrar=registrar,
        kind="fitness_to_practise",
        reason="Private detail of the hearing.",
        category="theft",
    )


def end_suspension(entry, registrar):
    entries.entry_end_suspension(
        entry=entry, registrar=registrar, reason="Private detail of the hearing."
    )


# outcome -> (what happens before it, the outcome, old and new status of its delivery)
OUTCOMES = {
    "suspension": (None, suspend, ("registered", "suspended")),
    "conditions imposed": (None, impose_conditions, ("registered", "registered_with_conditions")),
    "removal": (None, remove, ("registered", "removed")),
    "removal after a suspension": (suspend, remove, ("suspended", "removed")),
    "suspension ended": (suspend, end_suspension, ("suspended", "registered")),
}


@pytest.mark.parametrize("outcome", list(OUTCOMES))
def test_an_employer_with_the_worker_on_its_staff_list_gets_a_webhook_for_each_outcome(
    outcome,
    entry_in_own_role,
    accepted_check,
    employer,
    employer_organisation,
    registrar,
    django_capture_on_commit_callbacks,
):
    before, change, (old_status, new_status) = OUTCOMES[outcome]
    staff.staff_add(organisation=employer_organisation, user=employer, check=accepted_check)
    webhooks.webhook_endpoint_set(
        organisation=employer_organisation, user=employer, url="https://hr.example.org/hooks"
    )
    if before:
        before(entry_in_own_role, registrar)
    already = set(WebhookDelivery.objects.values_list("pk", flat=True))
    mail.outbox.clear()

    # The deliveries are stored in the change's transaction; sending waits for the commit.
    with django_capture_on_commit_callbacks(execute=False):
        change(entry_in_own_role, registrar)

    [delivery] = WebhookDelivery.objects.exclude(pk__in=already)
    assert delivery.endpoint.organisation == employer_organisation
    assert (delivery.event_type, delivery.status) == ("registration.status_changed", "pending")
    payload = json.loads(delivery.body)
    assert payload["data"]["registration_number"] == entry_in_own_role.registration_number
    assert (payload["data"]["old_status"], payload["data"]["new_status"]) == (
        old_status,
        new_status,
    )
    assert payload["data"]["may_practise"] is (new_status.startswith("registered"))
    assert "Private detail" not in delivery.body
    # Nor the category of the concern: that is for the public register page, not the alert.
    for category in ["dishonesty", "poor_practice", "theft"]:
        assert category not in delivery.body


def test_the_members_are_emailed_of_each_outcome_too(
    entry_in_own_role,
    accepted_check,
    employer,
    employer_organisation,
    registrar,
    django_capture_on_commit_callbacks,
):
    staff.staff_add(organisation=employer_organisation, user=employer, check=accepted_check)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        suspend(entry_in_own_role, registrar)
    with django_capture_on_commit_callbacks(execute=True):
        remove(entry_in_own_role, registrar)

    to_employer = [message for message in mail.outbox if message.to == [employer.email]]
    assert [message.subject for message in to_employer] == [
        f"[Care Register] Registration status change: {entry_in_own_role.full_name}"
    ] * 2
    assert "from Suspended to Removed" in to_employer[1].body
    assert all("Private detail" not in message.body for message in to_employer)
