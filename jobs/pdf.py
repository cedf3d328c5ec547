"""The pack of an application's pre-employment checks as a PDF, for an inspector: each item of
Schedule 3, where it stands, who checked it and when, and the notes and evidence recorded.

Like the other PDFs (core/pdf.py), it is untagged: it says where its web page, the accessible
version, is (docs/decisions/0025)."""

import io
from xml.sax.saxutils import escape

from django.utils import timezone
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Table

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
from jobs.models import PreEmploymentCheck, PreEmploymentChecklist

COLUMNS = (0.22, 0.17, 0.21, 0.40)


def _text(text: str) -> str:
    return escape(text).replace("\n", "<br/>")


def pack_title(checklist: PreEmploymentChecklist) -> str:
    return f"Pre-employment checks: {checklist.application.applicant.full_name}"


def check_state(check: PreEmploymentCheck) -> str:
    """Where an item stands, in words, with whose move it is while it is to do."""
    if check.state == PreEmploymentCheck.State.TO_DO:
        return f"To do. Waiting for: {check.waiting_on_label.lower()}"
    return check.get_state_display()


def check_who_and_when(check: PreEmploymentCheck) -> str:
    if check.state == PreEmploymentCheck.State.DONE:
        when = format_day(check.checked_on) if check.checked_on else "a day not recorded"
        return f"{check.checked_by_name} on {when}"
    return "Not checked yet" if check.state == PreEmploymentCheck.State.TO_DO else "Not needed"


class ChecksPackRenderer:
    """Renders one application's checklist as an A4 PDF."""

    def render(
        self, checklist: PreEmploymentChecklist, items: list[PreEmploymentCheck], *, web_page: str
    ) -> bytes:
        buffer = io.BytesIO()
        title = pack_title(checklist)
        made = timezone.localdate()
        template = SimpleDocTemplate(
            buffer,
            pagesize=A4,
            leftMargin=MARGIN,
            rightMargin=MARGIN,
            topMargin=MARGIN,
            bottomMargin=MARGIN + 6 * mm,
            title=title,
            author=checklist.application.vacancy.organisation.name,
            subject=f"Pre-employment checks of application {checklist.application.reference}",
            creator="Care Register",
            lang="en-GB",
        )

        first_page, footer = page_footers(title=title, made=format_day(made))

        template.build(
            self._story(checklist, items, title, web_page),
            onFirstPage=first_page,
            onLaterPages=footer,
        )
        return buffer.getvalue()

    def _story(self, checklist, items, title: str, web_page: str) -> list:
        application = checklist.application
        vacancy = application.vacancy
        about = [
            f"Candidate: {application.applicant.full_name}"
            + (
                f", registration number {application.entry.registration_number}"
                if application.entry
                else ", not on the Care Register"
            ),
            f"Job: {vacancy.title} at {vacancy.workplace_name}, {vacancy.organisation.name}",
            f"Application {application.reference}. Checks opened on "
            f"{format_day(checklist.opened_at)}.",
            f"Stage: {application.get_stage_display()}"
            + (f", hired on {format_day(checklist.hired_at)}" if checklist.hired_at else ""),
        ]
        story: list = [Paragraph(escape(title), TITLE)]
        story += [Paragraph(escape(line), BODY) for line in about]
        if checklist.staff_list_note:
            story.append(Paragraph(escape(checklist.staff_list_note), BODY))
        story += [
            Paragraph(
                escape(
                    "The information CQC's Regulation 19 and Schedule 3 ask an employer to hold "
                    "about a person it employs to provide care. Items marked “from the register” "
                    "were verified by the Care Register and shared by the candidate with this "
                    "employer."
                ),
                NOTE,
            ),
            Paragraph(
                escape(
                    f"Using a screen reader? The web page at {web_page} is the accessible version "
                    "of this pack."
                ),
                NOTE,
            ),
            Paragraph("The checks", HEADING),
            self._table(items),
        ]
        return story

    def _table(self, items: list[PreEmploymentCheck]) -> Table:
        header = ["Check", "Where it stands", "Checked by, and when", "Notes and evidence"]
        data = [[Paragraph(escape(text), HEADER_CELL) for text in header]]
        for check in items:
            notes = []
            if check.from_register:
                notes.append("From the register.")
            if check.register_summary:
                notes.append(check.register_summary)
            if check.notes:
                notes.append(check.notes)
            if check.not_needed_reason:
                notes.append(f"Not needed because: {check.not_needed_reason}")
            data.append(
                [
                    Paragraph(_text(check.get_item_display()), CELL),
                    Paragraph(_text(check_state(check)), CELL),
                    Paragraph(_text(check_who_and_when(check)), CELL),
                    Paragraph(_text("\n".join(notes) or "None"), CELL),
                ]
            )
        return Table(
            data,
            colWidths=[FRAME_WIDTH * share for share in COLUMNS],
            repeatRows=1,
            style=TABLE_STYLE,
            hAlign="LEFT",
            spaceAfter=3 * mm,
        )
