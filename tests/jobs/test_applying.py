"""Sending an application: once per person and vacancy, only while the vacancy takes
applications, with every answer; the share of a registered worker's record with that employer
for that application only, ending 30 days after the vacancy closes; withdrawing and stopping
the share; the rate limit; saved details."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from core.models import AuditChainHead, AuditEvent
from employers.models import ShareCode
from employers.services import sharecodes
from jobs.models import ApplicantDetails, Application, ApplicationEvent, ScreeningAnswer, Vacancy
from jobs.services import applying
from jobs.services.applications import application_move
from jobs.services.applying import (
    ApplicationInvalid,
    ApplyingError,
    ApplyingRateLimited,
    VacancyNotTakingApplications,
    application_share_stop,
    application_submit,
    application_withdraw,
)
from jobs.services.vacancies import vacancies_close_expired, vacancy_close
from register.models import RegisterEntry
from tests.factories import RegisterEntryFactory, UserFactory, VacancyFactory
from tests.jobs.conftest import answers_for

pytestmark = pytest.mark.django_db

Stage = Application.Stage
LONDON = ZoneInfo("Europe/London")


def _actions(**filters) -> list[str]:
    return list(
        AuditEvent.objects.filter(**filters).order_by("pk").values_list("action", flat=True)
    )


def _end_of(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time(), LONDON)


def test_a_registered_worker_applies_and_shares_their_record_for_this_application_only(
    worker, entry, open_vacancy, employer, employer_member, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        submitted = application_submit(
            vacancy=open_vacancy,
            applicant=worker,
            answers=answers_for(open_vacancy, shares_identity_checks=True),
        )

    application = submitted.application
    assert submitted.created
    assert application.stage == Stage.RECEIVED
    assert application.entry == entry
    assert application.shares_identity_checks
    share = application.share
    assert share.for_application and share.worker == worker and share.entry == entry
    assert share.shares_identity_checks
    assert share.label == (
        f"Your application to Sunrise Care Homes: Night care assistant ({open_vacancy.reference})"
    )
    assert share.expires_at == _end_of(open_vacancy.closing_date) + datetime.timedelta(days=30)
    assert sorted(application.answers.values_list("answer", flat=True)) == [True, True]
    event = application.events.get()
    assert (event.stage, event.from_stage, event.actor) == (Stage.RECEIVED, "", worker)
    assert _actions(target_type="jobs.application") == ["jobs.application.submitted"]
    assert "employers.share_code.created" in _actions(target_type="employers.sharecode")

    receipt = next(message for message in mail.outbox if message.to == [worker.email])
    assert "Night care assistant" in receipt.subject
    assert application.reference in receipt.body
    assert "with the outcomes of your identity checks" in receipt.body
    notice = next(message for message in mail.outbox if message.to != [worker.email])
    assert sorted(notice.to) == [employer.email, employer_member.email]
    assert worker.full_name in notice.body
    # No personal data beyond the name: not the statement, the phone or the availability.
    assert "grandmother" not in notice.body and "07700" not in notice.body
    assert "Any night" not in notice.body


def test_someone_not_on_the_register_applies_and_shares_nothing(
    outsider, open_vacancy, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        application = application_submit(
            vacancy=open_vacancy, applicant=outsider, answers=answers_for(open_vacancy)
        ).application

    assert application.entry is None and application.share is None
    assert not ShareCode.objects.exists()
    receipt = next(message for message in mail.outbox if message.to == [outsider.email])
    assert '"not verified"' in receipt.body


def test_someone_removed_from_the_register_applies_and_the_employer_sees_the_entry(
    worker, entry, open_vacancy
):
    RegisterEntry.objects.filter(pk=entry.pk).update(status=RegisterEntry.Status.REMOVED)

    application = application_submit(
        vacancy=open_vacancy, applicant=worker, answers=answers_for(open_vacancy)
    ).application

    assert application.entry == entry
    assert application.share is None


def test_a_second_send_finds_the_first_application_and_changes_nothing(worker, entry, open_vacancy):
    first = application_submit(
        vacancy=open_vacancy, applicant=worker, answers=answers_for(open_vacancy)
    )

    again = application_submit(
        vacancy=open_vacancy,
        applicant=worker,
        answers=answers_for(open_vacancy, statement="Other words entirely."),
        save_details=True,
    )

    assert not again.created
    assert again.application == first.application
    assert Application.objects.count() == 1
    assert ShareCode.objects.count() == 1
    assert not ApplicantDetails.objects.exists()
    assert _actions(action="jobs.application.submitted") == ["jobs.application.submitted"]


def test_the_database_refuses_a_second_application_by_the_same_person_for_a_vacancy(
    worker, open_vacancy
):
    application_submit(vacancy=open_vacancy, applicant=worker, answers=answers_for(open_vacancy))

    with pytest.raises(IntegrityError), transaction.atomic():
        Application.objects.create(
            vacancy=open_vacancy, applicant=worker, statement="Twice.", availability="Now."
        )


@pytest.mark.django_db(transaction=True)
def test_two_sends_at_once_keep_one_application(worker, entry, open_vacancy):
    """On PostgreSQL the threads really race, and the unique constraint decides: the loser's
    insert fails, its share and answers go with its transaction, and it returns the winner's
    application. SQLite serialises writers, so there is no race to test."""
    import threading

    from django.db import connection, connections

    if connection.vendor == "sqlite":
        pytest.skip("SQLite allows one writer at a time; the race needs PostgreSQL.")
    results, errors = [], []
    barrier = threading.Barrier(4)

    def send():
        try:
            barrier.wait()
            results.append(
                application_submit(
                    vacancy=open_vacancy, applicant=worker, answers=answers_for(open_vacancy)
                )
            )
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=send) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert len({result.application.pk for result in results}) == 1
    assert [result.created for result in results].count(True) == 1
    assert Application.objects.count() == 1
    assert ShareCode.objects.count() == 1
    assert ScreeningAnswer.objects.count() == 2
    assert ApplicationEvent.objects.count() == 1
    assert AuditEvent.objects.filter(action="jobs.application.submitted").count() == 1


def _use_tasks_backend(settings, backend: str) -> None:
    from django_tasks import task_backends

    settings.TASKS = {"default": {"BACKEND": backend}}
    task_backends._settings = task_backends.settings = task_backends.configure_settings(None)


def test_a_send_queues_its_emails_in_its_transaction_and_takes_the_audit_lock_last(
    worker, entry, open_vacancy, employer, settings
):
    """The audit chain's lock makes every writer on the site wait until the transaction that
    holds it commits: a Send takes it after everything else it writes, emails included, so it
    is held for little more than the commit."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django_tasks_db.models import DBTaskResult

    from core.audit import find_chain_breaks

    AuditChainHead.objects.get_or_create(id=1)  # as on any site that has logged an event
    _use_tasks_backend(settings, "django_tasks_db.DatabaseBackend")
    try:
        with CaptureQueriesContext(connection) as captured:
            application = application_submit(
                vacancy=open_vacancy, applicant=worker, answers=answers_for(open_vacancy)
            ).application
        # Queued with the application, not after its commit (this test's transaction never
        # commits, so nothing waiting for a commit would have run).
        assert DBTaskResult.objects.count() == 2
    finally:
        _use_tasks_backend(settings, "django_tasks.backends.immediate.ImmediateBackend")

    statements = [query["sql"] for query in captured.captured_queries]
    locked_at = next(
        index
        for index, sql in enumerate(statements)
        if sql.startswith("SELECT") and "core_auditchainhead" in sql
    )
    assert any("django_tasks_database_dbtaskresult" in sql for sql in statements[:locked_at])
    # After the lock: the two events in one INSERT, and the new head (the savepoint is this
    # test's: here the Send's transaction is inside the test's own).
    after = [sql for sql in statements[locked_at + 1 :] if "SAVEPOINT" not in sql]
    assert len(after) == 2
    assert after[0].startswith('INSERT INTO "core_auditevent"')
    assert after[1].startswith('UPDATE "core_auditchainhead"')
    assert [
        (event.action, event.target_id)
        for event in AuditEvent.objects.filter(actor_id=worker.pk).order_by("pk")
    ] == [
        ("employers.share_code.created", str(application.share_id)),
        ("jobs.application.submitted", str(application.pk)),
    ]
    assert list(find_chain_breaks()) == []


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"statement": "  "}, "statement", "Write a supporting statement"),
        (
            {"statement": "word " * 501},
            "statement",
            "Your supporting statement is 501 words. Keep it to 500 words or fewer.",
        ),
        ({"availability": ""}, "availability", "Say when you are available"),
        ({"phone": "0" * 41}, "phone", "40 characters or fewer"),
        ({"screening": {}}, "screening", "Answer yes or no to every question"),
    ],
)
def test_a_missing_or_too_long_answer_is_refused_and_nothing_is_kept(
    worker, entry, open_vacancy, changes, field, message
):
    with pytest.raises(ApplicationInvalid) as refused:
        application_submit(
            vacancy=open_vacancy, applicant=worker, answers=answers_for(open_vacancy, **changes)
        )

    assert message in refused.value.problems[field]
    assert not Application.objects.exists()
    assert not ShareCode.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="jobs.application").exists()


