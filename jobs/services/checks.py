"""Pre-employment checks in days, not weeks (issue 20, part 7).

An offer opens a checklist of what CQC's Regulation 19 and Schedule 3 ask an employer to hold
about a new care worker. Whatever the register verified, and the candidate shares with this
employer through the application's share, arrives filled in with who checked it and when; the
register says plainly where it has nothing. The employer records the rest, with who has to act
now (the candidate, the employer or a third party). The application cannot be hired until
every item is done or recorded as not needed with a reason; on hire, a worker on the register
joins the employer's staff list with the share's consent carried over.

`application_move_locked` (jobs/services/applications.py), the one place a stage changes, calls
`checklist_open_locked` on an offer, and `checklist_require_finished` and
`checklist_hire_locked` on a hire. Every change is audited as `jobs.checks.<verb>`."""

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from accounts.permissions import require
from core.audit import audit_log
from core.dates import format_day
from core.errors import ApplicationError
from core.notifications import email_from_template
from employers.models import ShareCodeCheck, StaffMembership
from employers.services.staff import staff_add
from jobs.models import Application, PreEmploymentCheck, PreEmploymentChecklist
from passports.selectors import training_states
from register.models import IdentityCheck, RegisterEntry

Item = PreEmploymentCheck.Item
State = PreEmploymentCheck.State
WaitingOn = PreEmploymentCheck.WaitingOn
StaffListOutcome = PreEmploymentChecklist.StaffListOutcome

# The stages at which the checklist can be changed: after the offer, before the outcome.
OPEN_STAGES = {Application.Stage.OFFER, Application.Stage.CHECKS}


class ChecksError(ApplicationError):
    pass


class ChecksNotFinished(ChecksError):
    """A hire refused: some items are neither done nor recorded as not needed."""


@dataclass(frozen=True)
class ItemDefaults:
    """Whose move an item is when the register has nothing for it, and what the candidate is
    asked for, in the words the candidate sees."""

    waiting_on: str
    request_to_candidate: str
    third_party: str = ""


DEFAULTS = {
    Item.IDENTITY: ItemDefaults(
        WaitingOn.CANDIDATE,
        "Show us your passport or photocard driving licence, and give us a recent photo of "
        "yourself.",
    ),
    Item.DBS: ItemDefaults(
        WaitingOn.CANDIDATE,
        "Give us your enhanced DBS certificate with the adults' barred list. If you subscribe "
        "to the DBS Update Service, tell us your certificate number so we can check it online.",
    ),
    Item.RIGHT_TO_WORK: ItemDefaults(
        WaitingOn.CANDIDATE,
        "Give us a share code from GOV.UK (Prove your right to work), or show us your British "
        "or Irish passport.",
    ),
    Item.EMPLOYMENT_HISTORY: ItemDefaults(
        WaitingOn.CANDIDATE,
        "Send us your full employment history, with the dates of each job, and tell us about "
        "any gaps in it.",
    ),
    Item.CONDUCT: ItemDefaults(
        WaitingOn.EMPLOYER,
        "Give us the name and email address of your manager in your last job in care, and why "
        "that job ended.",
    ),
    Item.HEALTH: ItemDefaults(
        WaitingOn.CANDIDATE,
        "Fill in our health declaration, so we can make any adjustments you need for the job.",
    ),
    Item.QUALIFICATIONS: ItemDefaults(
        WaitingOn.CANDIDATE,
        "Show us the certificates of your care qualifications and training.",
    ),
}
POSITIONS = {item: position for position, item in enumerate(Item.values, start=1)}


@dataclass(frozen=True)
class Prefill:
    """What the register gives one item: filled in (done, with who checked it and when), or
    only a summary to go on, or nothing (the summary says so)."""

    summary: str
    done: bool = False
    checked_by_name: str = ""
    checked_on: datetime.date | None = None
    waiting_on: str = ""
    # The register recorded a passed check, even where the item is left for the employer (right
    # to work): a paid trial reads it (jobs/services/trials.py).
    passed: bool = False


