"""Themes on free-text answers, and publishing the outcome: each service's happy path, every
refusal with its message, the audit events, and the subscribers' one email each."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied

from consultations.models import AnswerTheme, Consultation, OutcomeSubscription, Theme
from consultations.services import outcome, responding
from core.models import AuditEvent
from tests.factories import (
    ConsultationFactory,
    ResponseFactory,
    close_by_the_clock,
    comment_answers,
    start_analysis,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def analysing(association_admin, association):
    consultation = ConsultationFactory(
        created_by=association_admin, organisation=association, status="open"
    )
    ResponseFactory(consultation=consultation, comment="Training costs too much")
    ResponseFactory(consultation=consultation, comment="The training is good")
    ResponseFactory(consultation=consultation, join="No", stop=["Cost"], other="Too much paperwork")
    return start_analysis(close_by_the_clock(consultation), association_admin)


def events(action):
    return AuditEvent.objects.filter(action=action)


# --- Themes --------------------------------------------------------------------------------


def test_an_admin_creates_a_theme_and_it_is_audited(analysing, association_admin):
    theme = outcome.theme_create(consultation=analysing, user=association_admin, name=" Cost  ")

    assert theme.name == "Cost"
    event = events("consultations.theme.created").get()
    assert event.actor_id == association_admin.pk
    assert event.data == {"consultation": analysing.pk, "name": "Cost"}


def test_a_theme_needs_a_name(analysing, association_admin):
    with pytest.raises(outcome.ThemeError, match="Enter a name for the theme."):
        outcome.theme_create(consultation=analysing, user=association_admin, name="   ")
    assert not Theme.objects.exists()


def test_two_themes_cannot_share_a_name_whatever_the_case(analysing, association_admin):
    outcome.theme_create(consultation=analysing, user=association_admin, name="Cost")

    with pytest.raises(outcome.ThemeError, match="There is already a theme called “cost”."):
        outcome.theme_create(consultation=analysing, user=association_admin, name="cost")
    assert Theme.objects.count() == 1


def test_a_theme_name_has_a_length_limit(analysing, association_admin):
    with pytest.raises(outcome.ThemeError, match="100 characters or fewer"):
        outcome.theme_create(consultation=analysing, user=association_admin, name="x" * 101)


def test_themes_wait_for_the_analysis_to_start(association_admin, association):
    closed = close_by_the_clock(
        ConsultationFactory(created_by=association_admin, organisation=association, status="open")
    )

    with pytest.raises(
        outcome.ThemeError, match="Start the analysis before tagging answers with themes."
    ):
        outcome.theme_create(consultation=closed, user=association_admin, name="Cost")


def test_another_association_cannot_add_themes(analysing, other_association_admin):
    with pytest.raises(PermissionDenied):
        outcome.theme_create(consultation=analysing, user=other_association_admin, name="Cost")
    assert not Theme.objects.exists()


def test_a_theme_is_renamed_and_audited(analysing, association_admin):
    theme = outcome.theme_create(consultation=analysing, user=association_admin, name="Cost")

    outcome.theme_rename(theme=theme, user=association_admin, name="Cost of joining")

    theme.refresh_from_db()
    assert theme.name == "Cost of joining"
    assert events("consultations.theme.renamed").get().data == {
        "consultation": analysing.pk,
        "old_name": "Cost",
        "name": "Cost of joining",
    }


def test_renaming_to_another_themes_name_is_refused(analysing, association_admin):
    outcome.theme_create(consultation=analysing, user=association_admin, name="Cost")
    theme = outcome.theme_create(consultation=analysing, user=association_admin, name="Time")

    with pytest.raises(outcome.ThemeError, match="already a theme called “Cost”"):
        outcome.theme_rename(theme=theme, user=association_admin, name="Cost")
    theme.refresh_from_db()
    assert theme.name == "Time"


def test_deleting_a_theme_takes_its_tags_but_keeps_the_answers(analysing, association_admin):
    theme = outcome.theme_create(consultation=analysing, user=association_admin, name="Cost")
    answer = comment_answers(analysing)[0]
    outcome.answer_tag(answer=answer, theme=theme, user=association_admin)

    outcome.theme_delete(theme=theme, user=association_admin)

    assert not Theme.objects.exists()
    assert not AnswerTheme.objects.exists()
    answer.refresh_from_db()
    assert answer.text == "Training costs too much"
    assert events("consultations.theme.deleted").get().data == {
        "consultation": analysing.pk,
        "name": "Cost",
        "answers_tagged": 1,
    }


# --- Tagging -------------------------------------------------------------------------------


def test_an_answer_is_tagged_once_and_audited(analysing, association_admin):
    theme = outcome.theme_create(consultation=analysing, user=association_admin, name="Cost")
    answer = comment_answers(analysing)[0]

    assert outcome.answer_tag(answer=answer, theme=theme, user=association_admin) is True
    assert outcome.answer_tag(answer=answer, theme=theme, user=association_admin) is False

    assert list(answer.themes.all()) == [theme]
    event = events("consultations.answer.tagged").get()
    assert event.data == {"consultation": analysing.pk, "theme": theme.pk, "theme_name": "Cost"}


def test_an_other_please_specify_answer_can_be_tagged(analysing, association_admin):
    theme = outcome.theme_create(consultation=analysing, user=association_admin, name="Forms")
    other = analysing.questions.get(text="What would stop you?").answers.get(option=None)

    assert outcome.answer_tag(answer=other, theme=theme, user=association_admin)


def test_a_chosen_option_cannot_be_tagged(analysing, association_admin):
    theme = outcome.theme_create(consultation=analysing, user=association_admin, name="Cost")
    chosen = analysing.questions.get(text="Would you join?").answers.first()

    with pytest.raises(outcome.ThemeError, match="Only free-text answers can be tagged"):
        outcome.answer_tag(answer=chosen, theme=theme, user=association_admin)


def test_a_theme_from_another_consultation_is_refused(analysing, association_admin, association):
    elsewhere = start_analysis(
        close_by_the_clock(
            ConsultationFactory(
                created_by=association_admin,
                organisation=association,
                title="Another one",
                status="open",
            )
        ),
        association_admin,
    )
    theme = outcome.theme_create(consultation=elsewhere, user=association_admin, name="Cost")

    with pytest.raises(outcome.ThemeError, match="belongs to another consultation"):
        outcome.answer_tag(
            answer=comment_answers(analysing)[0], theme=theme, user=association_admin
        )


def test_untagging_takes_the_theme_off_and_is_audited(analysing, association_admin):
    theme = outcome.theme_create(consultation=analysing, user=association_admin, name="Cost")
    answer = comment_answers(analysing)[0]
    outcome.answer_tag(answer=answer, theme=theme, user=association_admin)

    assert outcome.answer_untag(answer=answer, theme=theme, user=association_admin) is True
    assert outcome.answer_untag(answer=answer, theme=theme, user=association_admin) is False

    assert not answer.themes.exists()
    assert events("consultations.answer.untagged").count() == 1


def _tag_matching(consultation, theme, user, **filters):
    return outcome.answers_tag_matching(
        consultation=consultation, theme=theme, user=user, **filters
    )


def test_every_answer_a_search_finds_is_tagged_at_once_with_one_audit_event(
    analysing, association_admin
):
    theme = outcome.theme_create(consultation=analysing, user=association_admin, name="Cost")

    tagged = _tag_matching(analysing, theme, association_admin, search="TRAINING")

    assert tagged == outcome.TaggedMatching(matched=2, tagged=2)
    assert sorted(a.text for a in theme.answers.all()) == [
        "The training is good",
        "Training costs too much",
    ]
    event = events("consultations.answers.tagged").get()
    assert event.actor_id == association_admin.pk
    assert event.data == {
        "consultation": analysing.pk,
        "theme": theme.pk,
        "theme_name": "Cost",
        "search": "TRAINING",
        "question": None,
        "with_theme": None,
        "matched": 2,
        "tagged": 2,
    }


def test_tagging_all_matching_again_leaves_the_tagged_ones_and_writes_no_event(
    analysing, association_admin
):
    theme = outcome.theme_create(consultation=analysing, user=association_admin, name="Cost")
    first = comment_answers(analysing)[0]
    outcome.answer_tag(answer=first, theme=theme, user=association_admin)
    tagged_at = AnswerTheme.objects.get(answer=first, theme=theme).tagged_at

    once = _tag_matching(analysing, theme, association_admin, search="training")
    again = _tag_matching(analysing, theme, association_admin, search="training")

    assert once == outcome.TaggedMatching(matched=2, tagged=1)
    assert again == outcome.TaggedMatching(matched=2, tagged=0)
    assert AnswerTheme.objects.filter(theme=theme).count() == 2
    assert AnswerTheme.objects.get(answer=first, theme=theme).tagged_at == tagged_at
    assert events("consultations.answers.tagged").get().data["tagged"] == 1


def test_tagging_all_matching_follows_the_question_and_theme_filters(analysing, association_admin):
    cost = outcome.theme_create(consultation=analysing, user=association_admin, name="Cost")
    forms = outcome.theme_create(consultation=analysing, user=association_admin, name="Forms")
    stop = analysing.questions.get(text="What would stop you?")
    other = stop.answers.get(option=None)
    outcome.answer_tag(answer=comment_answers(analysing)[1], theme=cost, user=association_admin)

    by_question = _tag_matching(analysing, forms, association_admin, question_id=stop.pk)
    by_theme = _tag_matching(analysing, forms, association_admin, theme_id=cost.pk)

    assert by_question == outcome.TaggedMatching(matched=1, tagged=1)
    assert by_theme == outcome.TaggedMatching(matched=1, tagged=1)
    assert set(forms.answers.all()) == {other, comment_answers(analysing)[1]}


def test_tagging_all_needs_a_search_first(analysing, association_admin):
    theme = outcome.theme_create(consultation=analysing, user=association_admin, name="Cost")

    with pytest.raises(outcome.ThemeError, match="Search the answers, or choose a question"):
        _tag_matching(analysing, theme, association_admin, search="   ")

    assert not AnswerTheme.objects.exists()
    assert not events("consultations.answers.tagged").exists()


def test_tagging_all_with_another_consultations_theme_is_refused(
    analysing, association_admin, association
):
    elsewhere = start_analysis(
        close_by_the_clock(
            ConsultationFactory(
                created_by=association_admin,
                organisation=association,
                title="Another one",
                status="open",
            )
        ),
        association_admin,
    )
    theme = outcome.theme_create(consultation=elsewhere, user=association_admin, name="Cost")

    with pytest.raises(outcome.ThemeError, match="belongs to another consultation"):
        _tag_matching(analysing, theme, association_admin, search="training")

    assert not AnswerTheme.objects.exists()


def test_tagging_all_is_refused_once_published_and_for_other_associations(
    analysing, association_admin, other_association_admin
):
    theme = outcome.theme_create(consultation=analysing, user=association_admin, name="Cost")

    with pytest.raises(PermissionDenied):
        _tag_matching(analysing, theme, other_association_admin, search="training")
    outcome.consultation_publish_outcome(
        consultation=analysing, user=association_admin, outcome_summary="Done."
    )
    with pytest.raises(outcome.ThemeError, match="The outcome has been published"):
        _tag_matching(analysing, theme, association_admin, search="training")

    assert not AnswerTheme.objects.exists()


def test_themes_are_fixed_once_the_outcome_is_published(analysing, association_admin):
    theme = outcome.theme_create(consultation=analysing, user=association_admin, name="Cost")
    outcome.consultation_publish_outcome(
        consultation=analysing, user=association_admin, outcome_summary="We heard you."
    )

    with pytest.raises(outcome.ThemeError, match="The outcome has been published"):
        outcome.answer_tag(
            answer=comment_answers(analysing)[0], theme=theme, user=association_admin
        )
    with pytest.raises(outcome.ThemeError, match="The outcome has been published"):
        outcome.theme_rename(theme=theme, user=association_admin, name="Money")


# --- Publishing ----------------------------------------------------------------------------


def test_publishing_moves_analysing_to_published_and_is_audited(analysing, association_admin):
    published = outcome.consultation_publish_outcome(
        consultation=analysing,
        user=association_admin,
        outcome_summary="  You said training costs too much. We will make it free.  ",
    )

    analysing.refresh_from_db()
    assert analysing.status == Consultation.Status.PUBLISHED == published.status
    assert analysing.outcome_summary == "You said training costs too much. We will make it free."
    assert analysing.outcome_published_at is not None
    event = events("consultations.consultation.published").get()
    assert (event.old_status, event.new_status) == ("analysing", "published")
    assert event.actor_id == association_admin.pk


def test_publishing_twice_is_refused(analysing, association_admin):
    outcome.consultation_publish_outcome(
        consultation=analysing, user=association_admin, outcome_summary="We heard you."
    )

    with pytest.raises(outcome.OutcomeError, match="The outcome has already been published."):
        outcome.consultation_publish_outcome(
            consultation=analysing, user=association_admin, outcome_summary="Again."
        )
    assert events("consultations.consultation.published").count() == 1


def test_publishing_a_closed_consultation_asks_for_the_analysis_first(
    association_admin, association
):
    closed = close_by_the_clock(
        ConsultationFactory(created_by=association_admin, organisation=association, status="open")
    )

    with pytest.raises(
        outcome.OutcomeError, match="Start the analysis before publishing the outcome."
    ):
        outcome.consultation_publish_outcome(
            consultation=closed, user=association_admin, outcome_summary="We heard you."
        )
    closed.refresh_from_db()
    assert closed.status == Consultation.Status.CLOSED


def test_publishing_an_open_consultation_is_refused(association_admin, association):
    open_one = ConsultationFactory(
        created_by=association_admin, organisation=association, status="open"
    )

    with pytest.raises(outcome.OutcomeError, match="only after the consultation has closed"):
        outcome.consultation_publish_outcome(
            consultation=open_one, user=association_admin, outcome_summary="We heard you."
        )


def test_publishing_needs_the_outcome_text(analysing, association_admin):
    with pytest.raises(outcome.OutcomeError, match="Write what you heard") as refused:
        outcome.consultation_publish_outcome(
            consultation=analysing, user=association_admin, outcome_summary="  "
        )
    assert refused.value.field == "outcome_summary"
    analysing.refresh_from_db()
    assert analysing.status == Consultation.Status.ANALYSING


def test_only_the_owning_association_publishes(analysing, other_association_admin, worker):
    for person in (other_association_admin, worker):
        with pytest.raises(PermissionDenied):
            outcome.consultation_publish_outcome(
                consultation=analysing, user=person, outcome_summary="We heard you."
            )
    analysing.refresh_from_db()
    assert analysing.status == Consultation.Status.ANALYSING


def test_each_subscriber_is_emailed_once_when_the_outcome_goes_up(
    association_admin, association, django_capture_on_commit_callbacks
):
    consultation = ConsultationFactory(
        created_by=association_admin, organisation=association, status="open"
    )
    for email in ("ana@example.org", "ben@example.org", "ANA@example.org"):
        responding.outcome_subscribe(consultation=consultation, email=email)
    consultation = start_analysis(close_by_the_clock(consultation), association_admin)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        outcome.consultation_publish_outcome(
            consultation=consultation, user=association_admin, outcome_summary="We heard you."
        )

    assert sorted(message.to[0] for message in mail.outbox) == [
        "ana@example.org",
        "ben@example.org",
    ]
    message = mail.outbox[0]
    assert "The outcome is published: Proposed voluntary register" in message.subject
    assert f"/consultations/{consultation.slug}/outcome/" in message.body
    assert OutcomeSubscription.objects.filter(notified_at__isnull=True).count() == 0

    with django_capture_on_commit_callbacks(execute=True):
        assert outcome.outcome_subscribers_notify(consultation=consultation) == 0
    assert len(mail.outbox) == 2


def test_nobody_is_emailed_if_publishing_fails(
    analysing, association_admin, django_capture_on_commit_callbacks
):
    responding.outcome_subscribe(consultation=analysing, email="ana@example.org")
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(outcome.OutcomeError):
        outcome.consultation_publish_outcome(
            consultation=analysing, user=association_admin, outcome_summary=""
        )

    assert mail.outbox == []


def test_subscribers_are_not_told_before_the_outcome_is_published(
    analysing, django_capture_on_commit_callbacks
):
    responding.outcome_subscribe(consultation=analysing, email="ana@example.org")

    with django_capture_on_commit_callbacks(execute=True):
        assert outcome.outcome_subscribers_notify(consultation=analysing) == 0
    assert OutcomeSubscription.objects.get().notified_at is None


def test_the_command_tells_people_who_asked_after_publication_once(
    analysing, association_admin, django_capture_on_commit_callbacks
):
    from io import StringIO

    from django.core.management import call_command

    outcome.consultation_publish_outcome(
        consultation=analysing, user=association_admin, outcome_summary="We heard you."
    )
    responding.outcome_subscribe(consultation=analysing, email="late@example.org")
    mail.outbox.clear()

    dry = StringIO()
    call_command("notify_outcome_subscribers", "--dry-run", stdout=dry)
    assert "1 subscriber(s) would be emailed." in dry.getvalue()
    assert mail.outbox == []

    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            call_command("notify_outcome_subscribers", stdout=StringIO())

    assert [message.to for message in mail.outbox] == [["late@example.org"]]


def test_only_the_owning_associations_people_may_analyse_and_publish(
    analysing, association_admin, other_association_admin, worker, employer
):
    from accounts.permissions import can

    for action in ("consultation.analyse", "consultation.publish"):
        assert can(association_admin, action, analysing)
        for person in (other_association_admin, worker, employer):
            assert not can(person, action, analysing)
