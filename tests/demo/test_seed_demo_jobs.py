"""The demo's vacancies: about forty, published, placed on the map, varied in the terms a
search filters on, and seeded once however often `seed_demo` runs."""

import datetime
import xml.etree.ElementTree as ET
from collections import Counter

import pytest
from django.core.management import call_command
from django.utils import timezone

from core.models import AuditEvent
from jobs.geo import within_miles
from jobs.models import Place, ScreeningQuestion, Vacancy
from jobs.pay import vacancy_effective_hourly_rate, vacancy_hourly_rate
from jobs.places import place_find
from jobs.services.findajob import findajob_export

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(capsys):
    call_command("seed_demo")
    capsys.readouterr()
    return Vacancy.objects.select_related("organisation")


def test_the_demo_seeds_about_forty_published_vacancies_a_distance_search_finds(seeded):
    # As the README's "Jobs" section says.
    assert seeded.count() == 42
    assert set(seeded.values_list("status", flat=True)) == {Vacancy.Status.PUBLISHED}
    assert not seeded.filter(latitude__isnull=True).exists()
    assert not seeded.filter(longitude__isnull=True).exists()
    # Placed where their town is: within a few miles of its centre.
    for vacancy in seeded:
        town = place_find(vacancy.town)
        assert abs(vacancy.latitude - town.latitude) < 0.1, vacancy.town
        assert abs(vacancy.longitude - town.longitude) < 0.1, vacancy.town
    leeds = place_find("Leeds")
    near = within_miles(seeded, latitude=leeds.latitude, longitude=leeds.longitude, miles=25)
    towns = {vacancy.town for vacancy in near}
    assert {"Leeds", "Bradford", "Wakefield", "York"} <= towns
    assert "Bristol" not in towns


def test_the_demo_vacancies_spread_over_towns_employers_and_terms(seeded):
    today = timezone.localdate()
    vacancies = list(seeded)

    assert {vacancy.town for vacancy in vacancies} == {
        "Leeds",
        "Bradford",
        "Wakefield",
        "York",
        "Sheffield",
        "Manchester",
        "Lincoln",
        "Derby",
        "Norwich",
        "Ipswich",
        "Bristol",
        "Exeter",
        "Plymouth",
    }
    assert {vacancy.organisation.name for vacancy in vacancies} == {
        "Sunrise Care Homes",
        "Brightpath Home Care",
    }
    assert len(Counter(vacancy.setting for vacancy in vacancies)) >= 5
    assert set(Counter(vacancy.contract for vacancy in vacancies)) == set(Vacancy.Contract.values)
    assert {vacancy.pay_kind for vacancy in vacancies} == set(Vacancy.PayKind.values)
    unpaid_travel = [
        vacancy
        for vacancy in vacancies
        if vacancy_effective_hourly_rate(vacancy) < vacancy_hourly_rate(vacancy)
    ]
    assert len(unpaid_travel) >= 5
    assert any(vacancy.driving_needed for vacancy in vacancies)
    assert any(not vacancy.driving_needed for vacancy in vacancies)
    assert any(vacancy.paid_trial_offered for vacancy in vacancies)
    assert any(
        vacancy.visa_sponsorship == Vacancy.VisaSponsorship.IN_COUNTRY_SWITCH
        for vacancy in vacancies
    )
    assert len({vacancy.typical_hours for vacancy in vacancies}) >= 5
    assert all(
        today + datetime.timedelta(weeks=2)
        <= vacancy.closing_date
        <= today + datetime.timedelta(weeks=8)
        for vacancy in vacancies
    )
    assert len({vacancy.closing_date for vacancy in vacancies}) >= 10
    assert ScreeningQuestion.objects.values("vacancy").distinct().count() == 27


def test_running_the_seed_again_changes_nothing(seeded):
    counts = (
        Vacancy.objects.count(),
        ScreeningQuestion.objects.count(),
        Place.objects.count(),
        AuditEvent.objects.filter(action__startswith="jobs.").count(),
    )
    places = list(Vacancy.objects.order_by("pk").values_list("reference", "latitude"))

    call_command("seed_demo")

    assert (
        Vacancy.objects.count(),
        ScreeningQuestion.objects.count(),
        Place.objects.count(),
        AuditEvent.objects.filter(action__startswith="jobs.").count(),
    ) == counts
    assert list(Vacancy.objects.order_by("pk").values_list("reference", "latitude")) == places


def test_every_demo_vacancy_goes_to_find_a_job(seeded):
    run = findajob_export(today=timezone.localdate())

    root = ET.fromstring(run.adverts_xml)
    assert len(root.findall("Vacancy")) == seeded.count()
    assert all(element.findtext("Location/PostalCode") for element in root.findall("Vacancy"))