def _registrar(check: IdentityCheck) -> str:
    return f"{check.checked_by.full_name}, registrar, Care Register"


def _latest_passed(checks: list[IdentityCheck], check_type: str) -> IdentityCheck | None:
    passed = [
        check
        for check in checks
        if check.check_type == check_type and check.outcome == IdentityCheck.Outcome.PASSED
    ]
    return passed[-1] if passed else None


def _identity_prefills(entry: RegisterEntry, *, today: datetime.date) -> dict[str, Prefill]:
    """The registrars' checks of the candidate's register application: the outcome and the day,
    never a document or its number (as a share code shows them)."""
    checks = list(
        IdentityCheck.objects.filter(application_id=entry.application_id)
        .select_related("checked_by")
        .order_by("checked_at", "id")
    )
    prefills: dict[str, Prefill] = {}

    photo = _latest_passed(checks, IdentityCheck.Type.PHOTO_ID)
    if photo is not None:
        summary = (
            f"The register checked {entry.full_name}'s photo identity document "
            f"({photo.get_document_type_display() or 'a photo identity document'}) and their "
            "likeness to its photograph."
        )
        if photo.document_expires_on and photo.document_expires_on < today:
            summary += (
                f" The document has since expired, on {format_day(photo.document_expires_on)}."
            )
        prefills[Item.IDENTITY] = Prefill(
            summary,
            done=True,
            checked_by_name=_registrar(photo),
            checked_on=timezone.localdate(photo.checked_at),
        )

    dbs = _latest_passed(checks, IdentityCheck.Type.DBS)
    if dbs is not None:
        summary = "The register checked an enhanced DBS certificate with the adults' barred list"
        if dbs.certificate_issued_on:
            summary += f", issued on {format_day(dbs.certificate_issued_on)}"
        summary += "."
        new_information = (
            dbs.update_service_result == IdentityCheck.UpdateServiceResult.NEW_INFORMATION
        )
        if dbs.update_service_checked_on:
            summary += (
                f" The DBS Update Service, checked on {format_day(dbs.update_service_checked_on)}, "
                f"said: {dbs.get_update_service_result_display().lower()}."
            )
        if new_information:
            # The certificate is no longer current: the item stays open for a new one.
            prefills[Item.DBS] = Prefill(summary, waiting_on=WaitingOn.CANDIDATE)
        else:
            prefills[Item.DBS] = Prefill(
                summary,
                done=True,
                passed=True,
                checked_by_name=_registrar(dbs),
                checked_on=timezone.localdate(dbs.checked_at),
            )

    right_to_work = _latest_passed(checks, IdentityCheck.Type.RIGHT_TO_WORK)
    if right_to_work is not None:
        # Shown, but left for the employer: only a check the employer makes itself gives it a
        # statutory excuse against a civil penalty for illegal working.
        prefills[Item.RIGHT_TO_WORK] = Prefill(
            f"{_registrar(right_to_work)} checked {entry.full_name}'s right to work on "
            f"{format_day(right_to_work.checked_at)} "
            f"({right_to_work.get_right_to_work_route_display() or 'a document check'}). "
            "Only a check you make yourself gives you a statutory excuse against a penalty for "
            "illegal working: make your own before they start, and record it here.",
            waiting_on=WaitingOn.EMPLOYER,
            passed=True,
        )

    references = [
        check
        for check in checks
        if check.check_type == IdentityCheck.Type.REFERENCE
        and check.outcome == IdentityCheck.Outcome.PASSED
    ]
    if references and entry.may_practise:
        latest = references[-1]
        prefills[Item.CONDUCT] = Prefill(
            f"The register took {len(references)} reference{'s' if len(references) != 1 else ''} "
            f"and found them satisfactory. {entry.full_name} is "
            f"{entry.get_status_display().lower()} on the register, with no suspension or "
            "removal.",
            done=True,
            checked_by_name=_registrar(latest),
            checked_on=timezone.localdate(latest.checked_at),
        )
    return prefills


