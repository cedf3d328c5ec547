"""Renewal: CPD, the yearly renewal and its decision, reminders, lapsing and restoration."""

import logging
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Case, Exists, IntegerField, OuterRef, QuerySet, Sum, Value, When
from django.utils import timezone

from accounts.models import User
from accounts.permissions import can
from core.audit import audit_log
from core.dates import format_day
from core.errors import ApplicationError
from core.notifications import email_from_template
from register.models import (
    CodeAcceptance,
    CodeOfConduct,
    CpdActivity,
    RegisterEntry,
    Renewal,
    RenewalReminder,
)
from register.services.conduct import code_accept, code_acceptance_due
from register.services.entries import entry_lapse, entry_restore, next_renewal_due
from register.signals import renewal_reminder_sent

logger = logging.getLogger(__name__)

Status = RegisterEntry.Status

CPD_MAX_HOURS_PER_ACTIVITY = Decimal("100")


class RenewalError(ApplicationError):
    """A renewal or CPD change the rules do not allow. `field` names the form field the message
    belongs next to, when there is one."""


class LapseIncomplete(ApplicationError):
    """Some overdue entries could not be lapsed; the others were, and stay lapsed."""

    def __init__(self, *, lapsed: list[str], failed: list[str]):
        super().__init__(
            f"{len(failed)} overdue registration(s) could not be lapsed: {', '.join(failed)}. "
            "The errors are in the log; the next run tries them again."
        )
        self.lapsed = lapsed
        self.failed = failed


def format_hours(hours: Decimal) -> str:
    """12.0 → "12", 4.5 → "4.5": how a person writes hours."""
    text = f"{hours:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


# --- Reads the rules depend on ---------------------------------------------------------------


def _last_accepted_renewal(entry: RegisterEntry) -> Renewal | None:
    return entry.renewals.filter(status=Renewal.Status.RENEWED).order_by("-submitted_at").first()


def cpd_period_starts(entry: RegisterEntry) -> date:
    """The first day of the CPD that counts towards the next renewal: the day the entry
    joined the register, or the day of its last accepted renewal. CPD dated earlier is refused
    when it is logged, so no activity ever sits on the list counting for nothing."""
    last_renewal = _last_accepted_renewal(entry)
    if last_renewal is None:
        return entry.registered_from
    return timezone.localdate(last_renewal.submitted_at)


def cpd_hours_since(entry: RegisterEntry) -> Decimal:
    """Hours of CPD completed since the entry was last renewed (or since it joined)."""
    last_renewal = _last_accepted_renewal(entry)
    activities = CpdActivity.objects.filter(entry=entry)
    if last_renewal is None:
        activities = activities.filter(completed_on__gte=entry.registered_from)
    else:
        # Activity completed on the day of the last renewal counts only if it was logged after
        # that renewal was sent: otherwise the same hours would count towards two renewals.
        activities = activities.filter(
            completed_on__gte=timezone.localdate(last_renewal.submitted_at),
            logged_at__gt=last_renewal.submitted_at,
        )
    total = activities.aggregate(total=Sum("hours"))["total"]
    return total if total is not None else Decimal("0")


def cpd_used_by_renewal(activity: CpdActivity) -> Renewal | None:
    """The renewal sent with this activity among its CPD (accepted, or waiting for a
    registrar), if any: such an activity is part of the record a decision rests on, and can no
    longer be changed. A refused renewal does not use up its CPD."""
    return (
        Renewal.objects.filter(entry_id=activity.entry_id, submitted_at__gte=activity.logged_at)
        .exclude(status=Renewal.Status.REFUSED)
        .order_by("submitted_at", "id")
        .first()
    )


def cpd_hours_needed() -> Decimal:
    return Decimal(settings.CPD_MINIMUM_HOURS)


def renewal_window_opens(entry: RegisterEntry) -> date:
    return entry.renewal_due - timedelta(days=settings.RENEWAL_WINDOW_DAYS)


def renewal_for_current_period(entry: RegisterEntry) -> Renewal | None:
    """The renewal sent for this period that still stands: renewed, or waiting for a
    registrar. A refused one does not use up the period."""
    return (
        entry.renewals.filter(renewal_due_before=entry.renewal_due)
        .exclude(status=Renewal.Status.REFUSED)
        .first()
    )


