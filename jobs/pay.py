"""Pay floors and the hourly rate a vacancy really pays (ADR 0031).

The National Living Wage changes every April, so its rates are rows of `PayFloor`, each in
force from its date until the next one's. A vacancy is checked against the floor in force on
the day it is published.

A vacancy's pay is compared as an hourly rate: an exact rate as it is, a band by its lowest
rate (the one a new starter can count on), annual pay divided by the typical hours of a year.
Home care with unpaid travel between visits counts the travel too: for every paid hour the
worker also gives the unpaid minutes, so the effective rate is rate × 60 / (60 + minutes).
"""

import datetime
from decimal import ROUND_DOWN, Decimal

from core.dates import format_day
from core.errors import ApplicationError
from jobs.models import PayFloor, Vacancy

# The weeks in an average year (365.25 / 7, to two places), as HMRC and the Low Pay
# Commission use to turn annual pay into an hourly rate.
WEEKS_IN_A_YEAR = Decimal("52.14")
PENNY = Decimal("0.01")


class PayFloorMissing(ApplicationError):
    pass


def pay_floor_in_force(day: datetime.date) -> PayFloor:
    """The pay floor in force on `day`: the one with the latest start on or before it."""
    floor = PayFloor.objects.filter(effective_from__lte=day).order_by("-effective_from").first()
    if floor is None:
        raise PayFloorMissing(
            f"No National Living Wage rate is recorded for {format_day(day)}. "
            "Ask the register's team to add it."
        )
    return floor


def pay_floor_on(day: datetime.date) -> Decimal:
    """The lowest hourly rate a vacancy published on `day` may pay."""
    return pay_floor_in_force(day).hourly_rate


def _to_the_penny_below(amount: Decimal) -> Decimal:
    # Rounded down, never up: the rate shown is the one checked, and it never flatters.
    return amount.quantize(PENNY, rounding=ROUND_DOWN)


def vacancy_hourly_rate(vacancy: Vacancy) -> Decimal | None:
    """The hourly rate the vacancy pays before travel is counted (a band's lowest; annual pay
    over the typical hours of a year), or None while the pay or the hours are not given."""
    if vacancy.pay_amount is None:
        return None
    if vacancy.pay_kind in (Vacancy.PayKind.HOURLY, Vacancy.PayKind.HOURLY_BAND):
        return _to_the_penny_below(Decimal(vacancy.pay_amount))
    if vacancy.pay_kind == Vacancy.PayKind.ANNUAL:
        if not vacancy.typical_hours:
            return None
        hours_a_year = Decimal(vacancy.typical_hours) * WEEKS_IN_A_YEAR
        return _to_the_penny_below(Decimal(vacancy.pay_amount) / hours_a_year)
    return None


def vacancy_counts_unpaid_travel(vacancy: Vacancy) -> bool:
    return (
        vacancy.setting == Vacancy.Setting.HOME_CARE
        and vacancy.travel_time_paid is False
        and bool(vacancy.unpaid_travel_minutes_per_hour)
    )


def vacancy_effective_hourly_rate(vacancy: Vacancy) -> Decimal | None:
    """What the vacancy pays for each hour the worker gives: the hourly rate, less the unpaid
    travel between home care visits; None while the pay or the hours are not given."""
    rate = vacancy_hourly_rate(vacancy)
    if rate is None or not vacancy_counts_unpaid_travel(vacancy):
        return rate
    minutes = Decimal(vacancy.unpaid_travel_minutes_per_hour)
    return _to_the_penny_below(rate * 60 / (60 + minutes))
