"""Issue 18: a valid, a forged and a replaced passport look different on /verify/ (4), a badge
pasted there is checked as a badge (23), and a new share code is shown large with a copy button
that works from the keyboard (9). axe-core checks every page at every impact."""

import base64
import json
import re
from datetime import timedelta

import pytest
from django.utils import timezone

from passports import keys
from passports.services import badges as badge_services
from passports.services import passports as services
from tests.e2e.accessibility import assert_fits_width, assert_no_axe_violations
from tests.e2e.conftest import sign_in
from tests.factories import TrainingRecordFactory

pytestmark = pytest.mark.filterwarnings("ignore:EdDSA is deprecated:joserfc.errors.SecurityWarning")

VERDICT_STYLE = """() => {
  const panel = document.querySelector("[data-verdict]");
  const heading = panel.querySelector("h2");
  const style = getComputedStyle(panel);
  const headingStyle = getComputedStyle(heading);
  return {
    verdict: panel.dataset.verdict,
    border: style.borderTopColor,
    borderStyle: style.borderTopStyle,
    background: headingStyle.backgroundColor,
    color: headingStyle.color,
    icon: heading.querySelector("svg") !== null,
    heading: heading.innerText.replace(/\\s+/g, " ").trim(),
    firstCheck: panel.querySelector(".check-list li").innerText.trim(),
  };
}"""


def forged(token: str) -> str:
    """The same token with the name in its payload changed, and the signature left as it was."""
    header, payload, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims["credentialSubject"]["name"] = "Someone Else"
    payload = base64.urlsafe_b64encode(json.dumps(claims).encode()).decode().rstrip("=")
    return ".".join([header, payload, signature])


def check(page, token: str) -> dict:
    page.goto("/verify/")
    page.get_by_label("Passport link or token").fill(token)
    page.get_by_role("button", name="Check the passport").click()
    page.locator("[data-verdict]").wait_for()
    assert_no_axe_violations(page)
    return page.evaluate(VERDICT_STYLE)


@pytest.mark.django_db(transaction=True)
def test_valid_forged_and_replaced_passports_look_different(page, worker, entry, standard):
    keys.signing_key_create()
    TrainingRecordFactory(
        entry=entry,
        standard=standard,
        completed_on=timezone.localdate() - timedelta(days=30),
        expires_on=timezone.localdate() + timedelta(days=335),
    )
    replaced = services.passport_issue(entry=entry, requested_by=worker)
    current = services.passport_issue(entry=entry, requested_by=worker)

    valid = check(page, current.token)
    not_valid = check(page, forged(current.token))
    superseded = check(page, replaced.token)

    assert valid["verdict"] == "valid"
    assert valid["heading"] == "Valid: this passport is genuine and current"
    assert not_valid["verdict"] == "not_valid"
    assert not_valid["heading"] == "Not valid: do not rely on this passport or badge"
    # The failing check is the first one listed, and it says why.
    assert not_valid["firstCheck"].startswith("Fail: Signature.")
    assert superseded["verdict"] == "superseded"
    assert superseded["heading"] == "Replaced by a newer passport: ask for the latest"
    # Three colours, and more than colour: each has its own icon, and the replaced one's border
    # is dashed.
    assert valid["background"] == "rgb(0, 112, 60)"
    assert not_valid["background"] == "rgb(179, 38, 30)"
    assert superseded["background"] == "rgb(255, 191, 71)"
    assert len({valid["border"], not_valid["border"], superseded["border"]}) == 3
    assert all(result["icon"] for result in (valid, not_valid, superseded))
    assert superseded["borderStyle"] == "dashed"
    assert valid["borderStyle"] == not_valid["borderStyle"] == "solid"
    assert re.match(r"^(Valid|Not valid|Replaced)", page.title())


@pytest.mark.django_db(transaction=True)
def test_a_pasted_badge_is_checked_as_a_badge_on_a_phone(phone_page, worker, entry, standard):
    keys.signing_key_create()
    record = TrainingRecordFactory(
        entry=entry,
        standard=standard,
        completed_on=timezone.localdate() - timedelta(days=30),
        expires_on=timezone.localdate() + timedelta(days=335),
    )
    badge = badge_services.record_badge_get_or_issue(record=record, requested_by=worker)

    result = check(phone_page, badge.token)

    assert result["verdict"] == "valid"
    assert result["heading"] == "Valid: this badge is genuine and current"
    content = phone_page.content()
    assert "Open Badges 3.0" in content
    assert standard.title in content
    assert_fits_width(phone_page, 360)


@pytest.mark.django_db(transaction=True)
def test_a_new_share_code_is_large_and_copied_from_the_keyboard(phone_page, worker, entry):
    phone_page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    sign_in(phone_page, worker)
    phone_page.goto("/my-registration/share-codes/")
    phone_page.get_by_label("Who is it for? (optional)").press_sequentially("Interview")
    phone_page.get_by_role("button", name="Make a share code").click()
    code = phone_page.locator("#new-share-code")
    code.wait_for()

    sizes = phone_page.evaluate(
        """() => {
          const code = getComputedStyle(document.getElementById("new-share-code"));
          const body = getComputedStyle(document.querySelector("main p:not(#new-share-code)"));
          return {code: parseFloat(code.fontSize), text: parseFloat(body.fontSize),
                  family: code.fontFamily, weight: code.fontWeight};
        }"""
    )
    # The largest text in the panel, not the smallest, and in a typewriter face.
    assert sizes["code"] >= 32
    assert sizes["code"] >= 1.5 * sizes["text"]
    assert "monospace" in sizes["family"]
    assert_fits_width(phone_page, 360)
    assert_no_axe_violations(phone_page)

    copy = phone_page.get_by_role("button", name="Copy the code")
    copy.focus()
    phone_page.keyboard.press("Enter")

    status = phone_page.get_by_role("status").filter(has_text="Copied")
    status.wait_for()
    assert status.inner_text() == "Copied"
    copied = phone_page.evaluate("navigator.clipboard.readText()")
    assert re.fullmatch(r"[A-Z2-9]{3}-[A-Z2-9]{3}-[A-Z2-9]{3}", copied)
    assert copied == code.inner_text()
    assert_no_axe_violations(phone_page)


@pytest.mark.django_db(transaction=True)
def test_without_javascript_the_code_is_shown_and_no_dead_button(
    browser, live_server, worker, entry
):
    context = browser.new_context(
        base_url=live_server.url, java_script_enabled=False, viewport={"width": 360, "height": 740}
    )
    page = context.new_page()
    try:
        sign_in(page, worker)
        page.goto("/my-registration/share-codes/")
        page.get_by_role("button", name="Make a share code").click()
        page.locator("#new-share-code").wait_for()

        assert re.fullmatch(
            r"[A-Z2-9]{3}-[A-Z2-9]{3}-[A-Z2-9]{3}", page.locator("#new-share-code").inner_text()
        )
        assert page.get_by_role("button", name="Copy the code").count() == 0
    finally:
        context.close()
