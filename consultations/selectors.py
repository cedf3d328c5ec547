"""Reads that depend on who is asking, and the clock's view of a consultation's status."""

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from consultations.models import Consultation, Page, Question
from register.models import Organisation, User
from register.permissions import can

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
    consultation = (
        Consultation.objects.select_related("organisation")
        .filter(slug=slug)
        .exclude(status=Status.DRAFT)
        .first()
    )
    if consultation is None:
        raise Http404("No such consultation.")
    return consultation


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
