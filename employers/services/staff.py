"""Employers' staff lists, and what employers hear about the workers on them.

Two things link an employer to a worker for notifications. The employer a worker named when
applying (`RegisterEntry.employers`) is the worker's word alone: the employer never confirmed
it. A staff list entry is mutual: the employer added the worker, with the worker's consent
carried by an accepted share code. Both are the worker's choice to tell that employer, so
both are notified (`employers_to_notify`), once each; the staff list is the one employers
manage themselves, and the one their dashboard and the API show.
"""

from datetime import date, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Prefetch, Q
from django.utils import timezone

from accounts.models import Membership, Organisation, User
from accounts.permissions import require
from core.audit import audit_log
from core.errors import ApplicationError
from core.notifications import email_from_template
from employers.models import (
    ApiKey,
    EmployerVerification,
    LapseWarning,
    ShareCodeCheck,
    StaffMembership,
    TrainingExpiryNotice,
)
from employers.services.verification import employer_require_verified
from employers.services.webhooks import webhook_event_send
from register.models import RegisterEntry

# The daily command looks back this far, so one missed day is caught up, while a first run
# does not announce every expiry in the register's history.
EXPIRY_LOOKBACK_DAYS = 30


class StaffError(ApplicationError):
    pass


def staff_add(
    *, organisation: Organisation, user: User, check: ShareCodeCheck, api_key: ApiKey | None = None
) -> StaffMembership:
    """Add the worker an accepted share code check opened to the staff list. The check is
    the worker's consent: it must be this organisation's, accepted, not used before, and its
    code must still be live (revoking a code withdraws consent not yet acted on)."""
    require(user, "staff.manage", organisation)
    employer_require_verified(organisation)
    if check.organisation_id != organisation.pk or check.outcome != ShareCodeCheck.Outcome.ACCEPTED:
        raise StaffError("Only a worker whose share code you checked can be added to your staff.")
    with transaction.atomic():
        # Only the check's own row is locked: PostgreSQL cannot lock the nullable side of the
        # join to its share code, and the check is what two concurrent adds contend for.
        check = (
            ShareCodeCheck.objects.select_for_update(of=("self",))
            .select_related("share_code__entry")
            .get(pk=check.pk)
        )
        share_code = check.share_code
        # Locked, so a removal from the register cannot slip in between this check and the add.
        entry = RegisterEntry.objects.select_for_update().get(pk=share_code.entry_id)
        if entry.status == RegisterEntry.Status.REMOVED:
            raise StaffError(
                f"{entry.full_name} is no longer on the register, so they cannot be added to "
                "your staff list."
            )
        if StaffMembership.objects.filter(consent_check=check).exists():
            raise StaffError(
                "This check has already been used to add the worker. Ask them for a new share "
                "code to add them again."
            )
        if not share_code.is_live():
            raise StaffError(
                "The worker's share code has expired or been revoked. Ask them for a new one."
            )
        if StaffMembership.objects.filter(
            organisation=organisation, entry=entry, status=StaffMembership.Status.ACTIVE
        ).exists():
            raise StaffError(f"{entry.full_name} is already on your staff list.")
        try:
            with transaction.atomic():
                membership = StaffMembership.objects.create(
                    organisation=organisation, entry=entry, consent_check=check, added_by=user
                )
        except IntegrityError as error:
            # Two people adding the same worker at once: the constraint lets one through.
            raise StaffError(f"{entry.full_name} is already on your staff list.") from error
        audit_log(
            action="employers.staff.added",
            actor=user,
            target=membership,
            data={
                "organisation_id": organisation.pk,
                "entry_id": entry.pk,
                "check_id": check.pk,
                "api_key_id": api_key.pk if api_key else None,
            },
        )
    return membership


