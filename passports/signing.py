"""Securing a credential as a compact JWS, and checking one: passports as VC-JOSE-COSE says
("vc+jwt"), single-record badges as Open Badges 3.0 section 8.2 says ("JWT").

The only module that calls the JOSE library. Signing and checking go through joserfc with an
allow-list of one algorithm, EdDSA, so a token claiming "none" or HS256 never verifies.
"""

from __future__ import annotations

import binascii
import json
import re
import warnings

from joserfc import jws
from joserfc.errors import (
    BadSignatureError,
    JoseError,
    SecurityWarning,
    UnsupportedAlgorithmError,
)
from joserfc.jwk import OKPKey
from joserfc.util import urlsafe_b64decode

ALGORITHM = "EdDSA"
TYPE = "vc+jwt"
CONTENT_TYPE = "vc"
MEDIA_TYPE = "application/vc+jwt"
# Open Badges 3.0 section 8.2: the header of a badge is "typ": "JWT" with alg and kid, and
# nothing else (no "cty").
BADGE_TYPE = "JWT"
# Far above any real passport (a hundred training records is about 60 KB) and small enough that
# a hostile upload costs little to turn away.
MAX_TOKEN_LENGTH = 200_000

# joserfc 1.8 warns on each use of "EdDSA" because RFC 9864 prefers the fully specified
# "Ed25519". We keep "EdDSA" for now because verifiers' JOSE libraries in other languages all
# accept it; docs/decisions/0008-passport-format.md records when to switch.
warnings.filterwarnings("ignore", message="EdDSA is deprecated", category=SecurityWarning)

_REGISTRY = jws.JWSRegistry(algorithms=[ALGORITHM])
_REGISTRY.max_payload_length = MAX_TOKEN_LENGTH

_SEGMENT = re.compile(r"^[A-Za-z0-9_-]+$")


class SignatureMismatch(Exception):
    """The signature does not match the header and payload under this key."""


class AlgorithmNotAllowed(Exception):
    """The header names an algorithm other than EdDSA."""


def sign(claims: dict, *, private_key: OKPKey, kid: str) -> str:
    """The compact JWS of `claims`: the credential itself is the JWT claims set."""
    header = {"alg": ALGORITHM, "typ": TYPE, "cty": CONTENT_TYPE, "kid": kid}
    payload = json.dumps(claims, separators=(",", ":"), ensure_ascii=False).encode()
    return jws.serialize_compact(header, payload, private_key, registry=_REGISTRY)


def sign_badge(claims: dict, *, private_key: OKPKey, kid: str) -> str:
    """The compact JWS of a badge's JWT claims set (passports.badges.jwt_claims)."""
    header = {"alg": ALGORITHM, "typ": BADGE_TYPE, "kid": kid}
    payload = json.dumps(claims, separators=(",", ":"), ensure_ascii=False).encode()
    return jws.serialize_compact(header, payload, private_key, registry=_REGISTRY)


def has_compact_shape(token: str) -> bool:
    """Three non-empty base64url segments, and not absurdly long."""
    if not isinstance(token, str) or len(token) > MAX_TOKEN_LENGTH:
        return False
    parts = token.split(".")
    return len(parts) == 3 and all(_SEGMENT.match(part) for part in parts)


def _json_object(segment: str) -> dict | None:
    try:
        value = json.loads(urlsafe_b64decode(segment.encode("ascii")))
    except (ValueError, binascii.Error, UnicodeDecodeError):
        return None
    return value if isinstance(value, dict) else None


def read_header(token: str) -> dict | None:
    """The protected header as it stands, before any check, for choosing the key. Never trust
    it as content."""
    return _json_object(token.split(".", 1)[0])


def looks_like_claims(token: str) -> bool:
    """Whether the payload at least decodes to a JSON object: with an unreadable header, this
    tells a damaged token from something that never was one."""
    return _json_object(token.split(".")[1]) is not None


def verify(token: str, *, public_key: OKPKey) -> dict:
    """The claims of a token whose signature this key made; raises otherwise."""
    try:
        signed = jws.deserialize_compact(token, public_key, registry=_REGISTRY)
    except UnsupportedAlgorithmError as error:
        raise AlgorithmNotAllowed(str(error)) from error
    except (BadSignatureError, JoseError) as error:
        # Any other complaint (an unknown header member, a size limit) means the same to a
        # verifier: this is not what the register signed.
        raise SignatureMismatch from error
    claims = json.loads(signed.payload)
    if not isinstance(claims, dict):
        raise ValueError("The signed payload is not a JSON object.")
    return claims