def test_a_statement_of_exactly_500_words_is_accepted(worker, open_vacancy):
    submitted = application_submit(
        vacancy=open_vacancy,
        applicant=worker,
        answers=answers_for(open_vacancy, statement=" ".join(["care"] * 500)),
    )

    assert submitted.created


def test_one_question_left_unanswered_is_named(worker, open_vacancy):
    first = open_vacancy.questions.first()

    with pytest.raises(ApplicationInvalid, match="Can you work nights"):
        application_submit(
            vacancy=open_vacancy,
            applicant=worker,
            answers=answers_for(open_vacancy, screening={first.pk: False}),
        )


@pytest.mark.parametrize("status", [Vacancy.Status.CLOSED, Vacancy.Status.WITHDRAWN])
def test_a_vacancy_no_longer_published_takes_no_application(worker, open_vacancy, status):
    Vacancy.objects.filter(pk=open_vacancy.pk).update(status=status, closed_at=timezone.now())

    with pytest.raises(VacancyNotTakingApplications, match="takes no more applications"):
        application_submit(
            vacancy=open_vacancy, applicant=worker, answers=answers_for(open_vacancy)
        )
    assert not Application.objects.exists()


def test_a_vacancy_past_its_closing_date_takes_no_application_before_the_clock_closes_it(
    worker, open_vacancy, clock
):
    clock.set(_end_of(open_vacancy.closing_date) - datetime.timedelta(minutes=1))
    assert application_submit(
        vacancy=open_vacancy, applicant=UserFactory(), answers=answers_for(open_vacancy)
    ).created

    clock.set(_end_of(open_vacancy.closing_date) + datetime.timedelta(minutes=1))
    with pytest.raises(VacancyNotTakingApplications, match="closed at the end of"):
        application_submit(
            vacancy=open_vacancy, applicant=worker, answers=answers_for(open_vacancy)
        )