def renewal_refused_this_period(entry: RegisterEntry) -> Renewal | None:
    """The latest renewal a registrar refused for this period, if any."""
    return (
        entry.renewals.filter(renewal_due_before=entry.renewal_due, status=Renewal.Status.REFUSED)
        .order_by("-decided_at", "-id")
        .first()
    )


def renewal_refusal(
    *, entry: RegisterEntry, today: date, hours_logged: Decimal
) -> RenewalError | None:
    """Why this entry cannot be renewed today, or None when it can. The renewal page asks the
    same question before it shows the form, so the rule is written only here."""
    if entry.status == Status.LAPSED:
        # A lapsed worker comes back through the same form at any time: no window applies.
        pass
    elif entry.status in RegisterEntry.PRACTISING:
        opens = renewal_window_opens(entry)
        if today < opens:
            return RenewalError(
                f"You can renew from {format_day(opens)}, {settings.RENEWAL_WINDOW_DAYS} days "
                f"before your renewal date of {format_day(entry.renewal_due)}."
            )
        if today > entry.renewal_due:
            return RenewalError(
                f"Your renewal date, {format_day(entry.renewal_due)}, has passed, so your "
                "registration is about to lapse. Once it has lapsed you can restore it here."
            )
    elif entry.status == Status.SUSPENDED:
        return RenewalError(
            "You cannot renew while your registration is suspended. Contact the register's staff."
        )
    else:
        return RenewalError(
            "Your entry has been removed from the register, so it cannot be renewed."
        )
    existing = renewal_for_current_period(entry)
    if existing is not None:
        return _already_submitted(existing)
    needed = cpd_hours_needed()
    if hours_logged < needed:
        return RenewalError(
            f"You have logged {format_hours(hours_logged)} hours of CPD since your last renewal "
            f"and need at least {format_hours(needed)}. Log the rest before you renew."
        )
    return None


def _already_submitted(renewal: Renewal) -> RenewalError:
    return RenewalError(
        f"You have already sent your renewal for this period "
        f"({renewal.get_status_display().lower()})."
    )


# --- CPD -------------------------------------------------------------------------------------


def _cpd_checked(
    *, completed_on: date, title: str, hours: Decimal, reflection: str
) -> tuple[date, str, Decimal, str]:
    """The rules an activity's fields follow, whether logged or edited."""
    title = (title or "").strip()
    reflection = (reflection or "").strip()
    today = timezone.localdate()
    if not title:
        raise RenewalError("Enter the title of the activity", field="title")
    if completed_on is None:
        raise RenewalError("Enter the date you completed it", field="completed_on")
    if completed_on > today:
        raise RenewalError(
            "The date you completed it must be today or in the past", field="completed_on"
        )
    if hours is None or hours <= 0:
        raise RenewalError("Enter the hours it took, more than 0", field="hours")
    if hours > CPD_MAX_HOURS_PER_ACTIVITY:
        raise RenewalError(
            f"One activity can count for at most {format_hours(CPD_MAX_HOURS_PER_ACTIVITY)} hours",
            field="hours",
        )
    if hours != hours.quantize(Decimal("0.1")):
        raise RenewalError("Give the hours to one decimal place, like 1.5", field="hours")
    if not reflection:
        raise RenewalError(
            "Write what you learned and how it changes your practice", field="reflection"
        )
    return completed_on, title, hours, reflection


def _cpd_check_entry(*, entry: RegisterEntry, completed_on: date) -> None:
    """The rules that depend on the entry, checked under its lock."""
    if entry.status == Status.REMOVED:
        raise RenewalError(
            "Your entry has been removed from the register, so its CPD can no longer be "
            "logged or changed."
        )
    starts = cpd_period_starts(entry)
    if completed_on < starts:
        since = (
            "the day you joined the register"
            if _last_accepted_renewal(entry) is None
            else "the day of your last renewal"
        )
        raise RenewalError(
            f"The date you completed it must be on or after {format_day(starts)}, {since}: "
            "only CPD done since then counts towards your next renewal",
            field="completed_on",
        )


def _cpd_check_open(activity: CpdActivity) -> None:
    used_by = cpd_used_by_renewal(activity)
    if used_by is not None:
        raise RenewalError(
            f"{activity.title} was part of the renewal you sent on "
            f"{format_day(timezone.localdate(used_by.submitted_at))}, so it can no longer be "
            "changed or deleted."
        )


