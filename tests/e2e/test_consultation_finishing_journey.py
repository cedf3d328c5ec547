"""Journeys that must finish for a real person (issue 18, items 12 and 18): an association
admin tags every answer a search finds and takes a tag off one; a respondent on a 360-pixel
phone sees a progress label that never grows as a show-if page comes and goes, sends, and
presses Back; a signed-in worker saves and comes back without typing an email address.
axe-core finds nothing of any impact on any page on the way."""

import re

import pytest
from django.core import mail

from consultations.models import Question, Response, ResponseDraft
from consultations.services import building, lifecycle
from tests.e2e.accessibility import assert_fits_width, assert_no_axe_violations
from tests.e2e.conftest import sign_in
from tests.factories import (
    ConsultationFactory,
    ResponseFactory,
    close_by_the_clock,
    question,
    start_analysis,
)

WHY_NOT = "Why would you not join?"


def _check(page, *, phone=False):
    assert_no_axe_violations(page)
    if phone:
        assert_fits_width(page, 360)


def _with_show_if_page(admin, association):
    """The tests' consultation with a fourth page, asked only of people who would not join."""
    draft = ConsultationFactory(created_by=admin, organisation=association)
    why = building.page_add(consultation=draft, user=admin, title="Why not")
    building.question_add(
        page=why,
        user=admin,
        kind=Question.Kind.LONG_TEXT,
        text=WHY_NOT,
        show_if_options=[question(draft, "Would you join?").options.get(label="No")],
    )
    lifecycle.consultation_schedule(consultation=draft, user=admin)
    draft.refresh_from_db()
    return draft


@pytest.mark.django_db(transaction=True)
def test_an_admin_tags_every_answer_a_search_finds_and_takes_one_tag_off(
    new_page, association_admin, association
):
    consultation = ConsultationFactory(
        created_by=association_admin, organisation=association, status="open"
    )
    for comment in ("Training costs too much", "The costs of travel", "Costs again", "All fine"):
        ResponseFactory(consultation=consultation, comment=comment)
    consultation = start_analysis(close_by_the_clock(consultation), association_admin)
    page = new_page("admin", phone=True)
    sign_in(page, association_admin)
    page.goto(f"/consultations/manage/{consultation.pk}/analysis/answers/")
    page.get_by_role("heading", name="4 answers").wait_for()
    page.get_by_label("Add a theme").fill("Cost")
    page.get_by_role("button", name="Add the theme").click()
    page.get_by_text("Theme “Cost” added.").wait_for()
    _check(page, phone=True)

    page.get_by_label("Search the answers").fill("costs")
    page.get_by_role("button", name="Search").click()
    page.get_by_role("heading", name="3 answers found").wait_for()
    _check(page, phone=True)
    page.get_by_label("Tag all 3 matching answers with a theme").select_option(label="Cost")
    page.get_by_role("button", name="Tag all matching answers").click()
    page.get_by_text("Tagged 3 answers “Cost”.").wait_for()
    page.get_by_text("Cost: 3 answers.").wait_for()
    assert "q=costs" in page.url
    _check(page, phone=True)
    # A tagged answer is not offered the same theme again; with no other theme, no form.
    assert page.get_by_label("Tag this answer with a theme").count() == 0

    # Doing it again changes nothing, and says so.
    page.get_by_label("Tag all 3 matching answers with a theme").select_option(label="Cost")
    page.get_by_role("button", name="Tag all matching answers").click()
    page.get_by_text("Tagged 0 answers “Cost”. 3 already had it.").wait_for()

    page.get_by_role("button", name="Remove theme Cost from answer 2").click()
    page.get_by_text("Took “Cost” off the answer.").wait_for()
    page.get_by_text("Cost: 2 answers.").wait_for()
    assert page.get_by_role("button", name="Remove theme Cost from answer 2").count() == 0
    second = page.locator("li.card[id^=answer-]").nth(1)
    assert second.get_by_label("Tag this answer with a theme").input_value()
    assert second.get_by_role("option", name="Cost").count() == 1
    _check(page, phone=True)


