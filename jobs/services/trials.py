"""Paid job trials done safely (issue 21, part 1).

An employer offers a trial on an application: an observation session (no personal care, at
most four hours) or a supervised working trial, which includes personal care and so is
regulated activity with adults, supervised or not. A supervised trial is refused unless the
candidate's right to work and an adults' barred-list check are recorded as passed: read from
the register where the candidate shares their record with this employer (with their identity
checks), or else the employer's own check, with its evidence.

Every hour is paid, induction included, at no less than the vacancy's rate and the National
Living Wage in force on the trial's day. This module is the only way a trial is written: the
pages call it, the admin cannot add or change one, and the database's constraints refuse a
trial with no pay, whatever path it came by.

The candidate accepts, declines or proposes another time; an accepted trial is reminded the
day before with an .ics attachment. An employer cancelling an accepted trial within 24 hours of
its start still owes the minimum it stated. After the trial the employer records the hours,
which makes a pay record with its date due; the candidate confirms the hours, then the payment;
overdue pay is chased. Both sides give private feedback with a right of reply, and the outcome
(an offer, or not progressed with a message) moves the application through
`application_move_locked`. Every change is audited as `jobs.trial.<verb>` or
`jobs.trial_pay.<verb>`."""

import datetime
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import Membership, User
from accounts.permissions import require
from core.audit import audit_log
from core.calendar import calendar_event_ics
from core.dates import format_day
from core.errors import ApplicationError
from core.notifications import email_from_template
from employers.services.verification import employer_require_verified
from jobs.models import (
    Application,
    JobTrial,
    PreEmploymentCheck,
    TrialFeedback,
    TrialPay,
)
from jobs.pay import pay_floor_in_force, vacancy_hourly_rate
from jobs.services.applications import application_has_live_trial, application_move_locked
from jobs.services.checks import register_prefills
from jobs.values import VALUES

Kind = JobTrial.Kind
Status = JobTrial.Status
Stage = Application.Stage
Item = PreEmploymentCheck.Item

PENNY = Decimal("0.01")
# The stages from which a trial may be offered; the offer moves the application to
# "trial offered" (Application.TRANSITIONS), or keeps it there for a second trial.
OFFERABLE_STAGES = {Stage.RECEIVED, Stage.SHORTLISTED, Stage.INTERVIEW, Stage.TRIAL_OFFERED}
# The outcomes a trial feeds: an offer of the job, or not progressed (with a message).
OUTCOMES = {Stage.OFFER, Stage.NOT_PROGRESSED}
# Pay falls due at most this long after the trial: a month's payroll at the latest.
LONGEST_WAIT_FOR_PAY = timedelta(days=31)
DEFAULT_WAIT_FOR_PAY = timedelta(days=14)
# An overdue payment is chased again a week after the last chase, until it is confirmed.
CHASE_EVERY = timedelta(days=7)
MAX_TEXT = 2000


class TrialError(ApplicationError):
    pass


class TrialRefused(TrialError):
    """A trial that may not be offered: unpaid, paid too little, too long, or a supervised
    trial without the checks regulated activity needs."""


@dataclass(frozen=True)
class EmployerCheck:
    """The employer's own record of the checks a supervised trial needs, when the register
    has none to share: the right to work, and an adults' barred-list check, both passed."""

    right_to_work_checked_on: datetime.date | None = None
    barred_list_check: str = ""
    barred_list_checked_on: datetime.date | None = None
    checked_by_name: str = ""
    evidence: str = ""


@dataclass(frozen=True)
class TrialOffer:
    """What an employer offers: when, how long, the pay, and what the candidate needs to know."""

    kind: str
    starts_at: datetime.datetime
    length_hours: Decimal
    hourly_rate: Decimal
    cancellation_pay_hours: Decimal
    place: str
    supervisor_name: str
    what_you_will_do: str
    what_to_bring: str
    getting_there: str
    induction_minutes: int = 0
    employer_check: EmployerCheck | None = field(default=None)


def _decimal(value, *, name: str, field_name: str) -> Decimal:
    try:
        number = Decimal(str(value))
    except (InvalidOperation, TypeError, ValueError):
        raise TrialRefused(f"Enter {name} as a number.", field=field_name) from None
    if not number.is_finite():
        raise TrialRefused(f"Enter {name} as a number.", field=field_name)
    return number


