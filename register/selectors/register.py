"""Reads for applications, entries and evidence, checked against who asks."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from accounts.models import User
from accounts.permissions import can, require
from core.dates import format_day, uk_time
from register.errors import NoRegisterEntry
from register.models import (
    Application,
    EvidenceFile,
    IdentityCheck,
    NameChangeRequest,
    RegisterEntry,
    Renewal,
)
from register.services.renewals import format_hours


def application_open_for_worker(*, worker: User) -> Application | None:
    return worker.applications.filter(status__in=Application.OPEN_STATUSES).first()


def application_latest_for_worker(*, worker: User) -> Application | None:
    return worker.applications.order_by("-created_at", "-id").first()


def application_queue(
    *, registrar: User, status: str = "", pathway_role: str = "", waited_days: int | None = None
) -> QuerySet[Application]:
    """Applications waiting for a registrar, oldest first: the longest wait is seen first."""
    require(registrar, "application.decide")
    waiting = [
        Application.Status.SUBMITTED,
        Application.Status.AWAITING_SECOND_APPROVAL,
        Application.Status.INFORMATION_REQUESTED,
    ]
    queryset = Application.objects.filter(status__in=[status] if status else waiting).exclude(
        worker=registrar
    )
    if pathway_role:
        queryset = queryset.filter(pathway_role__code=pathway_role)
    if waited_days:
        queryset = queryset.filter(submitted_at__lte=timezone.now() - timedelta(days=waited_days))
    return queryset.select_related("worker", "pathway_role").order_by("submitted_at", "id")


def application_get_for_registrar(*, registrar: User, pk: int) -> Application:
    application = (
        Application.objects.select_related("worker", "pathway_role", "employer")
        .filter(pk=pk)
        .exclude(status=Application.Status.DRAFT)
        .first()
    )
    if application is None or not can(registrar, "application.decide", application):
        raise Http404("No such application.")
    return application


def identity_check_get_for_registrar(
    *, registrar: User, application: Application, pk
) -> IdentityCheck:
    """One check of an application the registrar may decide; a 404 for anything else."""
    if not can(registrar, "application.decide", application):
        raise Http404("No such check.")
    try:
        return application.checks.get(pk=int(pk))
    except (IdentityCheck.DoesNotExist, TypeError, ValueError):
        raise Http404("No such check.") from None


def entry_for_worker(*, worker: User) -> RegisterEntry | None:
    return (
        RegisterEntry.objects.select_related("pathway_role", "application")
        .filter(worker=worker)
        .first()
    )


def own_entry_get(*, user: User) -> RegisterEntry:
    """The asking worker's own entry; NoRegisterEntry (a 404 the worker pages explain kindly)
    for anyone not on the register."""
    entry = entry_for_worker(worker=user) if user.is_authenticated else None
    if entry is None:
        raise NoRegisterEntry("You are not on the register.")
    return entry


def entry_get_for_registrar(*, registrar: User, registration_number: str) -> RegisterEntry:
    entry = (
        RegisterEntry.objects.select_related("worker", "application", "pathway_role")
        .filter(registration_number=registration_number)
        .first()
    )
    if entry is None or not can(registrar, "entry.manage", entry):
        raise Http404("No such entry.")
    return entry


def evidence_get(*, user: User, pk: int) -> EvidenceFile:
    """Only the person the evidence is about, and registrars, may open it; to anyone else it
    does not exist."""
    evidence = EvidenceFile.objects.filter(pk=pk).first()
    if evidence is None or not can(user, "evidence.view", evidence):
        raise Http404("No such file.")
    return evidence


def name_changes_pending(*, registrar: User) -> QuerySet[NameChangeRequest]:
    require(registrar, "entry.manage")
    return (
        NameChangeRequest.objects.filter(status=NameChangeRequest.Status.PENDING)
        .exclude(entry__worker=registrar)
        .select_related("entry", "evidence")
        .order_by("requested_at")
    )


def name_change_get_for_registrar(*, registrar: User, pk: int) -> NameChangeRequest:
    request = NameChangeRequest.objects.select_related("entry").filter(pk=pk).first()
    if request is None or not can(registrar, "entry.manage", request.entry):
        raise Http404("No such request.")
    return request


@dataclass(frozen=True)
class HistoryItem:
    """One line of a worker's history: when, what happened, and the reason or detail."""

    when: datetime
    title: str
    detail: str = ""


