"""Four-eyes approval in the browser: a registrar resolves a failed check with a reason and
gives the first approval; a second registrar, who recorded no check, confirms it."""

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from playwright.sync_api import expect

from register.models import RegisterEntry
from register.services import applications
from tests.e2e.accessibility import assert_accessible
from tests.e2e.conftest import sign_in, sign_out
from tests.factories import ApplicationFactory, UserFactory, code_of_conduct_current
from tests.register.test_applications import record_all_checks
from tests.register.test_four_eyes import record_failed_dbs_check


@pytest.mark.django_db(transaction=True)
def test_a_failed_check_is_resolved_then_two_registrars_approve(page, registrar, settings):
    settings.FOUR_EYES_APPROVAL = True
    second = UserFactory(full_name="Sam Second", is_registrar=True, is_staff=True)
    TOTP.activate(second, generate_totp_secret())
    application = ApplicationFactory(legal_name="Fran Foureyes")
    applications.application_submit(
        application=application, worker=application.worker, code=code_of_conduct_current()
    )
    record_all_checks(application, registrar)
    record_failed_dbs_check(application, registrar)
    path = f"/registrar/applications/{application.pk}/"

    sign_in(page, registrar)
    page.goto(path)
    assert "Not resolved: blocks approval" in page.content()
    assert_accessible(page)
    expect(page.get_by_role("button", name="Approve")).to_be_disabled()
    expect(page.locator("#approval-blockers")).to_contain_text("resolved, with a reason")

    page.get_by_role("button", name="Resolve check").click()  # no reason: refused
    assert "Give the reason this check no longer stands" in page.content()
    assert_accessible(page)
    page.get_by_label("Why it no longer stands in the way of approval").fill(
        "Entered against the wrong certificate."
    )
    page.get_by_role("button", name="Resolve check").click()
    assert "Resolved by" in page.content()
    page.get_by_role("button", name="Approve").click()
    assert "A second registrar must confirm it." in page.content()
    expect(page.get_by_role("button", name="Approve (second approval)")).to_be_disabled()
    expect(page.locator("#approval-blockers")).to_contain_text("different registrar must confirm")
    sign_out(page)

    sign_in(page, second)
    page.goto(path)
    assert_accessible(page)
    page.get_by_role("button", name="Approve (second approval)").click()
    entry = RegisterEntry.objects.get(worker=application.worker)
    assert entry.registration_number in page.content()
