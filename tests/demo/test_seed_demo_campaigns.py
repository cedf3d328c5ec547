"""The demo's campaign, as the README's "Careers: Good Care Month" section says."""

from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from careers.models import Campaign, CampaignEvent
from careers.selectors.campaigns import campaign_stories, campaign_vacancies

README = Path(__file__).resolve().parents[2] / "README.md"


@pytest.fixture
def seeded(db):
    call_command("seed_demo")


def test_the_demo_runs_good_care_month_in_leeds_with_sunrise_joined(seeded):
    section = README.read_text().split("### Careers: Good Care Month", 1)[1].split("\n### ", 1)[0]
    assert '"Good Care Month, January 2027"' in section and "its 2 published" in section

    campaign = Campaign.objects.get()
    assert campaign.name == "Good Care Month, January 2027"
    assert campaign.status == Campaign.Status.PUBLISHED
    assert [place.name for place in campaign.places.all()] == ["Leeds"]
    assert campaign.organisation.name == "Care Workers' Association"
    assert [member.organisation.name for member in campaign.members.all()] == ["Sunrise Care Homes"]
    vacancies = list(campaign_vacancies(campaign))
    assert vacancies and all(vacancy.town == "Leeds" for vacancy in vacancies)
    assert campaign_stories(campaign).count() == 2
    event = CampaignEvent.objects.get(campaign=campaign)
    assert event.title == "Open day at Sunrise House"

    page = Client().get(reverse("careers:campaign", args=[campaign.code])).content.decode()
    assert event.title in page and vacancies[0].title in page


def test_seeding_again_adds_no_campaign(seeded):
    call_command("seed_demo")

    assert Campaign.objects.count() == 1