def _renewal_history(renewal: Renewal) -> list[HistoryItem]:
    # A practising entry can renew only up to its renewal date, so a renewal sent after that
    # date was sent while the entry had lapsed: a restoration.
    restoring = uk_time(renewal.submitted_at).date() > renewal.renewal_due_before
    what = "restoration" if restoring else "renewal"
    detail = (
        f"{format_hours(renewal.cpd_hours)} hours of CPD, for the renewal date of "
        f"{format_day(renewal.renewal_due_before)}."
    )
    if renewal.decided_at is None:
        title = (
            f"Your {what} was accepted"
            if renewal.status == Renewal.Status.RENEWED
            else f"You sent your {what}: it is with a registrar"
        )
        return [HistoryItem(when=renewal.submitted_at, title=title, detail=detail)]
    verb = "accepted" if renewal.status == Renewal.Status.RENEWED else "did not accept"
    return [
        HistoryItem(
            when=renewal.decided_at,
            title=f"A registrar {verb} your {what}",
            detail=f"Their reason: {renewal.decision_reason}",
        ),
        HistoryItem(when=renewal.submitted_at, title=f"You sent your {what}", detail=detail),
    ]


def _name_change_history(request: NameChangeRequest) -> list[HistoryItem]:
    asked = HistoryItem(
        when=request.requested_at, title=f"You asked to change your name to {request.new_name}"
    )
    if request.status == NameChangeRequest.Status.PENDING:
        return [asked]
    if request.status == NameChangeRequest.Status.APPROVED:
        decided = HistoryItem(
            when=request.decided_at,
            title=f"Your name on the register became {request.new_name}",
            detail=f"Their reason: {request.decision_reason}" if request.decision_reason else "",
        )
    else:
        decided = HistoryItem(
            when=request.decided_at,
            title=f"A registrar did not change your name to {request.new_name}",
            detail=f"Their reason: {request.decision_reason}",
        )
    return [decided, asked]


def entry_history(*, user: User, entry: RegisterEntry, limit: int = 50) -> list[HistoryItem]:
    """What has happened to the worker's registration, newest first: status changes,
    renewals with their decisions and reasons, and changes of name. Only for the worker."""
    require(user, "entry.history", entry)
    items = [
        HistoryItem(
            when=change.changed_at, title=f"Status: {change.new_status_label}", detail=change.reason
        )
        for change in entry.history.all()[:limit]
    ]
    for renewal in entry.renewals.order_by("-submitted_at", "-id")[:limit]:
        items.extend(_renewal_history(renewal))
    for request in entry.name_changes.order_by("-requested_at", "-id")[:limit]:
        items.extend(_name_change_history(request))
    items.sort(key=lambda item: item.when, reverse=True)
    return items[:limit]


def application_progress(application: Application) -> list[dict]:
    """Where the application is, for the applicant, in plain English: one line per thing we are
    doing or waiting for, each with any details (the referees, one by one). Never what a check
    or a reference said: only whether it is still to do."""
    from register.services.applications import unresolved_checks

    status = application.status
    if status == Application.Status.DRAFT:
        return [{"text": "You have not sent your application yet. Your answers are saved."}]
    if status == Application.Status.INFORMATION_REQUESTED:
        return [
            {
                "text": "We need more information from you. Answer the registrar's question, "
                "then send your application back."
            }
        ]
    if status == Application.Status.AWAITING_SECOND_APPROVAL:
        return [
            {
                "text": "Your checks are complete. A second registrar is reviewing your "
                "application before it is approved."
            }
        ]
    if status == Application.Status.APPROVED:
        return [{"text": "Your application has been approved."}]
    if status == Application.Status.REJECTED:
        return [{"text": "Your application was not approved."}]
    if status == Application.Status.WITHDRAWN:
        return [{"text": "You withdrew this application."}]

    passed = set(
        application.checks.filter(outcome=IdentityCheck.Outcome.PASSED).values_list(
            "check_type", flat=True
        )
    )
    references_passed = application.checks.filter(
        outcome=IdentityCheck.Outcome.PASSED, check_type=IdentityCheck.Type.REFERENCE
    ).count()
    progress = []
    if IdentityCheck.Type.PHOTO_ID not in passed:
        progress.append({"text": "We are checking your identity."})
    if IdentityCheck.Type.RIGHT_TO_WORK not in passed:
        progress.append({"text": "We are checking your right to work in the UK."})
    if IdentityCheck.Type.DBS not in passed:
        progress.append({"text": "We are checking your DBS certificate."})
    if references_passed < settings.REFERENCES_REQUIRED:
        details = []
        for referee in application.referees.prefetch_related("requests"):
            requests = list(referee.requests.all())
            answered = any(item.status == "answered" for item in requests)
            latest = requests[0] if requests else None
            if answered:
                details.append(f"{referee.name} has sent their reference.")
            elif latest is None:
                details.append(f"We will email {referee.name} to ask for a reference.")
            elif latest.is_expired:
                details.append(
                    f"{referee.name} has not answered our email. You may want to ask them to "
                    "look for it, including in their junk mail."
                )
            else:
                details.append(f"We have emailed {referee.name} and are waiting for their reply.")
        progress.append({"text": "We are checking your references.", "details": details})
    if unresolved_checks(application).exists():
        progress.append(
            {
                "text": "We are looking more closely at one of your checks. We will contact you "
                "if we need anything from you."
            }
        )
    if not progress:
        progress.append(
            {"text": "Your checks are complete. A registrar will decide on your application soon."}
        )
    return progress
