"""No silent rejection: once a vacancy stops taking applications, `chase_applications` reminds
its employer once of the applications still open, and closes those left untouched for 14 days
with a kind message to the applicant, by the clock."""

import datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from core.models import AuditEvent
from employers.models import ShareCode
from jobs.models import Application, Vacancy
from jobs.services.applications import application_move
from jobs.services.applying import application_submit
from jobs.services.vacancies import vacancies_close_expired, vacancy_close
from tests.factories import UserFactory
from tests.jobs.conftest import answers_for

pytestmark = pytest.mark.django_db

Stage = Application.Stage
LONDON = ZoneInfo("Europe/London")


def _at(day: datetime.date, hour: int = 9) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), LONDON)


def chase(today: datetime.date, *extra: str) -> str:
    out = StringIO()
    call_command("chase_applications", "--today", today.isoformat(), *extra, stdout=out)
    return out.getvalue()


@pytest.fixture
def closed_on(open_vacancy, worker, clock, django_capture_on_commit_callbacks):
    """Two applications (Wendy's and Amir's) to the vacancy, which the clock closes the day
    after its closing date; that day."""
    clock.set(_at(open_vacancy.closing_date - datetime.timedelta(days=5)))
    for person in (worker, UserFactory(email="amir@example.org", full_name="Amir Applicant")):
        application_submit(
            vacancy=open_vacancy, applicant=person, answers=answers_for(open_vacancy)
        )
    day = open_vacancy.closing_date + datetime.timedelta(days=1)
    clock.set(_at(day, 1))
    vacancies_close_expired(today=day)
    mail.outbox.clear()
    return day


