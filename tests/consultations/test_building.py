"""Writing a consultation: details, pages, questions, show-if, the lock, the estimate."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from consultations.models import Consultation, Question, Response
from consultations.services import building
from consultations.services.building import (
    SECONDS_PER_PAGE,
    SECONDS_PER_QUESTION,
    SECONDS_TO_CHECK_ANSWERS,
    ConsultationBuildError,
    QuestionsLocked,
)
from core.models import AuditEvent
from tests.factories import ConsultationFactory, question

pytestmark = pytest.mark.django_db
Kind = Question.Kind


def _create(admin, association, **overrides):
    details = {
        "title": "A consultation",
        "summary": "Short.",
        "privacy_notice": "We keep answers.",
    }
    details.update(overrides)
    return building.consultation_create(organisation=association, user=admin, **details)


def test_a_new_consultation_is_a_draft_with_the_about_you_question_and_an_audit_event(
    association_admin, association
):
    consultation = _create(association_admin, association)

    assert consultation.status == Consultation.Status.DRAFT
    about_you = consultation.questions.get()
    assert about_you.is_respondent_type
    assert [o.value for o in about_you.options.all()] == Response.RespondentType.values
    event = AuditEvent.objects.get(action="consultations.consultation.created")
    assert (event.actor_id, event.target_id) == (association_admin.pk, str(consultation.pk))
    assert consultation.salt and len(consultation.salt) == 64


def test_it_refuses_a_summary_over_100_words(association_admin, association):
    with pytest.raises(ConsultationBuildError, match="100 words or fewer. It has 101"):
        _create(association_admin, association, summary="word " * 101)

    assert not Consultation.objects.exists()


def test_it_refuses_a_closing_time_before_the_opening_time(association_admin, association):
    now = timezone.now()
    with pytest.raises(ConsultationBuildError, match="closing time must be after"):
        _create(association_admin, association, opens_at=now, closes_at=now)


def test_members_of_chosen_organisations_needs_an_organisation(association_admin, association):
    with pytest.raises(ConsultationBuildError, match="at least one organisation"):
        _create(association_admin, association, audience="organisation_members")


def test_anonymous_answers_are_only_for_the_audience_anyone(association_admin, association):
    consultation = _create(
        association_admin, association, audience="registered_workers", allow_anonymous=True
    )

    assert consultation.allow_anonymous is False


def test_only_the_associations_people_may_create_one(employer, association):
    with pytest.raises(PermissionDenied):
        _create(employer, association)


def test_a_choice_question_needs_two_different_options(draft, association_admin):
    page = draft.pages.last()
    with pytest.raises(ConsultationBuildError, match="at least two options"):
        building.question_add(
            page=page, user=association_admin, kind=Kind.SINGLE_CHOICE, text="Q", options=["A"]
        )
    with pytest.raises(ConsultationBuildError, match="must be different"):
        building.question_add(
            page=page,
            user=association_admin,
            kind=Kind.SINGLE_CHOICE,
            text="Q",
            options=["A", "a"],
        )


def test_a_likert_question_without_options_gets_the_five_point_scale(draft):
    likert = question(draft, "There should be a register.")

    assert [o.label for o in likert.options.all()][0::4] == ["Strongly agree", "Strongly disagree"]


def test_free_text_gets_a_default_character_limit_and_no_other_option(draft, association_admin):
    free = building.question_add(
        page=draft.pages.last(),
        user=association_admin,
        kind=Kind.SHORT_TEXT,
        text="Your job title",
        has_other=True,
    )

    assert (free.max_length, free.has_other) == (200, False)


def test_max_choices_must_fit_the_options(draft, association_admin):
    with pytest.raises(ConsultationBuildError, match="between 1 and the number of options"):
        building.question_add(
            page=draft.pages.last(),
            user=association_admin,
            kind=Kind.MULTIPLE_CHOICE,
            text="Pick",
            options=["A", "B"],
            max_choices=3,
        )


def test_show_if_must_point_at_an_earlier_page(draft, association_admin):
    join = question(draft, "Would you join?")

    with pytest.raises(ConsultationBuildError, match="earlier page"):
        building.question_add(
            page=join.page,
            user=association_admin,
            kind=Kind.SHORT_TEXT,
            text="Why?",
            show_if_options=[join.options.first()],
        )


def test_show_if_depends_on_one_question_only(draft, association_admin):
    join = question(draft, "Would you join?")
    likert = question(draft, "There should be a register.")

    with pytest.raises(ConsultationBuildError, match="one earlier question"):
        building.question_add(
            page=draft.pages.last(),
            user=association_admin,
            kind=Kind.SHORT_TEXT,
            text="Why?",
            show_if_options=[join.options.first(), likert.options.first()],
        )


def test_questions_lock_once_anybody_has_answered(draft, association_admin):
    Response.objects.create(consultation=draft, idempotency_key="k")

    with pytest.raises(QuestionsLocked, match="1 person has already answered"):
        building.page_add(consultation=draft, user=association_admin, title="Late page")
    with pytest.raises(QuestionsLocked, match="locked"):
        building.question_delete(question=question(draft, "Anything else?"), user=association_admin)
    assert draft.pages.count() == 3


def test_questions_lock_once_it_is_scheduled(draft, association_admin):
    Consultation.objects.filter(pk=draft.pk).update(status="scheduled")

    with pytest.raises(QuestionsLocked, match="only while the consultation is a draft"):
        building.question_add(
            page=draft.pages.last(),
            user=association_admin,
            kind=Kind.SHORT_TEXT,
            text="Late",
        )


def test_a_question_others_depend_on_cannot_be_removed_first(draft, association_admin):
    with pytest.raises(ConsultationBuildError, match="Remove that question first"):
        building.question_delete(
            question=question(draft, "Would you join?"), user=association_admin
        )


def test_the_about_you_question_cannot_be_removed(draft, association_admin):
    with pytest.raises(ConsultationBuildError, match="part of every consultation"):
        building.question_delete(question=question(draft, "about you"), user=association_admin)


def test_removing_a_question_writes_an_audit_event(draft, association_admin):
    comment = question(draft, "Anything else?")
    comment_id = comment.pk

    building.question_delete(question=comment, user=association_admin)

    assert not Question.objects.filter(pk=comment_id).exists()
    event = AuditEvent.objects.get(action="consultations.question.deleted")
    assert event.data == {"question_id": comment_id}


def test_a_whole_page_can_go_with_its_conditional_question(draft, association_admin):
    building.page_delete(page=draft.pages.last(), user=association_admin)

    assert draft.pages.count() == 2
    assert AuditEvent.objects.filter(action="consultations.page.deleted").count() == 1


def test_a_draft_can_change_its_details_but_a_scheduled_one_cannot(draft, association_admin):
    details = {
        "title": "New title",
        "summary": "New summary.",
        "body": "",
        "privacy_notice": "Same.",
        "opens_at": draft.opens_at,
        "closes_at": draft.closes_at,
        "audience": "anyone",
        "allow_anonymous": False,
        "allow_edit_until_close": True,
    }
    building.consultation_update(consultation=draft, user=association_admin, **details)
    draft.refresh_from_db()
    assert (draft.title, draft.allow_anonymous, draft.allow_edit_until_close) == (
        "New title",
        False,
        True,
    )

    Consultation.objects.filter(pk=draft.pk).update(status="scheduled")
    with pytest.raises(ConsultationBuildError, match="Only a draft can be changed"):
        building.consultation_update(consultation=draft, user=association_admin, **details)


def test_the_estimate_adds_up_the_seconds_for_each_type_of_question(draft):
    # about you + Likert + single + multiple + long text, on 3 pages, then check answers.
    expected = (
        SECONDS_PER_QUESTION[Kind.SINGLE_CHOICE] * 2
        + SECONDS_PER_QUESTION[Kind.LIKERT]
        + SECONDS_PER_QUESTION[Kind.MULTIPLE_CHOICE]
        + SECONDS_PER_QUESTION[Kind.LONG_TEXT]
        + 3 * SECONDS_PER_PAGE
        + SECONDS_TO_CHECK_ANSWERS
    )

    estimate = building.completion_estimate(consultation=draft)

    assert estimate.seconds == expected == 185
    assert str(estimate) == "about 4 minutes"


def test_a_tiny_consultation_takes_about_1_minute(association_admin, association):
    consultation = _create(association_admin, association)

    assert str(building.completion_estimate(consultation=consultation)) == "about 1 minute"


def test_the_seeded_style_consultation_slug_is_unique(association_admin, association):
    first = ConsultationFactory(created_by=association_admin, organisation=association)
    second = ConsultationFactory(created_by=association_admin, organisation=association)

    assert first.slug == "proposed-voluntary-register"
    assert second.slug == "proposed-voluntary-register-2"
    assert first.opens_at < timezone.now() + timedelta(days=1)