def _training_prefill(entry: RegisterEntry, *, today: datetime.date) -> Prefill:
    states = training_states(entry=entry, today=today)
    current = [state for state in states.counted if state.is_current]
    if not current and not states.needed:
        return Prefill("The register holds no verified training for this candidate.")
    lines = []
    for state in current:
        record = state.record
        if record.provider_id and record.decided_by_id in (None, record.recorded_by_id):
            # An approved provider's record is verified as it arrives, decided by the person
            # who recorded it: the provider's own, never a registrar.
            who = f"recorded by {record.provider.name}, an approved training provider"
            when = record.recorded_at
        elif record.decided_by_id:
            who = f"checked by {record.decided_by.full_name}, registrar"
            when = record.decided_at or record.recorded_at
        else:
            who = f"recorded by {record.provider.name if record.provider else record.provider_name}"
            when = record.recorded_at
        lines.append(
            f"{record.standard.title}: completed on {format_day(record.completed_on)}, {who} "
            f"on {format_day(when)} ({state.label.lower()})."
        )
    for needed in states.needed:
        lines.append(
            f"{needed.standard.title}: needed for their role, not held "
            f"({needed.reason[:1].lower()}{needed.reason[1:]})."
        )
    summary = "Verified on the register: " if current else ""
    summary += " ".join(lines)
    if current and not states.needed:
        latest = max(
            timezone.localdate(state.record.decided_at or state.record.recorded_at)
            for state in current
        )
        return Prefill(
            summary,
            done=True,
            checked_by_name="Care Register training passport (approved providers and registrars)",
            checked_on=latest,
        )
    return Prefill(summary, waiting_on=WaitingOn.CANDIDATE)


def register_prefills(
    application: Application, *, today: datetime.date
) -> tuple[dict[str, Prefill], bool, bool]:
    """What the register gives each item of this application's checklist, whether the share
    was live, and whether it shares identity checks. Only what the candidate shares: nothing
    unless the application's share is live; the registrars' checks only if they chose to share
    identity check outcomes; training and the live register status with any live share."""
    entry = application.entry
    share = application.share
    if entry is None:
        nothing = (
            f"{application.applicant.full_name} is not on the register, so the register has "
            "nothing for this: check it yourself."
        )
        return {item: Prefill(nothing) for item in Item.values}, False, False
    share_live = share is not None and share.entry_id == entry.pk and share.is_live()
    if not share_live:
        stopped = (
            f"{entry.full_name} stopped sharing their record with you, so nothing arrives from "
            "the register: check it yourself."
        )
        return {item: Prefill(stopped) for item in Item.values}, False, False
    shares_identity = share.shares_identity_checks
    prefills: dict[str, Prefill] = {}
    if shares_identity:
        prefills.update(_identity_prefills(entry, today=today))
        not_checked = "The register has no check of this for {name}: check it yourself."
    else:
        not_checked = (
            "{name} chose not to share the outcomes of the register's identity checks with you: "
            "check it yourself."
        )
    for item in (Item.IDENTITY, Item.DBS, Item.RIGHT_TO_WORK, Item.CONDUCT):
        prefills.setdefault(item, Prefill(not_checked.format(name=entry.full_name)))
    if not entry.may_practise:
        prefills[Item.CONDUCT] = Prefill(
            f"{entry.full_name} is {entry.get_status_display().lower()} on the register: ask "
            "them why before you go on, and take up references yourself.",
            waiting_on=WaitingOn.EMPLOYER,
        )
    prefills[Item.EMPLOYMENT_HISTORY] = Prefill(
        "The register does not hold employment histories: ask the candidate for theirs."
    )
    prefills[Item.HEALTH] = Prefill(
        "The register never shares health information with employers: ask the candidate for "
        "your own health declaration."
    )
    prefills[Item.QUALIFICATIONS] = _training_prefill(entry, today=today)
    return prefills, True, shares_identity


