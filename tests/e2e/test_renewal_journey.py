"""A worker whose renewal falls due in 30 days corrects one CPD entry and deletes another on a
360-pixel phone, then renews with a "yes" to a declaration; a registrar accepts it with a
reason, and the worker reads that reason on her registration page (issue 18, items 20-21)."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from register.models import CpdActivity, RegisterEntry, Renewal
from tests.e2e.accessibility import assert_fits_width, assert_no_axe_violations
from tests.e2e.conftest import sign_in
from tests.factories import RegisterEntryFactory


def check(page):
    assert_no_axe_violations(page)
    assert_fits_width(page, 360)


@pytest.mark.django_db(transaction=True)
def test_a_worker_corrects_her_cpd_renews_and_reads_the_registrars_reason(
    new_page, worker, registrar
):
    today = timezone.localdate()
    entry = RegisterEntryFactory(
        application__worker=worker,
        registered_from=today - timedelta(days=335),
        renewal_due=today + timedelta(days=30),
    )
    for days_ago, title, hours in (
        (300, "Safeguarding adults refresher", "6"),
        (200, "Dementia awareness workshop", "4.5"),
        (90, "Medicines round shadowing", "3"),
        (60, "Logged twice by mistake", "2"),
    ):
        CpdActivity.objects.create(
            entry=entry,
            completed_on=today - timedelta(days=days_ago),
            title=title,
            hours=Decimal(hours),
            reflection="What I learned.",
        )
    phone = new_page("worker", phone=True)

    sign_in(phone, worker)
    phone.goto("/my-registration/cpd/")
    assert "15.5 hours" in phone.content()
    check(phone)

    phone.get_by_role("link", name="Edit Dementia awareness workshop").click()
    phone.wait_for_url(re.compile(r"/my-registration/cpd/\d+/edit/$"))
    check(phone)
    hours = phone.get_by_label("Hours")
    hours.fill("")  # clears the old value, as selecting it and pressing Delete does
    hours.press_sequentially("5")
    phone.get_by_role("button", name="Save changes").click()
    phone.wait_for_url(re.compile(r"/my-registration/cpd/$"))
    assert "Dementia awareness workshop is updated." in phone.content()

    phone.get_by_role("link", name="Delete Logged twice by mistake").click()
    phone.wait_for_url(re.compile(r"/my-registration/cpd/\d+/delete/$"))
    check(phone)
    phone.get_by_role("button", name="Delete this activity").click()
    phone.wait_for_url(re.compile(r"/my-registration/cpd/$"))
    assert "Logged twice by mistake (2 hours) is deleted." in phone.content()
    assert "14 hours" in phone.content()
    check(phone)

    phone.get_by_role("link", name="Go to your renewal").click()
    phone.wait_for_url(re.compile(r"/my-registration/renew/$"))
    check(phone)
    phone.get_by_role("group", name="Do you have a criminal record?").get_by_label("No").check()
    phone.get_by_role(
        "group", name="Do you have a health condition that affects your ability to work safely?"
    ).get_by_label("Yes").check()
    phone.get_by_label("If you answered yes, tell us how you manage it at work").press_sequentially(
        "Epilepsy, well controlled; my manager knows."
    )
    phone.get_by_role(
        "group", name="Have you ever been investigated or sanctioned by a regulator or register?"
    ).get_by_label("No").check()
    phone.get_by_role("button", name="Renew my registration").click()
    assert "A registrar will look at your declarations" in phone.content()
    renewal = Renewal.objects.get(entry=entry)
    assert (renewal.status, renewal.cpd_hours) == (Renewal.Status.REFERRED, Decimal("14"))

    phone.goto("/my-registration/")
    assert "is with a registrar" in phone.content()
    assert "Renew before" not in phone.content()
    check(phone)

    desk = new_page("registrar")
    sign_in(desk, registrar)
    desk.goto("/registrar/renewals/")
    desk.get_by_role("link", name=f"Decide the renewal for {entry.full_name}").click()
    desk.get_by_label("Accept the renewal").check()
    desk.get_by_label("Reason").press_sequentially(
        "Your condition is well managed and your employer supports you."
    )
    desk.get_by_role("button", name="Save decision").click()
    assert f"The renewal for {entry.full_name} is accepted." in desk.content()

    phone.goto("/my-registration/")
    page_text = " ".join(phone.locator("main").inner_text().split())
    assert (
        "Their reason: Your condition is well managed and your employer supports you." in page_text
    )
    assert "A registrar accepted your renewal" in page_text
    entry.refresh_from_db()
    assert entry.status == RegisterEntry.Status.REGISTERED
    assert entry.renewal_due == today + timedelta(days=30 + 365)
    check(phone)
