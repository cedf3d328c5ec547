from django.db import migrations


def add_text_search_index(apps, schema_editor):
    # The written-answers search is `UPPER(text) LIKE '%word%'`; a trigram index answers it
    # without reading every text. PostgreSQL only, as in register/migrations/0002: SQLite has
    # nothing like it and scans, which is fine at the sizes SQLite is used for.
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS consultations_answer_text_trgm "
        "ON consultations_answer USING gin (UPPER(text) gin_trgm_ops)"
    )


def drop_text_search_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS consultations_answer_text_trgm")


class Migration(migrations.Migration):
    dependencies = [
        ("consultations", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(add_text_search_index, drop_text_search_index),
    ]
