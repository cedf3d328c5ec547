"""The migrations that encrypt personal data (register 0004) and evidence files (0005) convert
rows and files written before them, and run backwards (finding 6 of issue 17)."""

import datetime

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from register.models import Application, EvidenceFile, Renewal

BEFORE = ("register", "0003_search_names_fold_letters_and_apostrophes")
BORN = datetime.date(1979, 2, 14)
SCAN = b"%PDF-1.7\n(OLD-SCAN-MARKER)\n%%EOF\n"


def _migrate(target: list[tuple[str, str]]):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(target)
    return executor.loader.project_state(target).apps


def _latest() -> list[tuple[str, str]]:
    executor = MigrationExecutor(connection)
    return executor.loader.graph.leaf_nodes("register")


def _raw(table: str, columns: list[str], pk: int) -> dict:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(columns)} FROM {table} WHERE id = %s", [pk])  # noqa: S608
        return dict(zip(columns, cursor.fetchone(), strict=True))


@pytest.mark.django_db(transaction=True)
def test_the_migrations_encrypt_existing_rows_and_files_and_run_backwards():
    old = _migrate([BEFORE])
    user = old.get_model("accounts", "User").objects.create(
        email="old@example.org", full_name="Olga Oldrow", password="!"
    )
    application = old.get_model("register", "Application").objects.create(
        worker=user,
        status="approved",
        legal_name="Olga OLD-NAME-MARKER",
        date_of_birth=BORN,
        address_line_1="OLD-ADDRESS-MARKER",
        postcode="LS1 4AP",
        has_criminal_record=True,
        criminal_record_details="OLD-CRIMINAL-MARKER",
        has_health_condition=False,
    )
    entry = old.get_model("register", "RegisterEntry").objects.create(
        worker=user,
        application=application,
        registration_number="CR0000001X",
        full_name="Olga Oldrow",
        search_name="olga oldrow",
        registered_from=BORN,
        renewal_due=BORN,
    )
    renewal = old.get_model("register", "Renewal").objects.create(
        entry=entry,
        status="referred",
        renewal_due_before=BORN,
        has_criminal_record=False,
        has_health_condition=True,
        health_condition_details="OLD-HEALTH-MARKER",
        has_fitness_to_practise_history=False,
        cpd_hours=0,
    )
    plain_name = default_storage.save(f"evidence/{user.pk}/old", ContentFile(SCAN))
    evidence = old.get_model("register", "EvidenceFile").objects.create(
        owner=user,
        uploaded_by=user,
        file=plain_name,
        content_type="application/pdf",
        original_name="Olga passport.pdf",
        size=len(SCAN),
        sha256="0" * 64,
    )

    try:
        _migrate(_latest())

        raw = _raw(
            "register_application",
            ["legal_name", "date_of_birth", "address_line_1", "has_criminal_record"],
            application.pk,
        )
        assert all(value.startswith("gAAAAA") for value in raw.values()), raw
        read = Application.objects.get(pk=application.pk)
        assert (read.legal_name, read.date_of_birth, read.postcode) == (
            "Olga OLD-NAME-MARKER",
            BORN,
            "LS1 4AP",
        )
        assert (read.has_criminal_record, read.has_health_condition) == (True, False)
        assert read.has_fitness_to_practise_history is None
        assert read.criminal_record_details == "OLD-CRIMINAL-MARKER"
        raw = _raw("register_renewal", ["health_condition_details"], renewal.pk)
        assert raw["health_condition_details"].startswith("gAAAAA")
        assert Renewal.objects.get(pk=renewal.pk).health_condition_details == "OLD-HEALTH-MARKER"
        stored = EvidenceFile.objects.get(pk=evidence.pk)
        assert stored.read() == SCAN
        assert stored.original_name == "Olga passport.pdf"
        with default_storage.open(stored.file.name, "rb") as on_disk:
            assert b"OLD-SCAN-MARKER" not in on_disk.read()
        assert not default_storage.exists(plain_name)  # the plaintext file is gone

        _migrate([BEFORE])

        columns = ["legal_name", "criminal_record_details"]
        raw = _raw("register_application", columns, application.pk)
        assert raw == {
            "legal_name": "Olga OLD-NAME-MARKER",
            "criminal_record_details": "OLD-CRIMINAL-MARKER",
        }
        back = old.get_model("register", "EvidenceFile").objects.get(pk=evidence.pk)
        with default_storage.open(back.file.name, "rb") as on_disk:
            assert on_disk.read() == SCAN
    finally:
        _migrate(_latest())
