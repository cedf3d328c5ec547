"""A care worker applies; a registrar with MFA records the checks and approves; the public
search finds the new entry."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from register.models import RegisterEntry
from tests.e2e.accessibility import assert_accessible
from tests.e2e.conftest import sign_in, sign_out
from tests.e2e.dates import type_date
from tests.factories import PathwayRoleFactory


@pytest.mark.django_db(transaction=True)
def test_a_worker_applies_a_registrar_approves_and_the_public_finds_them(page, worker, registrar):
    PathwayRoleFactory(code="care-or-support-worker", title="Care or support worker")

    # The worker applies.
    sign_in(page, worker)
    page.get_by_role("link", name="Your registration", exact=True).click()
    page.get_by_role("link", name="Apply to join the register").click()
    assert_accessible(page)
    page.get_by_role("button", name="Start your application").click()

    page.get_by_label("Full legal name").fill("Wendy Ann Worker")
    type_date(page, "Date of birth", "27 3 1988")
    assert_accessible(page)
    page.get_by_role("button", name="Save and continue").click()

    page.get_by_role("button", name="Save and continue").click()  # empty: errors are shown
    assert "There is a problem" in page.get_by_role("alert").inner_text()
    assert_accessible(page)
    page.get_by_label("Phone number").fill("07700 900123")
    page.get_by_label("Address line 1").fill("12 Park Road")
    page.get_by_label("Town or city").fill("Bradford")
    page.get_by_label("Postcode").fill("bd1 1aa")
    page.get_by_role("button", name="Save and continue").click()

    page.get_by_label("Care or support worker", exact=True).check()
    page.get_by_role("button", name="Save and continue").click()

    for heading, name, email in (
        ("First referee", "Sam Manager", "sam.manager@example.net"),
        ("Second referee", "Pat Tutor", "pat.tutor@example.net"),
    ):
        section = page.get_by_role("region", name=heading)
        section.get_by_label("Full name").fill(name)
        section.get_by_label("Email address").fill(email)
        section.get_by_label("How do they know you?").fill("At work")
        section.get_by_label("How long have they known you?").fill("3 years")
    page.get_by_role("button", name="Save and continue").click()

    for question in ("criminal", "health condition", "regulator"):
        page.get_by_role("group", name=re.compile(question)).get_by_label("No").check()
    page.get_by_label("I confirm that the information I have given is true").check()
    page.get_by_label("I agree that my name").check()
    assert_accessible(page)
    page.get_by_role("button", name="Save and continue").click()

    assert page.get_by_role("heading", name="Check your answers before sending your application")
    assert "BD1 1AA" in page.content()
    assert_accessible(page)
    page.get_by_label("I have read the code of conduct").check()
    page.get_by_role("button", name="Send application").click()
    assert page.get_by_role("heading", name="Application sent").is_visible()
    sign_out(page)

    # A registrar with MFA records the checks and approves.
    sign_in(page, registrar)
    page.goto("/registrar/applications/")
    assert_accessible(page)
    page.get_by_role("link", name=re.compile("Wendy Ann Worker")).click()
    assert_accessible(page)
    today = timezone.localdate()
    checks = [
        {
            "type": "photo_id",
            "fields": {
                "Document number": "925665416",
            },
            "dates": {"Expiry date": today + timedelta(days=900)},
            "check": ["Passport"],
        },
        {
            "type": "dbs",
            "fields": {
                "Certificate number": "001234567890",
            },
            "dates": {"Issue date": today - timedelta(days=200)},
            "check": [],
        },
        {
            "type": "right_to_work",
            "fields": {},
            "check": ["British or Irish citizen: document check"],
        },
        {
            "type": "reference",
            "fields": {"Referee's name": "Sam Manager", "How they know the worker": "Line manager"},
            "check": [],
        },
        {
            "type": "reference",
            "fields": {"Referee's name": "Pat Tutor", "How they know the worker": "College tutor"},
            "check": [],
        },
    ]
    for check in checks:
        form = page.locator(f"#record-{check['type']}")
        form.locator("summary").click()
        for label in [*check["check"], "Passed"]:
            form.get_by_label(label).check()
        for label, value in check["fields"].items():
            form.get_by_label(label).fill(value)
        for legend, value in check.get("dates", {}).items():
            type_date(form, legend, value)
        form.get_by_role("button", name="Record check").click()
        assert "Check recorded:" in page.content(), page.content()[:3000]
    assert "Every required check has passed." in page.content()
    page.get_by_role("button", name="Approve").click()
    entry = RegisterEntry.objects.get(full_name="Wendy Ann Worker")
    assert entry.registration_number in page.content()
    sign_out(page)

    # Anyone finds the entry on the public register.
    page.goto("/register/")
    assert_accessible(page)
    page.get_by_label("Name or registration number").fill("worker")
    page.get_by_label("Town").fill("Bradford")
    page.get_by_role("button", name="Search").click()
    page.get_by_role("link", name="Wendy Ann Worker").click()
    assert entry.registration_number in page.content()
    assert "Registered" in page.content()
    assert "BD1 1AA" not in page.content()
    assert "1988" not in page.content()
    assert_accessible(page)
