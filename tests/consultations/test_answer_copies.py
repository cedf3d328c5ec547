"""Each answer carries copies of its response's respondent type and verified flag, and one
row per response and question is marked first, so the results count without a join. These
tests hold the copies to their response on every path that writes answers."""

import pytest
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Q

from consultations.models import Answer, Consultation, Response
from consultations.services import responding
from demo import consultations as demo
from tests.factories import answers, question

pytestmark = pytest.mark.django_db


def out_of_step(consultation) -> list[int]:
    """Ids of answers whose copies differ from their response."""
    return list(
        Answer.objects.filter(response__consultation=consultation)
        .filter(
            ~Q(respondent_type=F("response__respondent_type"))
            | ~Q(verified=F("response__verified"))
        )
        .values_list("id", flat=True)
    )


def firsts_per_question(consultation) -> set[int]:
    """How many rows are marked first, for each (response, question) that has answers."""
    return set(
        Answer.objects.filter(response__consultation=consultation)
        .values("response_id", "question_id")
        .annotate(firsts=Count("id", filter=Q(first_for_question=True)))
        .values_list("firsts", flat=True)
    )


def _submit(consultation, given, *, user=None, key="key-1"):
    return responding.response_submit(
        consultation=consultation, answers=given, user=user, idempotency_key=key
    ).response


def test_answers_sent_through_the_service_copy_their_response_s_type_and_verified_flag(
    consultation, registered_worker
):
    response = _submit(
        consultation,
        answers(consultation, join="No", stop=["Cost"], other="Pay", comment="Fine"),
        user=registered_worker,
    )

    assert (response.respondent_type, response.verified) == ("care_worker", True)
    assert set(response.answers.values_list("respondent_type", "verified")) == {
        ("care_worker", True)
    }
    assert out_of_step(consultation) == []


def test_exactly_one_row_per_response_and_question_is_marked_first(consultation):
    response = _submit(consultation, answers(consultation, join="No", stop=["Cost"], other="Pay"))

    stop = question(consultation, "What would stop you?")
    assert response.answers.filter(question=stop).count() == 2
    assert response.answers.filter(question=stop, first_for_question=True).count() == 1
    assert firsts_per_question(consultation) == {1}


def test_an_edit_that_changes_the_respondent_type_changes_every_copy(
    consultation, registered_worker
):
    Consultation.objects.filter(pk=consultation.pk).update(allow_edit_until_close=True)
    consultation.refresh_from_db()
    _submit(consultation, answers(consultation), user=registered_worker, key="first")

    edited = _submit(
        consultation,
        answers(consultation, who="An employer or manager of a care service"),
        user=registered_worker,
        key="second",
    )

    assert set(edited.answers.values_list("respondent_type", flat=True)) == {"employer"}
    assert out_of_step(consultation) == []
    assert firsts_per_question(consultation) == {1}


def test_an_answer_saved_on_its_own_copies_its_response_and_is_first_only_once(consultation):
    response = _submit(consultation, answers(consultation))
    stop = question(consultation, "What would stop you?")

    first = Answer.objects.create(response=response, question=stop, text="Pay")
    second = Answer.objects.create(response=response, question=stop, text="Time off")

    assert (first.respondent_type, first.first_for_question) == ("care_worker", True)
    assert (second.respondent_type, second.first_for_question) == ("care_worker", False)


def test_the_database_refuses_a_second_row_marked_first_for_one_response_and_question(
    consultation,
):
    response = _submit(consultation, answers(consultation))
    join = question(consultation, "Would you join?")

    # Adding to an answer already written, in a batch of its own, would count the person
    # twice: the unique constraint stops it rather than let the count go wrong.
    with pytest.raises(IntegrityError), transaction.atomic():
        Answer.objects.bulk_create([Answer(response=response, question=join, text="Also")])


def test_the_demo_seeder_s_answers_match_their_responses(consultation):
    demo._seed_answers(consultation, count=30)

    assert Response.objects.filter(consultation=consultation).count() == 30
    assert out_of_step(consultation) == []
    assert firsts_per_question(consultation) == {1}
