"""An employer takes a worker off its staff list because of their conduct, is reminded of its
own duty to refer them to the DBS before anything else, and raises a concern with the register,
which receives it at once. axe-core checks each page."""

import pytest

from concerns.models import Case
from employers.models import StaffMembership
from employers.services import sharecodes, staff
from tests.e2e.accessibility import assert_accessible
from tests.e2e.conftest import sign_in
from tests.factories import DATE_OF_BIRTH

DBS_GUIDANCE = "https://www.gov.uk/guidance/making-barring-referrals-to-the-dbs"


@pytest.mark.django_db(transaction=True)
def test_an_employer_dismisses_a_worker_for_conduct_and_raises_a_concern(
    page, worker, entry, employer, employer_organisation
):
    _, code = sharecodes.share_code_create(worker=worker, entry=entry, shares_identity_checks=False)
    check = sharecodes.share_code_check(
        organisation=employer_organisation, user=employer, code=code, date_of_birth=DATE_OF_BIRTH
    ).check
    membership = staff.staff_add(organisation=employer_organisation, user=employer, check=check)

    sign_in(page, employer)
    page.goto(f"/employer/{employer_organisation.pk}/staff/")
    row = page.get_by_role("row").filter(has_text=entry.full_name)
    assert row.get_by_role("link", name=f"Raise a concern about {entry.full_name}").is_visible()
    row.get_by_role("link", name=f"Remove {entry.full_name}").click()

    # Taking them off the list asks why; saying nothing changes nothing.
    page.get_by_role("heading", name=f"Remove {entry.full_name} from your staff list").wait_for()
    assert_accessible(page)
    page.get_by_role("button", name="Remove them from your list").click()
    assert "Choose why they are leaving your staff list" in page.get_by_role("alert").inner_text()
    assert_accessible(page)
    page.get_by_role("group", name="Why are they leaving your staff list?").get_by_label(
        "They were dismissed, or left, because of their conduct"
    ).check()
    page.get_by_role("button", name="Remove them from your list").click()

    # The DBS duty comes first, above the concern's form.
    page.get_by_role("heading", name=f"Raise a concern about {entry.full_name}").wait_for()
    membership.refresh_from_db()
    assert (membership.status, membership.removal_reason) == ("removed", "conduct")
    assert "has been removed from your list" in page.get_by_role("status").inner_text()
    duty = page.get_by_role("region", name="You may also have to refer them to the DBS")
    assert "Safeguarding Vulnerable Groups Act 2006" in duty.inner_text()
    assert duty.get_by_role("link").get_attribute("href") == DBS_GUIDANCE
    first_question = page.get_by_role("group", name="What is the concern about?")
    assert duty.bounding_box()["y"] < first_question.bounding_box()["y"]
    assert_accessible(page)

    first_question.get_by_label("Theft").check()
    page.get_by_label("What happened?").fill(
        "Took £40 from a resident's purse on the night shift; it is on the hall camera."
    )
    page.get_by_label("Roughly when did it happen?").fill("3 November, about 2am")
    page.get_by_role("group", name="May the worker be told who raised the concern?").get_by_label(
        "Yes"
    ).check()
    page.get_by_role("button", name="Send the concern").click()

    page.get_by_role("heading", name="Your concern has been received").wait_for()
    case = Case.objects.get()
    assert (case.status, case.source, case.category) == ("received", "employer", "theft")
    assert (case.entry, case.raiser_organisation) == (entry, employer_organisation)
    assert case.reference in page.content()
    assert_accessible(page)
    page.get_by_role("link", name=f"Back to the staff list of {employer_organisation.name}").click()
    page.get_by_role("heading", name="Staff list").wait_for()
    assert not StaffMembership.objects.filter(status="active").exists()
