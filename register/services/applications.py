"""Applying to join the register: the worker's draft, the registrar's checks and decision."""

import re
from datetime import date, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import User
from accounts.permissions import require
from core.audit import audit_log
from core.dates import format_day
from core.errors import ApplicationError
from core.notifications import email_from_template
from register.models import (
    Application,
    ApplicationSentBack,
    CodeAcceptance,
    CodeOfConduct,
    EvidenceFile,
    IdentityCheck,
    IdentityCheckResolution,
    RegisterEntry,
)
from register.services.conduct import code_accept, code_current
from register.services.entries import entry_create

Status = Application.Status
CheckType = IdentityCheck.Type
Outcome = IdentityCheck.Outcome

# Royal Mail's format: outward code (area, district) and inward code (sector, unit).
UK_POSTCODE = re.compile(r"^(GIR ?0AA|[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][ABD-HJLNP-UW-Z]{2})$")

# The fields each step of the form saves; anything else sent is ignored.
STEP_FIELDS = {
    "about-you": ["legal_name", "previous_names", "date_of_birth"],
    "contact": ["phone", "address_line_1", "address_line_2", "town", "postcode"],
    "work": ["pathway_role", "employer"],
    "declarations": [
        "has_criminal_record",
        "criminal_record_details",
        "has_health_condition",
        "health_condition_details",
        "has_fitness_to_practise_history",
        "fitness_to_practise_details",
        "declares_truth",
        "consents_to_publication",
    ],
}
EDITABLE = {Status.DRAFT, Status.INFORMATION_REQUESTED}


class ApplicationStateError(ApplicationError):
    pass


class IdentityCheckError(ApplicationError):
    pass


def normalise_postcode(postcode: str) -> str:
    """'ls14ap' becomes 'LS1 4AP'; anything that is not a UK postcode raises."""
    compact = re.sub(r"\s+", "", postcode.upper())
    if len(compact) < 5 or not UK_POSTCODE.match(compact):
        raise ApplicationError("Enter a real UK postcode, like LS1 4AP.")
    return f"{compact[:-3]} {compact[-3:]}"


def application_start(*, worker: User) -> Application:
    """The worker's open application, or a new draft. Applying twice resumes the first."""
    require(worker, "application.start")
    existing = worker.applications.filter(status__in=Application.OPEN_STATUSES).first()
    if existing:
        return existing
    try:
        with transaction.atomic():
            application = Application.objects.create(worker=worker, legal_name=worker.full_name)
            audit_log(
                action="register.application.started",
                actor=worker,
                target=application,
                new_status=application.status,
            )
    except IntegrityError:
        # A double click started two drafts at once; the unique constraint kept one.
        return worker.applications.get(status__in=Application.OPEN_STATUSES)
    return application


def _lock(application: Application) -> Application:
    return Application.objects.select_for_update().get(pk=application.pk)


def application_save_step(
    *, application: Application, worker: User, step: str, values: dict
) -> Application:
    """Save one page of the form. Validation of each field is the form's job; this checks
    that the worker may still change the application."""
    require(worker, "application.edit", application)
    with transaction.atomic():
        application = _lock(application)
        if application.status not in EDITABLE:
            raise ApplicationStateError(
                "This application can no longer be changed: it is "
                f"{application.get_status_display().lower()}."
            )
        fields = [name for name in STEP_FIELDS[step] if name in values]
        for name in fields:
            setattr(application, name, values[name])
        application.updated_at = timezone.now()
        application.save(update_fields=[*fields, "updated_at"])
    return application


def application_missing_answers(application: Application) -> list[tuple[str, str]]:
    """What still has to be answered before submitting, as (step, message) pairs."""
    missing = []
    if not application.legal_name.strip():
        missing.append(("about-you", "Enter your full legal name"))
    if application.date_of_birth is None:
        missing.append(("about-you", "Enter your date of birth"))
    if not application.phone.strip():
        missing.append(("contact", "Enter a phone number"))
    if not application.address_line_1.strip() or not application.town.strip():
        missing.append(("contact", "Enter your address"))
    if not application.postcode.strip():
        missing.append(("contact", "Enter your postcode"))
    if application.pathway_role_id is None:
        missing.append(("work", "Select your role"))
    if application.referees.count() < settings.REFERENCES_REQUIRED:
        missing.append(("referees", "Give the details of two referees"))
    for answer, details, question in (
        ("has_criminal_record", "criminal_record_details", "a criminal record"),
        ("has_health_condition", "health_condition_details", "a health condition"),
        (
            "has_fitness_to_practise_history",
            "fitness_to_practise_details",
            "fitness to practise history",
        ),
    ):
        value = getattr(application, answer)
        if value is None:
            missing.append(("declarations", f"Answer the question about {question}"))
        elif value and not getattr(application, details).strip():
            missing.append(("declarations", f"Give details of {question}"))
    if not application.declares_truth:
        missing.append(("declarations", "Confirm that your answers are true"))
    if not application.consents_to_publication:
        missing.append(("declarations", "Agree to your entry being published on the register"))
    return missing


