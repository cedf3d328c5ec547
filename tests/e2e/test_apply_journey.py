"""Applying for a job in three screens, on a 360-pixel phone and on a desktop: a registered
worker with a training passport answers the employer's questions, chooses what she shares,
checks and sends, and sees the application on /my-applications/ as received; a person not on
the register applies too and is told the employer sees them as not verified. axe-core checks
every page, and on the phone every page fits the screen."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from jobs.models import Application, Vacancy
from tests.e2e.accessibility import assert_accessible, assert_fits_width
from tests.e2e.conftest import sign_in
from tests.factories import ScreeningQuestionFactory, TrainingRecordFactory, VacancyFactory

SCREENS = [pytest.param(True, id="phone"), pytest.param(False, id="desktop")]


def _checked(page, phone: bool) -> None:
    assert_accessible(page)
    if phone:
        assert_fits_width(page, 360)


def _vacancy(employer, organisation) -> Vacancy:
    vacancy = VacancyFactory(
        organisation=organisation,
        created_by=employer,
        status=Vacancy.Status.PUBLISHED,
        title="Night care assistant",
    )
    ScreeningQuestionFactory(
        vacancy=vacancy, position=1, text="Do you have a driving licence and a car for work?"
    )
    ScreeningQuestionFactory(vacancy=vacancy, position=2, text="Can you work nights?")
    return vacancy


def _answer(page, question: str, answer: str) -> None:
    page.get_by_role("group", name=question).get_by_label(answer, exact=True).check()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("phone", SCREENS)
def test_a_registered_worker_applies_in_three_screens_and_sees_it_received(
    new_page, phone, worker, entry, standard, employer, employer_organisation
):
    TrainingRecordFactory(
        entry=entry, standard=standard, completed_on=timezone.localdate() - timedelta(days=30)
    )
    vacancy = _vacancy(employer, employer_organisation)
    page = new_page("worker", phone=phone)
    sign_in(page, worker)

    # Screen 1: the statement, counted against its limit; availability and phone.
    page.goto(reverse("jobs:apply", args=[vacancy.reference]))
    assert page.get_by_role("heading", level=1).inner_text() == "Apply for Night care assistant"
    assert "Step 1 of 3" in page.content()
    _checked(page, phone)
    page.get_by_label("Supporting statement").fill("care " * 501)
    page.get_by_label("When are you available?").fill("Any night from 1 March.")
    page.get_by_role("button", name="Continue").click()
    summary = page.get_by_role("alert")
    summary.wait_for()
    assert "Your supporting statement is 501 words" in summary.inner_text()
    _checked(page, phone)
    page.get_by_label("Supporting statement").fill(
        "I cared for my grandmother for three years, and I want to make care my job."
    )
    page.get_by_label("Phone number (optional)").fill("07700 900123")
    page.get_by_role("button", name="Continue").click()

    # Screen 2: the employer's questions, and what is shared.
    page.wait_for_url(re.compile(r"/apply/questions/$"))
    assert "Step 2 of 3" in page.content()
    assert (
        "Applying shares your live register status and training passport with Sunrise Care "
        "Homes for this application only." in page.locator("main").inner_text()
    )
    _checked(page, phone)
    _answer(page, "Do you have a driving licence and a car for work?", "No")
    _answer(page, "Can you work nights?", "Yes")
    _answer(page, "Include the outcomes of your identity checks for Sunrise Care Homes?", "Yes")
    page.get_by_role("button", name="Continue").click()

    # Screen 3: check, save the details for next time, and send.
    page.wait_for_url(re.compile(r"/apply/check/$"))
    main = page.locator("main").inner_text()
    assert "Step 3 of 3" in main
    assert "Supporting statement (16 words of 500)" in main
    assert "with the outcomes of your identity checks" in main
    _checked(page, phone)
    page.get_by_label(
        "Save my statement, availability and phone number for my next application"
    ).check()
    page.get_by_role("button", name="Send").click()

    page.wait_for_url(re.compile(r"/my-applications/[A-Z0-9]+/$"))
    main = page.locator("main").inner_text()
    assert "Your application has been sent to Sunrise Care Homes." in main
    # The stage is a tag, shown in capitals: its text is as written.
    assert page.locator("#stage strong").text_content() == "Received"
    assert "The employer has your application and will read it." in main
    _checked(page, phone)
    application = Application.objects.get()
    assert application.share.shares_identity_checks

    page.get_by_role("link", name="Back to your applications").click()
    page.wait_for_url(re.compile(r"/my-applications/$"))
    row = page.get_by_role("row").nth(1).text_content()
    assert "Night care assistant" in row and "Sunrise Care Homes" in row and "Received" in row
    _checked(page, phone)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("phone", SCREENS)
def test_someone_not_on_the_register_applies_and_is_told_they_show_as_not_verified(
    new_page, phone, outsider, employer, employer_organisation
):
    vacancy = _vacancy(employer, employer_organisation)
    page = new_page("applicant", phone=phone)
    sign_in(page, outsider)

    page.goto(reverse("jobs:apply", args=[vacancy.reference]))
    page.get_by_label("Supporting statement").fill("I am kind and patient.")
    page.get_by_label("When are you available?").fill("Weekdays.")
    page.get_by_role("button", name="Continue").click()

    page.wait_for_url(re.compile(r"/apply/questions/$"))
    main = page.locator("main").inner_text()
    assert "Sunrise Care Homes will see you as not verified" in main
    assert page.get_by_role("link", name="Join the register").is_visible()
    _checked(page, phone)
    # A question left out is named, and nothing moves on.
    _answer(page, "Can you work nights?", "Yes")
    page.get_by_role("button", name="Continue").click()
    summary = page.get_by_role("alert")
    summary.wait_for()
    assert (
        "Answer yes or no: Do you have a driving licence and a car for work?"
        in summary.inner_text()
    )
    _checked(page, phone)
    _answer(page, "Do you have a driving licence and a car for work?", "Yes")
    page.get_by_role("button", name="Continue").click()

    page.wait_for_url(re.compile(r"/apply/check/$"))
    assert "will see you as not verified" in page.locator("main").inner_text()
    _checked(page, phone)
    page.get_by_role("button", name="Send").click()

    page.wait_for_url(re.compile(r"/my-applications/[A-Z0-9]+/$"))
    main = page.locator("main").inner_text()
    assert page.locator("#stage strong").text_content() == "Received"
    assert "sees you as not verified" in main
    _checked(page, phone)
    assert Application.objects.get().entry is None
