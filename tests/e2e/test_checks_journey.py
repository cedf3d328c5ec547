"""Pre-employment checks in days: an offer opens the checklist with what the register verified
filled in, with who checked it and when; the candidate sees what they must provide now; the
employer records the rest, downloads the pack for an inspector, hires, and the worker is on the
staff list. On a 360-pixel phone and on a desktop, with axe-core on every page."""

import io
import re

import pytest
from django.utils import timezone
from pypdf import PdfReader

from jobs.models import Application, Vacancy
from jobs.services.applications import application_move
from tests.e2e.accessibility import assert_accessible, assert_fits_width
from tests.e2e.conftest import sign_in
from tests.e2e.dates import type_date
from tests.factories import (
    JobApplicationFactory,
    TrainingRecordFactory,
    VacancyFactory,
    application_share_for,
    register_checks_passed,
)


def _check(page, *, phone: bool) -> None:
    assert_accessible(page)
    if phone:
        assert_fits_width(page, 360)


def _record_done(page, item: str, *, by: str, phone: bool) -> None:
    page.get_by_role("link", name=f"Record {item}").click()
    page.get_by_label("Done", exact=True).check()
    page.get_by_label("If it is done: who checked it?").fill(by)
    type_date(page, "If it is done: the date it was checked", timezone.localdate())
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(re.compile(r"/checks/$"))


@pytest.mark.parametrize("phone", [True, False], ids=["phone", "desktop"])
@pytest.mark.django_db(transaction=True)
def test_an_offer_opens_the_checks_filled_in_from_the_register_and_the_employer_hires(
    new_page,
    phone,
    worker,
    entry_in_own_role,
    standard,
    employer,
    employer_organisation,
    registrar,
):
    entry = entry_in_own_role
    register_checks_passed(entry, registrar=registrar)
    TrainingRecordFactory(entry=entry, standard=standard)
    vacancy = VacancyFactory(
        organisation=employer_organisation, created_by=employer, status=Vacancy.Status.PUBLISHED
    )
    application = JobApplicationFactory(vacancy=vacancy, applicant=worker, entry=entry)
    application_share_for(application, shares_identity_checks=True)
    application_move(application=application, to=Application.Stage.OFFER, actor=employer)
    reference = application.reference

    # The candidate sees what they must provide now.
    candidate = new_page("candidate", phone=phone)
    sign_in(candidate, worker)
    candidate.goto(f"/my-applications/{reference}/checks/")
    todo = candidate.locator("#what-you-need-to-do").inner_text()
    assert "What you need to do now" in todo
    assert "Send us your full employment history" in todo
    assert "Fill in our health declaration" in todo
    checks = candidate.locator("#checks").inner_text()
    assert "Rita Registrar, registrar, Care Register" in checks
    _check(candidate, phone=phone)

    # The employer sees the register's checks filled in, with who checked them and when.
    page = new_page("employer", phone=phone)
    sign_in(page, employer)
    page.goto(f"/employer/job-applications/{reference}/checks/")
    identity = page.locator("#check-identity").inner_text()
    assert "From the register" in identity
    assert "Rita Registrar, registrar, Care Register" in identity
    assert "Done" in identity
    assert "The candidate" in page.locator("#check-health").inner_text()
    assert "The employer" in page.locator("#check-right_to_work").inner_text()
    assert "3 of 7 checks still to do" in page.content()
    _check(page, phone=phone)

    # A check recorded as not needed without a reason is refused, and says why.
    page.get_by_role("link", name="Record health declaration").click()
    page.get_by_label("Not needed", exact=True).check()
    page.get_by_role("button", name="Save").click()
    assert "Say why this post does not need this check." in (page.get_by_role("alert").inner_text())
    _check(page, phone=phone)
    page.get_by_label("If it is not needed: why not?").fill(
        "They gave us a health declaration for their bank shifts last month."
    )
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(re.compile(r"/checks/$"))
    assert "Health declaration: saved." in page.content()

    _record_done(page, "right to work in the uk", by="Hari Manager", phone=phone)
    _record_done(
        page, "full employment history, with gaps explained", by="Hari Manager", phone=phone
    )
    assert "Every check is finished" in page.content()
    _check(page, phone=phone)

    # The pack for an inspector.
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the checks as a PDF").click()
    with open(download.value.path(), "rb") as pdf:
        reader = PdfReader(io.BytesIO(pdf.read()))
    text = " ".join(" ".join(p.extract_text().split()) for p in reader.pages)
    assert "Pre-employment checks: Wendy Worker" in text
    assert "Rita Registrar, registrar, Care Register on" in text
    assert "Hari Manager on" in text
    assert "Not needed because: They gave us a health declaration" in text

    # Hiring puts Wendy on the staff list.
    page.get_by_role("button", name="Hire Wendy Worker").click()
    page.wait_for_url(re.compile(r"/checks/$"))
    assert (
        "Wendy Worker is now on your staff list."
        in page.locator("#staff-list-outcome").inner_text()
    )
    _check(page, phone=phone)
    page.goto(f"/employer/{employer_organisation.pk}/staff/")
    assert entry.registration_number in page.locator("table").inner_text()

    # The candidate's page says the checks are finished.
    candidate.reload()
    assert "Your checks are finished" in candidate.content()
    _check(candidate, phone=phone)
