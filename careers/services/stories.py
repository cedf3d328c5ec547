"""Stories from care: an employer nominates a worker on its staff list, the worker consents in
their own account, and an association approves before anything is public. The worker may
withdraw consent at any time, which takes the story down at once, from the stories pages and
from the employer's kept vacancy pages. Every change is audited as `careers.story.<verb>` in
the transaction that makes it; the person who must act next is emailed once it commits."""

import datetime

from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import Membership, Organisation, User
from accounts.permissions import can, require
from careers.models import Story
from careers.models.stories import ALT_TEXT_MAX_LENGTH, QUOTE_MAX_LENGTH
from careers.story_photos import photo_prepare
from core.audit import audit_log
from core.encryption import file_encrypt, file_key_new
from core.errors import ApplicationError
from core.notifications import email_from_template
from employers.models import StaffMembership
from employers.services.verification import employer_require_verified
from jobs.page_cache import organisation_vacancy_pages_changed
from register.models import RegisterEntry

Status = Story.Status
DECLINE_REASON_MAX_LENGTH = 1000
# Care work as a job began well within living memory of anyone still working.
EARLIEST_YEAR_IN_CARE = 1960


class StoryError(ApplicationError):
    pass


class StoryInvalid(StoryError):
    """Something the employer wrote is missing or does not fit; `problems` maps each field to
    what is wrong with it, for the form to show beside the field."""

    def __init__(self, problems: dict[str, str]):
        self.problems = problems
        super().__init__(" ".join(problems.values()), field=next(iter(problems)))


class StoryStatusError(StoryError):
    pass


def _clean_words(
    *, quote: str, role: str, in_care_since: int | None, photo_alt: str, today: datetime.date
) -> dict:
    quote, role, photo_alt = (quote or "").strip(), (role or "").strip(), (photo_alt or "").strip()
    problems = {}
    if not quote:
        problems["quote"] = "Write the worker's quote."
    elif len(quote) > QUOTE_MAX_LENGTH:
        problems["quote"] = f"Write the quote in {QUOTE_MAX_LENGTH} characters or fewer."
    if not role:
        problems["role"] = "Write the worker's role, such as senior care assistant."
    elif len(role) > 120:
        problems["role"] = "Write the role in 120 characters or fewer."
    if in_care_since is None:
        problems["in_care_since"] = "Enter the year the worker started in care."
    elif not EARLIEST_YEAR_IN_CARE <= in_care_since <= today.year:
        problems["in_care_since"] = (
            f"Enter a year between {EARLIEST_YEAR_IN_CARE} and {today.year}."
        )
    if not photo_alt:
        problems["photo_alt"] = (
            "Describe the photo for people who cannot see it, such as "
            "'Amira smiling in the garden of Sunrise House'."
        )
    elif len(photo_alt) > ALT_TEXT_MAX_LENGTH:
        problems["photo_alt"] = (
            f"Write the description in {ALT_TEXT_MAX_LENGTH} characters or fewer."
        )
    if problems:
        raise StoryInvalid(problems)
    return {"quote": quote, "role": role, "in_care_since": in_care_since, "photo_alt": photo_alt}


def _first_name(full_name: str) -> str:
    # People who read a story need no surname, and a worker is harder to find without it.
    return (full_name or "").split()[0] if (full_name or "").split() else "A care worker"


