"""Reads of cases that depend on who asks. Each raises Http404 for a case the caller may not
see, so that nobody learns from the answer that a case exists."""

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.db import models
from django.http import Http404
from django.utils import timezone

from accounts.models import Organisation
from accounts.permissions import can, require
from concerns.documents import without_metadata
from concerns.models import Appeal, Case, Decision, Document, InterimOrder
from concerns.rules import StaffWorker
from core.audit import audit_log
from register.models import RegisterEntry


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
    case = (
        Case.objects.select_related("entry", "raiser_organisation")
        .filter(reference=reference)
        .first()
    )
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
        .annotate(response_count=models.Count("responses"))
        .prefetch_related(
            "participants",
            models.Prefetch(
                "decisions",
                queryset=Decision.objects.select_related("proposed_by").only(
                    "case_id", "on_appeal", "status", "outcome", "upheld", "proposed_by"
                ),
            ),
            models.Prefetch(
                "interim_orders",
                queryset=InterimOrder.objects.only(
                    "case_id", "imposed_by_id", "ended_at", "reviewed_at", "imposed_at"
                ),
            ),
            models.Prefetch("appeal", queryset=Appeal.objects.only("case_id", "lodged_at")),
        )
        # Statuses sort as words ("appeal_window" before "received"): rank the screening
        # queue first by hand.
        .order_by(
            models.Case(models.When(status=Case.Status.RECEIVED, then=0), default=1),
            "screening_due",
            "received_at",
        )
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


def staff_worker_for_employer(*, user, organisation_pk: int, entry_pk: int) -> StaffWorker:
    """A worker the user's employer may raise a concern about from its staff list (the rule
    "concern.raise_as_employer", in the employers app); to anyone else it does not exist."""
    organisation = Organisation.objects.filter(pk=organisation_pk).first()
    entry = RegisterEntry.objects.filter(pk=entry_pk).first()
    if organisation is None or entry is None:
        raise Http404
    about = StaffWorker(organisation=organisation, entry=entry)
    if not can(user, "concern.raise_as_employer", about):
        raise Http404
    return about


# The worker's view of a case -----------------------------------------------------------------


@dataclass(frozen=True)
class Deadline:
    """Something the worker may still do on a case, and the last day to do it."""

    action: str  # completes "You have until <due> to …"
    due: date
    anchor: str  # the part of the case page where they do it


def case_deadlines_for_worker(case: Case) -> list[Deadline]:
    """What the worker can still do on an open case and by when, soonest first: respond to the
    allegation, respond to an interim suspension, appeal a decision. A date that has passed, or
    an answer already given, is not a deadline any more."""
    today = timezone.localdate()
    deadlines = []
    if (
        case.status == Case.Status.INVESTIGATING
        and case.response_due is not None
        and case.response_due >= today
        and not case.responses.exists()
    ):
        deadlines.append(Deadline("respond to the concern", case.response_due, "respond"))
    for order in case.interim_orders.filter(ended_at__isnull=True, responded_at__isnull=True):
        if order.response_due >= today:
            deadlines.append(
                Deadline("respond to your interim suspension", order.response_due, "interim")
            )
    if (
        case.status == Case.Status.APPEAL_WINDOW
        and case.appeal_due is not None
        and case.appeal_due >= today
    ):
        deadlines.append(Deadline("appeal against the decision", case.appeal_due, "appeal"))
    return sorted(deadlines, key=lambda deadline: deadline.due)


_RELATIONSHIP = {
    Case.Source.PUBLIC: "a member of the public",
    Case.Source.EMPLOYER: "an employer",
    Case.Source.COLLEAGUE: "a colleague",
}


def raiser_as_the_worker_sees_it(case: Case) -> str:
    """Who raised the concern, in the words the worker reads: the raiser's name only when they
    agreed to the worker knowing it (docs/concerns.md, "Who sees a case")."""
    if case.anonymous:
        return "This concern was raised anonymously."
    if case.identity_withheld or not case.raiser_name:
        return "The person who raised this asked not to be named."
    relationship = _RELATIONSHIP[case.source]
    if case.source == Case.Source.EMPLOYER and case.raiser_organisation_id:
        relationship = f"for {case.raiser_organisation.name}, an employer"
    return f"Raised by {case.raiser_name}, {relationship}."


def _raiser_hidden_from(user, document: Document) -> bool:
    """A raiser's document, seen by someone (the worker) to whom the raiser is not named."""
    case = document.case
    return (
        document.given_by == Document.From.RAISER
        and (case.anonymous or case.identity_withheld)
        and not can(user, "case.view", case)
    )


def document_name_for(*, user, document: Document) -> str:
    """The file name a person is shown. The worker never sees the name the raiser gave a file
    when the raiser is not named to them: a name like "statement of J Smith.pdf" says who."""
    if not _raiser_hidden_from(user, document):
        return document.original_name
    extension = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}
    return f"evidence-{document.pk}.{extension.get(document.content_type, 'bin')}"


def document_content_for(*, user, document: Document) -> bytes:
    """The file as a person is given it. The worker gets a raiser's file, when the raiser is
    not named to them, without its metadata: a PDF's author or a photo's EXIF can say who took
    it, and where (DocumentUnreadable when that cannot be done). A registrar's opening of a
    case's evidence is itself recorded in the audit log."""
    if can(user, "case.view", document.case):
        audit_log(
            action="concerns.document.viewed",
            actor=user,
            target=document.case,
            data={"document_id": document.pk},
        )
    content = document.read()
    if not _raiser_hidden_from(user, document):
        return content
    return without_metadata(content, document.content_type)


@dataclass(frozen=True)
class SharedDocument:
    document: Document
    name: str


@dataclass
class WorkerCasePage:
    """Everything the worker's page of a case shows, and nothing it must not: never the
    raiser's own words or, where withheld, who they are; never a document not shared with the
    worker; never a decision still being agreed between registrars."""

    case: Case
    raised_by: str
    deadlines: list[Deadline]
    interim_orders: list
    documents: list[SharedDocument]
    responses: list
    decision: object | None  # the decision made on the case
    appeal: object | None
    appeal_decision: object | None
    steps: list
    # The forms: open only while the service would accept them.
    may_respond: bool
    decision_pending: bool
    may_appeal: bool


def worker_case_page(*, user, reference: str) -> WorkerCasePage:
    """The case about the signed-in worker, as they see it (Http404 for anyone else)."""
    case = case_for_worker(user=user, reference=reference)
    made = {
        decision.on_appeal: decision
        for decision in case.decisions.filter(status=Decision.Status.MADE).order_by("agreed_at")
    }
    pending = case.decisions.filter(status=Decision.Status.PROPOSED).exists()
    today = timezone.localdate()
    return WorkerCasePage(
        case=case,
        raised_by=raiser_as_the_worker_sees_it(case),
        deadlines=case_deadlines_for_worker(case),
        interim_orders=list(case.interim_orders.all()),
        documents=[
            SharedDocument(document, document_name_for(user=user, document=document))
            for document in case.documents.filter(shared_with_worker=True)
        ],
        responses=list(case.responses.all()),
        decision=made.get(False),
        appeal=Appeal.objects.filter(case=case).first(),
        appeal_decision=made.get(True),
        steps=list(case.steps.all()),
        may_respond=case.status == Case.Status.INVESTIGATING and not pending,
        decision_pending=case.status == Case.Status.INVESTIGATING and pending,
        may_appeal=(
            case.status == Case.Status.APPEAL_WINDOW
            and case.appeal_due is not None
            and today <= case.appeal_due
        ),
    )