def checklist_open_locked(
    *, application: Application, actor: User | None
) -> PreEmploymentChecklist:
    """Open the checklist of an application the caller has locked, as it moves to "offer":
    one item of each kind, filled in from the register where the candidate shares it. An
    application that already has one keeps it."""
    existing = PreEmploymentChecklist.objects.filter(application=application).first()
    if existing is not None:
        return existing
    now = timezone.now()
    prefills, share_live, shares_identity = register_prefills(
        application, today=timezone.localdate(now)
    )
    checklist = PreEmploymentChecklist.objects.create(
        application=application,
        opened_at=now,
        opened_by=actor,
        share_was_live=share_live,
        shared_identity_checks=shares_identity,
    )
    items = []
    for item in Item.values:
        prefill, defaults = prefills[item], DEFAULTS[item]
        items.append(
            PreEmploymentCheck(
                checklist=checklist,
                item=item,
                position=POSITIONS[item],
                state=State.DONE if prefill.done else State.TO_DO,
                waiting_on="" if prefill.done else (prefill.waiting_on or defaults.waiting_on),
                third_party="" if prefill.done else defaults.third_party,
                request_to_candidate="" if prefill.done else defaults.request_to_candidate,
                checked_by_name=prefill.checked_by_name,
                checked_on=prefill.checked_on,
                from_register=prefill.done,
                register_summary=prefill.summary,
                updated_at=now,
            )
        )
    PreEmploymentCheck.objects.bulk_create(items)
    audit_log(
        action="jobs.checks.opened",
        actor=actor,
        target=checklist,
        data={
            "application": application.reference,
            "share_live": share_live,
            "shared_identity_checks": shares_identity,
            "filled_from_register": sorted(item.item for item in items if item.from_register),
        },
    )
    return checklist


def _unfinished(checklist: PreEmploymentChecklist) -> list[PreEmploymentCheck]:
    return [item for item in checklist.items.all() if not item.is_finished]


def checklist_require_finished(*, application: Application) -> None:
    """Refuse a hire while any item is neither done nor recorded as not needed."""
    checklist = PreEmploymentChecklist.objects.filter(application=application).first()
    if checklist is None:
        raise ChecksNotFinished(
            "This application has no pre-employment checks: make an offer first, which opens them."
        )
    unfinished = _unfinished(checklist)
    if unfinished:
        names = "; ".join(item.get_item_display().lower() for item in unfinished)
        raise ChecksNotFinished(
            f"Finish every pre-employment check before you hire: {len(unfinished)} still to do "
            f"({names}). Record each as done, or as not needed with a reason."
        )


def _consent_from_application(
    *, application: Application, checklist: PreEmploymentChecklist, actor: User
) -> ShareCodeCheck:
    """The consent a staff list entry records: an accepted check of the application's share,
    made now, on hire, by the person hiring (as share_code_check records one for a typed
    code), and kept on the checklist as coming from this application."""
    check = ShareCodeCheck.objects.create(
        share_code=application.share,
        organisation=application.vacancy.organisation,
        user=actor,
        outcome=ShareCodeCheck.Outcome.ACCEPTED,
    )
    audit_log(
        action="jobs.checks.consent_carried_over",
        actor=actor,
        target=application.share,
        new_status=check.outcome,
        data={
            "check_id": check.pk,
            "organisation_id": check.organisation_id,
            "application": application.reference,
        },
    )
    checklist.consent_check = check
    return check


