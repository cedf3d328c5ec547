"""Open Badges 3.0 credentials for training records: plain dictionaries, no database."""

import json
from datetime import UTC, date, datetime

import pytest

from passports.badges import achievement_for, compose_record_badge

SITE_URL = "https://register.example.org"
ISSUER_DID = "did:web:register.example.org"


def wendys_badge(**changes) -> dict:
    """Wendy Worker's badge for a Care Certificate standard that never expires."""
    arguments = {
        "issuer_did": ISSUER_DID,
        "issuer_name": "Care Register",
        "site_url": SITE_URL,
        "credential_id": "urn:uuid:6c1f4a52-2f0e-4a8e-9a57-0d4f3b2a9e11",
        "recipient_name": "Wendy Worker",
        "registration_number": "CR-4821-7730",
        "standard_code": "care-certificate-10",
        "standard_title": "Care Certificate standard 10: Safeguarding adults",
        "standard_category": "care_certificate",
        "completed_on": date(2025, 9, 30),
        "expires_on": None,
        "provider_name": "Northfield College",
        "valid_from": datetime(2026, 11, 23, 14, 5, tzinfo=UTC),
    }
    return compose_record_badge(**(arguments | changes))


def test_a_record_badge_is_an_open_badge_credential_on_vc_2():
    badge = wendys_badge()

    assert badge["@context"] == [
        "https://www.w3.org/ns/credentials/v2",
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
    ]
    assert badge["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert badge["id"] == "urn:uuid:6c1f4a52-2f0e-4a8e-9a57-0d4f3b2a9e11"
    assert badge["name"] == "Care Certificate standard 10: Safeguarding adults"
    assert badge["validFrom"] == "2026-11-23T14:05:00Z"
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
    assert "id" not in subject
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


def test_valid_from_is_given_in_utc():
    badge = wendys_badge(valid_from=datetime.fromisoformat("2026-07-01T14:05:00+01:00"))

    assert badge["validFrom"] == "2026-07-01T13:05:00Z"


def test_it_refuses_a_valid_from_without_a_time_zone():
    with pytest.raises(ValueError, match="timezone-aware"):
        wendys_badge(valid_from=datetime(2026, 11, 23, 14, 5))


def test_the_badge_is_plain_json():
    badge = wendys_badge(expires_on=date(2027, 3, 1))

    assert json.loads(json.dumps(badge)) == badge
