"""The yearly report on concerns as a PDF: a pure reportlab renderer over the same suppressed
figures the web page shows (`concerns.yearly_report.YearlyReport`), so the two never differ.

Like the passport and the consultation report, the PDF is untagged: it says where its web page,
the accessible version, is (docs/decisions/0025)."""

import io
from xml.sax.saxutils import escape

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Table

from concerns.yearly_report import Row, YearlyReport
from core.dates import format_day
from core.pdf import (
    BODY,
    CELL,
    FRAME_WIDTH,
    HEADER_CELL,
    HEADING,
    MARGIN,
    NOTE,
    TABLE_STYLE,
    TITLE,
    page_footers,
)

COUNT_WIDTH = 40 * mm


def report_title(report: YearlyReport) -> str:
    so_far = "" if report.complete else " so far"
    return f"Concerns about care workers: {report.year}{so_far}"


class YearlyReportRenderer:
    """Renders the yearly report as an A4 PDF: what it covers and how small numbers are
    suppressed, then each table in the order of the web page."""

    def render(self, report: YearlyReport, *, web_page: str) -> bytes:
        buffer = io.BytesIO()
        title = report_title(report)
        template = SimpleDocTemplate(
            buffer,
            pagesize=A4,
            leftMargin=MARGIN,
            rightMargin=MARGIN,
            topMargin=MARGIN,
            bottomMargin=MARGIN + 6 * mm,
            title=title,
            author="Care Register",
            subject=f"The yearly report on concerns about care workers: {report.period}",
            creator="Care Register",
            lang="en-GB",
        )

        first_page, footer = page_footers(title=title, made=format_day(report.made_on))

        template.build(
            self._story(report, title, web_page), onFirstPage=first_page, onLaterPages=footer
        )
        return buffer.getvalue()

    def _story(self, report: YearlyReport, title: str, web_page: str) -> list:
        if report.complete:
            covers = (
                f"This report covers the whole of {report.year}: the concerns received from "
                f"1 January to 31 December {report.year}."
            )
        else:
            covers = (
                f"This report covers {report.year} so far: the concerns received from 1 January "
                f"{report.year} to {format_day(report.made_on)}. The year is not over, so the "
                "numbers will change."
            )
        smallest = report.min_count - 1
        story: list = [
            Paragraph(escape(title), TITLE),
            Paragraph(escape(covers), BODY),
            Paragraph(
                escape(
                    "Each concern is counted in the year it was received. Its outcome and the "
                    f"time it took are as they stand on {format_day(report.made_on)}."
                ),
                BODY,
            ),
            Paragraph(
                escape(
                    f"To protect the people involved, a count from 1 to {smallest} is shown as "
                    f"“{report.fewer_than}”. Where such a count could be worked out by taking "
                    "the others from a total, another count is “withheld” too. Times to screen "
                    "and to decide are not shown when they would describe fewer than "
                    f"{report.min_count} concerns."
                ),
                NOTE,
            ),
            Paragraph(
                escape(
                    "Using a screen reader? The web page at "
                    f"{web_page} is the accessible version of this report."
                ),
                NOTE,
            ),
            Paragraph("Concerns received", HEADING),
            Paragraph(escape(f"Concerns received: {report.received.text}."), BODY),
            self._table("What the concern was about", report.by_category, report.received.text),
            self._table("Raised by", report.by_source, report.received.text),
            Paragraph("Screening", HEADING),
            Paragraph(
                escape(
                    "A registrar screens each new concern within "
                    f"{report.screening_working_days} working days of receiving it."
                ),
                BODY,
            ),
            self._table("Screening", report.screening, None),
            self._statistics(report.screening_statistics),
            Paragraph("Deciding", HEADING),
            self._statistics(report.deciding_statistics),
            Paragraph("Outcomes", HEADING),
            Paragraph("The outcome of each concern as it stands, after any appeal.", BODY),
            self._table("Outcome", report.outcomes, report.received.text),
            KeepTogether(
                [
                    Paragraph("Interim suspensions and appeals", HEADING),
                    self._table(
                        "What happened",
                        [
                            Row(
                                "The worker was suspended while the concern was looked into",
                                report.interim_suspensions,
                            ),
                            Row("The worker appealed the decision", report.appeals_made),
                            Row("The appeal was upheld", report.appeals_upheld),
                        ],
                        None,
                    ),
                ]
            ),
        ]
        return story

    def _table(self, heading: str, rows: list[Row], total: str | None) -> Table:
        data = [[Paragraph(escape(heading), HEADER_CELL), Paragraph("Concerns", HEADER_CELL)]]
        data += [
            [Paragraph(escape(row.label), CELL), Paragraph(escape(row.cell.text), CELL)]
            for row in rows
        ]
        if total is not None:
            data.append([Paragraph("All concerns", CELL), Paragraph(escape(total), CELL)])
        return Table(
            data,
            colWidths=(FRAME_WIDTH - COUNT_WIDTH, COUNT_WIDTH),
            repeatRows=1,
            style=TABLE_STYLE,
            hAlign="LEFT",
            spaceAfter=3 * mm,
        )

    def _statistics(self, statistics) -> Table:
        data = [[Paragraph("Measure", HEADER_CELL), Paragraph("Result", HEADER_CELL)]]
        data += [
            [Paragraph(escape(item.label), CELL), Paragraph(escape(item.text), CELL)]
            for item in statistics
        ]
        return Table(
            data,
            colWidths=(FRAME_WIDTH / 2, FRAME_WIDTH / 2),
            style=TABLE_STYLE,
            hAlign="LEFT",
            spaceAfter=3 * mm,
        )
