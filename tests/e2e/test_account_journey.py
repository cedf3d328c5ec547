"""A registrar-to-be signs up, confirms their email (which signs them in), and sets up MFA."""

import re

import pytest
from django.core import mail

from accounts.models import User
from accounts.services.organisations import registrar_appoint
from core.models import AuditEvent
from tests.e2e.accessibility import assert_accessible, assert_fits_width
from tests.e2e.conftest import HOME, totp_code

PASSWORD = "a-long-and-unusual-passphrase"


@pytest.mark.django_db(transaction=True)
def test_sign_up_verify_log_in_and_set_up_mfa_as_a_registrar(page):
    page.goto("/")
    assert_accessible(page)
    page.get_by_role("link", name="Create an account").first.click()

    # Sending the form empty shows the error summary, linked to each field.
    page.get_by_role("button", name="Create account").click()
    expect_summary = page.get_by_role("alert")
    assert "There is a problem" in expect_summary.inner_text()
    assert_accessible(page)

    page.get_by_label("Full name").fill("Rosa Registrar")
    page.get_by_label("Email").fill("rosa@example.org")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password (again)").fill(PASSWORD)
    page.get_by_label("I work for an employer, training provider or association").check()
    page.get_by_role("button", name="Create account").click()
    assert page.get_by_role("heading", name="Check your email", level=1).is_visible()
    assert_accessible(page)

    # Staff appoint the new account as a registrar (an admin action in the real service).
    user = User.objects.get(email="rosa@example.org")
    registrar_appoint(user=user, appointed_by=None)

    # Logging in before verifying the address is refused.
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill("rosa@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    assert page.get_by_role("heading", name="Check your email", level=1).is_visible()

    # The verification link from the test mailbox.
    confirmation = [message for message in mail.outbox if message.to == ["rosa@example.org"]]
    link = re.search(r"https?://[^/\s]+(/accounts/confirm-email/[^\s]+/)", confirmation[0].body)
    page.goto(link.group(1))
    assert_accessible(page)
    page.get_by_role("button", name="Confirm email address").click()

    # Confirming in the browser that signed up signs the person in and sends them on, home.
    page.wait_for_url(HOME)
    assert page.get_by_role("button", name="Sign out").first.is_visible()
    assert page.get_by_text("You have confirmed rosa@example.org").is_visible()

    # A registrar without MFA is sent to set it up before the registrar pages.
    # Turning on MFA is a security change, so allauth asks for the password again first.
    page.goto("/registrar/")
    page.wait_for_url(re.compile(r"/accounts/reauthenticate/"))
    assert_accessible(page)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(re.compile(r"/accounts/2fa/totp/activate/"))
    assert_accessible(page)
    secret = page.locator("#authenticator_secret").input_value()
    page.get_by_label("Authenticator code").fill(totp_code(secret))
    page.get_by_role("button", name="Activate").click()
    page.wait_for_url(lambda url: "/totp/activate/" not in url)
    assert_accessible(page)

    page.goto("/registrar/")
    assert page.get_by_role("heading", name="Registrar", level=1).is_visible()
    assert_accessible(page)
    assert AuditEvent.objects.filter(action="accounts.user.mfa_added", actor_id=user.pk).exists()


@pytest.mark.django_db(transaction=True)
def test_the_home_and_sign_in_pages_work_on_a_360_pixel_phone(phone_page):
    for path in ("/", "/accounts/login/", "/accounts/signup/"):
        phone_page.goto(path)
        assert_fits_width(phone_page, 360)
        assert_accessible(phone_page)


@pytest.mark.django_db(transaction=True)
def test_the_first_tab_reaches_the_skip_link_and_it_moves_focus_to_the_content(page):
    page.goto("/")

    page.keyboard.press("Tab")

    focused = page.evaluate("document.activeElement.textContent")
    assert focused.strip() == "Skip to main content"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
