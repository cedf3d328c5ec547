"""The daily commands: renewal reminders, and lapsing entries not renewed in time."""

from datetime import timedelta
from decimal import Decimal
from io import StringIO

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.utils import timezone

from core.models import AuditEvent
from register.models import CpdActivity, RegisterEntry, Renewal, RenewalReminder, StatusChange
from register.services import renewals
from tests.factories import MembershipFactory, OrganisationFactory, RegisterEntryFactory

Status = RegisterEntry.Status


def today():
    return timezone.localdate()


def entry_due_in(days, **fields):
    return RegisterEntryFactory(
        renewal_due=today() + timedelta(days=days),
        registered_from=today() + timedelta(days=days - 365),
        **fields,
    )


def run(command, *args):
    out = StringIO()
    call_command(command, *args, stdout=out)
    return out.getvalue()


# --- Reminders -------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("days_left", "reminder"),
    [
        (61, None),
        (60, 60),
        (45, 60),
        (31, 60),
        (30, 30),
        (8, 30),
        (7, 7),
        (1, 7),
        (0, None),
        (-1, None),
    ],
)
def test_the_reminder_sent_is_the_smallest_threshold_the_renewal_date_is_within(
    days_left, reminder
):
    entry = entry_due_in(days_left)

    sent = renewals.renewal_reminders_send(today=today())

    assert sent == (0 if reminder is None else 1)
    assert list(RenewalReminder.objects.values_list("entry", "renewal_due", "days_before")) == (
        [] if reminder is None else [(entry.pk, entry.renewal_due, reminder)]
    )


@pytest.mark.django_db
def test_a_reminder_says_the_date_the_cpd_logged_and_needed_and_where_to_renew(
    django_capture_on_commit_callbacks,
):
    entry = entry_due_in(30)
    CpdActivity.objects.create(
        entry=entry,
        completed_on=today(),
        title="First aid",
        hours=Decimal("7.5"),
        reflection="Recovery position.",
    )

    with django_capture_on_commit_callbacks(execute=True):
        renewals.renewal_reminders_send(today=today())

    (message,) = mail.outbox
    due = entry.renewal_due
    assert message.to == [entry.worker.email]
    assert f"{due.day} {due:%B %Y}" in message.subject
    assert "in 30 days" in message.body
    assert "at least 12 hours" in message.body
    assert "You have logged 7.5 hours so far" in message.body
    assert "http://testserver/my-registration/renew/" in message.body
    assert "http://testserver/my-registration/cpd/" in message.body
    event = AuditEvent.objects.get(action="register.reminder.sent")
    assert event.data["days_before"] == 30


@pytest.mark.django_db
def test_a_name_with_an_apostrophe_is_not_mangled_in_the_email(
    django_capture_on_commit_callbacks,
):
    entry_due_in(7, full_name="Siobhán O'Neill")

    with django_capture_on_commit_callbacks(execute=True):
        renewals.renewal_reminders_send(today=today())

    assert "Dear Siobhán O'Neill," in mail.outbox[0].body


@pytest.mark.django_db
def test_reminders_are_never_sent_twice_but_the_next_threshold_is(
    django_capture_on_commit_callbacks,
):
    entry = entry_due_in(60)

    with django_capture_on_commit_callbacks(execute=True):
        first = run("send_renewal_reminders")
        second = run("send_renewal_reminders")
        a_week_later = run("send_renewal_reminders", "--today", str(today() + timedelta(days=7)))
        a_month_later = run("send_renewal_reminders", "--today", str(today() + timedelta(days=30)))

    assert f"reminded {entry.registration_number} (60-day reminder" in first
    assert second.strip() == "0 reminder(s) sent."
    assert a_week_later.strip() == "0 reminder(s) sent."
    assert "(30-day reminder" in a_month_later
    assert sorted(entry.reminders.values_list("days_before", flat=True)) == [30, 60]
    assert len(mail.outbox) == 2


@pytest.mark.django_db
def test_a_reminder_missed_by_a_day_off_is_still_sent():
    entry = entry_due_in(58)

    run("send_renewal_reminders")

    assert entry.reminders.get().days_before == 60


