"""The demo's stories from care, as the README's "Stories from care" section says."""

import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from PIL import Image

from careers.models import Story
from jobs.models import Vacancy

README = Path(__file__).resolve().parents[2] / "README.md"


@pytest.fixture
def seeded(db):
    call_command("seed_demo")


def test_the_demo_publishes_two_stories_and_one_waits_for_amira(seeded):
    section = README.read_text().split("### Stories from care", 1)[1].split("\n### ", 1)[0]
    assert "publishes 2 stories" in section

    published = Story.objects.published()
    assert sorted(story.worker.email for story in published) == [
        "renewing@example.com",
        "worker@example.com",
    ]
    assert {story.organisation.name for story in published} == {"Sunrise Care Homes"}
    waiting = Story.objects.get(status=Story.Status.AWAITING_CONSENT)
    assert waiting.worker.email == "worker@example.com"
    assert waiting.organisation.name == "Brightpath Home Care"

    public = Client()
    page = public.get(reverse("careers:stories")).content.decode()
    assert all(story.quote[:40] in page for story in published)
    photo = public.get(reverse("careers:story-photo", args=[published[0].reference]))
    with Image.open(io.BytesIO(b"".join(photo.streaming_content))) as image:
        assert image.format == "JPEG"
    vacancy = Vacancy.objects.filter(
        organisation__name="Sunrise Care Homes", status=Vacancy.Status.PUBLISHED
    ).first()
    vacancy_page = public.get(reverse("jobs:vacancy", args=[vacancy.reference])).content.decode()
    assert "Stories from people who work at Sunrise Care Homes" in vacancy_page


def test_seeding_again_adds_no_story(seeded):
    count = Story.objects.count()

    call_command("seed_demo")

    assert Story.objects.count() == count == 3
