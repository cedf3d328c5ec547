"""Encrypt what a worker tells us about themselves: the application's name, date of birth,
address and phone, and the declarations (answers and details) of applications and renewals.

Each column is replaced through a new encrypted column beside it: add it, copy every value
across (encrypting it as it is written), drop the old column, take over its name. The copy
reads the old column through its own type, so it works alike on SQLite and PostgreSQL, and the
migration runs backwards the same way.
"""

from django.db import migrations, models

import core.encryption

APPLICATION = [
    ("legal_name", lambda: core.encryption.EncryptedCharField(max_length=200, blank=True, default="")),
    ("previous_names", lambda: core.encryption.EncryptedTextField(blank=True, default="", help_text="One name per line.")),
    ("date_of_birth", lambda: core.encryption.EncryptedDateField(null=True, blank=True)),
    ("phone", lambda: core.encryption.EncryptedCharField(max_length=32, blank=True, default="")),
    ("address_line_1", lambda: core.encryption.EncryptedCharField(max_length=200, blank=True, default="")),
    ("address_line_2", lambda: core.encryption.EncryptedCharField(max_length=200, blank=True, default="")),
    ("town", lambda: core.encryption.EncryptedCharField(max_length=100, blank=True, default="")),
    ("postcode", lambda: core.encryption.EncryptedCharField(max_length=10, blank=True, default="")),
    ("has_criminal_record", lambda: core.encryption.EncryptedBooleanField(null=True)),
    ("criminal_record_details", lambda: core.encryption.EncryptedTextField(blank=True, default="")),
    ("has_health_condition", lambda: core.encryption.EncryptedBooleanField(null=True)),
    ("health_condition_details", lambda: core.encryption.EncryptedTextField(blank=True, default="")),
    ("has_fitness_to_practise_history", lambda: core.encryption.EncryptedBooleanField(null=True)),
    ("fitness_to_practise_details", lambda: core.encryption.EncryptedTextField(blank=True, default="")),
]
RENEWAL = [
    ("has_criminal_record", lambda: core.encryption.EncryptedBooleanField(default=False)),
    ("criminal_record_details", lambda: core.encryption.EncryptedTextField(blank=True, default="")),
    ("has_health_condition", lambda: core.encryption.EncryptedBooleanField(default=False)),
    ("health_condition_details", lambda: core.encryption.EncryptedTextField(blank=True, default="")),
    ("has_fitness_to_practise_history", lambda: core.encryption.EncryptedBooleanField(default=False)),
    ("fitness_to_practise_details", lambda: core.encryption.EncryptedTextField(blank=True, default="")),
]
MODELS = {"application": APPLICATION, "renewal": RENEWAL}
SUFFIX = "_encrypted"



def _check_constraints_now(schema_editor) -> None:
    # PostgreSQL refuses to ALTER a table with deferred foreign-key checks still pending from
    # the rows just written; running them now lets the schema changes that follow go ahead.
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        schema_editor.execute("SET CONSTRAINTS ALL DEFERRED")

def _copy(apps, *, source_suffix: str, target_suffix: str) -> None:
    for model_name, fields in MODELS.items():
        model = apps.get_model("register", model_name)
        names = [name for name, _field in fields]
        changed = []
        for row in model.objects.only("pk", *[name + source_suffix for name in names]).iterator():
            for name in names:
                setattr(row, name + target_suffix, getattr(row, name + source_suffix))
            changed.append(row)
            if len(changed) == 500:
                model.objects.bulk_update(changed, [name + target_suffix for name in names])
                changed = []
        if changed:
            model.objects.bulk_update(changed, [name + target_suffix for name in names])


def encrypt_values(apps, schema_editor):
    _copy(apps, source_suffix="", target_suffix=SUFFIX)
    _check_constraints_now(schema_editor)


def decrypt_values(apps, schema_editor):
    _copy(apps, source_suffix=SUFFIX, target_suffix="")
    _check_constraints_now(schema_editor)


def _operations():
    added = [
        migrations.AddField(
            model_name=model_name,
            name=name + SUFFIX,
            field=make(),
            # Renewals' answers are never NULL: the default only fills the new column until
            # the copy below overwrites every row.
            preserve_default=False,
        )
        for model_name, fields in MODELS.items()
        for name, make in fields
    ]
    swapped = []
    for model_name, fields in MODELS.items():
        for name, _make in fields:
            if model_name == "renewal" and name.startswith("has_"):
                # A default for the plain NOT NULL column only so that, run backwards, it can
                # be added again to a table with rows before the copy fills it.
                swapped.append(
                    migrations.AlterField(
                        model_name=model_name, name=name, field=models.BooleanField(default=False)
                    )
                )
            swapped.append(migrations.RemoveField(model_name=model_name, name=name))
            swapped.append(
                migrations.RenameField(model_name=model_name, old_name=name + SUFFIX, new_name=name)
            )
    return [*added, migrations.RunPython(encrypt_values, decrypt_values), *swapped]


class Migration(migrations.Migration):
    dependencies = [("register", "0003_search_names_fold_letters_and_apostrophes")]

    operations = _operations()