@pytest.mark.django_db
def test_the_reminder_dry_run_lists_but_sends_nothing():
    entry = entry_due_in(7)

    out = run("send_renewal_reminders", "--dry-run")

    assert f"would remind {entry.registration_number} (7-day reminder" in out
    assert "1 reminder(s) would be sent." in out
    assert not RenewalReminder.objects.exists()
    assert not AuditEvent.objects.filter(action="register.reminder.sent").exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "status",
    [Status.SUSPENDED, Status.LAPSED, Status.REMOVED],
)
def test_only_practising_entries_are_reminded(status):
    entry_due_in(30, status=status)

    assert renewals.renewal_reminders_send(today=today()) == 0


@pytest.mark.django_db
def test_an_entry_with_conditions_is_reminded():
    entry_due_in(30, status=Status.REGISTERED_WITH_CONDITIONS)

    assert renewals.renewal_reminders_send(today=today()) == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("status", "reminded"),
    [(Renewal.Status.RENEWED, 0), (Renewal.Status.REFERRED, 0), (Renewal.Status.REFUSED, 1)],
)
def test_no_reminder_once_a_renewal_is_sent_for_the_period_unless_it_was_refused(status, reminded):
    # A refused renewal leaves the registration to lapse on its date: the worker is still
    # reminded (and their employers warned) until they renew or it lapses.
    entry = entry_due_in(30)
    Renewal.objects.create(
        entry=entry,
        status=status,
        renewal_due_before=entry.renewal_due,
        has_criminal_record=False,
        has_health_condition=False,
        has_fitness_to_practise_history=False,
        cpd_hours=Decimal("12"),
    )

    assert renewals.renewal_reminders_send(today=today()) == reminded


@pytest.mark.django_db
def test_finding_who_is_due_a_reminder_is_one_query_however_large_the_register(
    django_assert_num_queries,
):
    for days in range(1, 61):
        entry_due_in(days)
    RenewalReminder.objects.create(
        entry=RegisterEntry.objects.get(renewal_due=today() + timedelta(days=45)),
        renewal_due=today() + timedelta(days=45),
        days_before=60,
    )

    with django_assert_num_queries(1):
        due = list(renewals.renewal_reminders_due(today=today()))

    assert len(due) == 59
    assert {entry.reminder_days for entry in due} == {7, 30, 60}
    assert due[0].worker.email  # the worker comes with the entry, not one query each


# --- Lapsing ---------------------------------------------------------------------------------


@pytest.fixture
def overdue(db):
    return entry_due_in(-1)


@pytest.mark.django_db
def test_an_overdue_entry_lapses_and_the_worker_and_employers_hear_of_it(
    overdue, django_capture_on_commit_callbacks
):
    organisation = OrganisationFactory()
    owner = MembershipFactory(organisation=organisation, role="owner").user
    overdue.employers.add(organisation)

    with django_capture_on_commit_callbacks(execute=True):
        out = run("lapse_overdue_registrations")

    overdue.refresh_from_db()
    assert overdue.status == Status.LAPSED
    due = overdue.renewal_due
    change = StatusChange.objects.get(entry=overdue)
    assert (change.old_status, change.new_status, change.changed_by) == (
        "registered",
        "lapsed",
        None,
    )
    assert change.reason == f"Not renewed by {due.day} {due:%B %Y}."
    event = AuditEvent.objects.get(action="register.entry.lapsed")
    assert (event.actor_label, event.new_status) == ("system", "lapsed")
    assert sorted(message.to[0] for message in mail.outbox) == sorted(
        [overdue.worker.email, owner.email]
    )
    assert f"lapsed {overdue.registration_number}" in out
    assert "1 registration(s) lapsed." in out


@pytest.mark.django_db
def test_the_lapse_command_is_idempotent(overdue, django_capture_on_commit_callbacks):
    entry_due_in(-30, status=Status.REGISTERED_WITH_CONDITIONS)

    with django_capture_on_commit_callbacks(execute=True):
        first = run("lapse_overdue_registrations")
    emails = len(mail.outbox)
    with django_capture_on_commit_callbacks(execute=True):
        second = run("lapse_overdue_registrations")

    assert "2 registration(s) lapsed." in first
    assert second.strip() == "0 registration(s) lapsed."
    assert len(mail.outbox) == emails == 2
    assert StatusChange.objects.count() == 2
    assert AuditEvent.objects.filter(action="register.entry.lapsed").count() == 2