def trial_pay_floor(*, application: Application, day: datetime.date) -> tuple[Decimal, Decimal]:
    """The lowest hourly rate a trial on `day` may pay, and the National Living Wage in force
    then: the higher of that wage and the vacancy's own hourly rate."""
    floor = pay_floor_in_force(day).hourly_rate
    vacancy_rate = vacancy_hourly_rate(application.vacancy)
    return max(floor, vacancy_rate or floor), floor


def _check_pay(offer: TrialOffer, *, application: Application) -> tuple[Decimal, Decimal, Decimal]:
    rate = _decimal(offer.hourly_rate, name="the hourly rate", field_name="hourly_rate")
    if rate <= 0:
        raise TrialRefused(
            "A trial is always paid: an unpaid trial cannot be offered. Enter the hourly rate.",
            field="hourly_rate",
        )
    if rate != rate.quantize(PENNY):
        raise TrialRefused("Enter the hourly rate in pounds and pence.", field="hourly_rate")
    lowest, floor = trial_pay_floor(
        application=application, day=timezone.localdate(offer.starts_at)
    )
    if rate < floor:
        raise TrialRefused(
            f"The hourly rate must be at least the National Living Wage on the day of the trial, "
            f"£{floor}, for every hour including induction.",
            field="hourly_rate",
        )
    if rate < lowest:
        raise TrialRefused(
            f"The hourly rate must be at least the vacancy's own rate, £{lowest}: a trial is "
            "paid as the job is.",
            field="hourly_rate",
        )
    cancellation = _decimal(
        offer.cancellation_pay_hours,
        name="the hours paid if you cancel",
        field_name="cancellation_pay_hours",
    )
    if cancellation < JobTrial.MIN_CANCELLATION_PAY_HOURS:
        raise TrialRefused(
            "If you cancel within 24 hours you still owe at least 2 hours' pay: enter 2 or more.",
            field="cancellation_pay_hours",
        )
    if cancellation > JobTrial.MAX_HOURS:
        raise TrialRefused(
            "Enter at most 12 hours' pay if you cancel.", field="cancellation_pay_hours"
        )
    return rate, floor, cancellation


def _check_length(offer: TrialOffer) -> Decimal:
    hours = _decimal(offer.length_hours, name="how long the trial lasts", field_name="length_hours")
    if hours <= 0:
        raise TrialRefused("Enter how long the trial lasts, in hours.", field="length_hours")
    if hours * 4 != (hours * 4).to_integral_value():
        raise TrialRefused("Enter the length in quarter hours, such as 2.5.", field="length_hours")
    if offer.kind == Kind.OBSERVATION and hours > JobTrial.OBSERVATION_MAX_HOURS:
        raise TrialRefused(
            "An observation session lasts at most 4 hours. For longer, offer a supervised "
            "working trial.",
            field="length_hours",
        )
    if hours > JobTrial.MAX_HOURS:
        raise TrialRefused("A trial lasts at most 12 hours.", field="length_hours")
    if not 0 <= int(offer.induction_minutes) < hours * 60:
        raise TrialRefused(
            "The induction is part of the trial, and shorter than it.", field="induction_minutes"
        )
    return hours


def _check_words(offer: TrialOffer) -> dict[str, str]:
    cleaned = {}
    needed = {
        "place": "Say where the trial is: the address.",
        "supervisor_name": "Name the person who will supervise the trial.",
        "what_you_will_do": "Say what the candidate will do.",
        "what_to_bring": "Say what to bring, or that nothing is needed.",
        "getting_there": "Say where to park, or the nearest bus stop.",
    }
    for name, message in needed.items():
        value = (getattr(offer, name) or "").strip()
        if not value:
            raise TrialRefused(message, field=name)
        limit = 300 if name == "place" else 200 if name == "supervisor_name" else MAX_TEXT
        if len(value) > limit:
            raise TrialRefused(f"Keep this to {limit} characters or fewer.", field=name)
        cleaned[name] = value
    return cleaned


@dataclass(frozen=True)
class TrialChecks:
    """Where a trial's checks come from, what the register said, and the employer's record."""

    source: str
    register_summary: str = ""
    employer_check: EmployerCheck | None = None


