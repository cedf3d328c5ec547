# ruff: noqa: F811  (pytest fixtures imported from tests/careers/stories_fixtures.py)
"""Stories from care, the services: nomination from the staff list, the worker's consent,
an association's approval, and consent withdrawn taking the story down at once."""

import io

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse
from PIL import Image

from careers.models import Story
from careers.selectors.stories import stories_published
from careers.services import stories
from careers.story_photos import PHOTO_MAX_SIDE, StoryPhotoInvalid
from core.audit import AuditEvent
from jobs.models import Vacancy
from tests.careers.stories_fixtures import (  # noqa: F401  (fixtures)
    consented,
    gps_exif,
    jpeg_upload,
    nominate,
    published,
    staff_membership,
    story,
)
from tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
    VacancyFactory,
)

pytestmark = pytest.mark.django_db
Status = Story.Status


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    return django_capture_on_commit_callbacks


def _events(story, action):
    return AuditEvent.objects.filter(
        target_type="careers.story", target_id=str(story.pk), action=action
    )


# The state table -------------------------------------------------------------------------------


def test_the_state_table_lets_publication_follow_only_consent():
    reachable_from_consent = Story.TRANSITIONS[Status.AWAITING_CONSENT]
    assert Status.PUBLISHED not in reachable_from_consent
    assert Status.PUBLISHED in Story.TRANSITIONS[Status.AWAITING_APPROVAL]
    for final in Story.FINAL:
        assert Story.TRANSITIONS[final] == set()
    assert set(Story.TRANSITIONS) == set(Status)


def test_the_database_refuses_a_published_story_without_consent_and_approval(story):
    with pytest.raises(IntegrityError), transaction.atomic():
        Story.objects.filter(pk=story.pk).update(status=Status.PUBLISHED)


# Nomination ------------------------------------------------------------------------------------


def test_an_employer_nominates_a_worker_on_its_staff_list_and_the_worker_is_asked(
    employer, employer_organisation, staff_membership, worker, entry, committed
):
    with committed(execute=True):
        story = nominate(employer_organisation, employer, staff_membership, quote="  Kind work. ")

    assert story.status == Status.AWAITING_CONSENT
    assert story.worker == worker and story.entry == entry
    assert story.quote == "Kind work."
    assert story.display_name == entry.full_name.split()[0]
    assert not story.is_published
    assert [message.to for message in mail.outbox] == [[worker.email]]
    assert f"/careers/my-stories/{story.reference}/" in mail.outbox[0].body
    event = _events(story, "careers.story.nominated").get()
    assert event.actor_id == employer.pk and event.new_status == Status.AWAITING_CONSENT


def test_a_worker_not_on_the_staff_list_cannot_be_nominated(
    employer, employer_organisation, staff_membership
):
    staff_membership.status = "removed"
    staff_membership.save(update_fields=["status"])

    with pytest.raises(stories.StoryInvalid) as refused:
        nominate(employer_organisation, employer, staff_membership)

    assert "staff list" in refused.value.problems["worker"]
    assert not Story.objects.exists()


def test_another_employer_cannot_nominate_from_a_staff_list_not_its_own(staff_membership):
    other = OrganisationFactory(name="Elsewhere Care", kind="employer")
    boss = MembershipFactory(organisation=other, role="owner").user

    with pytest.raises(stories.StoryInvalid):
        nominate(other, boss, staff_membership)
    with pytest.raises(PermissionDenied):
        nominate(staff_membership.organisation, boss, staff_membership)


def test_an_unverified_employer_cannot_nominate(employer, employer_organisation, staff_membership):
    employer_organisation.employer_verification.delete()

    with pytest.raises(stories.ApplicationError, match="not verified"):
        nominate(employer_organisation, employer, staff_membership)


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"quote": " "}, "quote"),
        ({"quote": "x" * 601}, "quote"),
        ({"role": ""}, "role"),
        ({"in_care_since": None}, "in_care_since"),
        ({"in_care_since": 1900}, "in_care_since"),
        ({"photo_alt": "  "}, "photo_alt"),
    ],
)
def test_what_a_story_needs_is_checked(
    employer, employer_organisation, staff_membership, overrides, field
):
    with pytest.raises(stories.StoryInvalid) as refused:
        nominate(employer_organisation, employer, staff_membership, **overrides)

    assert field in refused.value.problems


