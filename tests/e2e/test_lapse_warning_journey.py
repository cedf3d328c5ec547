"""Employers hear before a registration lapses, not only after (issue 18, item 20).

A registered worker, whose renewal falls due in 30 days, makes a share code on her 360-pixel
phone; the owner of a verified employer sets up a webhook to the rota system, checks the code
and adds her to the staff list. The daily reminder job runs: the employer's email says her
registration lapses on its renewal date unless it is renewed, the rota system gets a signed
`registration.lapsing` event, and the employer follows the email's link to her public entry and
then finds her, with the renewal date, on the staff list and the delivery on the webhook page.
The worker renews on her phone, and the job's run on the day of the 7-day reminder warns nobody.
axe-core finds no violation of any impact on any page on the way."""

import json
import re
from datetime import timedelta
from decimal import Decimal
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from employers.models import LapseWarning, WebhookDelivery
from register.models import CpdActivity, RegisterEntry, Renewal
from tests.e2e.accessibility import assert_fits_width, assert_no_axe_violations
from tests.e2e.conftest import sign_in
from tests.e2e.dates import type_date
from tests.employers.test_webhooks import Receiver, independent_signature_check
from tests.factories import RegisterEntryFactory

PUBLIC_ENTRY_LINK = re.compile(r"https?://[^/\s]+(/register/[A-Z0-9]+/)")


def _check(page, *, phone=False):
    assert_no_axe_violations(page)
    if phone:
        assert_fits_width(page, 360)


def _menu(phone, link: str) -> None:
    """Follow a header link on a phone, where the links sit behind the Menu button."""
    phone.get_by_text("Menu", exact=True).click()
    phone.get_by_role("link", name=link, exact=True).click()


def _long(day) -> str:
    return f"{day.day} {day:%B %Y}"


def _short(day) -> str:
    return f"{day.day} {day:%b %Y}"


def _daily_reminder_job(**options) -> str:
    # The register's daily scheduled job (README, "Daily jobs"); nobody runs it in a browser.
    out = StringIO()
    call_command("send_renewal_reminders", stdout=out, **options)
    return out.getvalue()


