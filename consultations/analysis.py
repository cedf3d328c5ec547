"""Reading a consultation's results: counts per option by respondent type and by verified or
not, counted in the database; the free-text answers; the median time to answer; and the
small-number suppression applied to everything published.

Every count comes from a GROUP BY in the database (`values().annotate(Count())`): Python only
arranges the few dozen grouped rows into tables, it never loops over responses. The rules for
suppression are in docs/consultations-analysis.md; `suppress()` is their one implementation.
"""

from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Aggregate, Count, FloatField, Q, QuerySet
from django.http import Http404

from accounts.models import User
from accounts.permissions import can
from consultations.models import Answer, Consultation, Question, Response, Theme
from consultations.services.building import completion_estimate

Status = Consultation.Status
RespondentType = Response.RespondentType

# Counts from 1 to 4 are published as "fewer than 5".
SUPPRESSION_THRESHOLD = 5
# Secondary suppression goes on until the cells withheld in a line add up to at least this,
# so that "total minus the rest" leaves a range wide enough to hide a small cell.
WITHHELD_SUM_AT_LEAST = 2 * SUPPRESSION_THRESHOLD
FEWER_THAN = f"fewer than {SUPPRESSION_THRESHOLD}"
WITHHELD = "withheld"

# Results can be read once nobody can answer any more: reading them while it is open could
# sway the association, and a published count would keep moving.
STATUSES_WITH_RESULTS = {Status.CLOSED, Status.ANALYSING, Status.PUBLISHED}

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


# --- Who may read --------------------------------------------------------------------------


def consultation_get_for_analysis(*, user: User, pk: int) -> Consultation:
    """A consultation whose results the asking person may read: 404 for anyone outside the
    owning association, so they learn nothing about it."""
    consultation = Consultation.objects.select_related("organisation").filter(pk=pk).first()
    if consultation is None or not can(user, "consultation.analyse", consultation):
        raise Http404("No such consultation.")
    return consultation


def consultation_get_published(*, slug: str) -> Consultation:
    """A consultation whose outcome is public; 404 until it is."""
    consultation = (
        Consultation.objects.select_related("organisation")
        .filter(slug=slug, status=Status.PUBLISHED)
        .first()
    )
    if consultation is None:
        raise Http404("No outcome has been published for this consultation.")
    return consultation


def has_results(consultation: Consultation) -> bool:
    return consultation.effective_status() in STATUSES_WITH_RESULTS


# --- Suppression ---------------------------------------------------------------------------


def suppress(values: dict[Hashable, int], lines: Iterable[list[Hashable]]) -> dict[Hashable, str]:
    """Which cells to withhold from publication, and why: FEWER_THAN (primary) or WITHHELD
    (secondary). `lines` are groups of cells that add up, including their total.

    Primary: every count from 1 to 4. Secondary: while a line has any withheld cell and its
    withheld cells are fewer than two, or add up to less than WITHHELD_SUM_AT_LEAST, or are all
    small, withhold the smallest other non-zero cell of that line. Zero is never withheld.
    """
    lines = [list(line) for line in lines]
    withheld: dict[Hashable, str] = {
        key: FEWER_THAN for key, value in values.items() if 0 < value < SUPPRESSION_THRESHOLD
    }
    changed = True
    while changed:
        changed = False
        for line in lines:
            hidden = [key for key in line if key in withheld]
            if not hidden:
                continue
            enough = (
                len(hidden) >= 2
                and sum(values[key] for key in hidden) >= WITHHELD_SUM_AT_LEAST
                and any(values[key] >= SUPPRESSION_THRESHOLD for key in hidden)
            )
            if enough:
                continue
            candidates = [key for key in line if key not in withheld and values[key] > 0]
            if not candidates:
                continue
            smallest = min(candidates, key=lambda key: (values[key], line.index(key)))
            withheld[smallest] = WITHHELD
            changed = True
    return withheld


# --- Results -------------------------------------------------------------------------------


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
    def chart(self) -> "BarChart":
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


class PercentileCont(Aggregate):
    function = "percentile_cont"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()


def median_duration_seconds(*, consultation: Consultation) -> float | None:
    """The median time from starting to submitting, worked out in the database: with
    percentile_cont on PostgreSQL, and by reading the one or two middle rows elsewhere."""
    durations = Response.objects.filter(
        consultation=consultation, duration_seconds__isnull=False
    ).order_by()
    if connection.vendor == "postgresql":
        return durations.aggregate(median=PercentileCont("duration_seconds"))["median"]
    count = durations.count()
    if not count:
        return None
    middle = list(
        durations.order_by("duration_seconds").values_list("duration_seconds", flat=True)[
            (count - 1) // 2 : count // 2 + 1
        ]
    )
    return sum(middle) / len(middle)


