"""Every response as one CSV row, streamed, for the association to open in a spreadsheet.

Columns: reference, submitted_at, respondent_type, verified, register_status,
duration_seconds, then one column per question (choices joined with "; "), and for a question
with "Other, please specify" a second column holding the other text. The file starts with a
byte order mark so Excel reads it as UTF-8, and every cell goes through `spreadsheet_safe`.

Rows are produced a batch of responses at a time (keyset pages by id), so 100,000 responses
never sit in memory at once: at most BATCH_SIZE responses and their answers do.
"""

import csv
from collections.abc import Iterator

from django.utils import timezone

from consultations.analysis.counted import responses_counted
from consultations.models import Answer, Consultation, Question
from core.csv_safety import UTF8_BOM, spreadsheet_safe

BATCH_SIZE = 2000
FIXED_COLUMNS = [
    "reference",
    "submitted_at",
    "respondent_type",
    "verified",
    "register_status",
    "duration_seconds",
    "many_from_one_connection",
]
CHOICE_SEPARATOR = "; "


class _Line:
    """csv.writer writes into this and we hand the line straight on."""

    def write(self, value: str) -> str:
        return value


def _questions(consultation: Consultation) -> list[Question]:
    return list(
        Question.objects.filter(consultation=consultation)
        .prefetch_related("options")
        .order_by("page__position", "page_id", "position", "id")
    )


def header(questions: list[Question]) -> list[str]:
    columns = list(FIXED_COLUMNS)
    for question in questions:
        columns.append(question.text)
        if question.has_other:
            columns.append(f"{question.text} (other)")
    return columns


def _row(response: dict, answers: list[tuple], questions, labels: dict[int, str]) -> list:
    chosen: dict[int, list[str]] = {}
    texts: dict[int, str] = {}
    for question_id, option_id, text in answers:
        if option_id is not None:
            chosen.setdefault(question_id, []).append(labels.get(option_id, ""))
        else:
            texts[question_id] = text
    submitted = timezone.localtime(response["submitted_at"]).isoformat(timespec="seconds")
    row = [
        response["reference"],
        submitted,
        response["respondent_type"],
        "yes" if response["verified"] else "no",
        response["register_status"],
        "" if response["duration_seconds"] is None else response["duration_seconds"],
        "yes" if response["many_from_one_connection"] else "no",
    ]
    for question in questions:
        if question.is_choice:
            row.append(CHOICE_SEPARATOR.join(chosen.get(question.pk, [])))
            if question.has_other:
                row.append(texts.get(question.pk, ""))
        else:
            row.append(texts.get(question.pk, ""))
    return row


def response_rows(*, consultation: Consultation, batch_size: int = BATCH_SIZE) -> Iterator[list]:
    """The header, then one list of cells per response, oldest first."""
    questions = _questions(consultation)
    labels = {
        option.pk: option.label for question in questions for option in question.options.all()
    }
    yield header(questions)
    last_id = 0
    while True:
        responses = list(
            responses_counted(consultation)
            .filter(id__gt=last_id)
            .order_by("id")
            .values(
                "id",
                "reference",
                "submitted_at",
                "respondent_type",
                "verified",
                "register_status",
                "duration_seconds",
                "many_from_one_connection",
            )[:batch_size]
        )
        if not responses:
            return
        first_id, last_id = responses[0]["id"], responses[-1]["id"]
        by_response: dict[int, list[tuple]] = {}
        for response_id, question_id, option_id, text in (
            Answer.objects.filter(response_id__gte=first_id, response_id__lte=last_id)
            .filter(response__consultation=consultation)
            .order_by("response_id", "id")
            .values_list("response_id", "question_id", "option_id", "text")
        ):
            by_response.setdefault(response_id, []).append((question_id, option_id, text))
        for response in responses:
            yield _row(response, by_response.get(response["id"], []), questions, labels)


def csv_lines(*, consultation: Consultation) -> Iterator[str]:
    """The CSV file as text, a line at a time, with the byte order mark first."""
    writer = csv.writer(_Line())
    yield UTF8_BOM
    for row in response_rows(consultation=consultation):
        yield writer.writerow([spreadsheet_safe(cell) for cell in row])