# The photo -------------------------------------------------------------------------------------


def test_the_stored_photo_has_no_exif_and_no_gps(employer, employer_organisation, staff_membership):
    upload = jpeg_upload(exif=gps_exif())
    with Image.open(io.BytesIO(upload.read())) as original:
        assert original.getexif().get_ifd(0x8825)  # the test's photo does say where it was
    upload.seek(0)

    story = nominate(employer_organisation, employer, staff_membership, photo=upload)

    stored = story.read_photo()
    with Image.open(io.BytesIO(stored)) as image:
        assert image.format == "JPEG"
        assert dict(image.getexif()) == {}
        assert not image.getexif().get_ifd(0x8825)
        assert "exif" not in image.info
    assert b"Wendy Worker" not in stored and b"PhoneMaker" not in stored
    # On disk it is encrypted: not even a JPEG's first bytes.
    with story.photo.open("rb") as on_disk:
        assert not on_disk.read().startswith(b"\xff\xd8")


def test_the_photo_is_resized_to_at_most_1200_pixels_on_its_long_side(
    employer, employer_organisation, staff_membership
):
    story = nominate(
        employer_organisation, employer, staff_membership, photo=jpeg_upload(size=(3000, 1000))
    )

    with Image.open(io.BytesIO(story.read_photo())) as image:
        assert image.size == (PHOTO_MAX_SIDE, 400)
    assert (story.photo_width, story.photo_height) == (PHOTO_MAX_SIDE, 400)


def test_a_png_with_transparency_stays_a_png_without_its_text(
    employer, employer_organisation, staff_membership
):
    from PIL import PngImagePlugin

    buffer = io.BytesIO()
    info = PngImagePlugin.PngInfo()
    info.add_text("Author", "Wendy Worker")
    Image.new("RGBA", (100, 80), (0, 0, 0, 0)).save(buffer, format="PNG", pnginfo=info)
    upload = SimpleUploadedFile("w.png", buffer.getvalue(), content_type="image/png")

    story = nominate(employer_organisation, employer, staff_membership, photo=upload)

    assert story.photo_type == "image/png"
    assert b"Wendy Worker" not in story.read_photo()


@pytest.mark.parametrize(
    "content",
    [
        b"%PDF-1.4 not a photo at all",
        b"\xff\xd8\xff\xe0" + b"\x00" * 200,  # a JPEG's first bytes, then nothing
        b"GIF89a" + b"\x00" * 50,
    ],
)
def test_anything_but_a_photo_is_refused_with_a_clear_message(
    employer, employer_organisation, staff_membership, content
):
    upload = SimpleUploadedFile("photo.jpg", content, content_type="image/jpeg")

    with pytest.raises(StoryPhotoInvalid, match="must be a photo"):
        nominate(employer_organisation, employer, staff_membership, photo=upload)
    assert not Story.objects.exists()


# Consent, approval and publication -------------------------------------------------------------


def test_consent_asks_the_associations_and_publishes_nothing(
    story, worker, association_admin, committed
):
    with committed(execute=True):
        story = stories.story_consent(story=story, worker=worker)

    assert story.status == Status.AWAITING_APPROVAL and story.consented_at
    assert not stories_published().exists()
    assert [message.to for message in mail.outbox][-1] == [association_admin.email]
    assert f"/careers/stories/review/{story.reference}/" in mail.outbox[-1].body
    assert _events(story, "careers.story.consented").get().actor_id == worker.pk


def test_only_the_worker_consents(story, employer, registered_worker):
    for someone in (employer, registered_worker):
        with pytest.raises(PermissionDenied):
            stories.story_consent(story=story, worker=someone)
    story.refresh_from_db()
    assert story.status == Status.AWAITING_CONSENT


def test_an_association_cannot_approve_a_story_before_the_worker_consents(story, association_admin):
    with pytest.raises(stories.StoryStatusError, match="waiting for the worker's consent"):
        stories.story_approve(story=story, user=association_admin)
    assert not stories_published().exists()


