"""A consultation from start to finish, in the browser: an association admin builds and opens
it; a registered care worker answers it on a 360-pixel phone; it closes by the clock; the admin
tags the written answers with themes and publishes the outcome; and someone who is not signed
in reads it. axe-core checks every page on the way, and every phone page must fit 360 pixels."""

import re
import uuid
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from consultations.answers import empty_answer
from consultations.models import Consultation, Response
from consultations.services import lifecycle, responding
from consultations.services.building import completion_estimate
from tests.e2e.accessibility import assert_accessible, assert_fits_width
from tests.e2e.conftest import sign_in
from tests.e2e.dates import type_date
from tests.factories import RegisterEntryFactory

TITLE = "Pay and conditions for care workers"
FAIR_PAY = "Care work is paid fairly."
HELPS = "What would help most?"
ANYTHING_ELSE = "What else should we know?"
# Typed by a respondent; every page that shows it must show these characters, never run them.
MARKUP = "<script>alert(1)</script> Paid training time would help."


def _check(page, *, phone=False):
    assert_accessible(page)
    if phone:
        assert_fits_width(page, 360)


def _record_dialogs(page) -> list[str]:
    """The messages of any alert() the page runs: there must be none."""
    seen: list[str] = []

    def dismiss(dialog):
        seen.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", dismiss)
    return seen


def _answer_through_the_service(consultation, *, fair_pay, helps, anything_else):
    """Another registered care worker's answers, sent through the service the pages call."""
    worker = RegisterEntryFactory().application.worker
    answers = {}
    for question in consultation.questions.prefetch_related("options"):
        answer = empty_answer()
        label = {
            "Which of these best describes you?": "A care worker",
            FAIR_PAY: fair_pay,
            HELPS: helps,
        }.get(question.text)
        if label:
            answer["options"] = [question.options.get(label=label).pk]
        if question.text == ANYTHING_ELSE:
            answer["text"] = anything_else
        answers[str(question.pk)] = answer
    responding.response_submit(
        consultation=consultation,
        answers=answers,
        user=worker,
        idempotency_key=uuid.uuid4().hex,
    )


