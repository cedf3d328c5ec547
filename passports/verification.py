"""Verifying a passport or a single-record badge: every check reported on its own, in plain
English, and never an exception.

Online (no JWKS given) the keys come from the database, and the passport's own status and the
worker's registration are read as they are now. Offline (a JWKS given) nothing touches the
database: the signature, the key and the credential's type are checked, and the rest is
reported as not checked.

`valid` means authentic (the signature matches a known key that is not revoked, and the
credential is a Care Register passport) and, online, neither revoked, suspended nor superseded,
and carrying no training record the register has since revoked.
The registration status and expired training are reported but never make a passport invalid:
the passport is a true record of what was so when it was issued.

A badge (Open Badges 3.0, one training record, docs/decisions/0026-badge-format.md) goes through
the same named checks: `type` also checks that its JWT claims mirror the credential, `status`
whether the register revoked or replaced it, and `training` its validity period, which ends
when the training expires: an expired badge is not valid, as any JWT library would say.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import date

from django.db import connections, router
from django.utils import timezone

from core.dates import format_day, format_moment
from core.ratelimit import RateLimit
from passports import badges, credentials, keys, signing
from passports.models import Passport, RecordBadge, TrainingRecord
from register.models import RegisterEntry

logger = logging.getLogger(__name__)

PASS, WARN, FAIL, SKIP = "pass", "warn", "fail", "skip"
CHECK_NAMES = ("format", "signature", "key", "type", "status", "registration", "training", "issued")
# The checks `valid` rests on; offline, "status" cannot be known and is left out.
DECIDING = ("format", "signature", "key", "type", "status")

MALFORMED = "This is not a passport token (malformed)."
TAMPERED = (
    "The passport has been altered since it was signed, or it was not signed by the register."
)
UNKNOWN_KEY = "Signed with a key the register does not know."
REVOKED_KEY = "Signed with a key that has been revoked."
NOT_A_PASSPORT = "This is a signed credential but not a Care Register passport or badge."
CLAIMS_DIFFER = (
    "This is a Care Register badge, but its JWT claims (iss, jti, nbf, sub, exp) do not match "
    "the credential."
)
BADGE_SUPERSEDED = (
    "This badge has been replaced by a newer one (superseded). Ask the worker for their latest "
    "badge."
)
UNKNOWN_BADGE = "The register has no record of this badge."
SUPERSEDED = (
    "This passport has been replaced by a newer one (superseded). Ask the worker for their "
    "latest passport."
)
UNKNOWN_PASSPORT = "The register has no record of this passport."
NO_SUCH_LINK = "No passport has this link. Check that it was copied in full."
PDF_NOT_AVAILABLE = "PDF upload is not available yet. Paste the passport link or token instead."

_REGISTRATION_MESSAGES = {
    "registered": (PASS, "Registered: may practise."),
    "registered_with_conditions": (
        WARN,
        "Registered with conditions: may practise within the conditions shown on the public "
        "register.",
    ),
    "suspended": (FAIL, "Suspended: may not practise while the suspension lasts."),
    "lapsed": (FAIL, "Lapsed: the registration was not renewed, so they may not practise."),
    "removed": (FAIL, "Removed from the register: may not practise."),
}
# The /verify/ form, per client address: far above what a person types or pastes, there to slow
# a script. Scripts belong on the API, whose throttle is the same size.
VERIFY_FORM_LIMIT = RateLimit("passport-verify-form", limit=120, period=60)
# Passport PDFs, per client address, over the form and the API together: each is parsed, so
# they cost far more than a token.
PDF_UPLOAD_LIMIT = RateLimit("passport-verify-pdf", limit=30, period=60)
TOO_MANY_CHECKS = (
    "Too many passports have been checked from your internet connection in the last minute. "
    "Wait a minute and try again."
)
_REGISTRATION_LABELS = dict(RegisterEntry.Status.choices)
_VERIFY_LINK = re.compile(r"/verify/(?P<public_id>[A-Za-z0-9_-]{1,32})/?$")
_BADGE_LINK = re.compile(r"/verify/badges/(?P<public_id>[A-Za-z0-9_-]{1,32})/?$")
PASSPORT, BADGE = "passport", "badge"
CREDENTIAL_KINDS = [PASSPORT, BADGE]
_SUPERSEDED_PREFIX = "This passport has been replaced"


class PdfUploadUnavailable(Exception):
    """passports.pdf, which reads the token out of a passport PDF, is not installed."""


@dataclass
class Check:
    """One named check: pass, warn, fail or skip (not checked), with a message for people."""

    name: str
    status: str
    message: str
    records: list[dict] | None = None

    def as_dict(self) -> dict:
        data = {"name": self.name, "status": self.status, "message": self.message}
        if self.records is not None:
            data["records"] = self.records
        return data


@dataclass
class Verification:
    """The answer: `valid`, and every check in CHECK_NAMES order."""

    valid: bool
    checks: list[Check]
    online: bool = True
    # A summary of what the passport says, only once it is known to be authentic: content that
    # fails the signature check is never shown as if the register had said it.
    passport: dict | None = None
    # "passport" or "badge" once the credential is known to be one of the register's, else None.
    kind: str | None = None
    badge: dict | None = None
    # Authentic, and not valid only because a newer passport or badge replaced it.
    superseded: bool = False

    def check(self, name: str) -> Check:
        return next(check for check in self.checks if check.name == name)

    @property
    def verdict(self) -> str:
        """valid, superseded or not_valid: the three answers a person is shown."""
        if self.valid:
            return "valid"
        return "superseded" if self.superseded else "not_valid"

    @property
    def checks_failing_first(self) -> list[Check]:
        """The checks with the failed ones first, so a person reads why before anything else."""
        return sorted(self.checks, key=lambda check: check.status != FAIL)

    @property
    def noun(self) -> str:
        return "badge" if self.kind == BADGE else "passport"

    def as_dict(self) -> dict:
        return {
            "valid": self.valid,
            "kind": self.kind,
            "checks": [check.as_dict() for check in self.checks],
            "passport": self.passport,
            "badge": self.badge,
        }


def failed(message: str, *, online: bool = True) -> Verification:
    """A verification that stopped at the first check."""
    checks = [Check("format", FAIL, message)]
    checks += [Check(name, SKIP, "Not checked.") for name in CHECK_NAMES[1:]]
    return Verification(valid=False, checks=checks, online=online)


# --- Keys -------------------------------------------------------------------------------------


def keys_from_jwks(jwks: object) -> dict[str, keys.PublishedKey]:
    """The Ed25519 keys of a JWKS, by kid. The register's `status` member is honoured; a key
    without one is taken as usable."""
    found: dict[str, keys.PublishedKey] = {}
    members = jwks.get("keys") if isinstance(jwks, dict) else None
    for jwk in members if isinstance(members, list) else []:
        if not isinstance(jwk, dict):
            continue
        kid, x = jwk.get("kid"), jwk.get("x")
        if jwk.get("kty") != "OKP" or jwk.get("crv") != "Ed25519":
            continue
        if not isinstance(kid, str) or not isinstance(x, str):
            continue
        try:
            keys.public_key_from_x(x)
        except ValueError:
            continue
        found[kid] = keys.PublishedKey(
            kid=kid.rpartition("#")[2],
            verification_method=kid,
            status=str(jwk.get("status", keys.Status.ACTIVE)),
            x=x,
        )
    return found


# --- The checks -------------------------------------------------------------------------------


def _is_passport(*, header: dict, claims: dict, kid: str, online: bool) -> bool:
    context = claims.get("@context")
    types = claims.get("type")
    issuer = claims.get("issuer")
    issuer_id = issuer.get("id") if isinstance(issuer, dict) else issuer
    subject = claims.get("credentialSubject")
    return (
        header.get("typ") == signing.TYPE
        and isinstance(context, list)
        and context[:1] == [credentials.VC_CONTEXT]
        and isinstance(types, list)
        and "VerifiableCredential" in types
        and credentials.PASSPORT_TYPE in types
        and isinstance(issuer_id, str)
        # The key must belong to the issuer the credential names.
        and kid.startswith(f"{issuer_id}#")
        and (not online or issuer_id == keys.register_did())
        and credentials.public_id_from(claims.get("id")) is not None
        and isinstance(subject, dict)
        and isinstance(subject.get("registrationNumber"), str)
        and isinstance(subject.get("training", []), list)
        and credentials.parse_timestamp(claims.get("validFrom")) is not None
    )


def badge_public_id_from(credential_id: object) -> str | None:
    if not isinstance(credential_id, str) or not credential_id.startswith(("http://", "https://")):
        return None
    match = _BADGE_LINK.search(credential_id)
    return match["public_id"] if match else None


def _identifier(subject: dict, identity_type: str) -> str | None:
    for item in subject.get("identifier") or []:
        if isinstance(item, dict) and item.get("identityType") == identity_type:
            value = item.get("identityHash")
            return value if isinstance(value, str) else None
    return None


def _is_badge(*, header: dict, claims: dict, kid: str, online: bool) -> bool:
    """A single-record badge of this register, secured as OB 3.0 section 8.2 says: "typ": "JWT"
    and no header but alg, kid and typ."""
    context = claims.get("@context")
    types = claims.get("type")
    issuer = claims.get("issuer")
    issuer_id = issuer.get("id") if isinstance(issuer, dict) else issuer
    subject = claims.get("credentialSubject")
    achievement = subject.get("achievement") if isinstance(subject, dict) else None
    return (
        header.get("typ") == signing.BADGE_TYPE
        and set(header) <= {"alg", "kid", "typ"}
        and isinstance(context, list)
        and context[:2] == badges.CONTEXT
        and isinstance(types, list)
        and "VerifiableCredential" in types
        and any(name in types for name in badges.BADGE_TYPES)
        and isinstance(issuer_id, str)
        and kid.startswith(f"{issuer_id}#")
        and (not online or issuer_id == keys.register_did())
        and badge_public_id_from(claims.get("id")) is not None
        and isinstance(subject, dict)
        and isinstance(achievement, dict)
        and isinstance(achievement.get("name"), str)
        and isinstance(_identifier(subject, "identifier"), str)
        and credentials.parse_timestamp(claims.get("validFrom")) is not None
    )


@dataclass(frozen=True)
class _Standing:
    """A passport's status and its worker's registration, as the database has them now."""

    status: str
    reason_code: str
    registration: str
    suspended_until: date | None


# Compiling the ORM query took longer than running it, which matters at a thousand
# verifications a second; the SQL is compiled once per database vendor and reused.
_STANDING_SQL: dict[str, str] = {}


def _current_standing(public_id: str) -> _Standing | None:
    connection = connections[router.db_for_read(Passport)]
    sql = _STANDING_SQL.get(connection.vendor)
    if sql is None:
        query = Passport.objects.filter(public_id="").values_list(
            "status", "reason_code", "entry__status", "entry__suspended_until"
        )
        sql = _STANDING_SQL[connection.vendor] = query.query.sql_with_params()[0]
    with connection.cursor() as cursor:
        cursor.execute(sql, [public_id])
        row = cursor.fetchone()
    if row is None:
        return None
    status, reason_code, registration, suspended_until = row
    if isinstance(suspended_until, str):
        suspended_until = date.fromisoformat(suspended_until)
    return _Standing(status, reason_code, registration, suspended_until)


def _status_check(standing: _Standing | None) -> Check:
    if standing is None:
        return Check("status", FAIL, UNKNOWN_PASSPORT)
    reason = Passport.ReasonCode(standing.reason_code).label if standing.reason_code else ""
    reason = f" ({reason.lower()})" if reason else ""
    if standing.status == Passport.Status.REVOKED:
        return Check("status", FAIL, f"This passport has been revoked{reason}.")
    if standing.status == Passport.Status.SUSPENDED:
        return Check("status", FAIL, f"This passport is suspended{reason}.")
    if standing.status == Passport.Status.SUPERSEDED:
        if standing.reason_code == Passport.ReasonCode.DETAILS_CHANGED:
            return Check(
                "status",
                FAIL,
                "This passport has been replaced (superseded): the worker's details, such as "
                "their name, have changed since it was issued. Ask the worker for their latest "
                "passport.",
            )
        return Check("status", FAIL, SUPERSEDED)
    return Check("status", PASS, "Not revoked, suspended or replaced by a newer passport.")


def _badge_standing(public_id: str | None) -> _Standing | None:
    row = (
        RecordBadge.objects.filter(public_id=public_id)
        .values_list(
            "status",
            "reason_code",
            "record__entry__status",
            "record__entry__suspended_until",
        )
        .first()
    )
    return _Standing(*row) if row else None


def _badge_status_check(standing: _Standing | None) -> Check:
    if standing is None:
        return Check("status", FAIL, UNKNOWN_BADGE)
    if standing.status == RecordBadge.Status.REVOKED:
        if standing.reason_code == Passport.ReasonCode.RECORD_REVOKED:
            return Check(
                "status", FAIL, "This badge has been revoked: its training record was revoked."
            )
        if standing.reason_code == Passport.ReasonCode.FITNESS_TO_PRACTISE:
            return Check(
                "status",
                FAIL,
                "This badge has been revoked: the worker was removed from the register on "
                "fitness to practise grounds.",
            )
        return Check("status", FAIL, "This badge has been revoked.")
    if standing.status == RecordBadge.Status.SUPERSEDED:
        return Check("status", FAIL, BADGE_SUPERSEDED)
    return Check("status", PASS, "Not revoked or replaced by a newer badge.")


def _registration_check(standing: _Standing) -> Check:
    status, message = _REGISTRATION_MESSAGES.get(
        standing.registration, (FAIL, "The registration status is not known.")
    )
    if standing.registration == "suspended" and standing.suspended_until:
        message = f"Suspended until {format_day(standing.suspended_until)}: may not practise."
    return Check("registration", status, message)


def _records_no_longer_verified(public_id: str | None) -> dict[tuple[str, str], str]:
    """(standard code, completion day) -> status label, for each record the passport was signed
    with that the register no longer counts as verified (revoked since, for instance)."""
    rows = (
        TrainingRecord.objects.filter(passports__public_id=public_id)
        .exclude(status=TrainingRecord.Status.VERIFIED)
        .values_list("standard__code", "completed_on", "status")
    )
    return {
        (code, completed_on.isoformat()): TrainingRecord.Status(status).label
        for code, completed_on, status in rows
    }


def _training_check(
    subject: dict, *, today: date, withdrawn: dict[tuple[str, str], str] | None = None
) -> Check:
    """Each record's expiry from the passport itself; online, `withdrawn` marks the records the
    register no longer counts as verified, and any of them fails the check."""
    withdrawn = withdrawn or {}
    records = []
    for item in subject.get("training") or []:
        item = item if isinstance(item, dict) else {}
        achievement = item.get("achievement") if isinstance(item.get("achievement"), dict) else {}
        name = str(achievement.get("name") or "Unnamed training")
        completed = credentials.parse_date(str(item.get("activityEndDate", ""))[:10])
        expires = credentials.parse_date(item.get("expiresOn"))
        no_longer = withdrawn.get(
            (str(achievement.get("humanCode")), completed.isoformat() if completed else "")
        )
        # The same rule as passports.selectors.record_state: training stops being valid on its
        # expiry date.
        if no_longer:
            status = FAIL
            message = f"{no_longer} since this passport was issued: no longer verified."
        elif expires is None:
            status, message = PASS, "Valid; does not expire."
        elif expires <= today:
            status, message = WARN, f"Expired on {format_day(expires)}."
        else:
            status, message = PASS, f"Valid; expires on {format_day(expires)}."
        records.append(
            {
                "name": name,
                "status": status,
                "message": message,
                "completedOn": completed.isoformat() if completed else None,
                "expiresOn": expires.isoformat() if expires else None,
            }
        )
    failed_count = sum(record["status"] == FAIL for record in records)
    expired = sum(record["status"] == WARN for record in records)
    if not records:
        return Check("training", PASS, "No training recorded.", records)
    if failed_count:
        verb = "is" if failed_count == 1 else "are"
        return Check(
            "training",
            FAIL,
            f"{failed_count} of {_records(len(records))} {verb} no longer verified by the "
            "register: the passport cannot be relied on.",
            records,
        )
    if expired:
        verb = "has" if expired == 1 else "have"
        return Check(
            "training",
            WARN,
            f"{expired} of {_records(len(records))} {verb} expired.",
            records,
        )
    verb = "is" if len(records) == 1 else "are"
    return Check("training", PASS, f"{_records(len(records))} {verb} valid now.", records)


def _records(count: int) -> str:
    return f"{count} training record{'' if count == 1 else 's'}"


def _summary(claims: dict, *, key_label: str) -> dict:
    subject = claims["credentialSubject"]
    issued = credentials.parse_timestamp(claims["validFrom"])
    status = str(subject.get("registrationStatus", ""))
    return {
        "id": credentials.public_id_from(claims.get("id")),
        "name": str(subject.get("name", "")),
        "registrationNumber": subject["registrationNumber"],
        "registrationStatusAtIssue": _REGISTRATION_LABELS.get(status, status),
        "issuedAt": claims["validFrom"],
        "issuedOn": format_day(issued),
        "key": key_label,
    }


@dataclass
class _Signed:
    """What the signature and key checks found."""

    signature: Check
    key: Check
    claims: dict | None
    published: keys.PublishedKey | None
    # Why later checks were skipped, when they were.
    skipped_because: str


def _check_signature(token: str, header: dict | None, known) -> _Signed:
    kid = header.get("kid") if header else None
    alg = header.get("alg") if header else None
    because = "Not checked, because the signature is not valid."
    if not isinstance(alg, str):
        return _Signed(
            Check("signature", FAIL, TAMPERED), Check("key", SKIP, because), None, None, because
        )
    if alg != signing.ALGORITHM:
        message = f"Not signed the way the register signs passports (algorithm {alg[:20]!r})."
        return _Signed(
            Check("signature", FAIL, message), Check("key", SKIP, because), None, None, because
        )
    published = known.get(kid) if isinstance(kid, str) else None
    if published is None:
        because = "Not checked, because the key that signed it is unknown."
        return _Signed(
            Check("signature", SKIP, because), Check("key", FAIL, UNKNOWN_KEY), None, None, because
        )

    claims = None
    try:
        claims = signing.verify(token, public_key=published.public_key)
        signature = Check(
            "signature", PASS, "The signature is valid: nothing has changed since signing."
        )
    except (signing.SignatureMismatch, signing.AlgorithmNotAllowed):
        signature = Check("signature", FAIL, TAMPERED)
    except ValueError:
        # Signed with our key, yet not a JSON object: never a passport.
        signature = Check("signature", PASS, "The signature is valid.")

    if published.status == keys.Status.REVOKED:
        key = Check("key", FAIL, REVOKED_KEY)
    else:
        state = (
            "retired: passports it signed stay valid" if published.status == "retired" else "active"
        )
        key = Check(
            "key", PASS, f"Signed with {published.kid}, a key the register publishes ({state})."
        )
    return _Signed(signature, key, claims, published, because)


def _check_standing(claims: dict, *, online: bool) -> tuple[Check, Check]:
    """The status and registration checks: from the database online, skipped offline."""
    if not online:
        subject = claims["credentialSubject"]
        at_issue = _REGISTRATION_LABELS.get(str(subject.get("registrationStatus")), "unknown")
        return (
            Check(
                "status",
                SKIP,
                "Not checked offline: only the register knows whether a passport has been "
                "revoked, suspended or replaced. Check it online to be sure.",
            ),
            Check(
                "registration",
                SKIP,
                f"Not checked offline. When the passport was issued: {at_issue}.",
            ),
        )
    standing = _current_standing(credentials.public_id_from(claims["id"]))
    if standing is None:
        return (
            _status_check(None),
            Check("registration", SKIP, "Not checked: the register has no such passport."),
        )
    return _status_check(standing), _registration_check(standing)


def _verify(token: str, *, jwks: dict | None, today: date | None) -> Verification:
    online = jwks is None
    token = token.strip() if isinstance(token, str) else token
    if not signing.has_compact_shape(token):
        return failed(MALFORMED, online=online)
    header = signing.read_header(token)
    if header is None and not signing.looks_like_claims(token):
        return failed(MALFORMED, online=online)

    checks = {"format": Check("format", PASS, "This is a signed token.")}
    signed = _check_signature(
        token, header, keys.published_keys() if online else keys_from_jwks(jwks)
    )
    checks["signature"], checks["key"] = signed.signature, signed.key
    claims = signed.claims
    if claims is not None and _is_badge(
        header=header, claims=claims, kid=header["kid"], online=online
    ):
        return _verify_badge(claims, checks=checks, signed=signed, online=online, today=today)
    if claims is not None and _is_passport(
        header=header, claims=claims, kid=header["kid"], online=online
    ):
        checks["type"] = Check("type", PASS, "A Care Register training passport.")
    else:
        claims = None
        checks["type"] = (
            Check("type", FAIL, NOT_A_PASSPORT)
            if signed.signature.status == PASS
            else Check("type", SKIP, signed.skipped_because)
        )

    authentic = claims is not None and checks["key"].status == PASS
    if authentic:
        checks["status"], checks["registration"] = _check_standing(claims, online=online)
        checks["training"] = _training_check(
            claims["credentialSubject"],
            today=today or timezone.localdate(),
            withdrawn=_records_no_longer_verified(credentials.public_id_from(claims["id"]))
            if online and claims["credentialSubject"].get("training")
            else None,
        )
        issued = credentials.parse_timestamp(claims["validFrom"])
        checks["issued"] = Check("issued", PASS, f"Issued at {format_moment(issued)}.")
    else:
        reason = "Not checked, because the passport is not authentic."
        for name in ("status", "registration", "training", "issued"):
            checks[name] = Check(name, SKIP, reason)

    deciding = DECIDING if online else DECIDING[:-1]
    valid = (
        all(checks[name].status == PASS for name in deciding) and checks["training"].status != FAIL
    )
    return Verification(
        # Expired training only warns; a record the register no longer verifies fails.
        valid=valid,
        checks=[checks[name] for name in CHECK_NAMES],
        online=online,
        passport=_summary(claims, key_label=signed.published.kid) if authentic else None,
        kind=PASSPORT if authentic else None,
        superseded=_only_superseded(checks, valid=valid),
    )


def _only_superseded(checks: dict[str, Check], *, valid: bool) -> bool:
    """Authentic and current in every way but one: a newer credential replaced it."""
    status = checks["status"]
    return (
        not valid
        and status.status == FAIL
        and status.message.startswith((_SUPERSEDED_PREFIX, BADGE_SUPERSEDED))
        and all(checks[name].status == PASS for name in DECIDING if name != "status")
        and checks["training"].status != FAIL
    )


def _badge_training_check(claims: dict, *, today: date) -> Check:
    """The one record a badge carries, valid until the training expires."""
    subject = claims["credentialSubject"]
    name = str(subject["achievement"]["name"])
    completed = credentials.parse_date(str(subject.get("activityEndDate", ""))[:10])
    until = credentials.parse_timestamp(claims.get("validUntil"))
    expires = timezone.localdate(until) if until else None
    if expires is None:
        status, message = PASS, "Valid; does not expire."
    elif expires <= today:
        status, message = FAIL, f"Expired on {format_day(expires)}: the badge is no longer valid."
    else:
        status, message = PASS, f"Valid; expires on {format_day(expires)}."
    record = {
        "name": name,
        "status": status,
        "message": message,
        "completedOn": completed.isoformat() if completed else None,
        "expiresOn": expires.isoformat() if expires else None,
    }
    return Check("training", status, f"{name}: {message}", [record])


def _verify_badge(
    claims: dict, *, checks: dict, signed: _Signed, online: bool, today: date | None
) -> Verification:
    public_id = badge_public_id_from(claims["id"])
    if not badges.claims_mirror_credential(claims):
        checks["type"] = Check("type", FAIL, CLAIMS_DIFFER)
    else:
        checks["type"] = Check(
            "type",
            PASS,
            "A Care Register badge for one training record (Open Badges 3.0). Its JWT claims "
            "iss, jti, nbf, sub and exp match the credential.",
        )
    authentic = checks["type"].status == PASS and checks["key"].status == PASS
    if authentic:
        if online:
            standing = _badge_standing(public_id)
            checks["status"] = _badge_status_check(standing)
            checks["registration"] = (
                _registration_check(standing)
                if standing
                else Check("registration", SKIP, "Not checked: the register has no such badge.")
            )
        else:
            checks["status"] = Check(
                "status",
                SKIP,
                "Not checked offline: only the register knows whether a badge has been revoked "
                "or replaced. Check it online, or read its revocation list.",
            )
            checks["registration"] = Check("registration", SKIP, "Not checked offline.")
        checks["training"] = _badge_training_check(claims, today=today or timezone.localdate())
        valid_from = credentials.parse_timestamp(claims["validFrom"])
        checks["issued"] = Check(
            "issued",
            PASS,
            f"Valid from {format_day(timezone.localdate(valid_from))}, the day the training was "
            "completed.",
        )
    else:
        reason = "Not checked, because the badge is not authentic."
        for name in ("status", "registration", "training", "issued"):
            checks[name] = Check(name, SKIP, reason)
    deciding = DECIDING if online else DECIDING[:-1]
    valid = all(checks[name].status == PASS for name in deciding) and (
        checks["training"].status == PASS
    )
    summary = None
    if authentic:
        subject = claims["credentialSubject"]
        summary = {
            "id": public_id,
            "name": _identifier(subject, "name") or "",
            "registrationNumber": _identifier(subject, "identifier"),
            "training": subject["achievement"]["name"],
            "completedOn": checks["training"].records[0]["completedOn"],
            "expiresOn": checks["training"].records[0]["expiresOn"],
            "key": signed.published.kid,
        }
    return Verification(
        valid=valid,
        checks=[checks[name] for name in CHECK_NAMES],
        online=online,
        kind=BADGE if authentic else None,
        badge=summary,
        superseded=_only_superseded(checks, valid=valid) if authentic else False,
    )


def verify(token: str, *, jwks: dict | None = None, today: date | None = None) -> Verification:
    """Check a compact JWS passport or badge. Pass `jwks` to verify offline, without the
    database."""
    try:
        return _verify(token, jwks=jwks, today=today)
    except Exception:
        # Whatever went wrong, the person gets an answer rather than an error page; the log
        # keeps the detail for whoever looks after the register.
        logger.exception("Passport verification failed unexpectedly")
        return failed(MALFORMED, online=jwks is None)


def public_id_from_link(text: str) -> str | None:
    """The passport id in a verification link (the QR code's target), or None."""
    text = text.strip()
    if not text[:8].lower().startswith(("http://", "https://", "/")):
        return None
    match = _VERIFY_LINK.search(text.split("?", 1)[0].split("#", 1)[0])
    return match["public_id"] if match else None


def verify_stored(public_id: str) -> Verification | None:
    """Verify the token the register holds for a passport id; None if there is no such one."""
    token = Passport.objects.filter(public_id=public_id).values_list("token", flat=True).first()
    return None if token is None else verify(token)


def verify_stored_badge(public_id: str) -> Verification | None:
    """Verify the token the register holds for a badge id; None if there is no such one."""
    token = RecordBadge.objects.filter(public_id=public_id).values_list("token", flat=True).first()
    return None if token is None else verify(token)


def verify_text(text: str) -> Verification:
    """What a person pastes: a verification link (of a passport or a badge) or a token."""
    if isinstance(text, str) and text.strip()[:8].lower().startswith(("http://", "https://", "/")):
        match = _BADGE_LINK.search(text.strip().split("?", 1)[0].split("#", 1)[0])
        if match:
            return verify_stored_badge(match["public_id"]) or failed(NO_SUCH_LINK)
    public_id = public_id_from_link(text) if isinstance(text, str) else None
    if public_id is not None:
        return verify_stored(public_id) or failed(NO_SUCH_LINK)
    return verify(text)


def verify_pdf(data: bytes, *, jwks: dict | None = None) -> Verification:
    """Verify the passport attached to a PDF. Raises PdfUploadUnavailable only while the PDF
    module is missing."""
    try:
        from passports import pdf
    except ModuleNotFoundError as error:
        if error.name == "passports.pdf":
            raise PdfUploadUnavailable(PDF_NOT_AVAILABLE) from error
        raise
    try:
        token = pdf.token_from_pdf(data)
    except pdf.NotAPassportPdf as error:
        return failed(str(error).rstrip(".") + ".", online=jwks is None)
    return verify(token, jwks=jwks)
