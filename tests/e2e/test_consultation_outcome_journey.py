"""An association admin reads the results of a closed consultation, tags the written answers
with themes, and publishes the outcome; the public outcome page then shows it, on a desktop
and on a 360-pixel phone."""

import re

import pytest

from register.models import Membership, Organisation
from tests.consultations.analysis_helpers import close, open_consultation, respond
from tests.e2e.accessibility import assert_accessible, assert_fits_width
from tests.factories import PASSWORD, MembershipFactory


def _sign_in(page, email):
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url(re.compile(r"^https?://[^/]+/$"))


@pytest.mark.django_db(transaction=True)
def test_an_admin_tags_themes_publishes_the_outcome_and_the_public_reads_it(page, phone_page):
    admin = MembershipFactory(
        user__email="ellen@example.org",
        user__full_name="Ellen Association",
        organisation__name="Care Workers' Association",
        organisation__kind=Organisation.Kind.ASSOCIATION,
        role=Membership.Role.OWNER,
    ).user
    consultation = open_consultation(admin, admin.organisations.get())
    for number in range(6):
        respond(consultation, verified=number % 2 == 0, comment="The training costs too much")
    for _ in range(5):
        respond(consultation, who="employer", join="No", stop=["Time"], comment="No time <b>")
    respond(consultation, who="family_or_unpaid_carer", comment="Too much paperwork")
    consultation = close(consultation)

    # The admin opens the results and starts the analysis.
    _sign_in(page, "ellen@example.org")
    page.goto(f"/consultations/manage/{consultation.pk}/")
    page.get_by_role("link", name="See the results").click()
    page.get_by_role("heading", name="Results: Proposed voluntary register").wait_for()
    assert_accessible(page)
    page.get_by_role("button", name="Start the analysis").click()
    page.get_by_text("Analysis started.").wait_for()
    page.get_by_role("link", name="See the results").click()

    # Reads the written answers and tags them with themes.
    page.get_by_role("link", name="Read and tag the written answers").click()
    page.get_by_role("heading", name="12 answers").wait_for()
    page.get_by_label("Add a theme").fill("Cost of training")
    page.get_by_role("button", name="Add the theme").click()
    page.get_by_text("Theme “Cost of training” added.").wait_for()
    page.get_by_label("Search the answers").fill("COSTS")
    page.get_by_role("button", name="Search").click()
    page.get_by_role("heading", name="6 answers found").wait_for()
    first = page.locator("li.card[id^=answer-]").first
    first.get_by_role("button", name="Tag this answer").click()
    page.get_by_text("Tagged “Cost of training”.").wait_for()
    assert "q=COSTS" in page.url
    assert page.get_by_text("Cost of training: 1 answer.").is_visible()
    assert_accessible(page)
    # What people typed shows as they typed it, markup and all, never as markup.
    page.get_by_label("Search the answers").fill("no time")
    page.get_by_role("button", name="Search").click()
    page.get_by_role("heading", name="5 answers found").wait_for()
    assert page.get_by_text("No time <b>", exact=True).count() == 5

    # Publishes the outcome.
    page.get_by_role("link", name="Back to the results").click()
    page.get_by_role("link", name="Publish the outcome").click()
    page.get_by_role("heading", name="What the public will see").wait_for()
    assert_accessible(page)
    page.get_by_role("button", name="Publish the outcome").click()
    page.get_by_text("Write what you heard and what you will do about it").first.wait_for()
    page.get_by_label("You said, we did").fill(
        "You said training costs too much.\n\nWe will ask employers to pay for it."
    )
    page.get_by_role("button", name="Publish the outcome").click()

    # The public outcome page shows it.
    page.wait_for_url(re.compile(rf"/consultations/{consultation.slug}/outcome/$"))
    page.get_by_text("We will ask employers to pay for it.").wait_for()
    assert page.get_by_role("heading", name="You said, we did").is_visible()
    assert_accessible(page)

    phone_page.goto(f"/consultations/{consultation.slug}/outcome/")
    phone_page.get_by_text("We will ask employers to pay for it.").wait_for()
    # The family carer's single answer is published as "fewer than 5", never as 1.
    family_cells = phone_page.locator("td", has_text="fewer than 5")
    assert family_cells.count() > 0
    assert_fits_width(phone_page, 360)
    assert_accessible(phone_page)
