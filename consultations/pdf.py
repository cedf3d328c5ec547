"""The consultation report as a PDF: a pure reportlab renderer over plain data, with a bar chart
(reportlab.graphics) and a table for each question.

`report_document()` turns `consultation_results()` into that plain data. The version marked for
publication is built from suppressed results, so it shows exactly what the outcome page shows.
"""

import io
from dataclasses import dataclass, field
from datetime import datetime
from xml.sax.saxutils import escape

from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table

from consultations.analysis import FEWER_THAN, Results, TimeToAnswer
from core.dates import format_day
from core.pdf import (
    BODY,
    CELL,
    FONT,
    FONT_BOLD,
    FRAME_WIDTH,
    HEADER_CELL,
    HEADING,
    MARGIN,
    NOTE,
    PAGE_WIDTH,
    TABLE_STYLE,
    TITLE,
)

BAR_COLOUR = colors.HexColor("#00703c")

_QUESTION = ParagraphStyle(
    "ReportQuestion",
    fontName=FONT_BOLD,
    fontSize=11,
    leading=14,
    spaceBefore=3 * mm,
    spaceAfter=1 * mm,
)


@dataclass(frozen=True)
class ReportRow:
    label: str
    cells: list[str]  # aligned with ReportDocument.columns
    percent: int | None  # of everyone who answered, for the chart; None when withheld


@dataclass(frozen=True)
class ReportQuestion:
    number: int
    text: str
    kind_label: str
    answered: str
    rows: list[ReportRow]


@dataclass(frozen=True)
class ReportDocument:
    title: str
    organisation: str
    period: str
    made_at: datetime
    published: bool
    responses: str
    time_to_answer: str
    columns: list[str]
    questions: list[ReportQuestion]
    themes: list[tuple[str, str]] = field(default_factory=list)
    outcome_summary: str = ""


def _day(moment: datetime | None) -> str:
    if moment is None:
        return "not set"
    return format_day(moment)


def report_document(*, results: Results, time: TimeToAnswer, made_at: datetime) -> ReportDocument:
    consultation = results.consultation
    questions = []
    for question in results.questions:
        rows = [
            ReportRow(
                label=row.label,
                cells=[
                    cell.text if cell.percent is None else f"{cell.text} ({cell.percent_text})"
                    for cell in row.cells
                ],
                percent=None if row.overall.is_withheld else row.overall.percent,
            )
            for row in question.rows
        ]
        questions.append(
            ReportQuestion(
                number=question.number,
                text=question.text,
                kind_label=question.kind_label,
                answered=question.answered[0].text,
                rows=rows,
            )
        )
    return ReportDocument(
        title=consultation.title,
        organisation=consultation.organisation.name,
        period=f"{_day(consultation.opens_at)} to {_day(consultation.closes_at)}",
        made_at=made_at,
        published=results.published,
        responses=results.response_total.text,
        time_to_answer=(
            f"Median time to answer: {time.median_text}, against an estimate of "
            f"{time.estimate_text} ({time.comparison})."
        ),
        columns=[column.label for column in results.columns],
        questions=questions,
        themes=[(name, cell.text) for name, cell in results.themes],
        outcome_summary=consultation.outcome_summary,
    )