@pytest.mark.django_db(transaction=True)
def test_an_employer_is_warned_before_a_lapse_and_not_again_once_the_worker_renews(
    new_page, worker, employer, employer_organisation
):
    # Set-up of people who already exist: Wendy joined the register 335 days ago, so her
    # renewal falls due in 30 days, and she has logged her learning through the year.
    today = timezone.localdate()
    due = today + timedelta(days=30)
    entry = RegisterEntryFactory(
        application__worker=worker,
        registered_from=today - timedelta(days=335),
        renewal_due=due,
    )
    for days_ago, title, hours in (
        (250, "Safeguarding adults refresher", "6"),
        (120, "Dementia awareness workshop", "4.5"),
        (40, "Medicines round shadowing", "3"),
    ):
        CpdActivity.objects.create(
            entry=entry,
            completed_on=today - timedelta(days=days_ago),
            title=title,
            hours=Decimal(hours),
            reflection="What I learned.",
        )

    with Receiver() as rota_system:
        # 1. Wendy makes a share code on her phone.
        phone = new_page("worker", phone=True)
        sign_in(phone, worker)
        _menu(phone, "Your registration")
        assert f"Renewal due by {_long(due)}" in " ".join(
            phone.locator("main").inner_text().split()
        )
        _check(phone, phone=True)
        phone.get_by_role("link", name="Share your record with an employer").click()
        _check(phone, phone=True)
        phone.get_by_label("Who is it for? (optional)").press_sequentially("Sunrise Care Homes")
        phone.get_by_role("button", name="Make a share code").click()
        code = phone.locator("#new-share-code").inner_text()
        _check(phone, phone=True)

        # 2. The employer's owner points the webhook at their rota system...
        desk = new_page("employer")
        sign_in(desk, employer)
        desk.get_by_role("link", name="Your organisations", exact=True).click()
        desk.get_by_role("link", name=employer_organisation.name).click()
        _check(desk)
        desk.get_by_role("link", name="Webhook").click()
        _check(desk)
        desk.get_by_label("Webhook address").press_sequentially(rota_system.url)
        desk.get_by_role("button", name="Save and make a new secret").click()
        secret = desk.locator("#webhook-secret").inner_text()
        assert secret.startswith("whsec_")
        _check(desk)

        # ...checks Wendy's share code with her date of birth and adds her to the staff list.
        desk.get_by_role("link", name=f"Back to {employer_organisation.name}").click()
        desk.get_by_role("link", name="Check a share code").first.click()
        _check(desk)
        desk.get_by_label("Share code").press_sequentially(code)
        type_date(desk, "The worker's date of birth", "17 5 1990")
        desk.get_by_role("button", name="Check").click()
        desk.get_by_role("heading", name=entry.full_name).wait_for()
        _check(desk)
        desk.get_by_role("button", name="Add to your staff list").click()
        desk.wait_for_url(re.compile(r"/employer/\d+/staff/$"))
        assert f"{entry.full_name} is now on your staff list." in desk.content()
        _check(desk)
        assert not mail.outbox and not rota_system.requests

        # 3. The daily job sends the 30-day reminder, and the employer hears of it too.
        assert "1 reminder(s) sent." in _daily_reminder_job()
        (to_worker,) = [message for message in mail.outbox if message.to == [worker.email]]
        assert to_worker.subject == f"[Care Register] Renew your registration by {_long(due)}"
        (warning,) = [message for message in mail.outbox if message.to == [employer.email]]
        assert warning.subject == (
            f"[Care Register] Registration lapses on {_long(due)} unless renewed: Wendy Worker"
        )
        body = " ".join(warning.body.split())
        assert f"Wendy Worker ({entry.registration_number})" in body
        assert f"due for renewal by {_long(due)}, in 30 days, and it has not been renewed" in body
        assert "If it is not renewed by then, it lapses" in body
        assert "hours" not in body  # nothing of her CPD, which is hers

        # The rota system got the signed event docs/webhooks.md describes.
        (request,) = rota_system.requests
        headers, raw = request
        assert independent_signature_check(secret, headers["X-CareRegister-Signature"], raw)
        event = json.loads(raw)
        assert event["type"] == "registration.lapsing"
        assert event["data"] == {
            "registration_number": entry.registration_number,
            "full_name": "Wendy Worker",
            "status": "registered",
            "renewal_due": due.isoformat(),
            "days_left": 30,
            "reminder_days_before": 30,
        }

        # 4. The employer follows the email's link, as written, to Wendy's public entry...
        desk.goto(PUBLIC_ENTRY_LINK.search(warning.body).group(1))
        desk.get_by_role("heading", name="Wendy Worker", level=1).wait_for()
        summary = " ".join(desk.locator("dl").inner_text().split())
        assert f"Renewal due {_long(due)}" in summary
        _check(desk)

        # ...then finds her on the staff list with the renewal date, and the event delivered.
        desk.get_by_role("link", name="Your organisations", exact=True).click()
        desk.get_by_role("link", name=employer_organisation.name).click()
        desk.get_by_role("link", name="Staff list").first.click()
        desk.wait_for_url(re.compile(r"/employer/\d+/staff/$"))
        row = desk.get_by_role("row").filter(has_text=entry.registration_number)
        assert "Wendy Worker" in row.inner_text()
        assert f"Renewal due by {_short(due)}" in " ".join(row.inner_text().split())
        _check(desk)
        desk.get_by_role("link", name=f"Back to {employer_organisation.name}").click()
        desk.get_by_role("link", name="Webhook").click()
        deliveries = desk.get_by_role("table").inner_text()
        assert "registration.lapsing" in deliveries and "Delivered" in deliveries
        _check(desk)

        # 5. Wendy renews on her phone, answering "no" to each declaration: renewed at once.
        _menu(phone, "Your registration")
        phone.get_by_role("link", name="renewal", exact=True).click()
        phone.wait_for_url(re.compile(r"/my-registration/renew/$"))
        _check(phone, phone=True)
        for question in (
            "Do you have a criminal record?",
            "Do you have a health condition that affects your ability to work safely?",
            "Have you ever been investigated or sanctioned by a regulator or register?",
        ):
            phone.get_by_role("group", name=question).get_by_label("No").check()
        phone.get_by_role("button", name="Renew my registration").click()
        next_due = due + timedelta(days=365)
        assert f"Your registration is renewed until {_long(next_due)}." in phone.content()
        _check(phone, phone=True)
        entry.refresh_from_db()
        assert (entry.status, entry.renewal_due) == (RegisterEntry.Status.REGISTERED, next_due)
        assert Renewal.objects.get(entry=entry).status == Renewal.Status.RENEWED

        # 6. Seven days before the old renewal date the daily job runs again (as if that day):
        # no reminder, no email, no event.
        sent_before = len(mail.outbox)
        seven_days_before = due - timedelta(days=7)
        assert "0 reminder(s) sent." in _daily_reminder_job(today=seven_days_before)
        assert len(mail.outbox) == sent_before
        assert len(rota_system.requests) == 1
        assert list(LapseWarning.objects.values_list("days_before", flat=True)) == [30]
        assert WebhookDelivery.objects.filter(event_type="registration.lapsing").count() == 1

    # The staff list now shows her next renewal date.
    desk.goto(f"/employer/{employer_organisation.pk}/staff/")
    row = desk.get_by_role("row").filter(has_text=entry.registration_number)
    assert f"Renewal due by {_short(next_due)}" in " ".join(row.inner_text().split())
    _check(desk)
