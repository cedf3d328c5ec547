"""The frame round every page: the beta banner inside a landmark and the favicon served
(issue 18, item 19); the header's navigation behind a menu button on a phone, and wide tables
stacked as cards there, with registration numbers kept whole (item 17)."""

from datetime import timedelta

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone

from employers.services import sharecodes, staff
from register.models import Application
from tests.e2e.accessibility import assert_fits_width, assert_no_axe_violations
from tests.e2e.conftest import sign_in
from tests.factories import (
    DATE_OF_BIRTH,
    ApplicationFactory,
    TrainingRecordFactory,
    TrainingStandardFactory,
)


def test_the_beta_banner_is_inside_a_landmark_and_the_favicon_loads(page):
    icons = []
    page.on("response", lambda response: "favicon" in response.url and icons.append(response))
    page.goto("/")
    page.wait_for_load_state("networkidle")
    results = Axe().run(page, options={"runOnly": ["region"]})
    assert results.response["violations"] == []
    banner = page.get_by_text("This is a new, voluntary register")
    assert banner.evaluate("el => el.closest('header') !== null")
    assert icons and all(response.status == 200 for response in icons)


# --- The header's navigation (issue 18, item 17) ---------------------------------------------

_HEADER_LINES = """() => {
  const name = document.querySelector(".site-name").getBoundingClientRect();
  const menu = document.querySelector(".nav-menu > summary").getBoundingClientRect();
  const header = document.querySelector(".site-header").getBoundingClientRect();
  return {nameTop: name.top, menuTop: menu.top, menuRight: menu.right, header: header.height};
}"""


@pytest.mark.django_db(transaction=True)
def test_on_a_phone_the_navigation_is_one_menu_button_that_opens_from_the_keyboard(
    phone_page, worker
):
    sign_in(phone_page, worker)
    phone_page.goto("/")

    nav = phone_page.get_by_role("navigation", name="Main")
    consultations = nav.get_by_role("link", name="Consultations")
    assert not consultations.is_visible()
    header = phone_page.evaluate(_HEADER_LINES)
    # The service's name and the button share one line, and the header is that line alone.
    assert abs(header["nameTop"] - header["menuTop"]) < 8
    assert header["menuRight"] <= 360
    assert header["header"] < 80
    assert_fits_width(phone_page, 360)
    assert_no_axe_violations(phone_page)

    # Skip link, the service's name, then the menu button; Enter opens it.
    for _ in range(3):
        phone_page.keyboard.press("Tab")
    assert phone_page.evaluate("document.activeElement.textContent.trim()") == "Menu"
    phone_page.keyboard.press("Enter")
    assert consultations.is_visible()
    assert nav.get_by_role("button", name="Sign out").is_visible()
    assert_fits_width(phone_page, 360)
    assert_no_axe_violations(phone_page)
    phone_page.keyboard.press("Tab")
    assert phone_page.evaluate("document.activeElement.textContent.trim()") == "Home"


@pytest.mark.django_db(transaction=True)
def test_the_menu_button_works_without_javascript(browser, live_server):
    context = browser.new_context(
        base_url=live_server.url,
        viewport={"width": 360, "height": 740},
        is_mobile=True,
        java_script_enabled=False,
    )
    try:
        page = context.new_page()
        page.goto("/")
        sign_up = page.get_by_role("navigation", name="Main").get_by_role(
            "link", name="Create an account"
        )
        assert not sign_up.is_visible()
        page.get_by_text("Menu", exact=True).click()
        assert sign_up.is_visible()
    finally:
        context.close()


@pytest.mark.django_db(transaction=True)
def test_on_a_wide_screen_the_navigation_shows_in_full_with_no_menu_button(page):
    page.goto("/")

    nav = page.get_by_role("navigation", name="Main")
    assert nav.get_by_role("link", name="Consultations").is_visible()
    assert nav.get_by_role("link", name="Create an account").is_visible()
    assert not page.get_by_text("Menu", exact=True).is_visible()
    assert_no_axe_violations(page)


