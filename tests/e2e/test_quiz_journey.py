"""The quizzes at /careers/, on a 360-pixel phone: a would-be care worker takes both quizzes
without signing in, one question a page, reading the reflection after each answer, and sees
strengths to talk about at interview, never a score. Then she signs in, saves the result,
and shares two reflections with her application; the employer sees "completed" and those
two, and nothing once she stops sharing. axe-core checks every kind of page."""

import re

import pytest
from django.urls import reverse

from careers.models import QuizCompletion, QuizResult
from demo.careers_quizzes import IS_CARE_FOR_ME, WHAT_WOULD_YOU_DO, seed_demo_quizzes
from jobs.models import Vacancy
from tests.e2e.accessibility import assert_accessible, assert_fits_width
from tests.e2e.conftest import sign_in
from tests.factories import JobApplicationFactory, VacancyFactory


def _checked(page) -> None:
    assert_accessible(page)
    assert_fits_width(page, 360)


def _take(page, slug: str, content: dict, *, check_pages: bool) -> None:
    page.goto(reverse("careers:quiz-start", args=[slug]))
    if check_pages:
        _checked(page)
    page.get_by_role("link", name="Start").click()
    last = len(content["questions"])
    for number, question in enumerate(content["questions"], start=1):
        page.wait_for_url(re.compile(rf"/{slug}/{number}/$"))
        if check_pages and number == 1:
            # Sending without a choice says what to do, next to the question.
            page.get_by_role("button", name="Continue").click()
            page.get_by_role("alert").wait_for()
            _checked(page)
        # The first option, chosen by keyboard: the radios are a plain fieldset.
        page.get_by_label(question["options"][0]["text"], exact=True).focus()
        page.keyboard.press("Space")
        page.get_by_role("button", name="Continue").click()
        page.wait_for_url(re.compile(rf"/{slug}/{number}/reflection/$"))
        assert question["options"][0]["feedback"] in page.content()
        if check_pages and number == 1:
            _checked(page)
        page.get_by_role(
            "link", name="See your reflections" if number == last else "Next question"
        ).click()
    page.wait_for_url(re.compile(rf"/{slug}/result/$"))


@pytest.mark.django_db(transaction=True)
def test_a_would_be_care_worker_takes_both_quizzes_then_saves_and_shares_reflections(
    new_page, association, association_admin, worker, employer, employer_organisation
):
    seed_demo_quizzes(association, association_admin)
    vacancy = VacancyFactory(
        organisation=employer_organisation, created_by=employer, status=Vacancy.Status.PUBLISHED
    )
    application = JobApplicationFactory(vacancy=vacancy, applicant=worker)
    page = new_page("would-be care worker", phone=True)

    page.goto(reverse("careers:quizzes"))
    _checked(page)
    _take(page, "is-care-for-me", IS_CARE_FOR_ME, check_pages=True)
    _checked(page)
    assert "score" not in page.locator("main").inner_text().lower().replace("no score", "")
    page.get_by_role("link", name="Try the other quiz").click()
    page.get_by_role("link", name="What would you do?").click()
    _take(page, "what-would-you-do", WHAT_WOULD_YOU_DO, check_pages=False)
    main = page.locator("main").inner_text()
    assert "Strengths to talk about at interview" in main
    assert "Respect" in main and "Talk about a time you spoke up" in main
    _checked(page)
    assert QuizCompletion.objects.count() == 2 and not QuizResult.objects.exists()

    # Signing in keeps the answers; saving puts them in her account.
    sign_in(page, worker)
    page.goto(reverse("careers:quiz-result", args=["what-would-you-do"]))
    page.get_by_role("button", name="Save to your account").click()
    page.wait_for_url(re.compile(r"/careers/my-quiz-results/\d+/$"))
    assert "is saved to your account" in page.content()
    _checked(page)

    page.get_by_role("link", name="Share reflections with an employer you applied to").click()
    _checked(page)
    page.get_by_label(re.compile(application.reference)).check()
    page.get_by_label(re.compile(r"Joan wants to walk to the shop")).check()
    page.get_by_label(re.compile(r"You see a colleague speak roughly")).check()
    page.get_by_role("button", name="Share these reflections").click()
    page.wait_for_url(re.compile(r"/careers/my-quiz-results/\d+/$"))
    assert "can now see that you completed the quiz" in page.content()
    _checked(page)

    employer_page = new_page("employer", phone=True)
    sign_in(employer_page, employer)
    applicant_url = reverse(
        "jobs:pipeline-applicant",
        kwargs={"reference": vacancy.reference, "application": application.reference},
    )
    employer_page.goto(applicant_url)
    section = employer_page.locator("section", has=employer_page.locator("#quiz-reflections"))
    text = section.inner_text()
    assert "What would you do?: completed" in text
    assert "Talk with her about how to make the walk safer" in text
    assert "Tell my manager what I saw" in text
    assert "Gently remind him" not in text
    assert not re.search(r"\d", text)  # never a number
    _checked(employer_page)

    page.get_by_role("button", name=re.compile("Stop sharing with")).click()
    page.wait_for_url(re.compile(r"/careers/my-quiz-results/\d+/$"))
    employer_page.goto(applicant_url)
    assert employer_page.locator("#quiz-reflections").count() == 0
