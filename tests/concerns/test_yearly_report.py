"""The yearly report on concerns: figures counted from CaseFigures rows made here, each expected
number worked out again in the test from the same rows; small-number suppression; which years
there are reports for."""

import math
import random
from collections import Counter
from datetime import date, timedelta

import pytest
from django.http import Http404
from django.utils import timezone

from concerns.models import Case, CaseFigures
from concerns.services import cases as case_services
from concerns.services.clock import cases_delete_after_retention
from concerns.yearly_report import (
    CLOSED_AT_SCREENING,
    NOT_DECIDED,
    OUTCOME_ROWS,
    report_latest_year,
    report_years,
    yearly_report,
)
from register.models import ConcernCategory
from tests.concerns.conftest import received_case

pytestmark = pytest.mark.django_db

TODAY = date(2027, 3, 10)
CATEGORIES = ConcernCategory.values
SOURCES = Case.Source.values
DECIDED = ["no_action", "advice", "warning", "conditions", "suspension", "removal"]


def figures(received_on: date, **fields) -> CaseFigures:
    values = {"category": "poor_practice", "source": "public"}
    values.update(fields)
    return CaseFigures.objects.create(received_on=received_on, **values)


def many(count: int, received_on: date = date(2026, 5, 1), **fields) -> list[CaseFigures]:
    return [figures(received_on, **fields) for _ in range(count)]


@pytest.fixture
def no_suppression(settings):
    """A minimum count of 1 withholds nothing, so every figure can be checked exactly."""
    settings.CONCERN_REPORT_MIN_COUNT = 1


def a_year_of_figures(seed: int = 19) -> list[dict]:
    """Sixty cases of every kind received in 2026, as the services would leave their figures."""
    chance = random.Random(seed)
    rows = []
    for number in range(60):
        row = {
            "category": chance.choice(CATEGORIES),
            "source": chance.choice(SOURCES),
            "received_on": date(2026, 1, 1) + timedelta(days=chance.randrange(365)),
        }
        stage = chance.choice(["waiting", "screened_out", "investigating", "decided"])
        if stage != "waiting":
            row["working_days_to_screen"] = chance.randrange(0, 12)
        if stage == "screened_out":
            row.update(screened_out=True, outcome="no_action")
        if stage == "decided":
            row["outcome"] = chance.choice(DECIDED)
            row["days_to_decide"] = chance.randrange(20, 200)
            row["interim_suspension"] = number % 4 == 0
            if row["outcome"] != "no_action" and number % 3 == 0:
                row["appealed"] = True
                row["appeal_upheld"] = number % 2 == 0
        rows.append(row)
    return rows


def test_it_counts_the_concerns_received_by_category_and_by_source(no_suppression):
    rows = a_year_of_figures()
    for row in rows:
        figures(**row)

    report = yearly_report(year=2026, today=TODAY)

    by_category = Counter(row["category"] for row in rows)
    by_source = Counter(row["source"] for row in rows)
    assert report.received.text == "60"
    assert [(row.label, row.cell.text) for row in report.by_category] == [
        (ConcernCategory(value).label, str(by_category[value])) for value in CATEGORIES
    ]
    assert [row.cell.value for row in report.by_source] == [by_source[value] for value in SOURCES]
    assert [row.label for row in report.by_source] == [
        "Members of the public",
        "Employers",
        "Colleagues",
    ]


def test_it_gives_the_times_to_screen_and_the_share_screened_within_five_working_days(
    no_suppression,
):
    rows = a_year_of_figures()
    for row in rows:
        figures(**row)

    report = yearly_report(year=2026, today=TODAY)

    days = sorted(row["working_days_to_screen"] for row in rows if "working_days_to_screen" in row)
    middle = len(days) // 2
    median = days[middle] if len(days) % 2 else (days[middle - 1] + days[middle]) / 2
    # Nearest rank: the first value that at least 90% of the cases are at or below.
    ninetieth = next(value for value in days if 10 * sum(d <= value for d in days) >= 9 * len(days))
    in_time = sum(d <= 5 for d in days)
    share = math.floor(100 * in_time / len(days) + 0.5)
    statistics = {item.label: item.text for item in report.screening_statistics}
    assert statistics == {
        "Median time to screen": f"{median:g} working days",
        "Nine in ten were screened within": f"{ninetieth} working days",
        "Screened within 5 working days": f"{share}% of the concerns screened",
    }
    assert [row.cell.value for row in report.screening] == [
        in_time,
        len(days) - in_time,
        len(rows) - len(days),
    ]


