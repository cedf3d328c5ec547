"""Open Badges 3.0 credentials for training records: plain dictionaries, no database."""

import json
from datetime import date

import pytest

from passports.badges import (
    achievement_for,
    claims_mirror_credential,
    compose_record_badge,
    jwt_claims,
)

SITE_URL = "https://register.example.org"
ISSUER_DID = "did:web:register.example.org"


def wendys_badge(**changes) -> dict:
    """Wendy Worker's badge for a Care Certificate standard that never expires."""
    arguments = {
        "issuer_did": ISSUER_DID,
        "issuer_name": "Care Register",
        "site_url": SITE_URL,
        "credential_id": f"{SITE_URL}/verify/badges/6c1f4a522f0e4a8e/",
        "subject_id": f"{SITE_URL}/register/CR-4821-7730/",
        "recipient_name": "Wendy Worker",
        "registration_number": "CR-4821-7730",
        "standard_code": "care-certificate-10",
        "standard_title": "Care Certificate standard 10: Safeguarding adults",
        "standard_category": "care_certificate",
        "completed_on": date(2025, 9, 30),
        "expires_on": None,
        "provider_name": "Northfield College",
    }
    return compose_record_badge(**(arguments | changes))


def test_a_record_badge_is_an_open_badge_credential_on_vc_2():
    badge = wendys_badge()

    assert badge["@context"] == [
        "https://www.w3.org/ns/credentials/v2",
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
    ]
    assert badge["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert badge["id"] == f"{SITE_URL}/verify/badges/6c1f4a522f0e4a8e/"
    assert badge["name"] == "Care Certificate standard 10: Safeguarding adults"
    # From the start of the day the training was completed (London was on BST on 30 September).
    assert badge["validFrom"] == "2025-09-29T23:00:00Z"
    # VC 1.1 names must not creep in beside the VC 2.0 ones.
    assert "issuanceDate" not in badge
    assert "expirationDate" not in badge


def test_the_issuer_is_the_registers_profile():
    assert wendys_badge()["issuer"] == {
        "id": ISSUER_DID,
        "type": ["Profile"],
        "name": "Care Register",
        "url": SITE_URL,
    }


def test_the_subject_is_named_by_name_and_registration_number():
    subject = wendys_badge()["credentialSubject"]

    assert subject["type"] == ["AchievementSubject"]
    assert subject["id"] == f"{SITE_URL}/register/CR-4821-7730/"
    assert subject["identifier"] == [
        {
            "type": "IdentityObject",
            "identityType": "name",
            "hashed": False,
            "identityHash": "Wendy Worker",
        },
        {
            "type": "IdentityObject",
            "identityType": "identifier",
            "hashed": False,
            "identityHash": "CR-4821-7730",
        },
    ]
    assert subject["activityEndDate"] == "2025-09-30T00:00:00Z"


def test_the_achievement_describes_the_training_standard():
    achievement = wendys_badge()["credentialSubject"]["achievement"]

    assert achievement["id"] == f"{SITE_URL}/training/standards/care-certificate-10"
    assert achievement["type"] == ["Achievement"]
    assert achievement["name"] == "Care Certificate standard 10: Safeguarding adults"
    assert achievement["description"].startswith("A standard of the Care Certificate")
    assert achievement["criteria"]["narrative"]
    assert achievement["achievementType"] == "Certificate"
    assert achievement["humanCode"] == "care-certificate-10"


def test_the_badge_achievement_is_the_one_passports_reuse():
    badge = wendys_badge()

    assert badge["credentialSubject"]["achievement"] == achievement_for(
        site_url=SITE_URL,
        code="care-certificate-10",
        title="Care Certificate standard 10: Safeguarding adults",
        category="care_certificate",
    )


def test_the_provider_is_named_in_the_evidence():
    (evidence,) = wendys_badge()["evidence"]

    assert evidence["type"] == ["Evidence"]
    assert evidence["name"] == "Training record from Northfield College"
    assert "2025-09-30" in evidence["narrative"]


@pytest.mark.parametrize(
    ("category", "title", "achievement_type"),
    [
        ("care_certificate", "Care Certificate standard 1: Understand your role", "Certificate"),
        ("mandatory", "Moving and handling", "Certificate"),
        ("qualification", "Level 3 Diploma in Adult Care", "Diploma"),
        ("qualification", "Level 2 Diploma in Care (Adult Social Care)", "Diploma"),
        ("qualification", "Level 2 Adult Social Care Certificate", "Certificate"),
    ],
)
def test_the_achievement_type_follows_the_category_and_title(category, title, achievement_type):
    achievement = achievement_for(site_url=SITE_URL, code="x", title=title, category=category)

    assert achievement["achievementType"] == achievement_type


def test_it_refuses_an_unknown_category():
    with pytest.raises(ValueError, match="Unknown training category"):
        achievement_for(site_url=SITE_URL, code="x", title="Juggling", category="circus")


def test_a_trailing_slash_on_the_site_url_makes_no_double_slash():
    achievement = achievement_for(
        site_url=SITE_URL + "/", code="fire-safety", title="Fire safety", category="mandatory"
    )

    assert achievement["id"] == f"{SITE_URL}/training/standards/fire-safety"


def test_a_badge_without_an_expiry_has_no_valid_until():
    assert "validUntil" not in wendys_badge(expires_on=None)


def test_valid_until_is_the_start_of_the_expiry_day_in_london():
    """Training is expired on its expiry date, on the passport page and in badges alike."""
    winter = wendys_badge(expires_on=date(2027, 3, 1))
    summer = wendys_badge(expires_on=date(2027, 7, 1))

    assert winter["validUntil"] == "2027-03-01T00:00:00Z"
    # London is on BST in July: the day starts at 23:00 UTC the day before.
    assert summer["validUntil"] == "2027-06-30T23:00:00Z"


def test_valid_until_never_comes_before_valid_from():
    """A badge's validity period is the training's: from completion to expiry."""
    badge = wendys_badge(completed_on=date(2025, 1, 10), expires_on=date(2026, 1, 10))

    assert badge["validFrom"] == "2025-01-10T00:00:00Z"
    assert badge["validUntil"] == "2026-01-10T00:00:00Z"
    assert badge["validFrom"] < badge["validUntil"]


@pytest.mark.parametrize("expires_on", [date(2025, 9, 30), date(2025, 9, 1)])
def test_it_refuses_training_that_expires_on_or_before_its_completion(expires_on):
    with pytest.raises(ValueError, match="expire on or before"):
        wendys_badge(expires_on=expires_on)


def test_the_jwt_claims_mirror_the_credential():
    """Open Badges 3.0 section 8.2: iss, jti, nbf, sub and exp say what the credential says."""
    badge = wendys_badge(completed_on=date(2025, 1, 10), expires_on=date(2026, 1, 10))

    claims = jwt_claims(badge)

    assert claims["iss"] == ISSUER_DID
    assert claims["jti"] == badge["id"]
    assert claims["nbf"] == 1736467200  # 2025-01-10T00:00:00Z
    assert claims["exp"] == 1768003200  # 2026-01-10T00:00:00Z
    assert claims["sub"] == f"{SITE_URL}/register/CR-4821-7730/"
    registered = {"iss", "jti", "nbf", "sub", "exp"}
    assert {key: value for key, value in claims.items() if key not in registered} == badge
    assert claims_mirror_credential(claims)


def test_a_badge_without_an_expiry_has_no_exp_claim():
    claims = jwt_claims(wendys_badge(expires_on=None))

    assert "exp" not in claims
    assert claims_mirror_credential(claims)


@pytest.mark.parametrize(
    ("claim", "value"),
    [("iss", "did:web:elsewhere.example"), ("jti", "urn:x"), ("nbf", 0), ("sub", "x")],
)
def test_claims_that_disagree_with_the_credential_are_caught(claim, value):
    claims = jwt_claims(wendys_badge(expires_on=date(2027, 3, 1)))
    claims[claim] = value

    assert not claims_mirror_credential(claims)


def test_a_missing_exp_on_a_badge_that_expires_is_caught():
    claims = jwt_claims(wendys_badge(expires_on=date(2027, 3, 1)))
    del claims["exp"]

    assert not claims_mirror_credential(claims)


def test_the_badge_is_plain_json():
    badge = wendys_badge(expires_on=date(2027, 3, 1))

    assert json.loads(json.dumps(badge)) == badge
