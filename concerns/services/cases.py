"""Deciding a case: screening, interim suspension, the worker's side, decisions by two
registrars, appeals, and closing. Every move goes through `_move`, which checks
Case.TRANSITIONS, logs the step with its time and writes the audit event; what changes on the
register is done by the register's own services, whose status changes tell employers (alerts
and webhooks) and passports (status lists) through the register's signals.

Fairness rules, each refused here with a message: nobody acts on a case about themselves or
that they raised; the registrar who screened never decides; an interim suspension is reviewed
by a registrar who did not impose it; a decision needs two registrars, one proposing and the
other agreeing; nobody decides an appeal against a decision they took part in.
"""

from datetime import date, timedelta

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from accounts.permissions import require
from concerns.models import (
    Appeal,
    Case,
    CaseFigures,
    Decision,
    Document,
    InterimOrder,
    Participant,
    StepLog,
    WorkerResponse,
)
from concerns.rules import is_conflicted, response_window_open, roles_in
from concerns.services.documents import documents_store, files_removed_on_failure, uploads_checked
from core.audit import audit_log
from core.dates import format_day, working_days_between
from core.errors import ApplicationError
from core.notifications import email_from_template
from register.models import Annotation, RegisterEntry
from register.registration_numbers import normalise as normalise_number
from register.services import entries as register_entries
from register.services.evidence import EvidenceError

Status = Case.Status
Outcome = Case.Outcome
Role = Participant.Role
EntryStatus = RegisterEntry.Status

# From least to most serious: an appeal may replace an outcome only with a less serious one.
SEVERITY = [
    Outcome.NO_ACTION,
    Outcome.ADVICE,
    Outcome.WARNING,
    Outcome.CONDITIONS,
    Outcome.SUSPENSION,
    Outcome.REMOVAL,
]
PANEL_SIZE = 2
# A response with the same words as the last, sent within this time, is the same one sent twice.
RESENT_WITHIN = timedelta(minutes=10)


class CaseError(ApplicationError):
    pass


def _lock(case: Case) -> Case:
    # Only the case's row is locked: the entry is read with it but changed by the register.
    return (
        Case.objects.select_for_update(of=("self",)).select_related("entry__worker").get(pk=case.pk)
    )


def _move(case: Case, to: str, *, by: User | None, note: str, data: dict | None = None) -> None:
    """The one way a case changes status: checked against TRANSITIONS, timed and audited."""
    old = case.status
    if to not in Case.TRANSITIONS[old]:
        raise CaseError(
            f"A case that is {Status(old).label.lower()} cannot become {Status(to).label.lower()}."
        )
    now = timezone.now()
    case.status = to
    case.status_changed_at = now
    case.save()
    StepLog.objects.create(case=case, old_status=old, new_status=to, by=by, at=now, note=note)
    audit_log(
        action=f"concerns.case.{to}",
        actor=_audit_actor(case, by),
        target=case,
        old_status=old,
        new_status=to,
        data={**(data or {}), **_audit_by(case, by)},
    )


def _is_the_worker(case: Case, user: User | None) -> bool:
    return user is not None and case.entry_id is not None and case.entry.worker_id == user.pk


def _audit_actor(case: Case, user: User | None) -> User | None:
    """Registrars are named in the audit log; the worker is not. The log outlives a case
    closed with no action, when it must show only that the case existed, and the case's own
    timeline (StepLog, deleted with it) says who did what until then."""
    return None if _is_the_worker(case, user) else user


def _audit_by(case: Case, user: User | None) -> dict:
    return {"by": "the worker"} if _is_the_worker(case, user) else {}


def _expect(case: Case, *statuses: str, doing: str) -> None:
    if case.status not in statuses:
        raise CaseError(f"You cannot {doing}: the case is {case.get_status_display().lower()}.")


def _case_url(case: Case, name: str) -> str:
    return settings.SITE_URL + reverse(name, args=[case.reference])


def _tell_worker(case: Case, template: str, **context) -> None:
    email_from_template(
        to=[case.entry.worker.email],
        template=template,
        context={
            "case": case,
            "link": _case_url(case, "concerns:worker-case"),
            "docs_url": settings.SITE_URL + reverse("concerns:how"),
            **context,
        },
    )


