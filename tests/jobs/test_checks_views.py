"""The pre-employment checks pages: who may open each, recording a check, hiring, the
candidate's view and the PDF pack for an inspector, read back with pypdf."""

import io
from datetime import timedelta

import pytest
from django.utils import timezone
from pypdf import PdfReader

from employers.models import StaffMembership
from jobs.models import Application, PreEmploymentCheck, PreEmploymentChecklist, Vacancy
from jobs.services.applications import application_move
from jobs.services.checks import CheckRecord, check_record
from tests.factories import (
    JobApplicationFactory,
    MembershipFactory,
    OrganisationFactory,
    VacancyFactory,
    application_share_for,
    register_checks_passed,
)

Stage = Application.Stage
State = PreEmploymentCheck.State


@pytest.fixture
def entry(entry_in_own_role):
    return entry_in_own_role


@pytest.fixture
def application(employer, employer_organisation, worker, entry, registrar):
    register_checks_passed(entry, registrar=registrar)
    vacancy = VacancyFactory(
        organisation=employer_organisation, created_by=employer, status=Vacancy.Status.PUBLISHED
    )
    application = JobApplicationFactory(vacancy=vacancy, applicant=worker, entry=entry)
    application_share_for(application, shares_identity_checks=True)
    application_move(application=application, to=Stage.OFFER, actor=employer)
    return application


@pytest.fixture
def other_employer(db):
    return MembershipFactory(
        user__email="other-employer@example.org", organisation=OrganisationFactory()
    ).user


def _urls(reference):
    return {
        "checks": f"/employer/job-applications/{reference}/checks/",
        "record": f"/employer/job-applications/{reference}/checks/health/",
        "pdf": f"/employer/job-applications/{reference}/checks/pack.pdf",
        "hire": f"/employer/job-applications/{reference}/hire/",
        "mine": f"/my-applications/{reference}/checks/",
    }


PEOPLE = [
    "anonymous",
    "applicant",
    "other_worker",
    "employer",
    "employer_member",
    "other_employer",
    "registrar",
]
# page: anonymous applicant other_worker employer employer_member other_employer registrar
TABLE = {
    "checks": "302 404 404 200 200 404 404",
    "record": "302 404 404 200 200 404 404",
    "pdf": "302 404 404 200 200 404 404",
    "hire": "302 405 405 405 405 405 405",
    "mine": "302 200 404 404 404 404 404",
}


def test_each_page_answers_each_person_as_the_table_says(
    client,
    application,
    worker,
    other_worker,
    employer,
    employer_member,
    other_employer,
    registrar,
):
    people = {
        "anonymous": None,
        "applicant": worker,
        "other_worker": other_worker,
        "employer": employer,
        "employer_member": employer_member,
        "other_employer": other_employer,
        "registrar": registrar,
    }
    observed = {}
    for name, url in _urls(application.reference).items():
        codes = []
        for person in PEOPLE:
            client.logout()
            if people[person] is not None:
                client.force_login(people[person])
            codes.append(str(client.get(url).status_code))
        observed[name] = " ".join(codes)
    assert observed == TABLE


def test_an_application_without_checks_is_not_found(client, employer, employer_organisation):
    application = JobApplicationFactory(
        vacancy__organisation=employer_organisation, vacancy__created_by=employer
    )
    client.force_login(employer)

    assert client.get(_urls(application.reference)["checks"]).status_code == 404
    assert client.get("/employer/job-applications/NOSUCHREF/checks/").status_code == 404


def test_the_checklist_shows_who_checked_the_registers_items_and_who_acts_in_words(
    client, application, employer
):
    client.force_login(employer)

    page = client.get(_urls(application.reference)["checks"]).content.decode()

    assert "Rita Registrar, registrar, Care Register" in page
    assert "From the register" in page
    assert 'class="tag tag-candidate">The candidate<' in page
    assert 'class="tag tag-employer">The employer<' in page
    assert 'class="tag tag-done">Done<' in page
    assert "The register does not hold employment histories" in page
    assert "4 of 7 checks still to do" in page


