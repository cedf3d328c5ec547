"""Dates and times: for people, as GOV.UK writes them, and for machines, as ISO 8601.

People read "7 December 2026" and "14:30 on 7 December 2026", in UK time (the TIME_ZONE
setting), in every page, email, PDF and message; templates use the same functions through the
`dates` template library (core/templatetags/dates.py). Month names are spelled out here rather
than taken from strftime("%B"), which follows the process's locale, or from Django's
translations, which follow the active language: the register writes English whatever the
server is set to.
"""

import functools
from datetime import UTC, date, datetime, timedelta

import holidays
from django.utils import timezone

MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
# Where space is short, in tables: GOV.UK allows abbreviated months there.
SHORT_MONTHS = tuple(month[:3] for month in MONTHS)


def uk_time(moment: datetime) -> datetime:
    """`moment` in UK time. A naive time would be shown as if it were UK time, silently wrong
    by an hour in summer: it is refused rather than guessed."""
    if timezone.is_naive(moment):
        raise ValueError("A time shown to people must be timezone-aware")
    return timezone.localtime(moment)


def format_day(day: date, *, short: bool = False) -> str:
    """ "7 December 2026", or "7 Dec 2026" with `short`. A datetime gives its day in UK time."""
    if isinstance(day, datetime):
        day = uk_time(day).date()
    month = (SHORT_MONTHS if short else MONTHS)[day.month - 1]
    return f"{day.day} {month} {day.year}"


def format_clock(moment: datetime, *, seconds: bool = False) -> str:
    """ "14:30" (or "14:30:05" with `seconds`), in UK time."""
    local = uk_time(moment)
    return f"{local:%H:%M:%S}" if seconds else f"{local:%H:%M}"


def format_moment(moment: datetime, *, short: bool = False, seconds: bool = False) -> str:
    """ "14:30 on 7 December 2026", in UK time; `short` and `seconds` as for format_day and
    format_clock."""
    local = uk_time(moment)
    return f"{format_clock(local, seconds=seconds)} on {format_day(local.date(), short=short)}"


def format_utc_timestamp(moment: datetime) -> str:
    """For machines: an ISO 8601 (XML Schema dateTimeStamp) time in UTC to the second, such as
    "2026-12-07T14:30:00Z", as the W3C Verifiable Credentials examples write them."""
    if timezone.is_naive(moment):
        raise ValueError("A timestamp must be timezone-aware")
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@functools.cache
def _bank_holidays_in_england(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year))


def is_working_day(day: date) -> bool:
    """Monday to Friday and not a bank holiday in England."""
    return day.weekday() < 5 and day not in _bank_holidays_in_england(day.year)


def add_working_days(start: date, days: int) -> date:
    """The day `days` working days after `start` (a deadline of "within 5 working days" of a
    concern received on `start`): weekends and England's bank holidays are not counted."""
    day = start
    counted = 0
    while counted < days:
        day += timedelta(days=1)
        if is_working_day(day):
            counted += 1
    return day


def working_days_between(start: date, end: date) -> int:
    """How many working days after `start`, up to and including `end`: add_working_days(start,
    n) is the first day for which this is n."""
    days = 0
    day = start
    while day < end:
        day += timedelta(days=1)
        if is_working_day(day):
            days += 1
    return days
