"""What a quiz version's `content` holds, checked when a draft is saved, and read as plain
objects by the pages.

    {"intro": "...", "ending": "...",
     "questions": [{"key": "washing", "text": "...", "value": "respect",   # scenarios only
                    "interview": "...",                                   # scenarios only
                    "options": [{"key": "a", "text": "...", "feedback": "..."}, ...]}, ...]}

There are no right answers: an option has feedback to reflect on, never marks."""

from dataclasses import dataclass

from core.errors import ApplicationError

# The seven values of the Care Workforce Pathway: the same words a trial's feedback uses.
from jobs.values import VALUES

MIN_QUESTIONS = 8
MAX_QUESTIONS = 10
MIN_OPTIONS = 2
MAX_OPTIONS = 4
# A question read and answered in under a minute keeps a quiz of ten under ten minutes.
MAX_QUESTION_WORDS = 90


class ContentError(ApplicationError):
    pass


@dataclass(frozen=True)
class Option:
    key: str
    text: str
    feedback: str


@dataclass(frozen=True)
class Question:
    number: int
    key: str
    text: str
    options: tuple[Option, ...]
    value: str = ""
    interview: str = ""

    @property
    def value_name(self) -> str:
        return VALUES[self.value][0] if self.value else ""

    def option(self, key: str) -> Option | None:
        return next((option for option in self.options if option.key == key), None)


@dataclass(frozen=True)
class Content:
    intro: str
    ending: str
    questions: tuple[Question, ...]


def _text(data: dict, name: str, where: str) -> str:
    value = data.get(name)
    if not isinstance(value, str) or not value.strip():
        raise ContentError(f"{where} needs some words for “{name}”.", field="content")
    return value.strip()


def content_parse(data, *, scenarios: bool) -> Content:
    """The content as objects, or a ContentError saying in plain English what is missing."""
    if not isinstance(data, dict):
        raise ContentError("The content must be a JSON object.", field="content")
    questions = data.get("questions")
    if not isinstance(questions, list) or not MIN_QUESTIONS <= len(questions) <= MAX_QUESTIONS:
        raise ContentError(
            f"A quiz has {MIN_QUESTIONS} to {MAX_QUESTIONS} questions, so that it takes under "
            "ten minutes.",
            field="content",
        )
    parsed, keys = [], set()
    for number, question in enumerate(questions, start=1):
        where = f"Question {number}"
        if not isinstance(question, dict):
            raise ContentError(f"{where} must be a JSON object.", field="content")
        key = _text(question, "key", where)
        if key in keys:
            raise ContentError(f"{where} has the same key as another: “{key}”.", field="content")
        keys.add(key)
        text = _text(question, "text", where)
        if len(text.split()) > MAX_QUESTION_WORDS:
            raise ContentError(
                f"{where} is longer than {MAX_QUESTION_WORDS} words.", field="content"
            )
        value = interview = ""
        if scenarios:
            value = _text(question, "value", where)
            if value not in VALUES:
                raise ContentError(
                    f"{where}'s value must be one of: {', '.join(VALUES)}.", field="content"
                )
            interview = _text(question, "interview", where)
        options = question.get("options")
        if not isinstance(options, list) or not MIN_OPTIONS <= len(options) <= MAX_OPTIONS:
            raise ContentError(
                f"{where} needs {MIN_OPTIONS} to {MAX_OPTIONS} options.", field="content"
            )
        option_keys = set()
        parsed_options = []
        for option in options:
            if not isinstance(option, dict):
                raise ContentError(f"{where}'s options must be JSON objects.", field="content")
            option_key = _text(option, "key", where)
            if option_key in option_keys:
                raise ContentError(f"{where} has two options keyed “{option_key}”.")
            option_keys.add(option_key)
            parsed_options.append(
                Option(
                    key=option_key,
                    text=_text(option, "text", where),
                    feedback=_text(option, "feedback", where),
                )
            )
        parsed.append(
            Question(
                number=number,
                key=key,
                text=text,
                options=tuple(parsed_options),
                value=value,
                interview=interview,
            )
        )
    return Content(
        intro=_text(data, "intro", "The quiz"),
        ending=_text(data, "ending", "The quiz"),
        questions=tuple(parsed),
    )