def _not_practising(application: Application) -> str:
    """Why the register's checks cannot book this candidate for personal care: they are
    suspended (an interim order or a sanction), lapsed or removed; or "" when they may practise
    or are not on the register."""
    entry = application.entry
    if entry is None or entry.may_practise:
        return ""
    return f"{entry.full_name} is {entry.get_status_display().lower()} on the register."


def trial_register_checks(application: Application) -> tuple[bool, str]:
    """Whether the register, with the candidate's consent (their application's share, with
    identity checks), records both a passed right-to-work check and a passed enhanced DBS check
    with the adults' barred list, for a worker who may still practise, and what it says."""
    prefills, share_live, shares_identity = register_prefills(
        application, today=timezone.localdate()
    )
    right_to_work, dbs = prefills[Item.RIGHT_TO_WORK], prefills[Item.DBS]
    summary = f"Right to work: {right_to_work.summary} Barred list: {dbs.summary}"
    # A suspension leaves the share live and the old checks passed: the register's word that
    # the worker may not practise now must still stop a trial booked on those checks.
    not_practising = _not_practising(application)
    if not_practising:
        summary = f"{not_practising} {summary}"
    passed = share_live and shares_identity and right_to_work.passed and dbs.passed
    return passed and not not_practising, summary


def _check_regulated_activity(offer: TrialOffer, *, application: Application) -> TrialChecks:
    if offer.kind == Kind.OBSERVATION:
        return TrialChecks(source=JobTrial.CheckSource.NOT_NEEDED)
    passed, summary = trial_register_checks(application)
    if passed:
        return TrialChecks(source=JobTrial.CheckSource.REGISTER, register_summary=summary)
    own = offer.employer_check
    today = timezone.localdate()
    if (
        own is None
        or own.right_to_work_checked_on is None
        or own.barred_list_check not in JobTrial.BarredListCheck.values
        or own.barred_list_checked_on is None
    ):
        not_practising = _not_practising(application)
        why = (
            f"{not_practising[:-1]}, so its checks cannot book them for personal care"
            if not_practising
            else "The register has no passed checks of both shared with you"
        )
        raise TrialRefused(
            "A supervised working trial includes personal care, which is regulated activity: "
            "it needs the candidate's right to work and an adults' barred-list check (DBS Adult "
            f"First, or an enhanced check with the barred list), both passed. {why}, so record "
            "your own checks, or offer an observation session instead.",
            field="kind",
        )
    if own.right_to_work_checked_on > today or own.barred_list_checked_on > today:
        raise TrialRefused("The dates of your checks must be today or in the past.", field="kind")
    if not own.checked_by_name.strip():
        raise TrialRefused("Enter who made the checks.", field="checked_by_name")
    if not own.evidence.strip():
        raise TrialRefused(
            "Say what evidence you saw, such as the certificate number's last digits and the "
            "right to work share code's result.",
            field="evidence",
        )
    return TrialChecks(
        source=JobTrial.CheckSource.EMPLOYER, register_summary=summary, employer_check=own
    )


def _locked_application(application: Application) -> Application:
    return (
        Application.objects.select_for_update(of=("self",))
        .select_related("vacancy__organisation", "applicant", "entry", "share")
        .get(pk=application.pk)
    )


def _locked_trial(trial: JobTrial) -> JobTrial:
    return (
        JobTrial.objects.select_for_update(of=("self",))
        .select_related("application__vacancy__organisation", "application__applicant")
        .get(pk=trial.pk)
    )


def _require_status(trial: JobTrial, to: str, doing: str) -> None:
    if to not in JobTrial.TRANSITIONS[trial.status]:
        raise TrialError(
            f"This trial is {trial.get_status_display().lower()}, so you cannot {doing}."
        )


def _set_status(trial: JobTrial, to: str, *, fields: tuple[str, ...] = ()) -> str:
    old = trial.status
    trial.status = to
    trial.status_changed_at = timezone.now()
    trial.save(update_fields=["status", "status_changed_at", *fields])
    return old


def _audit(trial: JobTrial, verb: str, actor, *, old: str = "", data: dict | None = None):
    audit_log(
        action=f"jobs.trial.{verb}",
        actor=actor,
        target=trial,
        old_status=old,
        new_status=trial.status,
        data={"application": trial.application.reference, **(data or {})},
    )


