"""The /jobs/ page: open to everyone, a GET form with results, in words at every step."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from jobs.models import Vacancy
from tests.factories import VacancyFactory, places_leeds

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _places():
    places_leeds()


def published(**terms) -> Vacancy:
    return VacancyFactory(status=Vacancy.Status.PUBLISHED, **terms)


@pytest.mark.parametrize(
    "persona", [None, "worker", "employer", "provider", "registrar", "association_admin"]
)
def test_everyone_may_search(client, request, persona):
    if persona:
        client.force_login(request.getfixturevalue(persona))
    published(title="Night carer")

    response = client.get("/jobs/", {"where": "LS1"})

    assert response.status_code == 200
    assert "Night carer" in response.content.decode()


def test_a_result_shows_its_terms_and_links_to_its_page(client):
    vacancy = published(title="Home carer", home_care=True)

    page = client.get("/jobs/", {"where": "Leeds", "miles": "5"}).content.decode()

    assert "1 job within 5 miles of Leeds" in page
    assert f'href="/jobs/{vacancy.reference}/"' in page
    assert vacancy.organisation.name in page
    assert "0.0 miles away" in page
    # The effective rate, said to count the unpaid travel.
    assert "£12.85 an hour, counting unpaid travel" in page
    assert "10 minutes of unpaid travel between visits for every paid hour" in page
    assert "Permanent" in page
    assert "37.5 hours a week, 30 guaranteed" in page
    assert vacancy.closing_date.strftime("%-d %B %Y") in page


def test_annual_pay_is_shown_as_an_hourly_figure(client):
    published(pay_kind=Vacancy.PayKind.ANNUAL, pay_amount=Decimal("28000"))

    page = client.get("/jobs/").content.decode()

    assert "£14.32 an hour (£28,000 a year for 37.5 hours a week)" in page


def test_no_results_suggest_how_to_widen_the_search(client):
    published(title="Cook", driving_needed=True, mileage_pence_per_mile=Decimal("45"))

    response = client.get(
        "/jobs/", {"keyword": "gardener", "where": "LS1", "miles": "5", "no_driving": "on"}
    )
    page = response.content.decode()

    assert response.status_code == 200
    assert "No jobs match your search." in page
    assert "Search within 10 miles" in page
    assert "Remove the filters" in page
    assert "Search without the keywords" in page


def test_a_place_not_found_is_an_error_in_words_and_no_results(client):
    published()

    response = client.get("/jobs/", {"where": "Atlantis"})
    page = response.content.decode()

    assert response.status_code == 400
    assert "There is a problem" in page
    assert "We could not find Atlantis. Try a full postcode or a town name." in page
    assert 'id="results"' not in page


def test_results_come_twenty_a_page_with_links_that_keep_the_search(client):
    for days in range(21):
        published(published_at=timezone.now() - datetime.timedelta(days=days))

    first = client.get("/jobs/", {"where": "LS1", "sort": "newest"}).content.decode()
    second = client.get("/jobs/", {"where": "LS1", "sort": "newest", "page": "2"})

    assert "21 jobs within 10 miles of LS1" in first
    assert "Page 1 of 2" in first
    assert 'href="?where=LS1&amp;miles=10&amp;sort=newest&amp;page=2"' in first
    assert second.content.decode().count('class="card"') == 1


def test_the_page_takes_only_get(client):
    assert client.post("/jobs/").status_code == 405


def test_the_results_offer_an_alert_for_the_same_search(client):
    page = client.get(reverse("jobs:search"), {"keyword": "night", "setting": "home_care"})
    alert = reverse("jobs:alert-new") + "?keyword=night&amp;setting=home_care"
    assert alert in page.content.decode()