def test_approval_publishes_and_tells_the_employer_and_the_worker(
    consented, association_admin, association, employer, employer_member, worker, committed
):
    mail.outbox.clear()
    with committed(execute=True):
        story = stories.story_approve(story=consented, user=association_admin)

    assert story.status == Status.PUBLISHED and story.is_published
    assert story.decided_by_organisation == association
    assert list(stories_published()) == [story]
    assert sorted(message.to[0] for message in mail.outbox) == sorted(
        [employer.email, employer_member.email, worker.email]
    )
    event = _events(story, "careers.story.approved").get()
    assert (event.old_status, event.new_status) == (Status.AWAITING_APPROVAL, Status.PUBLISHED)


def test_only_an_association_approves(consented, employer, registrar):
    for someone in (employer, registrar):
        with pytest.raises(PermissionDenied):
            stories.story_approve(story=consented, user=someone)


def test_an_association_declines_with_a_reason_the_employer_is_told(
    consented, association_admin, employer, committed
):
    with pytest.raises(stories.StoryError, match="Say why"):
        stories.story_decline(story=consented, user=association_admin, reason=" ")
    mail.outbox.clear()

    with committed(execute=True):
        story = stories.story_decline(
            story=consented, user=association_admin, reason="It names a resident."
        )

    assert story.status == Status.DECLINED and story.decline_reason == "It names a resident."
    assert not stories_published().exists()
    assert any("It names a resident." in message.body for message in mail.outbox)
    assert _events(story, "careers.story.declined").exists()
    with pytest.raises(stories.StoryStatusError):
        stories.story_approve(story=story, user=association_admin)


def test_a_worker_who_refuses_consent_is_never_published(story, worker, association_admin):
    story = stories.story_consent_refuse(story=story, worker=worker)

    assert story.status == Status.CONSENT_REFUSED
    with pytest.raises(stories.StoryStatusError):
        stories.story_consent(story=story, worker=worker)
    with pytest.raises(stories.StoryStatusError):
        stories.story_approve(story=story, user=association_admin)
    assert _events(story, "careers.story.consent_refused").exists()


# Withdrawal ------------------------------------------------------------------------------------


def test_withdrawing_consent_takes_a_published_story_down_at_once(
    published, worker, employer, employer_organisation, committed
):
    vacancy = VacancyFactory(
        organisation=employer_organisation, created_by=employer, status=Vacancy.Status.PUBLISHED
    )
    public = Client()
    vacancy_url = reverse("jobs:vacancy", args=[vacancy.reference])
    photo_url = reverse("careers:story-photo", args=[published.reference])
    # The vacancy page is kept rendered for the public: it shows the story before.
    assert published.quote in public.get(vacancy_url).content.decode()
    assert public.get(photo_url).status_code == 200

    with committed(execute=True):
        story = stories.story_consent_withdraw(story=published, worker=worker)

    assert story.status == Status.WITHDRAWN and story.consent_withdrawn_at
    assert not stories_published().exists()
    assert published.quote not in public.get(vacancy_url).content.decode()
    assert public.get(photo_url).status_code == 404
    assert public.get(reverse("careers:story", args=[story.reference])).status_code == 404
    assert published.quote not in public.get(reverse("careers:stories")).content.decode()
    assert any("withdrew their consent" in message.body for message in mail.outbox)
    event = _events(story, "careers.story.consent_withdrawn").get()
    assert event.data["was_published"] is True


def test_consent_can_be_withdrawn_while_waiting_for_approval_and_it_is_never_published(
    consented, worker, association_admin
):
    stories.story_consent_withdraw(story=consented, worker=worker)

    with pytest.raises(stories.StoryStatusError):
        stories.story_approve(story=consented, user=association_admin)


def test_withdrawn_is_final(published, worker):
    stories.story_consent_withdraw(story=published, worker=worker)

    with pytest.raises(stories.StoryStatusError, match="was withdrawn"):
        stories.story_consent_withdraw(story=published, worker=worker)
    with pytest.raises(stories.StoryStatusError):
        stories.story_consent(story=published, worker=worker)


def test_an_association_member_not_an_owner_may_also_review(consented):
    association = OrganisationFactory(name="Home Care Voices", kind="association")
    member = MembershipFactory(organisation=association, role="member").user

    assert stories.story_approve(story=consented, user=member).is_published


def test_nobody_else_can_review(consented):
    nobody = UserFactory(email="nobody@example.org")

    with pytest.raises(PermissionDenied):
        stories.story_decline(story=consented, user=nobody, reason="No.")