def employer_owner_addresses(organisation) -> list[str]:
    """The email addresses of the employer's owners."""
    return sorted(
        Membership.objects.filter(
            organisation=organisation, role=Membership.Role.OWNER
        ).values_list("user__email", flat=True)
    )


def _employer_addresses(trial: JobTrial) -> list[str]:
    """Who hears the candidate's answers: whoever offered the trial, and the owners."""
    addresses = set(employer_owner_addresses(trial.application.vacancy.organisation))
    if Membership.objects.filter(
        organisation=trial.application.vacancy.organisation, user=trial.offered_by
    ).exists():
        addresses.add(trial.offered_by.email)
    return sorted(addresses)


def _tell_candidate(trial: JobTrial, what: str, **extra) -> None:
    email_from_template(
        to=[trial.application.applicant.email],
        template="jobs/trial_candidate",
        context={"trial": trial, "application": trial.application, "what": what, **extra},
    )


def _tell_employer(trial: JobTrial, what: str, **extra) -> None:
    addresses = _employer_addresses(trial)
    if addresses:
        email_from_template(
            to=addresses,
            template="jobs/trial_employer",
            context={"trial": trial, "application": trial.application, "what": what, **extra},
        )


# --- The offer ---------------------------------------------------------------------------------


def trial_offer(*, application: Application, actor: User, offer: TrialOffer) -> JobTrial:
    """A member of the employer offers the candidate a paid trial; the application moves to
    "trial offered" and the candidate is emailed the offer."""
    require(actor, "trial.manage", application)
    employer_require_verified(application.vacancy.organisation)
    if offer.kind not in Kind.values:
        raise TrialRefused("Choose the kind of trial.", field="kind")
    if offer.starts_at is None or offer.starts_at <= timezone.now():
        raise TrialRefused("The trial must start in the future.", field="starts_at")
    hours = _check_length(offer)
    rate, floor, cancellation = _check_pay(offer, application=application)
    words = _check_words(offer)
    with transaction.atomic():
        application = _locked_application(application)
        if application.stage not in OFFERABLE_STAGES:
            raise TrialError(
                f"This application is {application.get_stage_display().lower()}, so a trial "
                "cannot be offered."
            )
        if application_has_live_trial(application):
            raise TrialError(
                "This candidate already has a trial offered or booked: cancel it before you "
                "offer another."
            )
        if TrialPay.objects.filter(
            trial__application=application, paid_confirmed_at__isnull=True
        ).exists():
            # The candidate's page shows the latest trial's pay alone: a new trial would hide
            # this one from them, so it could never be confirmed and would be chased for ever.
            raise TrialError(
                "The candidate has not yet confirmed they were paid for the last trial. Pay what "
                "is owed and ask them to confirm it on their trial page; then you can offer "
                "another trial."
            )
        # Read under the lock: the candidate may have stopped sharing since the form was shown.
        checks = _check_regulated_activity(offer, application=application)
        own = checks.employer_check or EmployerCheck()
        trial = JobTrial.objects.create(
            application=application,
            kind=offer.kind,
            starts_at=offer.starts_at,
            length_hours=hours,
            induction_minutes=int(offer.induction_minutes),
            hourly_rate=rate,
            pay_floor_rate=floor,
            cancellation_pay_hours=cancellation,
            checks_source=checks.source,
            register_summary=checks.register_summary,
            employer_right_to_work_checked_on=own.right_to_work_checked_on,
            employer_barred_list_check=own.barred_list_check,
            employer_barred_list_checked_on=own.barred_list_checked_on,
            employer_checked_by_name=own.checked_by_name.strip(),
            employer_check_evidence=own.evidence.strip(),
            offered_by=actor,
            **words,
        )
        _audit(
            trial,
            "offered",
            actor,
            data={
                "kind": trial.kind,
                "starts_at": trial.starts_at,
                "length_hours": str(hours),
                "hourly_rate": str(rate),
                "pay_floor_rate": str(floor),
                "cancellation_pay_hours": str(cancellation),
                "checks_source": checks.source,
            },
        )
        if application.stage != Stage.TRIAL_OFFERED:
            application_move_locked(application=application, to=Stage.TRIAL_OFFERED, actor=actor)
        _tell_candidate(trial, "offered")
    return trial


