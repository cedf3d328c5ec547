from django.db import migrations

# The Care Workforce Pathway's role categories (Department of Health and Social Care, 2024-25).
# Kept as data: registrars can edit or add categories in the admin when the pathway changes.
PATHWAY_ROLES = [
    ("new-to-care", "New to care", "Care workers in their first months in the role."),
    ("care-or-support-worker", "Care or support worker", ""),
    ("experienced-care-or-support-worker", "Experienced care or support worker", ""),
    ("lead-care-or-support-worker", "Lead care or support worker", ""),
    ("specialist-care-worker", "Specialist care worker", ""),
    ("deputy-manager", "Deputy manager", ""),
    ("registered-manager", "Registered manager", ""),
]


def add_pathway_roles(apps, schema_editor):
    PathwayRole = apps.get_model("register", "PathwayRole")
    for order, (code, title, description) in enumerate(PATHWAY_ROLES):
        PathwayRole.objects.get_or_create(
            code=code, defaults={"title": title, "description": description, "order": order}
        )


def add_trigram_indexes(apps, schema_editor):
    # Name search matches parts of names ("smi" finds "Smith"); on PostgreSQL a trigram GIN
    # index answers that without scanning 1.5 million rows. SQLite has no such index and
    # falls back to a scan, which is fine for a local copy.
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS register_entry_search_name_trgm "
        "ON register_registerentry USING gin (search_name gin_trgm_ops)"
    )


def drop_trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS register_entry_search_name_trgm")


class Migration(migrations.Migration):
    dependencies = [("register", "0001_initial")]

    operations = [
        migrations.RunPython(add_pathway_roles, migrations.RunPython.noop),
        migrations.RunPython(add_trigram_indexes, drop_trigram_indexes),
    ]
