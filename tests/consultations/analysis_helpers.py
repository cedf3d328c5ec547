"""Responses with hand-countable answers, and consultations moved to closed and analysing
through the real lifecycle services.

Responses are written straight to the tables, like a factory: the answering service rightly
refuses a closed consultation, and these tests are about counting, not about answering (the
answering service has its own tests, and `test_counts_include_a_response_sent_through_the_service`
checks the two agree)."""

import uuid
from datetime import timedelta

from django.utils import timezone

from consultations.models import Answer, Consultation, Question, Response
from consultations.services import lifecycle
from tests.consultations.conftest import build_consultation, open_now

SUPPORT = "There should be a register."
JOIN = "Would you join?"
STOP = "What would stop you?"
COMMENT = "Anything else?"


def _option(consultation, text, label):
    if text == "about you":
        question = consultation.questions.get(is_respondent_type=True)
        return question, question.options.get(value=label)
    question = consultation.questions.get(text=text)
    return question, question.options.get(label=label)


def respond(
    consultation: Consultation,
    *,
    who: str = Response.RespondentType.CARE_WORKER,
    verified: bool = False,
    support: str = "Agree",
    join: str = "Yes",
    stop: list[str] | None = None,
    other: str = "",
    comment: str = "",
    duration: int | None = 120,
) -> Response:
    """One response, as the answering service would store it."""
    now = timezone.now()
    response = Response.objects.create(
        consultation=consultation,
        respondent_type=who,
        verified=verified,
        register_status="registered" if verified else "",
        idempotency_key=uuid.uuid4().hex,
        started_at=None if duration is None else now - timedelta(seconds=duration),
        submitted_at=now,
        duration_seconds=duration,
        updated_at=now,
    )
    rows = []
    for text, label in (("about you", who), (SUPPORT, support), (JOIN, join)):
        question, option = _option(consultation, text, label)
        rows.append(Answer(response=response, question=question, option=option))
    stop_question = consultation.questions.get(text=STOP)
    for label in stop or []:
        rows.append(
            Answer(
                response=response,
                question=stop_question,
                option=stop_question.options.get(label=label),
            )
        )
    if other:
        rows.append(Answer(response=response, question=stop_question, text=other))
    if comment:
        rows.append(
            Answer(
                response=response, question=consultation.questions.get(text=COMMENT), text=comment
            )
        )
    Answer.objects.bulk_create(rows)
    return response


def close(consultation: Consultation) -> Consultation:
    """Move the closing time into the past and let the clock close it."""
    Consultation.objects.filter(pk=consultation.pk).update(
        closes_at=timezone.now() - timedelta(minutes=1)
    )
    lifecycle.consultation_follow_clock(consultation=consultation)
    consultation.refresh_from_db()
    assert consultation.status == Consultation.Status.CLOSED
    return consultation


def start_analysis(consultation: Consultation, admin) -> Consultation:
    lifecycle.consultation_start_analysis(consultation=consultation, user=admin)
    consultation.refresh_from_db()
    return consultation


def open_consultation(admin, association, **details) -> Consultation:
    return open_now(build_consultation(admin, association, **details), admin)


def comment_answers(consultation: Consultation) -> list[Answer]:
    return list(
        Answer.objects.filter(
            question__consultation=consultation, question__kind=Question.Kind.LONG_TEXT
        )
        .exclude(text="")
        .order_by("id")
    )