def checklist_hire_locked(
    *, application: Application, actor: User | None
) -> PreEmploymentChecklist:
    """On a hire of an application the caller has locked: put a worker on the register on the
    employer's staff list with the consent of the application's share, or record why not
    (not on the register, the share ended, already listed, or the staff list refused)."""
    checklist = PreEmploymentChecklist.objects.select_for_update().get(application=application)
    organisation = application.vacancy.organisation
    entry = application.entry
    share = application.share
    outcome, note, membership = StaffListOutcome.NOT_ADDED, "", None
    if entry is None:
        outcome = StaffListOutcome.NOT_ON_REGISTER
        note = (
            f"{application.applicant.full_name} is not on the register, so they are not on your "
            "staff list: the staff list holds workers on the register. If they join the "
            "register, ask them for a share code to add them."
        )
    elif StaffMembership.objects.filter(
        organisation=organisation, entry=entry, status=StaffMembership.Status.ACTIVE
    ).exists():
        outcome = StaffListOutcome.ALREADY_LISTED
        note = f"{entry.full_name} was already on your staff list."
    elif share is None or share.entry_id != entry.pk or not share.is_live():
        outcome = StaffListOutcome.SHARE_ENDED
        note = (
            f"{entry.full_name} stopped sharing their record with you, so they were not added to "
            "your staff list. Ask them for a share code to add them."
        )
    elif actor is None:
        note = "Only a person can add a worker to a staff list."
    else:
        try:
            # A savepoint: a refusal takes back the consent check made for it, and the hire
            # goes on without the staff list entry, saying why.
            with transaction.atomic():
                check = _consent_from_application(
                    application=application, checklist=checklist, actor=actor
                )
                membership = staff_add(organisation=organisation, user=actor, check=check)
        except ApplicationError as error:
            checklist.consent_check = None
            note = f"{entry.full_name} was not added to your staff list: {error}"
        else:
            outcome = StaffListOutcome.ADDED
            note = f"{entry.full_name} is now on your staff list."
    checklist.hired_at = timezone.now()
    checklist.staff_list_outcome = outcome
    checklist.staff_list_note = note
    checklist.staff_membership = membership
    checklist.save(
        update_fields=[
            "hired_at",
            "staff_list_outcome",
            "staff_list_note",
            "staff_membership",
            "consent_check",
        ]
    )
    audit_log(
        action="jobs.checks.hired",
        actor=actor,
        target=checklist,
        new_status=outcome,
        data={
            "application": application.reference,
            "staff_membership_id": membership.pk if membership else None,
            "consent_check_id": checklist.consent_check_id,
        },
    )
    return checklist


# --- The employer records the checks -------------------------------------------------------


@dataclass(frozen=True)
class CheckRecord:
    """What the employer records about one item."""

    state: str
    waiting_on: str = ""
    third_party: str = ""
    request_to_candidate: str = ""
    notes: str = ""
    not_needed_reason: str = ""
    checked_by_name: str = ""
    checked_on: datetime.date | None = None


def _problems(record: CheckRecord, *, today: datetime.date) -> dict[str, str]:
    problems: dict[str, str] = {}
    if record.state not in State.values:
        problems["state"] = "Choose where this check stands."
        return problems
    if record.state == State.TO_DO:
        if record.waiting_on not in WaitingOn.values:
            problems["waiting_on"] = "Choose who has to act now."
        elif record.waiting_on == WaitingOn.THIRD_PARTY and not record.third_party:
            problems["third_party"] = "Say which third party, for example “the DBS”."
    if record.state == State.DONE:
        if not record.checked_by_name:
            problems["checked_by_name"] = "Enter the name of the person who checked it."
        if record.checked_on is None:
            problems["checked_on"] = "Enter the date it was checked."
    if record.state == State.NOT_NEEDED and not record.not_needed_reason:
        problems["not_needed_reason"] = "Say why this post does not need this check."
    if record.checked_on is not None and record.checked_on > today:
        problems["checked_on"] = "The date it was checked must be today or in the past."
    return problems


