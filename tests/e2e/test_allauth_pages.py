"""Every page django-allauth serves us, as a person meets it in Chromium: in the service's words
(sentence case, British spelling, a real contact address instead of "Please contact us"), with
no axe-core violation of any impact, and nothing off the side of a 360-pixel phone (issue 18,
item 16).

The pages: create an account, check your email, confirm the address (a good link and a dead
one), sign in, the second step of signing in, password reset (ask, sent, the link, a dead
link, done), email addresses, change password, sign out, a closed account, confirm it is you
(by password and by code), two-factor authentication, setting up an authenticator app,
turning it off, and recovery codes (making them and seeing them)."""

import re

import pytest
from django.conf import settings
from django.core import mail

from tests.e2e.accessibility import assert_fits_width, assert_no_axe_violations
from tests.e2e.conftest import HOME, sign_in
from tests.factories import PASSWORD, UserFactory

# allauth's own wording, which must not reach a page: its Title Case labels and headings, its
# US spellings, and its requests to "contact us" with no way to do so.
BANNED = [
    "Sign In",
    "Sign Up",
    "Signup",
    "Sign Out",
    "Sign Up Closed",
    "Verify Your Email Address",
    "Confirm Email Address",
    "Email Addresses",
    "Add Email",
    "Make Primary",
    "Re-send Verification",
    "Change Password",
    "Set Password",
    "Password Reset",
    "Reset My Password",
    "Bad Token",
    "Current Password",
    "New Password",
    "Remember Me",
    "Forgot your password",
    "Confirm Access",
    "Account Inactive",
    "Two-Factor Authentication",
    "Authenticator App",
    "Activate Authenticator App",
    "Deactivate Authenticator App",
    "Recovery Codes",
    "reauthenticate",
    "Please contact us",
    "contact us if",
    "finalize",
    "recognize",
    "organization",
    "authorize",
    "canceled",
    "e-mail",
    "and/or",
]

# A label, heading or button of two or more words, each starting with a capital letter, is
# Title Case, which the service does not use (its own name is the one exception).
TITLE_CASE = """() => {
  const seen = [];
  for (const element of document.querySelectorAll(
    "h1, h2, h3, button, label, legend, summary, a.button, th")) {
    if (!element.checkVisibility()) continue;
    const text = element.innerText.trim().replace(/\\s+/g, " ");
    const words = text.split(" ").filter((word) => /^[A-Za-z]/.test(word));
    if (words.length < 2 || text === "Care Register") continue;
    if (words.every((word) => /^[A-Z]/.test(word))) seen.push(text);
  }
  return seen;
}"""


def check_page(page, phone_page=None) -> None:
    """The page's words are the service's, axe-core finds nothing, and the footer gives the
    address for help; on the phone too, where nothing may scroll sideways."""
    text = page.locator("body").inner_text()
    found = [phrase for phrase in BANNED if phrase in text]
    assert not found, f"{page.url} says {found}"
    assert page.evaluate(TITLE_CASE) == [], f"Title Case on {page.url}"
    assert page.locator(f'footer a[href="mailto:{settings.SUPPORT_EMAIL}"]').count() == 1
    assert_no_axe_violations(page)
    if phone_page is not None:
        phone_page.context.add_cookies(page.context.cookies())
        phone_page.goto(page.url)
        assert_fits_width(phone_page, 360)
        assert_no_axe_violations(phone_page)


def _link_in_last_email(to: str, path: str) -> str:
    body = [message for message in mail.outbox if message.to == [to]][-1].body
    return re.search(rf"https?://[^/\s]+({path}[^\s]+/)", body).group(1)


@pytest.mark.django_db(transaction=True)
def test_signing_up_confirming_and_signing_in_speak_the_services_language(page, phone_page):
    page.goto("/accounts/signup/")
    check_page(page, phone_page)
    page.get_by_role("button", name="Create account").click()
    check_page(page)  # with the error summary

    page.get_by_label("Full name").fill("Nia Newcomer")
    page.get_by_label("Email address").fill("nia@example.org")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password (again)").fill(PASSWORD)
    page.get_by_label("I am a care worker and want to join the register").check()
    page.get_by_role("button", name="Create account").click()
    page.get_by_role("heading", name="Check your email").wait_for()
    # The page says where to write if the email never comes.
    assert page.locator(f'main a[href="mailto:{settings.SUPPORT_EMAIL}"]').count() == 1
    check_page(page, phone_page)

    email = [message for message in mail.outbox if message.to == ["nia@example.org"]][-1]
    assert email.subject == "[Care Register] Confirm your email address"
    assert "Hello from" not in email.body and settings.SUPPORT_EMAIL in email.body
    link = _link_in_last_email("nia@example.org", "/accounts/confirm-email/")

    page.goto("/accounts/confirm-email/not-a-real-key/")
    check_page(page, phone_page)
    page.goto(link)
    check_page(page, phone_page)
    page.get_by_role("button", name="Confirm email address").click()
    page.wait_for_url(HOME)
    assert page.get_by_text("You have confirmed nia@example.org").is_visible()


