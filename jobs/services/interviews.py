"""Interviews: the employer offers times (slots) for a vacancy, and each applicant invited to
interview books one of the free times still to come themselves, and may change or cancel it.

Two applicants choosing the same time at once cannot both have it: a booking locks the
application, then the slot's row, and reads the slot again under the lock, so the second to
arrive finds it taken and is asked to choose another. Every change is audited
(`jobs.interview_slot.<verb>`, `jobs.interview.<verb>`) and both sides are emailed."""

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from accounts.models import Membership, User
from accounts.permissions import require
from core.audit import audit_log
from core.errors import ApplicationError
from core.notifications import email_from_template
from employers.services.verification import employer_require_verified
from jobs.models import Application, InterviewSlot, Vacancy
from jobs.selectors.pipeline import applicant_name

# Enough for a fortnight of interviews every half hour; more is a mistake in a form.
MAX_FREE_SLOTS = 100
MAX_LOCATION_LENGTH = 300
OPEN_FOR_INTERVIEWS = {Vacancy.Status.PUBLISHED, Vacancy.Status.CLOSED}


class InterviewError(ApplicationError):
    pass


# --- The employer's slots ----------------------------------------------------------------------


def interview_slot_add(
    *,
    vacancy: Vacancy,
    user: User,
    starts_at: datetime,
    minutes: int,
    kind: str,
    location: str = "",
) -> InterviewSlot:
    """A member of the employer offers a time for interviews about the vacancy."""
    require(user, "application.manage", vacancy)
    employer_require_verified(vacancy.organisation)
    location = (location or "").strip()
    if vacancy.status not in OPEN_FOR_INTERVIEWS:
        raise InterviewError(
            f"This vacancy is {vacancy.get_status_display().lower()}, so it takes no interviews."
        )
    if starts_at <= timezone.now():
        raise InterviewError("The interview must start in the future.", field="starts_at")
    if not InterviewSlot.MIN_MINUTES <= minutes <= InterviewSlot.MAX_MINUTES:
        raise InterviewError(
            f"An interview lasts between {InterviewSlot.MIN_MINUTES} and "
            f"{InterviewSlot.MAX_MINUTES} minutes.",
            field="minutes",
        )
    if kind not in InterviewSlot.Kind.values:
        raise InterviewError("Choose how the interview happens.", field="kind")
    if not location and kind == InterviewSlot.Kind.IN_PERSON:
        raise InterviewError("Say where the interview is: the address.", field="location")
    if not location and kind == InterviewSlot.Kind.VIDEO:
        raise InterviewError("Say how to join the video call.", field="location")
    if len(location) > MAX_LOCATION_LENGTH:
        raise InterviewError(
            f"Keep where the interview is to {MAX_LOCATION_LENGTH} characters or fewer.",
            field="location",
        )
    with transaction.atomic():
        vacancy = Vacancy.objects.select_for_update().get(pk=vacancy.pk)
        free = vacancy.interview_slots.filter(
            booked_by__isnull=True, starts_at__gt=timezone.now()
        ).count()
        if free >= MAX_FREE_SLOTS:
            raise InterviewError(
                f"This vacancy already has {MAX_FREE_SLOTS} free interview times. Remove some "
                "before adding more."
            )
        slot = InterviewSlot.objects.create(
            vacancy=vacancy,
            starts_at=starts_at,
            minutes=minutes,
            kind=kind,
            location=location,
            created_by=user,
        )
        audit_log(
            action="jobs.interview_slot.added",
            actor=user,
            target=slot,
            data={"vacancy": vacancy.reference, "starts_at": starts_at, "minutes": minutes},
        )
    return slot


def interview_slot_remove(*, slot: InterviewSlot, user: User) -> None:
    """A member of the employer takes back a time nobody has booked."""
    require(user, "application.manage", slot.vacancy)
    with transaction.atomic():
        locked = InterviewSlot.objects.select_for_update().filter(pk=slot.pk).first()
        if locked is None:
            raise InterviewError("That interview time has already been removed.")
        if locked.booked_by_id is not None:
            raise InterviewError(
                "An applicant has booked this time, so it cannot be removed. They can change "
                "or cancel it from their applications."
            )
        audit_log(
            action="jobs.interview_slot.removed",
            actor=user,
            target=locked,
            data={"vacancy": slot.vacancy.reference, "starts_at": locked.starts_at},
        )
        locked.delete()