def story_nominate(
    *,
    organisation: Organisation,
    user: User,
    staff_membership: StaffMembership,
    quote: str,
    role: str,
    in_care_since: int | None,
    photo: UploadedFile,
    photo_alt: str,
) -> Story:
    """An employer's member nominates a worker on its staff list for a story. The worker is
    asked to consent; nothing is shown to anyone else yet."""
    require(user, "story.nominate", organisation)
    employer_require_verified(organisation)
    words = _clean_words(
        quote=quote,
        role=role,
        in_care_since=in_care_since,
        photo_alt=photo_alt,
        today=timezone.localdate(),
    )
    if photo is None:
        raise StoryInvalid({"photo": "Choose a photo of the worker."})
    prepared = photo_prepare(photo)
    story = Story(organisation=organisation, nominated_by=user, **words)
    story.photo_type = prepared.content_type
    story.photo_width, story.photo_height = prepared.width, prepared.height
    story.data_key = file_key_new()
    story.photo.save(
        "photo", ContentFile(file_encrypt(prepared.content, key=story.data_key)), save=False
    )
    try:
        with transaction.atomic():
            membership = (
                StaffMembership.objects.select_for_update()
                .filter(
                    pk=staff_membership.pk,
                    organisation=organisation,
                    status=StaffMembership.Status.ACTIVE,
                )
                .first()
            )
            if membership is None:
                raise StoryInvalid({"worker": "Choose a worker who is on your staff list today."})
            entry = RegisterEntry.objects.select_related("worker").get(pk=membership.entry_id)
            if entry.status not in RegisterEntry.PRACTISING:
                raise StoryInvalid(
                    {"worker": f"{entry.full_name} may not practise now, so has no story here."}
                )
            story.entry = entry
            story.worker = entry.worker
            story.display_name = _first_name(entry.full_name)
            story.save()
            audit_log(
                action="careers.story.nominated",
                actor=user,
                target=story,
                new_status=story.status,
                data={"organisation_id": organisation.pk, "entry_id": entry.pk},
            )
            email_from_template(
                to=[story.worker.email],
                template="careers/story_consent_requested",
                context={
                    "story": story,
                    "path": reverse("careers:my-story", args=[story.reference]),
                },
            )
    except Exception:
        # The row was not stored, so its photo must not stay behind on disk either.
        story.photo.delete(save=False)
        raise
    return story


def _locked(story: Story) -> Story:
    return (
        Story.objects.select_for_update(of=("self",))
        .select_related("organisation")
        .get(pk=story.pk)
    )


def _move(story: Story, to: str, *, verb: str, actor: User, fields: dict, data=None) -> Story:
    if to not in Story.TRANSITIONS[story.status]:
        raise StoryStatusError(_refusal(story, to))
    old = story.status
    story.status = to
    for name, value in fields.items():
        setattr(story, name, value)
    story.save(update_fields=["status", *fields])
    audit_log(
        action=f"careers.story.{verb}",
        actor=actor,
        target=story,
        old_status=old,
        new_status=to,
        data={"organisation_id": story.organisation_id, **(data or {})},
    )
    return story


_NOW = {
    Status.AWAITING_CONSENT: "is waiting for the worker's consent",
    Status.AWAITING_APPROVAL: "is waiting for an association's approval",
    Status.PUBLISHED: "is published",
    Status.CONSENT_REFUSED: "was not consented to",
    Status.DECLINED: "was declined",
    Status.WITHDRAWN: "was withdrawn",
}
_CHANGE = {
    Status.AWAITING_APPROVAL: "consented to",
    Status.PUBLISHED: "approved",
    Status.CONSENT_REFUSED: "refused",
    Status.DECLINED: "declined",
    Status.WITHDRAWN: "withdrawn",
}


def _refusal(story: Story, to: str) -> str:
    return f"This story {_NOW[story.status]}, so it cannot be {_CHANGE[to]} now."


def _employer_emails(organisation_id: int) -> list[str]:
    return list(
        Membership.objects.filter(organisation_id=organisation_id)
        .order_by("user__email")
        .values_list("user__email", flat=True)
    )


def _association_emails() -> list[str]:
    return list(
        Membership.objects.filter(organisation__kind=Organisation.Kind.ASSOCIATION)
        .order_by("user__email")
        .values_list("user__email", flat=True)
        .distinct()
    )


def _email_each(emails: list[str], *, template: str, context: dict) -> None:
    # One email each: members of an organisation do not see each other's addresses.
    for email in emails:
        email_from_template(to=[email], template=template, context=context)


def _tell_employer(story: Story, outcome: str) -> None:
    _email_each(
        _employer_emails(story.organisation_id),
        template="careers/story_outcome",
        context={
            "story": story,
            "outcome": outcome,
            "path": reverse("careers:employer-stories", args=[story.organisation_id]),
        },
    )