def test_a_member_of_the_employer_cannot_apply_for_its_own_vacancy(employer_member, open_vacancy):
    with pytest.raises(ApplyingError, match="You are a member of Sunrise Care Homes"):
        application_submit(
            vacancy=open_vacancy, applicant=employer_member, answers=answers_for(open_vacancy)
        )


def test_past_the_hours_limit_an_application_is_refused_with_a_clear_message(
    worker, employer, employer_organisation, settings
):
    settings.APPLICATIONS_PER_HOUR = 2
    vacancies = [
        VacancyFactory(organisation=employer_organisation, created_by=employer, status="published")
        for _ in range(3)
    ]
    # A refused answer counts for nothing.
    with pytest.raises(ApplicationInvalid):
        application_submit(
            vacancy=vacancies[0],
            applicant=worker,
            answers=answers_for(vacancies[0], statement=""),
        )
    for vacancy in vacancies[:2]:
        application_submit(vacancy=vacancy, applicant=worker, answers=answers_for(vacancy))

    with pytest.raises(ApplyingRateLimited, match="You have sent 2 applications in the last hour"):
        application_submit(
            vacancy=vacancies[2], applicant=worker, answers=answers_for(vacancies[2])
        )
    assert Application.objects.count() == 2
    # Another person is not held up by it.
    assert application_submit(
        vacancy=vacancies[2], applicant=UserFactory(), answers=answers_for(vacancies[2])
    ).created


