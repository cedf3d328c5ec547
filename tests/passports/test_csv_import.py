"""CSV import of training records: the file's format, the line-numbered errors, the preview, and
a commit that stores every row or none."""

import threading
from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, connections
from django.urls import reverse
from django.utils import timezone

from core.models import AuditEvent
from passports import csv_import
from passports.models import ImportBatch, TrainingRecord
from passports.services import records
from register.models import RegisterEntry
from tests.factories import (
    ProviderApprovalFactory,
    RegisterEntryFactory,
    TrainingStandardFactory,
)

Status = TrainingRecord.Status
HEADER = "registration_number,date_of_birth,standard_code,completed_on"
BORN = "1990-05-17"  # ApplicationFactory's date of birth


def today():
    return timezone.localdate()


def csv_text(*rows, header=HEADER, newline="\r\n"):
    return newline.join([header, *rows]) + newline


def upload(text, name="training.csv", encoding="utf-8"):
    content = text if isinstance(text, bytes) else text.encode(encoding)
    return SimpleUploadedFile(name, content, content_type="text/csv")


@pytest.fixture
def entries(db):
    return [RegisterEntryFactory() for _ in range(8)]


def good_rows(entries, code="moving-and-handling", completed_on=None):
    completed_on = completed_on or (today() - timedelta(days=7)).isoformat()
    return [f"{entry.registration_number},{BORN},{code},{completed_on}" for entry in entries]


def send(provider, provider_organisation, text, **kwargs):
    return records.training_import_upload(
        provider=provider_organisation, uploaded_by=provider, upload=upload(text, **kwargs)
    )


def error_lines(check):
    return [str(error) for error in check.errors]


# --- Reading the file ----------------------------------------------------------------------------


def test_the_template_is_the_header_line_alone():
    assert csv_import.template_csv() == HEADER + "\r\n"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2025-03-01", date(2025, 3, 1)),
        ("01/03/2025", date(2025, 3, 1)),
        ("1/3/2025", date(2025, 3, 1)),
        (" 2025-3-1 ", date(2025, 3, 1)),
        ("2025-02-30", None),
        ("03/01/25", None),
        ("1 March 2025", None),
        ("", None),
    ],
)
def test_dates_are_read_year_first_or_day_first(text, expected):
    assert csv_import.parse_date(text) == expected


def test_a_utf8_file_is_read_with_or_without_a_byte_order_mark():
    text = csv_text("CR1000001H,1990-05-17,fire-safety,2025-01-02")

    assert csv_import.decode(text.encode("utf-8")) == text
    assert csv_import.decode(b"\xef\xbb\xbf" + text.encode("utf-8")) == text


@pytest.mark.parametrize("encoding", ["cp1252", "utf-16"])
def test_a_file_in_another_encoding_is_refused_with_what_to_do(encoding):
    text = csv_text("CR1000001H,1990-05-17,fire-safety,2025-01-02  # Zoë")

    with pytest.raises(csv_import.CsvFileError) as refused:
        csv_import.decode(text.encode(encoding))

    assert str(refused.value).startswith("The file must be saved as UTF-8")
    assert "CSV UTF-8 (Comma delimited)" in str(refused.value)


def test_an_empty_file_is_refused():
    with pytest.raises(csv_import.CsvFileError, match="empty"):
        csv_import.decode(b"  \r\n")


@pytest.mark.parametrize(
    ("header", "detail"),
    [
        ("registration_number,date_of_birth,standard_code", "missing: completed_on"),
        (HEADER + ",expires_on", "not recognised: expires_on"),
        (HEADER + ",completed_on", "given twice: completed_on"),
        ("CR1000001H,1990-05-17,fire-safety,2025-01-02", "missing: registration_number"),
    ],
)
def test_a_wrong_header_is_reported_on_line_1(header, detail):
    with pytest.raises(csv_import.CsvFileError) as refused:
        csv_import.parse(csv_text(header=header))

    assert str(refused.value).startswith("Line 1: the first line must name the columns")
    assert detail in str(refused.value)


def test_columns_may_come_in_any_order_and_any_case():
    parsed = csv_import.parse(
        csv_text(
            "fire-safety,2025-01-02,cr1000001h,17/05/1990",
            header="Standard_Code, Completed_On ,REGISTRATION_NUMBER,date_of_birth",
        )
    )

    assert parsed.errors == []
    [row] = parsed.rows
    assert (row.registration_number, row.date_of_birth) == ("CR1000001H", date(1990, 5, 17))
    assert (row.standard_code, row.completed_on) == ("fire-safety", date(2025, 1, 2))