def trial_retime(*, trial: JobTrial, actor: User, starts_at: datetime.datetime) -> JobTrial:
    """After the candidate proposed another time, the employer offers a new start; the pay is
    checked again against the wage in force on the new day."""
    require(actor, "trial.manage", trial.application)
    if starts_at is None or starts_at <= timezone.now():
        raise TrialRefused("The trial must start in the future.", field="starts_at")
    with transaction.atomic():
        trial = _locked_trial(trial)
        if trial.status != Status.TIME_PROPOSED:
            raise TrialError("You can offer a new time once the candidate has proposed one.")
        lowest, floor = trial_pay_floor(
            application=trial.application, day=timezone.localdate(starts_at)
        )
        if trial.hourly_rate < lowest:
            raise TrialRefused(
                f"On that day the trial must pay at least £{lowest} an hour, more than this "
                "offer's rate: cancel it and offer a new trial.",
                field="starts_at",
            )
        old_start = trial.starts_at
        trial.starts_at = starts_at
        trial.pay_floor_rate = floor
        trial.reminded_at = None
        old = _set_status(
            trial, Status.OFFERED, fields=("starts_at", "pay_floor_rate", "reminded_at")
        )
        _audit(trial, "retimed", actor, old=old, data={"from": old_start, "to": starts_at})
        _tell_candidate(trial, "retimed")
    return trial


def trial_answer(*, trial: JobTrial, user: User, answer: str, proposed_time: str = "") -> JobTrial:
    """The candidate accepts, declines or proposes another time (in their own words)."""
    require(user, "trial.take_part", trial.application)
    targets = {
        "accept": Status.ACCEPTED,
        "decline": Status.DECLINED,
        "propose": Status.TIME_PROPOSED,
    }
    if answer not in targets:
        raise TrialError("Choose whether you accept, decline or want another time.", field="answer")
    proposed_time = (proposed_time or "").strip()
    if answer == "propose" and not proposed_time:
        raise TrialError("Say which days and times would suit you.", field="proposed_time")
    if len(proposed_time) > MAX_TEXT:
        raise TrialError(f"Keep this to {MAX_TEXT} characters or fewer.", field="proposed_time")
    with transaction.atomic():
        trial = _locked_trial(trial)
        to = targets[answer]
        _require_status(trial, to, "answer it now")
        if trial.starts_at <= timezone.now() and answer != "decline":
            raise TrialError("This trial's time has passed. Ask the employer for a new time.")
        trial.proposed_time = proposed_time if answer == "propose" else trial.proposed_time
        old = _set_status(trial, to, fields=("proposed_time",))
        _audit(
            trial,
            {"accept": "accepted", "decline": "declined", "propose": "time_proposed"}[answer],
            user,
            old=old,
        )
        _tell_employer(trial, to)
    return trial


def trial_cancel(*, trial: JobTrial, actor: User, reason: str) -> JobTrial:
    """The employer cancels. An accepted trial cancelled within 24 hours of its start still owes
    the candidate the stated minimum: a pay record is made for it. Once an accepted trial has
    started it cannot be cancelled: the hours worked are recorded instead."""
    require(actor, "trial.manage", trial.application)
    reason = (reason or "").strip()
    if not reason:
        raise TrialError("Tell the candidate why you are cancelling.", field="reason")
    if len(reason) > MAX_TEXT:
        raise TrialError(f"Keep this to {MAX_TEXT} characters or fewer.", field="reason")
    now = timezone.now()
    with transaction.atomic():
        trial = _locked_trial(trial)
        _require_status(trial, Status.CANCELLED, "cancel it")
        if trial.status == Status.ACCEPTED and trial.starts_at <= now:
            # Else an employer could cancel a trial already worked and owe only the minimum.
            raise TrialError(
                "This trial has started, so it cannot be cancelled. Record the hours worked "
                "instead: every hour is paid."
            )
        late = trial.status == Status.ACCEPTED and trial.starts_at - now < timedelta(
            hours=JobTrial.CANCELLATION_NOTICE_HOURS
        )
        trial.cancel_reason = reason
        old = _set_status(trial, Status.CANCELLED, fields=("cancel_reason",))
        pay = None
        if late:
            pay = _pay_record(
                trial,
                reason=TrialPay.Reason.LATE_CANCELLATION,
                hours=trial.cancellation_pay_hours,
                due_on=timezone.localdate(trial.starts_at) + DEFAULT_WAIT_FOR_PAY,
                actor=actor,
            )
        _audit(trial, "cancelled", actor, old=old, data={"late": late})
        _tell_candidate(trial, "cancelled", pay=pay)
    return trial


