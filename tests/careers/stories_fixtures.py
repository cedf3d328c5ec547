"""Fixtures for the stories tests: Wendy (worker) on Sunrise Care Homes' staff list, added
with her share code as the staff list's own service does, and photos made with Pillow. Import
the fixtures a test module uses."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from careers.services import stories
from employers.services import sharecodes, staff


def jpeg_upload(*, size=(1600, 1200), exif=None, name="wendy.jpg") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    image = Image.new("RGB", size, (20, 120, 110))
    image.save(buffer, format="JPEG", **({"exif": exif} if exif is not None else {}))
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def gps_exif() -> Image.Exif:
    """EXIF that says where a photo was taken (Leeds) and whose camera took it."""
    exif = Image.Exif()
    exif[0x013B] = "Wendy Worker"  # Artist
    exif[0x010F] = "PhoneMaker"  # Make
    gps = exif.get_ifd(0x8825)
    gps[1] = "N"  # GPSLatitudeRef
    gps[2] = (53.0, 48.0, 0.0)  # GPSLatitude
    gps[3] = "W"  # GPSLongitudeRef
    gps[4] = (1.0, 33.0, 0.0)  # GPSLongitude
    return exif


@pytest.fixture
def staff_membership(employer, employer_organisation, worker, entry):
    share_code, code = sharecodes.share_code_create(
        worker=worker, entry=entry, shares_identity_checks=False
    )
    check = sharecodes.share_code_check(
        organisation=employer_organisation,
        user=employer,
        code=sharecodes.share_code_format(code),
        date_of_birth=entry.application.date_of_birth,
    ).check
    return staff.staff_add(organisation=employer_organisation, user=employer, check=check)


def nominate(organisation, user, membership, **overrides):
    arguments = {
        "quote": "I love the people I care for.",
        "role": "Care assistant",
        "in_care_since": 2019,
        "photo": jpeg_upload(),
        "photo_alt": "Wendy smiling in the garden",
        **overrides,
    }
    return stories.story_nominate(
        organisation=organisation, user=user, staff_membership=membership, **arguments
    )


@pytest.fixture
def story(employer, employer_organisation, staff_membership):
    """Wendy's story, nominated by Sunrise and waiting for her consent."""
    return nominate(employer_organisation, employer, staff_membership)


@pytest.fixture
def consented(story, worker):
    return stories.story_consent(story=story, worker=worker)


@pytest.fixture
def published(consented, association_admin):
    return stories.story_approve(story=consented, user=association_admin)
