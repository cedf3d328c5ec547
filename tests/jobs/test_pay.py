"""The dated table of pay floors, and the hourly rate a vacancy really pays (ADR 0031)."""

import datetime
from decimal import Decimal

import pytest

from jobs.models import PayFloor, Vacancy
from jobs.pay import (
    PayFloorMissing,
    pay_floor_in_force,
    pay_floor_on,
    vacancy_effective_hourly_rate,
    vacancy_hourly_rate,
)
from tests.factories import VacancyFactory, pay_floors_current

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "day, rate",
    [
        (datetime.date(2024, 4, 1), "11.44"),
        (datetime.date(2025, 3, 31), "11.44"),
        (datetime.date(2025, 4, 1), "12.21"),
        (datetime.date(2026, 3, 31), "12.21"),
        (datetime.date(2026, 4, 1), "12.71"),
        (datetime.date(2030, 1, 1), "12.71"),
    ],
)
def test_the_floor_in_force_is_the_latest_rate_started_on_or_before_the_day(day, rate):
    assert pay_floor_on(day) == Decimal(rate)
    assert pay_floor_in_force(day).name == "National Living Wage"


def test_it_says_so_when_no_rate_is_recorded_for_a_day():
    with pytest.raises(
        PayFloorMissing, match="No National Living Wage rate is recorded for 31 March 2024"
    ):
        pay_floor_on(datetime.date(2024, 3, 31))


def test_a_rate_added_for_next_april_takes_over_on_its_day_and_not_before():
    PayFloor.objects.create(effective_from=datetime.date(2027, 4, 1), hourly_rate=Decimal("13.20"))

    assert pay_floor_on(datetime.date(2027, 3, 31)) == Decimal("12.71")
    assert pay_floor_on(datetime.date(2027, 4, 1)) == Decimal("13.20")


def test_the_table_can_be_written_again_from_the_migrations_rows():
    PayFloor.objects.all().delete()

    floors = pay_floors_current()

    assert [(f.effective_from.year, f.hourly_rate) for f in floors] == [
        (2024, Decimal("11.44")),
        (2025, Decimal("12.21")),
        (2026, Decimal("12.71")),
    ]
    assert len(pay_floors_current()) == 3


HOME_CARE = {"setting": Vacancy.Setting.HOME_CARE, "driving_needed": True}


@pytest.mark.parametrize(
    "terms, hourly, effective",
    [
        # Care home: the rate as it is.
        ({"pay_amount": Decimal("13.00")}, "13.00", "13.00"),
        # 15.00 × 60 / 70 = 12.857...: shown and checked as £12.85, never rounded up.
        (
            {
                **HOME_CARE,
                "travel_time_paid": False,
                "unpaid_travel_minutes_per_hour": 10,
                "pay_amount": Decimal("15.00"),
            },
            "15.00",
            "12.85",
        ),
        # 12.71 × 60 / 70 = 10.894...
        (
            {
                **HOME_CARE,
                "travel_time_paid": False,
                "unpaid_travel_minutes_per_hour": 10,
                "pay_amount": Decimal("12.71"),
            },
            "12.71",
            "10.89",
        ),
        # A band counts from its lowest rate: 13.50 × 60 / 75 = 10.80.
        (
            {
                **HOME_CARE,
                "travel_time_paid": False,
                "unpaid_travel_minutes_per_hour": 15,
                "pay_kind": Vacancy.PayKind.HOURLY_BAND,
                "pay_amount": Decimal("13.50"),
                "pay_amount_to": Decimal("15.00"),
            },
            "13.50",
            "10.80",
        ),
        # Paid travel costs the worker nothing.
        ({**HOME_CARE, "travel_time_paid": True, "pay_amount": Decimal("13.50")}, "13.50", "13.50"),
        # Annual pay over 37.5 hours × 52.14 weeks: 25,000 / 1,955.25 = 12.786...
        (
            {
                "pay_kind": Vacancy.PayKind.ANNUAL,
                "pay_amount": Decimal("25000"),
                "typical_hours": Decimal("37.5"),
            },
            "12.78",
            "12.78",
        ),
        # Annual home care pay with 6 unpaid minutes: 12.78 × 60 / 66 = 11.618...
        (
            {
                **HOME_CARE,
                "travel_time_paid": False,
                "unpaid_travel_minutes_per_hour": 6,
                "pay_kind": Vacancy.PayKind.ANNUAL,
                "pay_amount": Decimal("25000"),
                "typical_hours": Decimal("37.5"),
            },
            "12.78",
            "11.61",
        ),
    ],
)
def test_worked_examples_of_the_effective_hourly_rate(terms, hourly, effective):
    vacancy = VacancyFactory.build(**terms)

    assert vacancy_hourly_rate(vacancy) == Decimal(hourly)
    assert vacancy_effective_hourly_rate(vacancy) == Decimal(effective)


@pytest.mark.parametrize(
    "terms",
    [
        {"pay_amount": None},
        {"pay_kind": ""},
        {"pay_kind": Vacancy.PayKind.ANNUAL, "pay_amount": Decimal("25000"), "typical_hours": None},
    ],
)
def test_there_is_no_rate_until_the_pay_and_hours_are_given(terms):
    assert vacancy_effective_hourly_rate(VacancyFactory.build(**terms)) is None
