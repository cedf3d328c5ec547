# ruff: noqa: F811  (the quiz fixtures are imported from tests/careers/quiz_world.py)
"""The quizzes' services: versions written and published by the association, results saved
and deleted by their owner, reflections shared with an employer and stopped, each audited."""

import copy

import pytest
from django.core.exceptions import PermissionDenied

from careers.models import QuizCompletion, QuizResult, QuizShare, QuizVersion
from careers.quizzes_content import ContentError, content_parse
from careers.selectors.quizzes import quiz_current, quiz_shares_for_employer, strengths
from careers.services.quizzes import (
    QuizError,
    quiz_completion_record,
    quiz_reflections_share,
    quiz_result_delete,
    quiz_result_save,
    quiz_share_stop,
    quiz_version_draft_start,
    quiz_version_draft_update,
    quiz_version_publish,
)
from core.models import AuditEvent
from demo.careers_quizzes import WHAT_WOULD_YOU_DO
from jobs.models import Application
from tests.careers.quiz_world import (  # noqa: F401
    PREVIEW_ANSWERS,
    SCENARIO_ANSWERS,
    candidate,
    candidate_application,
    preview,
    quizzes,
    scenarios,
)
from tests.factories import JobApplicationFactory, MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


def test_the_demo_quizzes_are_published_with_a_credit(preview, scenarios):
    for quiz in (preview, scenarios):
        version = quiz.versions.get()
        assert version.status == QuizVersion.Status.PUBLISHED
        assert version.written_with
        assert 8 <= len(version.content["questions"]) <= 10
    assert AuditEvent.objects.filter(action="careers.quiz_version.published").count() == 2


def test_every_scenario_is_on_one_of_the_seven_values_and_uses_several():
    content = content_parse(WHAT_WOULD_YOU_DO, scenarios=True)
    values = {question.value for question in content.questions}
    assert len(values) >= 6


def test_a_quiz_of_seven_questions_is_refused():
    short = copy.deepcopy(WHAT_WOULD_YOU_DO)
    short["questions"] = short["questions"][:7]
    with pytest.raises(ContentError, match="8 to 10 questions"):
        content_parse(short, scenarios=True)


