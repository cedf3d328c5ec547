"""Bounds on a training provider's CSV upload: its size, its columns and what a refusal quotes
back. Rows and decoding are bounded by csv_import.MAX_ROWS and MAX_BYTES (test_csv_import.py)."""

import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from passports import csv_import
from passports.forms import ImportUploadForm

HEADER = ",".join(csv_import.COLUMNS)


def test_a_header_of_a_hundred_thousand_columns_is_refused_at_once():
    # 100 KB of commas: comparing every name with every other took minutes for a 5 MB file.
    started = time.perf_counter()

    with pytest.raises(csv_import.CsvFileError) as refused:
        csv_import.parse("x" + "," * 100_000 + "\r\n")

    assert time.perf_counter() - started < 1
    assert str(refused.value) == (
        "Line 1 has 100,001 columns, and the file needs only registration_number, "
        "date_of_birth, standard_code, completed_on. Download the template and copy your rows "
        "into it."
    )


def test_a_header_within_the_column_limit_gets_the_usual_explanation():
    header = HEADER + "," + ",".join(f"extra{number}" for number in range(16))

    with pytest.raises(csv_import.CsvFileError) as refused:
        csv_import.parse(header + "\r\n")

    assert str(refused.value).startswith("Line 1: the first line must name the columns")


def test_unknown_column_names_are_quoted_back_five_at_most():
    header = HEADER + "," + ",".join(f"extra{number}" for number in range(12))

    with pytest.raises(csv_import.CsvFileError) as refused:
        csv_import.parse(header + "\r\n")

    message = str(refused.value)
    assert "not recognised: extra0, extra1, extra2, extra3, extra4 and 7 more" in message
    assert "extra5" not in message


def test_the_upload_form_refuses_a_file_over_5_mb():
    oversized = SimpleUploadedFile(
        "training.csv", HEADER.encode() + b"\r\n" + b"x" * csv_import.MAX_BYTES, "text/csv"
    )

    form = ImportUploadForm(data={}, files={"upload": oversized})

    assert not form.is_valid()
    assert form.errors["upload"] == ["The file must be smaller than 5 MB"]


def test_the_upload_form_takes_a_file_just_under_the_limit():
    content = HEADER.encode() + b"\r\n"
    upload = SimpleUploadedFile(
        "training.csv", content + b" " * (csv_import.MAX_BYTES - len(content)), "text/csv"
    )

    assert ImportUploadForm(data={}, files={"upload": upload}).is_valid()
