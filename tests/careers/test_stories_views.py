# ruff: noqa: F811  (pytest fixtures imported from tests/careers/stories_fixtures.py)
"""Stories from care, the pages: who may open each (an access table per role), the photo
view's access at every status, and the forms through to the services."""

import io

import pytest
from django.test import Client
from django.urls import reverse
from PIL import Image

from careers.models import Story
from careers.services import stories
from tests.careers.stories_fixtures import (  # noqa: F401  (fixtures)
    consented,
    gps_exif,
    jpeg_upload,
    nominate,
    published,
    staff_membership,
    story,
)

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "worker", "employer", "employer_member", "association_admin", "outsider"]


@pytest.fixture
def as_role(request):
    def client_for(role):
        client = Client()
        if role != "anonymous":
            client.force_login(request.getfixturevalue(role))
        return client

    return client_for


# The access table: for each page, what each role gets, in ROLES order.
PAGES = {
    "careers:stories": ("", "200 200 200 200 200 200"),
    "careers:story-reviews": ("", "302 403 403 403 200 403"),
    "careers:my-stories": ("", "302 200 200 200 200 200"),
    "careers:my-story": ("story", "302 200 404 404 404 404"),
    "careers:story-review": ("consented", "302 404 404 404 200 404"),
    "careers:employer-stories": ("org", "302 404 200 200 404 404"),
    "careers:story-nominate": ("org", "302 404 200 200 404 404"),
}


@pytest.mark.parametrize("name", sorted(PAGES))
def test_each_page_answers_each_role_as_the_table_says(
    name, as_role, consented, employer_organisation
):
    kind, expected = PAGES[name]
    args = {"": [], "story": [consented.reference], "consented": [consented.reference]}.get(
        kind, [employer_organisation.pk]
    )
    url = reverse(name, args=args)

    got = " ".join(str(as_role(role).get(url).status_code) for role in ROLES)

    assert got == expected


# The photo, at each status: who may see it.
PHOTO = {
    Story.Status.AWAITING_CONSENT: "404 200 200 200 404 404",
    Story.Status.AWAITING_APPROVAL: "404 200 200 200 200 404",
    Story.Status.PUBLISHED: "200 200 200 200 200 200",
    Story.Status.WITHDRAWN: "404 200 200 200 404 404",
    Story.Status.DECLINED: "404 200 200 200 404 404",
}


@pytest.mark.parametrize("status", sorted(PHOTO))
def test_the_photo_is_public_only_while_published(
    status, as_role, story, worker, association_admin
):
    if status != Story.Status.AWAITING_CONSENT:
        story = stories.story_consent(story=story, worker=worker)
    if status in (Story.Status.PUBLISHED, Story.Status.WITHDRAWN):
        story = stories.story_approve(story=story, user=association_admin)
    if status == Story.Status.WITHDRAWN:
        story = stories.story_consent_withdraw(story=story, worker=worker)
    if status == Story.Status.DECLINED:
        story = stories.story_decline(story=story, user=association_admin, reason="No.")
    url = reverse("careers:story-photo", args=[story.reference])

    got = " ".join(str(as_role(role).get(url).status_code) for role in ROLES)

    assert got == PHOTO[status]


def test_the_photo_is_served_as_an_image_that_no_cache_may_keep_without_asking(published):
    response = Client().get(reverse("careers:story-photo", args=[published.reference]))

    assert response["Content-Type"] == "image/jpeg"
    assert response["Cache-Control"] == "public, no-cache"
    assert response["X-Content-Type-Options"] == "nosniff"
    with Image.open(io.BytesIO(b"".join(response.streaming_content))) as image:
        assert image.format == "JPEG" and not image.getexif()


def test_a_published_story_shows_on_the_stories_page_its_own_page_and_beside_vacancies(
    published,
):
    page = Client().get(reverse("careers:stories")).content.decode()
    assert published.quote in page and 'alt="Wendy smiling in the garden"' in page

    own = Client().get(reverse("careers:story", args=[published.reference])).content.decode()
    assert published.quote in own and published.organisation.name in own


def test_an_unpublished_story_has_no_public_page(consented):
    assert Client().get(reverse("careers:story", args=[consented.reference])).status_code == 404
    assert consented.quote not in Client().get(reverse("careers:stories")).content.decode()


def test_the_employer_nominates_through_the_form(
    employer, employer_organisation, staff_membership, worker
):
    client = Client()
    client.force_login(employer)
    url = reverse("careers:story-nominate", args=[employer_organisation.pk])

    response = client.post(
        url,
        {
            "worker": staff_membership.pk,
            "quote": "Every day I make someone's day better.",
            "role": "Senior care assistant",
            "in_care_since": "2012",
            "photo": jpeg_upload(exif=gps_exif()),
            "photo_alt": "Wendy in the lounge",
        },
    )

    assert response.status_code == 302
    story = Story.objects.get()
    assert story.worker == worker and story.role == "Senior care assistant"


def test_the_form_says_what_is_wrong_with_a_photo_that_is_not_one(
    employer, employer_organisation, staff_membership
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = Client()
    client.force_login(employer)

    response = client.post(
        reverse("careers:story-nominate", args=[employer_organisation.pk]),
        {
            "worker": staff_membership.pk,
            "quote": "Words.",
            "role": "Carer",
            "in_care_since": "2012",
            "photo": SimpleUploadedFile("x.jpg", b"<script>", content_type="image/jpeg"),
            "photo_alt": "A photo",
        },
    )

    assert response.status_code == 400
    assert "must be a photo" in response.content.decode()
    assert not Story.objects.exists()


def test_the_worker_consents_then_withdraws_from_their_page(story, worker, association_admin):
    client = Client()
    client.force_login(worker)

    client.post(reverse("careers:my-story-consent", args=[story.reference]))
    story.refresh_from_db()
    assert story.status == Story.Status.AWAITING_APPROVAL
    stories.story_approve(story=story, user=association_admin)

    client.post(reverse("careers:my-story-withdraw", args=[story.reference]))
    story.refresh_from_db()
    assert story.status == Story.Status.WITHDRAWN


def test_someone_else_cannot_answer_for_the_worker(story, employer):
    client = Client()
    client.force_login(employer)

    response = client.post(reverse("careers:my-story-consent", args=[story.reference]))

    assert response.status_code == 404
    story.refresh_from_db()
    assert story.status == Story.Status.AWAITING_CONSENT


def test_the_association_declines_with_a_reason_through_the_form(consented, association_admin):
    client = Client()
    client.force_login(association_admin)
    url = reverse("careers:story-decline", args=[consented.reference])

    assert client.post(url, {"reason": ""}).status_code == 400
    assert client.post(url, {"reason": "It names a resident."}).status_code == 302
    consented.refresh_from_db()
    assert consented.status == Story.Status.DECLINED


def test_the_association_approves_through_the_form(consented, association_admin):
    client = Client()
    client.force_login(association_admin)

    client.post(reverse("careers:story-approve", args=[consented.reference]))

    consented.refresh_from_db()
    assert consented.is_published