def staff_remove(
    *, membership: StaffMembership, user: User, reason: str = "", api_key: ApiKey | None = None
) -> StaffMembership:
    """The employer takes a worker off its staff list, saying why (a StaffMembership
    RemovalReason). The web form always asks; the API may leave it unsaid."""
    require(user, "staff.manage", membership.organisation)
    if reason and reason not in StaffMembership.RemovalReason.values:
        raise StaffError("Choose why the worker is leaving your staff list.")
    return _end_membership(
        membership=membership,
        status=StaffMembership.Status.REMOVED,
        actor=user,
        action="employers.staff.removed",
        refusal=lambda _: "This worker has already been removed from your staff list.",
        reason=reason,
        data={"api_key_id": api_key.pk if api_key else None, "reason": reason},
    )


def staff_leave(*, membership: StaffMembership, worker: User) -> StaffMembership:
    """The worker takes themselves off an employer's staff list: they withdraw the consent
    their share code gave. The employer stops hearing about them and sees that they left."""
    require(worker, "staff.leave", membership)
    return _end_membership(
        membership=membership,
        status=StaffMembership.Status.LEFT,
        actor=worker,
        action="employers.staff.left",
        refusal=lambda locked: (
            f"You are no longer on the staff list of {locked.organisation.name}."
        ),
    )


def _end_membership(
    *,
    membership: StaffMembership,
    status: str,
    actor: User,
    action: str,
    refusal,
    reason: str = "",
    data: dict | None = None,
) -> StaffMembership:
    """Take a worker off a staff list (removed by the employer, or left by the worker): lock
    the row, check it is still active, save who ended it and when, and log it."""
    with transaction.atomic():
        membership = (
            StaffMembership.objects.select_for_update(of=("self",))
            .select_related("organisation")
            .get(pk=membership.pk)
        )
        if status not in StaffMembership.TRANSITIONS[membership.status]:
            raise StaffError(refusal(membership))
        old_status = membership.status
        membership.status = status
        membership.removed_by = actor
        membership.removed_at = timezone.now()
        membership.removal_reason = reason
        membership.save(update_fields=["status", "removed_by", "removed_at", "removal_reason"])
        audit_log(
            action=action,
            actor=actor,
            target=membership,
            old_status=old_status,
            new_status=status,
            data={
                "organisation_id": membership.organisation_id,
                "entry_id": membership.entry_id,
                **(data or {}),
            },
        )
    return membership


# --- Telling employers ------------------------------------------------------------------------


def employers_to_notify(*, entry: RegisterEntry) -> list[Organisation]:
    """Every organisation that hears about this worker, each once, with members loaded: only
    employers a registrar has verified (ADR 0019)."""
    verified = EmployerVerification.objects.filter(withdrawn_at__isnull=True).values(
        "organisation_id"
    )
    return list(
        Organisation.objects.filter(
            Q(pk__in=entry.employers.values("pk"))
            | Q(
                staff_memberships__entry=entry,
                staff_memberships__status=StaffMembership.Status.ACTIVE,
            ),
            kind=Organisation.Kind.EMPLOYER,
            pk__in=verified,
        )
        .distinct()
        .prefetch_related(
            Prefetch("memberships", queryset=Membership.objects.select_related("user"))
        )
        .order_by("pk")
    )


def _member_emails(organisation: Organisation) -> list[str]:
    return [
        membership.user.email
        for membership in organisation.memberships.all()
        if membership.user.is_active
    ]


def employers_notify_status_change(*, entry: RegisterEntry, context: dict) -> None:
    """Email and webhook every linked employer that the entry's status changed. Never the
    reason: that can hold private detail."""
    for organisation in employers_to_notify(entry=entry):
        members = _member_emails(organisation)
        if members:
            email_from_template(
                to=members,
                template="entry_status_employer",
                context={**context, "organisation": organisation},
            )
        webhook_event_send(
            organisation=organisation,
            event_type="registration.status_changed",
            data={
                "registration_number": entry.registration_number,
                "full_name": entry.full_name,
                "old_status": context.get("old_status_code", ""),
                "new_status": entry.status,
                "may_practise": entry.may_practise,
                "changed_at": entry.status_changed_at,
            },
        )


