"""Composing a passport: the W3C Verifiable Credential 2.0 a worker's passport token carries.

Compose here, sign in passports.signing, check in passports.verification. The shape is
explained, field by field, in docs/decisions/0008-passport-format.md.
"""

from __future__ import annotations

import re
from datetime import date, datetime

from django.conf import settings
from django.utils import timezone

from core.dates import format_utc_timestamp
from passports import badges, keys
from passports.models import Passport, TrainingRecord
from passports.selectors import training_states
from register.models import RegisterEntry

VC_CONTEXT = "https://www.w3.org/ns/credentials/v2"
OPEN_BADGES_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
PASSPORT_TYPE = "CareRegisterTrainingPassport"
ISSUER_NAME = "Care Register"
STATUS_LIST_TYPE = "BitstringStatusListCredential"
REVOCATION = "revocation"
SUSPENSION = "suspension"
STATUS_PURPOSES = (REVOCATION, SUSPENSION)
# The single-record badges' own revocation list, apart from the passports' lists so that the
# two kinds of credential never compete for positions.
BADGE_REVOCATION = "badge-revocation"
_PASSPORT_ID = re.compile(r"^https?://[^/]+/passports/(?P<public_id>[A-Za-z0-9_-]{1,32})$")


def passport_url(public_id: str) -> str:
    return f"{settings.SITE_URL}/passports/{public_id}"


def status_list_url(list_name: str) -> str:
    return f"{settings.SITE_URL}/credentials/status/{list_name}"


def public_id_from(credential_id: object) -> str | None:
    """The passport's public id from a credential id such as https://…/passports/<id>.

    The site's address is not compared: offline verifiers may run with other settings, and the
    issuer check already ties an online passport to this register.
    """
    if not isinstance(credential_id, str):
        return None
    match = _PASSPORT_ID.search(credential_id)
    return match["public_id"] if match else None


def parse_timestamp(value: object) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else None


def parse_date(value: object) -> date | None:
    if not isinstance(value, str):
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def training_records_for(entry: RegisterEntry) -> list[TrainingRecord]:
    """The records a passport shows: those passports.selectors counts (verified ones), by
    standard then completion date. Expired records stay in: the verifier reports each one."""
    states = training_states(entry=entry, today=timezone.localdate())
    records = [state.record for state in states.counted]
    return sorted(
        records, key=lambda record: (record.standard.code, record.completed_on, record.pk)
    )


def _training_entry(record: TrainingRecord) -> dict:
    standard = record.standard
    # An Open Badges 3.0 AchievementSubject per record, with the same Achievement the
    # single-record badges carry. activityEndDate is OB 3.0's completion date, a date-time, so
    # the day is given as its start in UTC. expiresOn and provider are our own terms: OB 3.0
    # dates expiry on the credential, and its `source` Profile needs an id providers lack.
    entry = {
        "type": ["AchievementSubject"],
        "achievement": badges.achievement_for(
            site_url=settings.SITE_URL,
            code=standard.code,
            title=standard.title,
            category=standard.category,
        ),
        "activityEndDate": f"{record.completed_on.isoformat()}T00:00:00Z",
    }
    if record.expires_on:
        entry["expiresOn"] = record.expires_on.isoformat()
    provider = record.provider.name if record.provider_id else record.provider_name
    if provider:
        entry["provider"] = provider
    return entry


def compose_passport(
    *, passport: Passport, entry: RegisterEntry, records: list[TrainingRecord]
) -> dict:
    """The unsigned credential for `passport`, whose indexes and issue time are already set."""
    return {
        "@context": [VC_CONTEXT, OPEN_BADGES_CONTEXT],
        "id": passport_url(passport.public_id),
        "type": ["VerifiableCredential", PASSPORT_TYPE],
        "issuer": {"id": keys.register_did(), "name": ISSUER_NAME},
        "validFrom": format_utc_timestamp(passport.issued_at),
        "credentialSubject": {
            "registrationNumber": entry.registration_number,
            "name": entry.full_name,
            "registrationStatus": entry.status,
            "training": [_training_entry(record) for record in records],
        },
        "credentialStatus": [
            status_entry(purpose=REVOCATION, index=passport.revocation_index),
            status_entry(purpose=SUSPENSION, index=passport.suspension_index),
        ],
    }


def status_entry(*, purpose: str, index: int, list_name: str | None = None) -> dict:
    """A BitstringStatusListEntry: position `index` of the list named `list_name` (by default
    the passports' list for `purpose`)."""
    url = status_list_url(list_name or purpose)
    return {
        "id": f"{url}#{index}",
        "type": "BitstringStatusListEntry",
        "statusPurpose": purpose,
        # A string, as Bitstring Status List v1.0 requires.
        "statusListIndex": str(index),
        "statusListCredential": url,
    }


def compose_status_list(
    *,
    purpose: str,
    encoded_list: str,
    valid_from: datetime,
    valid_until: datetime,
    list_name: str | None = None,
) -> dict:
    """The unsigned BitstringStatusListCredential for one purpose."""
    url = status_list_url(list_name or purpose)
    return {
        "@context": [VC_CONTEXT],
        "id": url,
        "type": ["VerifiableCredential", STATUS_LIST_TYPE],
        "issuer": {"id": keys.register_did(), "name": ISSUER_NAME},
        "validFrom": format_utc_timestamp(valid_from),
        # Short on purpose: a verifier holding a copy past this time knows it is stale.
        "validUntil": format_utc_timestamp(valid_until),
        "credentialSubject": {
            "id": f"{url}#list",
            "type": "BitstringStatusList",
            "statusPurpose": purpose,
            "encodedList": encoded_list,
        },
    }