# --- The applicant's booking -------------------------------------------------------------------


def _employer_addresses(vacancy: Vacancy) -> list[str]:
    """Who hears of bookings: whoever wrote the vacancy, while still a member, and the
    employer's owners."""
    memberships = Membership.objects.filter(organisation_id=vacancy.organisation_id).select_related(
        "user"
    )
    addresses = [
        membership.user.email
        for membership in memberships
        if membership.role == Membership.Role.OWNER or membership.user_id == vacancy.created_by_id
    ]
    return sorted(set(addresses))


def _tell_both(*, application: Application, slot: InterviewSlot, what: str, old=None) -> None:
    context = {
        "application": application,
        "vacancy": application.vacancy,
        "slot": slot,
        "old": old,
        "what": what,
        "name": applicant_name(application),
    }
    email_from_template(
        to=[application.applicant.email], template="jobs/interview_applicant", context=context
    )
    addresses = _employer_addresses(application.vacancy)
    if addresses:
        email_from_template(to=addresses, template="jobs/interview_employer", context=context)


def _locked_application(application: Application) -> Application:
    locked = (
        Application.objects.select_for_update(of=("self",))
        .select_related("vacancy", "applicant", "entry")
        .get(pk=application.pk)
    )
    if locked.stage != Application.Stage.INTERVIEW:
        raise InterviewError(
            "You can choose an interview time only while the employer has invited you to an "
            "interview."
        )
    return locked


def interview_book(*, application: Application, slot_id: int, user: User) -> InterviewSlot:
    """The applicant books one of the vacancy's free times still to come, or changes to it
    from the one they booked before (which is freed for others)."""
    require(user, "interview.book", application)
    now = timezone.now()
    with transaction.atomic():
        application = _locked_application(application)
        # Locked, then read: a slot another applicant booked while this one waited is seen as
        # booked here, never booked twice.
        slot = (
            InterviewSlot.objects.select_for_update()
            .filter(pk=slot_id, vacancy_id=application.vacancy_id)
            .first()
        )
        if slot is None:
            raise InterviewError(
                "That time is not one of this vacancy's interviews. Choose one of the times shown.",
                field="slot",
            )
        if slot.booked_by_id == application.pk:
            raise InterviewError("You have already booked this time.", field="slot")
        if slot.booked_by_id is not None:
            raise InterviewError(
                "Someone else has just booked that time. Choose another.", field="slot"
            )
        if slot.starts_at <= now:
            raise InterviewError("That time has passed. Choose another.", field="slot")
        old = InterviewSlot.objects.select_for_update().filter(booked_by=application).first()
        if old is not None and old.starts_at <= now:
            raise InterviewError("Your interview has already started, so it cannot be changed.")
        old_starts_at = None
        if old is not None:
            old_starts_at = old.starts_at
            old.booked_by = None
            old.booked_at = None
            old.save(update_fields=["booked_by", "booked_at"])
        slot.booked_by = application
        slot.booked_at = now
        slot.save(update_fields=["booked_by", "booked_at"])
        what = "changed" if old is not None else "booked"
        audit_log(
            action=f"jobs.interview.{what}",
            actor=user,
            target=application,
            data={
                "vacancy": application.vacancy.reference,
                "slot_id": slot.pk,
                "starts_at": slot.starts_at,
                "from_slot_id": old.pk if old is not None else None,
            },
        )
        _tell_both(application=application, slot=slot, what=what, old=old_starts_at)
    return slot


def interview_cancel(*, application: Application, user: User) -> InterviewSlot:
    """The applicant gives back the time they booked; they may book another while still
    invited."""
    require(user, "interview.book", application)
    with transaction.atomic():
        application = _locked_application(application)
        slot = InterviewSlot.objects.select_for_update().filter(booked_by=application).first()
        if slot is None:
            raise InterviewError("You have not booked an interview time.")
        if slot.starts_at <= timezone.now():
            raise InterviewError("Your interview has already started, so it cannot be cancelled.")
        slot.booked_by = None
        slot.booked_at = None
        slot.save(update_fields=["booked_by", "booked_at"])
        audit_log(
            action="jobs.interview.cancelled",
            actor=user,
            target=application,
            data={
                "vacancy": application.vacancy.reference,
                "slot_id": slot.pk,
                "starts_at": slot.starts_at,
            },
        )
        _tell_both(application=application, slot=slot, what="cancelled")
    return slot
