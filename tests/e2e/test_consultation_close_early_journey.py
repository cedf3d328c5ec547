"""An association on a 360-pixel phone watches a consultation's answers come in, closes it
early through the confirm page, leaves out the answers flagged as many from one connection,
and publishes the outcome through its confirm page (issue 18: 10, 11 and 13). axe-core checks
every page for violations of any impact, and every page must fit 360 pixels."""

import re

import pytest

from consultations.models import Consultation
from consultations.services import responding
from tests.e2e.accessibility import assert_fits_width, assert_no_axe_violations
from tests.e2e.conftest import sign_in
from tests.factories import ConsultationFactory, ResponseFactory

TITLE = "Training time for care workers"


def _check(page):
    assert_no_axe_violations(page)
    assert_fits_width(page, 360)


@pytest.mark.django_db(transaction=True)
def test_an_association_closes_early_and_publishes_through_confirm_pages_on_a_phone(
    phone_page, association_admin, association
):
    consultation = ConsultationFactory(
        created_by=association_admin, organisation=association, title=TITLE, status="open"
    )
    for _ in range(6):
        ResponseFactory(consultation=consultation, support="Agree", comment="Pay for training")
    # A day centre's visitors, answering on its one connection past the limit.
    for _ in range(2):
        ResponseFactory(
            consultation=consultation, support="Disagree", many_from_one_connection=True
        )
    for email in ("one@example.org", "two@example.org"):
        responding.outcome_subscribe(consultation=consultation, email=email)
    page = phone_page
    sign_in(page, association_admin)

    # 1. Her list says what the clock says, and the answers so far show without written ones.
    page.goto("/consultations/manage/")
    _check(page)
    assert page.get_by_role("row", name=re.compile(f"{TITLE}.* Open")).is_visible()
    page.get_by_role("link", name=TITLE).click()
    page.get_by_label("Answers an hour from one connection before they are flagged").wait_for()
    _check(page)
    page.get_by_role("link", name="See the answers so far").click()
    page.get_by_role("heading", name=f"Answers so far: {TITLE}").wait_for()
    _check(page)
    assert page.get_by_text("Pay for training").count() == 0
    assert page.get_by_text("2 of the 8 responses were flagged").is_visible()

    # 2. She closes it early, after reading what that does.
    page.get_by_role("link", name="Close it early").click()
    page.get_by_role("heading", name=f"Close “{TITLE}” now?").wait_for()
    _check(page)
    assert page.get_by_text("You cannot open it again.").is_visible()
    page.get_by_role("button", name="Close it now").click()
    page.get_by_text("Closed. No more answers are accepted.").wait_for()
    _check(page)
    consultation.refresh_from_db()
    assert consultation.status == Consultation.Status.CLOSED

    # 3. She leaves the flagged answers out, and starts the analysis.
    page.get_by_role("link", name="See the results").click()
    page.get_by_role("heading", name=f"Results: {TITLE}").wait_for()
    _check(page)
    page.get_by_label("No, leave them out of the results, the exports and the outcome").check()
    page.get_by_role("button", name="Save the choice").click()
    page.get_by_text("The results now leave out the flagged answers.").wait_for()
    _check(page)
    page.get_by_role("button", name="Start the analysis").click()
    page.get_by_text("Analysis started.").wait_for()

    # 4. She writes the outcome, checks who will be emailed, and publishes it.
    page.get_by_role("link", name="See the results").click()
    page.get_by_role("link", name="Publish the outcome").click()
    page.get_by_label("You said, we did").press_sequentially("We will pay for training time.")
    page.get_by_role("button", name="Save and continue").click()
    page.get_by_role("heading", name=f"Publish the outcome of “{TITLE}”?").wait_for()
    _check(page)
    assert page.get_by_text("We email 2 people who asked to hear about the outcome").is_visible()
    assert page.get_by_text("the flagged answers (2) are left out").is_visible()
    consultation.refresh_from_db()
    assert consultation.status == Consultation.Status.ANALYSING
    page.get_by_role("button", name="Publish the outcome").click()
    page.wait_for_url(re.compile(rf"/consultations/{consultation.slug}/outcome/$"))
    page.get_by_text("The outcome is published.").wait_for()
    _check(page)
    assert page.get_by_text("Responses: 6.").is_visible()
