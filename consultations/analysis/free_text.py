"""The free-text answers, and the "Other, please specify" texts, to read and tag."""

from django.db.models import Q, QuerySet

from consultations.analysis.counted import answers_counted
from consultations.models import Answer, Consultation, Question


def free_text_questions(*, consultation: Consultation) -> list[Question]:
    """Questions with text to read: free-text questions, and choice questions with "Other"."""
    return list(
        Question.objects.filter(consultation=consultation)
        .filter(Q(kind__in=Question.TEXT_KINDS) | Q(has_other=True))
        .order_by("page__position", "page_id", "position", "id")
    )


def free_text_answers(
    *,
    consultation: Consultation,
    search: str = "",
    question_id: int | None = None,
    theme_id: int | None = None,
) -> QuerySet[Answer]:
    """The free-text answers (and "Other" texts), oldest first, found by a case-insensitive
    search and narrowed to one question or one theme."""
    question_ids = [question.pk for question in free_text_questions(consultation=consultation)]
    answers = (
        answers_counted(
            consultation, Answer.objects.filter(question_id__in=question_ids, option__isnull=True)
        )
        .exclude(text="")
        .select_related("question", "response")
        .prefetch_related("themes")
        .order_by("id")
    )
    if search.strip():
        answers = answers.filter(text__icontains=search.strip())
    if question_id:
        answers = answers.filter(question_id=question_id)
    if theme_id:
        answers = answers.filter(themes__id=theme_id)
    return answers
