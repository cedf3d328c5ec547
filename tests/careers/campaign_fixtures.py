"""Fixtures for the campaigns tests: Good Care Month in Leeds, run by the tests' association,
joined by Sunrise Care Homes with a published vacancy in LS1. Import the fixtures a test
module uses."""

import datetime

import pytest
from django.utils import timezone

from careers.services import campaigns
from jobs.models import Vacancy
from tests.factories import VacancyFactory, places_leeds


def details(**overrides) -> campaigns.CampaignDetails:
    today = timezone.localdate()
    arguments = {
        "name": "Good Care Month",
        "starts_on": today,
        "ends_on": today + datetime.timedelta(days=30),
        "area": "Leeds, LS1",
        "message": "Care work in Leeds: come and meet the people who do it.",
        "hashtags": "#GoodCareMonth #CareJobsLeeds",
        **overrides,
    }
    return campaigns.CampaignDetails(**arguments)


def event_details(**overrides) -> campaigns.EventDetails:
    arguments = {
        "title": "Open day at Sunrise House",
        "day": timezone.localdate() + datetime.timedelta(days=7),
        "starts_at": datetime.time(10, 0),
        "ends_at": datetime.time(14, 0),
        "place": "1 High Street, Leeds",
        "postcode": "LS1 4AP",
        "capacity": 2,
        "description": "Meet the team and the people who live here.",
        **overrides,
    }
    return campaigns.EventDetails(**arguments)


@pytest.fixture
def campaign_draft(association, association_admin):
    places_leeds()
    return campaigns.campaign_create(
        organisation=association, user=association_admin, details=details()
    )


@pytest.fixture
def campaign(campaign_draft, association_admin):
    return campaigns.campaign_publish(campaign=campaign_draft, user=association_admin)


@pytest.fixture
def joined(campaign, employer_organisation, employer):
    return campaigns.campaign_join(
        campaign=campaign, organisation=employer_organisation, user=employer
    )


@pytest.fixture
def vacancy(employer_organisation, employer):
    return VacancyFactory(
        organisation=employer_organisation,
        created_by=employer,
        status=Vacancy.Status.PUBLISHED,
    )


@pytest.fixture
def tagged(joined, campaign, vacancy, employer_organisation, employer):
    campaigns.campaign_tags_set(
        campaign=campaign,
        organisation=employer_organisation,
        user=employer,
        vacancy_ids=[vacancy.pk],
        story_ids=[],
    )
    return vacancy


@pytest.fixture
def open_day(joined, campaign, employer_organisation, employer):
    return campaigns.event_create(
        campaign=campaign,
        organisation=employer_organisation,
        user=employer,
        details=event_details(),
    )
