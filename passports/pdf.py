"""The printable training passport: a pure reportlab renderer over plain data, and the reader
that takes the signed passport back out of a PDF someone uploads.

The PDF carries two ways to check it. The QR code holds only a short verification link, so it
stays small enough to scan when printed at 3 cm. The full signed passport (a JWT) travels inside
the PDF as an attached file, so a PDF passed from hand to hand can be verified offline.
"""

import io
import zlib
from dataclasses import dataclass
from datetime import date, datetime
from functools import partial
from pathlib import Path
from xml.sax.saxutils import escape

from pypdf import PdfReader, apply_configuration
from pypdf.generic import (
    ArrayObject,
    ByteStringObject,
    DictionaryObject,
    NameObject,
    StreamObject,
    TextStringObject,
)
from reportlab.graphics.barcode.qr import QrCode
from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm, mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.pdfdoc import PDFArray, PDFDictionary, PDFStream, PDFString
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from core.dates import format_day, format_moment
from passports.signing import MAX_TOKEN_LENGTH

ATTACHMENT_NAME = "passport.jwt"
# The media type W3C VC-JOSE-COSE registers for JWT-secured verifiable credentials.
ATTACHMENT_MEDIA_TYPE = "application/vc+jwt"
MAX_UPLOAD_BYTES = 5 * 1024 * 1024

QR_SIZE = 3 * cm
# M recovers from about 15% damage: enough for a creased or smudged printout, while keeping
# the modules large enough to scan at 3 cm.
QR_ERROR_CORRECTION = "M"
# ISO/IEC 18004 asks for a quiet zone of at least four modules around the symbol.
QR_QUIET_ZONE_MODULES = 4
# Version 5 is 37 modules; with the quiet zone each module is about 0.67 mm at 3 cm, which
# phone cameras read reliably. At level M it holds 84 bytes: ample for a verification link.
QR_MAX_VERSION = 5

TITLE = "Care Register training passport"
TABLE_HEADINGS = ("Training", "Completed", "Expires", "Provider", "State")
PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN = 18 * mm
FRAME_WIDTH = PAGE_WIDTH - 2 * MARGIN
# The date columns fit "23 September 2026" on one line with the cell padding below.
TABLE_COLUMN_WIDTHS = (
    FRAME_WIDTH - 4 * 31 * mm,
    31 * mm,
    31 * mm,
    31 * mm,
    31 * mm,
)
TABLE_CELL_PADDING = 4

# Care workers' names come from everywhere: Helvetica's Latin-1 cannot draw Ł, ș or ő, so the
# passport embeds DejaVu Sans when the system has it (Debian's fonts-dejavu-core), and falls
# back to Helvetica, which at least keeps every Latin-1 name right, when it does not.
_DEJAVU = Path("/usr/share/fonts/truetype/dejavu")


def _fonts() -> tuple[str, str]:
    regular, bold = _DEJAVU / "DejaVuSans.ttf", _DEJAVU / "DejaVuSans-Bold.ttf"
    if not (regular.is_file() and bold.is_file()):
        return "Helvetica", "Helvetica-Bold"
    pdfmetrics.registerFont(TTFont("PassportSans", str(regular)))
    pdfmetrics.registerFont(TTFont("PassportSans-Bold", str(bold)))
    return "PassportSans", "PassportSans-Bold"


FONT, FONT_BOLD = _fonts()

# Built once: styles are plain data, and building them per render would only cost time.
_TITLE_STYLE = ParagraphStyle(
    "PassportTitle", fontName=FONT_BOLD, fontSize=18, leading=22, spaceAfter=4 * mm
)
_LABEL_STYLE = ParagraphStyle("PassportLabel", fontName=FONT_BOLD, fontSize=10, leading=13)
_VALUE_STYLE = ParagraphStyle("PassportValue", fontName=FONT, fontSize=10, leading=13)
_CAPTION_STYLE = ParagraphStyle(
    "PassportCaption", fontName=FONT, fontSize=9, leading=12, alignment=TA_LEFT
)
_HEADING_STYLE = ParagraphStyle(
    "PassportHeading", fontName=FONT_BOLD, fontSize=13, leading=16, spaceAfter=2 * mm
)
_CELL_STYLE = ParagraphStyle("PassportCell", fontName=FONT, fontSize=9, leading=11)
_HEADER_CELL_STYLE = ParagraphStyle(
    "PassportHeaderCell", fontName=FONT_BOLD, fontSize=9, leading=11
)

