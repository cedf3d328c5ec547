"""The passport PDF: rendered for real with reportlab and read back with pypdf. No database."""

import dataclasses
import io
import random
from datetime import UTC, date, datetime

import pytest
from pypdf import PdfReader, PdfWriter
from pypdf.generic import ContentStream
from reportlab.lib.units import cm
from reportlab.pdfgen.canvas import Canvas

from passports.pdf import (
    MAX_UPLOAD_BYTES,
    NotAPassportPdf,
    PassportDocument,
    PassportPdfRenderer,
    PassportRecordLine,
    qr_code,
    token_from_pdf,
)

PUBLIC_ID = "Vq3xY8mZk2LpR5tN0aBcDw"
VERIFY_URL = f"https://register.example.org/verify/{PUBLIC_ID}/"
TOKEN = (
    "eyJhbGciOiJFUzI1NiIsImtpZCI6ImNyLTIwMjYtYWIxMiJ9."
    "eyJpc3MiOiJkaWQ6d2ViOnJlZ2lzdGVyLmV4YW1wbGUub3JnIn0."
    "MEUCIQDx3n9kYq0vZ1l2f3g4h5i6j7k8l9m0n1o2p3q4r5s6t7u8"
)


def wendy_record(**changes) -> PassportRecordLine:
    record = PassportRecordLine(
        title="Moving and handling",
        completed_on=date(2026, 2, 9),
        expires_on=date(2027, 2, 9),
        provider="Sunrise Care Training Limited",
        state="Valid",
    )
    return dataclasses.replace(record, **changes)


def wendys_passport(**changes) -> PassportDocument:
    """Wendy Worker's passport, issued on a November afternoon."""
    document = PassportDocument(
        full_name="Wendy Worker",
        registration_number="CR-4821-7730",
        registration_status="Registered",
        issued_at=datetime(2026, 11, 23, 14, 5, tzinfo=UTC),
        verify_url=VERIFY_URL,
        token=TOKEN,
        records=[
            wendy_record(),
            wendy_record(
                title="Care Certificate standard 10: Safeguarding adults",
                completed_on=date(2025, 9, 30),
                expires_on=None,
                provider="Northfield College",
                state="Valid",
            ),
            wendy_record(
                title="Fire safety",
                completed_on=date(2025, 3, 1),
                expires_on=date(2026, 3, 1),
                state="Expired on 1 March 2026",
            ),
            wendy_record(
                title="Food hygiene",
                completed_on=date(2024, 1, 15),
                expires_on=date(2027, 1, 15),
                state="Due for renewal within 60 days",
            ),
        ],
        public_id=PUBLIC_ID,
    )
    return dataclasses.replace(document, **changes)


def render(document: PassportDocument | None = None) -> bytes:
    return PassportPdfRenderer().render(document or wendys_passport())


def read(pdf: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(pdf))


def page_text(page) -> str:
    # Table cells wrap onto several lines: compare text with its whitespace collapsed.
    return " ".join(page.extract_text().split())


def rectangles(page) -> list[tuple[float, ...]]:
    """Every rectangle drawn on a page, in drawing order, as (x, y, width, height)."""
    operations = ContentStream(page.get_contents(), page.pdf).operations
    return [
        tuple(round(float(operand), 2) for operand in operands)
        for operands, operator in operations
        if operator == b"re"
    ]


def qr_rectangles(verify_url: str) -> list[tuple[float, ...]]:
    """The rectangles of the QR code for verify_url, drawn on a page of its own."""
    buffer = io.BytesIO()
    canvas = Canvas(buffer)
    flowable = qr_code(verify_url)
    flowable.wrapOn(canvas, flowable.width, flowable.height)
    flowable.drawOn(canvas, 0, 0)
    canvas.showPage()
    canvas.save()
    return rectangles(read(buffer.getvalue()).pages[0])


def contains_run(haystack: list, needle: list) -> bool:
    return any(
        haystack[start : start + len(needle)] == needle
        for start in range(len(haystack) - len(needle) + 1)
    )


def pdf_without_a_passport() -> bytes:
    buffer = io.BytesIO()
    canvas = Canvas(buffer)
    canvas.drawString(72, 720, "A letter from the council")
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def test_it_renders_an_a4_pdf_that_pypdf_reads():
    reader = read(render())

    assert reader.pdf_header == "%PDF-1.4"
    for page in reader.pages:
        assert float(page.mediabox.width) == pytest.approx(595, abs=1)
        assert float(page.mediabox.height) == pytest.approx(842, abs=1)


def test_it_sets_the_title_author_and_subject():
    metadata = read(render()).metadata

    assert metadata.title == "Care Register training passport"
    assert metadata.author == "Care Register"
    assert metadata.subject == (
        f"Training passport {PUBLIC_ID} for registration number CR-4821-7730"
    )