class CheckInvalid(ChecksError):
    """What the employer recorded does not fit; `problems` maps each field to what is wrong."""

    def __init__(self, problems: dict[str, str]):
        self.problems = problems
        super().__init__(" ".join(problems.values()), field=next(iter(problems)))


def check_record(
    *, check: PreEmploymentCheck, actor: User, record: CheckRecord
) -> PreEmploymentCheck:
    """A member of the employer records where one item stands. The first record made while
    the application is at "offer" moves it on to "checks", and the candidate is told; a
    request newly waiting on the candidate is emailed to them."""
    application = check.checklist.application
    require(actor, "checks.manage", application)
    record = CheckRecord(
        **{
            name: value.strip() if isinstance(value, str) else value
            for name, value in record.__dict__.items()
        }
    )
    problems = _problems(record, today=timezone.localdate())
    if problems:
        raise CheckInvalid(problems)
    # Imported here: application_move_locked calls this module's hooks.
    from jobs.services.applications import application_move_locked

    with transaction.atomic():
        application = (
            Application.objects.select_for_update(of=("self",))
            .select_related("vacancy__organisation", "applicant")
            .get(pk=application.pk)
        )
        if application.stage not in OPEN_STAGES:
            raise ChecksError(
                "These checks are closed: the application is "
                f"{application.get_stage_display().lower()}, so nothing more can be recorded."
            )
        check = PreEmploymentCheck.objects.select_for_update().get(pk=check.pk)
        old_state, old_waiting_on = check.state, check.waiting_on
        finished = record.state in PreEmploymentCheck.FINISHED
        check.state = record.state
        check.waiting_on = "" if finished else record.waiting_on
        check.third_party = (
            record.third_party
            if not finished and record.waiting_on == WaitingOn.THIRD_PARTY
            else ""
        )
        check.request_to_candidate = record.request_to_candidate
        check.notes = record.notes
        check.not_needed_reason = (
            record.not_needed_reason if record.state == State.NOT_NEEDED else ""
        )
        check.checked_by_name = record.checked_by_name if record.state == State.DONE else ""
        check.checked_on = record.checked_on if record.state == State.DONE else None
        # What the employer records is the employer's, even where the register filled it in.
        check.from_register = False
        check.updated_by = actor
        check.updated_at = timezone.now()
        check.save()
        audit_log(
            action="jobs.checks.recorded",
            actor=actor,
            target=check,
            old_status=old_state,
            new_status=check.state,
            data={
                "application": application.reference,
                "item": check.item,
                "waiting_on": check.waiting_on,
                "checked_on": check.checked_on,
            },
        )
        if application.stage == Application.Stage.OFFER:
            application_move_locked(
                application=application, to=Application.Stage.CHECKS, actor=actor
            )
        if check.waiting_on == WaitingOn.CANDIDATE and old_waiting_on != WaitingOn.CANDIDATE:
            email_from_template(
                to=[application.applicant.email],
                template="jobs/checks_waiting_on_you",
                context={
                    "application": application,
                    "vacancy": application.vacancy,
                    "check": check,
                },
            )
    return check


def checklist_hire(*, application: Application, actor: User) -> Application:
    """The employer hires the candidate once every check is finished: one transaction moves
    the application to "hired" (through "checks" if it is still at "offer"), which refuses an
    unfinished checklist and puts the worker on the staff list."""
    require(actor, "checks.manage", application)
    from jobs.services.applications import application_move_locked

    with transaction.atomic():
        locked = (
            Application.objects.select_for_update(of=("self",))
            .select_related("vacancy__organisation", "applicant", "entry", "share")
            .get(pk=application.pk)
        )
        if locked.stage == Application.Stage.OFFER:
            checklist_require_finished(application=locked)
            application_move_locked(application=locked, to=Application.Stage.CHECKS, actor=actor)
        application_move_locked(application=locked, to=Application.Stage.HIRED, actor=actor)
    return locked
