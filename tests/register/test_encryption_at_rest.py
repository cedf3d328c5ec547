"""Finding 6 of issue 17: what the worker tells us about themselves, their declarations and
their evidence files are encrypted at rest. Each test reads what is really stored (the raw row
through SQL, the raw bytes on disk) and looks for the plaintext."""

import datetime
import hashlib

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import FieldError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse

from register.models import Application, EvidenceFile, RegisterEntry, Renewal
from register.services.evidence import evidence_upload
from tests.factories import ApplicationFactory, RegisterEntryFactory

BORN = datetime.date(1984, 11, 23)
APPLICATION_VALUES = {
    "legal_name": "Philippa LEGALNAME-MARKER",
    "previous_names": "Philippa PREVIOUS-NAME-MARKER",
    "date_of_birth": BORN,
    "phone": "07700 900417",
    "address_line_1": "17 ADDRESS-ONE-MARKER Road",
    "address_line_2": "ADDRESS-TWO-MARKER",
    "town": "TOWN-MARKER",
    "postcode": "ZX9 7QP",
    "has_criminal_record": True,
    "criminal_record_details": "CRIMINAL-RECORD-MARKER",
    "has_health_condition": True,
    "health_condition_details": "HEALTH-CONDITION-MARKER",
    "has_fitness_to_practise_history": False,
    "fitness_to_practise_details": "",
}
# How each plain value could look in a column: a date as text, a yes or no as a database
# stores booleans.
PLAIN_FORMS = {
    BORN: {"1984-11-23", "19841123", "23/11/1984"},
    True: {"1", "t", "true"},
    False: {"0", "f", "false"},
    "": {""},
}


def _raw_row(model, pk, columns) -> dict:
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {', '.join(quote(c) for c in columns)} FROM {quote(model._meta.db_table)} "
            f"WHERE id = %s",
            [pk],
        )
        return dict(zip(columns, cursor.fetchone(), strict=True))


def _assert_encrypted(raw: dict, values: dict) -> None:
    for name, value in values.items():
        stored = raw[name]
        assert isinstance(stored, str) and stored.startswith("gAAAAA"), (name, stored)
        for plain in PLAIN_FORMS.get(value, {str(value)}):
            assert stored.lower() != plain.lower(), name
            if len(plain) >= 4:  # a one-letter form turns up in any token by chance
                assert plain.lower() not in stored.lower(), (name, stored)


@pytest.mark.django_db
def test_the_applications_personal_data_and_declarations_are_unreadable_in_the_raw_row():
    application = ApplicationFactory(**APPLICATION_VALUES)

    raw = _raw_row(Application, application.pk, list(APPLICATION_VALUES))

    _assert_encrypted(raw, APPLICATION_VALUES)
    read = Application.objects.get(pk=application.pk)
    for name, value in APPLICATION_VALUES.items():
        assert getattr(read, name) == value, name
        assert type(getattr(read, name)) is type(value), name


@pytest.mark.django_db
def test_an_unanswered_declaration_and_an_unknown_date_of_birth_stay_null():
    application = ApplicationFactory(
        date_of_birth=None,
        has_criminal_record=None,
        has_health_condition=None,
        has_fitness_to_practise_history=None,
    )

    read = Application.objects.get(pk=application.pk)

    assert read.date_of_birth is None
    assert read.has_criminal_record is None
    assert Application.objects.filter(pk=application.pk, date_of_birth__isnull=True).exists()


@pytest.mark.django_db
def test_the_renewal_declarations_are_unreadable_in_the_raw_row(worker):
    entry = RegisterEntryFactory(application__worker=worker)
    declarations = {
        "has_criminal_record": False,
        "criminal_record_details": "",
        "has_health_condition": True,
        "health_condition_details": "RENEWAL-HEALTH-MARKER",
        "has_fitness_to_practise_history": True,
        "fitness_to_practise_details": "RENEWAL-FITNESS-MARKER",
    }
    renewal = Renewal.objects.create(
        entry=entry,
        status=Renewal.Status.REFERRED,
        renewal_due_before=entry.renewal_due,
        cpd_hours=0,
        **declarations,
    )

    _assert_encrypted(_raw_row(Renewal, renewal.pk, list(declarations)), declarations)
    read = Renewal.objects.get(pk=renewal.pk)
    assert {name: getattr(read, name) for name in declarations} == declarations


@pytest.mark.django_db
def test_yes_and_no_encrypt_to_tokens_of_the_same_length():
    yes = ApplicationFactory(has_criminal_record=True, criminal_record_details="x")
    no = ApplicationFactory(has_criminal_record=False, criminal_record_details="")

    columns = ["has_criminal_record", "criminal_record_details"]
    raw_yes, raw_no = (_raw_row(Application, a.pk, columns) for a in (yes, no))

    assert len(raw_yes["has_criminal_record"]) == len(raw_no["has_criminal_record"])
    # An empty "give details" box is encrypted too, so it does not give the answer away.
    assert len(raw_yes["criminal_record_details"]) == len(raw_no["criminal_record_details"])


@pytest.mark.django_db
def test_encrypted_columns_refuse_lookups_by_value():
    ApplicationFactory(**APPLICATION_VALUES)

    for lookup in ("date_of_birth", "legal_name__icontains", "has_criminal_record"):
        with pytest.raises(FieldError):
            Application.objects.filter(**{lookup: APPLICATION_VALUES[lookup.split("__")[0]]})


@pytest.mark.django_db
def test_the_training_import_still_reads_the_date_of_birth_through_the_entry():
    # passports.services.records matches import rows on values_list(application__date_of_birth).
    entry = RegisterEntryFactory(application__date_of_birth=BORN)

    (born,) = RegisterEntry.objects.filter(pk=entry.pk).values_list(
        "application__date_of_birth", flat=True
    )

    assert born == BORN


PDF = b"%PDF-1.7\n1 0 obj << /Title (PASSPORT-SCAN-MARKER) >> endobj\ntrailer <<>>\n%%EOF\n"


def _stored_bytes(evidence: EvidenceFile) -> bytes:
    with open(evidence.file.path, "rb") as stored:
        return stored.read()


@pytest.mark.django_db
def test_an_evidence_file_is_unreadable_on_disk_and_comes_back_as_uploaded(client, worker):
    upload = SimpleUploadedFile("Philippa passport.pdf", PDF, content_type="application/pdf")
    evidence = evidence_upload(owner=worker, uploaded_by=worker, upload=upload)

    on_disk = _stored_bytes(evidence)
    assert b"PASSPORT-SCAN-MARKER" not in on_disk
    assert b"%PDF" not in on_disk
    raw = _raw_row(EvidenceFile, evidence.pk, ["data_key", "original_name", "sha256"])
    # The file's own key is stored wrapped by the field key, never as it is.
    assert raw["data_key"].startswith("gAAAAA")
    assert evidence.data_key not in raw["data_key"]
    with pytest.raises(ValueError):
        Fernet(raw["data_key"])
    assert "Philippa" not in raw["original_name"]
    assert raw["sha256"] == hashlib.sha256(PDF).hexdigest()  # of the document itself
    # Each file has its own key.
    other = evidence_upload(
        owner=worker,
        uploaded_by=worker,
        upload=SimpleUploadedFile("b.pdf", PDF, content_type="application/pdf"),
    )
    assert EvidenceFile.objects.get(pk=other.pk).data_key != evidence.data_key
    client.force_login(worker)
    response = client.get(reverse("register:evidence-download", args=[evidence.pk]))
    assert b"".join(response.streaming_content) == PDF
    assert "Philippa passport.pdf" in response["Content-Disposition"]
