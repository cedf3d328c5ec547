import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command
from django.db import connection

from core.encryption import blind_index, decrypt, is_encrypted_with_primary_key
from tests.testapp.models import SecretNote

PASSPORT_NUMBER = "925665416"


def _raw_value(note) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT number FROM testapp_secretnote WHERE id = %s", [note.pk])
        return cursor.fetchone()[0]


@pytest.fixture
def old_key():
    return Fernet.generate_key().decode()


@pytest.fixture
def new_key():
    return Fernet.generate_key().decode()


@pytest.mark.django_db
def test_encrypted_values_are_unreadable_in_the_raw_row():
    note = SecretNote.objects.create(number=PASSPORT_NUMBER)

    raw = _raw_value(note)

    assert PASSPORT_NUMBER not in raw
    assert raw.startswith("gAAAAA")  # a Fernet token
    assert SecretNote.objects.get(pk=note.pk).number == PASSPORT_NUMBER


@pytest.mark.django_db
def test_the_same_value_encrypts_differently_each_time():
    first = SecretNote.objects.create(number=PASSPORT_NUMBER)
    second = SecretNote.objects.create(number=PASSPORT_NUMBER)

    assert _raw_value(first) != _raw_value(second)


@pytest.mark.django_db
def test_values_still_decrypt_after_key_rotation(settings, old_key, new_key, capsys):
    settings.FIELD_ENCRYPTION_KEYS = [old_key]
    note = SecretNote.objects.create(number=PASSPORT_NUMBER)
    empty = SecretNote.objects.create(number="")
    before = _raw_value(note)

    settings.FIELD_ENCRYPTION_KEYS = [new_key, old_key]
    assert SecretNote.objects.get(pk=note.pk).number == PASSPORT_NUMBER  # old key still reads
    call_command("rotate_field_keys")

    after = _raw_value(note)
    assert after != before
    assert is_encrypted_with_primary_key(after)
    # The empty value is a token too, so it is re-encrypted with the other.
    assert "testapp.SecretNote.number: re-encrypted 2 value(s)" in capsys.readouterr().out
    settings.FIELD_ENCRYPTION_KEYS = [new_key]  # the old key is gone for good
    assert SecretNote.objects.get(pk=note.pk).number == PASSPORT_NUMBER
    assert SecretNote.objects.get(pk=empty.pk).number == ""


@pytest.mark.django_db
def test_rotation_dry_run_counts_but_changes_nothing(settings, old_key, new_key, capsys):
    settings.FIELD_ENCRYPTION_KEYS = [old_key]
    note = SecretNote.objects.create(number=PASSPORT_NUMBER)
    before = _raw_value(note)
    settings.FIELD_ENCRYPTION_KEYS = [new_key, old_key]

    call_command("rotate_field_keys", "--dry-run")

    assert "would re-encrypt 1 value(s)" in capsys.readouterr().out
    assert _raw_value(note) == before


@pytest.mark.django_db
def test_rotation_run_twice_has_nothing_left_to_do(settings, old_key, new_key, capsys):
    settings.FIELD_ENCRYPTION_KEYS = [old_key]
    SecretNote.objects.create(number=PASSPORT_NUMBER)
    settings.FIELD_ENCRYPTION_KEYS = [new_key, old_key]
    call_command("rotate_field_keys")
    capsys.readouterr()

    call_command("rotate_field_keys")

    assert "re-encrypted 0 value(s)" in capsys.readouterr().out


@pytest.mark.django_db
def test_a_blind_index_finds_the_value_however_it_was_typed():
    note = SecretNote.objects.create(
        number=PASSPORT_NUMBER, number_index=blind_index(PASSPORT_NUMBER, purpose="passport")
    )

    found = SecretNote.objects.get(number_index=blind_index("925 665-416", purpose="passport"))

    assert found == note
    assert PASSPORT_NUMBER not in note.number_index


def test_blind_indexes_differ_by_purpose_and_by_key(settings):
    by_passport = blind_index(PASSPORT_NUMBER, purpose="passport")

    assert by_passport != blind_index(PASSPORT_NUMBER, purpose="dbs")
    settings.BLIND_INDEX_KEY = "another-key-entirely-for-this-test"
    assert by_passport != blind_index(PASSPORT_NUMBER, purpose="passport")


def test_a_value_from_an_unknown_key_is_refused(settings, old_key, new_key):
    from core.encryption import DecryptionError, encrypt

    settings.FIELD_ENCRYPTION_KEYS = [old_key]
    token = encrypt("secret")
    settings.FIELD_ENCRYPTION_KEYS = [new_key]

    with pytest.raises(DecryptionError):
        decrypt(token)
