"""The employer's pipeline, end to end, on a 360-pixel phone and on a desktop: the employer sees
three applicants (one suspended, which the page says plainly), shortlists Wendy, adds interview
times and invites her; Wendy books a time from the emailed link; the employer makes her an
offer, then does not progress the other two at once with one message. Each applicant is told
their stage by email. axe-core checks every page, and every page fits the screen."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from jobs.models import Application, InterviewSlot, ScreeningAnswer, ScreeningQuestion, Vacancy
from register.models import RegisterEntry
from tests.e2e.accessibility import assert_fits_width, assert_no_axe_violations
from tests.e2e.conftest import sign_in
from tests.e2e.dates import type_date
from tests.factories import (
    JobApplicationFactory,
    PathwayRoleFactory,
    RegisterEntryFactory,
    TrainingRecordFactory,
    TrainingStandardFactory,
    UserFactory,
    VacancyFactory,
    job_application_share,
)

BOOKING_LINK = re.compile(r"https?://[^/\s]+(/my-applications/[A-Z0-9]+/interview/)")


def _checked(page, *, phone: bool) -> None:
    assert_no_axe_violations(page)
    if phone:
        assert_fits_width(page, 360)


def _emails_to(address: str) -> list:
    return [message for message in mail.outbox if message.to == [address]]


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("phone", [True, False], ids=["phone", "desktop"])
def test_an_employer_moves_applicants_through_interview_to_an_offer(
    new_page, employer, employer_organisation, worker, phone
):
    role = PathwayRoleFactory(code="journey-role", title="Care worker")
    vacancy = VacancyFactory(
        organisation=employer_organisation,
        created_by=employer,
        status=Vacancy.Status.PUBLISHED,
        title="Night care assistant",
    )
    question = ScreeningQuestion.objects.create(
        vacancy=vacancy, text="Do you have a driving licence and a car for work?"
    )
    wendy_entry = RegisterEntryFactory(
        application__worker=worker,
        application__legal_name="Wendy Worker",
        application__pathway_role=role,
    )
    wendy = JobApplicationFactory(
        vacancy=vacancy,
        applicant=worker,
        entry=wendy_entry,
        submitted_at=timezone.now() - timedelta(days=2),
    )
    job_application_share(wendy)
    TrainingRecordFactory(
        entry=wendy_entry,
        standard=TrainingStandardFactory(code="moving-and-handling", title="Moving and handling"),
    )
    ScreeningAnswer.objects.create(application=wendy, question=question, answer=True)
    pat = JobApplicationFactory(
        vacancy=vacancy,
        applicant=UserFactory(email="pat@example.org", full_name="Pat Newcomer"),
        submitted_at=timezone.now() - timedelta(days=1),
    )
    sam_entry = RegisterEntryFactory(
        application__worker__email="sam@example.org",
        application__legal_name="Sam Suspended",
        application__pathway_role=role,
    )
    sam = JobApplicationFactory(vacancy=vacancy, applicant=sam_entry.worker, entry=sam_entry)
    job_application_share(sam)
    RegisterEntry.objects.filter(pk=sam_entry.pk).update(status=RegisterEntry.Status.SUSPENDED)

    # The employer sees the three applicants, Sam's suspension plainly.
    boss = new_page("employer", phone=phone)
    sign_in(boss, employer)
    boss.goto(f"/vacancies/{vacancy.reference}/applicants/")
    boss.get_by_role("heading", name="Applicants for Night care assistant").wait_for()
    table = boss.get_by_role("table")
    assert "Not verified: not on the register" in table.inner_text()
    assert boss.locator("strong.tag-warning", has_text="Suspended").count() == 1
    _checked(boss, phone=phone)

    # Shortlist Wendy from her page.
    boss.get_by_role("link", name="Wendy Worker").click()
    boss.get_by_role("heading", name="Wendy Worker").wait_for()
    assert "Moving and handling" in boss.content()
    _checked(boss, phone=phone)
    boss.get_by_role("group", name="What happens next?").get_by_label("Shortlist").check()
    boss.get_by_role("button", name="Move and tell the applicant").click()
    boss.get_by_text("Wendy Worker is now at “Shortlisted”").wait_for()

    # Add two interview times: the first try leaves out the time and is refused.
    boss.get_by_role("link", name="add interview times").click()
    boss.get_by_role("heading", name="Interview times for Night care assistant").wait_for()
    day = timezone.localdate() + timedelta(days=4)
    type_date(boss, "When does the interview start?", f"{day.day} {day.month} {day.year}")
    boss.get_by_role("radio", name="In person").check()
    boss.get_by_label("Where, or how to join").fill("Sunrise House, 1 High Street, Leeds")
    boss.get_by_role("button", name="Add this time").click()
    assert "The interview start must include a time" in boss.get_by_role("alert").inner_text()
    assert not InterviewSlot.objects.exists()
    _checked(boss, phone=phone)
    type_date(boss, "When does the interview start?", f"{day.day} {day.month} {day.year} 10:00")
    boss.get_by_role("radio", name="In person").check()
    boss.get_by_role("button", name="Add this time").click()
    boss.get_by_text("Interview time added").wait_for()
    type_date(boss, "When does the interview start?", f"{day.day} {day.month} {day.year} 11:00")
    boss.get_by_role("radio", name="By phone").check()
    boss.get_by_label("Where, or how to join").fill("")
    boss.get_by_role("button", name="Add this time").click()
    boss.get_by_text("Interview time added").wait_for()
    assert InterviewSlot.objects.count() == 2
    _checked(boss, phone=phone)

    # Invite Wendy: she is emailed the link to choose a time.
    boss.goto(f"/vacancies/{vacancy.reference}/applicants/{wendy.reference}/")
    boss.get_by_role("group", name="What happens next?").get_by_label(
        "Invite to an interview"
    ).check()
    boss.get_by_role("button", name="Move and tell the applicant").click()
    boss.get_by_text("Wendy Worker is now at “Interview”").wait_for()
    invitation = _emails_to("worker@example.org")[-1]
    link = BOOKING_LINK.search(invitation.body).group(1)

    # Wendy books the 11:00 phone interview herself.
    candidate = new_page("candidate", phone=phone)
    sign_in(candidate, worker)
    candidate.goto(link)
    candidate.get_by_role("heading", name="Your interview for Night care assistant").wait_for()
    _checked(candidate, phone=phone)
    candidate.get_by_label(re.compile(r"11:00 on .*by phone")).check()
    candidate.get_by_role("button", name="Book this time").click()
    candidate.get_by_text("Your interview is booked for 11:00").wait_for()
    _checked(candidate, phone=phone)
    booked = InterviewSlot.objects.get(booked_by=wendy)
    assert timezone.localtime(booked.starts_at).hour == 11
    assert any(
        "Wendy Worker booked an interview" in m.body for m in _emails_to("employer@example.org")
    )

    # The employer sees the booking, then makes the offer.
    boss.goto(f"/vacancies/{vacancy.reference}/interviews/")
    assert boss.get_by_role("link", name="Wendy Worker").count() == 1
    _checked(boss, phone=phone)
    boss.goto(f"/vacancies/{vacancy.reference}/applicants/{wendy.reference}/")
    boss.get_by_role("group", name="What happens next?").get_by_label("Make an offer").check()
    boss.get_by_label("Message to the applicant (needed if you do not progress them)").fill(
        "We would love you to join the night team."
    )
    boss.get_by_role("button", name="Move and tell the applicant").click()
    boss.get_by_text("Wendy Worker is now at “Offer”").wait_for()

    # Pat and Sam are not progressed at once, with one message; a first try without it fails.
    boss.goto(f"/vacancies/{vacancy.reference}/applicants/")
    boss.get_by_label("Tick Pat Newcomer").check()
    boss.get_by_label("Tick Sam Suspended").check()
    boss.get_by_role("button", name="Do not progress the ticked applicants").click()
    assert "Write a message to the applicants" in boss.get_by_role("alert").inner_text()
    assert boss.get_by_label("Tick Pat Newcomer").is_checked()
    _checked(boss, phone=phone)
    boss.get_by_label("Message to every applicant you ticked").fill(
        "Thank you for applying. We have offered the post to someone else."
    )
    boss.get_by_role("button", name="Do not progress the ticked applicants").click()
    boss.get_by_text("2 applicants not progressed.").wait_for()
    _checked(boss, phone=phone)

    stages = dict(Application.objects.values_list("pk", "stage"))
    assert stages == {wendy.pk: "offer", pat.pk: "not_progressed", sam.pk: "not_progressed"}
    # Each applicant's latest email says their stage.
    assert "is now: offer" in _emails_to("worker@example.org")[-1].body
    for address in ("pat@example.org", "sam@example.org"):
        told = _emails_to(address)[-1].body
        assert "is now: not progressed" in told
        assert "offered the post to someone else" in told