_DETAILS_TABLE_STYLE = TableStyle(
    [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]
)
_VERIFY_TABLE_STYLE = TableStyle(
    [
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), 2 * mm),
        ("RIGHTPADDING", (0, 0), (-1, -1), 2 * mm),
        ("TOPPADDING", (0, 0), (-1, -1), 2 * mm),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2 * mm),
        ("BOX", (0, 0), (-1, -1), 0.5, colors.grey),
    ]
)
_TRAINING_TABLE_STYLE = TableStyle(
    [
        ("FONTNAME", (0, 0), (-1, -1), FONT),
        ("FONTSIZE", (0, 0), (-1, -1), 9),
        ("LEADING", (0, 0), (-1, -1), 11),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), TABLE_CELL_PADDING),
        ("RIGHTPADDING", (0, 0), (-1, -1), TABLE_CELL_PADDING),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e6e6e6")),
        ("LINEBELOW", (0, 0), (-1, 0), 0.75, colors.black),
        ("LINEBELOW", (0, 1), (-1, -1), 0.25, colors.grey),
    ]
)


@dataclass(frozen=True)
class PassportRecordLine:
    title: str
    completed_on: date
    expires_on: date | None
    provider: str
    # Plain English, worked out by the caller: "Valid", "Expired on 1 March 2026", ...
    state: str


@dataclass(frozen=True)
class PassportDocument:
    full_name: str
    registration_number: str
    registration_status: str
    issued_at: datetime
    verify_url: str
    token: str
    records: list[PassportRecordLine]
    public_id: str


class NotAPassportPdf(ValueError):
    """The uploaded file is not a PDF carrying a Care Register passport; the message says why."""


def qr_code(verify_url: str) -> QrCode:
    """The QR code for a passport: 3 cm square, holding only the verification link.

    reportlab's QrCode flowable uses the same encoder as its QrCodeWidget but draws straight
    onto the page; the widget goes through a Drawing of a few hundred shapes, which took half
    the time of the whole render.
    """
    flowable = QrCode(
        verify_url,
        width=QR_SIZE,
        height=QR_SIZE,
        qrLevel=QR_ERROR_CORRECTION,
        qrBorder=QR_QUIET_ZONE_MODULES,
    )
    if flowable.qr.calculate_version() > QR_MAX_VERSION:
        # Denser codes do not scan reliably at 3 cm: a long value here means a caller put more
        # than the short link into the QR code.
        raise ValueError(f"The verification link is too long for a 3 cm QR code: {verify_url!r}")
    return flowable


class _IndirectDictionary(PDFDictionary):
    # reportlab writes objects marked __RefOnly__ as indirect objects and refers to them. File
    # specifications are usually written that way (pypdf does too), the form readers meet most.
    __RefOnly__ = 1


def _embedded_files_names(
    *, name: str, data: bytes, media_type: str, description: str
) -> PDFDictionary:
    """The catalog's Names dictionary with one embedded file (ISO 32000-1 §7.7.4, §7.11.3-4).

    reportlab 5 has no call for attaching files, but builds any catalog entry from its own PDF
    objects; pypdf's `reader.attachments` reads exactly this structure, and viewers list it in
    their attachments panel.
    """
    stream = PDFStream(
        dictionary=PDFDictionary(
            {
                "Type": "/EmbeddedFile",
                # A media type is a PDF name, so its "/" is written as #2F (ISO 32000-1 §7.3.5).
                "Subtype": "/" + media_type.replace("/", "#2F"),
                "Params": PDFDictionary({"Size": len(data)}),
            }
        ),
        content=data,
        # No filter: the JWT is a few kilobytes of base64, readable to anyone inspecting the
        # file, and compressing it would save little.
        filters=None,
    )
    filespec = _IndirectDictionary(
        {
            "Type": "/Filespec",
            "F": PDFString(name),
            "UF": PDFString(name),
            "Desc": PDFString(description),
            "EF": PDFDictionary({"F": stream}),
        }
    )
    return PDFDictionary(
        {"EmbeddedFiles": PDFDictionary({"Names": PDFArray([PDFString(name), filespec])})}
    )


