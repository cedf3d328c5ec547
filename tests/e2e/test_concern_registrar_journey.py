"""Registrars decide a concern in the browser: one screens a received case, records a serious
risk, opens the investigation and suspends the worker at once; a second reviews the
suspension; two others join the decision panel from the queue, one proposes conditions and
the other agrees. The queue and the case pages are checked with axe on a desktop screen and
on a 360-pixel phone, where the registrars in the middle of the journey work."""

import re

import pytest
from playwright.sync_api import expect

from concerns.models import Case, Decision, InterimOrder
from concerns.services import cases as case_services
from register.models import RegisterEntry
from tests.concerns.conftest import make_registrar, received_case
from tests.e2e.accessibility import assert_fits_width, assert_no_axe_violations
from tests.e2e.conftest import sign_in
from tests.factories import RegisterEntryFactory


def _checked(page, width: int) -> None:
    assert_no_axe_violations(page)
    assert_fits_width(page, width)


def _open_case_from_the_queue(page, case: Case, width: int) -> None:
    page.goto("/registrar/concerns/")
    _checked(page, width)
    page.get_by_role("link", name=case.reference).click()
    page.wait_for_url(re.compile(rf"/registrar/concerns/{case.reference}/$"))
    _checked(page, width)


@pytest.mark.django_db(transaction=True)
def test_registrars_screen_suspend_review_and_decide_conditions(new_page):
    sam, ada, dee, dan = (
        make_registrar(f"{name.lower()}@register.example", name)
        for name in ("Sam", "Ada", "Dee", "Dan")
    )
    subject = RegisterEntryFactory(
        application__worker__email="subject@example.org",
        application__legal_name="Łukasz O'Brien",
    )
    case = received_case(subject)

    # Sam screens the case at a desk: serious risk, an investigation, and a suspension now.
    page = new_page("sam")
    sign_in(page, sam)
    page.goto("/registrar/")
    expect(page.get_by_text("1 to screen.")).to_be_visible()
    page.get_by_role("link", name="Concerns about registrants").click()
    page.get_by_role("link", name=case.reference).click()
    _checked(page, 1024)
    expect(page.get_by_text("The worker will NOT see this.")).to_be_visible()
    expect(page.get_by_text("Priya Public")).to_be_visible()
    page.get_by_role("link", name="Screen this case").click()
    _checked(page, 1024)
    page.get_by_role("button", name="Save the screening").click()  # nothing chosen: refused
    expect(page.get_by_role("alert")).to_contain_text("Choose the level of risk")
    assert Case.objects.get(pk=case.pk).status == Case.Status.RECEIVED
    page.get_by_role("radio", name="Serious").check()
    page.get_by_role("radio", name=re.compile("^Open an investigation")).check()
    page.get_by_label("Your reasons").fill("Medicines missed twice: harm to a frail person.")
    page.get_by_label(re.compile("^The allegation")).fill(
        "On two days in November 2026 you did not give a person their medicines."
    )
    page.get_by_role("button", name="Save the screening").click()
    expect(page.get_by_text("The investigation is open")).to_be_visible()
    page.get_by_role("link", name="Impose an interim suspension").click()
    _checked(page, 1024)
    page.get_by_label("Why the worker must be suspended now").fill(
        "Until this is looked into, people in your care could miss their medicines."
    )
    page.get_by_role("button", name="Suspend the worker now").click()
    expect(
        page.get_by_text("The worker is suspended while the case is looked into.")
    ).to_be_visible()
    assert RegisterEntry.objects.get(pk=subject.pk).status == RegisterEntry.Status.SUSPENDED
    expect(page.get_by_text("You imposed the interim suspension")).to_be_visible()
    expect(page.get_by_role("link", name="Review the interim suspension")).to_have_count(0)

    # The worker answers the suspension in the service (their pages are tested on their own):
    # it is continued only once they have been heard.
    case_services.interim_respond(
        order=InterimOrder.objects.get(case=case),
        worker=subject.worker,
        text="The records will show I gave every dose.",
    )

    # Ada, on her phone, reviews it: she has no part, and the queue flags the suspension.
    page = new_page("ada", phone=True)
    sign_in(page, ada)
    page.goto("/registrar/concerns/")
    _checked(page, 360)
    expect(page.get_by_text("Interim suspension not yet reviewed")).to_be_visible()
    _open_case_from_the_queue(page, case, 360)
    page.get_by_role("link", name="Review the interim suspension").click()
    _checked(page, 360)
    page.get_by_role("radio", name="Continue the suspension").check()
    page.get_by_label("Your reasons").fill("The risk is real until the records are checked.")
    page.get_by_role("button", name="Save the review").click()
    expect(page.get_by_text("Reviewed: continue the suspension.")).to_be_visible()
    _checked(page, 360)
    assert InterimOrder.objects.get(case=case).reviewed_by == ada

    # The worker answers in the service (their pages are tested on their own).
    case_services.case_respond(
        case=Case.objects.get(pk=case.pk), worker=subject.worker, text="I was not on shift."
    )

    # Dee, on her phone, joins the panel from the queue; Dan at his desk joins too.
    page = new_page("dee", phone=True)
    sign_in(page, dee)
    page.goto("/registrar/concerns/")
    _checked(page, 360)
    page.get_by_role("button", name=re.compile("^Join the decision panel")).click()
    expect(page.get_by_text("You are on the decision panel for this case.")).to_be_visible()
    _checked(page, 360)
    dan_page = new_page("dan")
    sign_in(dan_page, dan)
    dan_page.goto("/registrar/concerns/")
    dan_page.get_by_role("button", name=re.compile("^Join the decision panel")).click()
    expect(dan_page.get_by_text("You are on the decision panel for this case.")).to_be_visible()

    # Dee proposes conditions.
    page.reload()
    page.get_by_role("link", name="Propose a decision").click()
    _checked(page, 360)
    page.get_by_role("radio", name=re.compile("^Conditions")).check()
    page.get_by_label("Reasons for the decision").fill(
        "The records show two missed doses; the worker has had no medicines training."
    )
    page.get_by_label(re.compile("^For a warning or conditions")).fill(
        "Must not give medicines until a medicines course is passed."
    )
    page.get_by_role("button", name="Propose this decision").click()
    expect(page.get_by_text("Proposed. The other registrar")).to_be_visible()
    expect(page.get_by_text("so the other registrar must agree it")).to_be_visible()

    # Dan agrees: the decision is made and the case is open to appeal.
    _open_case_from_the_queue(dan_page, case, 1024)
    dan_page.get_by_role("link", name="Agree or not with the proposed decision").click()
    _checked(dan_page, 1024)
    dan_page.get_by_role("button", name="Agree", exact=True).click()
    expect(dan_page.get_by_text("You agreed. The decision is made")).to_be_visible()
    _checked(dan_page, 1024)
    case.refresh_from_db()
    assert (case.status, case.outcome) == (Case.Status.APPEAL_WINDOW, Case.Outcome.CONDITIONS)
    assert Decision.objects.get(case=case).agreed_by == dan
    entry = RegisterEntry.objects.get(pk=subject.pk)
    assert entry.status == RegisterEntry.Status.REGISTERED_WITH_CONDITIONS
