"""A paid job trial, end to end in a real browser on a 360-pixel phone (issue 21, "Must show"):
Pat, who is not on the register and so has no barred-list check anywhere, is offered a
supervised working trial and the service refuses it, in words, on the employer's page; the
employer offers an observation session instead; Pat accepts it; the day comes, the employer
records the hours worked, and Pat confirms the hours, then the payment. The employer then
gives private feedback naming the Care Workforce Pathway's values, which Pat reads. axe-core
checks every page, and every page fits the screen."""

import datetime
import re
from datetime import timedelta

import pytest
from django.utils import timezone

from jobs.models import Application, JobTrial, TrialPay, Vacancy
from tests.e2e.accessibility import assert_fits_width, assert_no_axe_violations
from tests.e2e.conftest import sign_in
from tests.e2e.dates import type_date
from tests.factories import JobApplicationFactory, UserFactory, VacancyFactory

Stage = Application.Stage


def _checked(page) -> None:
    assert_no_axe_violations(page)
    assert_fits_width(page, 360)


def _notice(page) -> str:
    notice = page.get_by_role("status")
    notice.wait_for()
    return notice.inner_text()


def _offer(page, *, kind: str, starts_at: datetime.datetime, hours: str) -> None:
    """Fill in the offer form as the employer would, and send it."""
    page.get_by_label(kind).check()
    type_date(page, "When does it start?", starts_at)
    page.get_by_label("How long is it, in hours, including induction?").fill(hours)
    page.get_by_label("Minutes of induction at the start (paid)").fill("30")
    page.get_by_label("Hourly rate, in pounds").fill("13.50")
    page.get_by_label("Hours you pay if you cancel within 24 hours").fill("2")
    page.get_by_label("Who will supervise them?").fill("Sue Senior")
    page.get_by_label("What will they do?").fill(
        "Join the morning team: meet residents and help serve breakfast."
    )
    page.get_by_label("What should they bring?").fill("Flat shoes and your lunch.")
    page.get_by_label("Parking, or the nearest bus stop").fill(
        "Free parking behind the house; the 42 bus stops outside."
    )
    page.get_by_role("button", name="Offer the trial").click()


