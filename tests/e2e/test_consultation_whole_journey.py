"""Issue 18's consultation journey in one browser test, with no step taken outside the browser
but reading the emails the service sends: an association admin builds a consultation and opens
it; people answer it without signing in, one of them saving part way and coming back by the
emailed link on another device and asking to hear the outcome; the admin closes it early,
tags the written answers, and publishes the outcome; the person who asked is emailed and reads
it. axe-core finds no violations of any impact on any page on the way."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from consultations.models import Consultation, Response
from tests.e2e.accessibility import assert_fits_width, assert_no_axe_violations
from tests.e2e.conftest import sign_in
from tests.e2e.dates import type_date

TITLE = "Travel time between visits"
PAID = "Should travel time between visits be paid?"
WHY = "Tell us about your travel between visits"
RESPONDENT = "sam.carer@example.org"


def _check(page, *, phone=False):
    assert_no_axe_violations(page)
    if phone:
        assert_fits_width(page, 360)


def _emails_to(address: str) -> list:
    return [message for message in mail.outbox if message.to == [address]]


def _answer(page, *, paid: str, why: str) -> None:
    """Someone who is not signed in answers both pages and sends."""
    page.goto("/consultations/")
    page.get_by_role("link", name=TITLE).click()
    page.get_by_role("button", name="Start now").click()
    page.get_by_label("A care worker").check()
    page.get_by_role("button", name="Continue").click()
    page.get_by_label(paid, exact=True).check()
    page.get_by_role("button", name="Continue").click()
    page.get_by_label(WHY).fill(why)
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("button", name="Send my answers").click()
    page.get_by_role("heading", name="Thank you: your answers have been sent").wait_for()


@pytest.mark.django_db(transaction=True)
def test_an_association_builds_opens_hears_closes_tags_and_publishes_and_subscribers_are_told(
    page, phone_page, new_page, association_admin
):
    now = timezone.localtime()

    # 1. The association admin builds it: anyone may answer, without signing in.
    sign_in(page, association_admin)
    page.goto("/consultations/manage/")
    page.get_by_role("link", name="Create a consultation").click()
    page.get_by_label("Title").fill(TITLE)
    page.get_by_label("Summary").fill("Is the time you spend between visits paid?")
    page.get_by_label("Privacy notice").fill("We keep your answers for a year, then delete them.")
    type_date(page, "Opens (UK time)", now - timedelta(hours=1))
    type_date(page, "Closes (UK time)", now + timedelta(days=14))
    page.get_by_role("button", name="Create the consultation").click()
    page.get_by_text("Consultation created").wait_for()
    _check(page)
    page.get_by_label("Page title").fill("Pay")
    page.get_by_role("button", name="Add the page").click()
    page.get_by_text("Page added").wait_for()
    page.get_by_role("link", name="Add a question to Pay").click()
    page.get_by_label("Choose one").check()
    page.get_by_label("Question", exact=True).fill(PAID)
    page.get_by_label("Options, one on each line").fill("Yes\nNo\nNot sure")
    page.get_by_role("button", name="Add the question").click()
    page.get_by_text("Question added").wait_for()
    page.get_by_label("Page title").fill("Your travel")
    page.get_by_role("button", name="Add the page").click()
    page.get_by_text("Page added").wait_for()
    page.get_by_role("link", name="Add a question to Your travel").click()
    page.get_by_label("Long text").check()
    page.get_by_label("Question", exact=True).fill(WHY)
    page.get_by_role("button", name="Add the question").click()
    page.get_by_text("Question added").wait_for()
    _check(page)

    # 2. She opens it: its opening time has passed, so it is open at once.
    page.get_by_role("button", name="Schedule it").click()
    page.get_by_text("Scheduled.").wait_for()
    _check(page)
    consultation = Consultation.objects.get(title=TITLE)
    assert consultation.status == Consultation.Status.OPEN

    # 3. A care worker on a phone answers the first page, then saves and comes back later.
    phone = phone_page
    phone.goto("/consultations/")
    phone.get_by_role("link", name=TITLE).click()
    _check(phone, phone=True)
    phone.get_by_role("button", name="Start now").click()
    phone.get_by_label("A care worker").check()
    phone.get_by_role("button", name="Continue").click()
    phone.get_by_text("Page 2 of 3").wait_for()
    phone.get_by_label("Yes", exact=True).check()
    phone.get_by_role("button", name="Save and come back later").click()
    phone.get_by_role("heading", name="Save and come back later").wait_for()
    _check(phone, phone=True)
    phone.get_by_label("Email address").press_sequentially(RESPONDENT)
    phone.get_by_role("button", name="Send me the link").click()
    phone.get_by_role("heading", name="We have emailed you a link").wait_for()
    _check(phone, phone=True)

    # That evening, on another device, she follows the emailed link and finishes.
    (resume_email,) = _emails_to(RESPONDENT)
    # The link is followed as written: it names this server's own address and port.
    link = re.search(r"https?://\S+/consultations/\S+/resume/\S+/", resume_email.body)
    later = new_page("later", phone=True)
    later.goto(link.group(0))
    # She is back on the page she saved, with her answer kept.
    later.get_by_text("Page 2 of 3").wait_for()
    assert later.get_by_label("Yes", exact=True).is_checked()
    _check(later, phone=True)
    later.get_by_role("button", name="Continue").click()
    later.get_by_label(WHY).fill("Two hours a day unpaid between visits; training costs too.")
    later.get_by_role("button", name="Continue").click()
    later.get_by_role("heading", name="Check your answers before sending them").wait_for()
    assert later.locator("dd", has_text="Yes").first.is_visible()
    _check(later, phone=True)
    later.get_by_role("button", name="Send my answers").click()
    later.get_by_role("heading", name="Thank you: your answers have been sent").wait_for()
    _check(later, phone=True)
    outcome_form = later.locator(
        "form", has=later.get_by_role("button", name="Email me the outcome")
    )
    outcome_form.get_by_label("Email address").press_sequentially(RESPONDENT)
    outcome_form.get_by_role("button", name="Email me the outcome").click()
    later.get_by_role("status").wait_for()
    _check(later, phone=True)

    # 4. Four more people answer, three of them about unpaid travel.
    for number, (paid, why) in enumerate(
        [
            ("Yes", "My travel is unpaid and the mileage does not cover fuel."),
            ("Yes", "Unpaid travel means I earn less than the minimum wage."),
            ("Not sure", "Travel is unpaid some weeks and paid in others."),
            ("No", "We are paid by the hour on the rota, travel included."),
        ]
    ):
        _answer(new_page(f"respondent-{number}"), paid=paid, why=why)
    assert Response.objects.filter(consultation=consultation).count() == 5

    # 5. The admin sees the answers so far, then closes it early after reading what that does.
    page.goto("/consultations/manage/")
    page.get_by_role("link", name=TITLE).click()
    page.get_by_role("link", name="See the answers so far").click()
    page.get_by_role("heading", name=f"Answers so far: {TITLE}").wait_for()
    _check(page)
    page.get_by_role("link", name="Close it early").click()
    page.get_by_role("heading", name=f"Close “{TITLE}” now?").wait_for()
    _check(page)
    page.get_by_role("button", name="Close it now").click()
    page.get_by_text("Closed. No more answers are accepted.").wait_for()
    _check(page)

    # Nobody can answer once it is closed.
    late = new_page("late")
    late.goto(f"/consultations/{consultation.slug}/")
    late.get_by_text("This consultation has closed.").wait_for()
    assert late.get_by_role("button", name="Start now").count() == 0

    # 6. She starts the analysis and tags every answer about unpaid travel at once.
    page.get_by_role("link", name="See the results").click()
    page.get_by_role("button", name="Start the analysis").click()
    page.get_by_text("Analysis started.").wait_for()
    _check(page)
    page.get_by_role("link", name="See the results").click()
    page.get_by_role("link", name="Read and tag the written answers").click()
    page.get_by_role("heading", name="5 answers").wait_for()
    page.get_by_label("Add a theme").fill("Unpaid travel")
    page.get_by_role("button", name="Add the theme").click()
    page.get_by_text("Theme “Unpaid travel” added.").wait_for()
    page.get_by_label("Search the answers").fill("unpaid")
    page.get_by_role("button", name="Search").click()
    page.get_by_role("heading", name="4 answers found").wait_for()
    _check(page)
    page.get_by_label("Tag all 4 matching answers with a theme").select_option(
        label="Unpaid travel"
    )
    page.get_by_role("button", name="Tag all matching answers").click()
    page.get_by_text("Tagged 4 answers “Unpaid travel”.").wait_for()
    _check(page)

    # 7. She writes the outcome, reads who will be emailed, and publishes it.
    page.get_by_role("link", name="Back to the results").click()
    page.get_by_role("link", name="Publish the outcome").click()
    page.get_by_label("You said, we did").press_sequentially(
        "You said travel between visits is often unpaid. We will ask councils to pay for it."
    )
    page.get_by_role("button", name="Save and continue").click()
    page.get_by_role("heading", name=f"Publish the outcome of “{TITLE}”?").wait_for()
    assert page.get_by_text("We email 1 person who asked to hear about the outcome").is_visible()
    _check(page)
    assert _emails_to(RESPONDENT) == [resume_email]
    page.get_by_role("button", name="Publish the outcome").click()
    page.get_by_text("The outcome is published.").wait_for()
    _check(page)

    # 8. The person who asked is emailed once, and reads the outcome from the link.
    told = [message for message in _emails_to(RESPONDENT) if message is not resume_email]
    assert len(told) == 1
    outcome_link = re.search(r"https?://\S+/consultations/\S+/outcome/", told[0].body)
    reader = new_page("reader", phone=True)
    reader.goto(outcome_link.group(0))
    reader.get_by_role("heading", name="You said, we did").wait_for()
    assert reader.get_by_text("We will ask councils to pay for it.").is_visible()
    assert reader.get_by_text("Responses: 5.").is_visible()
    _check(reader, phone=True)