def application_submit(
    *, application: Application, worker: User, code: CodeOfConduct | None
) -> Application:
    """Send the application to the registrars. `code` is the version of the code of conduct the
    applicant ticked to accept (None: they did not tick): every applicant accepts the current
    version, recorded with the submission or not at all."""
    require(worker, "application.edit", application)
    with transaction.atomic():
        application = _lock(application)
        if application.status not in EDITABLE:
            raise ApplicationStateError("This application has already been submitted.")
        missing = application_missing_answers(application)
        if missing:
            raise ApplicationStateError(
                "Some answers are missing: " + "; ".join(message for _, message in missing) + "."
            )
        current = code_current()
        if current is not None:
            if code is None:
                raise ApplicationStateError(
                    f"Tick the box to say you have read the code of conduct (version "
                    f"{current.version}) and will keep to it.",
                    field="accepts_code",
                )
            code_accept(user=worker, code=code, how=CodeAcceptance.How.APPLICATION)
        old = application.status
        application.status = Status.SUBMITTED
        application.submitted_at = application.submitted_at or timezone.now()
        application.updated_at = timezone.now()
        application.save(update_fields=["status", "submitted_at", "updated_at"])
        audit_log(
            action="register.application.submitted",
            actor=worker,
            target=application,
            old_status=old,
            new_status=application.status,
        )
        email_from_template(
            to=[worker.email],
            template="application_submitted",
            context={"application": application, "resubmitted": old != Status.DRAFT},
        )
    return application


def application_withdraw(*, application: Application, worker: User) -> Application:
    require(worker, "application.edit", application)
    with transaction.atomic():
        application = _lock(application)
        if Status.WITHDRAWN not in Application.TRANSITIONS[application.status]:
            raise ApplicationStateError(
                "Only a draft, or an application waiting for your answer, can be withdrawn."
            )
        old = application.status
        application.status = Status.WITHDRAWN
        application.save(update_fields=["status"])
        audit_log(
            action="register.application.withdrawn",
            actor=worker,
            target=application,
            old_status=old,
            new_status=application.status,
        )
    return application


def _registrar_transition(
    *, application: Application, registrar: User, to: str, action: str, data=None, **fields
) -> Application:
    require(registrar, "application.decide", application)
    application = _lock(application)
    old = application.status
    if to not in Application.TRANSITIONS[old]:
        raise ApplicationStateError(
            f"An application that is {application.get_status_display().lower()} cannot be "
            f"moved to {Status(to).label.lower()}."
        )
    application.status = to
    for name, value in fields.items():
        setattr(application, name, value)
    application.updated_at = timezone.now()
    application.save(update_fields=["status", "updated_at", *fields])
    audit_log(
        action=action,
        actor=registrar,
        target=application,
        old_status=old,
        new_status=to,
        data=data or {},
    )
    return application


def application_request_information(
    *, application: Application, registrar: User, message: str
) -> Application:
    message = message.strip()
    if not message:
        raise ApplicationStateError("Say what information you need from the worker.")
    with transaction.atomic():
        application = _registrar_transition(
            application=application,
            registrar=registrar,
            to=Status.INFORMATION_REQUESTED,
            action="register.application.information_requested",
            data={"message": message},
            information_request=message,
        )
        email_from_template(
            to=[application.worker.email],
            template="application_information_requested",
            context={"application": application},
        )
    return application


