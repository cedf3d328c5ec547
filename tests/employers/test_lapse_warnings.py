"""Employers hear before a registration lapses: at the 30- and 7-day renewal reminders, by email
and by a signed `registration.lapsing` webhook, once per reminder and organisation."""

import json
from datetime import timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from core.models import AuditEvent
from employers.models import LapseWarning, WebhookDelivery
from employers.services import staff, webhooks
from register.models import RegisterEntry
from register.services import renewals
from tests.employers.test_webhooks import Receiver, independent_signature_check
from tests.factories import MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


def today():
    return timezone.localdate()


def long_date(value):
    return f"{value.day} {value:%B %Y}"


@pytest.fixture
def listed_entry(entry_in_own_role, accepted_check, employer, employer_organisation):
    """The worker on Sunrise Care Homes' staff list, a year after joining."""
    staff.staff_add(organisation=employer_organisation, user=employer, check=accepted_check)
    return entry_in_own_role


def due_in(entry, days):
    RegisterEntry.objects.filter(pk=entry.pk).update(
        renewal_due=today() + timedelta(days=days),
        registered_from=today() + timedelta(days=days - 365),
    )
    entry.refresh_from_db()
    return entry


def send_reminders(on=None):
    out = StringIO()
    args = ["--today", str(on)] if on else []
    call_command("send_renewal_reminders", *args, stdout=out)
    return out.getvalue()


def employer_messages(entry):
    return [message for message in mail.outbox if message.to != [entry.worker.email]]


@pytest.mark.parametrize(
    ("days_left", "warned"), [(60, False), (45, False), (30, True), (12, True), (7, True)]
)
def test_employers_are_warned_at_the_30_and_7_day_reminders_but_not_the_60(
    listed_entry,
    employer,
    employer_member,
    days_left,
    warned,
    django_capture_on_commit_callbacks,
):
    due_in(listed_entry, days_left)

    with django_capture_on_commit_callbacks(execute=True):
        send_reminders()

    to_employer = employer_messages(listed_entry)
    assert len(to_employer) == (1 if warned else 0)
    assert LapseWarning.objects.count() == (1 if warned else 0)
    if warned:
        (message,) = to_employer
        due = long_date(listed_entry.renewal_due)
        assert sorted(message.to) == sorted([employer.email, employer_member.email])
        assert message.subject == (
            f"[Care Register] Registration lapses on {due} unless renewed: Wendy Worker"
        )
        assert f"due for renewal by {due}, in {days_left} days" in message.body
        assert "it lapses, and they may not work as a registered care worker" in message.body
        assert f"/register/{listed_entry.registration_number}/" in message.body


def test_the_warning_tells_the_employer_nothing_of_the_workers_cpd_or_declarations(
    listed_entry, django_capture_on_commit_callbacks
):
    due_in(listed_entry, 30)

    with django_capture_on_commit_callbacks(execute=True):
        send_reminders()

    (message,) = employer_messages(listed_entry)
    assert "hours" not in message.body
    worker_message = next(m for m in mail.outbox if m.to == [listed_entry.worker.email])
    assert "hours" in worker_message.body  # the worker's own reminder does say


def test_running_the_command_again_warns_no_employer_twice_and_the_7_day_warning_follows(
    listed_entry, django_capture_on_commit_callbacks
):
    due_in(listed_entry, 30)

    with django_capture_on_commit_callbacks(execute=True):
        send_reminders()
        send_reminders()
        send_reminders(on=today() + timedelta(days=23))
        send_reminders(on=today() + timedelta(days=23))

    assert len(employer_messages(listed_entry)) == 2
    assert sorted(LapseWarning.objects.values_list("days_before", flat=True)) == [7, 30]
    events = AuditEvent.objects.filter(action="employers.lapse_warning.sent")
    assert sorted(event.data["days_before"] for event in events) == [7, 30]


def test_a_second_warning_for_the_same_reminder_is_not_sent(listed_entry, employer_organisation):
    due_in(listed_entry, 30)
    arguments = {
        "entry": listed_entry,
        "renewal_due": listed_entry.renewal_due,
        "days_before": 30,
        "today": today(),
    }

    first = staff.employers_warn_of_lapse(**arguments)
    second = staff.employers_warn_of_lapse(**arguments)

    assert (first, second) == ([employer_organisation], [])
    event = AuditEvent.objects.get(action="employers.lapse_warning.sent")
    assert event.data["organisation_id"] == employer_organisation.pk


def test_the_named_employer_is_warned_and_unverified_or_former_employers_are_not(
    listed_entry, employer, employer_organisation, django_capture_on_commit_callbacks
):
    named = OrganisationFactory(name="Named Care")
    named_owner = MembershipFactory(organisation=named, role="owner").user
    unverified = OrganisationFactory(name="Not Yet Verified Care", verified=False)
    MembershipFactory(organisation=unverified, role="owner")
    listed_entry.employers.add(named, unverified)
    former = OrganisationFactory(name="Former Care")
    MembershipFactory(organisation=former, role="owner")
    due_in(listed_entry, 7)
    staff.staff_leave(
        membership=listed_entry.staff_memberships.get(organisation=employer_organisation),
        worker=listed_entry.worker,
    )

    with django_capture_on_commit_callbacks(execute=True):
        send_reminders()

    assert [message.to for message in employer_messages(listed_entry)] == [[named_owner.email]]
    assert list(LapseWarning.objects.values_list("organisation", flat=True)) == [named.pk]


def test_a_renewal_already_sent_means_no_reminder_and_no_warning(
    listed_entry, django_capture_on_commit_callbacks
):
    due_in(listed_entry, 30)
    renewals.Renewal.objects.create(
        entry=listed_entry,
        status=renewals.Renewal.Status.REFERRED,
        renewal_due_before=listed_entry.renewal_due,
        has_criminal_record=False,
        has_health_condition=True,
        health_condition_details="Private.",
        has_fitness_to_practise_history=False,
        cpd_hours=12,
    )

    with django_capture_on_commit_callbacks(execute=True):
        assert "0 reminder(s) sent." in send_reminders()

    assert mail.outbox == []
    assert not LapseWarning.objects.exists()


def test_the_employers_server_gets_a_signed_registration_lapsing_event(
    listed_entry, employer, employer_organisation, django_capture_on_commit_callbacks
):
    due_in(listed_entry, 7)
    with Receiver() as receiver:
        _, secret = webhooks.webhook_endpoint_set(
            organisation=employer_organisation, user=employer, url=receiver.url
        )
        with django_capture_on_commit_callbacks(execute=True):
            send_reminders()

    (request,) = receiver.requests
    headers, body = request
    assert independent_signature_check(secret, headers["X-CareRegister-Signature"], body)
    payload = json.loads(body)
    assert payload["type"] == "registration.lapsing"
    assert payload["organisation"] == employer_organisation.pk
    # The payload docs/webhooks.md promises, and nothing more.
    assert payload["data"] == {
        "registration_number": listed_entry.registration_number,
        "full_name": "Wendy Worker",
        "status": "registered",
        "renewal_due": listed_entry.renewal_due.isoformat(),
        "days_left": 7,
        "reminder_days_before": 7,
    }
    assert WebhookDelivery.objects.get().status == "delivered"