def format_duration(seconds: float | None) -> str:
    if seconds is None:
        return "not known"
    seconds = round(seconds)
    minutes, rest = divmod(seconds, 60)
    if not minutes:
        return f"{rest} seconds"
    minute_text = "1 minute" if minutes == 1 else f"{minutes} minutes"
    return minute_text if not rest else f"{minute_text} {rest} seconds"


@dataclass(frozen=True)
class TimeToAnswer:
    median_seconds: float | None
    estimate_seconds: int
    estimate_text: str

    @property
    def median_text(self) -> str:
        return format_duration(self.median_seconds)

    @property
    def comparison(self) -> str:
        if self.median_seconds is None:
            return "No response recorded how long it took."
        difference = self.median_seconds - self.estimate_seconds
        if abs(difference) < 30:
            return "about the same as the estimate"
        length = format_duration(abs(difference))
        return f"{length} {'longer' if difference > 0 else 'shorter'} than the estimate"


def time_to_answer(*, consultation: Consultation) -> TimeToAnswer:
    estimate = completion_estimate(consultation=consultation)
    return TimeToAnswer(
        median_seconds=median_duration_seconds(consultation=consultation),
        estimate_seconds=estimate.seconds,
        estimate_text=str(estimate),
    )


def consultation_results(*, consultation: Consultation, published: bool) -> Results:
    """Every question's counts, by respondent type and by verified or not. `published` applies
    the small-number suppression; the association's own view has the true numbers."""
    questions = list(
        Question.objects.filter(consultation=consultation)
        .select_related("page")
        .prefetch_related("options")
        .order_by("page__position", "page_id", "position", "id")
    )
    response_counts = {
        (row["respondent_type"], row["verified"]): row["n"]
        # COUNT(*), not COUNT(id): the id is not in the index, and reading it made this a
        # scan of the table (88 ms) instead of the index alone (31 ms).
        for row in Response.objects.filter(consultation=consultation)
        .order_by()
        .values("respondent_type", "verified")
        .annotate(n=Count("*"))
    }
    type_totals: dict[str, int] = {}
    for (respondent_type, _), number in response_counts.items():
        type_totals[respondent_type] = type_totals.get(respondent_type, 0) + number
    types = _present_types(type_totals)
    columns = _columns(types)

    # One GROUP BY for every choice and text question: (question, option, type, verified) -> n.
    # A text answer, or an "Other" on a choice question, is the row with no option. Each answer
    # carries its response's type and verified flag, so this is one index-only scan of the
    # answers, with no join to the responses (a join of 700,000 rows took two thirds of the
    # page's time at 100,000 responses). Filtering by the question ids, not by a join to the
    # questions, lets PostgreSQL use the index on the question.
    answer_counts: dict[int, dict[int | None, dict[tuple[str, bool], int]]] = {}
    # "Choose any" questions: people, not ticks, are the base of the percentages. One row per
    # response and question is marked `first_for_question`, so the same scan counts people.
    multiple_answered: dict[int, dict[tuple[str, bool], int]] = {}
    multiple_ids = {q.pk for q in questions if q.kind == Question.Kind.MULTIPLE_CHOICE}
    for row in (
        Answer.objects.filter(question_id__in=[question.pk for question in questions])
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

    values: dict = {}
    lines: list[list] = []
    response_spread = _spread(response_counts, types)
    for column in columns:
        values[("responses", column.key)] = response_spread[column.key]
    lines.extend(_row_lines("responses", types))

    layouts = []
    for number, question in enumerate(questions, start=1):
        if published and question.is_respondent_type:
            # The "about you" answers are the "who answered" table again, cut by different
            # lines: suppressed apart, the two could show a cell one of them withholds.
            continue
        counts = answer_counts.get(question.pk, {})
        row_keys: list[tuple] = []
        labels: list[tuple[str, bool]] = []
        if question.is_choice:
            for option in question.options.all():
                row_keys.append((question.pk, option.pk))
                labels.append((option.label, False))
                for column, value in _spread(counts.get(option.pk, {}), types).items():
                    values[((question.pk, option.pk), column)] = value
            if question.has_other or counts.get(None):
                row_keys.append((question.pk, None))
                labels.append(("Other", True))
                for column, value in _spread(counts.get(None, {}), types).items():
                    values[((question.pk, None), column)] = value
        answered_key = (question.pk, "answered")
        if question.kind == Question.Kind.MULTIPLE_CHOICE:
            answered = _spread(multiple_answered.get(question.pk, {}), types)
        elif question.is_choice:
            # One row per person on a "choose one" question: the rows add up to the people.
            answered = {
                column.key: sum(values[(row_key, column.key)] for row_key in row_keys)
                for column in columns
            }
        else:
            answered = _spread(counts.get(None, {}), types)
        for column, value in answered.items():
            values[(answered_key, column)] = value
        for row_key in [*row_keys, answered_key]:
            lines.extend(_row_lines(row_key, types))
        if question.is_choice and question.kind != Question.Kind.MULTIPLE_CHOICE:
            for column in columns:
                lines.append(
                    [(row_key, column.key) for row_key in row_keys] + [(answered_key, column.key)]
                )
        layouts.append((number, question, row_keys, labels, answered_key))

    withheld = suppress(values, lines) if published else {}

    def cells(row_key, base_key) -> list[Cell]:
        result = []
        for column in columns:
            position = (row_key, column.key)
            base_position = (base_key, column.key)
            cell = _cell(values[position], values[base_position], withheld.get(position))
            if base_position in withheld and cell.count is not None:
                # A percentage of a withheld base would give the base away.
                cell = Cell(count=cell.count, text=cell.text, percent=None)
            result.append(cell)
        return result

    question_results = []
    for number, question, row_keys, labels, answered_key in layouts:
        rows = [
            ResultRow(label=label, cells=cells(row_key, answered_key), is_other=is_other)
            for row_key, (label, is_other) in zip(row_keys, labels, strict=True)
        ]
        question_results.append(
            QuestionResult(
                number=number,
                question_id=question.pk,
                text=question.text,
                kind=question.kind,
                kind_label=question.get_kind_display(),
                rows=rows,
                answered=cells(answered_key, "responses"),
                is_choice=question.is_choice,
                is_multiple=question.kind == Question.Kind.MULTIPLE_CHOICE,
            )
        )
    return Results(
        consultation=consultation,
        columns=columns,
        responses=cells("responses", "responses"),
        questions=question_results,
        published=published,
        themes=theme_counts(consultation=consultation, published=published),
    )


def theme_counts(*, consultation: Consultation, published: bool) -> list[tuple[str, Cell]]:
    """Each theme with the number of answers tagged with it. Themes overlap (one answer can
    have several), so they do not add up and only the primary rule applies."""
    rows = []
    for theme in Theme.objects.filter(consultation=consultation).annotate(n=Count("answers")):
        why = FEWER_THAN if published and 0 < theme.n < SUPPRESSION_THRESHOLD else None
        rows.append((theme.name, _cell(theme.n, 0, why)))
    return rows


def themes_with_counts(*, consultation: Consultation) -> QuerySet[Theme]:
    return Theme.objects.filter(consultation=consultation).annotate(answer_count=Count("answers"))


# --- Charts --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Bar:
    label: str
    value_text: str
    y: int
    width: float
    text_y: int
    value_x: float


@dataclass(frozen=True)
class BarChart:
    """A horizontal bar chart drawn as SVG on the server: the numbers are the table's."""

    bars: list[Bar]
    height: int
    label_x: int = 224
    bar_x: int = 230
    width: int = 700
    bar_height: int = 22


def bar_chart(question: QuestionResult) -> BarChart:
    bars = []
    step = 34
    for index, row in enumerate(question.rows):
        cell = row.overall
        share = (cell.percent or 0) / 100 if cell.count is not None else 0
        width = round(share * 330, 1)
        text = cell.text if cell.count is None else f"{cell.text} ({cell.percent_text})"
        label = row.label if len(row.label) <= 34 else row.label[:33] + "…"
        bars.append(
            Bar(
                label=label,
                value_text=text,
                y=index * step,
                width=width,
                text_y=index * step + 16,
                value_x=236 + width,
            )
        )
    return BarChart(bars=bars, height=max(step, len(bars) * step))


# --- Free-text answers ---------------------------------------------------------------------


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
        Answer.objects.filter(question_id__in=question_ids, option__isnull=True)
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


def theme_get_for_analysis(*, user: User, pk: int) -> Theme:
    theme = Theme.objects.select_related("consultation__organisation").filter(pk=pk).first()
    if theme is None or not can(user, "consultation.analyse", theme.consultation):
        raise Http404("No such theme.")
    return theme


def answer_get_for_analysis(*, user: User, pk: int) -> Answer:
    answer = (
        Answer.objects.select_related("question__consultation__organisation").filter(pk=pk).first()
    )
    if answer is None or not can(user, "consultation.analyse", answer.question.consultation):
        raise Http404("No such answer.")
    return answer