# --- Wide tables on a phone (issue 18, item 17) ----------------------------------------------


def _visible_within(page, locator, width: int) -> bool:
    box = locator.bounding_box()
    return (
        locator.is_visible()
        and box is not None
        and box["x"] >= 0
        and box["x"] + box["width"] <= width
    )


def _on_one_line(locator) -> bool:
    return locator.evaluate("el => el.getClientRects().length === 1 && el.offsetHeight < 40")


@pytest.mark.django_db(transaction=True)
def test_the_staff_list_on_a_phone_shows_every_column_and_the_remove_button(
    phone_page, employer, employer_organisation, worker, entry_in_own_role
):
    TrainingRecordFactory(
        entry=entry_in_own_role,
        standard=TrainingStandardFactory(code="fire-safety", title="Fire safety"),
        completed_on=timezone.localdate() - timedelta(days=340),
    )
    _, code = sharecodes.share_code_create(
        worker=worker, entry=entry_in_own_role, shares_identity_checks=False
    )
    check = sharecodes.share_code_check(
        organisation=employer_organisation,
        user=employer,
        code=sharecodes.share_code_format(code),
        date_of_birth=DATE_OF_BIRTH,
    ).check
    staff.staff_add(organisation=employer_organisation, user=employer, check=check)

    sign_in(phone_page, employer)
    phone_page.goto(f"/employer/{employer_organisation.pk}/staff/")

    row = phone_page.get_by_role("row").filter(has_text=entry_in_own_role.full_name)
    remove = row.get_by_role("link", name=f"Remove {entry_in_own_role.full_name}")
    assert _visible_within(phone_page, remove, 360)
    for label in ("Status", "Next expiry", "Training due or expired"):
        cell = row.locator(f'td[data-label="{label}"]')
        assert _visible_within(phone_page, cell, 360), label
    assert "Fire safety" in row.locator('td[data-label="Training due or expired"]').inner_text()
    assert _on_one_line(row.locator(".registration-number"))
    assert_fits_width(phone_page, 360)
    assert_no_axe_violations(phone_page)


@pytest.mark.django_db(transaction=True)
def test_the_passport_on_a_phone_shows_todays_state_of_each_training_record(
    phone_page, worker, entry_in_own_role
):
    TrainingRecordFactory(entry=entry_in_own_role)  # moving and handling

    sign_in(phone_page, worker)
    phone_page.goto("/my-registration/passport/")

    row = phone_page.get_by_role("row").filter(has_text="Moving and handling")
    for label in ("Completed", "Expires", "Provider", "Today", "Badge"):
        assert _visible_within(phone_page, row.locator(f'td[data-label="{label}"]'), 360), label
    # Each cell is named by its column, since the header row is not shown on a phone.
    assert (
        row.locator('td[data-label="Today"]').evaluate(
            "el => getComputedStyle(el, '::before').content"
        )
        == '"Today"'
    )
    assert _on_one_line(phone_page.locator(".lead .registration-number"))
    assert_fits_width(phone_page, 360)
    assert_no_axe_violations(phone_page)


@pytest.mark.django_db(transaction=True)
def test_the_registrars_queue_on_a_phone_shows_every_column(phone_page, registrar):
    ApplicationFactory(
        legal_name="Zofia Wiśniewska-Kowalczyk",
        status=Application.Status.SUBMITTED,
        submitted_at=timezone.now() - timedelta(days=3),
    )

    sign_in(phone_page, registrar)
    phone_page.goto("/registrar/applications/")

    row = phone_page.get_by_role("row").filter(has_text="Zofia Wiśniewska-Kowalczyk")
    for label in ("Reference", "Name", "Role", "Status", "Submitted", "Days waited"):
        assert _visible_within(phone_page, row.locator(f'td[data-label="{label}"]'), 360), label
    assert_fits_width(phone_page, 360)
    assert_no_axe_violations(phone_page)