def cpd_log(
    *,
    entry: RegisterEntry,
    worker: User,
    completed_on: date,
    title: str,
    hours: Decimal,
    reflection: str,
) -> CpdActivity:
    """Record one CPD activity on the worker's own entry."""
    if not can(worker, "cpd.log", entry):
        raise RenewalError("You can only log CPD on your own registration.")
    completed_on, title, hours, reflection = _cpd_checked(
        completed_on=completed_on, title=title, hours=hours, reflection=reflection
    )
    with transaction.atomic():
        entry = RegisterEntry.objects.select_for_update().get(pk=entry.pk)
        _cpd_check_entry(entry=entry, completed_on=completed_on)
        activity = CpdActivity.objects.create(
            entry=entry, completed_on=completed_on, title=title, hours=hours, reflection=reflection
        )
        # The reflection can hold personal detail about people the worker cares for: it stays
        # out of the audit log.
        audit_log(
            action="register.cpd.logged",
            actor=worker,
            target=entry,
            data={
                "cpd_id": activity.pk,
                "title": title,
                "hours": hours,
                "completed_on": completed_on,
            },
        )
    return activity


def cpd_update(
    *,
    activity: CpdActivity,
    worker: User,
    completed_on: date,
    title: str,
    hours: Decimal,
    reflection: str,
) -> CpdActivity:
    """Correct a CPD activity on the worker's own entry, until a renewal is sent with it."""
    if not can(worker, "cpd.change", activity):
        raise RenewalError("You can only change CPD on your own registration.")
    completed_on, title, hours, reflection = _cpd_checked(
        completed_on=completed_on, title=title, hours=hours, reflection=reflection
    )
    with transaction.atomic():
        # The entry first, as renewal_submit locks it: a renewal sent at the same moment
        # either counts the activity as it was, and the change is refused, or waits for it.
        entry = RegisterEntry.objects.select_for_update().get(pk=activity.entry_id)
        activity = CpdActivity.objects.select_for_update().get(pk=activity.pk)
        _cpd_check_open(activity)
        _cpd_check_entry(entry=entry, completed_on=completed_on)
        new = {
            "completed_on": completed_on,
            "title": title,
            "hours": hours,
            "reflection": reflection,
        }
        changed = [name for name, value in new.items() if getattr(activity, name) != value]
        if not changed:
            return activity
        old = {name: getattr(activity, name) for name in changed if name != "reflection"}
        for name in changed:
            setattr(activity, name, new[name])
        activity.save(update_fields=changed)
        # Which fields changed, and the old and new values of all but the reflection.
        audit_log(
            action="register.cpd.updated",
            actor=worker,
            target=entry,
            data={
                "cpd_id": activity.pk,
                "fields": changed,
                "old": old,
                "new": {name: new[name] for name in old},
            },
        )
    return activity


def cpd_delete(*, activity: CpdActivity, worker: User) -> None:
    """Delete a CPD activity from the worker's own entry, until a renewal is sent with it."""
    if not can(worker, "cpd.change", activity):
        raise RenewalError("You can only delete CPD on your own registration.")
    with transaction.atomic():
        entry = RegisterEntry.objects.select_for_update().get(pk=activity.entry_id)
        activity = CpdActivity.objects.select_for_update().get(pk=activity.pk)
        _cpd_check_open(activity)
        if entry.status == Status.REMOVED:
            raise RenewalError(
                "Your entry has been removed from the register, so its CPD can no longer be "
                "logged or changed."
            )
        audit_log(
            action="register.cpd.deleted",
            actor=worker,
            target=entry,
            data={
                "cpd_id": activity.pk,
                "title": activity.title,
                "hours": activity.hours,
                "completed_on": activity.completed_on,
            },
        )
        activity.delete()


# --- Renewal ---------------------------------------------------------------------------------

DECLARATIONS = [
    # flag, details field, what to ask for when the answer is yes
    ("has_criminal_record", "criminal_record_details", "Give details of your criminal record"),
    (
        "has_health_condition",
        "health_condition_details",
        "Give details of your health condition and how you manage it at work",
    ),
    (
        "has_fitness_to_practise_history",
        "fitness_to_practise_details",
        "Give details of the fitness to practise investigation or sanction",
    ),
]


