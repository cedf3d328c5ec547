"""Fitness to practise outcomes as people meet them (issue 19).

A panel suspends Wendy for 30 days as a sanction, for dishonesty (the concerns app records the
decision; here the register's service is called as it would be). A member of the public on a
360-pixel phone finds her on the register: suspended until a day, a sanction, the category of
the concern. An employer pastes her passport on /verify/ and is told it is suspended because
her registration is; Wendy's passport page on her phone says so and offers no new passport.
The daily job ends the suspension the day after its last day: her passport is valid again for
the employer. Then a warning for poor practice, published for six months, shows on her public
entry with its category and last day, and nothing of a health condition does. axe-core finds
no violation of any impact on any page on the way."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from passports import keys
from passports.services import passports as passport_services
from register.services import entries
from tests.e2e.accessibility import assert_fits_width, assert_no_axe_violations
from tests.e2e.conftest import sign_in
from tests.factories import TrainingRecordFactory

pytestmark = pytest.mark.filterwarnings("ignore:EdDSA is deprecated:joserfc.errors.SecurityWarning")


def _long(day) -> str:
    return f"{day.day} {day:%B %Y}"


def _check(page, *, phone=False):
    assert_no_axe_violations(page)
    if phone:
        assert_fits_width(page, 360)


def _words(locator) -> str:
    return " ".join(locator.inner_text().split())


def _find_wendy(phone):
    phone.goto("/register/")
    phone.get_by_label("Name or registration number").fill("Wendy Worker")
    phone.get_by_role("button", name="Search").click()
    phone.get_by_role("link", name="Wendy Worker").click()
    phone.get_by_role("heading", name="Wendy Worker", level=1).wait_for()


def _verify(desk, token: str) -> str:
    desk.goto("/verify/")
    desk.get_by_label("Passport link or token").fill(token)
    desk.get_by_role("button", name="Check the passport").click()
    desk.locator("[data-verdict]").wait_for()
    _check(desk)
    return desk.locator("[data-verdict]").get_attribute("data-verdict")


@pytest.mark.django_db(transaction=True)
def test_a_sanction_reaches_the_public_the_passport_and_ends_on_its_day(
    new_page, worker, entry, registrar, standard
):
    # Set-up: Wendy's verified training and her passport, and the panel's decision.
    keys.signing_key_create()
    today = timezone.localdate()
    TrainingRecordFactory(
        entry=entry,
        standard=standard,
        completed_on=today - timedelta(days=30),
        expires_on=today + timedelta(days=335),
    )
    passport = passport_services.passport_issue(entry=entry, requested_by=worker)
    until = today + timedelta(days=30)
    entries.entry_suspend(
        entry=entry,
        registrar=registrar,
        kind="sanction",
        until=until,
        reason="Panel decision: recorded visits that did not take place.",
        category="dishonesty",
    )

    # A member of the public looks her up on a phone.
    public = new_page("public", phone=True)
    _find_wendy(public)
    assert f"Suspended: may not practise until {_long(until)}." in _words(public.locator("main"))
    summary = _words(public.locator("dl"))
    assert f"Suspension Sanction, until {_long(until)}" in summary
    assert "Category of concern Dishonesty" in summary
    assert "recorded visits" not in public.content()
    _check(public, phone=True)

    # An employer checks her passport.
    desk = new_page("employer")
    assert _verify(desk, passport.token) == "not_valid"
    assert "This passport is suspended (the registration is suspended)." in desk.content()

    # Wendy sees why on her phone.
    phone = new_page("wendy", phone=True)
    sign_in(phone, worker)
    phone.goto("/my-registration/passport/")
    panel = phone.locator("#passport-suspended-with-registration")
    assert "is suspended because your registration is." in _words(panel)
    assert phone.get_by_role("button", name="Issue a new passport").count() == 0
    assert "You cannot issue a new passport while your registration is suspended." in (
        _words(phone.locator("main"))
    )
    _check(phone, phone=True)

    # The daily job, the day after the suspension's last day.
    out = StringIO()
    call_command("end_expired_sanctions", today=until + timedelta(days=1), stdout=out)
    assert f"ended the suspension of {entry.registration_number}" in out.getvalue()

    assert _verify(desk, passport.token) == "valid"
    _find_wendy(public)
    assert "On the register and may practise." in _words(public.locator("main"))
    assert "Dishonesty" not in public.content()

    # Later, a warning for poor practice, and a condition about her health.
    warned_until = today + timedelta(days=182)
    entries.entry_add_annotation(
        entry=entry,
        registrar=registrar,
        kind="warning",
        public_text="Left a person alone when two carers were needed.",
        reason="Panel decision.",
        ends_on=warned_until,
        category="poor_practice",
    )
    entries.entry_add_annotation(
        entry=entry,
        registrar=registrar,
        kind="condition",
        public_text="Occupational health reviews every month.",
        reason="Panel decision.",
        category="health",
    )

    _find_wendy(public)
    public.get_by_role("heading", name="Warnings", level=2).wait_for()
    warning = _words(public.get_by_role("listitem").filter(has_text="Left a person alone"))
    assert warning == (
        "Left a person alone when two carers were needed. Category of concern: Poor practice. "
        f"Until {_long(warned_until)}."
    )
    assert "Occupational health" not in public.content()
    assert "Health" not in _words(public.locator("main"))
    _check(public, phone=True)
