"""A new version of the code of conduct, from the association that publishes it to a registered
care worker who accepts it on her phone (issue 19).

The association's admin finds the code from the footer, edits the current version on the
publish page and publishes version 2. Wendy, on the register, follows a bookmark to her CPD on
a 360-pixel phone; signing in, she is asked to accept the new version first: she reads what
changed and the whole code, accepts with the keyboard, and lands on her CPD page. Anyone can
read the code, and every version of it, without signing in. axe-core finds no violation of any
impact on the pages on the way.
"""

import re

import pytest
from playwright.sync_api import expect

from register.models import CodeAcceptance
from tests.e2e.accessibility import assert_fits_width, assert_no_axe_violations
from tests.e2e.conftest import sign_in
from tests.e2e.test_registrar_application_journey import tab_to
from tests.factories import PASSWORD

WHAT_CHANGED = "Principle 1 now says to record a mistake as well as report it."


def _check(page, width: int) -> None:
    assert_no_axe_violations(page)
    assert_fits_width(page, width)


@pytest.mark.django_db(transaction=True)
def test_a_registrant_accepts_a_new_version_at_her_next_sign_in_on_her_phone(
    new_page, entry, association_admin
):
    # 1. The association publishes version 2, starting from version 1's text.
    desk = new_page("association")
    sign_in(desk, association_admin)
    desk.get_by_role("link", name="The code of conduct for registered care workers").click()
    desk.get_by_role("heading", name="Code of conduct for adult social care workers").wait_for()
    _check(desk, 1024)
    desk.get_by_role("link", name="Publish a new version").click()
    desk.get_by_role("heading", name="Publish a new version of the code of conduct").wait_for()
    _check(desk, 1024)
    desk.get_by_label("What has changed").fill(WHAT_CHANGED)
    code = desk.get_by_label("The code")
    first_block_end = "You will be honest when something goes wrong, including your own mistakes."
    code.fill(
        code.input_value().replace(
            first_block_end,
            first_block_end + "\nYou will write down what went wrong and what you did about it.",
        )
    )
    desk.get_by_role("button", name="Publish version 2").click()
    expect(desk.get_by_role("status").first).to_contain_text(
        "Version 2 of the code of conduct is published."
    )
    expect(desk.locator("main")).to_contain_text("2 (the current version)")
    _check(desk, 1024)

    # 2. Wendy follows a bookmark to her CPD on her phone and signs in.
    phone = new_page("wendy", phone=True)
    phone.goto("/my-registration/cpd/")
    phone.wait_for_url(re.compile(r"/accounts/login/"))
    phone.get_by_label("Email").fill(entry.worker.email)
    phone.get_by_label("Password").fill(PASSWORD)
    phone.get_by_role("button", name="Sign in").click()

    # 3. She is asked to accept version 2 first, and reads what changed.
    phone.wait_for_url(re.compile(r"/code-of-conduct/accept/\?next=%2Fmy-registration%2Fcpd%2F$"))
    phone.get_by_role("heading", name="Accept the new code of conduct").wait_for()
    main = phone.locator("main")
    expect(main).to_contain_text("The code of conduct has changed since you accepted version 1")
    expect(phone.get_by_role("heading", name="What has changed")).to_be_visible()
    expect(main).to_contain_text(WHAT_CHANGED)
    expect(main).to_contain_text("You will write down what went wrong and what you did about it.")
    _check(phone, 360)

    # 4. She accepts with the keyboard and lands where she was going.
    accept = phone.get_by_role("button", name="I accept")
    tab_to(phone, accept)
    phone.keyboard.press("Enter")
    phone.wait_for_url(re.compile(r"/my-registration/cpd/$"))
    phone.get_by_role("heading", name="Your CPD").wait_for()
    acceptance = CodeAcceptance.objects.get(user=entry.worker, code__version=2)
    assert acceptance.how == CodeAcceptance.How.SIGN_IN
    phone.goto("/my-registration/")
    expect(phone.locator("main")).to_contain_text("You accepted version 2 on")

    # 5. Anyone reads the code, and its earlier version, without signing in.
    public = new_page("public", phone=True)
    public.goto("/code-of-conduct/")
    expect(
        public.get_by_role("link", name="Raise a concern about a registered care worker")
    ).to_be_visible()
    _check(public, 360)
    public.get_by_role("link", name="Version 1").click()
    expect(public.locator("main")).to_contain_text("This version was replaced by version 2.")
    _check(public, 360)