def renewal_submit(
    *,
    entry: RegisterEntry,
    worker: User,
    has_criminal_record: bool,
    criminal_record_details: str = "",
    has_health_condition: bool,
    health_condition_details: str = "",
    has_fitness_to_practise_history: bool,
    fitness_to_practise_details: str = "",
    code: CodeOfConduct | None = None,
) -> Renewal:
    """Renew in the window before renewal_due, or restore a lapsed entry, through one form.

    With every declaration "no" the entry is renewed at once; any "yes" refers it to a
    registrar and changes nothing else until they decide. A worker who has not accepted the
    current version of the code of conduct accepts it here (`code`, the version they ticked),
    recorded with the renewal or not at all.
    """
    if not can(worker, "renewal.submit", entry):
        raise RenewalError("You can only renew your own registration.")
    answers = {
        "has_criminal_record": has_criminal_record,
        "criminal_record_details": (criminal_record_details or "").strip(),
        "has_health_condition": has_health_condition,
        "health_condition_details": (health_condition_details or "").strip(),
        "has_fitness_to_practise_history": has_fitness_to_practise_history,
        "fitness_to_practise_details": (fitness_to_practise_details or "").strip(),
    }
    for flag, details, message in DECLARATIONS:
        if answers[flag] is None:
            raise RenewalError("Answer every declaration with yes or no", field=flag)
        if answers[flag] and not answers[details]:
            raise RenewalError(message, field=details)
        if not answers[flag]:
            # Details given and then answered "no" are not part of the declaration.
            answers[details] = ""
    today = timezone.localdate()
    with transaction.atomic():
        entry = RegisterEntry.objects.select_for_update().get(pk=entry.pk)
        hours = cpd_hours_since(entry)
        refusal = renewal_refusal(entry=entry, today=today, hours_logged=hours)
        if refusal is not None:
            raise refusal
        due = code_acceptance_due(worker)
        if due is not None and code is None:
            raise RenewalError(
                f"Tick the box to say you have read the code of conduct (version "
                f"{due.version}) and will keep to it.",
                field="accepts_code",
            )
        if code is not None:
            code_accept(user=worker, code=code, how=CodeAcceptance.How.RENEWAL)
        any_yes = any(answers[flag] for flag, _details, _message in DECLARATIONS)
        # After a refusal a registrar looks at the next renewal of the period whatever its
        # answers: otherwise answering "no" the second time would renew at once.
        after_refusal = renewal_refused_this_period(entry) is not None
        referred = any_yes or after_refusal
        try:
            # A savepoint, so that on PostgreSQL the transaction survives the duplicate.
            with transaction.atomic():
                renewal = Renewal.objects.create(
                    entry=entry,
                    status=Renewal.Status.REFERRED if referred else Renewal.Status.RENEWED,
                    renewal_due_before=entry.renewal_due,
                    cpd_hours=hours,
                    **answers,
                )
        except IntegrityError:
            raise _already_submitted(
                Renewal.objects.get(entry=entry, renewal_due_before=entry.renewal_due)
            ) from None
        audit_log(
            action="register.renewal.submitted",
            actor=worker,
            target=entry,
            data={
                "renewal_id": renewal.pk,
                "renewal_due_before": renewal.renewal_due_before,
                "cpd_hours": hours,
                "restoration": entry.status == Status.LAPSED,
            },
        )
        if referred:
            audit_log(
                action="register.renewal.referred",
                actor=worker,
                target=entry,
                new_status=renewal.status,
                data={"renewal_id": renewal.pk, "after_refusal": after_refusal},
            )
            email_from_template(
                to=[entry.worker.email],
                template="renewal_referred",
                context={
                    "entry": entry,
                    "renewal": renewal,
                    "any_yes": any_yes,
                    "after_refusal": after_refusal,
                },
            )
        else:
            _renew(entry=entry, renewal=renewal, by=worker)
    return renewal