def test_details_are_saved_for_next_time_only_when_ticked(worker, employer, open_vacancy):
    application_submit(vacancy=open_vacancy, applicant=worker, answers=answers_for(open_vacancy))
    assert not ApplicantDetails.objects.exists()

    other = VacancyFactory(
        organisation=open_vacancy.organisation, created_by=employer, status="published"
    )
    application_submit(
        vacancy=other,
        applicant=worker,
        answers=answers_for(other, statement="Saved words.", shares_identity_checks=True),
        save_details=True,
    )

    details = ApplicantDetails.objects.get(user=worker)
    assert details.statement == "Saved words."
    assert details.phone == "07700 900123"
    assert details.shares_identity_checks
    assert _actions(action="jobs.applicant_details.saved") == ["jobs.applicant_details.saved"]
    # Only which person saved them is logged, never the words.
    assert "Saved words" not in str(AuditEvent.objects.get(action__endswith="saved").data)


def test_an_application_share_does_not_use_up_the_workers_share_codes(worker, entry, open_vacancy):
    application_submit(vacancy=open_vacancy, applicant=worker, answers=answers_for(open_vacancy))

    for _ in range(sharecodes.MAX_LIVE_CODES):
        sharecodes.share_code_create(worker=worker, entry=entry, shares_identity_checks=False)

    assert ShareCode.objects.filter(for_application=False).count() == sharecodes.MAX_LIVE_CODES


def test_nobody_can_open_an_application_share_by_typing_a_code(
    worker, entry, open_vacancy, employer, employer_organisation
):
    share = application_submit(
        vacancy=open_vacancy, applicant=worker, answers=answers_for(open_vacancy)
    ).application.share

    # Its stored hash is of a long secret, not of a nine-character code, and it has no hint.
    assert share.hint == ""
    assert len(share.code_hash) == 64
    assert not ShareCode.objects.filter(code_hash=sharecodes.share_code_hash(share.masked)).exists()


def test_closing_the_vacancy_early_ends_the_share_30_days_after_that(
    worker, entry, open_vacancy, employer, clock
):
    share = application_submit(
        vacancy=open_vacancy, applicant=worker, answers=answers_for(open_vacancy)
    ).application.share
    clock.advance(datetime.timedelta(days=3))

    vacancy_close(vacancy=open_vacancy, user=employer, outcome=Vacancy.Status.FILLED)

    share.refresh_from_db()
    assert share.expires_at == timezone.now() + datetime.timedelta(days=30)
    event = AuditEvent.objects.get(action="employers.share_code.shortened")
    assert event.data["reason"] == "vacancy_filled"


def test_the_clock_closing_the_vacancy_leaves_the_share_ending_30_days_after_its_closing_date(
    worker, entry, open_vacancy, clock
):
    share = application_submit(
        vacancy=open_vacancy, applicant=worker, answers=answers_for(open_vacancy)
    ).application.share
    expires_at = share.expires_at
    day_after = open_vacancy.closing_date + datetime.timedelta(days=1)
    clock.set(datetime.datetime.combine(day_after, datetime.time(2), LONDON))

    vacancies_close_expired(today=day_after)

    share.refresh_from_db()
    assert share.expires_at == expires_at
    assert not AuditEvent.objects.filter(action="employers.share_code.shortened").exists()


def test_the_applicant_withdraws_and_the_employer_is_told_without_their_message(
    worker, entry, open_vacancy, employer, django_capture_on_commit_callbacks
):
    application = application_submit(
        vacancy=open_vacancy, applicant=worker, answers=answers_for(open_vacancy)
    ).application
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        application_withdraw(
            application=application, applicant=worker, message="I took a job nearer home."
        )

    application.refresh_from_db()
    assert application.stage == Stage.WITHDRAWN
    event = application.events.last()
    assert (event.stage, event.actor, event.message) == (
        Stage.WITHDRAWN,
        worker,
        "I took a job nearer home.",
    )
    assert not application.share.is_live()
    assert "jobs.application.withdrawn" in _actions(target_type="jobs.application")
    to_employer = next(message for message in mail.outbox if employer.email in message.to)
    assert "withdrew" in to_employer.body and "They left a message" in to_employer.body
    assert "nearer home" not in to_employer.body
    to_worker = next(message for message in mail.outbox if message.to == [worker.email])
    assert "You wrote to the employer:" in to_worker.body