def application_reject(*, application: Application, registrar: User, reason: str) -> Application:
    reason = reason.strip()
    if not reason:
        raise ApplicationStateError("Give the reason for rejecting: the worker will see it.")
    with transaction.atomic():
        application = _registrar_transition(
            application=application,
            registrar=registrar,
            to=Status.REJECTED,
            action="register.application.rejected",
            data={"reason": reason},
            rejection_reason=reason,
            decided_by=registrar,
            decided_at=timezone.now(),
        )
        email_from_template(
            to=[application.worker.email],
            template="application_rejected",
            context={"application": application},
        )
    return application


def _passed(application: Application, check_type: str):
    return application.checks.filter(check_type=check_type, outcome=Outcome.PASSED)


BLOCKING_OUTCOMES = {Outcome.FAILED, Outcome.REFERRED}


def unresolved_checks(application: Application):
    """Checks that failed or were referred and have no resolution: each blocks approval."""
    return application.checks.filter(
        outcome__in=BLOCKING_OUTCOMES, resolution__isnull=True
    ).order_by("checked_at", "pk")


def application_missing_checks(application: Application) -> list[str]:
    """What must still happen before approval, in plain English: checks that must pass, and
    failed or referred checks that must be resolved (a pass of the same type is not enough)."""
    missing = [
        f'the {check.get_outcome_display().lower()} check "{check.get_check_type_display()}" '
        f"of {format_day(timezone.localdate(check.checked_at))} resolved, with a reason"
        for check in unresolved_checks(application)
    ]
    if not _passed(application, CheckType.PHOTO_ID).exists():
        missing.append("a photo identity document check that passed")
    if not _passed(application, CheckType.DBS).exists():
        missing.append("an enhanced DBS check that passed")
    if not _passed(application, CheckType.RIGHT_TO_WORK).exists():
        missing.append("a right to work check that passed")
    references = _passed(application, CheckType.REFERENCE).count()
    if references < settings.REFERENCES_REQUIRED:
        missing.append(
            f"{settings.REFERENCES_REQUIRED} references that passed: {references} so far"
        )
    return missing


def registrars_of_checks(application: Application) -> set[int]:
    """The ids of every registrar who recorded or resolved a check on the application."""
    recorded = application.checks.values_list("checked_by_id", flat=True)
    resolved = IdentityCheckResolution.objects.filter(
        identity_check__application=application
    ).values_list("resolved_by_id", flat=True)
    return {*recorded, *resolved}


def _send_back_if_first_approved(*, application: Application, registrar: User, reason: str):
    """Checks changed after the first approval, which the first approver never saw: clear that
    approval, so the application waits for a first approval again. Call it with the row locked,
    inside the transaction that changed the checks."""
    if application.status != Status.AWAITING_SECOND_APPROVAL:
        return application
    first_approver = application.first_approver
    ApplicationSentBack.objects.create(
        application=application,
        reason=reason,
        first_approver=first_approver,
        sent_back_by=registrar,
    )
    return _registrar_transition(
        application=application,
        registrar=registrar,
        to=Status.SUBMITTED,
        action="register.application.sent_back",
        data={"reason": reason, "first_approver_id": first_approver.pk},
        first_approver=None,
    )


def application_review_state(application: Application) -> str:
    """What a registrar saw when they chose to approve: the status and how many checks and
    resolutions there were. Checks are never deleted, so a change of either count is news."""
    resolutions = IdentityCheckResolution.objects.filter(identity_check__application=application)
    return f"{application.status}:{application.checks.count()}:{resolutions.count()}"


def _second_approval_refusal(*, application: Application, registrar: User) -> str:
    """Why `registrar` may not give the second approval, or "" when they may."""
    if application.status != Status.AWAITING_SECOND_APPROVAL:
        return ""
    if application.first_approver_id == registrar.pk:
        return "You gave the first approval. A different registrar must confirm it."
    if registrar.pk in registrars_of_checks(application):
        return (
            "You recorded or resolved a check on this application. A registrar who "
            "recorded none of its checks must give the second approval."
        )
    return ""


def application_approval_blockers(*, application: Application, registrar: User) -> list[str]:
    """Why `registrar` cannot approve the application now, one plain sentence each; empty when
    they can. The page shows these beside Approve; application_approve refuses for the same
    reasons, whatever the page showed."""
    if application.status not in {Status.SUBMITTED, Status.AWAITING_SECOND_APPROVAL}:
        return [
            "Only an application waiting for a decision can be approved; this one's status is "
            f"{application.get_status_display().lower()}."
        ]
    blockers = [f"Needs {missing}." for missing in application_missing_checks(application)]
    refusal = _second_approval_refusal(application=application, registrar=registrar)
    if refusal:
        blockers.append(refusal)
    return blockers


