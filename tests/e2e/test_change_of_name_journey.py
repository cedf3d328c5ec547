"""Issue 18, item 22: after an approved change of name, passports issued under the old name no
longer verify as current. A registered worker issues a passport on her 360-pixel phone, keeps
its token file and notes its web-page link, and asks for a change of name with her evidence; a
registrar approves it; she is emailed to issue a new passport; anyone checking the old passport,
by its token or its link, is told it was replaced because her details changed; her passport page
says why, and the passport she issues then verifies as valid with her new name. axe-core checks
every page anyone sees."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from passports import keys
from tests.e2e.accessibility import assert_fits_width, assert_no_axe_violations
from tests.e2e.conftest import sign_in
from tests.factories import TrainingRecordFactory

pytestmark = pytest.mark.filterwarnings("ignore:EdDSA is deprecated:joserfc.errors.SecurityWarning")

NEW_NAME = "Wendy Marsh"
# A one-pixel PNG for the deed poll: the register reads what is inside, not the name.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
    "0000000b49444154789c63f80f040009fb03fdfb5e6b2b0000000049454e44ae426082"
)
REPLACED = "Replaced by a newer passport: ask for the latest"
DETAILS_CHANGED = (
    "This passport has been replaced (superseded): the worker's details, such as their name, "
    "have changed since it was issued. Ask the worker for their latest passport."
)


def on_phone(phone):
    assert_no_axe_violations(phone)
    assert_fits_width(phone, 360)


def menu(phone, link: str):
    """Follow a header link on a phone, where the links sit behind the Menu button."""
    phone.get_by_text("Menu", exact=True).click()
    phone.get_by_role("navigation", name="Main").get_by_role("link", name=link, exact=True).click()


def verdict(page) -> dict:
    page.locator("[data-verdict]").wait_for()
    assert_no_axe_violations(page)
    panel = page.locator("[data-verdict]")
    return {
        "verdict": panel.get_attribute("data-verdict"),
        "heading": " ".join(panel.get_by_role("heading", level=2).inner_text().split()),
        "name": panel.locator("dl.summary dd").first.inner_text(),
        "text": " ".join(panel.inner_text().split()),
    }


def check_token(page, token: str) -> dict:
    """Someone with the token pastes it into /verify/ as a person does."""
    page.goto("/verify/")
    assert_no_axe_violations(page)
    page.get_by_label("Passport link or token").fill(token)
    page.get_by_role("button", name="Check the passport").click()
    return verdict(page)


@pytest.mark.django_db(transaction=True)
def test_a_change_of_name_replaces_the_old_passport_and_the_new_one_verifies(
    new_page, worker, entry, registrar, standard
):
    # Set up as the deployment and the worker's past would have it: the register's signing key
    # (made by `manage.py signing_key create`) and one piece of verified training.
    keys.signing_key_create()
    TrainingRecordFactory(
        entry=entry,
        standard=standard,
        completed_on=timezone.localdate() - timedelta(days=30),
        expires_on=timezone.localdate() + timedelta(days=335),
    )
    old_name = entry.full_name
    assert old_name != NEW_NAME
    phone = new_page("worker", phone=True)

    # The worker issues a passport on her phone, downloads its token and notes its link.
    sign_in(phone, worker)
    menu(phone, "Your registration")
    phone.get_by_role("link", name="Your training passport").click()
    phone.get_by_role("heading", name="Your training passport").wait_for()
    on_phone(phone)
    phone.get_by_role("button", name="Issue a new passport").click()
    phone.get_by_text("Your passport has been issued on").wait_for()
    on_phone(phone)
    with phone.expect_download() as download:
        phone.get_by_role("link", name=re.compile(r"^token file")).click()
    old_token = open(download.value.path()).read().strip()
    assert old_token.startswith("eyJ")
    old_link = phone.get_by_role("link", name=re.compile(r"^web page")).get_attribute("href")
    assert re.fullmatch(r"/verify/[\w-]+/", old_link)

    # Before the change, the old passport is valid with her old name.
    public = new_page("anyone")
    before = check_token(public, old_token)
    assert before["verdict"] == "valid"
    assert before["name"] == old_name

    # She asks for a change of name, with her deed poll.
    menu(phone, "Your registration")
    phone.get_by_role("link", name="Change your name").click()
    phone.get_by_role("heading", name="Change your name").wait_for()
    on_phone(phone)
    phone.get_by_label("Your new full name").press_sequentially(NEW_NAME)
    phone.get_by_label("Evidence of your change of name").set_input_files(
        {"name": "deed-poll.png", "mimeType": "image/png", "buffer": PNG}
    )
    phone.get_by_role("button", name="Send to a registrar").click()
    phone.get_by_text("Your change of name has been sent to a registrar.").wait_for()
    assert f"Your change of name to {NEW_NAME} is waiting for a registrar." in phone.content()
    on_phone(phone)

    # A registrar approves it.
    desk = new_page("registrar")
    sign_in(desk, registrar)
    desk.goto("/registrar/")
    desk.get_by_role("link", name="Changes of name").click()
    request = desk.locator("section.panel").filter(
        has=desk.get_by_role("heading", name=f"{old_name} → {NEW_NAME}")
    )
    request.wait_for()
    assert "deed-poll.png" in request.inner_text()
    assert_no_axe_violations(desk)
    mail.outbox.clear()
    request.get_by_role("button", name="Approve").click()
    desk.get_by_text("The change of name has been decided.").wait_for()
    assert "None waiting." in desk.content()
    assert_no_axe_violations(desk)

    # She is emailed to issue a new passport with her new name.
    to_her = [message for message in mail.outbox if message.to == [worker.email]]
    asks = [
        m for m in to_her if m.subject.endswith("Issue a new training passport with your new name")
    ]
    assert len(asks) == 1, [message.subject for message in to_her]
    body = asks[0].body
    assert f"Your name on the register is now {NEW_NAME}." in body
    assert "anyone who checks it now is told to ask you for your latest passport" in body

    # Anyone who checks the old passport, by its token or its link, is told to ask for the
    # latest one, and why.
    by_token = check_token(public, old_token)
    public.goto(old_link)
    by_link = verdict(public)
    for old in (by_token, by_link):
        assert old["verdict"] == "superseded"
        assert old["heading"] == REPLACED
        assert DETAILS_CHANGED in old["text"]
        assert old["name"] == old_name

    # Her passport page says why it was replaced; she issues a new one.
    # The email's link, followed on the test server (the email names the site's own address).
    phone.goto(re.search(r"https?://[^/\s]+(/my-registration/passport/)", body).group(1))
    notice = phone.locator("#passport-details-changed")
    assert "Your name changed, so your passport was replaced." in notice.inner_text()
    assert f"it shows your name as {NEW_NAME}" in notice.inner_text()
    assert "Replaced: your name changed" in phone.get_by_role("table").first.inner_text()
    on_phone(phone)
    phone.get_by_role("button", name="Issue a new passport").click()
    phone.get_by_text("Your passport has been issued on").wait_for()
    assert phone.locator("#passport-details-changed").count() == 0
    on_phone(phone)
    with phone.expect_download() as download:
        phone.get_by_role("link", name=re.compile(r"^token file")).click()
    new_token = open(download.value.path()).read().strip()
    assert new_token != old_token
    new_link = phone.get_by_role("link", name=re.compile(r"^web page")).get_attribute("href")
    assert new_link != old_link

    # The new passport verifies as valid, with her new name, by token and by link; the old one
    # is still replaced.
    new = check_token(public, new_token)
    assert new["verdict"] == "valid"
    assert new["heading"] == "Valid: this passport is genuine and current"
    assert new["name"] == NEW_NAME
    public.goto(new_link)
    assert verdict(public)["name"] == NEW_NAME
    assert check_token(public, old_token)["verdict"] == "superseded"
