"""A worker makes a share code; an employer checks it with the worker's date of birth, sees the
record and adds the worker to the staff list; the worker sees who checked, and the employer
sees the worker on the dashboard. axe-core checks each page."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from tests.e2e.accessibility import assert_accessible, assert_fits_width
from tests.e2e.conftest import sign_in, sign_out
from tests.factories import TrainingRecordFactory


@pytest.mark.django_db(transaction=True)
def test_a_worker_shares_their_record_and_sees_the_employers_check(
    page, worker, entry, standard, employer, employer_organisation
):
    TrainingRecordFactory(
        entry=entry,
        standard=standard,
        completed_on=timezone.localdate() - timedelta(days=330),
        expires_on=timezone.localdate() + timedelta(days=35),
    )

    # The worker makes a share code.
    sign_in(page, worker)
    page.get_by_role("link", name="Your registration", exact=True).click()
    page.get_by_role("link", name="Share your record with an employer").click()
    assert_accessible(page)
    page.get_by_label("Who is it for? (optional)").fill("Interview on Monday")
    page.get_by_role("button", name="Make a share code").click()
    code = page.locator("#new-share-code").inner_text()
    assert re.fullmatch(r"[A-Z2-9]{3}-[A-Z2-9]{3}-[A-Z2-9]{3}", code)
    assert "Nobody has used this code yet." in page.content()
    assert_accessible(page)
    sign_out(page)

    # The employer checks it: first with a wrong date of birth, then the right one.
    sign_in(page, employer)
    page.get_by_role("link", name="Your organisations", exact=True).click()
    page.get_by_role("link", name=employer_organisation.name).click()
    page.get_by_role("link", name="Check a share code").first.click()
    assert_accessible(page)
    page.get_by_label("Share code").fill(code.replace("-", " ").lower())
    page.get_by_label("The worker's date of birth").fill("1990-05-18")
    page.get_by_role("button", name="Check").click()
    assert "not accepted" in page.get_by_role("alert").inner_text()
    assert_accessible(page)
    page.get_by_label("The worker's date of birth").fill("1990-05-17")
    page.get_by_role("button", name="Check").click()
    page.get_by_role("heading", name=entry.full_name).wait_for()
    assert entry.registration_number in page.content()
    assert "Due for renewal within 60 days" in page.content()
    assert_accessible(page)
    page.get_by_role("button", name="Add to your staff list").click()
    page.wait_for_url(re.compile(r"/employer/\d+/staff/$"))
    assert f"{entry.full_name} is now on your staff list." in page.content()
    assert (
        "Moving and handling: Due for renewal within 60 days" in page.locator("table").inner_text()
    )
    assert_accessible(page)
    page.get_by_role("link", name=re.compile(r"^Next expiry\W+sort by next expiry")).click()
    page.wait_for_url(re.compile(r"sort=expiry"))
    assert_accessible(page)
    sign_out(page)

    # The worker sees who checked, and that the employer lists them.
    sign_in(page, worker)
    page.goto("/my-registration/share-codes/")
    log = page.get_by_role("table").inner_text()
    assert employer_organisation.name in log and employer.full_name in log
    assert "Saw your record" in log and "wrong date of birth" in log
    assert f"{employer_organisation.name}, since" in page.content()
    assert_accessible(page)

    # The worker no longer works there: they take themselves off the list, and the employer
    # sees that they left.
    page.get_by_role("button", name=re.compile(r"^Take me off this list")).click()
    page.wait_for_url(re.compile(r"/my-registration/share-codes/$"))
    assert f"You are no longer on the staff list of {employer_organisation.name}" in (
        page.content()
    )
    assert "No employer lists you as staff." in page.content()
    assert_accessible(page)
    sign_out(page)
    sign_in(page, employer)
    page.goto(f"/employer/{employer_organisation.pk}/staff/")
    assert "Workers who left your list" in page.content()
    assert entry.registration_number in page.content()
    assert_accessible(page)


@pytest.mark.django_db(transaction=True)
def test_a_new_employer_waits_for_a_registrar_before_it_can_check_a_share_code(
    page, worker, registrar
):
    # A worker signs up an employer organisation of their own; a registrar then verifies it.
    sign_in(page, worker)
    page.goto("/organisations/")
    page.get_by_label("Organisation name").fill("Hilltop Home Care")
    page.get_by_label("Employer (care provider)").check()
    page.get_by_role("button", name="Set up organisation").click()
    page.get_by_role("link", name="Check a share code").first.click()
    assert "A registrar has not verified Hilltop Home Care yet" in page.content()
    assert_accessible(page)
    organisation_url = page.url
    sign_out(page)

    sign_in(page, registrar)
    page.goto("/registrar/")
    page.get_by_role("link", name="Employer organisations").click()
    assert_accessible(page)
    page.get_by_role("button", name="Verify Hilltop Home Care").click()
    assert "Hilltop Home Care is verified." in page.content()
    assert_accessible(page)
    sign_out(page)

    sign_in(page, worker)
    page.goto(organisation_url)
    page.get_by_label("Share code").wait_for()
    assert_accessible(page)


@pytest.mark.django_db(transaction=True)
def test_the_share_code_page_fits_a_phone(phone_page, worker, entry):
    sign_in(phone_page, worker)
    phone_page.goto("/my-registration/share-codes/")
    phone_page.get_by_role("button", name="Make a share code").click()
    phone_page.locator("#new-share-code").wait_for()

    assert_fits_width(phone_page, 360)
    assert_accessible(phone_page)


@pytest.mark.django_db(transaction=True)
def test_an_owner_makes_an_api_key_and_sets_a_webhook(page, employer, employer_organisation):
    organisation = employer_organisation

    sign_in(page, employer)
    page.goto(f"/organisations/{organisation.pk}/")
    page.get_by_role("link", name="API keys").click()
    assert_accessible(page)
    page.get_by_role("button", name="Make the key").click()  # nothing filled in
    assert "Give the key a name" in page.get_by_role("alert").inner_text()
    assert_accessible(page)
    page.get_by_label("Name").fill("Rota system")
    page.get_by_label("Check share codes").check()
    page.get_by_label("Read the staff list").check()
    page.get_by_role("button", name="Make the key").click()
    assert page.locator("#new-api-key").inner_text().startswith("cr_live_")
    assert_accessible(page)

    page.goto(f"/organisations/{organisation.pk}/")
    page.get_by_role("link", name="Webhook").click()
    page.get_by_label("Webhook address").fill("https://rota.example.org/hooks")
    page.get_by_role("button", name="Save and make a new secret").click()
    assert page.locator("#webhook-secret").inner_text().startswith("whsec_")
    assert "Sending to" in page.content()
    assert_accessible(page)
