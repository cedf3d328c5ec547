"""The results tables: every question's counts by respondent type and by verified or not,
counted in the database, with the small-number suppression applied to what is published.

Every count comes from a GROUP BY (`values().annotate(Count())`): Python only arranges the few
dozen grouped rows into tables, it never loops over responses. A table is a set of cells keyed
by (row, column), and the lines of cells that add up, which is what suppression needs.
"""

from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet

from consultations.analysis.charts import BarChart, bar_chart
from consultations.analysis.counted import answers_counted, responses_counted
from consultations.analysis.suppression import FEWER_THAN, SUPPRESSION_THRESHOLD, suppress
from consultations.models import Answer, Consultation, Question, Response, Theme

RespondentType = Response.RespondentType

TYPE_LABELS = {
    RespondentType.CARE_WORKER: "Care workers",
    RespondentType.EMPLOYER: "Employers and managers",
    RespondentType.PERSON_RECEIVING_CARE: "People receiving care",
    RespondentType.FAMILY_OR_UNPAID_CARER: "Family and unpaid carers",
    RespondentType.OTHER: "Someone else",
    "": "Not given",
}
ALL = "all"
VERIFIED = "verified"
UNVERIFIED = "unverified"

# (respondent type, verified) -> number of responses or answers
Counts = dict[tuple[str, bool], int]


@dataclass(frozen=True)
class Column:
    key: str
    label: str


@dataclass(frozen=True)
class Cell:
    """One number as shown: `count` is None when it is withheld from publication."""

    count: int | None
    text: str
    percent: int | None = None

    @property
    def percent_text(self) -> str:
        return "" if self.percent is None else f"{self.percent}%"

    @property
    def is_withheld(self) -> bool:
        return self.count is None


@dataclass
class ResultRow:
    label: str
    cells: list[Cell]
    is_other: bool = False

    @property
    def overall(self) -> Cell:
        return self.cells[0]


@dataclass
class QuestionResult:
    number: int
    question_id: int
    text: str
    kind: str
    kind_label: str
    rows: list[ResultRow]
    # How many people answered the question, per column: the base of each percentage.
    answered: list[Cell]
    is_choice: bool
    is_multiple: bool

    @property
    def chart(self) -> BarChart:
        return bar_chart(self)


@dataclass
class Results:
    consultation: Consultation
    columns: list[Column]
    responses: list[Cell]
    questions: list[QuestionResult]
    published: bool
    themes: list[tuple[str, Cell]] = field(default_factory=list)

    @property
    def response_total(self) -> Cell:
        return self.responses[0]


def _present_types(type_counts: dict[str, int]) -> list[str]:
    types = [value for value in RespondentType.values]
    if type_counts.get(""):
        types.append("")
    return types


def _columns(types: list[str]) -> list[Column]:
    return [
        Column(ALL, "Everyone"),
        *(Column(f"type:{value}", TYPE_LABELS[value]) for value in types),
        Column(VERIFIED, "Verified on the register"),
        Column(UNVERIFIED, "Not verified"),
    ]


def _spread(counts: dict[tuple[str, bool], int], types: list[str]) -> dict[str, int]:
    """(respondent type, verified) -> n, spread over the columns."""
    spread = {ALL: 0, VERIFIED: 0, UNVERIFIED: 0, **{f"type:{value}": 0 for value in types}}
    for (respondent_type, verified), number in counts.items():
        spread[ALL] += number
        spread[f"type:{respondent_type}"] = spread.get(f"type:{respondent_type}", 0) + number
        spread[VERIFIED if verified else UNVERIFIED] += number
    return spread


def _row_lines(row_key, types: list[str]) -> list[list]:
    """A row adds up across the respondent types, and across verified and not."""
    return [
        [(row_key, f"type:{value}") for value in types] + [(row_key, ALL)],
        [(row_key, VERIFIED), (row_key, UNVERIFIED), (row_key, ALL)],
    ]


def _cell(value: int, base: int, why: str | None) -> Cell:
    if why is not None:
        return Cell(count=None, text=why)
    return Cell(count=value, text=f"{value:,}", percent=round(100 * value / base) if base else None)


