"""The vacancy page cache (jobs/page_cache.py): a repeat visit by the public costs no query, and
a change to the vacancy, its employer's name, its role or the places table shows on the very
next visit; so does its closing at the end of its closing date."""

import datetime

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from jobs import page_cache as vacancy_pages
from jobs.models import Place, Vacancy
from jobs.places import places_load_place_names
from jobs.services.vacancies import vacancy_close, vacancy_publish, vacancy_update
from tests.factories import VacancyFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(employer, employer_organisation):
    vacancy = VacancyFactory(
        organisation=employer_organisation, created_by=employer, title="Night carer"
    )
    return vacancy_publish(vacancy=vacancy, user=employer)


def page_of(vacancy: Vacancy) -> str:
    return reverse("jobs:vacancy", args=[vacancy.reference])


def text_of(client, vacancy: Vacancy) -> str:
    response = client.get(page_of(vacancy))
    assert response.status_code == 200
    return response.content.decode()


def test_a_second_visit_by_the_public_runs_no_query(client, published, django_assert_num_queries):
    first = client.get(page_of(published))

    with django_assert_num_queries(0):
        second = client.get(page_of(published))

    assert first.status_code == second.status_code == 200
    assert second.content == first.content
    assert "Night carer" in second.content.decode()
    assert "application/ld+json" in second.content.decode()


def test_a_changed_vacancy_shows_on_the_next_visit(
    client, published, employer, django_capture_on_commit_callbacks
):
    assert "Night carer" in text_of(client, published)

    with django_capture_on_commit_callbacks(execute=True):
        vacancy_update(vacancy=published, user=employer, data={"title": "Senior night carer"})

    assert "Senior night carer" in text_of(client, published)


def test_a_filled_vacancy_says_so_on_the_next_visit(
    client, published, employer, django_capture_on_commit_callbacks
):
    assert ">Apply</a>" in text_of(client, published)

    with django_capture_on_commit_callbacks(execute=True):
        vacancy_close(vacancy=published, user=employer, outcome=Vacancy.Status.FILLED)

    text = text_of(client, published)
    assert "This vacancy has been filled" in text
    assert ">Apply</a>" not in text


def test_a_withdrawn_vacancy_is_gone_for_the_public_on_the_next_visit(
    client, published, employer, django_capture_on_commit_callbacks
):
    text_of(client, published)

    with django_capture_on_commit_callbacks(execute=True):
        vacancy_close(vacancy=published, user=employer, outcome=Vacancy.Status.WITHDRAWN)

    assert client.get(page_of(published)).status_code == 404


def test_a_renamed_employer_shows_on_its_vacancies(client, published, employer_organisation):
    other = VacancyFactory(organisation=employer_organisation, status=Vacancy.Status.PUBLISHED)
    for vacancy in (published, other):
        assert employer_organisation.name in text_of(client, vacancy)

    employer_organisation.name = "Rowan Tree Care Partnership"
    employer_organisation.save()

    for vacancy in (published, other):
        assert "Rowan Tree Care Partnership" in text_of(client, vacancy)


def test_a_renamed_role_shows_on_every_vacancy(client, published):
    role = published.pathway_role
    assert role.title in text_of(client, published)

    role.title = "Care and support worker (adults)"
    role.save()

    assert "Care and support worker (adults)" in text_of(client, published)


def test_loading_places_changes_every_page(client, published):
    # The JSON-LD names the region of the vacancy's town from the places table.
    text_of(client, published)
    before = vacancy_pages.vacancy_page_get(published.reference)
    assert before.html is not None

    report = places_load_place_names(
        [
            "place23nm,descnm,lat,long,lad23nm,popcnt\n",
            f"{published.town},LOC,53.8,-1.55,Kirkshire,9000000\n",
        ]
    )

    assert sum(report.written.values()) == 1
    assert Place.objects.filter(name=published.town, area="Kirkshire").exists()
    assert vacancy_pages.vacancy_page_get(published.reference).html is None
    assert "Kirkshire" in text_of(client, published)


def test_a_page_rendered_from_data_read_before_a_change_is_never_served(client, published):
    # The race the versions exist for: a visit reads the vacancy, the employer's change
    # commits, and only then does the visit store what it rendered.
    in_flight = vacancy_pages.vacancy_page_get(published.reference)
    old_html = client.get(page_of(published)).content
    cache.delete(vacancy_pages._page_key(published.reference))

    Vacancy.objects.filter(pk=published.pk).update(title="Day carer")
    published.refresh_from_db()
    published.save(update_fields=["title"])
    in_flight.store(old_html)

    assert vacancy_pages.vacancy_page_get(published.reference).html is None
    assert "Day carer" in text_of(client, published)


def test_a_vacancy_closes_at_midnight_after_its_closing_date_even_when_kept(
    client, employer, employer_organisation, clock
):
    today = timezone.localdate()
    clock.set(timezone.make_aware(datetime.datetime.combine(today, datetime.time(23, 30))))
    vacancy = vacancy_publish(
        vacancy=VacancyFactory(
            organisation=employer_organisation, created_by=employer, closing_date=today
        ),
        user=employer,
    )
    assert ">Apply</a>" in text_of(client, vacancy)
    assert vacancy_pages.vacancy_page_get(vacancy.reference).html is not None

    clock.advance(datetime.timedelta(hours=1))

    text = text_of(client, vacancy)
    assert "This vacancy closed" in text
    assert ">Apply</a>" not in text


def test_members_get_their_own_page_never_a_stored_one(
    client, published, employer, django_capture_on_commit_callbacks
):
    Client().get(page_of(published))
    client.force_login(employer)

    text = text_of(client, published)

    assert "Change this vacancy" in text
    assert "Sign out" in text


def test_a_members_preview_of_a_draft_is_never_stored(client, employer, employer_organisation):
    draft = VacancyFactory(organisation=employer_organisation, created_by=employer)
    client.force_login(employer)

    response = client.get(page_of(draft))

    assert response.status_code == 200
    assert "Preview." in response.content.decode()
    assert response["Cache-Control"] == "private, no-store"
    assert cache.get(vacancy_pages._page_key(draft.reference)) is None
    assert Client().get(page_of(draft)).status_code == 404


def test_a_visitor_with_a_session_is_not_served_a_stored_page(client, published, settings):
    Client().get(page_of(published))
    client.cookies[settings.SESSION_COOKIE_NAME] = "a-session"

    with CaptureQueriesContext(connection) as queries:
        response = client.get(page_of(published))

    assert response.status_code == 200
    assert queries.captured_queries, "a stored page would have been served with no query"


def test_unknown_references_are_not_stored(client):
    assert client.get("/jobs/NOSUCHREF1/").status_code == 404
    assert cache.get(vacancy_pages._page_key("NOSUCHREF1")) is None
