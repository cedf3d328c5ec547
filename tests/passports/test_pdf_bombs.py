"""Hostile passport PDFs: many attachments, a compressed bomb, filters a passport never uses.

Each is built byte by byte, as an attacker would, and read with the real reader. The memory a
read allocates is measured with tracemalloc: the refusal must come before anything large is
inflated. No database.
"""

import time
import tracemalloc
import zlib

import pytest

from passports.pdf import MAX_TOKEN_BYTES, NotAPassportPdf, token_from_pdf

TOKEN = b"eyJhbGciOiJFZERTQSJ9.eyJpc3MiOiJkaWQ6d2ViOnJlZ2lzdGVyIn0.c2lnbmF0dXJl"
MEGABYTE = 1024 * 1024


def crafted_pdf(attachments: list[tuple[bytes, bytes, bytes]]) -> bytes:
    """A minimal PDF whose catalog names each (name, stream dictionary entries, stream data)
    as an embedded file, with a correct cross-reference table."""
    objects: list[bytes] = [b"", b""]  # 1: catalog, 2: the pages, filled in below
    names = []
    for name, extra, data in attachments:
        stream_number = len(objects) + 1
        objects.append(
            b"<< /Type /EmbeddedFile /Length %d %s >>\nstream\n" % (len(data), extra)
            + data
            + b"\nendstream"
        )
        filespec_number = len(objects) + 1
        objects.append(
            b"<< /Type /Filespec /F (%s) /UF (%s) /EF << /F %d 0 R >> >>"
            % (name, name, stream_number)
        )
        names.append(b"(%s) %d 0 R" % (name, filespec_number))
    objects[0] = (
        b"<< /Type /Catalog /Pages 2 0 R /Names << /EmbeddedFiles << /Names [%s] >> >> >>"
        % (b" ".join(names))
    )
    objects[1] = b"<< /Type /Pages /Kids [] /Count 0 >>"
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


FLATE = b"/Filter /FlateDecode"


def read_measured(pdf: bytes) -> tuple[Exception | str, float, int]:
    """What token_from_pdf gives (a token or the refusal), the seconds it took and the peak
    memory it allocated above what was in use before."""
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        before = tracemalloc.get_traced_memory()[0]
        started = time.perf_counter()
        try:
            outcome = token_from_pdf(pdf)
        except NotAPassportPdf as error:
            outcome = error
        seconds = time.perf_counter() - started
        peak = tracemalloc.get_traced_memory()[1] - before
    finally:
        tracemalloc.stop()
    return outcome, seconds, peak


@pytest.fixture(scope="module")
def fifty_megabytes_of_zeros() -> bytes:
    # 50 MB inflated, about 50 KB on the wire: the bomb, compressed once and reused.
    return zlib.compress(bytes(50 * MEGABYTE), 9)


@pytest.mark.parametrize(
    ("copies", "refusal"),
    [
        (2, "it has more than one passport attached"),
        (30, "it has more than one passport attached"),
        (60, "it has too many attached files"),
    ],
)
def test_a_crafted_pdf_with_many_50_mb_attachments_is_refused_quickly_in_bounded_memory(
    fifty_megabytes_of_zeros, copies, refusal
):
    pdf = crafted_pdf([(b"passport.jwt", FLATE, fifty_megabytes_of_zeros)] * copies)
    # Small enough to upload, though every attachment inflated would be gigabytes.
    assert len(pdf) < 5 * MEGABYTE

    outcome, seconds, peak = read_measured(pdf)

    assert isinstance(outcome, NotAPassportPdf)
    assert str(outcome) == f"This PDF is not a Care Register passport: {refusal}"
    # Less than one attachment inflated: none of them was.
    assert peak < 30 * MEGABYTE
    assert seconds < 5


def test_a_single_bomb_attachment_is_refused_within_the_cap(fifty_megabytes_of_zeros):
    pdf = crafted_pdf([(b"passport.jwt", FLATE, fifty_megabytes_of_zeros)])

    outcome, seconds, peak = read_measured(pdf)

    assert isinstance(outcome, NotAPassportPdf)
    assert "too large to be one" in str(outcome)
    # Inflated up to the cap and no further.
    assert peak < 3 * MAX_TOKEN_BYTES + 2 * len(pdf)
    assert seconds < 2


def test_a_compressed_attachment_just_within_the_cap_is_read():
    token = TOKEN + b"A" * (MAX_TOKEN_BYTES - len(TOKEN))
    pdf = crafted_pdf([(b"passport.jwt", FLATE, zlib.compress(token))])

    assert token_from_pdf(pdf) == token.decode()


def test_a_compressed_attachment_one_byte_over_the_cap_is_refused():
    token = TOKEN + b"A" * (MAX_TOKEN_BYTES + 1 - len(TOKEN))
    pdf = crafted_pdf([(b"passport.jwt", FLATE, zlib.compress(token))])

    with pytest.raises(NotAPassportPdf, match="too large to be one"):
        token_from_pdf(pdf)


