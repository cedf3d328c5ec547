"""Open Badges 3.0 credentials for single training records, composed as plain dictionaries.

Composing is kept apart from signing (compose → sign → verify): these functions take plain
values and return the unsigned credential, so they need no database and no key.

References are to Open Badges 3.0 (https://www.imsglobal.org/spec/ob/v3p0/), appendix B "Data
Models" and section 8.2 "JSON Web Token Proof Format", and to the W3C Verifiable Credentials Data
Model 2.0 (https://www.w3.org/TR/vc-data-model-2.0/). docs/decisions/0026-badge-format.md says
why badges and passports are secured differently.
"""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from core.dates import format_utc_timestamp

BADGE_TYPES = ("OpenBadgeCredential", "AchievementCredential")

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


def start_of_day(day: date) -> datetime:
    """The moment a day begins in England, where the register's dates are kept."""
    return datetime.combine(day, time(0, 0), tzinfo=LONDON)


def compose_record_badge(
    *,
    issuer_did: str,
    issuer_name: str,
    site_url: str,
    credential_id: str,
    subject_id: str,
    recipient_name: str,
    registration_number: str,
    standard_code: str,
    standard_title: str,
    standard_category: str,
    completed_on: date,
    expires_on: date | None,
    provider_name: str,
    status_entry: dict | None = None,
) -> dict:
    """The unsigned OpenBadgeCredential for one training record (OB 3.0 "AchievementCredential").

    Its validity period is the training's: from the day it was completed until the day it
    expires (VC 2.0 "Validity Period"), so validUntil never comes before validFrom.
    """
    if expires_on is not None and expires_on <= completed_on:
        raise ValueError("Training cannot expire on or before the day it was completed.")
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
        # The achievement holds from the day the training was completed, whenever the badge
        # itself was downloaded.
        "validFrom": format_utc_timestamp(start_of_day(completed_on)),
        # OB 3.0 AchievementCredential.name is required: wallets list credentials by it.
        "name": standard_title,
        "description": (
            f"{recipient_name}, registration number {registration_number} on the "
            f"{issuer_name}, completed {standard_title}."
        ),
        "credentialSubject": {
            # The worker's page on the public register: a stable address for the person the
            # register knows, which OB 3.0 section 8.2 mirrors as the JWT's `sub`.
            "id": subject_id,
            "type": ["AchievementSubject"],
            # OB 3.0 "AchievementSubject": either id or at least one identifier must be given.
            # Workers have no DID, so they are also named by IdentityObjects. Name and registration
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
        credential["validUntil"] = format_utc_timestamp(start_of_day(expires_on))
    if status_entry is not None:
        credential["credentialStatus"] = status_entry
    return credential


def _numeric_date(timestamp: str) -> int:
    return int(datetime.fromisoformat(timestamp.replace("Z", "+00:00")).timestamp())


def jwt_claims(credential: dict) -> dict:
    """The JWT claims set for a badge (OB 3.0 section 8.2): the credential itself, with the
    registered claims that mirror it: iss the issuer's id, jti the credential's id, nbf its
    validFrom, sub its subject's id, and exp its validUntil when it has one."""
    claims = dict(credential)
    claims["iss"] = credential["issuer"]["id"]
    claims["jti"] = credential["id"]
    claims["nbf"] = _numeric_date(credential["validFrom"])
    claims["sub"] = credential["credentialSubject"]["id"]
    if "validUntil" in credential:
        claims["exp"] = _numeric_date(credential["validUntil"])
    return claims


def claims_mirror_credential(claims: dict) -> bool:
    """Whether the registered claims say what the credential says, as jwt_claims writes them:
    a verifier that reads only the claims must come to the same answer as one that reads the
    credential."""
    try:
        expected = jwt_claims({k: v for k, v in claims.items() if k not in _REGISTERED})
    except (KeyError, TypeError, ValueError, AttributeError):
        return False
    return all(claims.get(name) == expected.get(name) for name in _REGISTERED)


_REGISTERED = ("iss", "jti", "nbf", "sub", "exp")
