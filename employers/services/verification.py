"""Registrars verify employer organisations before the register shares any worker's data with
them: records opened by share codes, staff lists, alerts and webhooks (ADR 0019).

Anyone may create an employer organisation, so without this anyone could name themselves
after a real care home and ask workers for their share codes.
"""

from django.db import transaction
from django.utils import timezone

from accounts.models import Organisation, User
from accounts.permissions import require
from core.audit import audit_log
from core.errors import ApplicationError
from employers.models import EmployerVerification
from employers.signals import employer_verification_withdrawn

NOT_VERIFIED_MESSAGE = (
    "A registrar has not verified {organisation} yet. Until they do, the register shares no "
    "worker's details with it: you cannot check share codes, keep a staff list or receive "
    "alerts and webhooks. The register's team will contact you to check the organisation."
)


class EmployerVerificationError(ApplicationError):
    pass


class EmployerNotVerified(ApplicationError):
    """The organisation is not (or no longer) verified, so it may receive no worker's data."""

    def __init__(self, organisation: Organisation):
        super().__init__(NOT_VERIFIED_MESSAGE.format(organisation=organisation.name))


def employer_is_verified(organisation: Organisation) -> bool:
    return (
        organisation.kind == Organisation.Kind.EMPLOYER
        and EmployerVerification.objects.filter(
            organisation_id=organisation.pk, withdrawn_at__isnull=True
        ).exists()
    )


def employer_require_verified(organisation: Organisation) -> None:
    if not employer_is_verified(organisation):
        raise EmployerNotVerified(organisation)


def employer_verify(*, organisation: Organisation, registrar: User) -> EmployerVerification:
    """A registrar confirms the employer is real; from now on it may receive workers' data."""
    require(registrar, "employer.verify", organisation)
    if organisation.kind != Organisation.Kind.EMPLOYER:
        raise EmployerVerificationError("Only employer organisations are verified here.")
    with transaction.atomic():
        Organisation.objects.select_for_update().get(pk=organisation.pk)
        verification = EmployerVerification.objects.filter(organisation=organisation).first()
        if verification is not None and verification.is_current:
            raise EmployerVerificationError(f"{organisation.name} is already verified.")
        if verification is None:
            verification = EmployerVerification(organisation=organisation)
        verification.verified_by = registrar
        verification.verified_at = timezone.now()
        verification.withdrawn_by = None
        verification.withdrawn_at = None
        verification.save()
        audit_log(
            action="employers.organisation.verified",
            actor=registrar,
            target=organisation,
            new_status="verified",
        )
    return verification


def employer_verification_withdraw(
    *, organisation: Organisation, registrar: User
) -> EmployerVerification:
    """A registrar withdraws the verification: the employer receives no worker's data from now
    on (deliveries already queued are not sent), though its staff list is kept."""
    require(registrar, "employer.verify", organisation)
    with transaction.atomic():
        verification = (
            EmployerVerification.objects.select_for_update()
            .filter(organisation=organisation)
            .first()
        )
        if verification is None or not verification.is_current:
            raise EmployerVerificationError(f"{organisation.name} is not verified.")
        verification.withdrawn_by = registrar
        verification.withdrawn_at = timezone.now()
        verification.save(update_fields=["withdrawn_by", "withdrawn_at"])
        audit_log(
            action="employers.organisation.verification_withdrawn",
            actor=registrar,
            target=organisation,
            old_status="verified",
            new_status="not_verified",
        )
        employer_verification_withdrawn.send(
            sender=Organisation, organisation=organisation, by=registrar
        )
    return verification