def employers_warn_of_lapse(
    *, entry: RegisterEntry, renewal_due: date, days_before: int, today: date
) -> list[Organisation]:
    """Warn every linked employer, by email and a `registration.lapsing` webhook, that the
    worker's registration lapses after `renewal_due` unless it is renewed: at the reminders in
    RENEWAL_EMPLOYER_WARNING_DAYS only, and once each per organisation, however often the
    reminder command runs. Returns the organisations warned now."""
    if days_before not in settings.RENEWAL_EMPLOYER_WARNING_DAYS:
        return []
    warned = []
    days_left = (renewal_due - today).days
    with transaction.atomic():
        for organisation in employers_to_notify(entry=entry):
            try:
                # A savepoint, so that on PostgreSQL the transaction survives the duplicate.
                with transaction.atomic():
                    LapseWarning.objects.create(
                        organisation=organisation,
                        entry=entry,
                        renewal_due=renewal_due,
                        days_before=days_before,
                    )
            except IntegrityError:
                continue
            members = _member_emails(organisation)
            if members:
                email_from_template(
                    to=members,
                    template="registration_lapsing_employer",
                    context={
                        "entry": entry,
                        "organisation": organisation,
                        "renewal_due": renewal_due,
                        "days_left": days_left,
                    },
                )
            # What the public register shows, and the date: nothing of the worker's CPD or
            # declarations, which are theirs.
            webhook_event_send(
                organisation=organisation,
                event_type="registration.lapsing",
                data={
                    "registration_number": entry.registration_number,
                    "full_name": entry.full_name,
                    "status": entry.status,
                    "renewal_due": renewal_due,
                    "days_left": days_left,
                    "reminder_days_before": days_before,
                },
            )
            audit_log(
                action="employers.lapse_warning.sent",
                target=entry,
                data={
                    "organisation_id": organisation.pk,
                    "renewal_due": renewal_due,
                    "days_before": days_before,
                },
            )
            warned.append(organisation)
    return warned


def training_expiries_due(*, today: date):
    """Verified records that have expired (on or before today, within the lookback) and that
    employers have not been told about."""
    from passports.models import TrainingRecord

    return (
        TrainingRecord.objects.filter(
            status=TrainingRecord.Status.VERIFIED,
            expires_on__lte=today,
            expires_on__gt=today - timedelta(days=EXPIRY_LOOKBACK_DAYS),
            expiry_notice__isnull=True,
        )
        .select_related("entry", "standard")
        .order_by("expires_on", "id")
    )


def training_expiry_notify(*, record, today: date) -> int | None:
    """Tell the worker's employers that a training record has expired, once per record.

    Returns how many organisations were told, 0 when a newer valid record of the same training
    makes the expiry moot, or None when another run got there first.
    """
    from passports.models import TrainingRecord

    with transaction.atomic():
        try:
            with transaction.atomic():
                notice = TrainingExpiryNotice.objects.create(
                    record=record, expires_on=record.expires_on
                )
        except IntegrityError:
            return None
        renewed = (
            TrainingRecord.objects.filter(
                entry_id=record.entry_id,
                standard_id=record.standard_id,
                status=TrainingRecord.Status.VERIFIED,
            )
            .filter(Q(expires_on__isnull=True) | Q(expires_on__gt=today))
            .exists()
        )
        organisations = [] if renewed else employers_to_notify(entry=record.entry)
        for organisation in organisations:
            members = _member_emails(organisation)
            if members:
                email_from_template(
                    to=members,
                    template="training_expired_employer",
                    context={"record": record, "entry": record.entry, "organisation": organisation},
                )
            webhook_event_send(
                organisation=organisation,
                event_type="training.expired",
                data={
                    "registration_number": record.entry.registration_number,
                    "full_name": record.entry.full_name,
                    "training_record_id": record.pk,
                    "standard": record.standard.code,
                    "standard_title": record.standard.title,
                    "expires_on": record.expires_on,
                },
            )
        notice.organisations_notified = len(organisations)
        notice.save(update_fields=["organisations_notified"])
        audit_log(
            action="employers.training_expiry.notified",
            target=record,
            data={"organisations": [organisation.pk for organisation in organisations]},
        )
    return len(organisations)