def test_a_withdrawn_application_cannot_be_withdrawn_again(worker, open_vacancy):
    application = application_submit(
        vacancy=open_vacancy, applicant=worker, answers=answers_for(open_vacancy)
    ).application
    application_withdraw(application=application, applicant=worker)

    with pytest.raises(ApplyingError, match="already withdrawn"):
        application_withdraw(application=application, applicant=worker)


def test_an_application_ended_by_the_employer_cannot_be_withdrawn(worker, open_vacancy, employer):
    application = application_submit(
        vacancy=open_vacancy, applicant=worker, answers=answers_for(open_vacancy)
    ).application
    application_move(
        application=application, to=Stage.NOT_PROGRESSED, actor=employer, message="Sorry."
    )

    with pytest.raises(ApplyingError, match="already not progressed"):
        application_withdraw(application=application, applicant=worker)


def test_nobody_but_the_applicant_withdraws_or_stops_sharing(worker, entry, open_vacancy, outsider):
    application = application_submit(
        vacancy=open_vacancy, applicant=worker, answers=answers_for(open_vacancy)
    ).application

    with pytest.raises(ApplyingError, match="Only the person who applied"):
        application_withdraw(application=application, applicant=outsider)
    with pytest.raises(ApplyingError, match="Only the person who applied"):
        application_share_stop(application=application, applicant=outsider)
    application.refresh_from_db()
    assert application.stage == Stage.RECEIVED and application.share.is_live()


def test_the_applicant_stops_sharing_and_the_application_goes_on(worker, entry, open_vacancy):
    application = application_submit(
        vacancy=open_vacancy, applicant=worker, answers=answers_for(open_vacancy)
    ).application

    application_share_stop(application=application, applicant=worker)

    application.refresh_from_db()
    assert application.stage == Stage.RECEIVED
    assert application.share.revoked_at is not None
    assert "employers.share_code.revoked" in _actions(target_type="employers.sharecode")
    with pytest.raises(ApplyingError, match="no longer shared"):
        application_share_stop(application=application, applicant=worker)


def test_stopping_sharing_is_refused_for_someone_who_shared_nothing(outsider, open_vacancy):
    application = application_submit(
        vacancy=open_vacancy, applicant=outsider, answers=answers_for(open_vacancy)
    ).application

    with pytest.raises(ApplyingError, match="was not shared"):
        application_share_stop(application=application, applicant=outsider)


def test_a_worker_who_leaves_the_register_stops_sharing_through_their_applications_too(
    worker, entry, open_vacancy
):
    share = application_submit(
        vacancy=open_vacancy, applicant=worker, answers=answers_for(open_vacancy)
    ).application.share

    sharecodes.share_codes_revoke_for_removed_entry(entry=entry)

    share.refresh_from_db()
    assert share.revoked_at is not None


def test_the_share_ends_at_the_vacancy_closing_date_plus_the_days_set(settings, open_vacancy):
    settings.APPLICATION_SHARE_DAYS_AFTER_CLOSE = 7

    assert applying.application_share_ends_at(open_vacancy) == _end_of(
        open_vacancy.closing_date
    ) + datetime.timedelta(days=7)


def test_an_entry_made_for_a_suspended_worker_is_still_shared(worker, open_vacancy):
    entry = RegisterEntryFactory(application__worker=worker, status=RegisterEntry.Status.SUSPENDED)

    application = application_submit(
        vacancy=open_vacancy, applicant=worker, answers=answers_for(open_vacancy)
    ).application

    # The employer reads the live status from the share: suspended.
    assert application.share.entry == entry


def test_a_vacancy_title_with_a_line_break_still_lets_every_email_about_it_go(
    worker, entry, open_vacancy, employer, django_capture_on_commit_callbacks
):
    # A title sent over the API (or a hand-made form post) can hold a line break; an email
    # subject cannot, so each email about the vacancy failed in the worker and nobody heard.
    Vacancy.objects.filter(pk=open_vacancy.pk).update(title="Night care\r\nassistant")
    open_vacancy.refresh_from_db()

    with django_capture_on_commit_callbacks(execute=True):
        application_submit(
            vacancy=open_vacancy, applicant=worker, answers=answers_for(open_vacancy)
        )

    subjects = sorted(message.subject for message in mail.outbox)
    assert len(subjects) == 2
    assert all("Night care assistant" in subject for subject in subjects)