def story_consent(*, story: Story, worker: User) -> Story:
    """The worker agrees to their story being published once an association approves it.
    The associations are asked to review it."""
    with transaction.atomic():
        story = _locked(story)
        if not can(worker, "story.consent", story):
            raise PermissionDenied
        story = _move(
            story,
            Status.AWAITING_APPROVAL,
            verb="consented",
            actor=worker,
            fields={"consented_at": timezone.now()},
        )
        _email_each(
            _association_emails(),
            template="careers/story_approval_requested",
            context={
                "story": story,
                "path": reverse("careers:story-review", args=[story.reference]),
            },
        )
    return story


def story_consent_refuse(*, story: Story, worker: User) -> Story:
    """The worker says no: the story is never shown, and the employer is told."""
    with transaction.atomic():
        story = _locked(story)
        if not can(worker, "story.consent", story):
            raise PermissionDenied
        story = _move(
            story,
            Status.CONSENT_REFUSED,
            verb="consent_refused",
            actor=worker,
            fields={"consent_refused_at": timezone.now()},
        )
        _tell_employer(story, f"{story.display_name} chose not to have this story published.")
    return story


def story_consent_withdraw(*, story: Story, worker: User) -> Story:
    """The worker withdraws their consent: the story comes down at once, from the stories
    pages and from every kept page of the employer's vacancies, and stays down."""
    with transaction.atomic():
        story = _locked(story)
        if not can(worker, "story.consent", story):
            raise PermissionDenied
        was_published = story.status == Status.PUBLISHED
        story = _move(
            story,
            Status.WITHDRAWN,
            verb="consent_withdrawn",
            actor=worker,
            fields={"consent_withdrawn_at": timezone.now()},
            data={"was_published": was_published},
        )
        if was_published:
            organisation_vacancy_pages_changed(story.organisation_id)
        _tell_employer(
            story,
            f"{story.display_name} withdrew their consent, so the story is no longer shown "
            "anywhere.",
        )
    return story


def _deciding_association(user: User) -> Organisation:
    membership = (
        Membership.objects.select_related("organisation")
        .filter(user=user, organisation__kind=Organisation.Kind.ASSOCIATION)
        .order_by("organisation__name")
        .first()
    )
    if membership is None:
        raise PermissionDenied
    return membership.organisation


def story_approve(*, story: Story, user: User) -> Story:
    """An association approves a consented story: it is published, on the stories page and
    beside the employer's vacancies. The employer and the worker are told."""
    require(user, "story.review")
    association = _deciding_association(user)
    with transaction.atomic():
        story = _locked(story)
        story = _move(
            story,
            Status.PUBLISHED,
            verb="approved",
            actor=user,
            fields={
                "approved_at": timezone.now(),
                "decided_by": user,
                "decided_by_organisation": association,
            },
            data={"association_id": association.pk},
        )
        organisation_vacancy_pages_changed(story.organisation_id)
        _tell_employer(
            story,
            f"{association.name} approved {story.display_name}'s story. It is published on "
            "the stories page and beside your vacancies.",
        )
        email_from_template(
            to=[story.worker.email],
            template="careers/story_published",
            context={
                "story": story,
                "path": reverse("careers:my-story", args=[story.reference]),
            },
        )
    return story


def story_decline(*, story: Story, user: User, reason: str) -> Story:
    """An association declines a story, saying why; the employer is told the reason."""
    require(user, "story.review")
    reason = (reason or "").strip()
    if not reason:
        raise StoryError("Say why the story is declined. The employer is told.", field="reason")
    if len(reason) > DECLINE_REASON_MAX_LENGTH:
        raise StoryError(
            f"Write the reason in {DECLINE_REASON_MAX_LENGTH:,} characters or fewer.",
            field="reason",
        )
    association = _deciding_association(user)
    with transaction.atomic():
        story = _locked(story)
        story = _move(
            story,
            Status.DECLINED,
            verb="declined",
            actor=user,
            fields={
                "declined_at": timezone.now(),
                "decline_reason": reason,
                "decided_by": user,
                "decided_by_organisation": association,
            },
            data={"association_id": association.pk},
        )
        _tell_employer(story, f"{association.name} declined {story.display_name}'s story: {reason}")
    return story