class PassportPdfRenderer:
    """Renders a passport as an A4 PDF: details, QR code, training table, attached JWT."""

    def render(self, document: PassportDocument) -> bytes:
        buffer = io.BytesIO()
        template = SimpleDocTemplate(
            buffer,
            pagesize=A4,
            leftMargin=MARGIN,
            rightMargin=MARGIN,
            topMargin=MARGIN,
            bottomMargin=MARGIN + 6 * mm,
            title=TITLE,
            author="Care Register",
            subject=(
                f"Training passport {document.public_id} for registration number "
                f"{document.registration_number}"
            ),
            creator="Care Register",
            lang="en-GB",
        )
        attachment = _embedded_files_names(
            name=ATTACHMENT_NAME,
            data=document.token.encode("ascii"),
            media_type=ATTACHMENT_MEDIA_TYPE,
            description="The signed training passport, to verify this PDF",
        )

        def first_page(canvas: Canvas, _template) -> None:
            canvas.setCatalogEntry("Names", attachment)
            # Readers and screen readers announce the title, not the file name. reportlab
            # writes no structure tree, so this PDF is untagged: the web page at verify_url is
            # the accessible version (docs/decisions/0025-passport-pdf-accessibility.md).
            canvas.setViewerPreference("DisplayDocTitle", "true")
            self._footer(canvas, document)

        def later_page(canvas: Canvas, _template) -> None:
            self._footer(canvas, document)

        template.build(
            self._story(document),
            onFirstPage=first_page,
            onLaterPages=later_page,
            # Embedded file name trees arrived in PDF 1.4; reportlab writes 1.3 headers.
            canvasmaker=partial(Canvas, pdfVersion=(1, 4)),
        )
        return buffer.getvalue()

    def _story(self, document: PassportDocument) -> list:
        story: list = [Paragraph(TITLE, _TITLE_STYLE)]

        details = [
            ("Name", document.full_name),
            ("Registration number", document.registration_number),
            ("Registration status", document.registration_status),
            ("Issued", format_moment(document.issued_at)),
        ]
        story.append(
            Table(
                [
                    [Paragraph(label, _LABEL_STYLE), Paragraph(escape(value), _VALUE_STYLE)]
                    for label, value in details
                ],
                colWidths=(45 * mm, FRAME_WIDTH - 45 * mm),
                style=_DETAILS_TABLE_STYLE,
                hAlign="LEFT",
            )
        )
        story.append(Spacer(0, 5 * mm))

        caption = Paragraph(
            "Scan to check this passport is genuine, or go to<br/>"
            f"{escape(document.verify_url)}<br/><br/>"
            f"This PDF also carries the signed passport as an attached file, "
            f"{ATTACHMENT_NAME}, which the register's checking page accepts.<br/><br/>"
            "Using a screen reader? The web page at the address above is the accessible "
            "version of this passport: it shows who it is for and each training record.",
            _CAPTION_STYLE,
        )
        story.append(
            Table(
                [[qr_code(document.verify_url), caption]],
                colWidths=(QR_SIZE + 4 * mm, FRAME_WIDTH - QR_SIZE - 4 * mm),
                style=_VERIFY_TABLE_STYLE,
                hAlign="LEFT",
            )
        )
        story.append(Spacer(0, 7 * mm))

        story.append(Paragraph("Training", _HEADING_STYLE))
        if not document.records:
            story.append(Paragraph("No training is recorded on this passport.", _VALUE_STYLE))
            return story
        rows: list[list] = [[Paragraph(heading, _HEADER_CELL_STYLE) for heading in TABLE_HEADINGS]]
        for record in document.records:
            rows.append(
                [
                    Paragraph(escape(record.title), _CELL_STYLE),
                    # Dates are made here, never markup: plain strings draw faster than
                    # Paragraphs and still fit their column.
                    format_day(record.completed_on),
                    format_day(record.expires_on) if record.expires_on else "Does not expire",
                    Paragraph(escape(record.provider), _CELL_STYLE),
                    Paragraph(escape(record.state), _CELL_STYLE),
                ]
            )
        story.append(
            Table(
                rows,
                colWidths=TABLE_COLUMN_WIDTHS,
                repeatRows=1,
                style=_TRAINING_TABLE_STYLE,
                hAlign="LEFT",
            )
        )
        return story

    def _footer(self, canvas: Canvas, document: PassportDocument) -> None:
        canvas.saveState()
        canvas.setFont(FONT, 8)
        canvas.setFillColor(colors.HexColor("#444444"))
        # drawString takes text, not markup: nothing to escape here.
        canvas.drawString(
            MARGIN, MARGIN, f"{TITLE}, registration number {document.registration_number}"
        )
        canvas.drawRightString(PAGE_WIDTH - MARGIN, MARGIN, f"Page {canvas.getPageNumber()}")
        canvas.restoreState()


