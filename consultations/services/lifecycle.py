"""A consultation's status: scheduling by its association, opening and closing by the clock,
then analysis. Publishing the outcome is in `consultations.services.outcome`."""

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from accounts.permissions import require
from consultations.models import Consultation, Question, ResponseDraft
from consultations.services.responding import responses_unlink
from core.audit import audit_log
from core.errors import ApplicationError

Status = Consultation.Status


class ConsultationStatusError(ApplicationError):
    pass


def _move(*, consultation: Consultation, to: str, actor, data: dict | None = None) -> None:
    """Save a transition the caller has checked and locked, with its audit event."""
    old = consultation.status
    if to not in Consultation.TRANSITIONS[old]:
        raise ConsultationStatusError(
            f"A consultation that is {Status(old).label.lower()} cannot become "
            f"{Status(to).label.lower()}."
        )
    consultation.status = to
    consultation.updated_at = timezone.now()
    consultation.save(update_fields=["status", "updated_at"])
    audit_log(
        action=f"consultations.consultation.{to}",
        actor=actor,
        target=consultation,
        old_status=old,
        new_status=to,
        data=data or {},
    )


def consultation_schedule(*, consultation: Consultation, user: User) -> Consultation:
    """Fix the questions and wait for the opening time (which may already have passed)."""
    require(user, "consultation.manage", consultation.organisation)
    with transaction.atomic():
        consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
        if consultation.status != Status.DRAFT:
            raise ConsultationStatusError("Only a draft can be scheduled.")
        if not Question.objects.filter(
            consultation=consultation, is_respondent_type=False
        ).exists():
            raise ConsultationStatusError(
                'Add at least one question of your own (besides "about you") before scheduling.'
            )
        if consultation.opens_at is None or consultation.closes_at is None:
            raise ConsultationStatusError("Set the opening and closing times before scheduling.")
        if consultation.closes_at <= consultation.opens_at:
            raise ConsultationStatusError("The closing time must be after the opening time.")
        if consultation.closes_at <= timezone.now():
            raise ConsultationStatusError(
                "The closing time has already passed. Choose a closing time in the future."
            )
        _move(
            consultation=consultation,
            to=Status.SCHEDULED,
            actor=user,
            data={"opens_at": consultation.opens_at, "closes_at": consultation.closes_at},
        )
        # It may already be time to open; say so now rather than at the next command run.
        _follow_clock(consultation, timezone.now())
    return consultation


def consultation_unschedule(*, consultation: Consultation, user: User) -> Consultation:
    """Back to draft, to change something, as long as it has not opened."""
    require(user, "consultation.manage", consultation.organisation)
    with transaction.atomic():
        consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
        if consultation.status != Status.SCHEDULED or consultation.is_open():
            raise ConsultationStatusError(
                "Only a scheduled consultation that has not opened yet can go back to draft."
            )
        _move(consultation=consultation, to=Status.DRAFT, actor=user)
    return consultation


def _follow_clock(consultation: Consultation, now) -> list[str]:
    """Store the transitions the clock has made. The caller holds the row's lock."""
    moved = []
    effective = consultation.effective_status(now)
    if consultation.status == Status.SCHEDULED and effective in {Status.OPEN, Status.CLOSED}:
        _move(consultation=consultation, to=Status.OPEN, actor=None, data={"by": "clock"})
        moved.append(Status.OPEN)
    if consultation.status == Status.OPEN and effective == Status.CLOSED:
        # In the closing transaction: no response stays linkable to a person once nobody can
        # answer, and none can be sent between the close and the erasing.
        unlinked = responses_unlink(consultation=consultation)
        _move(
            consultation=consultation,
            to=Status.CLOSED,
            actor=None,
            data={"by": "clock", "responses_unlinked": unlinked},
        )
        moved.append(Status.CLOSED)
    return moved


def consultation_follow_clock(*, consultation: Consultation, now=None) -> list[str]:
    """Open or close a consultation whose time has come; the statuses it moved through.

    Safe to run again and again: a consultation already where the clock says moves nowhere.
    """
    with transaction.atomic():
        consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
        return _follow_clock(consultation, now or timezone.now())


def consultations_due_to_move(*, now=None):
    """Consultations whose stored status the clock has overtaken."""
    now = now or timezone.now()
    from django.db.models import Q

    return Consultation.objects.filter(
        Q(status=Status.SCHEDULED, opens_at__lte=now) | Q(status=Status.OPEN, closes_at__lte=now)
    ).order_by("pk")


# Statuses in which a consultation has closed for good: closing it again changes nothing.
CLOSED_STATUSES = {Status.CLOSED, Status.ANALYSING, Status.PUBLISHED}


def consultation_close_early(*, consultation: Consultation, user: User) -> bool:
    """Close an open consultation now, before its closing time: answers stop, the closing time
    becomes now (so every page and the clock agree), saved answers' links stop working, and
    the respondent links are erased in the same transaction, as at a close by the clock
    (docs/decisions/0018). True if it closed now; False if it had already closed, when
    nothing changes, so a second press is harmless."""
    require(user, "consultation.manage", consultation.organisation)
    with transaction.atomic():
        consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
        now = timezone.now()
        _follow_clock(consultation, now)
        if consultation.status in CLOSED_STATUSES:
            return False
        if consultation.status != Status.OPEN:
            raise ConsultationStatusError(
                "Only an open consultation can be closed early. This one has not opened yet: "
                "move it back to draft instead, or wait until it opens."
            )
        planned = consultation.closes_at
        consultation.closes_at = now
        consultation.updated_at = now
        consultation.save(update_fields=["closes_at", "updated_at"])
        unlinked = responses_unlink(consultation=consultation)
        drafts = ResponseDraft.objects.filter(consultation=consultation).update(expires_at=now)
        _move(
            consultation=consultation,
            to=Status.CLOSED,
            actor=user,
            data={
                "by": "association",
                "planned_closes_at": planned,
                "responses_unlinked": unlinked,
                "saved_answers_unsent": drafts,
            },
        )
    return True


def consultation_start_analysis(*, consultation: Consultation, user: User) -> Consultation:
    """Closed to analysing: the association starts reading and tagging the answers."""
    require(user, "consultation.manage", consultation.organisation)
    with transaction.atomic():
        consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
        _follow_clock(consultation, timezone.now())
        if consultation.status != Status.CLOSED:
            if consultation.status in {Status.ANALYSING, Status.PUBLISHED}:
                raise ConsultationStatusError("The analysis has already started.")
            raise ConsultationStatusError(
                "The analysis can start only once the consultation has closed."
            )
        _move(consultation=consultation, to=Status.ANALYSING, actor=user)
    return consultation
