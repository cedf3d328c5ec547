"""What the published PDF reports share (the consultation report, the yearly report on
concerns): A4 with the same margins, fonts that print every name, and one set of styles.

DejaVu Sans when the system has it, so every name prints (Ł, ș, ő…); Helvetica, Latin-1 only,
when it does not, as in passports/pdf.py. Like the passport, these PDFs are untagged: each
has a web page that is its accessible version (docs/decisions/0025)."""

from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import TableStyle

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN = 18 * mm
FRAME_WIDTH = PAGE_WIDTH - 2 * MARGIN
NOTE_COLOUR = colors.HexColor("#444444")

_DEJAVU = Path("/usr/share/fonts/truetype/dejavu")


def _fonts() -> tuple[str, str]:
    regular, bold = _DEJAVU / "DejaVuSans.ttf", _DEJAVU / "DejaVuSans-Bold.ttf"
    if not (regular.is_file() and bold.is_file()):
        return "Helvetica", "Helvetica-Bold"
    pdfmetrics.registerFont(TTFont("ReportSans", str(regular)))
    pdfmetrics.registerFont(TTFont("ReportSans-Bold", str(bold)))
    return "ReportSans", "ReportSans-Bold"


FONT, FONT_BOLD = _fonts()

TITLE = ParagraphStyle(
    "ReportTitle", fontName=FONT_BOLD, fontSize=18, leading=22, spaceAfter=3 * mm
)
HEADING = ParagraphStyle(
    "ReportHeading",
    fontName=FONT_BOLD,
    fontSize=13,
    leading=16,
    spaceBefore=4 * mm,
    spaceAfter=2 * mm,
)
BODY = ParagraphStyle("ReportBody", fontName=FONT, fontSize=10, leading=13, spaceAfter=2 * mm)
NOTE = ParagraphStyle("ReportNote", fontName=FONT, fontSize=8.5, leading=11, textColor=NOTE_COLOUR)
CELL = ParagraphStyle("ReportCell", fontName=FONT, fontSize=8, leading=10)
HEADER_CELL = ParagraphStyle("ReportHeaderCell", fontName=FONT_BOLD, fontSize=7, leading=8.5)

TABLE_STYLE = TableStyle(
    [
        ("FONTNAME", (0, 0), (-1, -1), FONT),
        ("FONTSIZE", (0, 0), (-1, -1), 8),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        # Narrow padding: nine columns fit "Employers and managers" without breaking a word.
        ("LEFTPADDING", (0, 0), (-1, -1), 2),
        ("RIGHTPADDING", (0, 0), (-1, -1), 2),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e6e6e6")),
        ("LINEBELOW", (0, 0), (-1, 0), 0.75, colors.black),
        ("LINEBELOW", (0, 1), (-1, -1), 0.25, colors.grey),
    ]
)


def page_footers(*, title: str, made: str):
    """The callbacks for `doc.build(onFirstPage=..., onLaterPages=...)` of a report: each page's
    footer says what the document is, when it was made and the page number; the first page also
    asks readers to announce the title rather than the file name. reportlab writes no structure
    tree, so such a PDF is untagged and its web page is the accessible version (ADR 0025)."""

    def footer(canvas, _template) -> None:
        canvas.saveState()
        canvas.setFont(FONT, 8)
        canvas.setFillColor(NOTE_COLOUR)
        canvas.drawString(MARGIN, MARGIN, f"{title}. Made on {made}.")
        canvas.drawRightString(PAGE_WIDTH - MARGIN, MARGIN, f"Page {canvas.getPageNumber()}")
        canvas.restoreState()

    def first_page(canvas, template) -> None:
        canvas.setViewerPreference("DisplayDocTitle", "true")
        footer(canvas, template)

    return first_page, footer