def test_an_uncompressed_and_a_flate_compressed_passport_are_both_read():
    assert token_from_pdf(crafted_pdf([(b"passport.jwt", b"", TOKEN)])) == TOKEN.decode()
    assert (
        token_from_pdf(crafted_pdf([(b"passport.jwt", FLATE, zlib.compress(TOKEN))]))
        == TOKEN.decode()
    )


@pytest.mark.parametrize(
    "extra",
    [
        b"/Filter /LZWDecode",
        b"/Filter /ASCIIHexDecode",
        b"/Filter [/FlateDecode /FlateDecode]",
        b"/Filter /FlateDecode /DecodeParms << /Predictor 12 /Columns 4 >>",
    ],
)
def test_a_filter_a_passport_never_uses_is_refused(extra):
    pdf = crafted_pdf([(b"passport.jwt", extra, zlib.compress(TOKEN))])

    with pytest.raises(NotAPassportPdf, match="its attached passport is not a token"):
        token_from_pdf(pdf)


def test_other_attachments_beside_the_passport_are_ignored():
    pdf = crafted_pdf([(b"notes.txt", b"", b"hello"), (b"passport.jwt", b"", TOKEN)])

    assert token_from_pdf(pdf) == TOKEN.decode()


def test_a_pdf_with_too_many_attachments_is_refused_before_any_is_read():
    pdf = crafted_pdf([(b"file-%d.txt" % number, b"", b"x") for number in range(40)])

    with pytest.raises(NotAPassportPdf, match="too many attached files"):
        token_from_pdf(pdf)


def test_a_passport_named_only_in_its_file_specification_still_counts_as_a_second_one():
    pdf = crafted_pdf([(b"passport.jwt", b"", TOKEN), (b"passport.jwt", b"", TOKEN)])
    pdf = pdf.replace(b"(passport.jwt) 5 0 R", b"(other.jwt) 5 0 R", 1)

    with pytest.raises(NotAPassportPdf, match="more than one passport attached"):
        token_from_pdf(pdf)


def pdf_with_names_in_an_object_stream(*, padding: int) -> bytes:
    """The attachment name tree inside a compressed object stream (PDF 1.5), padded so that the
    stream inflates to `padding` bytes more, found through a cross-reference stream."""
    tree = b"<< /Names [(passport.jwt) 5 0 R] >>"
    prefix = b"3 0 "
    object_stream = zlib.compress(prefix + tree + b" " * padding, 9)
    bodies = {
        1: b"<< /Type /Catalog /Pages 2 0 R /Names << /EmbeddedFiles 3 0 R >> >>",
        2: b"<< /Type /Pages /Kids [] /Count 0 >>",
        4: b"<< /Type /ObjStm /N 1 /First %d /Filter /FlateDecode /Length %d >>\nstream\n"
        % (len(prefix), len(object_stream))
        + object_stream
        + b"\nendstream",
        5: b"<< /Type /Filespec /F (passport.jwt) /EF << /F 6 0 R >> >>",
        6: b"<< /Type /EmbeddedFile /Length %d >>\nstream\n" % len(TOKEN) + TOKEN + b"\nendstream",
    }
    out = bytearray(b"%PDF-1.7\n")
    offsets = {}
    for number, body in bodies.items():
        offsets[number] = len(out)
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    offsets[7] = len(out)
    rows = [b"\x00" + (0).to_bytes(4, "big") + (65535).to_bytes(2, "big")]
    for number in range(1, 8):
        if number == 3:
            rows.append(b"\x02" + (4).to_bytes(4, "big") + (0).to_bytes(2, "big"))
        else:
            rows.append(b"\x01" + offsets[number].to_bytes(4, "big") + (0).to_bytes(2, "big"))
    xref = b"".join(rows)
    out += (
        b"7 0 obj\n<< /Type /XRef /Size 8 /W [1 4 2] /Root 1 0 R /Length %d >>\nstream\n"
        % len(xref)
        + xref
        + b"\nendstream\nendobj\n"
    )
    out += b"startxref\n%d\n%%%%EOF\n" % offsets[7]
    return bytes(out)


def test_a_name_tree_in_an_object_stream_is_read():
    assert token_from_pdf(pdf_with_names_in_an_object_stream(padding=10)) == TOKEN.decode()


def test_an_object_stream_that_inflates_past_256_kb_is_refused():
    pdf = pdf_with_names_in_an_object_stream(padding=300 * 1024)

    outcome, _seconds, peak = read_measured(pdf)

    assert str(outcome) == "This PDF could not be read"
    assert peak < 2 * MEGABYTE


def test_an_object_stream_bomb_is_refused_in_bounded_memory():
    pdf = pdf_with_names_in_an_object_stream(padding=40 * MEGABYTE)

    outcome, _seconds, peak = read_measured(pdf)

    assert str(outcome) == "This PDF could not be read"
    assert peak < 5 * MEGABYTE
