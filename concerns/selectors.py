"""Reads of cases that depend on who asks. Each raises Http404 for a case the caller may not
see, so that nobody learns from the answer that a case exists."""

from django.conf import settings
from django.db.models import Count, Prefetch
from django.http import Http404
from django.utils import timezone

from accounts.permissions import can, require
from concerns.models import Appeal, Case, Decision, Document, InterimOrder


def case_for_registrar(*, user, reference: str) -> Case:
    """A case as a registrar sees it: received (to screen) or one they have a part in."""
    case = (
        Case.objects.select_related("entry__worker", "screened_by")
        .filter(reference=reference)
        .exclude(status=Case.Status.UNCONFIRMED)
        .first()
    )
    if case is None or not can(user, "case.view", case):
        raise Http404
    return case


def case_for_worker(*, user, reference: str) -> Case:
    """A case about the signed-in worker, once they have been told of it."""
    case = Case.objects.select_related("entry").filter(reference=reference).first()
    if case is None or not can(user, "case.worker_view", case):
        raise Http404
    return case


def cases_for_worker(*, user):
    """Every case the worker has been told of, newest first."""
    return (
        Case.objects.filter(entry__worker=user, worker_told_at__isnull=False)
        .select_related("entry")
        .order_by("-worker_told_at")
    )


def document_for(*, user, reference: str, pk: int) -> Document:
    """A case's document for a registrar with a part in the case, or for the worker when it
    is shared with them. Never the raiser's identity: documents the raiser gave are shared
    only when a registrar chooses to."""
    document = (
        Document.objects.select_related("case__entry")
        .filter(pk=pk, case__reference=reference)
        .first()
    )
    if document is None:
        raise Http404
    case = document.case
    if can(user, "case.view", case):
        return document
    if document.shared_with_worker and can(user, "case.worker_view", case):
        return document
    raise Http404


def case_queue(*, user):
    """Open cases for registrars: the screening queue first, overdue at the top. Cases about
    the registrar themselves, or raised by them, are left out. Each comes with its panel,
    decisions, interim suspensions and how many responses the worker gave, which say what its
    next step is and who may take it; what the concern says, and who raised it, is left
    encrypted in the database, since the queue shows only the summary line."""
    require(user, "concern.queue")
    return (
        Case.objects.filter(status__in=Case.OPEN)
        .exclude(entry__worker=user)
        .exclude(raiser_user=user)
        .defer(*QUEUE_LEAVES_OUT)
        .select_related("entry")
        .annotate(response_count=Count("responses"))
        .prefetch_related(
            "participants",
            Prefetch(
                "decisions",
                queryset=Decision.objects.select_related("proposed_by").only(
                    "case_id", "on_appeal", "status", "outcome", "upheld", "proposed_by"
                ),
            ),
            Prefetch(
                "interim_orders",
                queryset=InterimOrder.objects.only(
                    "case_id", "imposed_by_id", "ended_at", "reviewed_at", "imposed_at"
                ),
            ),
            Prefetch("appeal", queryset=Appeal.objects.only("case_id", "lodged_at")),
        )
        .order_by("status", "screening_due", "received_at")
    )


# The encrypted words of a case, which the queue's summary line never shows.
QUEUE_LEAVES_OUT = (
    "named_worker",
    "named_workplace",
    "what_happened",
    "when_happened",
    "raiser_name",
    "raiser_email",
    "raiser_phone",
    "screening_reasons",
    "allegation",
)


def case_for_panel(*, user, reference: str) -> Case:
    """A case a registrar may ask to join the decision or appeal panel of, from the queue's
    summary line, before they have a part in it: one that is not about them or raised by them.
    The service says whether they may join."""
    case = (
        Case.objects.select_related("entry__worker")
        .filter(reference=reference, status__in=[Case.Status.INVESTIGATING, Case.Status.APPEALED])
        .first()
    )
    if case is None or not can(user, "case.act", case):
        raise Http404
    return case


def screening_counts(*, user) -> dict[str, int]:
    """How many cases wait to be screened, and how many of those are overdue, for the
    registrar's home page."""
    waiting = case_queue(user=user).filter(status=Case.Status.RECEIVED)
    return {
        "to_screen": waiting.count(),
        "overdue": waiting.filter(screening_due__lt=timezone.localdate()).count(),
        "screening_days": settings.CONCERN_SCREENING_WORKING_DAYS,
    }
