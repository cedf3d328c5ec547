"""Demo stories from care for `manage.py seed_demo`: Amira and Rosa join Sunrise Care Homes'
staff list (with their share codes, as a worker's consent works), Sunrise nominates both,
they consent and the Care Workers' Association approves, so two stories are published on
/careers/stories/ and beside Sunrise's vacancies; Brightpath Home Care's nomination of Amira
waits for her consent in her account. The photos are drawn with Pillow at seed time, so no
picture of a real person, and no binary file, is in the repository. Made through the services,
as the people would. Safe to run again: a story already seeded is left as it is."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw

from accounts.models import Organisation, User
from careers.models import Story
from careers.services import stories
from employers.models import StaffMembership
from employers.services import sharecodes, staff

AMIRA, ROSA = "worker@example.com", "renewing@example.com"
SUNRISE, BRIGHTPATH = "Sunrise Care Homes", "Brightpath Home Care"
OWNERS = {SUNRISE: "employer@example.com", BRIGHTPATH: "homecare@example.com"}

# worker, employer, role, in care since, quote, colours of the drawing, publish?
_DEMO_STORIES = [
    (
        ROSA,
        SUNRISE,
        "Senior care assistant",
        2009,
        "I started doing nights to fit round my children. Fifteen years on, I still love the "
        "quiet hours: a cup of tea with someone who can't sleep is sometimes the best part of "
        "their week, and of mine.",
        ((0, 94, 95), (255, 191, 71)),
        True,
    ),
    (
        AMIRA,
        SUNRISE,
        "Care assistant",
        2021,
        "I came from working in a shop. The training was good and nobody expected me to know "
        "everything on day one. What keeps me here is knowing each person: how they take their "
        "tea, which song makes them smile.",
        ((29, 79, 145), (204, 226, 216)),
        True,
    ),
    (
        AMIRA,
        BRIGHTPATH,
        "Home carer",
        2021,
        "Home care means you are a guest in someone's house. You learn to slow down, listen, "
        "and let people do as much for themselves as they want to.",
        ((110, 54, 25), (252, 214, 195)),
        False,
    ),
]


def demo_photo(colours: tuple, *, name: str) -> SimpleUploadedFile:
    """A drawing standing in for a photo: a sky, a sun and a hill, in the story's colours."""
    dark, light = colours
    image = Image.new("RGB", (900, 600), light)
    draw = ImageDraw.Draw(image)
    draw.ellipse((600, 80, 760, 240), fill=(255, 221, 87))
    draw.ellipse((-200, 380, 1100, 1000), fill=dark)
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=85)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def _on_staff_list(organisation: Organisation, owner: User, worker: User) -> StaffMembership:
    entry = worker.register_entry
    membership = StaffMembership.objects.filter(
        organisation=organisation, entry=entry, status=StaffMembership.Status.ACTIVE
    ).first()
    if membership is not None:
        return membership
    _, code = sharecodes.share_code_create(
        worker=worker, entry=entry, shares_identity_checks=False, label=f"For {organisation.name}"
    )
    check = sharecodes.share_code_check(
        organisation=organisation,
        user=owner,
        code=sharecodes.share_code_format(code),
        date_of_birth=entry.application.date_of_birth,
    ).check
    return staff.staff_add(organisation=organisation, user=owner, check=check)


def seed_demo_stories() -> int:
    """The demo's stories; how many were added."""
    association_admin = User.objects.get(email="association@example.com")
    added = 0
    for email, employer, role, since, quote, colours, publish in _DEMO_STORIES:
        worker = User.objects.get(email=email)
        organisation = Organisation.objects.get(name=employer)
        if Story.objects.filter(organisation=organisation, worker=worker, quote=quote).exists():
            continue
        owner = User.objects.get(email=OWNERS[employer])
        story = stories.story_nominate(
            organisation=organisation,
            user=owner,
            staff_membership=_on_staff_list(organisation, owner, worker),
            quote=quote,
            role=role,
            in_care_since=since,
            photo=demo_photo(colours, name="story.jpg"),
            photo_alt=(
                "A drawing of a sun over a hill, standing in for a photo of "
                f"{worker.full_name.split()[0]}"
            ),
        )
        added += 1
        if publish:
            story = stories.story_consent(story=story, worker=worker)
            stories.story_approve(story=story, user=association_admin)
    return added
