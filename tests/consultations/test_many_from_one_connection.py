"""Answers past a consultation's limit from one connection are kept and flagged; the
association sets the limit and chooses whether the results count them (issue 18: 11)."""

import csv
import io
import re

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from consultations.analysis import consultation_results, time_to_answer
from consultations.csv_export import csv_lines
from consultations.models import Consultation, Response
from consultations.services import connections
from core.models import AuditEvent
from tests.factories import (
    ConsultationFactory,
    ResponseFactory,
    answers,
    close_by_the_clock,
    start_analysis,
)

pytestmark = pytest.mark.django_db
PERSONAS = ["anonymous", "worker", "other_association_admin", "association_admin", "registrar"]


@pytest.fixture
def closed(association_admin, association):
    """Six ordinary responses that agree, and five flagged ones that disagree."""
    consultation = ConsultationFactory(
        created_by=association_admin, organisation=association, status="open"
    )
    for _ in range(6):
        ResponseFactory(consultation=consultation, support="Agree", duration=60)
    for _ in range(5):
        ResponseFactory(
            consultation=consultation,
            support="Disagree",
            duration=600,
            comment="Flagged words",
            many_from_one_connection=True,
        )
    return close_by_the_clock(consultation)


def _overall(results, label):
    question = next(q for q in results.questions if q.text == "There should be a register.")
    return next(row for row in question.rows if row.label == label).overall.count


def test_the_results_count_flagged_answers_until_the_association_leaves_them_out(
    closed, association_admin
):
    counted = consultation_results(consultation=closed, published=False)
    assert (counted.response_total.count, _overall(counted, "Disagree")) == (11, 5)

    connections.consultation_flagged_counting_set(
        consultation=closed, user=association_admin, count=False
    )
    closed.refresh_from_db()

    left_out = consultation_results(consultation=closed, published=False)
    assert (left_out.response_total.count, _overall(left_out, "Disagree")) == (6, 0)
    assert time_to_answer(consultation=closed).median_seconds == 60
    event = AuditEvent.objects.get(action="consultations.consultation.flagged_counting_changed")
    assert event.data == {"count_many_from_one_connection": False}


def test_the_csv_marks_flagged_responses_and_follows_the_choice(closed, association_admin):
    def rows():
        text = "".join(csv_lines(consultation=closed))
        return list(csv.DictReader(io.StringIO(text[1:])))

    assert sorted(row["many_from_one_connection"] for row in rows()) == ["no"] * 6 + ["yes"] * 5

    connections.consultation_flagged_counting_set(
        consultation=closed, user=association_admin, count=False
    )
    closed.refresh_from_db()

    assert [row["many_from_one_connection"] for row in rows()] == ["no"] * 6


def test_the_choice_is_fixed_once_the_outcome_is_published(closed, association_admin):
    from consultations.services import outcome

    consultation = start_analysis(closed, association_admin)
    outcome.consultation_publish_outcome(
        consultation=consultation, user=association_admin, outcome_summary="Done."
    )

    with pytest.raises(connections.ConnectionSettingError, match="published"):
        connections.consultation_flagged_counting_set(
            consultation=consultation, user=association_admin, count=False
        )
    consultation.refresh_from_db()
    assert consultation.count_many_from_one_connection


def test_only_the_owning_association_chooses(closed, other_association_admin):
    with pytest.raises(PermissionDenied):
        connections.consultation_flagged_counting_set(
            consultation=closed, user=other_association_admin, count=False
        )


def test_the_results_page_says_how_many_were_flagged_and_offers_the_choice(
    client, closed, association_admin
):
    client.force_login(association_admin)

    html = client.get(reverse("consultations:analysis", args=[closed.pk])).content.decode()

    assert "5 of the 11 responses were flagged “many answers from one connection”" in html
    assert "The numbers below count them." in html
    assert reverse("consultations:flagged-counting", args=[closed.pk]) in html

    response = client.post(
        reverse("consultations:flagged-counting", args=[closed.pk]), {"count": "no"}, follow=True
    )

    html = response.content.decode()
    assert "The results now leave out the flagged answers." in html
    assert "The numbers below leave them out." in html


def test_a_missing_choice_says_what_to_do_and_changes_nothing(client, closed, association_admin):
    client.force_login(association_admin)

    response = client.post(
        reverse("consultations:flagged-counting", args=[closed.pk]), {}, follow=True
    )

    assert "Choose whether to count them" in response.content.decode()
    closed.refresh_from_db()
    assert closed.count_many_from_one_connection


# --- The limit ------------------------------------------------------------------------------


def test_the_association_sets_the_limit_until_the_close_and_it_is_audited(
    consultation, association_admin
):
    connections.consultation_connection_limit_set(
        consultation=consultation, user=association_admin, per_hour=60
    )

    consultation.refresh_from_db()
    assert consultation.anonymous_answers_per_hour == 60
    event = AuditEvent.objects.get(action="consultations.consultation.connection_limit_changed")
    assert event.data == {"old": 20, "new": 60}