# A passport PDF carries one attachment. Files with more entries than this in their attachment
# list are refused before any entry is looked at closely.
MAX_ATTACHMENT_ENTRIES = 32
# How deep an attachment name tree may nest (ISO 32000-1 §7.9.6); ours is one level.
MAX_NAME_TREE_DEPTH = 4
# The attached token is inflated by us, never by pypdf, and never past this: a little more than
# the longest token the verifier accepts, so a compressed bomb stops here, not at gigabytes.
MAX_TOKEN_BYTES = MAX_TOKEN_LENGTH + 1024
# The PDF's own structure (cross-reference and object streams) is still decoded by pypdf; with
# this cap each such stream costs at most 256 KB, where pypdf's default allows 75 MB. A
# passport's whole structure is a few kilobytes.
_STRUCTURE_STREAM_LIMITS = {
    name: 256 * 1024
    for name in (
        "zlib_maximum_output_length",
        "lzw_maximum_output_length",
        "run_length_maximum_output_length",
        "brotli_maximum_output_length",
        "jbig2_maximum_output_length",
        "array_based_stream_maximum_output_length",
        "image_maximum_buffer_size",
    )
}
_FLATE = {"/FlateDecode", "/Fl"}
NOT_READABLE = "This PDF could not be read"
NO_PASSPORT = "This PDF is not a Care Register passport: it has no passport attached"
NOT_A_TOKEN = "This PDF is not a Care Register passport: its attached passport is not a token"
TOO_LARGE_TOKEN = (
    "This PDF is not a Care Register passport: its attached passport is too large to be one"
)
TOO_MANY_ATTACHMENTS = "This PDF is not a Care Register passport: it has too many attached files"


def _text(value) -> str | None:
    value = value.get_object() if value is not None else None
    if isinstance(value, TextStringObject):
        return str(value)
    if isinstance(value, ByteStringObject):
        return bytes(value).decode("latin-1")
    return None


def _name_tree_entries(node, *, depth: int = 0, found: list | None = None) -> list:
    """(name, file specification) pairs of an attachment name tree, without resolving any
    embedded file stream. Refuses trees that are too deep or too long to be a passport's."""
    found = [] if found is None else found
    node = node.get_object()
    if not isinstance(node, DictionaryObject) or depth > MAX_NAME_TREE_DEPTH:
        raise NotAPassportPdf(NOT_READABLE)
    names = node.get("/Names")
    names = names.get_object() if names is not None else None
    if isinstance(names, ArrayObject):
        if len(names) > 2 * MAX_ATTACHMENT_ENTRIES:
            raise NotAPassportPdf(TOO_MANY_ATTACHMENTS)
        for position in range(0, len(names) - 1, 2):
            found.append((names[position], names[position + 1]))
            if len(found) > MAX_ATTACHMENT_ENTRIES:
                raise NotAPassportPdf(TOO_MANY_ATTACHMENTS)
    kids = node.get("/Kids")
    kids = kids.get_object() if kids is not None else None
    if isinstance(kids, ArrayObject):
        if len(kids) > MAX_ATTACHMENT_ENTRIES:
            raise NotAPassportPdf(TOO_MANY_ATTACHMENTS)
        for kid in kids:
            _name_tree_entries(kid, depth=depth + 1, found=found)
    return found


def _is_passport_entry(name, filespec) -> bool:
    """Named passport.jwt in the tree, or in its file specification as pypdf also reads it."""
    if _text(name) == ATTACHMENT_NAME:
        return True
    filespec = filespec.get_object()
    if not isinstance(filespec, DictionaryObject):
        return False
    return ATTACHMENT_NAME in {_text(filespec.get("/UF")), _text(filespec.get("/F"))}