def trial_end_on_withdrawal_locked(*, application: Application, applicant: User) -> JobTrial | None:
    """The candidate is withdrawing `application` (locked by the caller): its live trial still
    to come is cancelled with nothing owed, since ending it is their choice, and the employer is
    told. An accepted trial that has started is kept, and returned, so that the employer still
    records the hours worked and pays them."""
    trial = (
        JobTrial.objects.select_for_update(of=("self",))
        .filter(application=application, status__in=JobTrial.LIVE)
        .first()
    )
    if trial is None:
        return None
    trial.application = application
    if trial.status == Status.ACCEPTED and trial.starts_at <= timezone.now():
        return trial
    trial.cancel_reason = "The candidate withdrew their application."
    old = _set_status(trial, Status.CANCELLED, fields=("cancel_reason",))
    _audit(trial, "cancelled", applicant, old=old, data={"late": False, "withdrawn": True})
    _tell_employer(trial, "withdrawn")
    return None


# --- After the trial ---------------------------------------------------------------------------


def _pay_record(trial, *, reason, hours, due_on, actor) -> TrialPay:
    amount = (trial.hourly_rate * hours).quantize(PENNY)
    pay = TrialPay.objects.create(
        trial=trial,
        reason=reason,
        hours=hours,
        hourly_rate=trial.hourly_rate,
        amount=amount,
        due_on=due_on,
        recorded_by=actor,
    )
    audit_log(
        action="jobs.trial_pay.recorded",
        actor=actor,
        target=pay,
        data={
            "application": trial.application.reference,
            "reason": reason,
            "hours": str(hours),
            "amount": str(amount),
            "due_on": due_on,
        },
    )
    return pay


def trial_hours_record(
    *, trial: JobTrial, actor: User, hours, due_on: datetime.date | None = None
) -> TrialPay:
    """After an accepted trial has started, the employer records the hours worked; this makes
    the pay record: the hours at the trial's rate, due on `due_on` (two weeks after the trial
    unless given, at most a month)."""
    require(actor, "trial.manage", trial.application)
    hours = _decimal(hours, name="the hours worked", field_name="hours")
    if hours <= 0:
        raise TrialError("Enter the hours worked: every hour of a trial is paid.", field="hours")
    if hours > JobTrial.MAX_HOURS:
        raise TrialError("Enter at most 12 hours.", field="hours")
    if hours * 4 != (hours * 4).to_integral_value():
        raise TrialError("Enter the hours in quarter hours, such as 2.75.", field="hours")
    with transaction.atomic():
        trial = _locked_trial(trial)
        _require_status(trial, Status.WORKED, "record hours for it")
        if trial.starts_at > timezone.now():
            raise TrialError("The trial has not started yet, so no hours can be recorded.")
        day = timezone.localdate(trial.starts_at)
        due_on = due_on or day + DEFAULT_WAIT_FOR_PAY
        if due_on < timezone.localdate() or due_on > day + LONGEST_WAIT_FOR_PAY:
            raise TrialError(
                f"Pay falls due between today and {format_day(day + LONGEST_WAIT_FOR_PAY)}, a "
                "month after the trial at most.",
                field="due_on",
            )
        old = _set_status(trial, Status.WORKED)
        pay = _pay_record(
            trial, reason=TrialPay.Reason.WORKED, hours=hours, due_on=due_on, actor=actor
        )
        _audit(trial, "worked", actor, old=old, data={"hours": str(hours)})
        _tell_candidate(trial, "hours_recorded", pay=pay)
    return pay


def _locked_pay(trial: JobTrial) -> TrialPay:
    pay = TrialPay.objects.select_for_update().filter(trial=trial).first()
    if pay is None:
        raise TrialError("Nothing is owed for this trial yet.")
    return pay