def test_it_gives_the_median_time_to_decide(no_suppression):
    for days in (30, 10, 20, 40):
        figures(date(2026, 2, 1), outcome="advice", days_to_decide=days)
    figures(date(2026, 2, 1))

    report = yearly_report(year=2026, today=TODAY)

    assert [(item.label, item.text) for item in report.deciding_statistics] == [
        ("Median time from receiving a concern to the decision", "25 days")
    ]


def test_it_counts_each_outcome_with_those_closed_at_screening_and_those_not_decided(
    no_suppression,
):
    rows = a_year_of_figures()
    for row in rows:
        figures(**row)

    report = yearly_report(year=2026, today=TODAY)

    expected = Counter(
        CLOSED_AT_SCREENING if row.get("screened_out") else row.get("outcome") or NOT_DECIDED
        for row in rows
    )
    assert [row.cell.value for row in report.outcomes] == [expected[key] for key in OUTCOME_ROWS]
    assert sum(row.cell.value for row in report.outcomes) == 60
    assert [row.label for row in report.outcomes][:2] == [
        "Closed at screening: nothing the register acts on",
        "No action, after an investigation",
    ]


def test_it_counts_interim_suspensions_and_appeals_made_and_upheld(no_suppression):
    rows = a_year_of_figures()
    for row in rows:
        figures(**row)

    report = yearly_report(year=2026, today=TODAY)

    assert report.interim_suspensions.value == sum(
        bool(row.get("interim_suspension")) for row in rows
    )
    assert report.appeals_made.value == sum(bool(row.get("appealed")) for row in rows)
    assert report.appeals_upheld.value == sum(row.get("appeal_upheld") is True for row in rows)
    assert report.appeals_made.value > report.appeals_upheld.value > 0


def test_a_concern_counts_in_the_year_it_was_received(no_suppression):
    figures(date(2025, 12, 31), category="theft")
    figures(date(2026, 1, 1), category="dishonesty")
    figures(date(2026, 12, 31), category="dishonesty")
    figures(date(2027, 1, 1), category="other")

    last_year = yearly_report(year=2025, today=TODAY)
    year = yearly_report(year=2026, today=TODAY)
    this_year = yearly_report(year=2027, today=TODAY)

    assert (last_year.received.value, year.received.value, this_year.received.value) == (1, 2, 1)
    assert {row.label: row.cell.value for row in year.by_category}["Dishonesty"] == 2
    assert {row.label: row.cell.value for row in last_year.by_category}["Theft"] == 1
    assert (last_year.complete, year.complete, this_year.complete) == (True, True, False)
    assert this_year.period == "2027 so far, to 10 March 2027"
    assert year.period == "the whole of 2026"


def test_a_deleted_cases_figures_still_count(subject, registrars, no_suppression):
    case = received_case(subject, category="theft", source="colleague")
    case_services.case_screen(
        case=case,
        registrar=registrars["Sam"],
        risk="low",
        result="no_case",
        reasons="Not about the worker's practice.",
    )
    received_on = timezone.localdate()

    deleted = cases_delete_after_retention(today=received_on + timedelta(days=400))

    assert deleted == 1
    assert not Case.objects.exists()
    report = yearly_report(year=received_on.year, today=received_on)
    assert report.received.value == 1
    assert {row.label: row.cell.value for row in report.by_category}["Theft"] == 1
    assert [row.cell.value for row in report.by_source] == [0, 0, 1]
    assert report.outcomes[0].cell.value == 1  # closed at screening


# Suppression ---------------------------------------------------------------------------------


def test_counts_from_1_to_4_are_shown_as_fewer_than_5_and_zero_as_0():
    many(20, category="poor_practice")
    many(4, category="theft")
    many(1, category="dishonesty")
    many(9, category="other")

    report = yearly_report(year=2026, today=TODAY)

    shown = {row.label: row.cell.text for row in report.by_category}
    assert shown["Theft"] == "fewer than 5"
    assert shown["Dishonesty"] == "fewer than 5"
    assert shown["Health"] == "0"
    assert shown["Abuse or neglect"] == "0"
    assert report.fewer_than == "fewer than 5"


def test_a_lone_small_count_takes_another_with_it_so_the_total_cannot_give_it_away():
    many(20, category="poor_practice")
    many(2, category="theft")
    many(9, category="other")

    report = yearly_report(year=2026, today=TODAY)

    shown = {row.label: row.cell.text for row in report.by_category}
    assert report.received.text == "31"
    assert shown["Theft"] == "fewer than 5"
    # 31 - 20 - 9 would be the theft count if "other" were shown: it is withheld instead.
    assert shown["Other"] == "withheld"
    assert shown["Poor practice"] == "20"


