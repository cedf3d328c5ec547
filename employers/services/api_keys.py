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
from datetime import date, timedelta

from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import Membership, Organisation, User
from accounts.permissions import can, require
from core.audit import audit_log
from core.errors import ApplicationError
from core.notifications import email_from_template
from employers.models import ApiKey

KEY_PATTERN = re.compile(r"^cr_live_([0-9a-f]{12})_([A-Za-z0-9_-]{43})$")
# last_used_at is for people deciding whether a key is still needed, so minute precision is
# plenty, and a busy key does not write on every request.
LAST_USED_PRECISION = timedelta(minutes=1)
# A live key nobody has used for this long is pointed out to its owners, who may not need it.
UNUSED_AFTER = timedelta(days=90)


class ApiKeyError(ApplicationError):
    pass


def _secret_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def api_key_create(
    *,
    organisation: Organisation,
    user: User,
    name: str,
    scopes: list[str],
    expires_on: date | None = None,
) -> tuple[ApiKey, str]:
    """A new key; the full key is returned once, here, and never stored. With `expires_on`
    it works until the end of that day and is refused from the next."""
    require(user, "apikey.manage", organisation)
    if expires_on is not None and expires_on <= timezone.localdate():
        raise ApiKeyError(
            "The expiry date must be in the future. Leave it empty for a key that does not expire.",
            field="expires_on",
        )
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
            expires_on=expires_on,
        )
        audit_log(
            action="employers.api_key.created",
            actor=user,
            target=api_key,
            data={
                "organisation_id": organisation.pk,
                "scopes": scopes,
                "key_id": key_id,
                "expires_on": expires_on,
            },
        )
    return api_key, f"cr_live_{key_id}_{secret}"


def _revoke_locked(*, api_key: ApiKey, user: User, reason: str = "") -> None:
    """Revoke a key the caller has locked, and log it: the one way any path revokes a key."""
    api_key.revoked_at = timezone.now()
    api_key.revoked_by = user
    api_key.save(update_fields=["revoked_at", "revoked_by"])
    data = {"organisation_id": api_key.organisation_id, "key_id": api_key.key_id}
    if reason:
        data["reason"] = reason
    audit_log(action="employers.api_key.revoked", actor=user, target=api_key, data=data)


def api_key_revoke(*, api_key: ApiKey, user: User) -> ApiKey:
    require(user, "apikey.manage", api_key.organisation)
    with transaction.atomic():
        api_key = ApiKey.objects.select_for_update().get(pk=api_key.pk)
        if api_key.revoked_at is not None:
            raise ApiKeyError("This key has already been revoked.")
        _revoke_locked(api_key=api_key, user=user)
    return api_key


class RevokedBecause(models.TextChoices):
    """Why a member's keys were revoked for them, recorded as the audit event's `reason`."""

    MAKER_NOT_OWNER = "maker_not_owner", "Their maker is no longer an owner"
    MAKER_LEFT = "maker_left", "Their maker left the organisation"


def api_keys_revoke_made_by(
    *, organisation: Organisation, maker: User, user: User, reason: RevokedBecause
) -> list[ApiKey]:
    """Revoke every live key `maker` made for `organisation`, and tell its other owners.

    The caller has already changed or ended `maker`'s membership, in the transaction this joins:
    whoever made a key can keep its secret, so once they may no longer manage keys, revoking
    the key is the only thing that ends their access through it.
    """
    with transaction.atomic():
        revoked = list(
            ApiKey.objects.select_for_update()
            .filter(organisation=organisation, created_by=maker, revoked_at__isnull=True)
            .order_by("pk")
        )
        for api_key in revoked:
            _revoke_locked(api_key=api_key, user=user, reason=reason)
        if revoked:
            owners = sorted(
                Membership.objects.filter(
                    organisation=organisation, role=Membership.Role.OWNER, user__is_active=True
                )
                .exclude(user=maker)
                .values_list("user__email", flat=True)
            )
            if owners:
                email_from_template(
                    to=owners,
                    template="api_keys_revoked",
                    context={
                        "organisation": organisation,
                        "maker": maker,
                        "count": len(revoked),
                        "maker_left": reason == RevokedBecause.MAKER_LEFT,
                        "keys": revoked,
                        "keys_path": reverse("employers:api-keys", args=[organisation.pk]),
                    },
                )
    return revoked


def api_key_authenticate(*, presented: str) -> ApiKey | None:
    """The live key `presented` is, or None (unknown, revoked or expired). A key works only
    while its maker may still manage the organisation's keys: the services revoke a key when
    its maker leaves or stops being an owner, and this check holds the rule even for a change
    made outside them (the shell, a data fix), and for a closed account."""
    match = KEY_PATTERN.match(presented or "")
    if match is None:
        return None
    key_id, secret = match.groups()
    api_key = (
        ApiKey.objects.select_related("organisation", "created_by").filter(key_id=key_id).first()
    )
    if api_key is None or not hmac.compare_digest(api_key.secret_hash, _secret_hash(secret)):
        return None
    if api_key.revoked_at is not None or api_key.has_expired():
        return None
    if not can(api_key.created_by, "apikey.manage", api_key.organisation):
        return None
    now = timezone.now()
    if api_key.last_used_at is None or now - api_key.last_used_at >= LAST_USED_PRECISION:
        ApiKey.objects.filter(pk=api_key.pk).update(last_used_at=now)
        api_key.last_used_at = now
    return api_key