def _renew(
    *, entry: RegisterEntry, renewal: Renewal, by: User, old_status: str = "", reason: str = ""
) -> RegisterEntry:
    """The effects of an accepted renewal. The caller holds the entry's lock."""
    decision = {"reason": reason} if reason else {}
    if entry.status == Status.LAPSED:
        # entry_restore writes the status change, its history, audit event and emails, and
        # gives a full period from today: the lapsed time is not backdated.
        entry = entry_restore(
            entry=entry,
            # The status change's reason is what the worker reads, in the email and their
            # history: a registrar's reason for accepting belongs in it.
            reason=(
                f"Restored on renewal: a registrar accepted it. Their reason: {reason}"
                if reason
                else "Restored on renewal: the declarations and CPD were accepted."
            ),
            by=by,
        )
        audit_log(
            action="register.renewal.renewed",
            actor=by,
            target=entry,
            old_status=old_status,
            new_status=renewal.status,
            data={
                "renewal_id": renewal.pk,
                "renewal_due": entry.renewal_due,
                "restored": True,
                **decision,
            },
        )
        return entry
    old_due = entry.renewal_due
    # From the old date, not from today: renewing early does not cost the worker any days.
    entry.renewal_due = next_renewal_due(old_due)
    entry.save(update_fields=["renewal_due"])
    audit_log(
        action="register.renewal.renewed",
        actor=by,
        target=entry,
        old_status=old_status,
        new_status=renewal.status,
        data={
            "renewal_id": renewal.pk,
            "old_renewal_due": old_due,
            "renewal_due": entry.renewal_due,
            **decision,
        },
    )
    email_from_template(
        to=[entry.worker.email],
        template="renewal_renewed",
        context={"entry": entry, "reason": reason},
    )
    return entry


def renewal_decide(*, renewal: Renewal, registrar: User, accept: bool, reason: str) -> Renewal:
    """A registrar accepts or refuses a referred renewal. A refused renewal leaves the entry as
    it is: once its renewal date passes, the lapse command lapses it."""
    if not can(registrar, "renewal.decide", renewal):
        raise RenewalError(
            "Only a registrar with two-factor authentication can decide renewals, and never "
            "their own."
        )
    reason = (reason or "").strip()
    if not reason:
        raise RenewalError(
            "Give a reason for your decision: the worker will see it", field="reason"
        )
    with transaction.atomic():
        # The entry first, in the same order as renewal_submit, so the two never deadlock.
        entry = RegisterEntry.objects.select_for_update().get(pk=renewal.entry_id)
        renewal = Renewal.objects.select_for_update().get(pk=renewal.pk)
        if renewal.status != Renewal.Status.REFERRED:
            raise RenewalError(
                f"This renewal has already been decided: {renewal.get_status_display().lower()}."
            )
        if accept and entry.status not in {*RegisterEntry.PRACTISING, Status.LAPSED}:
            raise RenewalError(
                f"The entry is {entry.get_status_display().lower()}, so its renewal cannot be "
                "accepted. Refuse it, or deal with the entry first."
            )
        if accept and entry.renewal_due != renewal.renewal_due_before:
            # Accepting would move the renewal date on a second time.
            raise RenewalError(
                "The entry's renewal date has changed since this renewal was sent, so it no "
                "longer applies. Refuse it."
            )
        renewal.status = Renewal.Status.RENEWED if accept else Renewal.Status.REFUSED
        renewal.decided_by = registrar
        renewal.decided_at = timezone.now()
        renewal.decision_reason = reason
        renewal.save(update_fields=["status", "decided_by", "decided_at", "decision_reason"])
        if accept:
            _renew(
                entry=entry,
                renewal=renewal,
                by=registrar,
                old_status=Renewal.Status.REFERRED,
                reason=reason,
            )
        else:
            audit_log(
                action="register.renewal.refused",
                actor=registrar,
                target=entry,
                old_status=Renewal.Status.REFERRED,
                new_status=renewal.status,
                data={"renewal_id": renewal.pk, "reason": reason},
            )
            email_from_template(
                to=[entry.worker.email],
                template="renewal_refused",
                context={"entry": entry, "reason": reason},
            )
    return renewal


# --- Reminders -------------------------------------------------------------------------------


def renewal_reminders_due(*, today: date) -> QuerySet[RegisterEntry]:
    """Practising entries owed a reminder today, each annotated with `reminder_days`: the
    smallest threshold in RENEWAL_REMINDER_DAYS that its renewal date is within.

    One query: the threshold is worked out in SQL, and entries that already had that reminder
    or already sent a renewal for this period (one not refused) are left out there too, so the
    caller does work only for reminders it will really send.
    """
    thresholds = sorted(settings.RENEWAL_REMINDER_DAYS)
    reminder_days = Case(
        *[
            When(renewal_due__lte=today + timedelta(days=days), then=Value(days))
            for days in thresholds
        ],
        output_field=IntegerField(),
    )
    already_reminded = RenewalReminder.objects.filter(
        entry=OuterRef("pk"),
        renewal_due=OuterRef("renewal_due"),
        days_before=OuterRef("reminder_days"),
    )
    # A refused renewal does not stop the reminders: the registration still lapses unless the
    # worker renews, and the worker and their employers must hear so.
    already_submitted = Renewal.objects.filter(
        entry=OuterRef("pk"), renewal_due_before=OuterRef("renewal_due")
    ).exclude(status=Renewal.Status.REFUSED)
    return (
        RegisterEntry.objects.filter(
            status__in=RegisterEntry.PRACTISING,
            renewal_due__gt=today,
            renewal_due__lte=today + timedelta(days=thresholds[-1]),
        )
        .annotate(reminder_days=reminder_days)
        .exclude(Exists(already_reminded))
        .exclude(Exists(already_submitted))
        .select_related("worker")
        .order_by("renewal_due", "pk")
    )


