"""Reads of stories, each for whoever asks: the public sees only published stories; the worker
sees the stories about them; the employer's members see the stories it nominated; association
members see the stories waiting for approval. Anyone else gets Http404, so that nobody learns
a story exists."""

from django.db.models import QuerySet
from django.http import Http404

from accounts.models import Organisation, User
from accounts.permissions import can, require
from careers.models import Story
from employers.models import StaffMembership

# How many of an employer's stories its vacancy page shows: enough to give a feel of the
# place, few enough to keep the advert first.
VACANCY_PAGE_STORIES = 3


def stories_published() -> QuerySet[Story]:
    """Every published story, the newest first, with its employer."""
    return Story.objects.published().select_related("organisation").order_by("-approved_at", "-id")


def stories_published_of_organisation(*, organisation_id: int) -> QuerySet[Story]:
    """An employer's published stories, the newest first: for its vacancy pages, and for the
    campaigns part (issue 21, part 4), which tags only these to a campaign."""
    return stories_published().filter(organisation_id=organisation_id)


def story_published_get(*, reference: str) -> Story:
    story = stories_published().filter(reference=reference).first()
    if story is None:
        raise Http404("No such story.")
    return story


def story_for_photo(*, user: User | None, reference: str) -> Story:
    """The story whose photo is asked for: a published one for anyone; otherwise only for the
    worker it is about, the employer's members, and association members while it waits for
    their approval."""
    story = Story.objects.select_related("organisation").filter(reference=reference).first()
    if story is None:
        raise Http404("No such photo.")
    if story.is_published:
        return story
    if user is not None and (
        can(user, "story.consent", story)
        or can(user, "story.manage", story)
        or (story.status == Story.Status.AWAITING_APPROVAL and can(user, "story.review"))
    ):
        return story
    raise Http404("No such photo.")


def stories_about_worker(*, user: User) -> QuerySet[Story]:
    """The stories about a worker, those waiting for them first."""
    return (
        Story.objects.filter(worker=user)
        .select_related("organisation")
        .order_by("-nominated_at", "-id")
    )


def story_about_worker_get(*, user: User, reference: str) -> Story:
    story = Story.objects.select_related("organisation").filter(reference=reference).first()
    if story is None or not can(user, "story.consent", story):
        raise Http404("No such story.")
    return story


def _employer(user: User, org_id: int) -> Organisation:
    organisation = Organisation.objects.filter(pk=org_id).first()
    if organisation is None or not can(user, "story.nominate", organisation):
        raise Http404("No such organisation.")
    return organisation


def employer_stories(*, user: User, org_id: int) -> tuple[Organisation, QuerySet[Story]]:
    """An employer and the stories it nominated, the newest first."""
    organisation = _employer(user, org_id)
    return organisation, Story.objects.filter(organisation=organisation).order_by(
        "-nominated_at", "-id"
    )


def employer_for_nomination(
    *, user: User, org_id: int
) -> tuple[Organisation, QuerySet[StaffMembership]]:
    """An employer and the workers on its staff list it may nominate."""
    organisation = _employer(user, org_id)
    staff = (
        StaffMembership.objects.filter(
            organisation=organisation, status=StaffMembership.Status.ACTIVE
        )
        .select_related("entry")
        .order_by("entry__full_name", "pk")
    )
    return organisation, staff


def stories_awaiting_approval(*, user: User) -> QuerySet[Story]:
    """The consented stories waiting for an association, the longest waiting first."""
    require(user, "story.review")
    return (
        Story.objects.filter(status=Story.Status.AWAITING_APPROVAL)
        .select_related("organisation")
        .order_by("consented_at", "id")
    )


def story_to_review(*, user: User, reference: str) -> Story:
    """A story for an association member to approve or decline; only while it waits."""
    if not can(user, "story.review"):
        raise Http404("No such story.")
    story = (
        Story.objects.select_related("organisation")
        .filter(reference=reference, status=Story.Status.AWAITING_APPROVAL)
        .first()
    )
    if story is None:
        raise Http404("No such story.")
    return story
