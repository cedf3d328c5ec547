"""API keys for organisations: made and revoked by owners, checked on every API request.

A key reads `cr_live_<key id>_<secret>`. The key id is stored as it is, so a key can be found
and named ("cr_live_3f9a…") without its secret; the secret is 32 random bytes, and only its
SHA-256 is stored. With 256 bits of entropy no salt or slow hash is needed: nobody can
enumerate the secrets a hash could come from.
"""

import hashlib
import hmac
import re
import secrets
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from register.audit import audit_log
from register.errors import ApplicationError
from register.models import ApiKey, Membership, Organisation, User
from register.permissions import require

KEY_PATTERN = re.compile(r"^cr_live_([0-9a-f]{12})_([A-Za-z0-9_-]{43})$")
# last_used_at is for people deciding whether a key is still needed, so minute precision is
# plenty, and a busy key does not write on every request.
LAST_USED_PRECISION = timedelta(minutes=1)


class ApiKeyError(ApplicationError):
    pass


def _secret_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def api_key_create(
    *, organisation: Organisation, user: User, name: str, scopes: list[str]
) -> tuple[ApiKey, str]:
    """A new key; the full key is returned once, here, and never stored."""
    require(user, "apikey.manage", organisation)
    name = (name or "").strip()
    if not name:
        raise ApiKeyError("Give the key a name, such as the system that will use it.", field="name")
    if len(name) > 100:
        raise ApiKeyError("Keep the name to 100 characters or fewer.", field="name")
    scopes = sorted(set(scopes or []))
    if not scopes:
        raise ApiKeyError("Choose at least one thing the key may do.", field="scopes")
    unknown = [scope for scope in scopes if scope not in ApiKey.Scope.values]
    if unknown:
        raise ApiKeyError(f"Unknown scope: {', '.join(unknown)}.", field="scopes")
    key_id = secrets.token_hex(6)
    secret = secrets.token_urlsafe(32)
    with transaction.atomic():
        api_key = ApiKey.objects.create(
            organisation=organisation,
            name=name,
            key_id=key_id,
            secret_hash=_secret_hash(secret),
            scopes=scopes,
            created_by=user,
        )
        audit_log(
            action="register.api_key.created",
            actor=user,
            target=api_key,
            data={"organisation_id": organisation.pk, "scopes": scopes, "key_id": key_id},
        )
    return api_key, f"cr_live_{key_id}_{secret}"


def api_key_revoke(*, api_key: ApiKey, user: User) -> ApiKey:
    require(user, "apikey.manage", api_key.organisation)
    with transaction.atomic():
        api_key = ApiKey.objects.select_for_update().get(pk=api_key.pk)
        if api_key.revoked_at is not None:
            raise ApiKeyError("This key has already been revoked.")
        api_key.revoked_at = timezone.now()
        api_key.revoked_by = user
        api_key.save(update_fields=["revoked_at", "revoked_by"])
        audit_log(
            action="register.api_key.revoked",
            actor=user,
            target=api_key,
            data={"organisation_id": api_key.organisation_id, "key_id": api_key.key_id},
        )
    return api_key


def api_key_authenticate(*, presented: str) -> ApiKey | None:
    """The live key `presented` is, or None. A key whose creator has left the organisation
    (or whose account is closed) no longer works: leaving must end their access."""
    match = KEY_PATTERN.match(presented or "")
    if match is None:
        return None
    key_id, secret = match.groups()
    api_key = (
        ApiKey.objects.select_related("organisation", "created_by").filter(key_id=key_id).first()
    )
    if api_key is None or not hmac.compare_digest(api_key.secret_hash, _secret_hash(secret)):
        return None
    if api_key.revoked_at is not None or not api_key.created_by.is_active:
        return None
    if not Membership.objects.filter(
        user_id=api_key.created_by_id, organisation_id=api_key.organisation_id
    ).exists():
        return None
    now = timezone.now()
    if api_key.last_used_at is None or now - api_key.last_used_at >= LAST_USED_PRECISION:
        ApiKey.objects.filter(pk=api_key.pk).update(last_used_at=now)
        api_key.last_used_at = now
    return api_key
