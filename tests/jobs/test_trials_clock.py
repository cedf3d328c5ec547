# ruff: noqa: F811  (pytest fixtures imported from tests/jobs/trial_fixtures.py)
"""The paid trials' clock: the reminder the day before, with the trial as an .ics attachment
(read back as a calendar reads it), and overdue pay chased to the employer's owners."""

import datetime
from datetime import timedelta

from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from core.calendar import calendar_event_ics
from core.models import AuditEvent
from jobs.models import TrialPay
from jobs.services import trials
from tests.jobs.trial_fixtures import an_offer, pat, vacancy  # noqa: F401


def read_ics(text: str) -> dict[str, str]:
    """The event's properties, as RFC 5545 says to read them: lines end in CRLF, a line that
    starts with a space continues the one before, and \\, \\; \\, \\n are unescaped."""
    assert text.endswith("\r\n")
    unfolded = text.replace("\r\n ", "")
    properties = {}
    for line in unfolded.split("\r\n"):
        if not line:
            continue
        name, _, value = line.partition(":")
        value = (
            value.replace("\\n", "\n").replace("\\,", ",").replace("\\;", ";").replace("\\\\", "\\")
        )
        properties.setdefault(name, value)
    return properties


def accepted(pat, employer, **overrides):
    trial = trials.trial_offer(application=pat, actor=employer, offer=an_offer(**overrides))
    trials.trial_answer(trial=trial, user=pat.applicant, answer="accept")
    return trial


def test_the_day_before_the_candidate_is_reminded_once_with_an_ics(
    pat, employer, clock, django_capture_on_commit_callbacks
):
    trial = accepted(pat, employer)
    clock.set(trial.starts_at - timedelta(hours=20))
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_trial_reminders", stdout=open("/dev/null", "w"))
        call_command("send_trial_reminders", stdout=open("/dev/null", "w"))

    assert len(mail.outbox) == 1
    reminder = mail.outbox[0]
    assert reminder.to == [pat.applicant.email]
    assert "Tomorrow" in reminder.subject
    ((filename, content, mimetype),) = reminder.attachments
    assert (filename, mimetype) == ("trial.ics", "text/calendar")
    event = read_ics(content)
    assert event["BEGIN"] == "VCALENDAR"
    assert event["DTSTART"] == trial.starts_at.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")
    assert event["DTEND"] == (trial.starts_at + timedelta(hours=3)).astimezone(
        datetime.UTC
    ).strftime("%Y%m%dT%H%M%SZ")
    assert event["LOCATION"] == "Sunrise House, 1 High Street, Leeds LS1 4AP"
    assert "Supervisor: Sue Senior" in event["DESCRIPTION"]
    assert "£13.50 an hour" in event["DESCRIPTION"]
    assert AuditEvent.objects.filter(action="jobs.trial.reminded").count() == 1


def test_a_trial_further_off_or_not_accepted_is_not_reminded(pat, employer, clock):
    trial = trials.trial_offer(application=pat, actor=employer, offer=an_offer())
    clock.set(trial.starts_at - timedelta(hours=20))
    assert trials.trial_reminders_send(now=timezone.now()) == []
    trials.trial_answer(trial=trial, user=pat.applicant, answer="accept")
    clock.set(trial.starts_at - timedelta(days=3))
    assert trials.trial_reminders_send(now=timezone.now()) == []


def test_long_lines_are_folded_and_text_escaped():
    start = timezone.now()
    text = calendar_event_ics(
        uid="x",
        starts_at=start,
        ends_at=start + timedelta(hours=1),
        summary="Trial; with, commas",
        description="Łódź " * 40 + "\nSecond line",
    )
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))
    event = read_ics(text)
    assert event["SUMMARY"] == "Trial; with, commas"
    assert event["DESCRIPTION"].endswith("\nSecond line")


def test_overdue_pay_is_chased_to_the_owners_once_a_week_until_confirmed(
    pat, employer, employer_member, clock, django_capture_on_commit_callbacks
):
    trial = accepted(pat, employer)
    clock.set(trial.starts_at + timedelta(hours=4))
    pay = trials.trial_hours_record(trial=trial, actor=employer, hours="3")
    today = pay.due_on + timedelta(days=1)

    assert trials.trial_pay_chase(today=pay.due_on) == []
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("chase_trial_pay", "--today", today.isoformat(), stdout=open("/dev/null", "w"))
        call_command("chase_trial_pay", "--today", today.isoformat(), stdout=open("/dev/null", "w"))

    assert len(mail.outbox) == 1
    chase = mail.outbox[0]
    assert chase.to == ["employer@example.org"]  # the owner; not the member
    assert pat.reference in chase.body
    assert "£40.50" in chase.body
    pay.refresh_from_db()
    assert pay.last_chased_on == today
    assert AuditEvent.objects.filter(action="jobs.trial_pay.chased").count() == 1

    assert trials.trial_pay_chase(today=today + timedelta(days=6), dry_run=True) == []
    assert trials.trial_pay_chase(today=today + timedelta(days=7), dry_run=True) == [
        (pat.vacancy.organisation.name, 1)
    ]
    TrialPay.objects.filter(pk=pay.pk).update(
        hours_confirmed_at=timezone.now(), paid_confirmed_at=timezone.now()
    )
    assert trials.trial_pay_chase(today=today + timedelta(days=7)) == []


def test_the_dry_run_changes_nothing(pat, employer, clock):
    trial = accepted(pat, employer)
    clock.set(trial.starts_at + timedelta(hours=4))
    pay = trials.trial_hours_record(trial=trial, actor=employer, hours="3")

    chased = trials.trial_pay_chase(today=pay.due_on + timedelta(days=1), dry_run=True)

    assert chased == [(pat.vacancy.organisation.name, 1)]
    pay.refresh_from_db()
    assert pay.last_chased_on is None
