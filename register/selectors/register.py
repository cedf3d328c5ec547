"""Reads for applications, entries and evidence, checked against who asks."""

from datetime import timedelta

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from accounts.models import User
from accounts.permissions import can, require
from register.errors import NoRegisterEntry
from register.models import (
    Application,
    EvidenceFile,
    IdentityCheck,
    NameChangeRequest,
    RegisterEntry,
)


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