@pytest.mark.django_db
def test_the_lapse_dry_run_lists_but_changes_nothing(overdue, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        out = run("lapse_overdue_registrations", "--dry-run")

    overdue.refresh_from_db()
    assert overdue.status == Status.REGISTERED
    assert f"would lapse {overdue.registration_number}" in out
    assert "1 registration(s) would lapse." in out
    assert not StatusChange.objects.exists()
    assert not AuditEvent.objects.exists()
    assert mail.outbox == []


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("days", "status"),
    [
        (0, Status.REGISTERED),
        (5, Status.REGISTERED),
        (-5, Status.SUSPENDED),
        (-5, Status.REMOVED),
    ],
    ids=["due-today", "due-later", "suspended", "removed"],
)
def test_entries_not_overdue_or_not_practising_are_left_alone(days, status):
    entry = entry_due_in(days, status=status)

    assert renewals.registrations_lapse_overdue(today=today()) == []
    entry.refresh_from_db()
    assert entry.status == status


@pytest.mark.django_db
def test_today_can_be_given_to_the_lapse_command():
    entry = entry_due_in(10)

    before = run("lapse_overdue_registrations", "--today", str(entry.renewal_due))
    after = run(
        "lapse_overdue_registrations", "--today", str(entry.renewal_due + timedelta(days=1))
    )

    assert "0 registration(s) lapsed." in before
    assert f"lapsed {entry.registration_number}" in after


@pytest.mark.django_db
def test_an_entry_whose_renewal_waits_for_a_registrar_does_not_lapse_until_refused(registrar):
    entry = entry_due_in(3)
    CpdActivity.objects.create(
        entry=entry, completed_on=today(), title="x", hours=Decimal("12"), reflection="x"
    )
    renewal = renewals.renewal_submit(
        entry=entry,
        worker=entry.worker,
        has_criminal_record=True,
        criminal_record_details="Caution, 2019.",
        has_health_condition=False,
        has_fitness_to_practise_history=False,
    )
    after_due = str(entry.renewal_due + timedelta(days=1))

    assert "0 registration(s) lapsed." in run("lapse_overdue_registrations", "--today", after_due)

    renewals.renewal_decide(renewal=renewal, registrar=registrar, accept=False, reason="No.")
    assert "1 registration(s) lapsed." in run("lapse_overdue_registrations", "--today", after_due)
    entry.refresh_from_db()
    assert entry.status == Status.LAPSED


@pytest.mark.django_db
def test_one_entry_that_fails_to_lapse_does_not_undo_the_others(monkeypatch):
    first, broken, last = entry_due_in(-3), entry_due_in(-2), entry_due_in(-1)
    real_entry_lapse = renewals.entry_lapse

    def entry_lapse(*, entry, **kwargs):
        if entry.pk == broken.pk:
            raise RuntimeError("The database went away for a moment.")
        return real_entry_lapse(entry=entry, **kwargs)

    monkeypatch.setattr(renewals, "entry_lapse", entry_lapse)

    with pytest.raises(CommandError, match=f"could not be lapsed: {broken.registration_number}"):
        run("lapse_overdue_registrations")

    statuses = dict(RegisterEntry.objects.values_list("pk", "status"))
    assert statuses == {
        first.pk: Status.LAPSED,
        broken.pk: Status.REGISTERED,
        last.pk: Status.LAPSED,
    }

    monkeypatch.setattr(renewals, "entry_lapse", real_entry_lapse)
    assert f"lapsed {broken.registration_number}" in run("lapse_overdue_registrations")


@pytest.mark.django_db
def test_a_lapsed_worker_restores_after_the_command_and_stays_out_of_the_next_run(
    overdue,
):
    run("lapse_overdue_registrations")
    CpdActivity.objects.create(
        entry=overdue, completed_on=today(), title="x", hours=Decimal("12"), reflection="x"
    )

    renewals.renewal_submit(
        entry=overdue,
        worker=overdue.worker,
        has_criminal_record=False,
        has_health_condition=False,
        has_fitness_to_practise_history=False,
    )

    overdue.refresh_from_db()
    assert overdue.status == Status.REGISTERED
    assert "0 registration(s) lapsed." in run("lapse_overdue_registrations")
