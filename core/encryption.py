"""Encryption at rest for personal data, and keyed hashes for finding it again.

Values are encrypted with Fernet (AES-128-CBC with HMAC-SHA256) from `cryptography`. The keys
come from settings.FIELD_ENCRYPTION_KEYS: the first key encrypts, every key decrypts, so keys
can be rotated without downtime. A Fernet token is different every time, so exact-match
lookups use a blind index: an HMAC of the normalised value under a separate key.
"""

import datetime
import hashlib
import hmac
from functools import cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core import validators
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


def file_key_new() -> str:
    """A fresh random key for one file's contents (envelope encryption: the key is stored in
    an encrypted column, so only FIELD_ENCRYPTION_KEYS open it, and rotating those keys
    re-wraps the key without touching the file)."""
    return Fernet.generate_key().decode("ascii")


def file_encrypt(content: bytes, *, key: str) -> bytes:
    return Fernet(key.encode("ascii")).encrypt(content)


def file_decrypt(stored: bytes, *, key: str) -> bytes:
    try:
        return Fernet(key.encode("ascii")).decrypt(stored)
    except (InvalidToken, ValueError) as error:
        raise DecryptionError("The file's own key does not decrypt it.") from error


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


class EncryptedField:
    """A column whose value is stored as a Fernet token in a text column; reads return the value
    as its Python type again.

    Every value but NULL is encrypted, the empty string too: that a "give details" box is empty
    says the answer was no. Encrypted columns cannot be filtered or ordered on (only `isnull`
    works): pair one with a blind index column where something must be found by its value.
    """

    def get_internal_type(self):
        return "TextField"

    def to_text(self, value) -> str:
        return str(value)

    def from_text(self, text: str):
        return text

    def get_db_prep_value(self, value, connection, prepared=False):
        if not prepared:
            value = self.get_prep_value(value)
        if value is None:
            return None
        return encrypt(self.to_text(value))

    def from_db_value(self, value, expression, connection):
        if value is None:
            return None
        if value == "":
            # Written before this column was encrypted, or by the bulk loader's defaults.
            return self.from_text("")
        return self.from_text(decrypt(value))

    def get_lookup(self, lookup_name):
        if lookup_name != "isnull":
            return None
        return super().get_lookup(lookup_name)

    def get_transform(self, lookup_name):
        return None


class EncryptedTextField(EncryptedField, models.TextField):
    """Text encrypted at rest; reads return the plaintext."""

    description = "Text encrypted at rest"


class EncryptedCharField(EncryptedTextField):
    """A short text encrypted at rest. `max_length` bounds the plaintext (forms and
    `full_clean` check it); the column itself is text, as a token is longer than its value."""

    description = "Short text encrypted at rest"

    def __init__(self, *args, max_length: int, **kwargs):
        super().__init__(*args, max_length=max_length, **kwargs)
        self.validators.append(validators.MaxLengthValidator(max_length))

    def formfield(self, **kwargs):
        # Field's own form field (a one-line CharField), not TextField's textarea.
        return models.Field.formfield(self, **{"max_length": self.max_length, **kwargs})


class EncryptedFileKeyField(EncryptedTextField):
    """The key a file's contents are encrypted with (`file_key_new`, `file_encrypt`), stored
    encrypted under FIELD_ENCRYPTION_KEYS: rotate_field_keys re-wraps it, and so rotates the
    file without rewriting it."""

    description = "A file's own key, encrypted at rest"


class EncryptedDateField(EncryptedField, models.DateField):
    """A date encrypted at rest; reads return a `datetime.date`."""

    description = "Date encrypted at rest"

    def to_text(self, value) -> str:
        return value.isoformat()

    def from_text(self, text: str):
        return datetime.date.fromisoformat(text) if text else None

    def contribute_to_class(self, cls, name, **kwargs):
        # Skip DateField's get_next_by_<name>(): it orders by the column, which holds tokens.
        models.Field.contribute_to_class(self, cls, name, **kwargs)


class EncryptedBooleanField(EncryptedField, models.BooleanField):
    """A yes or no encrypted at rest; reads return True, False or (if nullable) None. Both
    answers encrypt to tokens of the same length."""

    description = "Yes or no encrypted at rest"

    def to_text(self, value) -> str:
        return "1" if value else "0"

    def from_text(self, text: str):
        if text == "":
            return None
        return text == "1"


def encrypted_fields() -> list[tuple[type[models.Model], EncryptedField]]:
    """Every encrypted column of every installed model, for key rotation."""
    from django.apps import apps

    found = []
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if isinstance(field, EncryptedField):
                found.append((model, field))
    return found