@pytest.mark.django_db(transaction=True)
def test_sign_in_and_password_reset_pages_speak_the_services_language(page, phone_page):
    person = UserFactory(email="pat@example.org")

    page.goto("/accounts/login/")
    check_page(page, phone_page)
    page.get_by_label("Email address").fill(person.email)
    page.get_by_label("Password").fill("not-the-password")
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("alert").wait_for()
    check_page(page)  # the refusal, in our words

    page.get_by_role("link", name="Forgotten your password?").click()
    page.wait_for_url("**/accounts/password/reset/")
    check_page(page, phone_page)
    page.get_by_role("button", name="Send me a link").click()
    check_page(page)  # with the error summary
    page.get_by_label("Email address").fill(person.email)
    page.get_by_role("button", name="Send me a link").click()
    page.wait_for_url("**/accounts/password/reset/done/")
    check_page(page, phone_page)

    email = [message for message in mail.outbox if message.to == [person.email]][-1]
    assert email.subject == "[Care Register] Reset your password"
    link = _link_in_last_email(person.email, "/accounts/password/reset/key/")
    page.goto(link)
    page.get_by_role("heading", name="Choose a new password").wait_for()
    check_page(page)
    page.get_by_label("New password", exact=True).fill("a-new-and-unusual-passphrase")
    page.get_by_label("New password (again)").fill("a-new-and-unusual-passphrase")
    page.get_by_role("button", name="Save new password").click()
    page.get_by_role("heading", name="Your password has been changed").wait_for()
    check_page(page, phone_page)

    # The same link again has been used up.
    page.goto(link)
    page.get_by_role("heading", name="This link does not work").wait_for()
    check_page(page, phone_page)


@pytest.mark.django_db(transaction=True)
def test_the_account_pages_speak_the_services_language(page, phone_page):
    person = UserFactory(email="ola@example.org")
    sign_in(page, person)

    # Two-factor set-up first: allauth refuses it while an address is unconfirmed.
    page.goto("/accounts/2fa/")
    check_page(page, phone_page)
    page.get_by_role("link", name="Set up an authenticator app").click()
    # A change to how someone signs in asks for the password again first.
    page.get_by_role("heading", name="Confirm it is you").wait_for()
    check_page(page)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/accounts/2fa/totp/activate/")
    check_page(page, phone_page)

    page.goto("/accounts/email/")
    check_page(page, phone_page)
    page.get_by_role("button", name="Add email address").click()
    check_page(page)  # with the error summary
    page.get_by_label("Email address").fill("ola.at.home@example.org")
    page.get_by_role("button", name="Add email address").click()
    page.get_by_text("We have sent an email to ola.at.home@example.org").wait_for()
    assert page.get_by_text("Not confirmed").is_visible()
    check_page(page)

    page.goto("/accounts/password/change/")
    check_page(page, phone_page)
    page.get_by_role("button", name="Change password").click()
    check_page(page)  # with the error summary

    page.goto("/accounts/logout/")
    check_page(page, phone_page)
    page.get_by_role("main").get_by_role("button", name="Sign out").click()
    page.wait_for_url(HOME)

    page.goto("/accounts/inactive/")
    check_page(page, phone_page)


@pytest.mark.django_db(transaction=True)
def test_the_two_factor_pages_speak_the_services_language(page, phone_page, registrar):
    # The second step of signing in, refused once, then passed.
    page.goto("/accounts/login/")
    page.get_by_label("Email address").fill(registrar.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/accounts/2fa/authenticate/")
    check_page(page)
    page.get_by_label("Code").fill("000000")
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("alert").wait_for()
    check_page(page)
    page.get_by_role("button", name="Cancel").click()
    page.wait_for_url("**/accounts/login/")

    sign_in(page, registrar)
    page.goto("/accounts/2fa/")
    check_page(page, phone_page)
    page.goto("/accounts/2fa/reauthenticate/")
    check_page(page, phone_page)

    page.goto("/accounts/2fa/recovery-codes/generate/")
    page.get_by_role("heading", name="Confirm it is you").wait_for()
    check_page(page)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("heading", name="Generate new recovery codes").wait_for()
    check_page(page, phone_page)
    page.get_by_role("button", name=re.compile("^Generate new codes")).click()
    page.wait_for_url("**/accounts/2fa/recovery-codes/")
    page.get_by_role("heading", name="Your recovery codes").wait_for()
    check_page(page, phone_page)

    page.goto("/accounts/2fa/totp/deactivate/")
    page.get_by_role("heading", name="Turn off the authenticator app").wait_for()
    check_page(page, phone_page)
