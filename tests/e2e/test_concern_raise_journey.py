"""A member of the public, on a phone, raises a concern about abuse by a registered worker: the
safeguarding signpost comes before anything else, then the form, with a PDF; a first try with a
mistake keeps nothing; the emailed link shows a button and confirms only when it is pressed;
the reference is shown. axe-core checks every page, and every page fits a 360-pixel screen."""

import re

import pytest
from django.core import mail

from concerns.models import Case, Document
from tests.e2e.accessibility import assert_accessible, assert_fits_width
from tests.factories import RegisterEntryFactory

LINK = re.compile(r"https?://[^/\s]+(/concerns/confirm/[A-Za-z0-9_-]+/)")
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _checked(page) -> None:
    assert_accessible(page)
    assert_fits_width(page, 360)


@pytest.mark.django_db(transaction=True)
def test_a_member_of_the_public_raises_a_concern_about_abuse_on_a_phone(new_page):
    entry = RegisterEntryFactory(
        application__worker__email="subject@example.org",
        application__legal_name="Łukasz O'Brien",
    )
    phone = new_page("public", phone=True)

    # The first thing the page says, after its title, is what to do if someone is in danger.
    phone.goto("/concerns/")
    headings = phone.get_by_role("heading").all_inner_texts()
    assert headings[:2] == [
        "Raise a concern about a care worker",
        "If someone is in danger now, call 999",
    ]
    _checked(phone)
    phone.get_by_role("group", name="What is the concern about?").get_by_label(
        "Abuse or neglect"
    ).check()
    phone.get_by_role("button", name="Continue").click()

    # Abuse or neglect: the safeguarding signpost, a page of its own, before any form.
    phone.get_by_role("heading", name="Have you told the council's safeguarding team?").wait_for()
    assert phone.get_by_role("heading", level=2).first.inner_text() == (
        "If someone is in danger now, call 999"
    )
    council = phone.get_by_role("link", name="Find the local council on GOV.UK")
    assert council.get_attribute("href") == "https://www.gov.uk/find-local-council"
    assert phone.get_by_role("textbox").count() == 0
    assert "The register is not the safeguarding authority." in phone.content()
    _checked(phone)
    phone.get_by_role("link", name="Continue to tell the register").click()

    # The form, with the category carried over. A first try leaves out when it happened.
    phone.get_by_role("heading", name="Tell us about the concern").wait_for()
    assert (
        phone.get_by_role("group", name="What is the concern about?")
        .get_by_label("Abuse or neglect")
        .is_checked()
    )
    phone.get_by_label("Their registration number (if you know it)").fill(
        entry.registration_number.lower()
    )
    phone.get_by_role("group", name="How do you know the worker?").get_by_label(
        "They care, or cared, for me"
    ).check()
    phone.get_by_label("What happened?").fill(
        "My father has bruises on both arms after Łukasz helped him dress, and he says he was "
        "grabbed. It happened twice."
    )
    evidence = phone.get_by_label("Evidence (optional)")
    evidence.set_input_files(
        [{"name": "bruises.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    phone.get_by_role("group", name="Do you want to stay anonymous?").get_by_label("No").check()
    phone.get_by_label("Your name").fill("Priya Public")
    phone.get_by_label("Your email address").fill("priya@example.org")
    phone.get_by_role("group", name="May the worker be told who raised the concern?").get_by_label(
        "No"
    ).check()
    phone.get_by_role("button", name="Send the concern").click()

    summary = phone.get_by_role("alert").inner_text()
    assert "Tell us when it happened, even roughly" in summary
    assert "The files you chose were not kept either: choose them again." in phone.content()
    assert not Case.objects.exists()
    assert not mail.outbox
    _checked(phone)

    phone.get_by_label("Roughly when did it happen?").fill("The weekend of 7 November")
    phone.get_by_label("Evidence (optional)").set_input_files(
        [{"name": "bruises.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    phone.get_by_role("button", name="Send the concern").click()

    # Nothing reaches the register until the email address is confirmed.
    phone.get_by_role("heading", name="Check your email").wait_for()
    assert "p••••@example.org" in phone.content()
    _checked(phone)
    case = Case.objects.get()
    assert (case.status, case.category, case.entry) == ("unconfirmed", "abuse_or_neglect", entry)

    # The link in the email opens a page with a button; opening it confirms nothing.
    email = next(message for message in mail.outbox if message.to == ["priya@example.org"])
    phone.goto(LINK.search(email.body).group(1))
    phone.get_by_role("heading", name="Confirm your concern").wait_for()
    _checked(phone)
    case.refresh_from_db()
    assert case.status == Case.Status.UNCONFIRMED
    phone.get_by_role("button", name="Confirm and send the concern").click()

    phone.get_by_role("heading", name="Your concern has been received").wait_for()
    case.refresh_from_db()
    assert case.status == Case.Status.RECEIVED
    assert case.reference in phone.content()
    assert "We have emailed you the reference too." in phone.content()
    _checked(phone)
    document = Document.objects.get(case=case)
    assert document.read() == PDF
    assert any(case.reference in message.subject for message in mail.outbox)
