"""Reads that depend on who is asking, and the clock's view of a consultation's status."""

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from accounts.models import Organisation, User
from accounts.permissions import can
from consultations.models import Consultation, Page, Question
from consultations.services.responding import AudienceRefused, audience_check

Status = Consultation.Status


def consultation_effective_status(*, consultation: Consultation, now=None) -> str:
    """The status by the clock: scheduled and past `opens_at` is open; open and at or past
    `closes_at` is closed, whether or not `advance_consultations` has stored it yet."""
    return consultation.effective_status(now)


def consultations_public() -> QuerySet[Consultation]:
    """Every consultation anyone can see: all but drafts."""
    return (
        Consultation.objects.exclude(status=Status.DRAFT)
        .select_related("organisation")
        .order_by("-closes_at", "-id")
    )


def consultations_open(*, now=None) -> list[Consultation]:
    now = now or timezone.now()
    return [
        consultation
        for consultation in consultations_public().filter(
            Q(status=Status.OPEN) | Q(status=Status.SCHEDULED, opens_at__lte=now),
            closes_at__gt=now,
        )
    ]


def consultation_get_public(*, slug: str) -> Consultation:
    """A consultation that is not a draft; 404 otherwise. Its organisation is read when first
    used: answering through the API never needs it."""
    # Every answer submitted starts here. Written as SQL, because building the same query with
    # the ORM cost three times as much CPU as running it (docs/performance.md).
    table = Consultation._meta.db_table
    found = list(
        Consultation.objects.raw(
            f"SELECT * FROM {table} WHERE slug = %s AND status <> %s",  # noqa: S608 - our table
            [slug, Status.DRAFT],
        )
    )
    if not found:
        raise Http404("No such consultation.")
    return found[0]


def associations_managed_by(*, user: User) -> QuerySet[Organisation]:
    if not user.is_authenticated:
        return Organisation.objects.none()
    return Organisation.objects.filter(
        kind=Organisation.Kind.ASSOCIATION, memberships__user=user
    ).order_by("name")


def consultations_managed_by(*, user: User) -> QuerySet[Consultation]:
    return (
        Consultation.objects.filter(organisation__in=associations_managed_by(user=user))
        .select_related("organisation")
        .annotate(response_count=Count("responses"))
        .order_by("-created_at", "-id")
    )


def consultation_get_for_manager(*, user: User, pk: int) -> Consultation:
    """A consultation for one of the asking person's associations; 404 for anyone else, so
    they learn nothing about drafts."""
    consultation = Consultation.objects.select_related("organisation").filter(pk=pk).first()
    if consultation is None or not can(user, "consultation.manage", consultation.organisation):
        raise Http404("No such consultation.")
    return consultation


def page_get_for_manager(*, user: User, pk: int) -> Page:
    page = Page.objects.select_related("consultation__organisation").filter(pk=pk).first()
    if page is None or not can(user, "consultation.manage", page.consultation.organisation):
        raise Http404("No such page.")
    return page


def question_get_for_manager(*, user: User, pk: int) -> Question:
    question = (
        Question.objects.select_related("consultation__organisation", "page").filter(pk=pk).first()
    )
    if question is None or not can(user, "consultation.manage", question.consultation.organisation):
        raise Http404("No such question.")
    return question


def consultation_pages_with_questions(*, consultation: Consultation) -> list[Page]:
    return list(
        consultation.pages.prefetch_related(
            "questions__options", "questions__show_if_options", "questions__show_if_question"
        )
    )


def consultation_visible_to(*, consultation: Consultation, user) -> bool:
    """Whether to show this consultation to this caller where audience-limited ones are
    hidden from everybody outside the audience (the API): one open to anyone always shows;
    a limited one only to those the audience rule lets answer."""
    # The audience rule is written once, in the responding services.
    try:
        audience_check(consultation=consultation, user=user)
    except AudienceRefused:
        return consultation.audience == Consultation.Audience.ANYONE
    return True


def consultations_open_visible_to(*, user, now=None) -> list[Consultation]:
    """The open consultations this caller may see (see consultation_visible_to)."""
    return [
        consultation
        for consultation in consultations_open(now=now)
        if consultation_visible_to(consultation=consultation, user=user)
    ]


def consultation_get_visible(*, slug: str, user) -> Consultation:
    """A consultation that is not a draft and that this caller may see; 404 otherwise, so an
    audience-limited one is not known to exist outside its audience."""
    consultation = consultation_get_public(slug=slug)
    if not consultation_visible_to(consultation=consultation, user=user):
        raise Http404("No such consultation.")
    return consultation


# What `?status=` may ask the consultations API for: a status by the clock, "all" (every one
# that is not a draft), or "draft" (only the caller's own associations' drafts).
LISTED_STATUSES = ("open", "scheduled", "closed", "analysing", "published", "all", "draft")


def consultations_listed_for(*, user, status: str = "open", now=None) -> list[Consultation]:
    """The consultations with this status (by the clock) that this caller may see, for the
    API's list. Drafts only of associations the caller belongs to, never anyone else's; an
    audience-limited consultation only to people in its audience (consultation_visible_to)."""
    if status not in LISTED_STATUSES:
        raise ValueError(f"Unknown status {status!r}.")
    now = now or timezone.now()
    if status == "open":
        return consultations_open_visible_to(user=user, now=now)
    if status == Status.DRAFT:
        return list(
            consultations_managed_by(user=user)
            .filter(status=Status.DRAFT)
            .order_by("-created_at", "-id")
        )
    candidates = consultations_public()
    if status == Status.SCHEDULED:
        candidates = candidates.filter(status=Status.SCHEDULED)
    elif status == Status.CLOSED:
        # Closed by the clock too: still stored as open (or scheduled) past its closing time.
        candidates = candidates.filter(
            Q(status=Status.CLOSED)
            | Q(status__in=[Status.OPEN, Status.SCHEDULED], closes_at__lte=now)
        )
    elif status in {Status.ANALYSING, Status.PUBLISHED}:
        candidates = candidates.filter(status=status)
    return [
        consultation
        for consultation in candidates
        if (status == "all" or consultation.effective_status(now) == status)
        and consultation_visible_to(consultation=consultation, user=user)
    ]
