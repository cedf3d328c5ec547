"""Encryption at rest for personal data, and keyed hashes for finding it again.

Values are encrypted with Fernet (AES-128-CBC with HMAC-SHA256) from `cryptography`. The keys
come from settings.FIELD_ENCRYPTION_KEYS: the first key encrypts, every key decrypts, so keys
can be rotated without downtime. A Fernet token is different every time, so exact-match
lookups use a blind index: an HMAC of the normalised value under a separate key.
"""

import hashlib
import hmac
from functools import cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models


class DecryptionError(Exception):
    """A stored value could not be decrypted with any configured key."""


@cache
def _fernet_for(keys: tuple[str, ...]) -> MultiFernet:
    if not keys:
        raise ImproperlyConfigured("FIELD_ENCRYPTION_KEYS is empty: nothing can be encrypted.")
    try:
        return MultiFernet([Fernet(key) for key in keys])
    except ValueError as error:
        raise ImproperlyConfigured(
            "Each FIELD_ENCRYPTION_KEYS entry must be a Fernet key (32 url-safe base64 bytes)."
        ) from error


def _fernet() -> MultiFernet:
    return _fernet_for(tuple(settings.FIELD_ENCRYPTION_KEYS))


def encrypt(plaintext: str) -> str:
    return _fernet().encrypt(plaintext.encode()).decode("ascii")


def decrypt(token: str) -> str:
    try:
        return _fernet().decrypt(token.encode("ascii")).decode()
    except InvalidToken as error:
        raise DecryptionError("No configured key decrypts this value.") from error


def is_encrypted_with_primary_key(token: str) -> bool:
    primary = Fernet(settings.FIELD_ENCRYPTION_KEYS[0])
    try:
        primary.decrypt(token.encode("ascii"))
    except InvalidToken:
        return False
    return True


def rotate(token: str) -> str:
    """Re-encrypt a token under the primary key, keeping its original timestamp."""
    try:
        return _fernet().rotate(token.encode("ascii")).decode("ascii")
    except InvalidToken as error:
        raise DecryptionError("No configured key decrypts this value.") from error


def normalise_identifier(value: str) -> str:
    """Identity numbers are typed with and without spaces, dashes and lower case."""
    return "".join(ch for ch in value.upper() if ch.isalnum())


def blind_index(value: str, *, purpose: str) -> str:
    """A keyed hash of the normalised value, for exact-match lookups of encrypted data.

    `purpose` keeps the indexes of different fields apart, so equal values in two columns do not
    produce equal hashes.
    """
    if not settings.BLIND_INDEX_KEY:
        raise ImproperlyConfigured("BLIND_INDEX_KEY is empty: blind indexes cannot be computed.")
    message = f"{purpose}:{normalise_identifier(value)}".encode()
    return hmac.new(settings.BLIND_INDEX_KEY.encode(), message, hashlib.sha256).hexdigest()


class EncryptedTextField(models.TextField):
    """A text column whose value is stored encrypted; reads return the plaintext.

    Encrypted columns cannot be filtered or ordered on: pair one with a blind index column.
    """

    description = "Text encrypted at rest"

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return encrypt(value)

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return value
        return decrypt(value)

    def get_lookup(self, lookup_name):
        if lookup_name not in {"isnull"}:
            return None
        return super().get_lookup(lookup_name)


def encrypted_fields() -> list[tuple[type[models.Model], EncryptedTextField]]:
    """Every encrypted column of every installed model, for key rotation."""
    from django.apps import apps

    found = []
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if isinstance(field, EncryptedTextField):
                found.append((model, field))
    return found
