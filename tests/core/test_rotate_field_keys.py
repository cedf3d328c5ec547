"""rotate_field_keys covers every encrypted column and evidence file (finding 6 of issue 17),
and never overwrites a value changed while it runs (finding 13)."""

import threading

import pytest
from cryptography.fernet import Fernet
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection

from core import encryption
from employers.models import WebhookEndpoint
from register.models import Application
from register.services.evidence import evidence_upload
from tests.factories import ApplicationFactory, OrganisationFactory, UserFactory

PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


@pytest.fixture
def old_key():
    return Fernet.generate_key().decode()


@pytest.fixture
def new_key():
    return Fernet.generate_key().decode()


def _raw(table: str, column: str, pk: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE id = %s", [pk])  # noqa: S608
        return cursor.fetchone()[0]


def _endpoint(secret: str) -> WebhookEndpoint:
    return WebhookEndpoint.objects.create(
        organisation=OrganisationFactory(),
        url="https://hr.example.org/hooks",
        secret=secret,
        created_by=UserFactory(),
    )


@pytest.mark.django_db
def test_rotation_re_encrypts_the_application_and_rewraps_each_evidence_files_key(
    settings, old_key, new_key, worker, capsys
):
    settings.FIELD_ENCRYPTION_KEYS = [old_key]
    application = ApplicationFactory(legal_name="Rhoda Rotate", has_health_condition=True)
    evidence = evidence_upload(
        owner=worker,
        uploaded_by=worker,
        upload=SimpleUploadedFile("id.pdf", PDF, content_type="application/pdf"),
    )
    with open(evidence.file.path, "rb") as stored:
        file_before = stored.read()

    settings.FIELD_ENCRYPTION_KEYS = [new_key, old_key]
    call_command("rotate_field_keys")

    out = capsys.readouterr().out
    assert "register.Application.date_of_birth: re-encrypted 1 value(s)" in out
    assert "register.Application.has_health_condition: re-encrypted 1 value(s)" in out
    assert "register.EvidenceFile: re-encrypted the key of 1 file(s)" in out
    settings.FIELD_ENCRYPTION_KEYS = [new_key]  # the old key is gone for good
    read = Application.objects.get(pk=application.pk)
    assert (read.legal_name, read.has_health_condition) == ("Rhoda Rotate", True)
    evidence.refresh_from_db()
    assert evidence.read() == PDF
    with open(evidence.file.path, "rb") as stored:
        assert stored.read() == file_before  # a file is rotated by re-wrapping its key alone


@pytest.mark.django_db
def test_rotation_leaves_a_secret_replaced_while_it_runs_as_replaced(
    settings, old_key, new_key, monkeypatch, capsys
):
    settings.FIELD_ENCRYPTION_KEYS = [old_key]
    endpoint = _endpoint("whsec_before")
    settings.FIELD_ENCRYPTION_KEYS = [new_key, old_key]
    real_rotate = encryption.rotate

    def rotate_while_the_owner_replaces_the_secret(token):
        # Between the command reading the old token and writing it back re-encrypted, the
        # employer replaces the secret (under the new key, as the running site would).
        WebhookEndpoint.objects.filter(pk=endpoint.pk).update(secret="whsec_after")
        return real_rotate(token)

    monkeypatch.setattr(encryption, "rotate", rotate_while_the_owner_replaces_the_secret)
    call_command("rotate_field_keys")

    assert WebhookEndpoint.objects.get(pk=endpoint.pk).secret == "whsec_after"
    assert "employers.WebhookEndpoint.secret: 1 value(s) changed while this ran" in (
        capsys.readouterr().out
    )


@pytest.mark.django_db(transaction=True)
def test_rotation_leaves_a_secret_replaced_by_another_connection_as_replaced(
    settings, old_key, new_key, monkeypatch
):
    if connection.vendor != "postgresql":
        pytest.skip(
            "SQLite has one writer at a time: a second connection's write waits for the "
            "rotation's batch or fails as locked, so it cannot land in the middle; the test "
            "above covers the same interleaving on one connection."
        )
    settings.FIELD_ENCRYPTION_KEYS = [old_key]
    endpoint = _endpoint("whsec_before")
    settings.FIELD_ENCRYPTION_KEYS = [new_key, old_key]
    real_rotate = encryption.rotate

    def replace_the_secret_in_another_connection():
        try:
            WebhookEndpoint.objects.filter(pk=endpoint.pk).update(secret="whsec_after")
        finally:
            connection.close()

    def rotate_while_another_connection_commits(token):
        other = threading.Thread(target=replace_the_secret_in_another_connection)
        other.start()
        other.join(timeout=30)
        assert not other.is_alive(), "the rotation's batch blocked the other connection"
        return real_rotate(token)

    monkeypatch.setattr(encryption, "rotate", rotate_while_another_connection_commits)
    call_command("rotate_field_keys")

    assert WebhookEndpoint.objects.get(pk=endpoint.pk).secret == "whsec_after"
    assert encryption.is_encrypted_with_primary_key(
        _raw("employers_webhookendpoint", "secret", endpoint.pk)
    )
