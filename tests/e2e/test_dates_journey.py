"""Dates typed as a person types them, on a 360-pixel phone (issue 18, items 1 and 2): the
Day, Month and Year boxes read day first whatever the browser's language, a stored date comes
back into its boxes on "Change", a mistake is named and marked in its own box, and the
consultation's opening and closing times are boxes big enough to tap."""

import re
from datetime import date

import pytest
from django.utils import timezone

from consultations.models import Consultation
from register.models import Application
from tests.e2e.accessibility import assert_fits_width, assert_no_axe_violations
from tests.e2e.conftest import sign_in
from tests.e2e.dates import date_question, type_date, typed_values


def _check(page) -> None:
    assert_no_axe_violations(page)
    assert_fits_width(page, 360)


@pytest.mark.django_db(transaction=True)
def test_a_date_of_birth_typed_day_first_is_stored_as_typed_and_survives_change(phone_page, worker):
    page = phone_page
    sign_in(page, worker)
    page.goto("/apply/")
    page.get_by_role("button", name="Start your application").click()
    page.get_by_label("Full legal name").fill("Wendy Ann Worker")

    # A slip first: no month, and a year of two numbers. Only the month box is marked, and the
    # error summary's link goes to it.
    type_date(page, "Date of birth", "14  90")
    page.get_by_role("button", name="Save and continue").click()
    summary = page.get_by_role("alert")
    assert "Date of birth must include a month" in summary.inner_text()
    question = date_question(page, "Date of birth")
    assert question.get_by_label("Month", exact=True).get_attribute("aria-invalid") == "true"
    assert question.get_by_label("Day", exact=True).get_attribute("aria-invalid") is None
    assert question.get_by_label("Year", exact=True).get_attribute("aria-invalid") is None
    assert typed_values(page, "Date of birth") == ["14", "", "90"]
    _check(page)
    summary.get_by_role("link", name="Date of birth must include a month").click()
    month = question.get_by_label("Month", exact=True)
    assert month.evaluate("box => box === document.activeElement")

    # The month given, the year still short: now the year is the box at fault.
    type_date(page, "Date of birth", "14 7 90")
    page.get_by_role("button", name="Save and continue").click()
    assert "Date of birth must include a year with 4 numbers" in (
        page.get_by_role("alert").inner_text()
    )
    assert question.get_by_label("Year", exact=True).get_attribute("aria-invalid") == "true"
    assert question.get_by_label("Month", exact=True).get_attribute("aria-invalid") is None
    assert Application.objects.get().date_of_birth is None

    # 14 7 1990 is 14 July 1990: day first, whatever the browser's own date order.
    type_date(page, "Date of birth", "14 7 1990")
    page.get_by_role("button", name="Save and continue").click()
    page.get_by_label("Phone number").wait_for()
    assert Application.objects.get().date_of_birth == date(1990, 7, 14)

    # "Change" on the check-answers page brings the date back into its boxes, and saving it
    # unchanged keeps it.
    page.goto("/apply/check/")
    assert "14 July 1990" in page.content()
    _check(page)
    page.get_by_role("link", name="Change details about you").click()
    page.wait_for_url(re.compile(r"/apply/about-you/"))
    assert typed_values(page, "Date of birth") == ["14", "7", "1990"]
    _check(page)
    page.get_by_role("button", name="Save and continue").click()
    page.wait_for_url(re.compile(r"/apply/check/$"))
    assert "14 July 1990" in page.content()
    assert "Enter your date of birth" not in page.content()
    assert Application.objects.get().date_of_birth == date(1990, 7, 14)


@pytest.mark.django_db(transaction=True)
def test_a_consultations_opening_and_closing_times_are_boxes_big_enough_to_tap(
    phone_page, association_admin
):
    page = phone_page
    sign_in(page, association_admin)
    page.goto("/consultations/manage/new/")
    page.get_by_role("heading", name="Create a consultation").wait_for()
    for legend in ("Opens (UK time)", "Closes (UK time)"):
        boxes = date_question(page, legend).get_by_role("textbox").all()
        assert len(boxes) == 4  # day, month, year and time
        for box in boxes:
            size = box.bounding_box()
            # WCAG 2.2's target size (2.5.8) asks for 24 by 24 CSS pixels at least.
            assert size["height"] >= 24 and size["width"] >= 24, size
    _check(page)

    page.get_by_label("Title").fill("Fair pay")
    page.get_by_label("Summary").fill("Tell us what fair pay looks like.")
    page.get_by_label("Privacy notice").fill("We keep your answers for a year.")
    type_date(page, "Opens (UK time)", "1 12 2030 9:00")
    type_date(page, "Closes (UK time)", "31 1 2031 25:00")
    page.get_by_role("button", name="Create the consultation").click()
    assert "The closing date must have a real time, like 9:00 or 17:30" in (
        page.get_by_role("alert").inner_text()
    )
    closes = date_question(page, "Closes (UK time)")
    assert closes.get_by_label("Time", exact=True).get_attribute("aria-invalid") == "true"
    assert closes.get_by_label("Day", exact=True).get_attribute("aria-invalid") is None
    assert not Consultation.objects.exists()
    _check(page)

    type_date(page, "Closes (UK time)", "31 1 2031 5:30pm")
    page.get_by_role("button", name="Create the consultation").click()
    page.get_by_text("Consultation created").wait_for()
    assert "09:00 on 1 December 2030" in page.content()
    assert "17:30 on 31 January 2031" in page.content()
    consultation = Consultation.objects.get()
    assert timezone.localtime(consultation.opens_at).isoformat() == "2030-12-01T09:00:00+00:00"
    assert timezone.localtime(consultation.closes_at).isoformat() == "2031-01-31T17:30:00+00:00"

    # Changing the details shows the times as they were set.
    page.get_by_role("link", name="Change the details").click()
    assert typed_values(page, "Opens (UK time)") == ["1", "12", "2030", "09:00"]
    assert typed_values(page, "Closes (UK time)") == ["31", "1", "2031", "17:30"]
    _check(page)