def test_a_new_version_is_a_draft_copied_from_the_last_and_published_replaces_it(
    scenarios, association_admin
):
    draft = quiz_version_draft_start(quiz=scenarios, user=association_admin)
    assert draft.number == 2 and draft.status == QuizVersion.Status.DRAFT
    assert quiz_current(scenarios.slug).number == 1
    content = copy.deepcopy(draft.content)
    content["intro"] = "New words for the start."
    quiz_version_draft_update(
        version=draft,
        user=association_admin,
        title="What would you do?",
        content=content,
        written_with="carers in Leeds",
    )
    quiz_version_publish(version=draft, user=association_admin)
    current = quiz_current(scenarios.slug)
    assert (current.number, current.content.intro, current.written_with) == (
        2,
        "New words for the start.",
        "carers in Leeds",
    )
    actions = list(
        AuditEvent.objects.filter(
            target_id=str(draft.pk), action__startswith="careers.quiz_version"
        )
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == [
        "careers.quiz_version.draft_started",
        "careers.quiz_version.draft_changed",
        "careers.quiz_version.published",
    ]


def test_a_published_version_is_never_changed(scenarios, association_admin):
    version = scenarios.versions.get()
    with pytest.raises(QuizError, match="never changed"):
        quiz_version_draft_update(
            version=version,
            user=association_admin,
            title="Changed",
            content=version.content,
            written_with="someone",
        )
    with pytest.raises(QuizError, match="already published"):
        quiz_version_publish(version=version, user=association_admin)


def test_a_second_draft_is_refused(scenarios, association_admin):
    quiz_version_draft_start(quiz=scenarios, user=association_admin)
    with pytest.raises(QuizError, match="already has a draft"):
        quiz_version_draft_start(quiz=scenarios, user=association_admin)


def test_a_draft_needs_a_written_with_credit(scenarios, association_admin):
    draft = quiz_version_draft_start(quiz=scenarios, user=association_admin)
    with pytest.raises(QuizError, match="written with"):
        quiz_version_draft_update(
            version=draft,
            user=association_admin,
            title="T",
            content=draft.content,
            written_with=" ",
        )


def test_only_members_of_the_quizs_association_write_versions(scenarios, employer, worker):
    other_association = OrganisationFactory(kind="association", name="Another association")
    other = MembershipFactory(organisation=other_association).user
    for person in (employer, worker, other):
        with pytest.raises(PermissionDenied):
            quiz_version_draft_start(quiz=scenarios, user=person)


def test_a_completion_names_nobody(preview):
    completion = quiz_completion_record(version=preview.versions.get())
    names = {field.name for field in QuizCompletion._meta.get_fields()}
    assert names == {"id", "version", "completed_on", "viewed_jobs", "applied"}
    assert completion.viewed_jobs is False and completion.applied is False


def test_a_saved_result_records_its_version_and_is_audited(scenarios, candidate):
    version = scenarios.versions.get()
    result = quiz_result_save(version=version, user=candidate, answers=SCENARIO_ANSWERS)
    assert result.version == version and result.answers == SCENARIO_ANSWERS
    assert AuditEvent.objects.filter(
        action="careers.quiz_result.saved", target_id=str(result.pk)
    ).exists()


def test_a_result_with_an_unanswered_question_is_not_saved(scenarios, candidate):
    answers = dict(SCENARIO_ANSWERS)
    answers.pop("late")
    with pytest.raises(QuizError, match="Answer every question"):
        quiz_result_save(version=scenarios.versions.get(), user=candidate, answers=answers)


def test_the_profile_lists_strengths_without_a_score(scenarios):
    profile = strengths(quiz_current(scenarios.slug), SCENARIO_ANSWERS)
    assert [strength["name"] for strength in profile][0] == "Kind, compassionate and empathetic"
    assert all(strength["prompts"] for strength in profile)
    assert not any(key in strength for strength in profile for key in ("score", "total"))


def test_sharing_shows_the_employer_completed_and_the_chosen_reflections_only(
    scenarios, candidate, candidate_application
):
    result = quiz_result_save(
        version=scenarios.versions.get(), user=candidate, answers=SCENARIO_ANSWERS
    )
    share = quiz_reflections_share(
        result=result,
        user=candidate,
        application=candidate_application,
        question_keys=["risk", "whole"],
    )
    employer = MembershipFactory(organisation=candidate_application.vacancy.organisation).user
    shown = quiz_shares_for_employer(application=candidate_application, user=employer)
    assert [r.question.key for r in shown[0]["reflections"]] == ["risk", "whole"]
    assert AuditEvent.objects.filter(
        action="careers.quiz_share.shared", target_id=str(share.pk)
    ).exists()
    # Someone who is not the employer's is shown nothing.
    assert quiz_shares_for_employer(application=candidate_application, user=candidate) == []

    quiz_share_stop(share=share, user=candidate)
    assert quiz_shares_for_employer(application=candidate_application, user=employer) == []
    assert AuditEvent.objects.filter(action="careers.quiz_share.stopped").exists()


def test_sharing_with_someone_elses_application_is_refused(scenarios, candidate):
    result = quiz_result_save(
        version=scenarios.versions.get(), user=candidate, answers=SCENARIO_ANSWERS
    )
    with pytest.raises(PermissionDenied):
        quiz_reflections_share(
            result=result,
            user=candidate,
            application=JobApplicationFactory(),
            question_keys=["risk"],
        )


def test_sharing_with_an_ended_application_is_refused(scenarios, candidate):
    result = quiz_result_save(
        version=scenarios.versions.get(), user=candidate, answers=SCENARIO_ANSWERS
    )
    ended = JobApplicationFactory(applicant=candidate, stage=Application.Stage.WITHDRAWN)
    with pytest.raises(QuizError, match="has ended"):
        quiz_reflections_share(
            result=result, user=candidate, application=ended, question_keys=["risk"]
        )


def test_only_the_owner_deletes_a_result_and_its_shares_go_with_it(
    preview, candidate, candidate_application, worker
):
    result = quiz_result_save(
        version=preview.versions.get(), user=candidate, answers=PREVIEW_ANSWERS
    )
    quiz_reflections_share(
        result=result, user=candidate, application=candidate_application, question_keys=["shifts"]
    )
    with pytest.raises(PermissionDenied):
        quiz_result_delete(result=result, user=worker)
    quiz_result_delete(result=result, user=candidate)
    assert not QuizResult.objects.exists() and not QuizShare.objects.exists()
    assert AuditEvent.objects.filter(action="careers.quiz_result.deleted").exists()
