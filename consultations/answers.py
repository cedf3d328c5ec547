"""Answers while they are being given: which questions show, and whether an answer is valid.

Answers travel (in the session, in a saved draft, into `response_submit`) as a dict keyed by
the question id as a string:

    {"12": {"options": [40, 41], "other": True, "other_text": "…", "text": ""}}

`options` are chosen option ids, `other` says "Other, please specify" was chosen, and `text`
is the answer to a free-text question. Pure functions: nothing here reads the request or
writes the database, so the page form and the submit service apply exactly the same rules.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field

from consultations.models import Consultation, Question

OTHER = "other"


def empty_answer() -> dict:
    return {"options": [], "other": False, "other_text": "", "text": ""}


# Questions change only while a consultation is a draft, and every status change stamps
# `updated_at`; so (id, salt, updated_at) names one fixed set of questions, and every page
# and submit after the first reads them from memory instead of three queries each.
_QUESTIONS_CACHE: dict[tuple, list[Question]] = {}
_QUESTIONS_CACHE_SIZE = 200


def questions_for(consultation: Consultation) -> list[Question]:
    """Every question in order, with its options and show-if options. Treat as read-only."""
    if consultation.status == Consultation.Status.DRAFT:
        return _load_questions(consultation)
    key = (consultation.pk, consultation.salt, consultation.updated_at)
    questions = _QUESTIONS_CACHE.get(key)
    if questions is None:
        if len(_QUESTIONS_CACHE) >= _QUESTIONS_CACHE_SIZE:
            _QUESTIONS_CACHE.clear()
        questions = _QUESTIONS_CACHE[key] = _load_questions(consultation)
    return questions


def _load_questions(consultation: Consultation) -> list[Question]:
    return list(
        Question.objects.filter(consultation=consultation)
        .select_related("page")
        .prefetch_related("options", "show_if_options")
        .order_by("page__position", "page_id", "position", "id")
    )


def is_answered(question: Question, answer: dict | None) -> bool:
    if not answer:
        return False
    if question.is_choice:
        return bool(answer.get("options")) or bool(answer.get("other"))
    return bool((answer.get("text") or "").strip())


def visible_questions(questions: Iterable[Question], answers: dict) -> list[Question]:
    """The questions shown, given the answers so far. A conditional question shows when the
    question it depends on is itself shown and its answer includes any of the chosen options."""
    shown: dict[int, Question] = {}
    for question in questions:
        if question.show_if_question_id is not None:
            if question.show_if_question_id not in shown:
                continue
            chosen = set(answers.get(str(question.show_if_question_id), {}).get("options", []))
            wanted = {option.pk for option in question.show_if_options.all()}
            if not chosen & wanted:
                continue
        shown[question.pk] = question
    return list(shown.values())


def questions_possibly_shown(
    questions: Iterable[Question], answers: dict, *, pages_passed: Iterable[int] = ()
) -> list[Question]:
    """The questions shown given the answers so far, and those that may still be: one that
    depends on a question not answered yet counts until that answer rules it out. A question
    on a page in `pages_passed` (ids) counts as answered, even if left blank. Answering can
    only take questions away from this list, never add one (docs/decisions/0022)."""
    passed = set(pages_passed)
    possible: dict[int, Question] = {}
    for question in questions:
        trigger = possible.get(question.show_if_question_id)
        if question.show_if_question_id is not None:
            if trigger is None:
                continue
            given = answers.get(str(trigger.pk))
            # Saved part way ("save and come back later"), a page's answers can be blank
            # without the person having passed it: blank decides nothing until then.
            if is_answered(trigger, given) or trigger.page_id in passed:
                chosen = set((given or {}).get("options", []))
                wanted = {option.pk for option in question.show_if_options.all()}
                if not chosen & wanted:
                    continue
        possible[question.pk] = question
    return list(possible.values())


def answer_error(question: Question, answer: dict | None) -> str | None:
    """Why this answer to a shown question is not acceptable, in plain English; None if it is."""
    answer = answer or empty_answer()
    if not is_answered(question, answer):
        if question.required:
            if question.kind == Question.Kind.MULTIPLE_CHOICE:
                return f"Select at least one answer to “{question.text}”"
            if question.is_choice:
                return f"Select an answer to “{question.text}”"
            return f"Enter your answer to “{question.text}”"
        return None
    if question.is_choice:
        valid = {option.pk for option in question.options.all()}
        chosen = list(answer.get("options") or [])
        if any(option not in valid for option in chosen) or len(set(chosen)) != len(chosen):
            return f"Select from the answers given for “{question.text}”"
        if answer.get("other") and not question.has_other:
            return f"Select from the answers given for “{question.text}”"
        count = len(chosen) + (1 if answer.get("other") else 0)
        if question.kind != Question.Kind.MULTIPLE_CHOICE and count > 1:
            return f"Select only one answer to “{question.text}”"
        if question.max_choices and count > question.max_choices:
            return f"Select no more than {question.max_choices} answers to “{question.text}”"
        if answer.get("other"):
            other_text = (answer.get("other_text") or "").strip()
            if not other_text:
                return f"You chose “Other”: say what you mean, for “{question.text}”"
            if len(other_text) > 500:
                return "Your “Other” answer must be 500 characters or fewer"
        return None
    text = answer.get("text") or ""
    if question.max_length and len(text.strip()) > question.max_length:
        return (
            f"Your answer to “{question.text}” must be {question.max_length} characters or "
            f"fewer. It has {len(text.strip())}."
        )
    return None


@dataclass
class CheckedAnswers:
    """The answers to the shown questions only, and an error for each one that fails."""

    answers: dict = field(default_factory=dict)
    errors: dict = field(default_factory=dict)

    @property
    def is_valid(self) -> bool:
        return not self.errors


def check_answers(questions: list[Question], answers: dict) -> CheckedAnswers:
    """Keep the answers of shown questions (answers to hidden ones are discarded) and check
    each of them."""
    checked = CheckedAnswers()
    for question in visible_questions(questions, answers):
        answer = answers.get(str(question.pk))
        error = answer_error(question, answer)
        if error:
            checked.errors[question.pk] = error
        if answer and is_answered(question, answer):
            checked.answers[str(question.pk)] = normalise(question, answer)
    return checked


def normalise(question: Question, answer: dict) -> dict:
    clean = empty_answer()
    if question.is_choice:
        clean["options"] = [int(option) for option in answer.get("options") or []]
        clean["other"] = bool(answer.get("other")) and question.has_other
        if clean["other"]:
            clean["other_text"] = (answer.get("other_text") or "").strip()
    else:
        clean["text"] = (answer.get("text") or "").strip()
    return clean
