"""Issue 20's whole journey, on a 360-pixel phone and on a desktop, through the real pages only:

- a member of a verified employer writes a home care vacancy with unpaid travel between
  visits, sees the effective hourly rate, is refused while it is below the National Living
  Wage, puts the pay right, adds a yes/no question and publishes;
- a registered worker with a training passport finds it on /jobs/ by postcode district and
  distance, opens it and applies in three screens, answering the question and sharing the
  outcomes of her identity checks;
- the employer sees her verified on the pipeline, shortlists her, adds interview times and
  invites her; she books a time herself; the employer makes an offer; the checklist opens with
  what the register verified filled in, with who checked it and when; the employer records the
  rest and hires her, and she is on the staff list;
- the worker's own page shows every stage the application went through.

Only the people, the register's checks, the passport and the places are made beforehand.
axe-core checks every page visited, and on the phone every page fits the screen.
"""

import datetime
import re

import pytest
from django.utils import timezone

from jobs.models import Application, InterviewSlot, Place, Vacancy
from tests.e2e.accessibility import assert_fits_width, assert_no_axe_violations
from tests.e2e.conftest import sign_in
from tests.e2e.dates import type_date
from tests.factories import (
    OrganisationFactory,
    PathwayRoleFactory,
    TrainingRecordFactory,
    VacancyFactory,
    place_make,
    places_leeds,
    register_checks_passed,
)

PHONE_WIDTH = 360
YORK = (53.9576, -1.0827)  # 22 miles from LS1: outside a 10-mile search
QUESTION = "Do you have a driving licence and a car for work?"


def _checked(page, phone: bool) -> None:
    assert_no_axe_violations(page)
    if phone:
        assert_fits_width(page, PHONE_WIDTH)


def _choose(page, question: str, answer: str) -> None:
    page.get_by_role("group", name=question).get_by_label(answer, exact=True).check()


def _heading(page, name: str) -> None:
    page.get_by_role("heading", name=name, exact=True).wait_for()


def _write_the_vacancy(page, *, pay: str) -> None:
    """Every term of a home care round in north Leeds, with 15 minutes of unpaid travel for
    every paid hour."""
    page.get_by_label("Job title").fill("Home care worker, Leeds North")
    page.get_by_label("Care Workforce Pathway role category").select_option(
        label="Care or support worker"
    )
    _choose(page, "Setting", "Home care")
    page.get_by_label("Name of the workplace").fill("Leeds North rounds")
    page.get_by_label("Address").fill("2 Park Row")
    page.get_by_label("Town or city").fill("Leeds")
    page.get_by_label("Postcode").fill("ls1 5ab")
    _choose(page, "How is the pay given?", "An hourly rate")
    page.get_by_label("Pay, in pounds", exact=True).fill(pay)
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


def _move(page, *, to: str, stage: str) -> None:
    page.get_by_role("group", name="What happens next?").get_by_label(to, exact=True).check()
    page.get_by_role("button", name="Move and tell the applicant").click()
    page.get_by_text(f"Wendy Worker is now at “{stage}”").wait_for()