@pytest.mark.parametrize("per_hour", [0, -1, 100001])
def test_a_limit_out_of_range_is_refused(consultation, association_admin, per_hour):
    with pytest.raises(connections.ConnectionSettingError, match="whole number from 1"):
        connections.consultation_connection_limit_set(
            consultation=consultation, user=association_admin, per_hour=per_hour
        )
    consultation.refresh_from_db()
    assert consultation.anonymous_answers_per_hour == 20


def test_the_limit_cannot_change_after_the_close(closed, association_admin):
    with pytest.raises(connections.ConnectionSettingError, match="has closed"):
        connections.consultation_connection_limit_set(
            consultation=closed, user=association_admin, per_hour=5
        )


def test_the_limit_form_refuses_words_with_a_clear_message(client, consultation, association_admin):
    client.force_login(association_admin)

    response = client.post(
        reverse("consultations:connection-limit", args=[consultation.pk]),
        {"per_hour": "lots"},
        follow=True,
    )

    assert "Enter a whole number from 1 to 100,000" in response.content.decode()
    consultation.refresh_from_db()
    assert consultation.anonymous_answers_per_hour == 20


POST_ACCESS = {
    "consultations:connection-limit": [302, 404, 404, 302, 404],
    "consultations:flagged-counting": [302, 404, 404, 302, 404],
}


@pytest.mark.parametrize(
    ("name", "persona", "expected"),
    [
        (name, persona, statuses[index])
        for name, statuses in POST_ACCESS.items()
        for index, persona in enumerate(PERSONAS)
    ],
)
def test_access_table(client, request, consultation, closed, name, persona, expected):
    if persona != "anonymous":
        client.force_login(request.getfixturevalue(persona))
    target = consultation if name == "consultations:connection-limit" else closed

    response = client.post(reverse(name, args=[target.pk]), {"per_hour": "7", "count": "no"})

    assert response.status_code == expected
    consultation.refresh_from_db()
    closed.refresh_from_db()
    owner = persona == "association_admin"
    if name == "consultations:connection-limit":
        assert (consultation.anonymous_answers_per_hour == 7) is owner
    else:
        assert (not closed.count_many_from_one_connection) is owner


# --- Through the answering pages ----------------------------------------------------------


def _send_through_the_pages(client, consultation, **post):
    session = client.session
    session[f"consultation-{consultation.pk}"] = {
        "answers": answers(consultation),
        "started_at": "2026-12-01T10:00:00+00:00",
        "draft_token": "",
    }
    session.save()
    check = client.get(reverse("consultations:check", args=[consultation.slug])).content.decode()
    key = re.search(r'name="idempotency_key" value="([^"]+)"', check).group(1)
    return client.post(
        reverse("consultations:check", args=[consultation.slug]),
        {"idempotency_key": key, **post},
    )


def test_people_on_one_connection_past_the_limit_are_thanked_and_their_answer_flagged(
    client, consultation, association_admin
):
    connections.consultation_connection_limit_set(
        consultation=consultation, user=association_admin, per_hour=1
    )
    consultation.refresh_from_db()

    first = _send_through_the_pages(client, consultation)
    second = _send_through_the_pages(client, consultation)

    assert first.url == second.url == reverse("consultations:done", args=[consultation.slug])
    flags = Response.objects.order_by("id").values_list("many_from_one_connection", flat=True)
    assert list(flags) == [False, True]


def test_the_honeypot_still_refuses_a_script_through_the_pages(client, consultation):
    response = _send_through_the_pages(client, consultation, website="http://spam.example")

    assert response.status_code == 400
    assert "We could not accept this response." in response.content.decode()
    assert not Response.objects.exists()


def test_a_consultation_starts_with_the_limit_of_twenty(association_admin, association):
    consultation = ConsultationFactory(created_by=association_admin, organisation=association)

    assert consultation.anonymous_answers_per_hour == 20
    assert consultation.count_many_from_one_connection
    assert Consultation._meta.get_field("anonymous_answers_per_hour").default == 20


def test_left_out_the_flagged_written_answers_and_their_themes_go_too(closed, association_admin):
    from consultations.analysis import free_text_answers, theme_counts
    from consultations.services import outcome

    analysing = start_analysis(closed, association_admin)
    theme = outcome.theme_create(consultation=analysing, user=association_admin, name="Words")
    for answer in free_text_answers(consultation=analysing):
        outcome.answer_tag(answer=answer, theme=theme, user=association_admin)
    assert free_text_answers(consultation=analysing).count() == 5
    assert theme_counts(consultation=analysing, published=False)[0][1].count == 5

    connections.consultation_flagged_counting_set(
        consultation=analysing, user=association_admin, count=False
    )
    analysing.refresh_from_db()

    assert free_text_answers(consultation=analysing).count() == 0
    assert theme_counts(consultation=analysing, published=False)[0][1].count == 0
