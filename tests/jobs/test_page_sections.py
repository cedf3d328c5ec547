# ruff: noqa: F811  (pytest fixtures imported from tests/jobs/pipeline_fixtures.py)
"""jobs.signals: an app above jobs adds a section to the public vacancy page and to the
employer's page of one applicant, without jobs importing it."""

import pytest
from django.test import Client
from django.urls import reverse

from jobs import page_cache as vacancy_pages
from jobs.models import Vacancy
from jobs.signals import (
    Section,
    applicant_page_sections_requested,
    vacancy_page_sections_requested,
)
from tests.factories import VacancyFactory
from tests.jobs.pipeline_fixtures import (  # noqa: F401  (fixtures)
    question,
    vacancy,
    wendy_application,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def stories_of_the_employer():
    """A receiver as careers would register: a section naming the vacancy's employer."""
    shown = {"story": "Priya has worked here for six years."}

    def receiver(sender, vacancy, **kwargs):
        return [
            Section(
                "jobs/_section.html",
                {"id": "stories", "heading": "Stories", "paragraphs": [shown["story"]]},
                order=20,
            ),
            Section(
                "jobs/_section.html",
                {"id": "first", "heading": f"About {vacancy.organisation.name}", "paragraphs": []},
                order=10,
            ),
        ]

    vacancy_page_sections_requested.connect(receiver)
    yield shown
    vacancy_page_sections_requested.disconnect(receiver)


def test_the_vacancy_page_shows_the_sections_in_order(stories_of_the_employer):
    vacancy = VacancyFactory(status=Vacancy.Status.PUBLISHED)

    page = Client().get(reverse("jobs:vacancy", args=[vacancy.reference])).content.decode()

    assert f"About {vacancy.organisation.name}" in page
    assert "Priya has worked here for six years." in page
    assert page.index(f"About {vacancy.organisation.name}") < page.index("Priya has worked")


def test_a_kept_page_shows_a_changed_section_once_the_employer_pages_are_bumped(
    stories_of_the_employer,
):
    vacancy = VacancyFactory(status=Vacancy.Status.PUBLISHED)
    url = reverse("jobs:vacancy", args=[vacancy.reference])
    Client().get(url)
    stories_of_the_employer["story"] = "Tom joined last spring."

    vacancy_pages.organisation_vacancy_pages_changed(vacancy.organisation_id)

    assert "Tom joined last spring." in Client().get(url).content.decode()


def test_the_applicant_page_shows_sections_for_the_member_looking(
    client, employer, vacancy, wendy_application
):
    seen = []

    def receiver(sender, application, user, **kwargs):
        seen.append((application.pk, user.pk))
        return [
            Section(
                "jobs/_section.html",
                {"id": "reflections", "heading": "Quiz reflections", "paragraphs": ["Kindness"]},
            )
        ]

    applicant_page_sections_requested.connect(receiver)
    try:
        client.force_login(employer)
        page = client.get(
            reverse(
                "jobs:pipeline-applicant",
                args=[vacancy.reference, wendy_application.reference],
            )
        ).content.decode()
    finally:
        applicant_page_sections_requested.disconnect(receiver)

    assert seen == [(wendy_application.pk, employer.pk)]
    assert '<h2 id="reflections">Quiz reflections</h2>' in page
    assert "<p>Kindness</p>" in page
