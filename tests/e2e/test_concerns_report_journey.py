"""Someone on a 360-pixel phone reads how concerns are decided, follows the guide to the yearly
report, sees small numbers suppressed, and downloads the report as a PDF. No account."""

import io
from datetime import date

import pytest
from django.utils import timezone
from pypdf import PdfReader

from concerns.models import CaseFigures
from tests.e2e.accessibility import assert_fits_width, assert_no_axe_violations

PHONE = 360


def on_phone(page) -> None:
    assert_no_axe_violations(page)
    assert_fits_width(page, PHONE)


@pytest.mark.django_db(transaction=True)
def test_a_member_of_the_public_reads_the_guide_and_the_yearly_report_on_a_phone(phone_page):
    year = timezone.localdate().year
    for count, category, outcome in [(14, "poor_practice", "advice"), (3, "theft", "warning")]:
        for _ in range(count):
            CaseFigures.objects.create(
                received_on=date(year, 1, 2),
                category=category,
                source="public",
                working_days_to_screen=3,
                outcome=outcome,
                days_to_decide=60,
            )

    phone_page.goto("/concerns/how-concerns-are-decided/")
    phone_page.get_by_role("heading", name="How concerns about care workers are decided").wait_for()
    assert phone_page.get_by_role("heading", name="If someone is in danger now").is_visible()
    time_limits = phone_page.get_by_role("table").filter(has_text="Time limit")
    assert "within 28 days of the decision" in time_limits.inner_text()
    on_phone(phone_page)

    phone_page.get_by_role("link", name="report on concerns").click()
    phone_page.get_by_role("heading", name=f"Concerns about care workers: {year} so far").wait_for()
    on_phone(phone_page)
    categories = phone_page.get_by_role("table", name="What the concerns were about")
    assert categories.get_by_role("row", name="Theft fewer than 5").is_visible()
    # Of 17 received, 14 were about poor practice: shown, it would give theft's count away.
    assert categories.get_by_role("row", name="Poor practice withheld").is_visible()
    assert phone_page.get_by_text("Median time to screen").is_visible()
    assert phone_page.get_by_text("3 working days").first.is_visible()

    with phone_page.expect_download() as download:
        phone_page.get_by_role("link", name="Download this report as a PDF").click()
    assert download.value.suggested_filename == f"concerns-report-{year}.pdf"
    with open(download.value.path(), "rb") as pdf:
        pages = PdfReader(io.BytesIO(pdf.read())).pages
    text = " ".join(" ".join(page.extract_text().split()) for page in pages)
    assert "Theft fewer than 5" in text
    assert "Poor practice withheld" in text
    assert "Concerns received: 17." in text