def test_it_declares_its_language_and_has_readers_show_its_title():
    """The metadata assistive technology reads first (ADR 0025: the PDF cannot be tagged)."""
    catalog = read(render()).trailer["/Root"]

    assert catalog["/Lang"] == "en-GB"
    assert bool(catalog["/ViewerPreferences"]["/DisplayDocTitle"]) is True


def test_it_is_untagged_as_adr_25_says_and_names_its_accessible_version():
    """reportlab writes no structure tree; if it ever does, ADR 0025 needs revisiting."""
    reader = read(render())
    catalog = reader.trailer["/Root"]
    text = page_text(reader.pages[0]).replace("\n", " ")

    assert "/StructTreeRoot" not in catalog
    assert "/MarkInfo" not in catalog
    assert "the accessible version of this passport" in text
    assert VERIFY_URL in text.replace(" ", "")


def test_it_shows_the_title_and_who_the_passport_is_for_as_text():
    text = page_text(read(render()).pages[0])

    assert "Care Register training passport" in text
    assert "Name Wendy Worker" in text
    assert "Registration number CR-4821-7730" in text
    assert "Registration status Registered" in text
    assert "Issued 14:05 on 23 November 2026" in text


def test_it_gives_the_issue_time_in_london_time():
    # 13:05 UTC in July is 14:05 in London (BST); in November London is on UTC.
    in_july = render(wendys_passport(issued_at=datetime(2026, 7, 1, 13, 5, tzinfo=UTC)))
    in_november = render(wendys_passport(issued_at=datetime(2026, 11, 23, 14, 5, tzinfo=UTC)))

    assert "Issued 14:05 on 1 July 2026" in page_text(read(in_july).pages[0])
    assert "Issued 14:05 on 23 November 2026" in page_text(read(in_november).pages[0])


def test_it_refuses_an_issue_time_without_a_time_zone():
    with pytest.raises(ValueError, match="timezone-aware"):
        render(wendys_passport(issued_at=datetime(2026, 11, 23, 14, 5)))


def test_it_lists_each_training_record_with_its_dates_provider_and_state():
    text = page_text(read(render()).pages[0])

    assert "Training Completed Expires Provider State" in text
    assert (
        "Moving and handling 9 February 2026 9 February 2027 Sunrise Care Training Limited Valid"
        in text
    )
    assert (
        "Care Certificate standard 10: Safeguarding adults 30 September 2025 Does not expire "
        "Northfield College Valid" in text
    )
    assert "Fire safety 1 March 2025 1 March 2026" in text
    assert "Expired on 1 March 2026" in text
    assert "Food hygiene" in text
    assert "Due for renewal within 60 days" in text


def test_it_says_so_when_there_is_no_training():
    text = page_text(read(render(wendys_passport(records=[]))).pages[0])

    assert "No training is recorded on this passport." in text
    assert "Training Completed Expires Provider State" not in text


def test_it_prints_the_verification_link_under_the_qr_code():
    text = page_text(read(render()).pages[0])

    assert f"Scan to check this passport is genuine, or go to {VERIFY_URL}" in text


def test_a_long_passport_flows_onto_more_pages_with_the_headings_repeated():
    records = [wendy_record(title=f"Refresher course number {n:02d}") for n in range(1, 61)]
    reader = read(render(wendys_passport(records=records)))

    assert len(reader.pages) >= 2
    first, second = page_text(reader.pages[0]), page_text(reader.pages[1])
    assert "Refresher course number 01" in first
    assert "Refresher course number 60" not in first
    assert "Training Completed Expires Provider State" in second
    everything = " ".join(page_text(page) for page in reader.pages)
    for n in range(1, 61):
        assert everything.count(f"Refresher course number {n:02d} ") == 1
    assert "Page 2" in second


def test_markup_in_what_people_typed_is_shown_literally():
    document = wendys_passport(
        full_name="Siobhan O'Neil <script>alert(1)</script> & <b>Co</b>",
        records=[
            wendy_record(
                title="First aid <i>at work</i> & more",
                provider="Acme <u>Training</u>",
                state="Valid <br/> really",
            )
        ],
    )

    # Spaces removed: narrow table cells wrap long words, and extraction adds a space there.
    text = "".join(page_text(read(render(document)).pages[0]).split())

    for typed in (
        "Siobhan O'Neil <script>alert(1)</script> & <b>Co</b>",
        "First aid <i>at work</i> & more",
        "Acme <u>Training</u>",
        "Valid <br/> really",
    ):
        assert "".join(typed.split()) in text


