"""Which responses the results count: all of them, or all but those flagged as "many answers
from one connection", as the association chose (`Consultation.count_many_from_one_connection`).
Every count, the time to answer, the written answers and the CSV read through here."""

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from consultations.models import Answer, Consultation, Response


def responses_counted(consultation: Consultation) -> QuerySet[Response]:
    responses = Response.objects.filter(consultation=consultation)
    if not consultation.count_many_from_one_connection:
        responses = responses.filter(many_from_one_connection=False)
    return responses


def answers_counted(consultation: Consultation, answers: QuerySet[Answer]) -> QuerySet[Answer]:
    """`answers` (already narrowed to this consultation's questions) less the flagged ones'."""
    if consultation.count_many_from_one_connection:
        # The usual case stays the index-only scan of `answer_counting`, with no join.
        return answers
    return answers.exclude(response__many_from_one_connection=True)


@dataclass(frozen=True)
class Flagged:
    """How many responses came past the consultation's limit from one connection, and whether
    the results count them."""

    count: int
    total: int
    counted: bool
    per_hour: int


def flagged_responses(*, consultation: Consultation) -> Flagged:
    numbers = Response.objects.filter(consultation=consultation).aggregate(
        total=Count("*"), flagged=Count("id", filter=Q(many_from_one_connection=True))
    )
    return Flagged(
        count=numbers["flagged"],
        total=numbers["total"],
        counted=consultation.count_many_from_one_connection,
        per_hour=consultation.anonymous_answers_per_hour,
    )