def application_approve(*, application: Application, registrar: User, reviewed: str | None = None):
    """Approve, or with four-eyes approval on, record the first of two approvals. The second
    comes from a registrar who neither gave the first nor recorded or resolved any check.

    `reviewed` is the application_review_state the registrar's page showed: if the application
    or its checks changed since, nothing is approved.

    Returns the new register entry, or None while a second registrar's approval is awaited.
    """
    require(registrar, "application.decide", application)
    with transaction.atomic():
        application = _lock(application)
        if reviewed is not None and reviewed != application_review_state(application):
            raise ApplicationStateError(
                "This application or its checks changed while you were looking at it. Review "
                "it again before approving."
            )
        missing = application_missing_checks(application)
        if application.status in {Status.SUBMITTED, Status.AWAITING_SECOND_APPROVAL} and missing:
            raise ApplicationStateError(
                "This application cannot be approved yet. It still needs "
                + "; ".join(missing)
                + "."
            )
        if application.status == Status.SUBMITTED and settings.FOUR_EYES_APPROVAL:
            _registrar_transition(
                application=application,
                registrar=registrar,
                to=Status.AWAITING_SECOND_APPROVAL,
                action="register.application.first_approval",
                first_approver=registrar,
            )
            return None
        refusal = _second_approval_refusal(application=application, registrar=registrar)
        if refusal:
            raise ApplicationStateError(refusal)
        application = _registrar_transition(
            application=application,
            registrar=registrar,
            to=Status.APPROVED,
            action="register.application.approved",
            decided_by=registrar,
            decided_at=timezone.now(),
        )
        if RegisterEntry.objects.filter(worker=application.worker).exists():
            raise ApplicationStateError("This worker is already on the register.")
        entry = entry_create(application=application, approved_by=registrar)
        email_from_template(
            to=[application.worker.email],
            template="application_approved",
            context={"application": application, "entry": entry},
        )
    return entry