def _inflate_capped(stream) -> bytes:
    """The stream's data, decoded by us with the output capped at MAX_TOKEN_BYTES. Only no
    filter or one plain Flate filter is accepted: a passport needs nothing else."""
    if not isinstance(stream, StreamObject):
        raise NotAPassportPdf(NO_PASSPORT)
    # The encoded bytes as stored in the file: bounded by the upload's size.
    raw = bytes(stream._data)
    filters = stream.get("/Filter")
    filters = filters.get_object() if filters is not None else None
    if isinstance(filters, ArrayObject):
        filters = filters[0].get_object() if len(filters) == 1 else filters
    params = stream.get("/DecodeParms")
    params = params.get_object() if params is not None else None
    if filters is None:
        data = raw
    elif isinstance(filters, NameObject) and filters in _FLATE and not params:
        inflater = zlib.decompressobj()
        try:
            data = inflater.decompress(raw, MAX_TOKEN_BYTES + 1)
        except zlib.error as error:
            raise NotAPassportPdf(NOT_READABLE) from error
        if inflater.unconsumed_tail:
            # More output was waiting past the cap: too large, however much more there is.
            raise NotAPassportPdf(TOO_LARGE_TOKEN)
    else:
        raise NotAPassportPdf(NOT_A_TOKEN)
    if len(data) > MAX_TOKEN_BYTES:
        raise NotAPassportPdf(TOO_LARGE_TOKEN)
    return data


def _attached_token_bytes(reader: PdfReader) -> bytes:
    root = reader.trailer["/Root"].get_object()
    names = root.get("/Names") if isinstance(root, DictionaryObject) else None
    names = names.get_object() if names is not None else None
    tree = names.get("/EmbeddedFiles") if isinstance(names, DictionaryObject) else None
    if tree is None:
        raise NotAPassportPdf(NO_PASSPORT)
    # Counted before anything is decoded: a file carrying many passport.jwt attachments is
    # refused without inflating any of them.
    entries = [
        filespec
        for name, filespec in _name_tree_entries(tree)
        if _is_passport_entry(name, filespec)
    ]
    if not entries:
        raise NotAPassportPdf(NO_PASSPORT)
    if len(entries) > 1:
        # Someone added a second passport.jwt: which one the person meant is anyone's guess.
        raise NotAPassportPdf(
            "This PDF is not a Care Register passport: it has more than one passport attached"
        )
    filespec = entries[0].get_object()
    embedded = filespec.get("/EF") if isinstance(filespec, DictionaryObject) else None
    embedded = embedded.get_object() if embedded is not None else None
    if not isinstance(embedded, DictionaryObject):
        raise NotAPassportPdf(NO_PASSPORT)
    stream = embedded.get("/F", embedded.get("/UF"))
    return _inflate_capped(stream.get_object() if stream is not None else None)


def token_from_pdf(data: bytes) -> str:
    """The signed passport attached to a PDF made by PassportPdfRenderer, as text.

    Raises NotAPassportPdf, with a message fit to show the person who uploaded the file, for
    anything else; pypdf's own exceptions never escape. The work is bounded whatever the file
    holds: attachments are counted before any is decoded, and only the one passport attachment
    is inflated, by us, up to MAX_TOKEN_BYTES.
    """
    if len(data) > MAX_UPLOAD_BYTES:
        raise NotAPassportPdf("This file is too large to be a passport: the limit is 5 MB")
    # Readers accept a little junk before the header (Acrobat looks in the first 1024 bytes),
    # but a file without it is not a PDF at all.
    if b"%PDF-" not in bytes(data[:1024]):
        raise NotAPassportPdf("This file is not a PDF")
    try:
        with apply_configuration(**_STRUCTURE_STREAM_LIMITS):
            reader = PdfReader(io.BytesIO(data))
            if reader.is_encrypted:
                # Our passports are never encrypted; asking for a password would help nobody.
                raise NotAPassportPdf(NOT_READABLE)
            attached = _attached_token_bytes(reader)
    except NotAPassportPdf:
        raise
    except Exception as error:
        # pypdf reports damage with many exception types (PdfReadError, ValueError, KeyError,
        # even RecursionError on hostile files): any of them means the same to the person.
        raise NotAPassportPdf(NOT_READABLE) from error
    try:
        token = attached.decode("ascii").strip()
    except UnicodeDecodeError as error:
        raise NotAPassportPdf(NOT_A_TOKEN) from error
    if not token:
        raise NotAPassportPdf(NO_PASSPORT)
    return token
