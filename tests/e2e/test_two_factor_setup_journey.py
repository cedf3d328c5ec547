"""A registrar without an authenticator app is sent to set one up on the way to the registrar
pages, saves the recovery codes and carries on to the page they wanted (issue 18, item 15)."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.accessibility import assert_fits_width, assert_no_axe_violations
from tests.e2e.conftest import sign_in, totp_code
from tests.factories import PASSWORD


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("phone", [False, True], ids=["desktop", "phone"])
def test_after_setting_up_two_factor_the_registrar_continues_to_the_queue(
    new_page, registrar_without_mfa, phone
):
    page = new_page("phone" if phone else "desktop", phone=phone)
    width = 360 if phone else 1024
    sign_in(page, registrar_without_mfa)

    page.goto("/registrar/applications/")
    # Adding an authenticator is a security change: allauth asks for the password first.
    page.wait_for_url(re.compile(r"/accounts/reauthenticate/"))
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(re.compile(r"/accounts/2fa/totp/activate/\?next="))
    secret = page.locator("#authenticator_secret").input_value()
    page.get_by_label("Authenticator code").press_sequentially(totp_code(secret))
    page.get_by_role("button", name="Activate").click()

    page.wait_for_url(re.compile(r"/accounts/2fa/recovery-codes/\?next="))
    expect(page.get_by_role("heading", name="Your recovery codes", level=1)).to_be_visible()
    expect(page.get_by_label("Unused codes")).to_be_visible()
    generate = page.get_by_role("link", name="Generate new codes")
    expect(generate).to_have_class("button button-warning")
    assert_no_axe_violations(page)
    assert_fits_width(page, width)

    # Generating new codes asks first, and says what it does to the old ones.
    old_codes = page.get_by_label("Unused codes").input_value()
    generate.click()
    expect(page.get_by_text("will stop working as soon as you generate new ones")).to_be_visible()
    assert_no_axe_violations(page)
    assert_fits_width(page, width)
    page.get_by_role("link", name="Cancel: keep my codes").click()
    assert page.get_by_label("Unused codes").input_value() == old_codes

    page.get_by_role("link", name="I have saved my codes – continue").click()
    page.wait_for_url(re.compile(r"/registrar/applications/$"))
    expect(page.get_by_role("heading", name="Applications waiting for a decision")).to_be_visible()
