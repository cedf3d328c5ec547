"""A registrar works through an application with the keyboard alone, on a desktop screen and on
a 360-pixel phone (issue 18, item 14): from the queue by the applicant's name, a reference
check from its own short form, back at the check just recorded, told why Approve is not yet
possible, then approving."""

import re

import pytest
from playwright.sync_api import expect

from register.models import IdentityCheck, RegisterEntry
from register.services import applications
from tests.e2e.accessibility import assert_fits_width, assert_no_axe_violations
from tests.e2e.conftest import sign_in
from tests.factories import ApplicationFactory, code_of_conduct_current
from tests.register.test_applications import record_all_checks


def tab_to(page, target, *, limit: int = 400) -> None:
    """Press Tab until `target` has the focus, as a keyboard user reaches it."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if target.evaluate("element => element === document.activeElement"):
            return
    raise AssertionError(f"Tab never reached {target}")


def record_a_reference_by_keyboard(page, *, referee: str, relationship: str) -> None:
    details = page.locator("#record-reference")
    tab_to(page, details.locator("summary"))
    page.keyboard.press("Enter")  # opens the reference check's form
    expect(details.get_by_label("Referee's name")).to_be_visible()
    tab_to(page, details.get_by_label("Referee's name"))
    page.keyboard.type(referee)
    page.keyboard.press("Tab")
    page.keyboard.type(relationship)
    tab_to(page, details.get_by_label("Passed"))
    page.keyboard.press("Space")
    tab_to(page, details.get_by_role("button", name="Record check"))
    page.keyboard.press("Enter")


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("phone", [False, True], ids=["desktop", "phone"])
def test_a_registrar_records_a_reference_and_approves_with_the_keyboard(new_page, registrar, phone):
    page = new_page("phone" if phone else "desktop", phone=phone)
    width = 360 if phone else 1024
    application = ApplicationFactory(legal_name="Kim Keyboard")
    applications.application_submit(
        application=application, worker=application.worker, code=code_of_conduct_current()
    )
    # Identity, DBS and right to work have passed; the two references are still to come.
    record_all_checks(application, registrar, references=0)
    sign_in(page, registrar)

    page.goto("/registrar/applications/")
    assert_no_axe_violations(page)
    assert_fits_width(page, width)
    tab_to(page, page.get_by_role("link", name=re.compile("Kim Keyboard")))
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(rf"/registrar/applications/{application.pk}/$"))

    approve = page.get_by_role("button", name="Approve")
    expect(approve).to_be_disabled()
    expect(page.locator("#approval-blockers")).to_contain_text(
        "Needs 2 references that passed: 0 so far."
    )
    # Only the titles of the four types of check show until one is chosen.
    expect(page.get_by_label("Certificate number")).to_be_hidden()
    assert_no_axe_violations(page)
    assert_fits_width(page, width)

    # Sent without a name: the error summary says what is missing, and nothing is recorded.
    details = page.locator("#record-reference")
    tab_to(page, details.locator("summary"))
    page.keyboard.press("Enter")
    tab_to(page, details.get_by_role("button", name="Record check"))
    page.keyboard.press("Enter")
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("Enter the referee's name")
    expect(page.locator("#record-reference")).to_have_attribute("open", "")
    assert not IdentityCheck.objects.filter(check_type="reference").exists()
    assert_no_axe_violations(page)
    assert_fits_width(page, width)
    page.goto(f"/registrar/applications/{application.pk}/")

    record_a_reference_by_keyboard(page, referee="Sam Manager", relationship="Line manager")
    page.wait_for_url(re.compile(r"#check-\d+$"))
    check = IdentityCheck.objects.get(check_type="reference")
    assert page.url.endswith(f"#check-{check.pk}")
    notice = page.get_by_text("Check recorded: Reference, passed.")
    expect(notice).to_be_in_viewport()
    expect(page.locator(f"#check-{check.pk}")).to_contain_text("Sam Manager")
    expect(page.locator("#approval-blockers")).to_contain_text("1 so far")
    assert_no_axe_violations(page)
    assert_fits_width(page, width)

    record_a_reference_by_keyboard(page, referee="Pat Tutor", relationship="College tutor")
    second = IdentityCheck.objects.filter(referee_name="Pat Tutor")
    page.wait_for_url(lambda url: second.exists() and url.endswith(f"#check-{second.get().pk}"))
    expect(page.get_by_text("Check recorded: Reference, passed.")).to_be_in_viewport()
    expect(page.locator("#approval-blockers")).to_have_count(0)
    expect(approve).to_be_enabled()
    tab_to(page, approve)
    page.keyboard.press("Enter")

    expect(page.get_by_text("Kim Keyboard is on the register as")).to_be_visible()
    entry = RegisterEntry.objects.get(worker=application.worker)
    assert entry.registration_number in page.content()
    assert_no_axe_violations(page)
    assert_fits_width(page, width)