def test_names_beyond_latin_1_are_drawn_when_the_system_has_dejavu():
    from passports import pdf

    if pdf.FONT == "Helvetica":
        pytest.skip("DejaVu Sans is not installed (Debian's fonts-dejavu-core).")
    document = wendys_passport(full_name="Łukasz Ștefănescu-Wójcik")

    text = page_text(read(render(document)).pages[0])

    assert "Łukasz Ștefănescu-Wójcik" in text


def test_the_signed_passport_is_attached_as_passport_jwt():
    reader = read(render())

    (attachment,) = list(reader.attachment_list)
    assert attachment.name == "passport.jwt"
    assert attachment.subtype == "/application/vc+jwt"
    assert attachment.content == TOKEN.encode()


def test_token_from_pdf_gives_back_the_exact_token():
    assert token_from_pdf(render()) == TOKEN


def test_token_from_pdf_reads_a_passport_attached_by_another_tool():
    writer = PdfWriter(clone_from=io.BytesIO(pdf_without_a_passport()))
    writer.add_attachment("passport.jwt", f"\n{TOKEN}\n".encode())
    buffer = io.BytesIO()
    writer.write(buffer)

    assert token_from_pdf(buffer.getvalue()) == TOKEN


def test_the_qr_code_holds_only_the_verification_link_at_3_cm():
    flowable = qr_code(VERIFY_URL)

    assert flowable.value == VERIFY_URL
    assert flowable.width == pytest.approx(3 * cm)
    assert flowable.height == pytest.approx(3 * cm)
    assert flowable.qrLevel == "M"
    assert flowable.qrBorder >= 4
    # Short links keep the code at version 5 or below: modules big enough to scan at 3 cm.
    assert len(VERIFY_URL) < 80
    assert flowable.qr.calculate_version() <= 5


def test_the_page_carries_the_qr_code_of_its_verification_link():
    drawn = rectangles(read(render()).pages[0])

    assert contains_run(drawn, qr_rectangles(VERIFY_URL))
    # The check can fail: the code for another link is not on the page.
    assert not contains_run(drawn, qr_rectangles(VERIFY_URL.replace("Vq3x", "Zz9z")))


def test_it_refuses_to_put_anything_long_in_the_qr_code():
    with pytest.raises(ValueError, match="too long for a 3 cm QR code"):
        render(wendys_passport(verify_url=VERIFY_URL + "?token=" + TOKEN))


def test_token_from_pdf_refuses_a_file_that_is_not_a_pdf():
    noise = random.Random(4821).randbytes(4096)

    with pytest.raises(NotAPassportPdf, match="^This file is not a PDF$"):
        token_from_pdf(noise)


def test_token_from_pdf_refuses_a_pdf_without_a_passport():
    with pytest.raises(
        NotAPassportPdf,
        match="^This PDF is not a Care Register passport: it has no passport attached$",
    ):
        token_from_pdf(pdf_without_a_passport())


def test_token_from_pdf_refuses_a_pdf_with_two_passports():
    writer = PdfWriter(clone_from=io.BytesIO(pdf_without_a_passport()))
    writer.add_attachment("passport.jwt", TOKEN.encode())
    writer.add_attachment("passport.jwt", b"eyJhbGciOiJub25lIn0.e30.")
    buffer = io.BytesIO()
    writer.write(buffer)

    with pytest.raises(NotAPassportPdf, match="more than one passport attached"):
        token_from_pdf(buffer.getvalue())


@pytest.mark.parametrize("kept", [0.1, 0.5, 0.9, 0.99])
def test_token_from_pdf_refuses_a_truncated_pdf(kept):
    pdf = render()

    with pytest.raises(NotAPassportPdf, match="^This PDF could not be read$"):
        token_from_pdf(pdf[: int(len(pdf) * kept)])


def test_token_from_pdf_refuses_an_encrypted_pdf():
    writer = PdfWriter(clone_from=io.BytesIO(render()))
    writer.encrypt("a password")
    buffer = io.BytesIO()
    writer.write(buffer)

    with pytest.raises(NotAPassportPdf, match="^This PDF could not be read$"):
        token_from_pdf(buffer.getvalue())


def test_token_from_pdf_refuses_a_file_over_5_mb_before_reading_it():
    # A real passport padded past the limit: refused for its size alone.
    oversized = render() + b"\n%" + b"x" * MAX_UPLOAD_BYTES

    with pytest.raises(NotAPassportPdf, match="too large"):
        token_from_pdf(oversized)


def test_token_from_pdf_accepts_a_file_just_under_5_mb():
    # pypdf reads a file with trailing comment bytes; the limit is on size, not on padding.
    pdf = render()
    padded = pdf + b"\n%" + b"x" * (MAX_UPLOAD_BYTES - len(pdf) - 2)

    assert len(padded) == MAX_UPLOAD_BYTES
    assert token_from_pdf(padded) == TOKEN