@dataclass
class _Table:
    """The numbers of one consultation's results before they are shown: each cell's value by
    (row key, column key), and the lines of cells that add up."""

    types: list[str]
    columns: list[Column]
    values: dict = field(default_factory=dict)
    lines: list[list] = field(default_factory=list)

    def add_row(self, row_key, counts: Counts) -> None:
        for column, value in _spread(counts, self.types).items():
            self.values[(row_key, column)] = value


@dataclass(frozen=True)
class _Layout:
    """Where one question's rows sit in the table."""

    number: int
    question: Question
    row_keys: list[tuple]
    labels: list[tuple[str, bool]]
    answered_key: tuple


def _questions_in_order(consultation: Consultation) -> list[Question]:
    return list(
        Question.objects.filter(consultation=consultation)
        .select_related("page")
        .prefetch_related("options")
        .order_by("page__position", "page_id", "position", "id")
    )


def _response_counts(consultation: Consultation) -> Counts:
    return {
        (row["respondent_type"], row["verified"]): row["n"]
        # COUNT(*), not COUNT(id): the id is not in the index, and reading it made this a
        # scan of the table (88 ms) instead of the index alone (31 ms).
        for row in responses_counted(consultation)
        .order_by()
        .values("respondent_type", "verified")
        .annotate(n=Count("*"))
    }


def _answer_counts(
    consultation: Consultation, questions: list[Question]
) -> tuple[dict[int, dict[int | None, Counts]], dict[int, Counts]]:
    """One GROUP BY for every choice and text question: question -> option -> counts, where a
    text answer, or an "Other" on a choice question, is the option None; and, for "choose any"
    questions, question -> the people who answered it.

    Each answer carries its response's type and verified flag, so this is one index-only scan
    of the answers, with no join to the responses (a join of 700,000 rows took two thirds of
    the page's time at 100,000 responses). Filtering by the question ids, not by a join to the
    questions, lets PostgreSQL use the index on the question."""
    answer_counts: dict[int, dict[int | None, Counts]] = {}
    # "Choose any" questions: people, not ticks, are the base of the percentages. One row per
    # response and question is marked `first_for_question`, so the same scan counts people.
    multiple_answered: dict[int, Counts] = {}
    multiple_ids = {q.pk for q in questions if q.kind == Question.Kind.MULTIPLE_CHOICE}
    for row in (
        answers_counted(
            consultation,
            Answer.objects.filter(question_id__in=[question.pk for question in questions]),
        )
        .order_by()
        .values("question_id", "option_id", "respondent_type", "verified")
        .annotate(
            n=Count("*"),
            people=Count("first_for_question", filter=Q(first_for_question=True)),
        )
    ):
        by_option = answer_counts.setdefault(row["question_id"], {})
        key = (row["respondent_type"], row["verified"])
        by_option.setdefault(row["option_id"], {})[key] = row["n"]
        if row["question_id"] in multiple_ids:
            people = multiple_answered.setdefault(row["question_id"], {})
            people[key] = people.get(key, 0) + row["people"]
    return answer_counts, multiple_answered


def _lay_out_question(
    table: _Table,
    *,
    number: int,
    question: Question,
    counts: dict[int | None, Counts],
    people: Counts,
) -> _Layout:
    """Put one question's rows, and the row of how many answered it, into the table."""
    row_keys: list[tuple] = []
    labels: list[tuple[str, bool]] = []
    if question.is_choice:
        for option in question.options.all():
            row_keys.append((question.pk, option.pk))
            labels.append((option.label, False))
            table.add_row((question.pk, option.pk), counts.get(option.pk, {}))
        if question.has_other or counts.get(None):
            row_keys.append((question.pk, None))
            labels.append(("Other", True))
            table.add_row((question.pk, None), counts.get(None, {}))
    answered_key = (question.pk, "answered")
    if question.kind == Question.Kind.MULTIPLE_CHOICE:
        table.add_row(answered_key, people)
    elif question.is_choice:
        # One row per person on a "choose one" question: the rows add up to the people.
        for column in table.columns:
            table.values[(answered_key, column.key)] = sum(
                table.values[(row_key, column.key)] for row_key in row_keys
            )
    else:
        table.add_row(answered_key, counts.get(None, {}))
    for row_key in [*row_keys, answered_key]:
        table.lines.extend(_row_lines(row_key, table.types))
    if question.is_choice and question.kind != Question.Kind.MULTIPLE_CHOICE:
        for column in table.columns:
            table.lines.append(
                [(row_key, column.key) for row_key in row_keys] + [(answered_key, column.key)]
            )
    return _Layout(number, question, row_keys, labels, answered_key)