def _record_done(page, item: str, *, phone: bool) -> None:
    page.get_by_role("link", name=f"Record {item}", exact=True).click()
    page.get_by_label("Done", exact=True).check()
    page.get_by_label("If it is done: who checked it?").fill("Mo Member")
    type_date(page, "If it is done: the date it was checked", timezone.localdate())
    _checked(page, phone)
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(re.compile(r"/checks/$"))


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("phone", [True, False], ids=["phone", "desktop"])
def test_a_vacancy_goes_from_posting_to_a_hire_and_the_worker_sees_every_stage(
    new_page,
    phone,
    employer_member,
    employer_organisation,
    worker,
    entry_in_own_role,
    standard,
    registrar,
):
    # Set up: the places search reads, another employer's job too far away to be found, and
    # Wendy on the register with her checks passed and training verified.
    places_leeds()
    place_make(Place.Kind.TOWN, "york", "York", *YORK, "England")
    VacancyFactory(
        status=Vacancy.Status.PUBLISHED,
        organisation=OrganisationFactory(name="Minster Care"),
        title="Home care worker, York",
        home_care=True,
        latitude=YORK[0],
        longitude=YORK[1],
    )
    PathwayRoleFactory(code="care-worker", title="Care or support worker")
    entry = entry_in_own_role
    register_checks_passed(entry, registrar=registrar)
    TrainingRecordFactory(entry=entry, standard=standard)

    # 1. The employer writes the vacancy; the preview shows the effective rate and refuses it.
    boss = new_page("employer", phone=phone)
    sign_in(boss, employer_member)
    boss.goto(f"/organisations/{employer_organisation.pk}/")
    boss.get_by_role("link", name="Vacancies", exact=True).click()
    _heading(boss, "Vacancies")
    _checked(boss, phone)
    boss.get_by_role("link", name="Write a new vacancy").click()
    _heading(boss, "Write a new vacancy")
    _checked(boss, phone)
    _write_the_vacancy(boss, pay="14.00")
    boss.get_by_role("button", name="Save and check the advert").click()

    # 14.00 × 60 / 75 = 11.20 an hour once the 15 unpaid minutes are counted.
    _heading(boss, "Check the advert")
    assert (
        "£14.00 an hour paid, about £11.20 an hour once unpaid travel between visits is counted"
        in boss.locator("#term-pay").inner_text()
    )
    refusal = boss.get_by_role("alert")
    assert "You cannot publish this vacancy yet" in refusal.inner_text()
    assert "the effective hourly rate is £11.20, below the National Living Wage" in (
        refusal.inner_text()
    )
    assert boss.get_by_role("button", name="Publish the vacancy").count() == 0
    vacancy = Vacancy.objects.get(organisation=employer_organisation)
    assert vacancy.status == Vacancy.Status.DRAFT
    _checked(boss, phone)

    refusal.get_by_role("link").click()
    _heading(boss, "Change the vacancy")
    _checked(boss, phone)
    boss.get_by_label("Pay, in pounds", exact=True).fill("16.00")
    boss.get_by_role("button", name="Save and check the advert").click()
    _heading(boss, "Check the advert")
    assert "about £12.80 an hour once unpaid travel" in boss.locator("#term-pay").inner_text()
    assert boss.get_by_role("alert").count() == 0

    # A yes/no question for applicants, then publish.
    boss.get_by_role("link", name="Add questions for applicants").click()
    _heading(boss, "Questions for applicants")
    _checked(boss, phone)
    boss.get_by_label("Question 1", exact=True).fill(QUESTION)
    boss.get_by_role("button", name="Save the questions").click()
    _heading(boss, "Check the advert")
    assert QUESTION in boss.locator("#advert").inner_text()
    _checked(boss, phone)
    boss.get_by_role("button", name="Publish the vacancy").click()
    _heading(boss, "Home care worker, Leeds North")
    assert "Your vacancy is published" in boss.get_by_role("status").inner_text()
    _checked(boss, phone)
    vacancy.refresh_from_db()
    assert vacancy.status == Vacancy.Status.PUBLISHED

    # 2. Wendy finds it within 10 miles of LS1 (York's is 22 miles off), and applies.
    wendy = new_page("worker", phone=phone)
    sign_in(wendy, worker)
    wendy.goto("/jobs/")
    _heading(wendy, "Find a job in care")
    _checked(wendy, phone)
    wendy.get_by_label("Postcode or town").fill("LS1")
    wendy.get_by_label("Distance").select_option("10")
    wendy.get_by_role("button", name="Search").click()
    _heading(wendy, "1 job within 10 miles of LS1")
    result = wendy.locator(".card").first
    assert "Home care worker, Leeds North" in result.inner_text()
    assert "£12.80 an hour, counting unpaid travel" in result.inner_text()
    _checked(wendy, phone)
    wendy.get_by_role("link", name="Home care worker, Leeds North", exact=True).click()
    _heading(wendy, "Home care worker, Leeds North")
    assert "about £12.80 an hour once unpaid travel" in wendy.locator("#term-pay").inner_text()
    _checked(wendy, phone)
    wendy.get_by_role("link", name="Apply", exact=True).click()

    # Screen 1 of 3.
    _heading(wendy, "Apply for Home care worker, Leeds North")
    assert "Step 1 of 3" in wendy.locator("main").inner_text()
    _checked(wendy, phone)
    wendy.get_by_label("Supporting statement").fill(
        "I visited my neighbours every day for two years, and I want to make care my job."
    )
    wendy.get_by_label("When are you available?").fill("Any weekday from next month.")
    wendy.get_by_role("button", name="Continue").click()
    # Screen 2 of 3: the employer's question, and the identity checks shared.
    wendy.wait_for_url(re.compile(r"/apply/questions/$"))
    assert "Step 2 of 3" in wendy.locator("main").inner_text()
    _checked(wendy, phone)
    _choose(wendy, QUESTION, "Yes")
    _choose(wendy, "Include the outcomes of your identity checks for Sunrise Care Homes?", "Yes")
    wendy.get_by_role("button", name="Continue").click()
    # Screen 3 of 3.
    wendy.wait_for_url(re.compile(r"/apply/check/$"))
    assert "Step 3 of 3" in wendy.locator("main").inner_text()
    assert "with the outcomes of your identity checks" in wendy.locator("main").inner_text()
    _checked(wendy, phone)
    wendy.get_by_role("button", name="Send").click()
    wendy.wait_for_url(re.compile(r"/my-applications/[A-Z0-9]+/$"))
    assert wendy.locator("#stage strong").text_content() == "Received"
    _checked(wendy, phone)
    application = Application.objects.get(vacancy=vacancy)
    assert application.entry == entry and application.shares_identity_checks

    # 3. The employer sees her verified on the pipeline and shortlists her.
    boss.goto(f"/organisations/{employer_organisation.pk}/vacancies/")
    _heading(boss, "Vacancies")
    boss.get_by_role(
        "link", name="1 application for Home care worker, Leeds North", exact=True
    ).click()
    _heading(boss, "Applicants for Home care worker, Leeds North")
    row = boss.get_by_role("row").nth(1).inner_text()
    assert "Registered" in row and entry.registration_number in row
    assert "Training: 1 valid" in row and "Identity checks shared" in row
    assert f"{QUESTION} Yes" in row
    _checked(boss, phone)
    boss.get_by_role("link", name="Wendy Worker", exact=True).click()
    _heading(boss, "Wendy Worker")
    assert "Moving and handling" in boss.locator("main").inner_text()
    assert "Photo identity document" in boss.locator("main").inner_text()
    _checked(boss, phone)
    _move(boss, to="Shortlist", stage="Shortlisted")
    _checked(boss, phone)

    # Two interview times, then the invitation.
    boss.get_by_role("link", name="add interview times").click()
    _heading(boss, "Interview times for Home care worker, Leeds North")
    _checked(boss, phone)
    day = timezone.localdate() + datetime.timedelta(days=4)
    for hour, how in (("10:00", "In person"), ("14:00", "By phone")):
        type_date(
            boss, "When does the interview start?", f"{day.day} {day.month} {day.year} {hour}"
        )
        boss.get_by_role("radio", name=how).check()
        if how == "In person":
            boss.get_by_label("Where, or how to join").fill("Leeds North office, 2 Park Row")
        boss.get_by_role("button", name="Add this time").click()
        boss.get_by_text("Interview time added").wait_for()
    assert InterviewSlot.objects.filter(vacancy=vacancy).count() == 2
    _checked(boss, phone)
    boss.get_by_role(
        "link", name="Back to the applicants for Home care worker, Leeds North"
    ).click()
    boss.get_by_role("link", name="Wendy Worker", exact=True).click()
    _heading(boss, "Wendy Worker")
    _move(boss, to="Invite to an interview", stage="Interview")

    # 4. Wendy books the phone interview from her application's page.
    wendy.reload()
    assert wendy.locator("#stage strong").text_content() == "Interview"
    _checked(wendy, phone)
    wendy.get_by_role("link", name="Choose your interview time").click()
    _heading(wendy, "Your interview for Home care worker, Leeds North")
    _checked(wendy, phone)
    wendy.get_by_label(re.compile(r"14:00 on .*by phone")).check()
    wendy.get_by_role("button", name="Book this time").click()
    wendy.get_by_text("Your interview is booked for 14:00").wait_for()
    _checked(wendy, phone)

    # 5. The employer sees the booking and makes the offer.
    boss.reload()
    _heading(boss, "Wendy Worker")
    assert "Booked for" in boss.locator("main").inner_text()
    _move(boss, to="Make an offer", stage="Offer")
    _checked(boss, phone)

    # 6. The checklist: what the register verified is filled in, with who checked it and when.
    boss.get_by_role("link", name="Pre-employment checks for Wendy Worker").click()
    boss.wait_for_url(re.compile(r"/checks/$"))
    identity = boss.locator("#check-identity").inner_text()
    assert "From the register" in identity and "Done" in identity
    assert "Rita Registrar, registrar, Care Register" in identity
    assert re.search(r"\d{1,2} [A-Z][a-z]+ \d{4}", identity), identity
    assert "Rita Registrar" in boss.locator("#check-dbs").inner_text()
    assert "3 of 7 checks still to do" in boss.locator("main").inner_text()
    _checked(boss, phone)
    _record_done(boss, "health declaration", phone=phone)
    _record_done(boss, "right to work in the uk", phone=phone)
    _record_done(boss, "full employment history, with gaps explained", phone=phone)
    assert "Every check is finished" in boss.locator("main").inner_text()
    _checked(boss, phone)
    boss.get_by_role("button", name="Hire Wendy Worker").click()
    boss.wait_for_url(re.compile(r"/checks/$"))
    assert "Wendy Worker is now on your staff list." in (
        boss.locator("#staff-list-outcome").inner_text()
    )
    _checked(boss, phone)
    boss.goto(f"/employer/{employer_organisation.pk}/staff/")
    assert entry.registration_number in boss.locator("table").inner_text()
    _checked(boss, phone)

    # 7. Wendy's page shows every stage her application went through, oldest first.
    wendy.goto(f"/my-applications/{application.reference}/")
    assert wendy.locator("#stage strong").text_content() == "Hired"
    timeline = [
        item.split(" – ")[0].strip()
        for item in wendy.locator("#timeline li > strong").all_inner_texts()
    ]
    assert timeline == ["Received", "Shortlisted", "Interview", "Offer", "Checks", "Hired"]
    _checked(wendy, phone)
    wendy.get_by_role("link", name="Back to your applications").click()
    wendy.wait_for_url(re.compile(r"/my-applications/$"))
    row = wendy.get_by_role("row").nth(1).inner_text()
    assert "Home care worker, Leeds North" in row and "Hired" in row
    _checked(wendy, phone)
