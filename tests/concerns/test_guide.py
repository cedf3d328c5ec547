"""docs/concerns.md, the guide to how concerns are decided: its time limits are the settings'
(a doc is a claim), its links go to pages that exist, and the page rendered from it has its
headings in order."""

import re
from datetime import date

import pytest
from django.conf import settings
from django.urls import Resolver404, resolve

from concerns.guide import GUIDE_PATH, guide, render
from core.dates import format_day

# What the "Time limits" table says for each setting, worded as the guide words it.
TABLE_ROWS = {
    "Click the link that confirms your email address": lambda: (
        f"within {settings.CONCERN_CONFIRMATION_HOURS} hours"
    ),
    "A registrar screens a new concern": lambda: (
        f"within {settings.CONCERN_SCREENING_WORKING_DAYS} working days of receiving it"
    ),
    "The worker responds to an interim suspension": lambda: (
        f"within {settings.CONCERN_INTERIM_RESPONSE_DAYS} days"
    ),
    "An interim suspension is made for": lambda: (
        f"up to {settings.CONCERN_INTERIM_ORDER_DAYS} days"
    ),
    "The worker responds to the allegation": lambda: (
        f"within {settings.CONCERN_RESPONSE_DAYS} days of being told"
    ),
    "The worker appeals a decision": lambda: (
        f"within {settings.CONCERN_APPEAL_DAYS} days of the decision"
    ),
}
PERIOD = re.compile(r"\b(\d+)\s+(working days?|days?|hours?)\b")


def time_limit_problems(text: str) -> list[str]:
    """Every way the guide's time limits differ from the settings."""
    problems = []
    table = dict(re.findall(r"^\| (.+?) \| (.+?) \|$", text, re.M))
    for label, expected in TABLE_ROWS.items():
        if table.get(label) != expected():
            problems.append(f"Time limits table: {label!r} says {table.get(label)!r}")
    for start, days in settings.CONCERN_NO_ACTION_RETENTION:
        stated = f"closed on or after {format_day(date.fromisoformat(start))} that is {days} days"
        if stated not in " ".join(text.split()):
            problems.append(f"Privacy: the retention period from {start} should read {stated!r}")
    allowed = {
        "working day": {settings.CONCERN_SCREENING_WORKING_DAYS},
        "hour": {settings.CONCERN_CONFIRMATION_HOURS},
        "day": {
            settings.CONCERN_INTERIM_RESPONSE_DAYS,
            settings.CONCERN_INTERIM_ORDER_DAYS,
            settings.CONCERN_RESPONSE_DAYS,
            settings.CONCERN_APPEAL_DAYS,
            *(int(days) for _, days in settings.CONCERN_NO_ACTION_RETENTION),
        },
    }
    for number, unit in PERIOD.findall(text):
        unit = unit.rstrip("s")
        if int(number) not in allowed[unit]:
            problems.append(f"{number} {unit}s is no time limit the settings give")
    return problems


def test_the_time_limits_in_the_guide_are_the_settings():
    assert time_limit_problems(GUIDE_PATH.read_text()) == []


@pytest.mark.parametrize(
    ("setting", "value"),
    [
        ("CONCERN_SCREENING_WORKING_DAYS", 10),
        ("CONCERN_INTERIM_RESPONSE_DAYS", 7),
        ("CONCERN_INTERIM_ORDER_DAYS", 90),
        ("CONCERN_RESPONSE_DAYS", 21),
        ("CONCERN_APPEAL_DAYS", 14),
        ("CONCERN_CONFIRMATION_HOURS", 48),
        ("CONCERN_NO_ACTION_RETENTION", [("2026-01-01", 730)]),
    ],
)
def test_the_check_fails_when_a_setting_and_the_guide_differ(settings, setting, value):
    setattr(settings, setting, value)

    assert time_limit_problems(GUIDE_PATH.read_text()) != []


def test_a_number_of_days_that_is_no_setting_is_found():
    text = GUIDE_PATH.read_text().replace("within 14 days", "within 21 days", 1)

    assert time_limit_problems(text) == ["21 days is no time limit the settings give"]


def test_the_small_numbers_the_guide_says_are_hidden_are_the_reports():
    text = " ".join(GUIDE_PATH.read_text().split())
    smallest = settings.CONCERN_REPORT_MIN_COUNT

    assert set(re.findall(r"fewer than (\d+)", text)) == {str(smallest)}
    assert re.findall(r"a count from 1 to (\d+)", text) == [str(smallest - 1)]
    assert f"add up to at least {2 * smallest} and one of them is {smallest} or more" in text


def test_every_link_in_the_guide_goes_to_a_page_of_the_service():
    links = re.findall(r'href="([^"]+)"', guide().html)

    assert links
    for link in links:
        assert link.startswith("/"), link
        try:
            resolve(link)
        except Resolver404:
            pytest.fail(f"docs/concerns.md links to {link}, which is no page")


def test_the_page_has_one_main_heading_and_never_skips_a_level():
    levels = [int(level) for level in re.findall(r"<h([1-6])\b", guide().html)]

    assert levels[0] == 1
    assert levels.count(1) == 1
    assert all(after - before <= 1 for before, after in zip(levels, levels[1:], strict=False))


def test_tables_say_which_cells_head_their_columns():
    page = render("# Title\n\n| Step | Time |\n| --- | --- |\n| Screen | 5 working days |\n")

    assert page.title == "Title"
    assert '<th scope="col">Step</th>' in page.html
    assert "<td>5 working days</td>" in page.html


def test_the_guide_is_read_once():
    assert guide() is guide()
