"""Issue 18's register journey in one browser test, with no step taken outside the browser but
reading the emails the service sends: a care worker signs up and confirms her email; she
applies, naming two referees; a registrar emails the referees, who answer by their links, and
records the reference, identity, DBS and right-to-work checks and approves; the worker issues
a passport and makes a share code; an employer checks the code with her date of birth, typed
day, month and year, and adds her to the staff list. The applicant's and the referees' pages
are on a 360-pixel phone. axe-core finds no violations of any impact on any page on the way."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from passports import keys
from tests.e2e.accessibility import assert_fits_width, assert_no_axe_violations
from tests.e2e.conftest import HOME, sign_in
from tests.e2e.dates import type_date
from tests.factories import PathwayRoleFactory

EMAIL = "joanna.oconnor@example.org"
NAME = "Joanna O'Connor"
PASSWORD = "a-long-and-unusual-passphrase"
REFEREES = [
    ("First referee", "Sam Manager", "sam.manager@example.net", "My manager at Hilltop"),
    ("Second referee", "Pat Tutor", "pat.tutor@example.net", "My college tutor"),
]
# Links are followed as written: they name this server's own address and port.
REFERENCE_LINK = re.compile(r"https?://\S+/reference/[A-Za-z0-9_-]+/")


def _check(page, *, phone=False):
    assert_no_axe_violations(page)
    if phone:
        assert_fits_width(page, 360)


def _menu(phone, link: str) -> None:
    """Follow a header link on a phone, where the links sit behind the Menu button."""
    phone.get_by_text("Menu", exact=True).click()
    phone.get_by_role("link", name=link, exact=True).click()


def _email_to(address: str):
    (message,) = [message for message in mail.outbox if message.to == [address]]
    return message


@pytest.mark.django_db(transaction=True)
def test_sign_up_apply_with_referees_approved_passport_share_code_and_staff_list(
    new_page, registrar, employer, employer_organisation
):
    PathwayRoleFactory(code="care-or-support-worker", title="Care or support worker")
    keys.signing_key_create()  # `make run` and a deployment make the register's signing key

    # 1. She signs up on her phone and confirms her email, which signs her in.
    phone = new_page("worker", phone=True)
    phone.goto("/")
    phone.get_by_role("link", name="Create an account").first.click()
    _check(phone, phone=True)
    phone.get_by_label("Full name").press_sequentially(NAME)
    phone.get_by_label("Email").press_sequentially(EMAIL)
    phone.get_by_label("Password", exact=True).press_sequentially(PASSWORD)
    phone.get_by_label("Password (again)").press_sequentially(PASSWORD)
    phone.get_by_label("I am a care worker and want to join the register").check()
    phone.get_by_role("button", name="Create account").click()
    phone.get_by_role("heading", name="Check your email", level=1).wait_for()
    _check(phone, phone=True)
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", _email_to(EMAIL).body)
    phone.goto(link.group(0))
    phone.get_by_role("button", name="Confirm email address").click()
    phone.wait_for_url(HOME)
    _check(phone, phone=True)

    # 2. Her next step is on the home page: she applies, naming two referees.
    phone.get_by_role("link", name="Start your application").click()
    phone.get_by_role("button", name="Start your application").click()
    # The name she signed up with is filled in already.
    assert phone.get_by_label("Full legal name").input_value() == NAME
    type_date(phone, "Date of birth", "9 11 1991")
    _check(phone, phone=True)
    phone.get_by_role("button", name="Save and continue").click()
    phone.get_by_label("Phone number").press_sequentially("07700 900456")
    phone.get_by_label("Address line 1").press_sequentially("3 Mill Lane")
    phone.get_by_label("Town or city").press_sequentially("Leeds")
    phone.get_by_label("Postcode").press_sequentially("ls1 4ab")
    phone.get_by_role("button", name="Save and continue").click()
    phone.get_by_label("Care or support worker", exact=True).check()
    phone.get_by_role("button", name="Save and continue").click()
    phone.get_by_role("heading", name="Your referees").wait_for()
    _check(phone, phone=True)
    for heading, name, email, relationship in REFEREES:
        section = phone.get_by_role("region", name=heading)
        section.get_by_label("Full name").press_sequentially(name)
        section.get_by_label("Email address").press_sequentially(email)
        section.get_by_label("How do they know you?").press_sequentially(relationship)
        section.get_by_label("How long have they known you?").press_sequentially("3 years")
    phone.get_by_role("button", name="Save and continue").click()
    for question in ("criminal", "health condition", "regulator"):
        phone.get_by_role("group", name=re.compile(question)).get_by_label("No").check()
    phone.get_by_label("I confirm that the information I have given is true").check()
    phone.get_by_label("I agree that my name").check()
    phone.get_by_role("button", name="Save and continue").click()
    phone.get_by_role(
        "heading", name="Check your answers before sending your application"
    ).wait_for()
    assert "9 November 1991" in phone.content()
    _check(phone, phone=True)
    phone.get_by_label("I have read the code of conduct").check()
    phone.get_by_role("button", name="Send application").click()
    phone.get_by_role("heading", name="Application sent").wait_for()
    reference = re.search(
        r"Your reference is\s+([A-Z0-9]{10})\b", phone.locator("main").inner_text()
    )
    reference = reference.group(1)
    _check(phone, phone=True)

    # 3. A registrar finds the application by her name and asks both referees.
    desk = new_page("registrar")
    sign_in(desk, registrar)
    desk.goto("/registrar/applications/")
    desk.get_by_role("link", name=re.compile(re.escape(NAME))).click()
    assert reference in desk.content()
    for _, name, _, _ in REFEREES:
        desk.get_by_role("button", name=f"Send a reference request to {name}").click()
        assert f"A reference request has been emailed to {name}." in desk.content()
    _check(desk)

    # 4. Each referee answers on a phone, from the link in their email.
    for _, name, email, relationship in REFEREES:
        referee = new_page(f"referee {name}", phone=True)
        referee.goto(REFERENCE_LINK.search(_email_to(email).body).group(0))
        referee.get_by_role("heading", name=f"A reference for {NAME}").wait_for()
        referee.get_by_role("group", name=f"Do you know {NAME}?").get_by_label("Yes").check()
        referee.get_by_label("If yes, how do you know them").press_sequentially(relationship)
        referee.get_by_role("group", name=re.compile(f"any reason {re.escape(NAME)}")).get_by_label(
            "No"
        ).check()
        referee.get_by_label("I confirm that what I have said is true").check()
        referee.get_by_role("button", name="Send your reference").click()
        referee.get_by_role("heading", name="Thank you: your reference has been sent").wait_for()
        _check(referee, phone=True)

    # She sees in plain English where her application is.
    _menu(phone, "Your registration")
    assert "We are checking your identity." in phone.content()
    assert "Sam Manager has sent their reference." in phone.content()
    _check(phone, phone=True)

    # 5. The registrar records both references, then the identity, DBS and right-to-work
    # checks, and approves.
    desk.reload()
    for _, name, _, _ in REFEREES:
        answer = desk.get_by_role("region", name=name)
        answer.get_by_label("Passed").check()
        answer.get_by_role("button", name=f"Record the reference from {name}").click()
        assert f"The reference from {name} has been recorded." in desk.content()
    today = timezone.localdate()
    photo_id = desk.locator("#record-photo_id")
    photo_id.locator("summary").click()
    photo_id.get_by_label("Passport").check()
    photo_id.get_by_label("Document number").press_sequentially("925665416")
    type_date(photo_id, "Expiry date", today + timedelta(days=900))
    photo_id.get_by_label("Passed").check()
    photo_id.get_by_role("button", name="Record check").click()
    desk.get_by_text("Check recorded: Photo identity document, passed.").wait_for()
    dbs = desk.locator("#record-dbs")
    dbs.locator("summary").click()
    dbs.get_by_label("Certificate number").press_sequentially("001234567890")
    type_date(dbs, "Issue date", today - timedelta(days=200))
    dbs.get_by_label("Passed").check()
    dbs.get_by_role("button", name="Record check").click()
    desk.get_by_text(re.compile("^Check recorded: Enhanced DBS")).wait_for()
    right_to_work = desk.locator("#record-right_to_work")
    right_to_work.locator("summary").click()
    right_to_work.get_by_label("British or Irish citizen: document check").check()
    right_to_work.get_by_label("Passed").check()
    right_to_work.get_by_role("button", name="Record check").click()
    desk.get_by_text("Check recorded: Right to work, passed.").wait_for()
    assert "Every required check has passed." in desk.content()
    _check(desk)
    desk.get_by_role("button", name="Approve").click()
    number = re.search(r"\bCR\d{7}[A-Z]\b", desk.content()).group(0)
    _check(desk)

    # 6. She issues a passport, then makes a share code for the employer.
    _menu(phone, "Your registration")
    assert number in phone.content()
    phone.get_by_role("link", name=re.compile("passport", re.I)).first.click()
    phone.get_by_role("button", name="Issue a new passport").click()
    phone.get_by_text(re.compile("Valid", re.I)).first.wait_for()
    _check(phone, phone=True)
    _menu(phone, "Your registration")
    phone.get_by_role("link", name="Share your record with an employer").click()
    phone.get_by_label("Who is it for? (optional)").press_sequentially("Sunrise interview")
    phone.get_by_label(re.compile("^Also show the outcomes of my identity checks")).check()
    phone.get_by_role("button", name="Make a share code").click()
    code = phone.locator("#new-share-code").inner_text()
    _check(phone, phone=True)

    # 7. The employer checks the code with her date of birth, and adds her to the staff list.
    office = new_page("employer")
    sign_in(office, employer)
    office.get_by_role("link", name="Check a share code").first.click()
    office.get_by_label("Share code").press_sequentially(code)
    type_date(office, "The worker's date of birth", "9 11 1991")
    office.get_by_role("button", name="Check").click()
    office.get_by_role("heading", name=NAME).wait_for()
    assert number in office.content()
    for check in ("Photo identity document", "Right to work"):
        assert check in office.content()
    _check(office)
    office.get_by_role("button", name="Add to your staff list").click()
    office.wait_for_url(re.compile(r"/employer/\d+/staff/$"))
    assert f"{NAME} is now on your staff list." in office.content()
    assert number in office.get_by_role("table").inner_text()
    _check(office)
