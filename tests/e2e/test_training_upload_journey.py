"""A training provider uploads a CSV file, corrects an error it shows by line number, previews
and records the file; the worker then sees the training on their passport page. Then the other
training pages: a worker adds training with evidence, a registrar verifies it, a provider
records and revokes."""

import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from pypdf import PdfReader

from passports import keys
from passports.models import Passport, TrainingRecord
from tests.e2e.accessibility import assert_accessible
from tests.e2e.conftest import sign_in, sign_out
from tests.e2e.dates import type_date
from tests.factories import RegisterEntryFactory, TrainingStandardFactory


def _csv_file(rows):
    lines = ["registration_number,date_of_birth,standard_code,completed_on", *rows]
    return {
        "name": "training.csv",
        "mimeType": "text/csv",
        "buffer": ("\r\n".join(lines) + "\r\n").encode("utf-8"),
    }


@pytest.mark.django_db(transaction=True)
def test_a_provider_uploads_a_csv_and_the_worker_sees_the_training_on_their_passport(
    page, provider, provider_organisation, approved, standard, worker, entry
):
    organisation = provider_organisation
    colleague = RegisterEntryFactory()
    completed_on = (timezone.localdate() - timedelta(days=14)).isoformat()
    good = [
        f"{entry.registration_number},1990-05-17,moving-and-handling,{completed_on}",
        f"{colleague.registration_number},17/05/1990,moving-and-handling,{completed_on}",
    ]

    # The provider opens the upload page and downloads the template.
    sign_in(page, provider)
    page.goto(f"/provider/{organisation.pk}/training/")
    assert_accessible(page)
    page.get_by_role("link", name="Upload a CSV file").click()
    assert page.get_by_role("heading", name="Upload training records").is_visible()
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the template").click()
    template = Path(download.value.path()).read_bytes()
    assert template == b"registration_number,date_of_birth,standard_code,completed_on\r\n"

    # A file with a wrong date of birth on line 3: a completion date in the future is shown by
    # its line number, and nothing is looked up on the register until that is corrected.
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    wrong = [good[0], good[1].replace("17/05/1990", "18/05/1990").replace(completed_on, tomorrow)]
    page.get_by_label("CSV file").set_input_files(_csv_file(wrong))
    page.get_by_role("button", name="Check the file").click()
    page.get_by_role("heading", name="Errors to correct").wait_for()
    assert "Line 3: the completion date must be today or in the past" in page.content()
    assert page.get_by_role("button", name=re.compile("^Record")).count() == 0
    assert_accessible(page)

    # With that corrected, the worker who does not match is counted, never pointed to.
    page.get_by_role("link", name="Upload a corrected file").click()
    wrong = [good[0], good[1].replace("17/05/1990", "18/05/1990")]
    page.get_by_label("CSV file").set_input_files(_csv_file(wrong))
    page.get_by_role("button", name="Check the file").click()
    page.get_by_role("heading", name="Workers who do not match").wait_for()
    assert "1 row of this file does not match a registered worker" in page.content()
    assert "Line 3" not in page.content()
    assert page.get_by_role("button", name=re.compile("^Record")).count() == 0
    assert_accessible(page)
    assert not TrainingRecord.objects.exists()

    # The corrected file: previewed, then recorded.
    page.get_by_role("link", name="Upload a corrected file").click()
    page.get_by_label("CSV file").set_input_files(_csv_file(good))
    page.get_by_role("button", name="Check the file").click()
    page.get_by_role("heading", name="Check your file before it is recorded").wait_for()
    assert "Checked 2 rows in" in page.content()
    assert_accessible(page)
    # The test holds the first submission back, so the page's "please wait" state can be seen.
    form = "document.querySelector('form[data-busy-message]')"
    page.evaluate(f"{form}.addEventListener('submit', (event) => event.preventDefault())")
    page.get_by_role("button", name="Record 2 training records").click()
    busy = page.get_by_role("button", name="Recording… please wait")
    busy.wait_for()
    assert busy.is_disabled()
    assert page.get_by_role("status").filter(has_text="Recording… please wait").count() == 1
    page.evaluate(f"{form}.submit()")
    page.get_by_role("heading", name="Training recorded").wait_for()
    assert "2 training records are recorded." in page.content()
    assert_accessible(page)
    assert TrainingRecord.objects.filter(status="verified").count() == 2
    sign_out(page)

    # The worker sees it on their passport page.
    sign_in(page, worker)
    page.goto("/my-registration/passport/")
    assert page.get_by_role("heading", name="Your training passport").is_visible()
    row = page.get_by_role("row", name=re.compile("Moving and handling"))
    assert organisation.name in row.inner_text()
    assert "Valid" in row.inner_text()
    assert_accessible(page)

    # The worker issues a signed passport and downloads its PDF.
    keys.signing_key_create()
    page.get_by_role("button", name="Issue a new passport").click()
    page.get_by_role("heading", name="Your training passport").wait_for()
    assert "Your passport has been issued" in page.content()
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile(r"^PDF")).first.click()
    pdf_path = download.value.path()
    pdf_bytes = Path(pdf_path).read_bytes()
    assert pdf_bytes.startswith(b"%PDF")
    passport = Passport.objects.get(entry=entry, status="valid")
    sign_out(page)

    # A logged-out employer checks it by uploading the PDF...
    page.goto("/verify/")
    assert_accessible(page)
    page.get_by_label("Or upload the passport PDF").set_input_files(pdf_path)
    page.get_by_role("button", name="Check the passport").click()
    page.get_by_role("heading", name=re.compile("valid", re.IGNORECASE)).first.wait_for()
    content = page.content()
    assert entry.full_name in content
    assert entry.registration_number in content
    assert "not valid" not in page.title().lower()
    assert_accessible(page)

    # ...and by opening the link in the QR code, as a phone camera would.
    verify_link = f"/verify/{passport.public_id}/"
    printed = "".join(page_.extract_text() for page_ in PdfReader(pdf_path).pages)
    assert verify_link in printed.replace("\n", "")
    page.goto(verify_link)
    assert "not valid" not in page.title().lower()
    assert "Moving and handling" in page.content()
    assert_accessible(page)


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.mark.django_db(transaction=True)
def test_a_worker_adds_training_a_registrar_verifies_it_and_a_provider_revokes_its_own(
    page, worker, entry, registrar, provider, provider_organisation
):
    """The other training pages, each checked with axe, including their error states."""
    TrainingStandardFactory(code="fire-safety", title="Fire safety")
    organisation = provider_organisation
    completed_on = timezone.localdate() - timedelta(days=30)

    # A provider that no registrar has approved cannot record, and is told how to ask.
    sign_in(page, provider)
    page.goto("/my-registration/passport/")
    assert page.get_by_role("heading", name="You are not on the register").is_visible()
    assert_accessible(page)
    page.goto(f"/provider/{organisation.pk}/training/new/")
    heading = f"{organisation.name} is not approved to record training yet"
    assert page.get_by_role("heading", name=heading).is_visible()
    assert page.get_by_role("button", name="Ask a registrar to approve").is_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Ask a registrar to approve").click()
    assert "Say what training your organisation delivers" in page.get_by_role("alert").inner_text()
    assert_accessible(page)
    page.get_by_label("What training does your organisation deliver?").fill("Fire safety courses.")
    page.get_by_role("button", name="Ask a registrar to approve").click()
    page.get_by_text("Your request is sent: a registrar will check").wait_for()
    assert_accessible(page)
    sign_out(page)

    # The worker adds training with a certificate; a mistake first shows the errors.
    sign_in(page, worker)
    page.goto("/my-registration/passport/")
    page.get_by_role("link", name="add it with your certificate").click()
    assert_accessible(page)
    page.get_by_role("button", name="Add training").click()
    assert "There is a problem" in page.get_by_role("alert").inner_text()
    assert_accessible(page)
    page.get_by_label("Training standard").select_option(label="Fire safety")
    type_date(page, "Date completed", completed_on)
    page.get_by_label("Training provider").fill("Evening College")
    page.get_by_label("Certificate or other evidence").set_input_files(
        {"name": "certificate.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    page.get_by_role("button", name="Add training").click()
    page.get_by_role("heading", name="Your training passport").wait_for()
    assert "Waiting for a registrar to check it" in page.content()
    assert_accessible(page)
    sign_out(page)

    # A registrar opens the evidence and verifies the record.
    sign_in(page, registrar)
    page.goto("/registrar/training/")
    assert_accessible(page)
    page.get_by_role("link", name=re.compile("^Check .* for ")).click()
    assert "certificate.pdf" in page.content()
    page.get_by_label("Reject", exact=True).check()
    page.get_by_role("button", name="Save decision").click()
    assert "Give the reason for rejecting" in page.get_by_role("alert").inner_text()
    assert_accessible(page)
    page.get_by_label("Verify: the evidence shows this training").check()
    page.get_by_role("button", name="Save decision").click()
    page.get_by_role("heading", name="Training records to check").wait_for()
    assert "There are no training records waiting to be checked." in page.content()
    assert TrainingRecord.objects.get().status == "verified"

    # The registrar approves the provider on the training providers page.
    page.goto("/registrar/")
    page.get_by_role("link", name="Training providers").click()
    page.get_by_role("heading", name="Training providers").wait_for()
    assert "Fire safety courses." in page.content()
    assert_accessible(page)
    page.get_by_role("button", name=f"Approve {organisation.name}").click()
    page.get_by_text(f"{organisation.name} is approved: it can record training.").wait_for()
    assert_accessible(page)
    sign_out(page)

    # Approved now, the provider records training, and revokes a verified record of its own.
    sign_in(page, provider)
    page.goto(f"/provider/{organisation.pk}/training/new/")
    assert_accessible(page)
    page.get_by_label("Registration number").fill(entry.registration_number)
    type_date(page, "Worker's date of birth", "18 5 1990")
    page.get_by_label("Training standard").select_option(label="Fire safety")
    type_date(page, "Date completed", completed_on)
    page.get_by_role("button", name="Record training").click()
    refusal = page.get_by_role("alert").inner_text()
    assert "No registered worker matches" in refusal
    assert f"You entered {entry.registration_number} and 18 May 1990." in refusal
    assert_accessible(page)
    type_date(page, "Worker's date of birth", "17 5 1990")
    type_date(page, "Date completed", timezone.localdate() - timedelta(days=3))
    page.get_by_role("button", name="Record training").click()
    page.get_by_role("heading", name=f"Training records from {organisation.name}").wait_for()
    assert "It is verified." in page.content()
    record = TrainingRecord.objects.get(provider=organisation)
    page.goto(f"/provider/{organisation.pk}/training/{record.pk}/revoke/")
    assert_accessible(page)
    page.get_by_role("button", name="Revoke the record").click()
    assert "Give the reason for revoking" in page.get_by_role("alert").inner_text()
    assert_accessible(page)
    page.get_by_label("Why are you revoking this record?").fill("Recorded for the wrong course.")
    page.get_by_role("button", name="Revoke the record").click()
    page.get_by_role("heading", name=f"Training records from {organisation.name}").wait_for()
    record.refresh_from_db()
    assert record.status == "revoked"