def test_the_employer_is_reminded_once_when_the_vacancy_closes(
    open_vacancy, closed_on, employer, employer_member, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        output = chase(closed_on)

    assert f"employer of vacancy {open_vacancy.reference} reminded of 2 open application(s)" in (
        output
    )
    [reminder] = mail.outbox
    assert sorted(reminder.to) == [employer.email, employer_member.email]
    assert "2 open applications for Night care assistant" in reminder.subject
    assert "closed for you" in reminder.body
    assert Application.objects.filter(employer_reminded_at__isnull=True).count() == 0
    event = AuditEvent.objects.get(action="jobs.vacancy.applicants_reminded")
    assert event.data == {"open_applications": 2}

    with django_capture_on_commit_callbacks(execute=True):
        chase(closed_on + datetime.timedelta(days=1))
    assert len(mail.outbox) == 1


def test_an_application_untouched_for_14_days_is_closed_kindly_by_the_clock(
    open_vacancy, closed_on, worker, clock, django_capture_on_commit_callbacks
):
    chase(closed_on)
    clock.set(_at(closed_on + datetime.timedelta(days=13)))
    assert "0 application(s) closed" in chase(closed_on + datetime.timedelta(days=13))
    mail.outbox.clear()

    clock.set(_at(closed_on + datetime.timedelta(days=14)))
    with django_capture_on_commit_callbacks(execute=True):
        output = chase(closed_on + datetime.timedelta(days=14))

    assert "2 application(s) closed" in output
    application = Application.objects.get(applicant=worker)
    assert application.stage == Stage.NOT_PROGRESSED
    assert application.closed_by_clock
    assert "we have closed it for you rather than leave you waiting" in application.message
    event = application.events.last()
    assert event.actor is None and event.stage == Stage.NOT_PROGRESSED
    audit = AuditEvent.objects.filter(action="jobs.application.not_progressed").first()
    assert audit.actor_id is None
    to_worker = next(message for message in mail.outbox if message.to == [worker.email])
    assert "This says nothing about you" in to_worker.body
    assert "The employer wrote" not in to_worker.body
    # Run again: nothing more to do.
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert "0 application(s) closed" in chase(closed_on + datetime.timedelta(days=15))
    assert mail.outbox == []


def test_an_application_the_employer_moved_after_the_close_gets_its_own_14_days(
    open_vacancy, closed_on, worker, employer, clock
):
    application = Application.objects.get(applicant=worker)
    clock.set(_at(closed_on + datetime.timedelta(days=5)))
    application_move(application=application, to=Stage.SHORTLISTED, actor=employer)

    chase(closed_on + datetime.timedelta(days=14))
    application.refresh_from_db()
    assert application.stage == Stage.SHORTLISTED

    chase(closed_on + datetime.timedelta(days=19))
    application.refresh_from_db()
    assert application.stage == Stage.NOT_PROGRESSED


def test_an_application_with_an_offer_is_left_to_the_employer(
    open_vacancy, closed_on, worker, employer
):
    application = Application.objects.get(applicant=worker)
    Application.objects.filter(pk=application.pk).update(
        stage=Stage.OFFER, stage_changed_at=timezone.now() - datetime.timedelta(days=40)
    )

    chase(closed_on + datetime.timedelta(days=30))

    application.refresh_from_db()
    assert application.stage == Stage.OFFER
    assert not application.closed_by_clock


def test_applications_to_a_vacancy_still_published_are_not_chased(
    open_vacancy, worker, django_capture_on_commit_callbacks
):
    application_submit(vacancy=open_vacancy, applicant=worker, answers=answers_for(open_vacancy))
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        output = chase(timezone.localdate() + datetime.timedelta(days=60))

    assert "0 application(s) closed, 0 employer(s) reminded" in output
    assert mail.outbox == []
    assert Application.objects.get().stage == Stage.RECEIVED


def test_a_dry_run_lists_what_it_would_do_and_changes_nothing(
    open_vacancy, closed_on, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        output = chase(closed_on + datetime.timedelta(days=14), "--dry-run")

    assert "2 application(s) would be closed" in output
    assert mail.outbox == []
    assert not Application.objects.exclude(stage=Stage.RECEIVED).exists()
    assert not Application.objects.filter(employer_reminded_at__isnull=False).exists()
    assert not AuditEvent.objects.filter(action="jobs.vacancy.applicants_reminded").exists()


def test_a_withdrawn_vacancy_is_chased_from_the_day_it_was_withdrawn(
    open_vacancy, worker, employer, clock
):
    clock.set(_at(timezone.localdate()))
    application_submit(vacancy=open_vacancy, applicant=worker, answers=answers_for(open_vacancy))
    vacancy_close(vacancy=open_vacancy, user=employer, outcome=Vacancy.Status.WITHDRAWN)
    withdrawn_on = timezone.localdate()

    chase(withdrawn_on + datetime.timedelta(days=13))
    assert Application.objects.get().stage == Stage.RECEIVED
    chase(withdrawn_on + datetime.timedelta(days=14))
    assert Application.objects.get().stage == Stage.NOT_PROGRESSED


def test_a_share_that_missed_its_vacancys_early_close_is_ended_by_the_chase(
    open_vacancy, worker, entry, employer, clock
):
    share = application_submit(
        vacancy=open_vacancy, applicant=worker, answers=answers_for(open_vacancy)
    ).application.share
    vacancy_close(vacancy=open_vacancy, user=employer, outcome=Vacancy.Status.WITHDRAWN)
    # As if made at the very moment the vacancy closed, after the close moved the others.
    late_end = timezone.now() + datetime.timedelta(days=45)
    ShareCode.objects.filter(pk=share.pk).update(expires_at=late_end)

    output = chase(timezone.localdate())

    share.refresh_from_db()
    open_vacancy.refresh_from_db()
    assert share.expires_at == open_vacancy.closed_at + datetime.timedelta(days=30)
    assert "1 share(s) ended sooner" in output


def test_the_chase_runs_with_the_other_daily_jobs_after_vacancies_close(settings):
    commands = settings.PERIODIC_COMMANDS
    assert commands.index("chase_applications") > commands.index("close_expired_vacancies")
