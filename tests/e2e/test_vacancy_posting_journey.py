"""An employer posts a home care vacancy with unpaid travel between visits: the preview shows
the effective hourly rate once the travel is counted, and refuses to publish while that rate is
below the National Living Wage; with the pay put right it publishes, and the public page shows
the terms before the description. On a 360-pixel phone and on a desktop, axe-core on each page.
"""

import datetime

import pytest
from django.utils import timezone

from jobs.models import Vacancy
from tests.e2e.accessibility import assert_fits_width, assert_no_axe_violations
from tests.e2e.conftest import sign_in
from tests.e2e.dates import type_date
from tests.factories import PathwayRoleFactory, places_leeds

PHONE_WIDTH = 360


def _check(page, phone: bool) -> None:
    assert_no_axe_violations(page)
    if phone:
        assert_fits_width(page, PHONE_WIDTH)


def _choose(page, question: str, answer: str) -> None:
    page.get_by_role("group", name=question).get_by_label(answer, exact=True).check()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("phone", [True, False], ids=["phone", "desktop"])
def test_an_employer_posts_a_home_care_vacancy_and_is_held_to_the_living_wage(
    new_page, employer, employer_organisation, phone
):
    PathwayRoleFactory(code="care-worker", title="Care or support worker")
    # Publishing needs the postcode placed on the map (LS1 5AB falls back to its district).
    places_leeds()
    page = new_page("employer", phone=phone)
    sign_in(page, employer)
    page.goto(f"/organisations/{employer_organisation.pk}/")
    page.get_by_role("link", name="Vacancies", exact=True).click()
    page.get_by_role("heading", name="Vacancies").wait_for()
    _check(page, phone)
    page.get_by_role("link", name="Write a new vacancy").click()

    page.get_by_role("heading", name="Write a new vacancy").wait_for()
    _check(page, phone)
    page.get_by_label("Job title").fill("Home care worker")
    page.get_by_label("Care Workforce Pathway role category").select_option(
        label="Care or support worker"
    )
    _choose(page, "Setting", "Home care")
    page.get_by_label("Name of the workplace").fill("Leeds North rounds")
    page.get_by_label("Address").fill("2 Park Row")
    page.get_by_label("Town or city").fill("Leeds")
    page.get_by_label("Postcode").fill("ls1 5ab")
    _choose(page, "How is the pay given?", "An hourly rate")
    page.get_by_label("Pay, in pounds", exact=True).fill("14.00")
    _choose(page, "Contract", "Permanent")
    page.get_by_label("Guaranteed hours a week").fill("20")
    page.get_by_label("Typical hours a week").fill("30")
    _choose(page, "When are the shifts?", "Days")
    _choose(page, "When are the shifts?", "Weekends")
    page.get_by_label("How long is a shift, in hours?").fill("8")
    _choose(page, "Are a driving licence and a car needed?", "Yes")
    page.get_by_label("Mileage rate, in pence a mile").fill("45")
    _choose(page, "Home care only: is travel time between visits paid?", "No")
    page.get_by_label("Home care with unpaid travel only").fill("15")
    _choose(page, "Do you pay sick pay beyond Statutory Sick Pay?", "No")
    _choose(page, "Who pays for the DBS check?", "The employer")
    _choose(page, "Visa sponsorship", "No sponsorship")
    _choose(page, "Do you offer a paid trial shift?", "Yes")
    closing = timezone.localdate() + datetime.timedelta(days=21)
    type_date(page, "Closing date", closing)
    type_date(page, "Start date", closing + datetime.timedelta(days=14))
    page.get_by_label("Description of the job").fill(
        "Visit people in their own homes in north Leeds: help with washing, meals and medicines."
    )
    page.get_by_role("button", name="Save and check the advert").click()

    # 14.00 × 60 / 75 = 11.20 an hour once the 15 unpaid minutes are counted: refused.
    page.get_by_role("heading", name="Check the advert").wait_for()
    assert (
        "£14.00 an hour paid, about £11.20 an hour once unpaid travel between visits is counted"
        in page.locator("#term-pay").inner_text()
    )
    refusal = page.get_by_role("alert")
    assert "You cannot publish this vacancy yet" in refusal.inner_text()
    assert "the effective hourly rate is £11.20, below the National Living Wage" in (
        refusal.inner_text()
    )
    assert page.get_by_role("button", name="Publish the vacancy").count() == 0
    vacancy = Vacancy.objects.get()
    assert vacancy.status == Vacancy.Status.DRAFT
    _check(page, phone)

    # The refusal links to the pay, on the form.
    refusal.get_by_role("link").click()
    page.get_by_role("heading", name="Change the vacancy").wait_for()
    assert page.url.endswith("#id_pay_amount")
    page.get_by_label("Pay, in pounds", exact=True).fill("16.00")
    page.get_by_role("button", name="Save and check the advert").click()

    # 16.00 × 60 / 75 = 12.80: at least the National Living Wage.
    page.get_by_role("heading", name="Check the advert").wait_for()
    assert (
        "£16.00 an hour paid, about £12.80 an hour once unpaid travel between visits is counted"
        in page.locator("#term-pay").inner_text()
    )
    assert page.get_by_role("alert").count() == 0
    _check(page, phone)
    page.get_by_role("button", name="Publish the vacancy").click()

    page.get_by_role("heading", name="Home care worker").wait_for()
    vacancy.refresh_from_db()
    assert vacancy.status == Vacancy.Status.PUBLISHED
    assert "Your vacancy is published" in page.get_by_role("status").inner_text()
    _check(page, phone)

    # Anyone reads the terms before the description.
    public = new_page("public", phone=phone)
    public.goto(f"/jobs/{vacancy.reference}/")
    public.get_by_role("heading", name="Home care worker").wait_for()
    terms = public.get_by_role("heading", name="The terms")
    description = public.get_by_role("heading", name="About the job")
    safeguarding = public.get_by_role("heading", name="Our safeguarding commitment")
    assert terms.bounding_box()["y"] < description.bounding_box()["y"]
    assert description.bounding_box()["y"] < safeguarding.bounding_box()["y"]
    assert "about £12.80 an hour once unpaid travel" in public.locator("#term-pay").inner_text()
    assert public.locator("#term-contract").inner_text() == "Permanent"
    assert "15 minutes of unpaid travel" in public.locator("#term-travel").inner_text()
    apply = public.get_by_role("link", name="Apply", exact=True)
    assert apply.get_attribute("href") == f"/jobs/{vacancy.reference}/apply/"
    _check(public, phone)
