"""On a 360-pixel phone: a person asks an employer about a job, the employer answers and closes
the conversation; someone saves a search as a job alert, confirms it by the emailed link, gets a
digest and unsubscribes by the email's link. axe-core checks each page, and nothing scrolls
sideways."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from jobs.models import JobAlert, QuestionThread, Vacancy
from jobs.services import alerts
from tests.e2e.accessibility import assert_accessible, assert_fits_width
from tests.e2e.conftest import sign_in
from tests.factories import VacancyFactory

PHONE = 360


def _checked(page) -> None:
    assert_accessible(page)
    assert_fits_width(page, PHONE)


def _link_in(body: str, path: str) -> str:
    return re.search(rf"https?://\S+{path}\S+/", body).group(0)


@pytest.mark.django_db(transaction=True)
def test_a_person_asks_a_question_and_the_employer_answers_and_closes_it(
    new_page, worker, employer, employer_organisation
):
    vacancy = VacancyFactory(
        organisation=employer_organisation,
        created_by=employer,
        status=Vacancy.Status.PUBLISHED,
        title="Home carer",
    )
    asker = new_page("asker", phone=True)
    sign_in(asker, worker)
    asker.goto(f"/jobs/{vacancy.reference}/questions/new/")
    asker.get_by_role("heading", name=f"Ask {employer_organisation.name} a question").wait_for()
    _checked(asker)

    asker.get_by_role("button", name="Send the question").click()
    assert "Write your message." in asker.get_by_role("alert").inner_text()
    _checked(asker)
    asker.get_by_label("Your question").fill("Are the rounds in walking distance of each other?")
    asker.get_by_role("button", name="Send the question").click()
    asker.get_by_role("heading", name="Question about Home carer").wait_for()
    assert "walking distance" in asker.content()
    _checked(asker)
    thread = QuestionThread.objects.get()
    told = [m for m in mail.outbox if m.to == [employer.email]]
    assert told and "walking distance" not in told[-1].body
    thread_url = _link_in(told[-1].body, "/questions/")

    answerer = new_page("employer", phone=True)
    sign_in(answerer, employer)
    answerer.goto(f"/employer/{employer_organisation.pk}/questions/")
    assert "1 waiting for an answer" in answerer.content()
    _checked(answerer)
    answerer.goto(thread_url)
    answerer.get_by_label("Your reply").fill("Yes: the Headingley round is all on foot.")
    answerer.get_by_role("button", name="Send the reply").click()
    answerer.get_by_text("Your message was sent.").wait_for()
    _checked(answerer)
    answerer.get_by_role("button", name="Close the conversation").click()
    answerer.get_by_text("This conversation is closed by you").wait_for()
    _checked(answerer)
    thread.refresh_from_db()
    assert thread.status == QuestionThread.Status.CLOSED

    asker.goto("/my-questions/")
    _checked(asker)
    asker.get_by_role("link", name="Home carer").click()
    assert "Headingley round is all on foot" in asker.content()
    assert "closed by " + employer_organisation.name in asker.content()
    assert asker.get_by_role("button", name="Send the reply").count() == 0
    _checked(asker)


@pytest.mark.django_db(transaction=True)
def test_a_person_saves_a_search_as_an_alert_and_unsubscribes_by_the_email_s_link(
    phone_page, settings
):
    settings.JOB_ALERTS_HOUR = 0
    # Advertised before the alert: never in its digests. (The factory also loads Leeds.)
    VacancyFactory(
        status=Vacancy.Status.PUBLISHED,
        title="Day carer",
        published_at=timezone.now() - timedelta(days=2),
    )
    page = phone_page
    page.goto("/jobs/alerts/new/?where=LS1&miles=10&keyword=carer")
    page.get_by_role("heading", name="Get emails about new jobs").wait_for()
    assert "within 10 miles of LS1" in page.content()
    _checked(page)

    page.get_by_role("button", name="Save the job alert").click()
    assert "Choose how often" in page.get_by_role("alert").inner_text()
    _checked(page)
    page.get_by_label("Every day, when there are new jobs").check()
    page.get_by_label("Email address").fill("jobseeker@example.org")
    page.get_by_role("button", name="Save the job alert").click()
    page.get_by_role("heading", name="Check your email").wait_for()
    _checked(page)

    confirm_link = _link_in(mail.outbox[-1].body, "/jobs/alerts/confirm/")
    page.goto(confirm_link)
    _checked(page)
    page.get_by_role("button", name="Confirm the job alert").click()
    page.get_by_role("heading", name="Your job alert is set up").wait_for()
    _checked(page)

    # A day later, a new job near LS1 is advertised and the morning's digest goes out.
    alert = JobAlert.objects.get()
    yesterday = timezone.now() - timedelta(days=1)
    JobAlert.objects.filter(pk=alert.pk).update(confirmed_at=yesterday, covered_until=yesterday)
    VacancyFactory(
        status=Vacancy.Status.PUBLISHED,
        title="Night carer",
        published_at=timezone.now() - timedelta(hours=1),
    )
    assert alerts.job_alerts_send().sent == 1
    digest = mail.outbox[-1]
    assert "Night carer" in digest.body and "Day carer" not in digest.body
    header = digest.message()["List-Unsubscribe"]
    assert digest.message()["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    page.goto(header.strip("<>"))
    page.get_by_role("heading", name="Unsubscribe from this job alert").wait_for()
    _checked(page)
    page.get_by_role("button", name="Unsubscribe").click()
    page.get_by_role("heading", name="You have unsubscribed").wait_for()
    _checked(page)
    alert.refresh_from_db()
    assert alert.status == JobAlert.Status.STOPPED