def test_quoted_values_blank_lines_and_trailing_commas_are_read_as_a_spreadsheet_writes_them():
    text = csv_text(
        '"CR1000001H","1990-05-17","fire-safety","2025-01-02"',
        "",
        "CR1000002J,1990-05-17,fire-safety,2025-01-02,,",
        newline="\n",
    )

    parsed = csv_import.parse(text)

    assert parsed.errors == []
    assert parsed.row_count == 2
    assert [row.line for row in parsed.rows] == [2, 4]


def test_each_value_of_the_wrong_form_is_reported_with_its_line_number():
    text = csv_text(
        "CR1000001H,1990-05-17,fire-safety,2025-01-02",
        "CR1000001X,17.05.1990,,yesterday",
        "CR1000001H,1990-05-17,fire-safety",
    )

    parsed = csv_import.parse(text)

    assert [str(error) for error in parsed.errors] == [
        "Line 3: registration number CR1000001X is not a valid registration number "
        "(like CR1000001H): check it for typos",
        "Line 3: date of birth must be a date like 1990-05-17",
        "Line 3: enter the standard code",
        "Line 3: completion date must be a date like 2025-03-01",
        "Line 4: expected 4 values separated by commas, found 3",
    ]
    assert [row.line for row in parsed.rows] == [2]


def test_a_file_with_more_rows_than_allowed_is_refused(monkeypatch):
    monkeypatch.setattr(csv_import, "MAX_ROWS", 2)
    text = csv_text(*["CR1000001H,1990-05-17,fire-safety,2025-01-02"] * 3)

    with pytest.raises(csv_import.CsvFileError, match="more than 2 rows"):
        csv_import.parse(text)


# --- Checking and committing ---------------------------------------------------------------------


@pytest.mark.django_db
def test_a_good_file_is_previewed_then_committed_whole_with_one_audit_event(
    provider, provider_organisation, approved, entries, standard
):
    text = csv_text(*good_rows(entries))

    batch, check = send(provider, provider_organisation, text)

    assert batch.status == ImportBatch.Status.PREVIEWED
    assert batch.content == text
    assert batch.row_count == 8
    assert check.is_ready and len(check.rows) == 8
    assert not TrainingRecord.objects.exists(), "nothing is recorded before the commit"

    records.training_import_commit(batch=batch, committed_by=provider)

    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.COMMITTED
    assert batch.committed_at is not None
    stored = TrainingRecord.objects.filter(batch=batch)
    assert stored.count() == 8
    assert {record.entry_id for record in stored} == {entry.pk for entry in entries}
    assert {record.status for record in stored} == {Status.VERIFIED}
    expected_expiry = records.add_months(today() - timedelta(days=7), 12)
    assert {record.expires_on for record in stored} == {expected_expiry}
    [event] = AuditEvent.objects.filter(action="passports.import.committed")
    assert event.data["rows"] == 8
    assert event.data["verified"] == 8
    assert event.data["unverified"] == 0
    assert not AuditEvent.objects.filter(action="passports.record.recorded").exists()


@pytest.mark.django_db
def test_errors_on_lines_3_and_7_are_both_reported_and_nothing_is_stored(
    provider, provider_organisation, approved, entries, standard
):
    rows = good_rows(entries[:6])
    rows[1] = f"{entries[1].registration_number},{BORN},no-such-course,2025-01-02"
    rows[5] = f"{entries[5].registration_number},17 May 1990,moving-and-handling,2025-01-02"

    batch, check = send(provider, provider_organisation, csv_text(*rows))

    assert error_lines(check) == [
        "Line 3: there is no training standard with the code no-such-course",
        "Line 7: date of birth must be a date like 1990-05-17",
    ]
    assert batch.status == ImportBatch.Status.FAILED
    assert AuditEvent.objects.get(action="passports.import.uploaded").data["errors"] == 2
    with pytest.raises(records.TrainingRecordError, match="has errors, so nothing in it"):
        records.training_import_commit(batch=batch, committed_by=provider)
    assert not TrainingRecord.objects.exists()


