# ruff: noqa: F811  (pytest fixtures imported from tests/careers/stories_fixtures.py)
"""A story from care on a 360-pixel phone: the employer nominates Wendy from its staff list
with a photo that says where it was taken; Wendy reads it in her account and consents; an
association approves it; the public sees it on the stories page and beside the employer's
vacancy; then Wendy withdraws her consent and it is gone from both, photo and all. axe-core
checks every page, and every page fits the screen."""

import io
import re

import pytest
from django.urls import reverse
from PIL import Image

from careers.models import Story
from jobs.models import Vacancy
from tests.careers.stories_fixtures import gps_exif, staff_membership  # noqa: F401
from tests.e2e.accessibility import assert_accessible, assert_fits_width
from tests.e2e.conftest import sign_in
from tests.factories import VacancyFactory

QUOTE = "Every shift I get to make someone's day a little better."


def _checked(page) -> None:
    assert_accessible(page)
    assert_fits_width(page, 360)


def _photo() -> dict:
    buffer = io.BytesIO()
    Image.new("RGB", (2000, 1500), (20, 120, 110)).save(buffer, format="JPEG", exif=gps_exif())
    return {"name": "wendy.jpg", "mimeType": "image/jpeg", "buffer": buffer.getvalue()}


def _photo_shown(page) -> bool:
    """The page's first story photo loaded and decoded (the browser shows it)."""
    page.wait_for_load_state("load")
    return page.locator("img.story-photo").first.evaluate(
        "image => image.decode().then(() => image.naturalWidth > 0, () => false)"
    )


@pytest.mark.django_db(transaction=True)
def test_a_story_goes_from_nomination_to_consent_approval_and_publication_then_is_withdrawn(
    new_page, worker, entry, employer, employer_organisation, association_admin, staff_membership
):
    vacancy = VacancyFactory(
        organisation=employer_organisation,
        created_by=employer,
        status=Vacancy.Status.PUBLISHED,
        title="Care assistant",
    )
    vacancy_url = reverse("jobs:vacancy", args=[vacancy.reference])

    # The employer nominates Wendy.
    boss = new_page("employer", phone=True)
    sign_in(boss, employer)
    boss.goto(reverse("careers:employer-stories", args=[employer_organisation.pk]))
    _checked(boss)
    boss.get_by_role("link", name="Nominate a worker for a story").click()
    _checked(boss)
    boss.get_by_label("Which worker's story is it?").select_option(label=entry.full_name)
    boss.get_by_label("Their quote").fill(QUOTE)
    boss.get_by_label("Their role").fill("Senior care assistant")
    boss.get_by_label("The year they started working in care").fill("2014")
    boss.get_by_label("A photo of them").set_input_files(_photo())
    boss.get_by_label("Describe the photo").fill("Wendy laughing in the garden")
    boss.get_by_role("button", name="Ask the worker to consent").click()
    boss.wait_for_url(re.compile(r"/careers/employer/\d+/stories/$"))
    assert "Waiting for the worker's consent" in boss.locator("main").inner_text()
    _checked(boss)
    story = Story.objects.get()
    with Image.open(io.BytesIO(story.read_photo())) as stored:
        assert not stored.getexif() and max(stored.size) == 1200

    # Nothing is public yet.
    public = new_page("public", phone=True)
    public.goto(reverse("careers:stories"))
    assert QUOTE not in public.locator("main").inner_text()
    _checked(public)

    # Wendy reads it in her account and consents.
    wendy = new_page("worker", phone=True)
    sign_in(wendy, worker)
    wendy.goto(reverse("careers:my-stories"))
    _checked(wendy)
    wendy.get_by_role("link", name=re.compile(employer_organisation.name)).click()
    assert QUOTE in wendy.locator("main").inner_text()
    assert _photo_shown(wendy)
    _checked(wendy)
    wendy.get_by_role("button", name="I consent to this story being published").click()
    wendy.get_by_text("An association will check your story").wait_for()
    _checked(wendy)

    # An association approves it.
    association = new_page("association", phone=True)
    sign_in(association, association_admin)
    association.goto(reverse("careers:story-reviews"))
    _checked(association)
    association.get_by_role("link", name=re.compile("Senior care assistant")).click()
    assert _photo_shown(association)
    _checked(association)
    association.get_by_role("button", name="Approve and publish").click()
    association.get_by_text("story is published").wait_for()
    _checked(association)

    # The public sees it on the stories page, its own page and beside the vacancy.
    public.goto(reverse("careers:stories"))
    assert QUOTE in public.locator("main").inner_text()
    assert _photo_shown(public)
    assert public.get_by_role("img", name="Wendy laughing in the garden").is_visible()
    _checked(public)
    public.get_by_role("link", name=re.compile("Read .*'s story")).click()
    assert QUOTE in public.locator("main").inner_text()
    _checked(public)
    public.goto(vacancy_url)
    assert QUOTE in public.locator("main").inner_text()
    _checked(public)

    # Wendy withdraws her consent: it is gone at once.
    wendy.goto(reverse("careers:my-story", args=[story.reference]))
    wendy.get_by_role("button", name="Withdraw my consent").click()
    wendy.get_by_text("Your story is no longer shown anywhere").wait_for()
    _checked(wendy)

    public.goto(vacancy_url)
    assert QUOTE not in public.locator("main").inner_text()
    public.goto(reverse("careers:stories"))
    assert QUOTE not in public.locator("main").inner_text()
    assert "There are no stories yet." in public.locator("main").inner_text()
    photo = public.request.get(reverse("careers:story-photo", args=[story.reference]))
    assert photo.status == 404
    page = public.request.get(reverse("careers:story", args=[story.reference]))
    assert page.status == 404