def trial_pay_confirm_hours(*, trial: JobTrial, user: User) -> TrialPay:
    """The candidate confirms the hours the pay record counts."""
    require(user, "trial.take_part", trial.application)
    with transaction.atomic():
        pay = _locked_pay(trial)
        if pay.hours_confirmed_at is not None:
            raise TrialError("You have already confirmed these hours.")
        pay.hours_confirmed_at = timezone.now()
        pay.save(update_fields=["hours_confirmed_at"])
        audit_log(
            action="jobs.trial_pay.hours_confirmed",
            actor=user,
            target=pay,
            data={"application": trial.application.reference, "hours": str(pay.hours)},
        )
        _tell_employer(trial, "hours_confirmed", pay=pay)
    return pay


def trial_pay_confirm_paid(*, trial: JobTrial, user: User) -> TrialPay:
    """The candidate confirms they were paid, after confirming the hours."""
    require(user, "trial.take_part", trial.application)
    with transaction.atomic():
        pay = _locked_pay(trial)
        if pay.hours_confirmed_at is None:
            raise TrialError("Confirm the hours first.")
        if pay.paid_confirmed_at is not None:
            raise TrialError("You have already confirmed this payment.")
        pay.paid_confirmed_at = timezone.now()
        pay.save(update_fields=["paid_confirmed_at"])
        audit_log(
            action="jobs.trial_pay.paid_confirmed",
            actor=user,
            target=pay,
            data={"application": trial.application.reference, "amount": str(pay.amount)},
        )
        _tell_employer(trial, "paid_confirmed", pay=pay)
    return pay


# --- Feedback ----------------------------------------------------------------------------------


def _side_require(user: User, trial: JobTrial, *, from_employer: bool) -> None:
    require(user, "trial.manage" if from_employer else "trial.take_part", trial.application)


def trial_feedback_give(
    *, trial: JobTrial, user: User, from_employer: bool, values: list[str], text: str
) -> TrialFeedback:
    """One side's private feedback on a worked trial: the values they saw, and their words."""
    _side_require(user, trial, from_employer=from_employer)
    text = (text or "").strip()
    known = set(VALUES)
    if any(value not in known for value in values):
        raise TrialError("Choose from the values shown.", field="values")
    if not text:
        raise TrialError("Write your feedback.", field="text")
    if len(text) > MAX_TEXT:
        raise TrialError(f"Keep this to {MAX_TEXT} characters or fewer.", field="text")
    with transaction.atomic():
        trial = _locked_trial(trial)
        if trial.status != Status.WORKED:
            raise TrialError("Feedback is given once the trial has been worked.")
        if trial.feedback.filter(from_employer=from_employer).exists():
            raise TrialError("You have already given your feedback on this trial.")
        feedback = TrialFeedback.objects.create(
            trial=trial,
            from_employer=from_employer,
            author=user,
            values_seen=",".join(key for key in VALUES if key in values),
            text=text,
        )
        _audit(trial, "feedback_given", user, data={"from_employer": from_employer})
        if from_employer:
            _tell_candidate(trial, "feedback")
        else:
            _tell_employer(trial, "feedback")
    return feedback


def trial_feedback_reply(*, feedback: TrialFeedback, user: User, text: str) -> TrialFeedback:
    """The other side's one reply to feedback about them."""
    trial = feedback.trial
    _side_require(user, trial, from_employer=not feedback.from_employer)
    text = (text or "").strip()
    if not text:
        raise TrialError("Write your reply.", field="text")
    if len(text) > MAX_TEXT:
        raise TrialError(f"Keep this to {MAX_TEXT} characters or fewer.", field="text")
    with transaction.atomic():
        feedback = TrialFeedback.objects.select_for_update().get(pk=feedback.pk)
        if feedback.replied_at is not None:
            raise TrialError("This feedback already has a reply.")
        feedback.reply = text
        feedback.replied_by = user
        feedback.replied_at = timezone.now()
        feedback.save(update_fields=["reply", "replied_by", "replied_at"])
        _audit(trial, "feedback_replied", user, data={"to_employer": feedback.from_employer})
    return feedback


# --- The outcome -------------------------------------------------------------------------------