@pytest.mark.django_db
def test_every_rule_for_a_single_record_applies_to_each_row(
    provider, provider_organisation, approved, entries, standard
):
    inactive = TrainingStandardFactory(code="old-course", title="An old course")
    inactive.is_active = False
    inactive.save()
    tomorrow = (today() + timedelta(days=1)).isoformat()
    first = entries[0].registration_number
    text = csv_text(
        f"{first},{BORN},moving-and-handling,2025-01-02",
        f"{entries[1].registration_number},{BORN},no-such-course,2025-01-02",
        f"{entries[2].registration_number},{BORN},old-course,2025-01-02",
        f"{entries[4].registration_number},{BORN},moving-and-handling,{tomorrow}",
        f"{entries[5].registration_number},{BORN},moving-and-handling,1969-12-31",
        f"{first.lower()},{BORN},Moving-And-Handling,02/01/2025",
        f"{first},1990-05-18,moving-and-handling,2025-01-03",
    )

    _batch, check = send(provider, provider_organisation, text)

    assert error_lines(check) == [
        "Line 3: there is no training standard with the code no-such-course",
        "Line 4: the standard old-course is no longer in use",
        "Line 5: the completion date must be today or in the past",
        "Line 6: the completion date must be on or after 1 January 1970",
        "Line 7: this row repeats line 2",
        f"Line 8: this row gives {first} a different date of birth from line 2: a worker has "
        "one date of birth",
    ]
    # A file with errors in its own values is never matched against the register.
    assert check.unmatched_rows is None


@pytest.mark.django_db
def test_a_row_already_recorded_is_reported(
    provider, provider_organisation, approved, entries, standard
):
    completed_on = today() - timedelta(days=7)
    records.training_record_create_by_provider(
        provider=provider_organisation,
        recorded_by=provider,
        registration_number=entries[0].registration_number,
        date_of_birth=date(1990, 5, 17),
        standard=standard,
        completed_on=completed_on,
    )

    _batch, check = send(provider, provider_organisation, csv_text(*good_rows(entries[:2])))

    assert error_lines(check) == [
        "Line 2: this training is already recorded for this worker on that date"
    ]


@pytest.mark.django_db
def test_a_file_with_a_byte_order_mark_commits(
    provider, provider_organisation, approved, entries, standard
):
    raw = b"\xef\xbb\xbf" + csv_text(*good_rows(entries[:3])).encode("utf-8")

    batch, check = send(provider, provider_organisation, raw)
    records.training_import_commit(batch=batch, committed_by=provider)

    assert check.errors == []
    assert TrainingRecord.objects.count() == 3
    assert not batch.content.startswith("\ufeff")


@pytest.mark.django_db
def test_a_file_in_another_encoding_stores_nothing(
    provider, provider_organisation, approved, entries, standard
):
    text = csv_text(*good_rows(entries[:2]))

    with pytest.raises(records.TrainingRecordError) as refused:
        send(provider, provider_organisation, text, encoding="utf-16")

    assert str(refused.value).startswith("The file must be saved as UTF-8")
    assert refused.value.field == "upload"
    assert not ImportBatch.objects.exists()


@pytest.mark.django_db
def test_a_file_over_the_size_limit_is_refused(
    provider, provider_organisation, approved, monkeypatch
):
    monkeypatch.setattr(csv_import, "MAX_BYTES", 100)

    with pytest.raises(records.TrainingRecordError, match="The file must be smaller than"):
        send(
            provider,
            provider_organisation,
            csv_text(*["CR1000001H,1990-05-17,fire-safety,2025-01-02"] * 5),
        )

    assert not ImportBatch.objects.exists()


@pytest.mark.django_db
def test_a_file_with_a_header_and_no_rows_is_refused(provider, provider_organisation, approved):
    with pytest.raises(records.TrainingRecordError, match="no rows of training"):
        send(provider, provider_organisation, csv_text())


@pytest.mark.django_db
def test_a_committed_batch_cannot_be_committed_twice(
    provider, provider_organisation, approved, entries, standard
):
    batch, _check = send(provider, provider_organisation, csv_text(*good_rows(entries[:2])))
    records.training_import_commit(batch=batch, committed_by=provider)

    with pytest.raises(records.TrainingRecordError) as refused:
        records.training_import_commit(batch=batch, committed_by=provider)

    assert str(refused.value) == "This file has already been recorded."
    assert TrainingRecord.objects.count() == 2
    assert AuditEvent.objects.filter(action="passports.import.committed").count() == 1


@pytest.mark.django_db
def test_a_row_made_invalid_between_preview_and_commit_refuses_the_whole_file(
    provider, provider_organisation, approved, entries, standard
):
    batch, check = send(provider, provider_organisation, csv_text(*good_rows(entries)))
    assert check.is_ready
    # A registrar removes the fifth worker while the provider looks at the preview.
    removed = entries[4]
    removed.status = RegisterEntry.Status.REMOVED
    removed.save()

    with pytest.raises(records.ImportRefused) as refused:
        records.training_import_commit(batch=batch, committed_by=provider)

    assert str(refused.value).startswith(
        "Nothing was recorded: 1 row(s) no longer match a registered worker"
    )
    assert refused.value.errors == []
    assert not TrainingRecord.objects.exists()
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.FAILED
    failed = AuditEvent.objects.get(action="passports.import.failed")
    assert (failed.old_status, failed.new_status) == ("previewed", "failed")
    assert not AuditEvent.objects.filter(action="passports.import.committed").exists()


