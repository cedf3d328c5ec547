"""The yearly report on concerns: what was received, how fast it was screened and decided, the
outcomes and the appeals, for the concerns received in one calendar year.

It is counted from CaseFigures alone, never from cases, so it holds nothing that identifies
anyone and still counts a case deleted after its retention period. Small numbers are suppressed
with `core.suppression.suppress()`, as consultation results are, below
settings.CONCERN_REPORT_MIN_COUNT; docs/concerns.md ("The yearly report") gives the rules.
"""

import math
import statistics
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.http import Http404
from django.utils import timezone

from concerns.models import Case, CaseFigures
from core.dates import format_day
from core.suppression import fewer_than, suppress
from register.models import ConcernCategory

Outcome = Case.Outcome

# The cells that add up to the number of concerns received ("total"), each group a line for
# secondary suppression: a suppressed cell must not be the total minus the cells shown.
SCREENED_IN_TIME, SCREENED_LATE, NOT_SCREENED = "in_time", "late", "waiting"
CLOSED_AT_SCREENING, NOT_DECIDED = "closed_at_screening", "not_decided"
OUTCOME_ROWS = [
    CLOSED_AT_SCREENING,
    Outcome.NO_ACTION,
    Outcome.ADVICE,
    Outcome.WARNING,
    Outcome.CONDITIONS,
    Outcome.SUSPENSION,
    Outcome.REMOVAL,
    NOT_DECIDED,
]
_OUTCOME_LABELS = {
    CLOSED_AT_SCREENING: "Closed at screening: nothing the register acts on",
    Outcome.NO_ACTION: "No action, after an investigation",
    Outcome.ADVICE: "Advice",
    Outcome.WARNING: "Warning",
    Outcome.CONDITIONS: "Conditions",
    Outcome.SUSPENSION: "Suspension",
    Outcome.REMOVAL: "Removal",
    NOT_DECIDED: "Not decided yet",
}
_SOURCE_LABELS = {
    Case.Source.PUBLIC: "Members of the public",
    Case.Source.EMPLOYER: "Employers",
    Case.Source.COLLEAGUE: "Colleagues",
}


@dataclass(frozen=True)
class Cell:
    """A count as published: its text is the number, "fewer than 5" or "withheld"."""

    value: int
    text: str

    @property
    def shown(self) -> bool:
        return self.text == str(self.value)


@dataclass(frozen=True)
class Row:
    label: str
    cell: Cell


@dataclass(frozen=True)
class Statistic:
    label: str
    text: str  # "3 working days", or why it is not shown
    shown: bool


@dataclass(frozen=True)
class YearlyReport:
    year: int
    complete: bool  # the year is over; otherwise the report is of the year so far
    made_on: date
    min_count: int
    fewer_than: str
    screening_working_days: int
    received: Cell
    by_category: list[Row]
    by_source: list[Row]
    screening: list[Row]
    screening_statistics: list[Statistic]
    deciding_statistics: list[Statistic]
    outcomes: list[Row]
    interim_suspensions: Cell
    appeals_made: Cell
    appeals_upheld: Cell

    @property
    def period(self) -> str:
        if self.complete:
            return f"the whole of {self.year}"
        return f"{self.year} so far, to {format_day(self.made_on)}"


def report_years(*, today: date | None = None) -> list[int]:
    """The years there is a report for, newest first: from the year the first concern was
    received (or this year, before any was) to this year."""
    today = today or timezone.localdate()
    first = (
        CaseFigures.objects.order_by("received_on").values_list("received_on", flat=True).first()
    )
    first_year = min(first.year, today.year) if first else today.year
    return list(range(today.year, first_year - 1, -1))


def report_latest_year(*, today: date | None = None) -> int:
    """The latest complete year, or this year so far when the register has no complete year
    of concerns behind it yet."""
    today = today or timezone.localdate()
    years = report_years(today=today)
    return years[1] if len(years) > 1 else years[0]


def percentile(values: list[int], share: int) -> int:
    """The nearest-rank percentile: the smallest value that `share` in every 100 are at most."""
    ordered = sorted(values)
    return ordered[math.ceil(share * len(ordered) / 100) - 1]


def _number(value: float) -> str:
    return f"{value:g}" if value == int(value) else f"{value:.1f}"


def _days(value: float, unit: str) -> str:
    singular = _number(value) == "1"
    return f"{_number(value)} {unit if singular else unit + 's'}"