def renewal_reminder_send(
    *, entry: RegisterEntry, days_before: int, today: date
) -> RenewalReminder | None:
    """Send one reminder, unless it was already sent: then None."""
    with transaction.atomic():
        try:
            with transaction.atomic():
                reminder = RenewalReminder.objects.create(
                    entry=entry, renewal_due=entry.renewal_due, days_before=days_before
                )
        except IntegrityError:
            # Another run sent it a moment ago; the unique constraint is what keeps it single.
            return None
        audit_log(
            action="register.reminder.sent",
            actor=None,
            target=entry,
            data={"renewal_due": entry.renewal_due, "days_before": days_before},
        )
        hours_logged = cpd_hours_since(entry)
        email_from_template(
            to=[entry.worker.email],
            template="renewal_reminder",
            context={
                "entry": entry,
                "renewal_due": format_day(entry.renewal_due),
                "days_left": (entry.renewal_due - today).days,
                "hours_logged": format_hours(hours_logged),
                "hours_needed": format_hours(cpd_hours_needed()),
                "has_enough_cpd": hours_logged >= cpd_hours_needed(),
            },
        )
        # Employers hear before the lapse, not only after it.
        renewal_reminder_sent.send(
            sender=RegisterEntry,
            entry=entry,
            renewal_due=entry.renewal_due,
            days_before=days_before,
            today=today,
        )
    return reminder


def renewal_reminders_send(*, today: date) -> int:
    """Send every reminder due today. Safe to run again: a reminder is never sent twice."""
    sent = 0
    for entry in renewal_reminders_due(today=today).iterator(chunk_size=500):
        if renewal_reminder_send(entry=entry, days_before=entry.reminder_days, today=today):
            sent += 1
    return sent


# --- Lapsing ---------------------------------------------------------------------------------


def registrations_overdue(*, today: date) -> QuerySet[RegisterEntry]:
    """Practising entries whose renewal date has passed, except those whose renewal, sent in
    time, is still waiting for a registrar: a slow decision must not lapse the worker."""
    waiting_for_registrar = Renewal.objects.filter(
        entry=OuterRef("pk"),
        renewal_due_before=OuterRef("renewal_due"),
        status=Renewal.Status.REFERRED,
    )
    return (
        RegisterEntry.objects.filter(status__in=RegisterEntry.PRACTISING, renewal_due__lt=today)
        .exclude(Exists(waiting_for_registrar))
        .order_by("renewal_due", "pk")
    )


def registrations_lapse_overdue(*, today: date, dry_run: bool = False) -> list[str]:
    """Lapse every overdue entry, telling the worker and linked employers. Returns the
    registration numbers lapsed (or, in a dry run, that would be). Safe to run again: a lapsed
    entry is not practising, so a second run finds nothing to do."""
    overdue = registrations_overdue(today=today)
    if dry_run:
        return list(overdue.values_list("registration_number", flat=True))
    lapsed: list[str] = []
    failed: list[str] = []
    # The ids first: lapsing changes the rows the query selects, and SQLite gives a cursor no
    # isolation from writes on its own connection.
    for pk, number in list(overdue.values_list("pk", "registration_number")):
        try:
            # One transaction each: an entry that fails leaves the others lapsed.
            with transaction.atomic():
                entry = registrations_overdue(today=today).select_for_update().filter(pk=pk).first()
                if entry is None:
                    continue  # renewed, or changed by a registrar, since the query ran
                entry_lapse(
                    entry=entry,
                    reason=f"Not renewed by {format_day(entry.renewal_due)}.",
                    by=None,
                )
        except Exception:
            logger.exception("Could not lapse registration %s", number)
            failed.append(number)
        else:
            lapsed.append(number)
    if failed:
        raise LapseIncomplete(lapsed=lapsed, failed=failed)
    return lapsed