@pytest.mark.django_db
def test_a_failure_after_rows_are_written_leaves_none_of_them(
    provider, provider_organisation, approved, monkeypatch, standard
):
    """2,500 rows go in three bulk inserts; the audit event after them fails, so all roll back."""
    entries = RegisterEntryFactory.create_batch(2_500)
    batch, _check = send(provider, provider_organisation, csv_text(*good_rows(entries)))
    written = []
    real_bulk_create = TrainingRecord.objects.bulk_create

    def counting_bulk_create(objects, **kwargs):
        created = real_bulk_create(objects, **kwargs)
        written.append(TrainingRecord.objects.count())
        return created

    def fail(**kwargs):
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(TrainingRecord.objects, "bulk_create", counting_bulk_create)
    monkeypatch.setattr(records, "audit_log", fail)

    with pytest.raises(RuntimeError):
        records.training_import_commit(batch=batch, committed_by=provider)

    assert written == [2_500], "every row was written inside the transaction"
    assert not TrainingRecord.objects.exists()
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.PREVIEWED


@pytest.mark.django_db
def test_checking_a_file_takes_the_same_few_queries_whatever_its_size(
    provider, provider_organisation, entries, standard, django_assert_num_queries
):
    small = csv_text(*good_rows(entries[:2]))
    large = csv_text(*good_rows(entries), *good_rows(entries, completed_on="2024-01-02"))

    # The entries, the standards, the live records: one query each.
    with django_assert_num_queries(3):
        small_check = records.training_import_check(text=small, today=today())
    with django_assert_num_queries(3):
        large_check = records.training_import_check(text=large, today=today())

    assert (len(small_check.rows), len(large_check.rows)) == (2, 16)


@pytest.mark.django_db
def test_only_members_of_the_provider_upload_or_commit(
    provider, provider_organisation, approved, entries, standard, employer, registrar
):
    batch, _check = send(provider, provider_organisation, csv_text(*good_rows(entries[:1])))

    for someone in (employer, registrar):
        with pytest.raises(records.TrainingRecordError, match="Only members"):
            send(someone, provider_organisation, csv_text(*good_rows(entries[:1])))
        with pytest.raises(records.TrainingRecordError, match="Only members"):
            records.training_import_commit(batch=batch, committed_by=someone)

    assert not TrainingRecord.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_two_commits_of_one_file_at_once_record_it_once(provider):
    """On PostgreSQL the threads really race; SQLite serialises writers, which is also safe."""
    if connection.vendor == "sqlite":
        pytest.skip("SQLite allows one writer at a time; the race needs PostgreSQL.")
    TrainingStandardFactory(code="moving-and-handling", title="Moving and handling")
    organisation = provider.organisations.get()
    ProviderApprovalFactory(organisation=organisation, approved_by=provider)
    entries = RegisterEntryFactory.create_batch(50)
    batch, _check = send(provider, organisation, csv_text(*good_rows(entries)))
    outcomes = []
    barrier = threading.Barrier(2)

    def commit():
        try:
            barrier.wait()
            records.training_import_commit(batch=batch, committed_by=provider)
            outcomes.append("committed")
        except records.TrainingRecordError as error:
            outcomes.append(str(error))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=commit) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["This file has already been recorded.", "committed"]
    assert TrainingRecord.objects.count() == 50


@pytest.mark.django_db(transaction=True)
def test_two_files_with_the_same_row_committed_at_once_record_it_once(provider):
    """The second commit waits for the first's lock on the entries, then finds the row taken."""
    if connection.vendor == "sqlite":
        pytest.skip("SQLite allows one writer at a time; the race needs PostgreSQL.")
    TrainingStandardFactory(code="moving-and-handling", title="Moving and handling")
    organisation = provider.organisations.get()
    ProviderApprovalFactory(organisation=organisation, approved_by=provider)
    entries = RegisterEntryFactory.create_batch(50)
    batches = [send(provider, organisation, csv_text(*good_rows(entries)))[0] for _ in range(2)]
    outcomes = []
    barrier = threading.Barrier(2)

    def commit(batch):
        try:
            barrier.wait()
            records.training_import_commit(batch=batch, committed_by=provider)
            outcomes.append("committed")
        except records.ImportRefused:
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=commit, args=[batch]) for batch in batches]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["committed", "refused"]
    assert TrainingRecord.objects.count() == 50