@pytest.mark.django_db(transaction=True)
def test_a_supervised_trial_is_refused_then_an_observation_session_is_worked_and_paid(
    new_page, employer, employer_organisation, clock
):
    vacancy = VacancyFactory(
        organisation=employer_organisation,
        created_by=employer,
        status=Vacancy.Status.PUBLISHED,
        title="Care assistant",
    )
    pat = UserFactory(email="pat@example.org", full_name="Pat Newcomer")
    application = JobApplicationFactory(vacancy=vacancy, applicant=pat)
    assert application.entry is None
    day = timezone.localdate() + timedelta(days=3)
    starts_at = timezone.make_aware(datetime.datetime(day.year, day.month, day.day, 10, 0))

    # The employer opens Pat's application and offers a supervised working trial.
    boss = new_page("employer", phone=True)
    sign_in(boss, employer)
    boss.goto(f"/vacancies/{vacancy.reference}/applicants/{application.reference}/")
    boss.get_by_role("link", name="Offer a paid job trial to Pat Newcomer").click()
    boss.wait_for_url(re.compile(r"/trial/offer/$"))
    assert boss.get_by_role("heading", level=1).inner_text() == (
        "Offer a paid job trial to Pat Newcomer"
    )
    main = boss.locator("main").inner_text()
    assert (
        "The register has no passed checks of both right to work and the adults' barred list"
        in (main)
    )
    _checked(boss)
    _offer(
        boss,
        kind="Supervised working trial (includes personal care)",
        starts_at=starts_at,
        hours="6",
    )

    # The service refuses it, and says why in words; nothing is offered.
    summary = boss.get_by_role("alert")
    summary.wait_for()
    refusal = summary.inner_text()
    assert "A supervised working trial includes personal care, which is regulated activity" in (
        refusal
    )
    assert "an adults' barred-list check" in refusal
    assert "offer an observation session instead" in refusal
    assert boss.title().startswith("Error: ")
    _checked(boss)
    assert not JobTrial.objects.exists()
    application.refresh_from_db()
    assert application.stage == Stage.RECEIVED

    # An observation session instead: no personal care, three hours.
    _offer(boss, kind="Observation session (no personal care)", starts_at=starts_at, hours="3")
    boss.wait_for_url(re.compile(rf"/employer/job-applications/{application.reference}/trial/$"))
    assert "Trial offered. We have emailed the candidate the offer." in _notice(boss)
    main = boss.locator("main").inner_text()
    assert "Observation session (no personal care)" in main
    assert "£13.50 an hour for every hour, including induction: £40.50 in all" in main
    assert "you are still paid for 2 hours: £27.00" in main
    _checked(boss)
    trial = JobTrial.objects.get()
    assert (trial.kind, trial.status) == (JobTrial.Kind.OBSERVATION, JobTrial.Status.OFFERED)
    application.refresh_from_db()
    assert application.stage == Stage.TRIAL_OFFERED

    # Pat reads the offer from her application and accepts it.
    candidate = new_page("candidate", phone=True)
    sign_in(candidate, pat)
    candidate.goto(f"/my-applications/{application.reference}/")
    candidate.get_by_role("link", name="Your paid job trial").click()
    candidate.wait_for_url(re.compile(r"/trial/$"))
    main = candidate.locator("main").inner_text()
    assert "Sue Senior" in main and "Flat shoes and your lunch." in main
    assert "Cancelled within 24 hours of the start, you are still paid for 2 hours" in main
    _checked(candidate)
    candidate.get_by_label("Accept the trial").check()
    candidate.get_by_role("button", name="Send your answer").click()
    assert "You accepted the trial." in _notice(candidate)
    _checked(candidate)
    trial.refresh_from_db()
    assert trial.status == JobTrial.Status.ACCEPTED

    # The day comes and the trial is worked: the employer records the hours.
    clock.set(starts_at + timedelta(hours=4))
    boss.reload()
    boss.get_by_role("heading", name="Record the hours worked").wait_for()
    _checked(boss)
    assert boss.get_by_label("Hours worked, including induction").input_value() == "3.00"
    boss.get_by_role("button", name="Record the hours").click()
    assert "Hours recorded, and the pay with its date due." in _notice(boss)
    pay = TrialPay.objects.get()
    assert pay.amount == trial.hourly_rate * 3
    assert boss.locator("#pay + dl").inner_text().count("Not yet") == 2
    _checked(boss)

    # Pat confirms the hours, then the payment.
    candidate.reload()
    assert "£40.50" in candidate.locator("main").inner_text()
    _checked(candidate)
    candidate.get_by_role("button", name="These hours are right").click()
    assert "You confirmed the hours." in _notice(candidate)
    _checked(candidate)
    candidate.get_by_role("button", name="I have been paid £40.50").click()
    assert "You confirmed you were paid." in _notice(candidate)
    _checked(candidate)
    pay.refresh_from_db()
    assert pay.hours_confirmed_at is not None and pay.paid_confirmed_at is not None

    # The employer sees both confirmed, and gives private feedback naming the values seen.
    boss.reload()
    assert boss.locator("#pay + dl").inner_text().count("Yes, ") == 2
    boss.get_by_label("See the whole person").check()
    boss.get_by_label("Your feedback").fill("You asked Mrs Khan how she likes her tea.")
    boss.get_by_role("button", name="Send your feedback").click()
    assert "Your feedback is saved. Only the two of you read it." in _notice(boss)
    _checked(boss)

    candidate.reload()
    main = candidate.locator("main").inner_text()
    assert "Values they saw: See the whole person." in main
    assert "You asked Mrs Khan how she likes her tea." in main
    _checked(candidate)
