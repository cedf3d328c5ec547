# ruff: noqa: F811  (pytest fixtures imported from tests/jobs/pipeline_fixtures.py)
"""Interview times: the employer adds and removes free ones; an applicant invited to interview
books one still to come, changes or cancels it; both sides are told, every change is audited,
and one time never goes to two applicants, even when they choose it at the same moment."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from core.audit import AuditEvent
from jobs.models import Application, InterviewSlot, Vacancy
from jobs.services import interviews
from tests.factories import InterviewSlotFactory, JobApplicationFactory, UserFactory
from tests.jobs.pipeline_fixtures import (  # noqa: F401  (fixtures)
    other_employer,
    pat_application,
    question,
    vacancy,
    wendy_application,
)

pytestmark = pytest.mark.django_db

Stage = Application.Stage


def _invited(application):
    Application.objects.filter(pk=application.pk).update(stage=Stage.INTERVIEW)
    application.refresh_from_db()
    return application


def _add(vacancy, user, **changes):
    values = {
        "starts_at": timezone.now() + timedelta(days=2),
        "minutes": 30,
        "kind": InterviewSlot.Kind.IN_PERSON,
        "location": "Sunrise House, 1 High Street, Leeds",
    }
    return interviews.interview_slot_add(vacancy=vacancy, user=user, **(values | changes))


# The employer's times ---------------------------------------------------------------------------


def test_a_member_adds_an_interview_time_which_is_audited(employer_member, vacancy):
    slot = _add(vacancy, employer_member)

    assert slot.is_free
    event = AuditEvent.objects.get(action="jobs.interview_slot.added")
    assert (event.actor_id, event.target_id) == (employer_member.pk, str(slot.pk))


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"starts_at": timezone.now() - timedelta(minutes=1)}, "must start in the future"),
        ({"minutes": 5}, "between 10 and 240 minutes"),
        ({"kind": "carrier_pigeon"}, "Choose how"),
        ({"location": "  "}, "Say where the interview is"),
        ({"kind": "video", "location": ""}, "Say how to join the video call"),
        ({"location": "x" * 301}, "300 characters or fewer"),
    ],
)
def test_an_interview_time_that_does_not_make_sense_is_refused(employer, vacancy, changes, message):
    with pytest.raises(interviews.InterviewError, match=message):
        _add(vacancy, employer, **changes)
    assert not InterviewSlot.objects.exists()


def test_a_phone_interview_needs_no_place(employer, vacancy):
    slot = _add(vacancy, employer, kind=InterviewSlot.Kind.PHONE, location="")

    assert slot.location == ""


def test_a_withdrawn_vacancy_takes_no_interviews(employer, vacancy):
    Vacancy.objects.filter(pk=vacancy.pk).update(status=Vacancy.Status.WITHDRAWN)
    vacancy.refresh_from_db()

    with pytest.raises(interviews.InterviewError, match="withdrawn"):
        _add(vacancy, employer)


def test_another_employer_cannot_add_or_remove_times(other_employer, vacancy):
    slot = InterviewSlotFactory(vacancy=vacancy)

    with pytest.raises(PermissionDenied):
        _add(vacancy, other_employer)
    with pytest.raises(PermissionDenied):
        interviews.interview_slot_remove(slot=slot, user=other_employer)


def test_a_free_time_is_removed_and_audited(employer, vacancy):
    slot = InterviewSlotFactory(vacancy=vacancy)

    interviews.interview_slot_remove(slot=slot, user=employer)

    assert not InterviewSlot.objects.exists()
    assert AuditEvent.objects.get(action="jobs.interview_slot.removed").target_id == str(slot.pk)


def test_a_booked_time_cannot_be_removed(employer, vacancy, wendy_application):
    slot = InterviewSlotFactory(vacancy=vacancy, booked_by=_invited(wendy_application))

    with pytest.raises(interviews.InterviewError, match="An applicant has booked this time"):
        interviews.interview_slot_remove(slot=slot, user=employer)
    assert InterviewSlot.objects.filter(pk=slot.pk).exists()


# The applicant's booking ------------------------------------------------------------------------


def test_an_invited_applicant_books_a_time_and_both_sides_are_told(
    django_capture_on_commit_callbacks, worker, employer, vacancy, wendy_application
):
    slot = InterviewSlotFactory(vacancy=vacancy)

    with django_capture_on_commit_callbacks(execute=True):
        interviews.interview_book(
            application=_invited(wendy_application), slot_id=slot.pk, user=worker
        )

    slot.refresh_from_db()
    assert slot.booked_by == wendy_application
    event = AuditEvent.objects.get(action="jobs.interview.booked")
    assert (event.actor_id, event.data["slot_id"]) == (worker.pk, slot.pk)
    to_applicant, to_employer = mail.outbox
    assert to_applicant.to == ["worker@example.org"]
    assert "Sunrise House, 1 High Street, Leeds" in to_applicant.body
    assert f"/my-applications/{wendy_application.reference}/interview/" in to_applicant.body
    assert to_employer.to == ["employer@example.org"]
    assert "Wendy Worker booked an interview" in to_employer.body


def test_an_applicant_not_invited_cannot_book(worker, vacancy, wendy_application):
    slot = InterviewSlotFactory(vacancy=vacancy)

    with pytest.raises(interviews.InterviewError, match="only while the employer has invited"):
        interviews.interview_book(application=wendy_application, slot_id=slot.pk, user=worker)


def test_nobody_but_the_applicant_books_for_them(employer, vacancy, wendy_application):
    slot = InterviewSlotFactory(vacancy=vacancy)

    with pytest.raises(PermissionDenied):
        interviews.interview_book(
            application=_invited(wendy_application), slot_id=slot.pk, user=employer
        )


def test_a_time_of_another_vacancy_or_already_past_is_refused(worker, vacancy, wendy_application):
    _invited(wendy_application)
    elsewhere = InterviewSlotFactory()
    past = InterviewSlotFactory(vacancy=vacancy, starts_at=timezone.now() - timedelta(hours=1))

    with pytest.raises(interviews.InterviewError, match="not one of this vacancy's"):
        interviews.interview_book(application=wendy_application, slot_id=elsewhere.pk, user=worker)
    with pytest.raises(interviews.InterviewError, match="That time has passed"):
        interviews.interview_book(application=wendy_application, slot_id=past.pk, user=worker)


def test_a_time_someone_else_booked_is_refused(worker, vacancy, wendy_application, pat_application):
    slot = InterviewSlotFactory(vacancy=vacancy, booked_by=_invited(pat_application))

    with pytest.raises(interviews.InterviewError, match="Someone else has just booked"):
        interviews.interview_book(
            application=_invited(wendy_application), slot_id=slot.pk, user=worker
        )


def test_changing_frees_the_old_time_and_is_audited(worker, vacancy, wendy_application):
    first = InterviewSlotFactory(vacancy=vacancy, booked_by=_invited(wendy_application))
    second = InterviewSlotFactory(vacancy=vacancy, starts_at=first.starts_at + timedelta(hours=1))

    interviews.interview_book(application=wendy_application, slot_id=second.pk, user=worker)

    first.refresh_from_db()
    second.refresh_from_db()
    assert first.is_free
    assert second.booked_by == wendy_application
    event = AuditEvent.objects.get(action="jobs.interview.changed")
    assert event.data["from_slot_id"] == first.pk


def test_cancelling_frees_the_time_and_tells_both_sides(
    django_capture_on_commit_callbacks, worker, vacancy, wendy_application
):
    slot = InterviewSlotFactory(vacancy=vacancy, booked_by=_invited(wendy_application))

    with django_capture_on_commit_callbacks(execute=True):
        interviews.interview_cancel(application=wendy_application, user=worker)

    slot.refresh_from_db()
    assert slot.is_free
    assert AuditEvent.objects.filter(action="jobs.interview.cancelled").count() == 1
    assert [message.subject.split("] ", 1)[1] for message in mail.outbox] == [
        "Interview cancelled: Night care assistant",
        "Interview cancelled by Wendy Worker",
    ]


def test_an_interview_that_has_started_cannot_be_cancelled(worker, vacancy, wendy_application):
    InterviewSlotFactory(
        vacancy=vacancy,
        booked_by=_invited(wendy_application),
        starts_at=timezone.now() - timedelta(minutes=5),
    )

    with pytest.raises(interviews.InterviewError, match="already started"):
        interviews.interview_cancel(application=wendy_application, user=worker)


def test_cancelling_with_nothing_booked_is_refused(worker, wendy_application):
    with pytest.raises(interviews.InterviewError, match="have not booked"):
        interviews.interview_cancel(application=_invited(wendy_application), user=worker)


@pytest.mark.django_db(transaction=True)
def test_two_applicants_choosing_the_same_time_at_once_never_both_get_it(vacancy):
    """On PostgreSQL the threads really race; SQLite serialises writers, which is also safe."""
    import threading

    from django.db import connection, connections

    if connection.vendor == "sqlite":
        pytest.skip("SQLite allows one writer at a time; the race needs PostgreSQL.")
    applications = [
        _invited(JobApplicationFactory(vacancy=vacancy, applicant=UserFactory())) for _ in range(4)
    ]
    slot = InterviewSlotFactory(vacancy=vacancy)
    booked, refused, errors = [], [], []
    barrier = threading.Barrier(len(applications))

    def book(application):
        try:
            barrier.wait()
            booked.append(
                interviews.interview_book(
                    application=application, slot_id=slot.pk, user=application.applicant
                )
            )
        except interviews.InterviewError as error:
            refused.append(str(error))
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=book, args=[application]) for application in applications]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert len(booked) == 1
    assert refused == ["Someone else has just booked that time. Choose another."] * 3
    slot.refresh_from_db()
    assert slot.booked_by_id in {application.pk for application in applications}
    assert AuditEvent.objects.filter(action="jobs.interview.booked").count() == 1
