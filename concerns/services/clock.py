"""What happens to cases with the passing of time: run by `manage.py advance_concerns`."""

from datetime import date

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from concerns.models import Case, CaseFigures, Decision, InterimOrder
from concerns.retention import delete_after
from core.audit import audit_log
from core.notifications import email_from_template


def cases_overdue_for_screening(today: date):
    return Case.objects.filter(status=Case.Status.RECEIVED, screening_due__lt=today)


def screening_chase(*, today: date | None = None) -> list[Case]:
    """Email every registrar, once a day, the cases not screened in time."""
    today = today or timezone.localdate()
    overdue = list(
        cases_overdue_for_screening(today)
        .exclude(screening_chased_on=today)
        .order_by("screening_due", "id")
    )
    if not overdue:
        return []
    registrars = list(
        get_user_model()
        .objects.filter(is_registrar=True, is_active=True)
        .values_list("email", flat=True)
    )
    with transaction.atomic():
        Case.objects.filter(pk__in=[case.pk for case in overdue]).update(screening_chased_on=today)
        for case in overdue:
            audit_log(
                action="concerns.case.screening_chased",
                target=case,
                data={"screening_due": case.screening_due},
            )
        if registrars:
            email_from_template(
                to=registrars,
                template="concern_screening_overdue",
                context={"cases": overdue, "today": today},
            )
    return overdue


def cases_due_for_deletion(today: date):
    """Cases closed with no action whose retention period has passed. Not a case whose first
    decision was an outcome that an appeal replaced with no action: a warning, conditions, a
    suspension or a removal was on the register, and employers were told of it, and the case is
    the record of why it was withdrawn (docs/concerns.md, "Privacy")."""
    candidates = Case.objects.filter(
        status=Case.Status.CLOSED, outcome=Case.Outcome.NO_ACTION, closed_at__isnull=False
    ).exclude(
        decisions__in=Decision.objects.filter(status=Decision.Status.MADE).exclude(
            outcome=Case.Outcome.NO_ACTION
        )
    )
    return [case for case in candidates if delete_after(timezone.localdate(case.closed_at)) < today]


def cases_delete_after_retention(*, today: date | None = None) -> int:
    """Delete no-action cases kept past their retention period, with their documents. The
    audit log keeps only that the case existed; the yearly report keeps its anonymous figures."""
    today = today or timezone.localdate()
    deleted = 0
    for case in cases_due_for_deletion(today):
        with transaction.atomic():
            case = Case.objects.select_for_update().get(pk=case.pk)
            files = [document.file for document in case.documents.all()]
            CaseFigures.objects.filter(case=case).update(deleted_on=today, case=None)
            Decision.objects.filter(case=case).delete()
            InterimOrder.objects.filter(case=case).delete()
            audit_log(
                action="concerns.case.deleted",
                target=case,
                old_status=case.status,
                data={"reason": "retention period for a case closed with no action"},
            )
            case.delete()
            transaction.on_commit(lambda files=files: [f.delete(save=False) for f in files])
        deleted += 1
    return deleted
