"""Turning an issued passport into files a person can keep: the PDF, and single-record badges.

The PDF is built from the signed token's own claims, not from today's database, so what is
printed is exactly what the signature covers.
"""

from datetime import date

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from core.dates import format_day
from passports import badges, keys, signing
from passports.credentials import parse_date
from passports.models import Passport, TrainingRecord
from passports.pdf import PassportDocument, PassportPdfRenderer, PassportRecordLine
from register.models import RegisterEntry
from register.services.entries import EntryStatusError

_renderer = PassportPdfRenderer()


def verify_url(passport: Passport) -> str:
    return settings.SITE_URL + reverse("passports:verify-link", args=[passport.public_id])


def _state_on(expires_on: date | None, day: date) -> str:
    if expires_on is None:
        return "Valid, does not expire"
    if expires_on <= day:
        return f"Expired on {format_day(expires_on)}"
    return f"Valid until {format_day(expires_on)}"


def passport_document(passport: Passport) -> PassportDocument:
    # Read back through the signature, with the key that made it: only what is signed is
    # printed.
    claims = signing.verify(
        passport.token, public_key=keys.public_key_from_x(passport.key.public_jwk["x"])
    )
    subject = claims.get("credentialSubject", {})
    issued_on = timezone.localdate(passport.issued_at)
    lines = []
    for item in subject.get("training", []):
        expires_on = parse_date(item.get("expiresOn"))
        completed = parse_date(str(item.get("activityEndDate", ""))[:10])
        lines.append(
            PassportRecordLine(
                title=item.get("achievement", {}).get("name", ""),
                completed_on=completed,
                expires_on=expires_on,
                provider=item.get("provider", ""),
                state=_state_on(expires_on, issued_on),
            )
        )
    status = subject.get("registrationStatus", "")
    return PassportDocument(
        full_name=subject.get("name", ""),
        registration_number=subject.get("registrationNumber", ""),
        registration_status=(
            RegisterEntry.Status(status).label if status in RegisterEntry.Status.values else status
        ),
        issued_at=passport.issued_at,
        verify_url=verify_url(passport),
        token=passport.token,
        records=lines,
        public_id=passport.public_id,
    )


def passport_pdf(passport: Passport) -> bytes:
    return _renderer.render(passport_document(passport))


def record_badge_token(record: TrainingRecord) -> str:
    """One verified record as a signed Open Badges 3.0 credential, for other badge wallets."""
    if record.status != TrainingRecord.Status.VERIFIED:
        raise EntryStatusError("Only verified training can be downloaded as a badge.")
    key = keys.active_key()
    if key is None:
        raise EntryStatusError("No signing key: run manage.py signing_key create")
    provider = record.provider.name if record.provider_id else record.provider_name
    credential = badges.compose_record_badge(
        issuer_did=keys.register_did(),
        issuer_name="Care Register",
        site_url=settings.SITE_URL,
        credential_id=f"{settings.SITE_URL}/training/records/{record.pk}",
        recipient_name=record.entry.full_name,
        registration_number=record.entry.registration_number,
        standard_code=record.standard.code,
        standard_title=record.standard.title,
        standard_category=record.standard.category,
        completed_on=record.completed_on,
        expires_on=record.expires_on,
        provider_name=provider,
        valid_from=timezone.now(),
    )
    return signing.sign(
        credential,
        private_key=keys.private_key_for(key),
        kid=keys.verification_method_id(key.kid),
    )