def trial_outcome(*, trial: JobTrial, actor: User, to: str, message: str = "") -> Application:
    """After the trial (worked, declined or cancelled), the employer makes an offer of the job
    or does not progress the application, with a message: through application_move_locked."""
    require(actor, "trial.manage", trial.application)
    if to not in OUTCOMES:
        raise TrialError("Choose an offer of the job, or not to progress.", field="to")
    with transaction.atomic():
        application = _locked_application(trial.application)
        trial = _locked_trial(trial)
        if trial.is_live:
            raise TrialError("The trial is still to happen: record its hours, or cancel it, first.")
        if application.stage != Stage.TRIAL_OFFERED:
            raise TrialError(
                f"This application is {application.get_stage_display().lower()}: the trial's "
                "outcome has been given."
            )
        application_move_locked(application=application, to=to, actor=actor, message=message)
        audit_log(
            action="jobs.trial.outcome",
            actor=actor,
            target=trial,
            new_status=to,
            data={"application": application.reference},
        )
    return application


# --- The clock: reminders and chasing pay ------------------------------------------------------


def trial_ics(trial: JobTrial) -> str:
    """The trial as a calendar event, for the reminder's attachment."""
    vacancy = trial.application.vacancy
    description = (
        f"Paid job trial with {vacancy.organisation.name} for {vacancy.title}. "
        f"Supervisor: {trial.supervisor_name}. What you will do: {trial.what_you_will_do} "
        f"What to bring: {trial.what_to_bring} Getting there: {trial.getting_there} "
        f"Pay: £{trial.hourly_rate} an hour for every hour, including induction."
    )
    return calendar_event_ics(
        uid=f"trial-{trial.pk}-{trial.application.reference}@care-register",
        starts_at=trial.starts_at,
        ends_at=trial.ends_at,
        summary=f"Paid job trial: {vacancy.title}, {vacancy.organisation.name}",
        location=trial.place,
        description=description,
    )


def trial_reminders_send(*, now: datetime.datetime, dry_run: bool = False) -> list[str]:
    """Remind each candidate of an accepted trial that starts tomorrow, once, with the trial
    as an .ics attachment. Returns the applications' references."""
    tomorrow = timezone.localdate(now) + timedelta(days=1)
    due = JobTrial.objects.filter(
        status=Status.ACCEPTED, reminded_at__isnull=True, starts_at__gt=now
    ).select_related("application__vacancy__organisation", "application__applicant")
    reminded = []
    for trial in due:
        if timezone.localdate(trial.starts_at) != tomorrow:
            continue
        reminded.append(trial.application.reference)
        if dry_run:
            continue
        with transaction.atomic():
            locked = _locked_trial(trial)
            if locked.status != Status.ACCEPTED or locked.reminded_at is not None:
                continue
            locked.reminded_at = now
            locked.save(update_fields=["reminded_at"])
            _audit(locked, "reminded", None)
            email_from_template(
                to=[locked.application.applicant.email],
                template="jobs/trial_reminder",
                context={"trial": locked, "application": locked.application},
                attachments=[("trial.ics", trial_ics(locked), "text/calendar")],
            )
    return reminded


def trial_pay_chase(*, today: datetime.date, dry_run: bool = False) -> list[tuple[str, int]]:
    """Email each employer's owners the trial pay that is overdue (due before today and not
    confirmed paid), once a week while it stays overdue. Returns (organisation, count) pairs."""
    overdue = (
        TrialPay.objects.filter(paid_confirmed_at__isnull=True, due_on__lt=today)
        .select_related(
            "trial__application__vacancy__organisation", "trial__application__applicant"
        )
        .order_by("trial__application__vacancy__organisation_id", "due_on")
    )
    by_organisation: dict = {}
    for pay in overdue:
        if pay.last_chased_on is not None and pay.last_chased_on > today - CHASE_EVERY:
            continue
        by_organisation.setdefault(pay.trial.application.vacancy.organisation, []).append(pay)
    chased = []
    for organisation, payments in by_organisation.items():
        chased.append((organisation.name, len(payments)))
        if dry_run:
            continue
        with transaction.atomic():
            TrialPay.objects.filter(pk__in=[pay.pk for pay in payments]).update(
                last_chased_on=today
            )
            for pay in payments:
                audit_log(
                    action="jobs.trial_pay.chased",
                    actor=None,
                    target=pay,
                    data={"application": pay.trial.application.reference, "due_on": pay.due_on},
                )
            addresses = employer_owner_addresses(organisation)
            if addresses:
                email_from_template(
                    to=addresses,
                    template="jobs/trial_pay_overdue",
                    context={
                        "organisation": organisation,
                        "payments": payments,
                        "page": reverse("jobs:trial-pay", args=[organisation.pk]),
                    },
                )
    return chased