# --- The pages -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_template_downloads_as_a_csv_file(client, provider, provider_organisation):
    client.force_login(provider)

    response = client.get(reverse("passports:provider-template", args=[provider_organisation.pk]))

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    assert response.content.decode() == HEADER + "\r\n"


@pytest.mark.django_db
def test_a_provider_uploads_sees_the_preview_and_commits(
    client, provider, provider_organisation, approved, entries, standard
):
    client.force_login(provider)

    response = client.post(
        reverse("passports:provider-import", args=[provider_organisation.pk]),
        {"upload": upload(csv_text(*good_rows(entries[:3])))},
    )

    batch = ImportBatch.objects.get()
    preview_url = reverse(
        "passports:provider-import-preview", args=[provider_organisation.pk, batch.pk]
    )
    assert response.status_code == 302
    assert response.url == preview_url
    page = client.get(preview_url).content.decode()
    assert "Checked 3 rows in" in page
    assert "Record 3 training records" in page
    assert "passports/import.js" in page

    response = client.post(
        reverse("passports:provider-import-commit", args=[provider_organisation.pk, batch.pk])
    )

    assert response.status_code == 302
    assert TrainingRecord.objects.count() == 3
    page = client.get(response.url).content.decode()
    assert "3 training records are recorded." in page
    assert "Training recorded" in page


@pytest.mark.django_db
def test_the_preview_lists_errors_by_line_and_offers_no_commit(
    client, provider, provider_organisation, approved, entries, standard
):
    rows = good_rows(entries[:6])
    rows[1] = f"{entries[1].registration_number},{BORN},moving-and-handling,2999-01-02"
    rows[5] = f"{entries[5].registration_number},17 May 1990,moving-and-handling,2025-01-02"
    client.force_login(provider)

    response = client.post(
        reverse("passports:provider-import", args=[provider_organisation.pk]),
        {"upload": upload(csv_text(*rows))},
        follow=True,
    )

    page = response.content.decode()
    batch = ImportBatch.objects.get()
    assert "Line 3: the completion date must be today or in the past" in page
    assert "Line 7: date of birth must be a date like 1990-05-17" in page
    assert "<strong>2</strong> errors: nothing can be recorded" in page
    assert "ready to record" not in page
    commit_url = reverse(
        "passports:provider-import-commit", args=[provider_organisation.pk, batch.pk]
    )
    assert commit_url not in page


@pytest.mark.django_db
def test_a_file_that_cannot_be_read_is_shown_next_to_the_upload_field(
    client, provider, provider_organisation, approved
):
    client.force_login(provider)

    response = client.post(
        reverse("passports:provider-import", args=[provider_organisation.pk]),
        {"upload": upload("registration_number,name\r\nCR1000001H,Ann\r\n")},
    )

    assert response.status_code == 400
    [message] = response.context["form"].errors["upload"]
    assert message.startswith("Line 1: the first line must name the columns")
    assert not ImportBatch.objects.exists()


@pytest.mark.django_db
def test_a_refused_commit_says_nothing_was_recorded(
    client, provider, provider_organisation, approved, entries, standard
):
    batch, _check = send(provider, provider_organisation, csv_text(*good_rows(entries[:3])))
    entries[1].status = RegisterEntry.Status.REMOVED
    entries[1].save()
    client.force_login(provider)

    response = client.post(
        reverse("passports:provider-import-commit", args=[provider_organisation.pk, batch.pk])
    )

    assert response.status_code == 409
    page = response.content.decode()
    assert "Nothing was recorded: 1 row(s) no longer match a registered worker" in page
    assert not TrainingRecord.objects.exists()


@pytest.mark.django_db
def test_another_provider_cannot_see_or_commit_a_providers_upload(
    client, provider, provider_organisation, approved, entries, standard
):
    from tests.factories import MembershipFactory, OrganisationFactory

    batch, _check = send(provider, provider_organisation, csv_text(*good_rows(entries[:1])))
    other = MembershipFactory(organisation=OrganisationFactory(kind="training_provider")).user
    client.force_login(other)
    other_organisation = other.organisations.get()

    for url in (
        reverse("passports:provider-import-preview", args=[provider_organisation.pk, batch.pk]),
        reverse("passports:provider-import-preview", args=[other_organisation.pk, batch.pk]),
    ):
        assert client.get(url).status_code == 404
    response = client.post(
        reverse("passports:provider-import-commit", args=[other_organisation.pk, batch.pk])
    )
    assert response.status_code == 404
    assert not TrainingRecord.objects.exists()
