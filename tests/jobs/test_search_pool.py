"""VacancyPool (jobs/search.py) searches vacancies already read, in Python, for job alerts: it must
give what vacancy_search gives in SQL, the same vacancies at the same distances in the same
order, or an alert would list jobs the /jobs/ page does not show, or miss some. Held to it on
hundreds of random searches over random vacancies, with the edges written in: distances just
inside and outside each radius, folded names, NULL columns, closing today or yesterday. Run on
SQLite and PostgreSQL."""

import copy
import datetime
import math
import random
from decimal import Decimal

import pytest
from django.utils import timezone

from core.names import name_search_form
from jobs.geo import MILES_PER_DEGREE
from jobs.models import Place, Vacancy
from jobs.search import (
    FLAGS,
    MILES,
    Hours,
    Sort,
    VacancyPool,
    VacancySearchForm,
    vacancy_search,
)
from tests.factories import PathwayRoleFactory, VacancyFactory, place_make, places_leeds

pytestmark = pytest.mark.django_db

LS1 = (53.7969, -1.5470)
TITLES = [
    "Care assistant",
    "Senior carer",
    "Night carer",
    "Home carer for Łukasz",
    "Carer at O'Brien House",
    "Support worker",
    "Cook",
]
WORKPLACES = ["Sunrise House", "O'Brien Court", "Łódź Lodge", "Obrien Care", "The Lukasz Centre"]
KEYWORDS = [
    "",
    "carer",
    "care",
    "lukasz",
    "Łukasz",
    "obrien",
    "O'Brien",
    "o brien",
    "lodz",
    "night carer",
    "senior jobs",
    "home care",
    "house",
    "zzz",
]


def _edges() -> list[tuple[float, float]]:
    """Points just inside and just outside every radius from LS1, north, east and on a
    diagonal, by jobs.geo's own formula: the places a rounding slip would show first."""
    latitude, longitude = LS1
    cosine = math.cos(math.radians(latitude))
    points = []
    for miles in MILES:
        for distance in (miles - 0.02, miles + 0.02, miles - 0.0001, miles + 0.0001):
            points.append((latitude + distance / MILES_PER_DEGREE, longitude))
            points.append((latitude, longitude + distance / (MILES_PER_DEGREE * cosine)))
            points.append((latitude - distance / MILES_PER_DEGREE, longitude))
            step = distance / math.sqrt(2)
            points.append(
                (
                    latitude - step / MILES_PER_DEGREE,
                    longitude - step / (MILES_PER_DEGREE * cosine),
                )
            )
    return points


@pytest.fixture
def vacancies(db):
    """A few hundred vacancies with every column search reads varied at random, written in
    one go from one factory-made vacancy."""
    places_leeds()
    place_make(Place.Kind.TOWN, "york", "York", 53.9576, -1.0827, "England")
    place_make(Place.Kind.DISTRICT, "HG1", "HG1", 53.9908, -1.5373)
    roles = [
        PathwayRoleFactory(),
        PathwayRoleFactory(code="lead-practitioner", title="Lead practitioner"),
    ]
    template = VacancyFactory(status=Vacancy.Status.PUBLISHED, pathway_role=roles[0])
    rng = random.Random(2024)
    now = timezone.now()
    today = timezone.localdate()
    # A few shared moments, so that the newest-first order has ties for the id to settle.
    moments = [now - datetime.timedelta(hours=rng.randrange(1, 72)) for _ in range(40)]
    edges = _edges()
    made = []
    for number in range(400):
        vacancy = copy.copy(template)
        vacancy.pk = vacancy.id = None
        vacancy._state.adding = True
        vacancy.reference = f"P{number:07d}"
        vacancy.title = rng.choice(TITLES)
        vacancy.workplace_name = rng.choice(WORKPLACES)
        vacancy.town = rng.choice(["Leeds", "York", "Otley"])
        vacancy.pathway_role = rng.choice([*roles, None])
        vacancy.setting = rng.choice([*Vacancy.Setting.values, ""])
        vacancy.contract = rng.choice([*Vacancy.Contract.values, ""])
        vacancy.status = rng.choice(
            [Vacancy.Status.PUBLISHED] * 6 + [Vacancy.Status.DRAFT, Vacancy.Status.CLOSED]
        )
        vacancy.closing_date = rng.choice(
            [
                today,
                today - datetime.timedelta(days=1),
                today + datetime.timedelta(days=20),
                today + datetime.timedelta(days=20),
                None,
            ]
        )
        vacancy.published_at = rng.choice([*moments, None] if number % 9 == 0 else moments)
        vacancy.search_hourly_pay = rng.choice(
            [
                None,
                Decimal("12.49"),
                Decimal("12.50"),
                Decimal("13.00"),
                Decimal("14.25"),
                Decimal("16"),
            ]
        )
        vacancy.typical_hours = rng.choice([None, Decimal("20"), Decimal("30"), Decimal("37.5")])
        vacancy.guaranteed_hours = rng.choice([None, Decimal("0"), Decimal("29.5"), Decimal("30")])
        vacancy.driving_needed = rng.choice([None, True, False])
        # Home care with unpaid travel, paid travel, or not said; other settings too.
        vacancy.travel_time_paid = rng.choice([None, True, False])
        vacancy.paid_trial_offered = rng.choice([None, True, False])
        vacancy.visa_sponsorship = rng.choice([*Vacancy.VisaSponsorship.values, ""])
        if number < len(edges):
            vacancy.latitude, vacancy.longitude = edges[number]
        elif number % 17 == 0:
            vacancy.latitude = vacancy.longitude = None
        elif number % 13 == 0:
            vacancy.latitude, vacancy.longitude = LS1  # the same spot: distance ties
        else:
            vacancy.latitude = LS1[0] + rng.uniform(-1.0, 1.0)
            vacancy.longitude = LS1[1] + rng.uniform(-1.4, 1.4)
        parts = [vacancy.title, vacancy.workplace_name, vacancy.town]
        vacancy.search_text = " ".join(name_search_form(part) for part in parts)
        made.append(vacancy)
    Vacancy.objects.bulk_create(made)
    return roles


