"""Reads of cases that depend on who asks. Each raises Http404 for a case the caller may not
see, so that nobody learns from the answer that a case exists."""

from django.db import models
from django.http import Http404

from accounts.models import Organisation
from accounts.permissions import can
from concerns.models import Case, Document
from concerns.rules import StaffWorker
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
    the registrar themselves, or raised by them, are left out."""
    return (
        Case.objects.filter(status__in=Case.OPEN)
        .exclude(entry__worker=user)
        .exclude(raiser_user=user)
        .select_related("entry")
        # Statuses sort as words ("appeal_window" before "received"): rank the screening
        # queue first by hand.
        .order_by(
            models.Case(models.When(status=Case.Status.RECEIVED, then=0), default=1),
            "screening_due",
            "received_at",
        )
    )


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