def _cells(table: _Table, withheld: dict, row_key, base_key) -> list[Cell]:
    """A row as shown: each column's count, or why it is withheld, and its percentage of the
    same column of `base_key`."""
    result = []
    for column in table.columns:
        position = (row_key, column.key)
        base_position = (base_key, column.key)
        cell = _cell(table.values[position], table.values[base_position], withheld.get(position))
        if base_position in withheld and cell.count is not None:
            # A percentage of a withheld base would give the base away.
            cell = Cell(count=cell.count, text=cell.text, percent=None)
        result.append(cell)
    return result


def _question_result(table: _Table, withheld: dict, layout: _Layout) -> QuestionResult:
    question = layout.question
    return QuestionResult(
        number=layout.number,
        question_id=question.pk,
        text=question.text,
        kind=question.kind,
        kind_label=question.get_kind_display(),
        rows=[
            ResultRow(
                label=label,
                cells=_cells(table, withheld, row_key, layout.answered_key),
                is_other=is_other,
            )
            for row_key, (label, is_other) in zip(layout.row_keys, layout.labels, strict=True)
        ],
        answered=_cells(table, withheld, layout.answered_key, "responses"),
        is_choice=question.is_choice,
        is_multiple=question.kind == Question.Kind.MULTIPLE_CHOICE,
    )


def consultation_results(
    *, consultation: Consultation, published: bool, choice_only: bool = False
) -> Results:
    """Every question's counts, by respondent type and by verified or not. `published` applies
    the small-number suppression; the association's own view has the true numbers.
    `choice_only` leaves out the free-text questions (the live counts before the close)."""
    questions = _questions_in_order(consultation)
    if choice_only:
        questions = [question for question in questions if question.is_choice]
    response_counts = _response_counts(consultation)
    type_totals: dict[str, int] = {}
    for (respondent_type, _), number in response_counts.items():
        type_totals[respondent_type] = type_totals.get(respondent_type, 0) + number
    types = _present_types(type_totals)
    table = _Table(types=types, columns=_columns(types))
    table.add_row("responses", response_counts)
    table.lines.extend(_row_lines("responses", types))

    answer_counts, multiple_answered = _answer_counts(consultation, questions)
    layouts = [
        _lay_out_question(
            table,
            number=number,
            question=question,
            counts=answer_counts.get(question.pk, {}),
            people=multiple_answered.get(question.pk, {}),
        )
        for number, question in enumerate(questions, start=1)
        # The "about you" answers are the "who answered" table again, cut by different lines:
        # suppressed apart, the two could show a cell one of them withholds.
        if not (published and question.is_respondent_type)
    ]

    withheld = suppress(table.values, table.lines) if published else {}
    return Results(
        consultation=consultation,
        columns=table.columns,
        responses=_cells(table, withheld, "responses", "responses"),
        questions=[_question_result(table, withheld, layout) for layout in layouts],
        published=published,
        themes=[] if choice_only else theme_counts(consultation=consultation, published=published),
    )


def theme_counts(*, consultation: Consultation, published: bool) -> list[tuple[str, Cell]]:
    """Each theme with the number of answers tagged with it. Themes overlap (one answer can
    have several), so they do not add up and only the primary rule applies."""
    rows = []
    counted = Q()
    if not consultation.count_many_from_one_connection:
        counted = Q(answers__response__many_from_one_connection=False)
    for theme in Theme.objects.filter(consultation=consultation).annotate(
        n=Count("answers", filter=counted)
    ):
        why = FEWER_THAN if published and 0 < theme.n < SUPPRESSION_THRESHOLD else None
        rows.append((theme.name, _cell(theme.n, 0, why)))
    return rows


def themes_with_counts(*, consultation: Consultation) -> QuerySet[Theme]:
    return Theme.objects.filter(consultation=consultation).annotate(answer_count=Count("answers"))