class ConsultationReportRenderer:
    """Renders a consultation report as an A4 PDF: summary, then each question's chart and
    table, then the themes and the outcome."""

    def render(self, document: ReportDocument) -> bytes:
        buffer = io.BytesIO()
        kind = "Published results" if document.published else "Full results, not for publication"
        template = SimpleDocTemplate(
            buffer,
            pagesize=A4,
            leftMargin=MARGIN,
            rightMargin=MARGIN,
            topMargin=MARGIN,
            bottomMargin=MARGIN + 6 * mm,
            title=f"{document.title}: {kind.lower()}",
            author=document.organisation,
            subject=f"Consultation report: {document.title}",
            creator="Care Register",
            lang="en-GB",
        )

        def footer(canvas: Canvas, _template) -> None:
            canvas.saveState()
            canvas.setFont(FONT, 8)
            canvas.setFillColor(colors.HexColor("#444444"))
            # drawString takes text, not markup: nothing to escape here.
            canvas.drawString(MARGIN, MARGIN, f"{document.title}. {kind}.")
            canvas.drawRightString(PAGE_WIDTH - MARGIN, MARGIN, f"Page {canvas.getPageNumber()}")
            canvas.restoreState()

        template.build(self._story(document, kind), onFirstPage=footer, onLaterPages=footer)
        return buffer.getvalue()

    def _story(self, document: ReportDocument, kind: str) -> list:
        story: list = [
            Paragraph(escape(document.title), TITLE),
            Paragraph(escape(f"{document.organisation}. Open from {document.period}."), BODY),
            Paragraph(escape(f"{kind}. Made on {_day(document.made_at)}."), BODY),
            Paragraph(escape(f"Responses: {document.responses}."), BODY),
        ]
        if not document.published:
            story.append(Paragraph(escape(document.time_to_answer), BODY))
        if document.published:
            story.append(
                Paragraph(
                    escape(
                        f"Counts from 1 to 4 are shown as “{FEWER_THAN}”, and some others are "
                        "withheld so that a small count cannot be worked out from a total. "
                        "Percentages are of the people who answered each question."
                    ),
                    NOTE,
                )
            )
        if document.outcome_summary:
            story.append(Paragraph("You said, we did", HEADING))
            for paragraph in document.outcome_summary.split("\n\n"):
                story.append(Paragraph(escape(paragraph).replace("\n", "<br/>"), BODY))
        story.append(Paragraph("Results by question", HEADING))
        for question in document.questions:
            story.append(KeepTogether(self._question(document, question)))
        if document.themes:
            story.append(Paragraph("Themes in the written answers", HEADING))
            rows = [[Paragraph("Theme", HEADER_CELL), Paragraph("Answers", HEADER_CELL)]]
            rows += [[Paragraph(escape(name), CELL), count] for name, count in document.themes]
            story.append(
                Table(
                    rows,
                    colWidths=(FRAME_WIDTH - 35 * mm, 35 * mm),
                    style=TABLE_STYLE,
                    hAlign="LEFT",
                )
            )
        return story

    def _question(self, document: ReportDocument, question: ReportQuestion) -> list:
        parts: list = [
            Paragraph(escape(f"{question.number}. {question.text}"), _QUESTION),
            Paragraph(escape(f"{question.kind_label}. Answered by {question.answered}."), NOTE),
        ]
        if not question.rows:
            return parts
        parts.append(self._chart(question))
        label_width = 38 * mm
        other_width = (FRAME_WIDTH - label_width) / len(document.columns)
        rows = [
            [Paragraph("Answer", HEADER_CELL)]
            + [Paragraph(escape(label), HEADER_CELL) for label in document.columns]
        ]
        for row in question.rows:
            rows.append(
                [Paragraph(escape(row.label), CELL)]
                + [Paragraph(escape(text), CELL) for text in row.cells]
            )
        parts.append(
            Table(
                rows,
                colWidths=(label_width, *([other_width] * len(document.columns))),
                repeatRows=1,
                style=TABLE_STYLE,
                hAlign="LEFT",
            )
        )
        parts.append(Spacer(0, 2 * mm))
        return parts

    def _chart(self, question: ReportQuestion) -> Drawing:
        bar_height = 9 * mm
        height = bar_height * len(question.rows) + 12 * mm
        drawing = Drawing(FRAME_WIDTH, height)
        chart = HorizontalBarChart()
        chart.x = 62 * mm
        chart.y = 8 * mm
        chart.width = FRAME_WIDTH - 62 * mm - 20 * mm
        chart.height = bar_height * len(question.rows)
        # Categories run bottom to top in reportlab: reverse them to read in the table's order.
        rows = list(reversed(question.rows))
        chart.data = [[row.percent or 0 for row in rows]]
        chart.categoryAxis.categoryNames = [
            row.label if len(row.label) <= 36 else row.label[:35] + "…" for row in rows
        ]
        chart.categoryAxis.labels.fontName = FONT
        chart.categoryAxis.labels.fontSize = 8
        chart.categoryAxis.labels.boxAnchor = "e"
        chart.valueAxis.valueMin = 0
        chart.valueAxis.valueMax = 100
        chart.valueAxis.valueStep = 25
        chart.valueAxis.labels.fontName = FONT
        chart.valueAxis.labels.fontSize = 7
        chart.valueAxis.labelTextFormat = "%d%%"
        chart.bars[0].fillColor = BAR_COLOUR
        chart.bars[0].strokeColor = None
        labels = [row.cells[0] if row.percent is None else f"{row.percent}%" for row in rows]
        chart.barLabelFormat = "values"
        chart.barLabels.fontName = FONT
        chart.barLabels.fontSize = 7
        chart.barLabels.boxAnchor = "w"
        chart.barLabels.dx = 3
        chart.barLabelArray = [labels]
        drawing.add(chart)
        return drawing