@pytest.mark.django_db(transaction=True)
def test_a_respondent_on_a_phone_sees_progress_that_never_grows_then_back_says_already_sent(
    phone_page, association_admin, association
):
    consultation = _with_show_if_page(association_admin, association)
    phone = phone_page
    phone.goto(f"/consultations/{consultation.slug}/")
    phone.get_by_role("button", name="Start now").click()
    phone.get_by_text("Page 1 of up to 4").wait_for()
    _check(phone, phone=True)
    phone.get_by_label("A care worker").check()
    phone.get_by_role("button", name="Continue").click()
    phone.get_by_text("Page 2 of up to 4").wait_for()
    phone.get_by_label("Agree", exact=True).check()
    phone.get_by_label("No", exact=True).check()
    phone.get_by_role("button", name="Continue").click()
    # "No" keeps the fourth page: the total is now known, and it did not grow.
    phone.get_by_text("Page 3 of 4").wait_for()
    _check(phone, phone=True)
    phone.get_by_label("Cost").check()
    phone.get_by_role("button", name="Continue").click()
    phone.get_by_text("Page 4 of 4").wait_for()
    _check(phone, phone=True)

    # She goes back and answers "Yes": the fourth page goes, and the total drops to 3.
    phone.get_by_role("link", name="Back", exact=True).click()
    phone.get_by_role("link", name="Back", exact=True).click()
    phone.get_by_text("Page 2 of 4").wait_for()
    phone.get_by_label("Yes", exact=True).check()
    phone.get_by_role("button", name="Continue").click()
    phone.get_by_text("Page 3 of 3").wait_for()
    phone.get_by_role("button", name="Continue").click()
    phone.get_by_role("heading", name="Check your answers before sending them").wait_for()
    assert phone.get_by_text(WHY_NOT).count() == 0
    phone.get_by_role("button", name="Send my answers").click()
    phone.get_by_role("heading", name="Thank you: your answers have been sent").wait_for()
    reference = Response.objects.get().reference

    # The browser's Back: not a check page of errors, but what happened and what is next.
    phone.go_back()
    phone.get_by_role("heading", name="You have already sent your answers").wait_for()
    assert phone.get_by_text(reference).is_visible()
    assert phone.get_by_role("heading", name="What happens next").is_visible()
    assert phone.get_by_text("There is a problem").count() == 0
    _check(phone, phone=True)
    # Back again, to a question page: the same.
    phone.go_back()
    phone.get_by_role("heading", name="You have already sent your answers").wait_for()
    assert Response.objects.count() == 1

    # Someone else at the same phone starts again from the consultation's page.
    phone.get_by_role("link", name="the consultation's page").click()
    phone.get_by_role("button", name="Start now").click()
    phone.get_by_text("Page 1 of up to 4").wait_for()


@pytest.mark.django_db(transaction=True)
def test_a_signed_in_worker_saves_and_comes_back_without_typing_an_email_address(
    phone_page, new_page, association_admin, association, registered_worker
):
    consultation = _with_show_if_page(association_admin, association)
    phone = phone_page
    sign_in(phone, registered_worker)
    phone.goto(f"/consultations/{consultation.slug}/")
    phone.get_by_role("button", name="Start now").click()
    phone.get_by_label("A care worker").check()
    phone.get_by_role("button", name="Continue").click()
    phone.get_by_label("Agree", exact=True).check()
    phone.get_by_role("button", name="Save and come back later").click()

    phone.get_by_role("heading", name="Save and come back later").wait_for()
    assert phone.get_by_label("Email address").input_value() == "registered@example.org"
    assert phone.get_by_text("This is your account's email address. You can change it.")
    _check(phone, phone=True)
    phone.get_by_role("button", name="Send me the link").click()
    phone.get_by_role("heading", name="We have emailed you a link").wait_for()
    assert phone.get_by_text("We sent a link to registered@example.org.").is_visible()
    _check(phone, phone=True)
    assert ResponseDraft.objects.count() == 1

    # Later, on another device, she follows the emailed link and carries on where she was.
    sent = [message for message in mail.outbox if message.to == ["registered@example.org"]]
    link = re.search(r"https?://[^/\s]+(/consultations/\S+/resume/\S+/)", sent[0].body).group(1)
    later = new_page("later", phone=True)
    sign_in(later, registered_worker)
    later.goto(link)
    later.get_by_text("Page 2 of up to 4").wait_for()
    assert later.get_by_label("Agree", exact=True).is_checked()
    _check(later, phone=True)