def test_the_minimum_count_comes_from_the_settings(settings):
    settings.CONCERN_REPORT_MIN_COUNT = 10
    many(12, category="poor_practice")
    many(7, category="theft")
    many(11, category="other")

    report = yearly_report(year=2026, today=TODAY)

    shown = {row.label: row.cell.text for row in report.by_category}
    assert shown["Theft"] == "fewer than 10"
    assert report.fewer_than == "fewer than 10"


def _lines(report):
    categories = [row.cell for row in report.by_category]
    sources = [row.cell for row in report.by_source]
    screening = [row.cell for row in report.screening]
    outcomes = [row.cell for row in report.outcomes]
    return [
        [*categories, report.received],
        [*sources, report.received],
        [*screening, report.received],
        [*outcomes, report.received],
    ]


@pytest.mark.parametrize("seed", range(12))
def test_no_withheld_count_can_be_worked_out_from_a_total(seed):
    """In every group of counts that add up to the total (the total included), a group with
    anything withheld has at least two counts withheld, adding up to at least 10, one of them
    5 or more (or has nothing left to withhold): taking the shown counts from the total then
    leaves a range, not a number."""
    chance = random.Random(seed)
    for row in a_year_of_figures(seed)[: chance.randrange(8, 60)]:
        figures(**row)

    report = yearly_report(year=2026, today=TODAY)

    hidden_somewhere = False
    for line in _lines(report):
        hidden = [cell for cell in line if not cell.shown]
        if not hidden:
            continue
        hidden_somewhere = True
        if all(cell.value == 0 for cell in line if cell.shown):
            continue
        assert len(hidden) >= 2
        assert sum(cell.value for cell in hidden) >= 10
        assert any(cell.value >= 5 for cell in hidden)
        assert all(cell.text in {"fewer than 5", "withheld"} for cell in hidden)
        for cell in line:
            assert cell.shown or cell.value > 0, "zero is never withheld"
    assert hidden_somewhere


def test_a_count_of_1_to_4_outside_the_lines_is_still_shown_as_fewer_than_5():
    many(10, interim_suspension=True, appealed=True, appeal_upheld=False)
    many(3, interim_suspension=False, appealed=True, appeal_upheld=True)

    report = yearly_report(year=2026, today=TODAY)

    assert report.interim_suspensions.text == "10"
    assert report.appeals_made.text == "13"
    assert report.appeals_upheld.text == "fewer than 5"


def test_statistics_over_fewer_than_5_concerns_are_not_shown():
    many(4, working_days_to_screen=3, outcome="advice", days_to_decide=40)
    many(1)

    report = yearly_report(year=2026, today=TODAY)

    assert not any(item.shown for item in report.screening_statistics)
    assert report.screening_statistics[0].text == "Not shown: fewer than 5 concerns were screened."
    assert report.deciding_statistics[0].text == "Not shown: fewer than 5 concerns were decided."
    assert "40" not in report.deciding_statistics[0].text


def test_statistics_with_nothing_to_measure_say_so():
    report = yearly_report(year=2027, today=TODAY)

    assert report.received.text == "0"
    assert report.deciding_statistics[0].text == "Not shown: no concerns were decided."


def test_the_share_screened_in_time_is_not_shown_when_the_late_ones_are_withheld():
    many(12, working_days_to_screen=2)
    many(2, working_days_to_screen=9)

    report = yearly_report(year=2026, today=TODAY)

    assert [row.cell.text for row in report.screening] == ["withheld", "fewer than 5", "0"]
    statistics = {item.label: item for item in report.screening_statistics}
    assert statistics["Median time to screen"].text == "2 working days"
    share = statistics["Screened within 5 working days"]
    assert not share.shown
    assert "86%" not in share.text


# Years ---------------------------------------------------------------------------------------


def test_before_any_concern_the_only_report_is_this_year_so_far():
    assert report_years(today=TODAY) == [2027]
    assert report_latest_year(today=TODAY) == 2027


def test_the_latest_report_is_the_last_complete_year_once_there_is_one():
    figures(date(2025, 6, 1))

    assert report_years(today=TODAY) == [2027, 2026, 2025]
    assert report_latest_year(today=TODAY) == 2026


def test_there_is_no_report_for_a_year_before_the_first_concern_or_in_the_future():
    figures(date(2026, 6, 1))

    for year in (2025, 2028):
        with pytest.raises(Http404):
            yearly_report(year=year, today=TODAY)