def identity_check_record(
    *,
    application: Application,
    registrar: User,
    check_type: str,
    outcome: str,
    evidence_reference: str = "",
    evidence_file: EvidenceFile | None = None,
    notes: str = "",
    document_type: str = "",
    document_number: str = "",
    document_expires_on: date | None = None,
    certificate_number: str = "",
    certificate_issued_on: date | None = None,
    update_service_checked_on: date | None = None,
    update_service_result: str = "",
    right_to_work_route: str = "",
    referee_name: str = "",
    referee_relationship: str = "",
) -> IdentityCheck:
    """Record one check. A check that passes must carry what makes it valid."""
    from core.encryption import blind_index

    require(registrar, "application.decide", application)
    if check_type not in CheckType.values:
        raise IdentityCheckError("Choose the type of check.")
    if outcome not in Outcome.values:
        raise IdentityCheckError("Choose the outcome of the check.")
    if evidence_file is not None and evidence_file.owner_id != application.worker_id:
        raise IdentityCheckError("That evidence belongs to someone else.")
    today = timezone.localdate()
    passed = outcome == Outcome.PASSED
    if check_type == CheckType.PHOTO_ID:
        if not document_type or not document_number.strip() or document_expires_on is None:
            raise IdentityCheckError("Enter the document type, its number and its expiry date.")
        if passed and document_expires_on < today:
            raise IdentityCheckError("An expired document cannot pass the identity check.")
    elif check_type == CheckType.DBS:
        if not certificate_number.strip() or certificate_issued_on is None:
            raise IdentityCheckError("Enter the DBS certificate number and its issue date.")
        if certificate_issued_on > today:
            raise IdentityCheckError("The certificate's issue date cannot be in the future.")
        recent = certificate_issued_on > today - timedelta(
            days=settings.DBS_CERTIFICATE_MAX_AGE_DAYS
        )
        if update_service_checked_on and not update_service_result:
            raise IdentityCheckError("Enter the result of the DBS Update Service check.")
        checked_on_update_service = (
            update_service_checked_on is not None
            and update_service_result == IdentityCheck.UpdateServiceResult.NO_CHANGE
        )
        if passed and not (recent or checked_on_update_service):
            raise IdentityCheckError(
                "A DBS certificate older than 3 years passes only with a DBS Update Service "
                "check that found no new information."
            )
    elif check_type == CheckType.RIGHT_TO_WORK:
        if right_to_work_route not in IdentityCheck.RightToWorkRoute.values:
            raise IdentityCheckError("Choose how the right to work was checked.")
        if (
            right_to_work_route == IdentityCheck.RightToWorkRoute.SHARE_CODE
            and not evidence_reference.strip()
        ):
            raise IdentityCheckError(
                "Enter the reference of the Home Office share code check's outcome."
            )
    elif check_type == CheckType.REFERENCE:
        if not referee_name.strip() or not referee_relationship.strip():
            raise IdentityCheckError("Enter the referee's name and how they know the worker.")
    with transaction.atomic():
        application = _lock(application)
        if application.status not in {Status.SUBMITTED, Status.AWAITING_SECOND_APPROVAL}:
            raise ApplicationStateError(
                "Checks are recorded only on a submitted application waiting for a decision."
            )
        check = IdentityCheck.objects.create(
            application=application,
            check_type=check_type,
            outcome=outcome,
            evidence_reference=evidence_reference.strip(),
            evidence_file=evidence_file,
            checked_by=registrar,
            notes=notes.strip(),
            document_type=document_type,
            document_number=document_number.strip(),
            document_number_index=(
                blind_index(document_number, purpose="photo_id") if document_number else ""
            ),
            document_expires_on=document_expires_on,
            certificate_number=certificate_number.strip(),
            certificate_number_index=(
                blind_index(certificate_number, purpose="dbs") if certificate_number else ""
            ),
            certificate_issued_on=certificate_issued_on,
            update_service_checked_on=update_service_checked_on,
            update_service_result=update_service_result,
            right_to_work_route=right_to_work_route,
            referee_name=referee_name.strip(),
            referee_relationship=referee_relationship.strip(),
        )
        audit_log(
            action="register.identity_check.recorded",
            actor=registrar,
            target=application,
            data={
                "check_id": check.pk,
                "check_type": check_type,
                "outcome": outcome,
                "document_number": document_number,
                "certificate_number": certificate_number,
            },
        )
        _send_back_if_first_approved(
            application=application,
            registrar=registrar,
            reason=(
                f"{registrar} recorded a {check.get_outcome_display().lower()} check "
                f'"{check.get_check_type_display()}" after the first approval.'
            ),
        )
    return check


def identity_check_resolve(
    *, identity_check: IdentityCheck, registrar: User, reason: str
) -> IdentityCheckResolution:
    """Resolve a failed or referred check, with the reason it no longer stands in the way of
    approval (recorded in error, cleared on appeal...). The resolution is a change of the
    checks: after a first approval it sends the application back."""
    require(registrar, "application.decide", identity_check.application)
    reason = reason.strip()
    if not reason:
        raise IdentityCheckError(
            "Give the reason this check no longer stands in the way of approval."
        )
    with transaction.atomic():
        application = _lock(identity_check.application)
        if application.status not in {Status.SUBMITTED, Status.AWAITING_SECOND_APPROVAL}:
            raise ApplicationStateError(
                "Checks are resolved only on a submitted application waiting for a decision."
            )
        identity_check = IdentityCheck.objects.get(pk=identity_check.pk)
        if identity_check.outcome not in BLOCKING_OUTCOMES:
            raise IdentityCheckError("Only a check that failed or was referred needs resolving.")
        if IdentityCheckResolution.objects.filter(identity_check=identity_check).exists():
            raise IdentityCheckError("This check has already been resolved.")
        resolution = IdentityCheckResolution.objects.create(
            identity_check=identity_check, reason=reason, resolved_by=registrar
        )
        audit_log(
            action="register.identity_check.resolved",
            actor=registrar,
            target=application,
            data={
                "check_id": identity_check.pk,
                "check_type": identity_check.check_type,
                "outcome": identity_check.outcome,
                "reason": reason,
            },
        )
        _send_back_if_first_approved(
            application=application,
            registrar=registrar,
            reason=(
                f"{registrar} resolved the {identity_check.get_outcome_display().lower()} check "
                f'"{identity_check.get_check_type_display()}" after the first approval.'
            ),
        )
    return resolution