def _tell_raiser(case: Case, template: str, **context) -> None:
    if case.anonymous or not case.raiser_email:
        return
    email_from_template(
        to=[case.raiser_email],
        template=template,
        context={"case": case, "docs_url": settings.SITE_URL + reverse("concerns:how"), **context},
    )


def _figures(case: Case) -> CaseFigures:
    return CaseFigures.objects.select_for_update().get(case=case)


def _join(case: Case, registrar: User, role: str) -> None:
    Participant.objects.get_or_create(case=case, registrar=registrar, role=role)


def _text(value: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise CaseError(message)
    return value


# Screening ---------------------------------------------------------------------------------


def case_screen(
    *,
    case: Case,
    registrar: User,
    risk: str,
    result: str,
    reasons: str,
    allegation: str = "",
    registration_number: str = "",
) -> Case:
    """Record the risk and whether to investigate. Investigating tells the worker the
    allegation and the date to respond by; no case to answer closes it and tells the raiser."""
    require(registrar, "case.act", case)
    if risk not in Case.Risk.values:
        raise CaseError("Choose the level of risk.")
    if result not in Case.ScreeningResult.values:
        raise CaseError("Choose whether to investigate or close the case.")
    reasons = _text(reasons, "Write the reasons for your screening decision.")
    with transaction.atomic():
        case = _lock(case)
        _expect(case, Status.RECEIVED, doing="screen it")
        if registration_number and case.entry_id is None:
            case.entry = RegisterEntry.objects.filter(
                registration_number=normalise_number(registration_number)
            ).first()
            if case.entry is None:
                raise CaseError("No one on the register has that registration number.")
            if is_conflicted(registrar, case):
                raise CaseError("You cannot screen a concern about yourself.")
        if result == Case.ScreeningResult.INVESTIGATE:
            if case.entry_id is None:
                raise CaseError(
                    "Find the worker on the register and give their registration number "
                    "before opening an investigation."
                )
            allegation = _text(
                allegation,
                "Write the allegation as the worker will read it. Do not name the person who "
                "raised the concern if they asked not to be named.",
            )
        now = timezone.now()
        case.screened_by = registrar
        case.screened_at = now
        case.risk = risk
        case.screening_result = result
        case.screening_reasons = reasons
        case.allegation = allegation.strip()
        _join(case, registrar, Role.SCREENER)
        _move(case, Status.SCREENED, by=registrar, note="Screened", data={"risk": risk})
        figures = _figures(case)
        figures.working_days_to_screen = working_days_between(
            timezone.localdate(case.received_at), timezone.localdate(now)
        )
        if result == Case.ScreeningResult.NO_CASE:
            figures.screened_out = True
            figures.outcome = Outcome.NO_ACTION
            figures.save()
            case.outcome = Outcome.NO_ACTION
            case.closed_at = now
            _move(case, Status.CLOSED, by=registrar, note="Closed at screening")
            _tell_raiser(case, "concern_closed_at_screening")
            return case
        figures.save()
        case.investigation_started_at = now
        case.worker_told_at = case.worker_told_at or now
        case.response_due = timezone.localdate(now) + timedelta(days=settings.CONCERN_RESPONSE_DAYS)
        _move(case, Status.INVESTIGATING, by=registrar, note="Investigation opened")
        _tell_worker(case, "concern_worker_investigation")
        _tell_raiser(case, "concern_investigating")
    return case


# Interim suspension ------------------------------------------------------------------------


def interim_suspend(*, case: Case, registrar: User, reasons: str) -> InterimOrder:
    """Suspend the worker at once where the screening found a serious risk. The worker is told
    why and may respond within CONCERN_INTERIM_RESPONSE_DAYS; another registrar reviews it."""
    require(registrar, "case.act", case)
    reasons = _text(reasons, "Write why the worker must be suspended now: they will read it.")
    with transaction.atomic():
        case = _lock(case)
        _expect(case, Status.INVESTIGATING, doing="suspend the worker")
        if not roles_in(registrar, case):
            raise CaseError("Only a registrar with a part in this case can suspend the worker.")
        if case.risk != Case.Risk.SERIOUS:
            raise CaseError("An interim suspension needs a serious risk recorded at screening.")
        if case.interim_orders.filter(ended_at__isnull=True).exists():
            raise CaseError("The worker is already suspended while this case is looked into.")
        entry = case.entry
        if not entry.may_practise:
            raise CaseError(
                f"The worker's registration is {entry.get_status_display().lower()}: there is "
                "nothing to suspend."
            )
        today = timezone.localdate()
        order = InterimOrder.objects.create(
            case=case,
            imposed_by=registrar,
            until=today + timedelta(days=settings.CONCERN_INTERIM_ORDER_DAYS),
            reasons=reasons,
            response_due=today + timedelta(days=settings.CONCERN_INTERIM_RESPONSE_DAYS),
        )
        register_entries.entry_suspend(
            entry=entry,
            registrar=registrar,
            kind=RegisterEntry.SuspensionKind.INTERIM,
            until=order.until,
            reason="Suspended while a concern is looked into (an interim suspension).",
        )
        figures = _figures(case)
        figures.interim_suspension = True
        figures.save(update_fields=["interim_suspension"])
        StepLog.objects.create(
            case=case,
            old_status=case.status,
            new_status=case.status,
            by=registrar,
            note="Interim suspension imposed",
        )
        audit_log(
            action="concerns.interim_order.imposed",
            actor=registrar,
            target=case,
            data={"order_id": order.pk, "until": order.until, "response_due": order.response_due},
        )
        _tell_worker(case, "concern_worker_interim", order=order)
    return order


def interim_respond(*, order: InterimOrder, worker: User, text: str) -> InterimOrder:
    """The worker's answer to an interim suspension, for the reviewing registrar."""
    text = _text(text, "Write your response.")
    with transaction.atomic():
        order = (
            InterimOrder.objects.select_for_update(of=("self",))
            .select_related("case__entry")
            .get(pk=order.pk)
        )
        if order.case.entry.worker_id != worker.pk:
            raise CaseError("You can only respond to your own suspension.")
        if not order.in_force:
            raise CaseError("This suspension has ended.")
        if order.responded_at is not None:
            raise CaseError("You have already responded to this suspension.")
        order.worker_response = text
        order.responded_at = timezone.now()
        order.save(update_fields=["worker_response", "responded_at"])
        audit_log(
            action="concerns.interim_order.responded",
            target=order.case,
            data={
                "order_id": order.pk,
                "late": timezone.localdate() > order.response_due,
                "by": "the worker",
            },
        )
    return order


def interim_review(*, order: InterimOrder, registrar: User, review: str, reasons: str):
    """A second registrar, not the one who imposed it, continues or lifts the suspension. It
    is continued only once the worker has responded or their time to respond has passed."""
    case = order.case
    require(registrar, "case.act", case)
    if review not in InterimOrder.Review.values:
        raise CaseError("Choose whether to continue or lift the suspension.")
    reasons = _text(reasons, "Write the reasons for your review: the worker will read them.")
    with transaction.atomic():
        case = _lock(case)
        _expect(case, Status.INVESTIGATING, doing="review the interim suspension")
        order = InterimOrder.objects.select_for_update().get(pk=order.pk)
        if order.imposed_by_id == registrar.pk:
            raise CaseError("A registrar who did not impose the suspension must review it.")
        if not order.in_force:
            raise CaseError("This suspension has ended.")
        if order.reviewed_at is not None:
            raise CaseError("This suspension has already been reviewed.")
        if (
            review == InterimOrder.Review.CONTINUE
            and order.responded_at is None
            and timezone.localdate() <= order.response_due
        ):
            # The worker is told the reviewer reads their response: a suspension is kept only
            # once it has been heard. Lifting it needs no wait.
            raise CaseError(
                f"The worker has until {format_day(order.response_due)} to respond to the "
                "suspension. Continue it once they have responded or that day has passed. You "
                "may lift it now."
            )
        order.reviewed_by = registrar
        order.reviewed_at = timezone.now()
        order.review = review
        order.review_reasons = reasons
        order.save(update_fields=["reviewed_by", "reviewed_at", "review", "review_reasons"])
        _join(case, registrar, Role.INTERIM_REVIEWER)
        StepLog.objects.create(
            case=case,
            old_status=case.status,
            new_status=case.status,
            by=registrar,
            note=f"Interim suspension reviewed: {order.get_review_display().lower()}",
        )
        audit_log(
            action="concerns.interim_order.reviewed",
            actor=registrar,
            target=case,
            data={"order_id": order.pk, "review": review},
        )
        if review == InterimOrder.Review.LIFT:
            _end_interim(case, order, by=registrar, reason="The interim suspension was lifted.")
        _tell_worker(case, "concern_worker_interim_reviewed", order=order)
    return order


def _end_interim(case: Case, order: InterimOrder, *, by: User, reason: str) -> None:
    order.ended_at = timezone.now()
    order.save(update_fields=["ended_at"])
    entry = RegisterEntry.objects.get(pk=case.entry_id)
    if (
        entry.status == EntryStatus.SUSPENDED
        and entry.suspension_kind == RegisterEntry.SuspensionKind.INTERIM
    ):
        register_entries.entry_end_suspension(entry=entry, registrar=by, reason=reason)
    audit_log(
        action="concerns.interim_order.ended",
        actor=by,
        target=case,
        data={"order_id": order.pk},
    )


def interim_orders_end_run_out(*, today: date | None = None) -> list[InterimOrder]:
    """End every interim order whose last day has passed with nothing decided: the worker
    may practise again (docs/concerns.md: an interim suspension is made for up to
    CONCERN_INTERIM_ORDER_DAYS). The case goes on."""
    today = today or timezone.localdate()
    ended = []
    run_out = InterimOrder.objects.filter(ended_at__isnull=True, until__lt=today)
    for pk in list(run_out.values_list("pk", flat=True)):
        with transaction.atomic():
            order = InterimOrder.objects.select_for_update().get(pk=pk)
            if order.ended_at is not None:
                continue  # lifted, or replaced by a decision, since the query ran
            case = _lock(order.case)
            order.ended_at = timezone.now()
            order.save(update_fields=["ended_at"])
            register_entries.entry_end_interim_suspension_run_out(
                entry=RegisterEntry.objects.get(pk=case.entry_id),
                reason=f"The interim suspension ran until {format_day(order.until)}.",
            )
            StepLog.objects.create(
                case=case,
                old_status=case.status,
                new_status=case.status,
                note="Interim suspension ran out",
            )
            audit_log(
                action="concerns.interim_order.ended",
                target=case,
                data={"order_id": order.pk, "ran_out": True},
            )
            ended.append(order)
    return ended


# The worker's side and documents -----------------------------------------------------------


def _checked(uploads) -> list:
    try:
        return uploads_checked(list(uploads))
    except EvidenceError as error:
        raise CaseError(str(error)) from error


def case_respond(
    *, case: Case, worker: User, text: str, documents: list[UploadedFile] = ()
) -> WorkerResponse:
    """The worker's response to the allegation, with evidence, while the case is investigated."""
    require(worker, "case.worker_view", case)
    text = _text(text, "Write your response to the allegation.")
    checked = _checked(documents)
    with files_removed_on_failure() as stored, transaction.atomic():
        case = _lock(case)
        _expect(case, Status.INVESTIGATING, doing="respond now")
        if case.decisions.filter(status=Decision.Status.PROPOSED).exists():
            raise CaseError(
                "A decision is being made on your case. Contact the register if you have "
                "something new to add."
            )
        last = case.responses.order_by("-given_at", "-id").first()
        if (
            last is not None
            and last.text == text
            and timezone.now() - last.given_at < RESENT_WITHIN
        ):
            # The same words again at once: a double click, or a page sent twice, not a
            # second response.
            return last
        response = WorkerResponse.objects.create(case=case, text=text)
        documents_store(case, checked, given_by=Document.From.WORKER, shared=True, stored=stored)
        StepLog.objects.create(
            case=case,
            old_status=case.status,
            new_status=case.status,
            by=worker,
            note="The worker responded",
        )
        audit_log(
            action="concerns.case.worker_responded",
            target=case,
            data={"response_id": response.pk, "documents": len(stored), "by": "the worker"},
        )
    return response


def document_add(
    *, case: Case, registrar: User, upload: UploadedFile, shared_with_worker: bool
) -> Document:
    """A registrar adds evidence to a case they have a part in."""
    require(registrar, "case.view", case)
    checked = _checked([upload])
    with files_removed_on_failure() as stored, transaction.atomic():
        case = _lock(case)
        if case.status in {Status.UNCONFIRMED, Status.CLOSED}:
            raise CaseError("Evidence can only be added to an open case.")
        if shared_with_worker:
            _check_may_share(case, registrar)
        (document,) = documents_store(
            case,
            checked,
            given_by=Document.From.REGISTRAR,
            shared=shared_with_worker,
            stored=stored,
        )
        audit_log(
            action="concerns.document.added",
            actor=registrar,
            target=case,
            data={"document_id": document.pk, "shared_with_worker": shared_with_worker},
        )
    return document


def _check_may_share(case: Case, registrar: User) -> None:
    # Registrars who read a case only to screen it or to review its interim suspension do not
    # choose what the worker sees: a raiser's document can say who they are.
    if not roles_in(registrar, case):
        raise CaseError(
            "Only a registrar with a part in this case can let the worker see a document. "
            "The registrar who screens it, or one on its panel, decides what the worker sees."
        )


def document_share(*, document: Document, registrar: User) -> Document:
    """Let the worker see a document so that they can answer it: a registrar with a part in
    the case decides."""
    require(registrar, "case.view", document.case)
    with transaction.atomic():
        document = Document.objects.select_for_update().get(pk=document.pk)
        _check_may_share(document.case, registrar)
        if document.shared_with_worker:
            raise CaseError("The worker can already see this document.")
        document.shared_with_worker = True
        document.save(update_fields=["shared_with_worker"])
        audit_log(
            action="concerns.document.shared",
            actor=registrar,
            target=document.case,
            data={"document_id": document.pk},
        )
        if document.case.worker_told_at:
            _tell_worker(document.case, "concern_worker_new_evidence")
    return document


# Panels and decisions ----------------------------------------------------------------------


def _decision_makers(case: Case) -> set[int]:
    return set(
        Participant.objects.filter(case=case, role=Role.DECISION_MAKER).values_list(
            "registrar_id", flat=True
        )
    )


def panel_join(*, case: Case, registrar: User, role: str) -> Participant:
    """Join the two registrars who decide a case, or its appeal. Refused to the registrar who
    screened the case (for either) and to those who took part in the decision (for the
    appeal)."""
    require(registrar, "case.act", case)
    if role not in {Role.DECISION_MAKER, Role.APPEAL_DECIDER}:
        raise CaseError("Choose the decision panel or the appeal panel.")
    with transaction.atomic():
        case = _lock(case)
        if role == Role.DECISION_MAKER:
            _expect(case, Status.INVESTIGATING, doing="join the decision panel")
            if case.screened_by_id == registrar.pk:
                raise CaseError("You screened this case, so you cannot decide it.")
        else:
            _expect(case, Status.APPEALED, doing="join the appeal panel")
            # An appeal decides the case again.
            if case.screened_by_id == registrar.pk:
                raise CaseError("You screened this case, so you cannot decide it or its appeal.")
            if registrar.pk in _decision_makers(case):
                raise CaseError(
                    "You took part in the decision, so you cannot decide the appeal against it."
                )
        members = Participant.objects.filter(case=case, role=role)
        if members.filter(registrar=registrar).exists():
            raise CaseError("You are already on this panel.")
        if members.count() >= PANEL_SIZE:
            raise CaseError("This panel already has two registrars.")
        participant = Participant.objects.create(case=case, registrar=registrar, role=role)
        audit_log(
            action="concerns.panel.joined",
            actor=registrar,
            target=case,
            data={"role": role},
        )
    return participant


def _check_outcome(outcome: str, published_text: str, until: date | None) -> None:
    today = timezone.localdate()
    if outcome not in Outcome.values:
        raise CaseError("Choose an outcome.")
    if outcome in {Outcome.WARNING, Outcome.CONDITIONS} and not published_text.strip():
        raise CaseError(
            "Write the warning or the conditions as the public register will show them."
        )
    if outcome in {Outcome.WARNING, Outcome.SUSPENSION}:
        if until is None or until <= today:
            raise CaseError(
                "Give the day the warning or suspension ends. It must be in the future."
            )
    if until is not None and until <= today:
        raise CaseError("The end date must be in the future.")


def decision_propose(
    *,
    case: Case,
    registrar: User,
    outcome: str,
    reasons: str,
    published_text: str = "",
    until: date | None = None,
    upheld: bool | None = None,
) -> Decision:
    """One member of the panel proposes the outcome and its written reasons; the other must
    agree before it takes effect. On appeal, `upheld` says whether the appeal succeeds, and
    the outcome is what replaces the decision (no more serious than it)."""
    require(registrar, "case.act", case)
    reasons = _text(reasons, "Write the reasons for the decision: the worker will read them.")
    with transaction.atomic():
        case = _lock(case)
        on_appeal = case.status == Status.APPEALED
        _expect(case, Status.INVESTIGATING, Status.APPEALED, doing="propose a decision")
        role = Role.APPEAL_DECIDER if on_appeal else Role.DECISION_MAKER
        if role not in roles_in(registrar, case):
            raise CaseError(
                "Join the panel first: only its two registrars propose and agree the decision."
            )
        if case.decisions.filter(on_appeal=on_appeal, status=Decision.Status.PROPOSED).exists():
            raise CaseError("A proposed decision is already waiting for the second registrar.")
        if on_appeal:
            if upheld is None:
                raise CaseError("Say whether the appeal is upheld.")
            if not upheld:
                outcome = case.outcome
                published_text, until = "", None
            elif SEVERITY.index(outcome) >= SEVERITY.index(case.outcome):
                raise CaseError(
                    "An upheld appeal replaces the decision with a less serious outcome."
                )
        else:
            upheld = None
            if response_window_open(case, timezone.localdate()):
                raise CaseError(
                    f"The worker has until {format_day(case.response_due)} to respond. Decide "
                    "once they have responded or that day has passed."
                )
        if not (on_appeal and not upheld):
            _check_outcome(outcome, published_text, until)
        decision = Decision.objects.create(
            case=case,
            on_appeal=on_appeal,
            outcome=outcome,
            upheld=upheld,
            reasons=reasons,
            published_text=published_text.strip(),
            until=until,
            proposed_by=registrar,
        )
        audit_log(
            action="concerns.decision.proposed",
            actor=registrar,
            target=case,
            data={"decision_id": decision.pk, "outcome": outcome, "on_appeal": on_appeal},
        )
    return decision


def decision_decline(*, decision: Decision, registrar: User, reasons: str) -> Decision:
    """The second registrar does not agree; a new proposal may follow."""
    require(registrar, "case.act", decision.case)
    reasons = _text(reasons, "Write why you do not agree.")
    with transaction.atomic():
        case = _lock(decision.case)
        decision = Decision.objects.select_for_update().get(pk=decision.pk)
        _check_second(case, decision, registrar)
        decision.status = Decision.Status.DECLINED
        decision.declined_reasons = reasons
        decision.agreed_by = registrar
        decision.agreed_at = timezone.now()
        decision.save(update_fields=["status", "declined_reasons", "agreed_by", "agreed_at"])
        audit_log(
            action="concerns.decision.declined",
            actor=registrar,
            target=case,
            data={"decision_id": decision.pk},
        )
    return decision


def _check_second(case: Case, decision: Decision, registrar: User) -> None:
    if decision.status != Decision.Status.PROPOSED:
        raise CaseError("This decision is no longer waiting for agreement.")
    role = Role.APPEAL_DECIDER if decision.on_appeal else Role.DECISION_MAKER
    if role not in roles_in(registrar, case):
        raise CaseError("Only the second registrar on the panel can agree or decline.")
    if decision.proposed_by_id == registrar.pk:
        raise CaseError("A second registrar must agree: you proposed this decision.")


def decision_agree(*, decision: Decision, registrar: User) -> Decision:
    """The second registrar agrees: the decision is made and takes effect. The worker and the
    raiser are told; employers hear of any change of status through the register."""
    require(registrar, "case.act", decision.case)
    with transaction.atomic():
        case = _lock(decision.case)
        decision = Decision.objects.select_for_update().get(pk=decision.pk)
        _check_second(case, decision, registrar)
        now = timezone.now()
        decision.status = Decision.Status.MADE
        decision.agreed_by = registrar
        decision.agreed_at = now
        decision.save(update_fields=["status", "agreed_by", "agreed_at"])
        audit_log(
            action="concerns.decision.made",
            actor=registrar,
            target=case,
            data={
                "decision_id": decision.pk,
                "outcome": decision.outcome,
                "on_appeal": decision.on_appeal,
                "upheld": decision.upheld,
            },
        )
        if decision.on_appeal:
            _apply_appeal_decision(case, decision, by=registrar)
        else:
            _apply_decision(case, decision, by=registrar)
    return decision


def _apply_decision(case: Case, decision: Decision, *, by: User) -> None:
    now = timezone.now()
    case.outcome = decision.outcome
    case.decided_at = now
    _move(case, Status.DECIDED, by=by, note="Decision made", data={"outcome": decision.outcome})
    _put_outcome_on_register(case, decision, by=by)
    figures = _figures(case)
    figures.outcome = decision.outcome
    figures.days_to_decide = (timezone.localdate(now) - timezone.localdate(case.received_at)).days
    figures.save(update_fields=["outcome", "days_to_decide"])
    if decision.outcome == Outcome.NO_ACTION:
        case.closed_at = now
        _move(case, Status.CLOSED, by=by, note="Closed: no action")
    else:
        case.appeal_due = timezone.localdate(now) + timedelta(days=settings.CONCERN_APPEAL_DAYS)
        _move(case, Status.APPEAL_WINDOW, by=by, note="Open to appeal")
    _tell_worker(case, "concern_worker_decision", decision=decision)
    _tell_raiser(case, "concern_outcome", decision=decision)


def _interim_in_force(case: Case) -> InterimOrder | None:
    return case.interim_orders.select_for_update().filter(ended_at__isnull=True).first()


def _put_outcome_on_register(case: Case, decision: Decision, *, by: User) -> None:
    """Make the register show the outcome. A removal takes effect when it can no longer be
    appealed (or the appeal fails); until then the worker stays suspended."""
    entry = RegisterEntry.objects.get(pk=case.entry_id)
    order = _interim_in_force(case)
    outcome = decision.outcome
    reason = f"Decision on a concern ({decision.get_outcome_display().lower()})."
    if outcome in {Outcome.WARNING, Outcome.CONDITIONS}:
        annotation = register_entries.entry_add_annotation(
            entry=entry,
            registrar=by,
            kind=(
                Annotation.Kind.WARNING if outcome == Outcome.WARNING else Annotation.Kind.CONDITION
            ),
            public_text=decision.published_text,
            ends_on=decision.until,
            category=case.category,
            reason=reason,
        )
        decision.annotation_id = annotation.pk
        decision.save(update_fields=["annotation_id"])
    if outcome == Outcome.SUSPENSION:
        entry.refresh_from_db()
        if entry.status == EntryStatus.SUSPENDED:
            register_entries.entry_suspension_change(
                entry=entry,
                registrar=by,
                kind=RegisterEntry.SuspensionKind.SANCTION,
                until=decision.until,
                category=case.category,
                reason=reason,
            )
        elif entry.may_practise:
            register_entries.entry_suspend(
                entry=entry,
                registrar=by,
                kind=RegisterEntry.SuspensionKind.SANCTION,
                until=decision.until,
                reason=reason,
                category=case.category,
            )
        if order:
            order.ended_at = timezone.now()
            order.save(update_fields=["ended_at"])
        return
    if outcome == Outcome.REMOVAL:
        if order:
            # The worker stays suspended until the removal takes effect, but no longer under
            # the order: left in force, it would wait for a review that could lift the
            # suspension, and open the case to every registrar as one to review.
            order.ended_at = timezone.now()
            order.save(update_fields=["ended_at"])
        entry.refresh_from_db()
        if entry.may_practise:
            # Suspended until the removal can no longer be appealed.
            register_entries.entry_suspend(
                entry=entry,
                registrar=by,
                kind=RegisterEntry.SuspensionKind.INTERIM,
                until=timezone.localdate() + timedelta(days=settings.CONCERN_APPEAL_DAYS + 1),
                reason="Suspended until a decision to remove can no longer be appealed.",
            )
        return
    if order:
        _end_interim(case, order, by=by, reason="The case was decided: the suspension ends.")


def appeal_lodge(
    *, case: Case, worker: User, grounds: str, documents: list[UploadedFile] = ()
) -> Appeal:
    """The worker appeals within CONCERN_APPEAL_DAYS of the decision."""
    require(worker, "case.worker_view", case)
    grounds = _text(grounds, "Write why you think the decision is wrong.")
    checked = _checked(documents)
    with files_removed_on_failure() as stored, transaction.atomic():
        case = _lock(case)
        _expect(case, Status.APPEAL_WINDOW, doing="appeal")
        if timezone.localdate() > case.appeal_due:
            raise CaseError(f"The time to appeal ended on {format_day(case.appeal_due)}.")
        appeal = Appeal.objects.create(case=case, grounds=grounds)
        documents_store(case, checked, given_by=Document.From.WORKER, shared=True, stored=stored)
        figures = _figures(case)
        figures.appealed = True
        figures.save(update_fields=["appealed"])
        _move(case, Status.APPEALED, by=worker, note="Appeal received")
        _tell_worker(case, "concern_worker_appeal_received")
    return appeal


def _undo_outcome(case: Case, decision: Decision, *, by: User) -> None:
    """Take the first decision's outcome off the register: the appeal succeeded."""
    entry = RegisterEntry.objects.get(pk=case.entry_id)
    if decision.annotation_id:
        annotation = Annotation.objects.get(pk=decision.annotation_id)
        if annotation.ended_at is None:
            register_entries.entry_end_annotation(
                annotation=annotation, registrar=by, reason="The appeal was upheld."
            )
    entry.refresh_from_db()
    if decision.outcome in {Outcome.SUSPENSION, Outcome.REMOVAL} and (
        entry.status == EntryStatus.SUSPENDED
    ):
        register_entries.entry_end_suspension(
            entry=entry, registrar=by, reason="The appeal was upheld."
        )


def _apply_appeal_decision(case: Case, decision: Decision, *, by: User) -> None:
    first = case.decisions.filter(on_appeal=False, status=Decision.Status.MADE).last()
    figures = _figures(case)
    figures.appeal_upheld = bool(decision.upheld)
    if decision.upheld:
        _undo_outcome(case, first, by=by)
        case.outcome = decision.outcome
        figures.outcome = decision.outcome
        if decision.outcome != Outcome.NO_ACTION:
            _put_outcome_on_register(case, decision, by=by)
    elif first.outcome == Outcome.REMOVAL:
        _remove(case, by=by)
    figures.save(update_fields=["appeal_upheld", "outcome"])
    case.closed_at = timezone.now()
    _move(
        case,
        Status.CLOSED,
        by=by,
        note="Appeal upheld" if decision.upheld else "Appeal dismissed",
        data={"upheld": decision.upheld},
    )
    _tell_worker(case, "concern_worker_appeal_decided", decision=decision)
    _tell_raiser(case, "concern_outcome", decision=decision, after_appeal=True)


def _remove(case: Case, *, by: User | None) -> None:
    entry = RegisterEntry.objects.get(pk=case.entry_id)
    if entry.status == EntryStatus.REMOVED:
        return
    register_entries.entry_remove_for_fitness_to_practise(
        entry=entry,
        by=by,
        category=case.category,
        reason="Removed from the register: a decision on a concern that can no longer be appealed.",
    )


def cases_close_unappealed(*, today: date | None = None) -> list[Case]:
    """Close cases whose time to appeal has passed; a removal takes effect now."""
    today = today or timezone.localdate()
    closed = []
    for pk in Case.objects.filter(status=Status.APPEAL_WINDOW, appeal_due__lt=today).values_list(
        "pk", flat=True
    ):
        with transaction.atomic():
            case = Case.objects.select_for_update().get(pk=pk)
            if case.status != Status.APPEAL_WINDOW:
                continue
            if case.outcome == Outcome.REMOVAL:
                _remove(case, by=None)
            case.closed_at = timezone.now()
            _move(case, Status.CLOSED, by=None, note="Closed: not appealed in time")
            closed.append(case)
    return closed