def yearly_report(*, year: int, today: date | None = None) -> YearlyReport:
    """The suppressed figures for concerns received in `year`. Http404 for a year the register
    has no report for (before its first concern, or in the future)."""
    today = today or timezone.localdate()
    if year not in report_years(today=today):
        raise Http404
    minimum = settings.CONCERN_REPORT_MIN_COUNT
    in_time_days = settings.CONCERN_SCREENING_WORKING_DAYS
    rows = list(
        CaseFigures.objects.filter(received_on__year=year).values(
            "category",
            "source",
            "working_days_to_screen",
            "days_to_decide",
            "screened_out",
            "interim_suspension",
            "outcome",
            "appealed",
            "appeal_upheld",
        )
    )

    values: dict[tuple[str, str], int] = {("received", "total"): len(rows)}
    for category in ConcernCategory.values:
        values["category", category] = sum(row["category"] == category for row in rows)
    for source in Case.Source.values:
        values["source", source] = sum(row["source"] == source for row in rows)
    screen_days = [
        row["working_days_to_screen"] for row in rows if row["working_days_to_screen"] is not None
    ]
    values["screening", SCREENED_IN_TIME] = sum(days <= in_time_days for days in screen_days)
    values["screening", SCREENED_LATE] = sum(days > in_time_days for days in screen_days)
    values["screening", NOT_SCREENED] = len(rows) - len(screen_days)
    for outcome in OUTCOME_ROWS:
        values["outcome", outcome] = sum(_outcome_row(row) == outcome for row in rows)
    values["interim", "total"] = sum(row["interim_suspension"] for row in rows)
    values["appeals", "made"] = sum(row["appealed"] for row in rows)
    values["appeals", "upheld"] = sum(row["appeal_upheld"] is True for row in rows)

    total = ("received", "total")
    lines = [
        [*(("category", value) for value in ConcernCategory.values), total],
        [*(("source", value) for value in Case.Source.values), total],
        [
            ("screening", SCREENED_IN_TIME),
            ("screening", SCREENED_LATE),
            ("screening", NOT_SCREENED),
            total,
        ],
        [*(("outcome", value) for value in OUTCOME_ROWS), total],
    ]
    withheld = suppress(values, lines, threshold=minimum)

    def cell(key) -> Cell:
        return Cell(values[key], withheld.get(key, str(values[key])))

    screened_in_time, screened_late = (
        cell(("screening", SCREENED_IN_TIME)),
        cell(("screening", SCREENED_LATE)),
    )
    share = Statistic(
        f"Screened within {in_time_days} working days",
        "Not shown: it would let a count withheld above be worked out.",
        False,
    )
    if screened_in_time.shown and screened_late.shown and screen_days:
        percent = (200 * screened_in_time.value + len(screen_days)) // (2 * len(screen_days))
        share = Statistic(share.label, f"{percent}% of the concerns screened", True)
    decide_days = [row["days_to_decide"] for row in rows if row["days_to_decide"] is not None]

    return YearlyReport(
        year=year,
        complete=year < today.year,
        made_on=today,
        min_count=minimum,
        fewer_than=fewer_than(minimum),
        screening_working_days=in_time_days,
        received=cell(total),
        by_category=[
            Row(label, cell(("category", value))) for value, label in ConcernCategory.choices
        ],
        by_source=[
            Row(_SOURCE_LABELS[value], cell(("source", value))) for value in Case.Source.values
        ],
        screening=[
            Row(f"Screened within {in_time_days} working days", screened_in_time),
            Row(f"Screened after more than {in_time_days} working days", screened_late),
            Row("Not screened yet", cell(("screening", NOT_SCREENED))),
        ],
        screening_statistics=[
            _statistic(
                "Median time to screen",
                screen_days,
                statistics.median,
                "working day",
                minimum,
                "screened",
            ),
            _statistic(
                "Nine in ten were screened within",
                screen_days,
                lambda days: percentile(days, 90),
                "working day",
                minimum,
                "screened",
            ),
            (
                share
                if len(screen_days) >= minimum
                else _too_few(share.label, len(screen_days), minimum, "screened")
            ),
        ],
        deciding_statistics=[
            _statistic(
                "Median time from receiving a concern to the decision",
                decide_days,
                statistics.median,
                "day",
                minimum,
                "decided",
            ),
        ],
        outcomes=[Row(_OUTCOME_LABELS[value], cell(("outcome", value))) for value in OUTCOME_ROWS],
        interim_suspensions=cell(("interim", "total")),
        appeals_made=cell(("appeals", "made")),
        appeals_upheld=cell(("appeals", "upheld")),
    )


def _outcome_row(row: dict) -> str:
    if row["screened_out"]:
        return CLOSED_AT_SCREENING
    return row["outcome"] or NOT_DECIDED


def _too_few(label: str, count: int, minimum: int, done: str) -> Statistic:
    how_many = "no concerns were" if count == 0 else f"{fewer_than(minimum)} concerns were"
    return Statistic(label, f"Not shown: {how_many} {done}.", False)


def _statistic(label, values, measure, unit, minimum, done) -> Statistic:
    # A statistic over a handful of cases could describe one person's case.
    if len(values) < minimum:
        return _too_few(label, len(values), minimum, done)
    return Statistic(label, _days(measure(values), unit), True)