def test_a_member_records_a_check_with_who_checked_it_and_when(client, application, employer):
    client.force_login(employer)
    yesterday = timezone.localdate() - timedelta(days=1)

    response = client.post(
        _urls(application.reference)["record"],
        {
            "state": "done",
            "checked_by_name": "Hari Manager",
            "checked_on_0": str(yesterday.day),
            "checked_on_1": str(yesterday.month),
            "checked_on_2": str(yesterday.year),
            "notes": "Declaration signed.",
        },
    )

    assert response.status_code == 302
    health = PreEmploymentCheck.objects.get(item="health")
    assert (health.state, health.checked_by_name, health.checked_on) == (
        "done",
        "Hari Manager",
        yesterday,
    )
    assert health.notes == "Declaration signed."


def test_a_record_that_does_not_fit_is_refused_with_its_reasons_and_changes_nothing(
    client, application, employer
):
    client.force_login(employer)

    response = client.post(
        _urls(application.reference)["record"],
        {"state": "not_needed", "checked_on_0": "31", "checked_on_1": "2", "checked_on_2": "2026"},
    )

    assert response.status_code == 400
    page = response.content.decode()
    assert "There is a problem" in page
    assert "The date it was checked must be a real date" in page
    assert PreEmploymentCheck.objects.get(item="health").state == State.TO_DO

    response = client.post(_urls(application.reference)["record"], {"state": "not_needed"})
    assert response.status_code == 400
    assert "Say why this post does not need this check." in response.content.decode()


def test_hiring_with_checks_to_do_is_refused_and_says_which(client, application, employer):
    client.force_login(employer)

    response = client.post(_urls(application.reference)["hire"], follow=True)

    assert "Finish every pre-employment check before you hire" in response.content.decode()
    application.refresh_from_db()
    assert application.stage == Stage.OFFER


def test_hiring_puts_the_worker_on_the_staff_list_and_the_page_says_so(
    client, application, employer, entry
):
    checklist = PreEmploymentChecklist.objects.get(application=application)
    for item in checklist.items.exclude(state="done"):
        check_record(
            check=item,
            actor=employer,
            record=CheckRecord(
                state="done", checked_by_name="Emma Employer", checked_on=timezone.localdate()
            ),
        )
    client.force_login(employer)
    page = client.get(_urls(application.reference)["checks"]).content.decode()
    assert "Every check is finished" in page

    response = client.post(_urls(application.reference)["hire"], follow=True)

    page = response.content.decode()
    assert "You hired Wendy Worker. Wendy Worker is now on your staff list." in page
    assert StaffMembership.objects.filter(entry=entry, status="active").exists()


def test_the_candidate_sees_what_they_must_provide_now(client, application, worker):
    client.force_login(worker)

    page = client.get(_urls(application.reference)["mine"]).content.decode()

    assert "What you need to do now" in page
    assert "Fill in our health declaration" in page
    assert "Send us your full employment history" in page
    assert 'class="tag tag-candidate">You<' in page
    # The employer's own notes are not the candidate's to read.
    assert "Notes and evidence" not in page


def test_the_pdf_pack_has_each_check_with_who_checked_it_and_when(client, application, employer):
    checklist = PreEmploymentChecklist.objects.get(application=application)
    check_record(
        check=checklist.items.get(item="health"),
        actor=employer,
        record=CheckRecord(
            state="not_needed", not_needed_reason="A declaration is on file from last year."
        ),
    )
    client.force_login(employer)

    response = client.get(_urls(application.reference)["pdf"])

    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    reader = PdfReader(io.BytesIO(response.content))
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    assert reader.metadata.title == "Pre-employment checks: Wendy Worker"
    assert "Proof of identity, with a recent photograph" in text
    assert "Rita Registrar, registrar, Care Register on" in text
    assert "Health declaration" in text
    assert "Not needed because: A declaration is on file from last year." in text
    assert "Full employment history, with gaps explained" in text
    assert "To do. Waiting for: the candidate" in text
    assert f"Application {application.reference}" in text
    assert "is the accessible version" in text
    # Untagged, and says so by not claiming otherwise (docs/decisions/0025).
    catalog = reader.trailer["/Root"]
    assert catalog["/Lang"] == "en-GB"
    assert "/StructTreeRoot" not in catalog and "/MarkInfo" not in catalog
