"""Turning an issued passport into a file a person can keep: the PDF.

The PDF is built from the signed token's own claims, not from today's database, so what is
printed is exactly what the signature covers.
"""

from datetime import date

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from core.dates import format_day
from passports import keys, signing
from passports.credentials import parse_date
from passports.models import Passport
from passports.pdf import PassportDocument, PassportPdfRenderer, PassportRecordLine
from register.models import RegisterEntry

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