@pytest.mark.django_db(transaction=True)
def test_a_consultation_goes_from_the_association_to_a_worker_on_a_phone_to_a_published_outcome(
    page, phone_page, new_page, association_admin, worker, entry
):
    now = timezone.localtime()

    # 1. The association admin writes it and schedules it; its opening time has passed.
    sign_in(page, association_admin)
    page.goto("/consultations/")
    page.get_by_role("link", name="Your association's consultations").click()
    _check(page)
    page.get_by_role("link", name="Create a consultation").click()
    _check(page)
    page.get_by_role("button", name="Create the consultation").click()
    # The error summary comes with the next page: wait for it rather than look once.
    expect(page.get_by_role("alert")).to_be_visible()
    _check(page)
    page.get_by_label("Title").fill(TITLE)
    page.get_by_label("Summary").fill("Tell us what fair pay for care work looks like.")
    page.get_by_label("Privacy notice").fill("We keep your answers for a year.")
    type_date(page, "Opens (UK time)", now - timedelta(hours=1))
    type_date(page, "Closes (UK time)", now + timedelta(minutes=30))
    page.get_by_label("Registered care workers only").check()
    page.get_by_label("Signed-in people can change their answers until it closes").check()
    page.get_by_role("button", name="Create the consultation").click()
    page.get_by_text("Consultation created").wait_for()
    _check(page)

    page.get_by_label("Page title").fill("Your pay")
    page.get_by_role("button", name="Add the page").click()
    page.get_by_text("Page added").wait_for()
    page.get_by_role("link", name="Add a question to Your pay").click()
    _check(page)
    page.get_by_label("Agree or disagree scale").check()
    page.get_by_label("Question", exact=True).fill(FAIR_PAY)
    page.get_by_role("button", name="Add the question").click()
    page.get_by_text("Question added").wait_for()
    page.get_by_role("link", name="Add a question to Your pay").click()
    page.get_by_label("Choose any").check()
    page.get_by_label("Question", exact=True).fill(HELPS)
    page.get_by_label("Options, one on each line").fill(
        "A higher hourly rate\nPaid travel time\nSick pay from day one"
    )
    page.get_by_label('Add "Other, please specify"').check()
    page.get_by_label("Most answers a person may choose (optional)").fill("2")
    page.get_by_role("button", name="Add the question").click()
    page.get_by_text("Question added").wait_for()
    page.get_by_label("Page title").fill("Anything else")
    page.get_by_role("button", name="Add the page").click()
    page.get_by_text("Page added").wait_for()
    page.get_by_role("link", name="Add a question to Anything else").click()
    page.get_by_label("Long text").check()
    page.get_by_label("Question", exact=True).fill(ANYTHING_ELSE)
    page.get_by_role("button", name="Add the question").click()
    page.get_by_text("Question added").wait_for()
    _check(page)
    consultation = Consultation.objects.get()
    assert page.get_by_text(str(completion_estimate(consultation=consultation))).is_visible()
    page.get_by_role("button", name="Schedule it").click()
    page.get_by_text("Scheduled.").wait_for()
    _check(page)
    consultation.refresh_from_db()
    assert consultation.status == Consultation.Status.OPEN

    # 2. A registered care worker answers it on a phone.
    phone = phone_page
    dialogs = _record_dialogs(phone)
    sign_in(phone, worker)
    phone.goto("/consultations/")
    _check(phone, phone=True)
    phone.get_by_role("link", name=TITLE).click()
    _check(phone, phone=True)
    phone.get_by_role("button", name="Start now").click()
    assert phone.get_by_text("Page 1 of 3").is_visible()
    phone.get_by_role("button", name="Continue").click()
    phone.get_by_role("alert").wait_for()
    _check(phone, phone=True)
    phone.get_by_label("A care worker").check()
    phone.get_by_role("button", name="Continue").click()
    phone.get_by_text("Page 2 of 3").wait_for()
    _check(phone, phone=True)
    phone.get_by_label("Agree", exact=True).check()
    phone.get_by_label("A higher hourly rate").check()
    phone.get_by_role("checkbox", name="Other, please specify").check()
    phone.get_by_label("If you chose Other, please specify").fill("Uniforms paid for")
    phone.get_by_role("button", name="Continue").click()
    phone.get_by_text("Page 3 of 3").wait_for()
    _check(phone, phone=True)

    # She goes back a page: what she chose there is still chosen.
    phone.get_by_role("link", name="Back", exact=True).click()
    phone.get_by_text("Page 2 of 3").wait_for()
    assert phone.get_by_label("Agree", exact=True).is_checked()
    assert phone.get_by_label("A higher hourly rate").is_checked()
    assert not phone.get_by_label("Paid travel time").is_checked()
    assert phone.get_by_label("If you chose Other, please specify").input_value() == (
        "Uniforms paid for"
    )
    phone.get_by_role("button", name="Continue").click()
    phone.get_by_text("Page 3 of 3").wait_for()
    phone.get_by_label(ANYTHING_ELSE).fill(MARKUP)
    phone.get_by_role("button", name="Continue").click()

    phone.get_by_role("heading", name="Check your answers before sending them").wait_for()
    _check(phone, phone=True)
    assert phone.get_by_text("Other: Uniforms paid for").is_visible()
    assert phone.locator("dd", has_text=MARKUP).is_visible()
    phone.get_by_role(
        "link", name="Change your answer to “Which of these best describes you?”"
    ).click()
    assert phone.get_by_label("A care worker").is_checked()
    for _ in range(3):
        phone.get_by_role("button", name="Continue").click()
    phone.get_by_role("heading", name="Check your answers before sending them").wait_for()
    phone.get_by_role("button", name="Send my answers").click()
    phone.get_by_role("heading", name="Thank you: your answers have been sent").wait_for()
    _check(phone, phone=True)

    response = Response.objects.get()
    assert phone.get_by_text(response.reference).is_visible()
    assert (response.verified, response.register_status, response.respondent_type) == (
        True,
        "registered",
        "care_worker",
    )
    assert response.answers.count() == 5
    assert response.answers.get(question__text=ANYTHING_ELSE).text == MARKUP

    # Five more registered care workers answer, four of them about paid training.
    for _ in range(4):
        _answer_through_the_service(
            consultation,
            fair_pay="Disagree",
            helps="Paid travel time",
            anything_else="Training should be paid for.",
        )
    _answer_through_the_service(
        consultation,
        fair_pay="Strongly disagree",
        helps="Sick pay from day one",
        anything_else="Travel between visits is unpaid.",
    )

    # 3. She comes back to change her answers, and it closes while she is on the first page.
    phone.get_by_role("link", name="See other consultations").click()
    phone.get_by_role("link", name=TITLE).click()
    phone.get_by_text(f"You have already answered (reference {response.reference})").wait_for()
    _check(phone, phone=True)
    phone.get_by_role("button", name="Change my answers").click()
    phone.get_by_text("Page 1 of 3").wait_for()
    assert phone.get_by_label("A care worker").is_checked()

    # The clock reaches the closing time, and the service that stores what the clock says
    # (run every minute by `manage.py advance_consultations`) closes it.
    consultation.refresh_from_db()
    assert lifecycle.consultation_follow_clock(
        consultation=consultation, now=consultation.closes_at
    ) == [Consultation.Status.CLOSED]

    phone.get_by_role("button", name="Continue").click()
    phone.get_by_text("This consultation has closed. It no longer takes answers.").wait_for()
    assert phone.get_by_role("button", name="Change my answers").count() == 0
    _check(phone, phone=True)
    phone.goto(f"/consultations/{consultation.slug}/check/")
    phone.get_by_text("This consultation has closed. It no longer takes answers.").wait_for()
    assert Response.objects.count() == 6

    # 4. The admin starts the analysis, tags the written answers, and publishes the outcome.
    dialogs += _record_dialogs(page)
    page.get_by_role("link", name="Your consultations").click()
    page.get_by_role("link", name=TITLE).click()
    page.get_by_role("link", name="See the results").click()
    page.get_by_role("heading", name=f"Results: {TITLE}").wait_for()
    _check(page)
    page.get_by_role("button", name="Start the analysis").click()
    page.get_by_text("Analysis started.").wait_for()
    _check(page)
    page.get_by_role("link", name="See the results").click()
    page.get_by_role("link", name="Read and tag the written answers").click()
    # Six written answers to "anything else", and her "Other, please specify".
    page.get_by_role("heading", name="7 answers").wait_for()
    _check(page)
    assert page.get_by_text(MARKUP, exact=True).is_visible()

    page.get_by_label("Add a theme").fill("Paid training")
    page.get_by_role("button", name="Add the theme").click()
    page.get_by_text("Theme “Paid training” added.").wait_for()
    page.get_by_label("Add a theme").fill("Travel time")
    page.get_by_role("button", name="Add the theme").click()
    page.get_by_text("Theme “Travel time” added.").wait_for()
    page.get_by_label("Search the answers").fill("TRAINING")
    page.get_by_role("button", name="Search").click()
    page.get_by_role("heading", name="5 answers found").wait_for()
    answers_found = page.locator("li.card[id^=answer-]")
    for tagged in range(1, 6):
        answer = answers_found.nth(tagged - 1)
        answer.get_by_label("Tag this answer with a theme").select_option(label="Paid training")
        answer.get_by_role("button", name="Tag this answer").click()
        page.get_by_text(f"Paid training: {tagged} answer{'s' if tagged > 1 else ''}.").wait_for()
        # Tagging keeps the search, so the next answer is where it was.
        assert "q=TRAINING" in page.url
    _check(page)
    page.get_by_label("Search the answers").fill("travel")
    page.get_by_role("button", name="Search").click()
    page.get_by_role("heading", name="1 answer found").wait_for()
    answer = answers_found.first
    answer.get_by_label("Tag this answer with a theme").select_option(label="Travel time")
    answer.get_by_role("button", name="Tag this answer").click()
    page.get_by_text("Travel time: 1 answer.").wait_for()

    page.get_by_role("link", name="Back to the results").click()
    page.get_by_role("link", name="Publish the outcome").click()
    page.get_by_role("heading", name="What the public will see").wait_for()
    _check(page)
    page.get_by_role("button", name="Save and continue").click()
    page.get_by_text("Write what you heard and what you will do about it").first.wait_for()
    _check(page)
    page.get_by_label("You said, we did").fill(
        "You said training should be paid.\n\nWe will ask employers to pay for training time."
    )
    page.get_by_role("button", name="Save and continue").click()
    page.get_by_text("You cannot take it back.").wait_for()
    _check(page)
    page.get_by_role("button", name="Publish the outcome").click()
    page.wait_for_url(re.compile(rf"/consultations/{consultation.slug}/outcome/$"))
    page.get_by_text("The outcome is published.").wait_for()
    _check(page)

    # 5. Someone who is not signed in finds the outcome and reads it, on a phone of their own.
    public = new_page("public", phone=True)
    dialogs += _record_dialogs(public)
    public.goto("/consultations/")
    _check(public, phone=True)
    public.get_by_role("link", name=TITLE).click()
    public.get_by_text("This consultation has closed.").wait_for()
    _check(public, phone=True)
    public.get_by_role("link", name="read what people said and what will happen next").click()
    public.get_by_role("heading", name="You said, we did").wait_for()
    assert public.get_by_text("We will ask employers to pay for training time.").is_visible()
    assert public.get_by_text("Responses: 6.").is_visible()
    themes = public.get_by_role("table", name="Themes and the number of answers tagged with each")
    assert themes.get_by_role("row", name="Paid training 5").is_visible()
    # One answer is published as "fewer than 5", never as 1.
    assert themes.get_by_role("row", name="Travel time fewer than 5").is_visible()
    # Read without signing in: on the phone the header's menu still offers to sign in.
    public.get_by_text("Menu", exact=True).click()
    assert public.get_by_role("link", name="Sign in", exact=True).is_visible()
    _check(public, phone=True)

    assert dialogs == []