def _random_search(rng: random.Random, roles) -> dict:
    data = {}
    where = rng.choice(["", "", "LS1", "Leeds", "York", "HG1"])
    if where:
        data["where"] = where
        data["miles"] = str(rng.choice(MILES))
    if keyword := rng.choice(KEYWORDS):
        data["keyword"] = keyword
    if rng.random() < 0.4:
        data["setting"] = rng.choice(Vacancy.Setting.values)
    if rng.random() < 0.2:
        data["role"] = rng.choice(roles).code
    if rng.random() < 0.3:
        data["contract"] = rng.sample(Vacancy.Contract.values, rng.randrange(1, 3))
    if rng.random() < 0.4:
        data["min_pay"] = rng.choice(["12.50", "13", "14.25", "£16.00"])
    if rng.random() < 0.3:
        data["hours"] = rng.choice([value for value, _ in Hours.CHOICES])
    for flag in FLAGS:
        if rng.random() < 0.2:
            data[flag] = "true"
    sorts = [Sort.NEWEST, Sort.PAY, *([Sort.DISTANCE] if where else [])]
    if rng.random() < 0.5:
        data["sort"] = rng.choice(sorts)
    return data


def _criteria(data: dict) -> dict:
    form = VacancySearchForm(data)
    assert form.is_valid(), form.errors
    return form.criteria()


def _answer(vacancies) -> list[tuple[int, float | None]]:
    return [(vacancy.pk, vacancy.distance_miles) for vacancy in vacancies]


def test_the_pool_finds_what_the_database_finds_on_random_searches(vacancies):
    pool = VacancyPool(Vacancy.objects.all())
    rng = random.Random(20)
    found_some = 0
    for _ in range(300):
        criteria = _criteria(_random_search(rng, vacancies))
        in_sql = _answer(vacancy_search(criteria=criteria))
        in_python = _answer(pool.search(criteria))
        # The same floating-point steps give the same numbers, to the last bit.
        assert in_python == in_sql, criteria
        found_some += bool(in_sql)
    assert found_some > 100  # the searches are not all empty, so the test means something


def test_the_pool_keeps_only_what_was_published_after_a_moment(vacancies):
    pool = VacancyPool(Vacancy.objects.all())
    rng = random.Random(21)
    after = timezone.now() - datetime.timedelta(hours=30)
    for _ in range(60):
        criteria = _criteria(_random_search(rng, vacancies))
        assert _answer(pool.search(criteria, published_after=after)) == _answer(
            vacancy_search(criteria=criteria, published_after=after)
        )


def test_each_edge_of_a_radius_falls_on_the_same_side(vacancies):
    pool = VacancyPool(Vacancy.objects.all())
    for miles in MILES:
        criteria = _criteria({"where": "LS1", "miles": str(miles)})
        in_sql = _answer(vacancy_search(criteria=criteria))
        assert _answer(pool.search(criteria)) == in_sql
        # Just inside counts, just outside does not.
        assert any(miles - 0.03 < distance <= miles for _, distance in in_sql)
        assert all(distance <= miles for _, distance in in_sql)


@pytest.mark.parametrize(
    ("keyword", "title"),
    [("lukasz", "Home carer for Łukasz"), ("obrien", "Carer at O'Brien House")],
)
def test_folded_names_are_found_either_way(vacancies, keyword, title):
    pool = VacancyPool(Vacancy.objects.all())
    criteria = _criteria({"keyword": keyword})
    found = pool.search(criteria)
    assert any(vacancy.title == title for vacancy in found)
    assert _answer(found) == _answer(vacancy_search(criteria=criteria))


def test_closed_drafts_and_past_closing_dates_are_not_in_the_pool(vacancies):
    pool = VacancyPool(Vacancy.objects.all())
    today = timezone.localdate()
    assert pool.live
    assert all(
        vacancy.status == Vacancy.Status.PUBLISHED and vacancy.closing_date >= today
        for vacancy in pool.live
    )
    assert any(vacancy.closing_date == today for vacancy in pool.live)


def test_a_pool_read_from_the_database_holds_the_live_vacancies_of_the_span(vacancies):
    now = timezone.now()
    after = now - datetime.timedelta(hours=24)
    pool = VacancyPool.read(published_after=after, published_before=now, most=1000)
    expected = set(
        vacancy_search(criteria=_criteria({}), published_after=after)
        .filter(published_at__lte=now)
        .values_list("pk", flat=True)
    )
    assert len(expected) > 20
    assert {vacancy.pk for vacancy in pool.live} == expected
    assert pool.published_after == after


def test_a_pool_with_too_many_holds_all_the_newest_from_a_later_moment(vacancies):
    """The vacancies share moments: the cut falls between two moments, never inside one."""
    now = timezone.now()
    after = now - datetime.timedelta(hours=24)
    pool = VacancyPool.read(published_after=after, published_before=now, most=20)
    assert after < pool.published_after
    expected = set(
        vacancy_search(criteria=_criteria({}), published_after=pool.published_after)
        .filter(published_at__lte=now)
        .values_list("pk", flat=True)
    )
    assert 0 < len(pool.live) <= 20
    assert {vacancy.pk for vacancy in pool.live} == expected
