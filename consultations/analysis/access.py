"""Who may read a consultation's results, and when there are results to read."""

from django.http import Http404

from accounts.models import User
from accounts.permissions import can
from consultations.models import Answer, Consultation, Theme

Status = Consultation.Status

# Results can be read once nobody can answer any more: reading them while it is open could
# sway the association, and a published count would keep moving.
STATUSES_WITH_RESULTS = {Status.CLOSED, Status.ANALYSING, Status.PUBLISHED}


def consultation_get_for_analysis(*, user: User, pk: int) -> Consultation:
    """A consultation whose results the asking person may read: 404 for anyone outside the
    owning association, so they learn nothing about it."""
    consultation = Consultation.objects.select_related("organisation").filter(pk=pk).first()
    if consultation is None or not can(user, "consultation.analyse", consultation):
        raise Http404("No such consultation.")
    return consultation


def consultation_get_published(*, slug: str) -> Consultation:
    """A consultation whose outcome is public; 404 until it is."""
    consultation = (
        Consultation.objects.select_related("organisation")
        .filter(slug=slug, status=Status.PUBLISHED)
        .first()
    )
    if consultation is None:
        raise Http404("No outcome has been published for this consultation.")
    return consultation


def has_results(consultation: Consultation) -> bool:
    return consultation.effective_status() in STATUSES_WITH_RESULTS


def theme_get_for_analysis(*, user: User, pk: int) -> Theme:
    theme = Theme.objects.select_related("consultation__organisation").filter(pk=pk).first()
    if theme is None or not can(user, "consultation.analyse", theme.consultation):
        raise Http404("No such theme.")
    return theme


def answer_get_for_analysis(*, user: User, pk: int) -> Answer:
    answer = (
        Answer.objects.select_related("question__consultation__organisation").filter(pk=pk).first()
    )
    if answer is None or not can(user, "consultation.analyse", answer.question.consultation):
        raise Http404("No such answer.")
    return answer
