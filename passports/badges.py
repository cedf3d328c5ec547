"""Open Badges 3.0 credentials for single training records, composed as plain dictionaries.

Composing is kept apart from signing (compose → sign → verify): these functions take plain
values and return the unsigned credential, so they need no database and no key.

References are to Open Badges 3.0 (https://www.imsglobal.org/spec/ob/v3p0/), appendix B "Data
Models", and to the W3C Verifiable Credentials Data Model 2.0 (https://www.w3.org/TR/vc-data-model-2.0/).
"""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from core.dates import format_utc_timestamp

# OB 3.0 §"Contexts": the VC 2.0 context first, then the Open Badges context, in this order.
CONTEXT = [
    "https://www.w3.org/ns/credentials/v2",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
]

LONDON = ZoneInfo("Europe/London")

# Values from OB 3.0 "AchievementType Enumeration". The category alone does not tell a
# certificate from a diploma among qualifications (the catalogue holds the Level 2 Adult Social
# Care Certificate beside two diplomas), so qualifications are decided by their title.
_ACHIEVEMENT_TYPE_BY_CATEGORY = {
    "care_certificate": "Certificate",
    "mandatory": "Certificate",
}

_DESCRIPTION_BY_CATEGORY = {
    "care_certificate": (
        "A standard of the Care Certificate, the agreed set of standards for people new to "
        "working in adult social care in England."
    ),
    "qualification": "A regulated qualification in adult social care.",
    "mandatory": (
        "Training that adult social care employers in England expect their staff to hold and "
        "keep up to date."
    ),
}

_CRITERIA_BY_CATEGORY = {
    "care_certificate": (
        "Completed this Care Certificate standard. The record was made by a training provider "
        "approved by the Care Register, or checked against evidence by a registrar."
    ),
    "qualification": (
        "Achieved this qualification, awarded by a regulated awarding organisation. The record "
        "was made by a training provider approved by the Care Register, or checked against the "
        "certificate by a registrar."
    ),
    "mandatory": (
        "Completed this training. The record was made by a training provider approved by the "
        "Care Register, or checked against evidence by a registrar."
    ),
}


def achievement_type_for(*, category: str, title: str) -> str:
    if category == "qualification":
        return "Diploma" if "diploma" in title.lower() else "Certificate"
    try:
        return _ACHIEVEMENT_TYPE_BY_CATEGORY[category]
    except KeyError:
        raise ValueError(f"Unknown training category: {category!r}") from None


def achievement_for(*, site_url: str, code: str, title: str, category: str) -> dict:
    """The OB 3.0 Achievement for one training standard, shared by badges and passports.

    OB 3.0 "Achievement": id, type, name, description and criteria are required; criteria
    needs an id or a narrative. The id is the standard's page on the register, the same for
    everyone who holds it.
    """
    if category not in _DESCRIPTION_BY_CATEGORY:
        raise ValueError(f"Unknown training category: {category!r}")
    return {
        "id": f"{site_url.rstrip('/')}/training/standards/{code}",
        "type": ["Achievement"],
        "name": title,
        "description": _DESCRIPTION_BY_CATEGORY[category],
        "criteria": {"narrative": _CRITERIA_BY_CATEGORY[category]},
        "achievementType": achievement_type_for(category=category, title=title),
        # OB 3.0 Achievement.humanCode: the code people quote for it, here the catalogue code.
        "humanCode": code,
    }


def compose_record_badge(
    *,
    issuer_did: str,
    issuer_name: str,
    site_url: str,
    credential_id: str,
    recipient_name: str,
    registration_number: str,
    standard_code: str,
    standard_title: str,
    standard_category: str,
    completed_on: date,
    expires_on: date | None,
    provider_name: str,
    valid_from: datetime,
) -> dict:
    """The unsigned OpenBadgeCredential for one training record (OB 3.0 "AchievementCredential")."""
    credential = {
        "@context": list(CONTEXT),
        # OB 3.0 AchievementCredential.type: must include VerifiableCredential and either
        # AchievementCredential or its alias OpenBadgeCredential.
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "id": credential_id,
        # OB 3.0 "Profile": id and type are required; name and url let a wallet show who issued.
        "issuer": {
            "id": issuer_did,
            "type": ["Profile"],
            "name": issuer_name,
            "url": site_url,
        },
        "validFrom": format_utc_timestamp(valid_from),
        # OB 3.0 AchievementCredential.name is required: wallets list credentials by it.
        "name": standard_title,
        "description": (
            f"{recipient_name}, registration number {registration_number} on the "
            f"{issuer_name}, completed {standard_title}."
        ),
        "credentialSubject": {
            "type": ["AchievementSubject"],
            # OB 3.0 "AchievementSubject": either id or at least one identifier must be given.
            # Workers have no DID, so they are named by IdentityObjects. Name and registration
            # number are already public on the register, so they are not hashed (hashing is
            # for identities with an expectation of privacy, such as email addresses).
            # identityType values from OB 3.0 "IdentifierTypeEnum": "name" for the person's
            # name, and "identifier", the generic type, for the registration number.
            "identifier": [
                {
                    "type": "IdentityObject",
                    "identityType": "name",
                    "hashed": False,
                    "identityHash": recipient_name,
                },
                {
                    "type": "IdentityObject",
                    "identityType": "identifier",
                    "hashed": False,
                    "identityHash": registration_number,
                },
            ],
            "achievement": achievement_for(
                site_url=site_url,
                code=standard_code,
                title=standard_title,
                category=standard_category,
            ),
            # OB 3.0 AchievementSubject.activityEndDate is a date-time; records hold only the
            # day, given as its start in UTC.
            "activityEndDate": f"{completed_on.isoformat()}T00:00:00Z",
        },
        # OB 3.0 "Evidence": only type is required. The provider has no id we could give, so it
        # is named here rather than as AchievementSubject.source, a Profile that needs an id.
        "evidence": [
            {
                "type": ["Evidence"],
                "name": f"Training record from {provider_name}",
                "narrative": (
                    f"{standard_title}, completed on {completed_on.isoformat()} with "
                    f"{provider_name}."
                ),
            }
        ],
    }
    if expires_on is not None:
        # VC 2.0 "Validity Period": validUntil. As everywhere on the register (see
        # passports.selectors.record_state), training is expired on its expiry date, so the
        # credential ends as that day begins, London time.
        start_of_expiry_day = datetime.combine(expires_on, time(0, 0), tzinfo=LONDON)
        credential["validUntil"] = format_utc_timestamp(start_of_expiry_day)
    return credential

