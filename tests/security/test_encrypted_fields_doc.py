"""docs/security.md's table of what is encrypted at rest is a claim: each field it lists is an
encrypted field of the type it names, and every encrypted field in the code is listed (finding
6 of issue 17)."""

import re
from pathlib import Path

from django.apps import apps
from django.db import models

from core import encryption

SECURITY_MD = Path(__file__).resolve().parents[2] / "docs" / "security.md"
ROW = re.compile(r"^\| `(?P<app>\w+)\.(?P<model>\w+)\.(?P<field>\w+)` \| `(?P<type>\w+)`")


def _table() -> dict[tuple[str, str, str], str]:
    text = SECURITY_MD.read_text()
    section = text.split("## What is encrypted at rest", 1)[1].split("\n## ", 1)[0]
    rows = {}
    for line in section.splitlines():
        match = ROW.match(line)
        if match:
            rows[(match["app"], match["model"], match["field"])] = match["type"]
    return rows


def test_every_field_the_security_doc_lists_as_encrypted_is_encrypted_as_it_says():
    rows = _table()
    assert len(rows) >= 25  # the table was found and read

    for (app_label, model_name, field_name), type_name in rows.items():
        field = apps.get_model(app_label, model_name)._meta.get_field(field_name)
        assert type(field).__name__ == type_name, (model_name, field_name)
        if isinstance(field, models.FileField):
            # A file is encrypted with the key on its own row, which is itself encrypted.
            key = field.model._meta.get_field("data_key")
            assert isinstance(key, encryption.EncryptedFileKeyField), model_name
        else:
            assert isinstance(field, encryption.EncryptedField), (model_name, field_name)


def test_every_encrypted_field_in_the_code_is_in_the_security_docs_table():
    listed = set(_table())
    in_code = {
        (model._meta.app_label, model.__name__, field.name)
        for model, field in encryption.encrypted_fields()
        if model._meta.app_label != "testapp"  # exists only in tests
    }

    assert in_code - listed == set(), "add these to docs/security.md"


def test_every_stored_file_of_the_code_is_in_the_security_docs_table():
    listed = set(_table())
    files = {
        (model._meta.app_label, model.__name__, field.name)
        for model in apps.get_models()
        for field in model._meta.concrete_fields
        if isinstance(field, models.FileField)
    }

    assert files - listed == set(), "encrypt these files and list them in docs/security.md"
