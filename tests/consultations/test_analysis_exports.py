"""The CSV export (streamed, UTF-8 with a byte order mark, safe in a spreadsheet) and the PDF
report (rendered by reportlab for real and read back with pypdf)."""

import csv
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from consultations.analysis import consultation_results, time_to_answer
from consultations.csv_export import FIXED_COLUMNS, csv_lines, response_rows
from consultations.pdf import ConsultationReportRenderer, report_document
from consultations.services import outcome
from core.csv_safety import spreadsheet_safe
from tests.factories import (
    ConsultationFactory,
    ResponseFactory,
    close_by_the_clock,
    comment_answers,
    start_analysis,
)

pytestmark = pytest.mark.django_db

SCRIPT = '<script>alert("x")</script>'
NAMES = "Zażółć gęślą jaźń, Ștefan Lőrinc"


@pytest.fixture
def closed(association_admin, association):
    consultation = ConsultationFactory(
        created_by=association_admin, organisation=association, status="open"
    )
    ResponseFactory(consultation=consultation, verified=True, comment="Keep it free")
    ResponseFactory(
        consultation=consultation,
        respondent_type="employer",
        join="No",
        stop=["Cost", "Data"],
        other="Too much paperwork",
        duration=None,
    )
    return close_by_the_clock(consultation)


def rows_of(consultation) -> list[list[str]]:
    text = "".join(csv_lines(consultation=consultation))
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def test_the_csv_has_one_row_per_response_and_one_column_per_question(closed):
    header, first, second = rows_of(closed)

    assert header == [
        *FIXED_COLUMNS,
        "Which of these best describes you?",
        "There should be a register.",
        "Would you join?",
        "What would stop you?",
        "What would stop you? (other)",
        "Anything else?",
    ]
    assert first[2:7] == ["care_worker", "yes", "registered", "120", "no"]
    assert first[7:] == ["A care worker", "Agree", "Yes", "", "", "Keep it free"]
    assert second[2:7] == ["employer", "no", "", "", "no"]
    assert second[10:] == ["Cost; Data", "Too much paperwork", ""]
    references = set(closed.responses.values_list("reference", flat=True))
    assert {first[0], second[0]} == references


def test_the_csv_reads_the_responses_a_batch_at_a_time_without_losing_any(closed):
    for number in range(5):
        ResponseFactory(consultation=closed, comment=f"Comment {number}")

    rows = list(response_rows(consultation=closed, batch_size=2))

    assert len(rows) == 1 + 7
    assert [row[-1] for row in rows[3:]] == [f"Comment {number}" for number in range(5)]


@pytest.mark.parametrize(
    "dangerous",
    ['=HYPERLINK("http://evil.example/","Click")', "+1", "-1", "@SUM(A1:A9)", "\tTabbed", "\rCR"],
)
def test_a_cell_a_spreadsheet_would_run_as_a_formula_is_neutralised(closed, dangerous):
    ResponseFactory(consultation=closed, comment=dangerous)

    last = rows_of(closed)[-1]

    assert last[-1] == "'" + dangerous


def test_ordinary_text_is_left_alone():
    assert spreadsheet_safe("Pay, time; and 5 = 5") == "Pay, time; and 5 = 5"
    assert spreadsheet_safe(None) == ""
    assert spreadsheet_safe(42) == "42"


def test_the_csv_keeps_names_in_any_alphabet_and_script_as_plain_text(closed):
    ResponseFactory(consultation=closed, comment=NAMES)
    ResponseFactory(consultation=closed, comment=SCRIPT)

    rows = rows_of(closed)

    assert rows[-2][-1] == NAMES
    assert rows[-1][-1] == SCRIPT


def test_the_csv_download_is_streamed_as_an_attachment(client, closed, association_admin):
    ResponseFactory(consultation=closed, comment=NAMES)
    client.force_login(association_admin)

    response = client.get(reverse("consultations:responses-csv", args=[closed.pk]))

    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        f'attachment; filename="{closed.slug}-responses.csv"'
    )
    assert response["X-Content-Type-Options"] == "nosniff"
    body = b"".join(response.streaming_content)
    assert body.startswith(b"\xef\xbb\xbf")
    assert NAMES in body.decode("utf-8")


def test_downloading_the_csv_is_audited(client, closed, association_admin):
    from core.models import AuditEvent

    client.force_login(association_admin)
    b"".join(client.get(reverse("consultations:responses-csv", args=[closed.pk])).streaming_content)

    event = AuditEvent.objects.get(action="consultations.responses.exported")
    assert event.actor_id == association_admin.pk


# --- PDF -----------------------------------------------------------------------------------


def pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() for page in reader.pages)


def render(consultation, *, published: bool) -> bytes:
    document = report_document(
        results=consultation_results(consultation=consultation, published=published),
        time=time_to_answer(consultation=consultation),
        made_at=timezone.now(),
    )
    return ConsultationReportRenderer().render(document)


def test_the_report_renders_with_its_title_and_counts(closed):
    for _ in range(10):
        ResponseFactory(consultation=closed, support="Strongly agree")

    data = render(closed, published=False)

    assert data.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(data))
    assert reader.metadata.title == "Proposed voluntary register: full results, not for publication"
    text = pdf_text(data)
    assert "Proposed voluntary register" in text
    assert "Responses: 12." in text
    assert "10 (83%)" in text  # Strongly agree: 10 of the 12 who answered
    assert "Median time to answer" in text


def test_the_report_for_publication_suppresses_small_numbers(closed):
    for _ in range(10):
        ResponseFactory(consultation=closed, support="Strongly agree")

    text = pdf_text(render(closed, published=True))

    assert "fewer than 5" in text
    assert "withheld" in text
    assert "10 (83%)" not in text
    assert "Median time to answer" not in text


def test_the_report_prints_theme_names_and_outcome_text_as_written(closed, association_admin):
    consultation = start_analysis(closed, association_admin)
    theme = outcome.theme_create(consultation=consultation, user=association_admin, name=SCRIPT)
    outcome.theme_create(consultation=consultation, user=association_admin, name=NAMES)
    outcome.answer_tag(answer=comment_answers(consultation)[0], theme=theme, user=association_admin)
    outcome.consultation_publish_outcome(
        consultation=consultation,
        user=association_admin,
        outcome_summary="You said <b>cost</b> & time.\n\nWe will act.",
    )
    consultation.refresh_from_db()

    text = pdf_text(render(consultation, published=True))

    assert SCRIPT in text
    assert NAMES in text
    assert "You said <b>cost</b> & time." in text
    assert "We will act." in text
