"""Encrypt evidence files at rest, each with a key of its own kept encrypted on its row, and
encrypt the uploader's file name (people name scans after themselves).

Each stored file is read, encrypted with a new key and written under a new random name; the
plaintext file is deleted only once the migration has committed, so a failure part way leaves
every row pointing at a file it can still read.
"""

import secrets

from django.core.files.base import ContentFile
from django.db import migrations, models, transaction

import core.encryption



def _check_constraints_now(schema_editor) -> None:
    # PostgreSQL refuses to ALTER a table with deferred foreign-key checks still pending from
    # the rows just written; running them now lets the schema changes that follow go ahead.
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        schema_editor.execute("SET CONSTRAINTS ALL DEFERRED")

def _files(apps):
    model = apps.get_model("register", "EvidenceFile")
    return model, model._meta.get_field("file").storage


def _rewrite(apps, *, seal: bool) -> None:
    model, storage = _files(apps)
    for evidence in model.objects.order_by("pk").iterator():
        old_name = evidence.file.name
        with storage.open(old_name, "rb") as stored:
            content = stored.read()
        if seal:
            evidence.data_key = core.encryption.file_key_new()
            content = core.encryption.file_encrypt(content, key=evidence.data_key)
        else:
            content = core.encryption.file_decrypt(content, key=evidence.data_key)
            evidence.data_key = ""
        directory = old_name.rsplit("/", 1)[0]
        evidence.file.name = storage.save(f"{directory}/{secrets.token_hex(16)}", ContentFile(content))
        evidence.save(update_fields=["file", "data_key"])
        transaction.on_commit(lambda name=old_name: storage.delete(name))


def encrypt_files(apps, schema_editor):
    _rewrite(apps, seal=True)
    _check_constraints_now(schema_editor)


def decrypt_files(apps, schema_editor):
    _rewrite(apps, seal=False)
    _check_constraints_now(schema_editor)


def copy_names(apps, schema_editor):
    model, _storage = _files(apps)
    for evidence in model.objects.iterator():
        evidence.original_name_encrypted = evidence.original_name
        evidence.save(update_fields=["original_name_encrypted"])
    _check_constraints_now(schema_editor)


def copy_names_back(apps, schema_editor):
    model, _storage = _files(apps)
    for evidence in model.objects.iterator():
        evidence.original_name = evidence.original_name_encrypted
        evidence.save(update_fields=["original_name"])
    _check_constraints_now(schema_editor)


class Migration(migrations.Migration):
    dependencies = [("register", "0004_encrypt_personal_data")]

    operations = [
        migrations.AddField(
            model_name="evidencefile",
            name="data_key",
            field=core.encryption.EncryptedFileKeyField(default="", editable=False),
            preserve_default=False,
        ),
        migrations.RunPython(encrypt_files, decrypt_files),
        migrations.AddField(
            model_name="evidencefile",
            name="original_name_encrypted",
            field=core.encryption.EncryptedCharField(default="", max_length=200),
            preserve_default=False,
        ),
        migrations.RunPython(copy_names, copy_names_back),
        # A default for the plain column only so that, run backwards, it can be added again
        # to a table with rows before the copy fills it.
        migrations.AlterField(
            model_name="evidencefile",
            name="original_name",
            field=models.CharField(default="", max_length=200),
        ),
        migrations.RemoveField(model_name="evidencefile", name="original_name"),
        migrations.RenameField(
            model_name="evidencefile", old_name="original_name_encrypted", new_name="original_name"
        ),
    ]
