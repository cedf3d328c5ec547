import datetime
from pathlib import Path

import pytest
from django.core.management import call_command

from accounts.models import Membership, Organisation, User
from core.dates import format_day
from employers.services.sharecodes import share_code_check, share_code_create
from register.models import Application, IdentityCheck, ReferenceRequest, RegisterEntry
from register.services.applications import application_missing_answers, application_missing_checks


@pytest.mark.django_db
def test_seed_demo_is_idempotent(capsys):
    call_command("seed_demo")
    counts = (User.objects.count(), Organisation.objects.count(), Membership.objects.count())
    call_command("seed_demo")

    assert (User.objects.count(), Organisation.objects.count(), Membership.objects.count()) == (
        counts
    )
    assert counts == (12, 4, 4)
    assert RegisterEntry.objects.filter(worker__email="worker@example.com").exists()
    assert Application.objects.get(worker__email="applicant@example.com").status == "submitted"
    registrar = User.objects.get(email="registrar@example.com")
    assert registrar.is_registrar and registrar.is_staff
    assert registrar.check_password("demo-register-2026")
    # Four-eyes approval is on in development too: a second registrar gives the second approval;
    # a concern needs a screener, two deciders and two more for an appeal.
    assert User.objects.filter(is_registrar=True).count() == 5
    from concerns.models import Case

    concern = Case.objects.get()
    assert concern.status == Case.Status.RECEIVED
    assert concern.entry.worker.email == "renewing@example.com"
    assert "worker@example.com" in capsys.readouterr().out
    from passports.models import SigningKey, TrainingRecord
    from passports.services.passports import passport_issue
    from passports.verification import verify

    assert TrainingRecord.objects.filter(status="verified").count() == 4
    assert SigningKey.objects.filter(status="active").count() == 1
    entry = RegisterEntry.objects.get(worker__email="worker@example.com")
    assert verify(passport_issue(entry=entry, requested_by=entry.worker).token).valid


@pytest.mark.django_db
def test_seed_demo_dry_run_creates_nothing():
    call_command("seed_demo", "--dry-run")

    assert not User.objects.exists()


README = Path(__file__).resolve().parents[2] / "README.md"


def _readme_demo_rows() -> dict[str, dict[str, str]]:
    """The README's table of demo logins, by email: each row's cells under their headings."""
    section = README.read_text().split("## Demo logins", 1)[1].split("\n## ", 1)[0]
    lines = [line for line in section.splitlines() if line.startswith("|")]
    headings = [cell.strip() for cell in lines[0].strip("|").split("|")]
    rows = {}
    for line in lines[2:]:
        cells = dict(
            zip(headings, (cell.strip() for cell in line.strip("|").split("|")), strict=True)
        )
        rows[cells["Email"].strip("`")] = cells
    return rows


@pytest.mark.django_db
def test_the_readme_gives_the_seeded_dates_of_birth():
    call_command("seed_demo")
    rows = _readme_demo_rows()

    for email in ("worker@example.com", "applicant@example.com"):
        application = Application.objects.filter(worker__email=email).get()
        assert rows[email]["Date of birth"] == format_day(application.date_of_birth), email


@pytest.mark.django_db
def test_an_employer_checking_the_demo_worker_sees_the_checks_her_approval_needed():
    call_command("seed_demo")
    entry = RegisterEntry.objects.get(worker__email="worker@example.com")
    share_code, code = share_code_create(
        worker=entry.worker, entry=entry, shares_identity_checks=True
    )
    employer = User.objects.get(email="employer@example.com")
    organisation = Organisation.objects.get(name="Sunrise Care Homes")
    # The date of birth as the README gives it, which is what a person trying the demo types.
    born = datetime.datetime.strptime(
        _readme_demo_rows()["worker@example.com"]["Date of birth"], "%d %B %Y"
    ).date()

    shared = share_code_check(
        organisation=organisation, user=employer, code=code, date_of_birth=born
    )

    assert application_missing_checks(entry.application) == []
    assert sorted((item.check_type, item.outcome) for item in shared.identity_checks) == [
        ("Enhanced DBS certificate with barred-list check", "Passed"),
        ("Photo identity document", "Passed"),
        ("Reference", "Passed"),
        ("Reference", "Passed"),
        ("Right to work", "Passed"),
    ]


@pytest.mark.django_db
def test_seed_demo_adds_the_checks_to_a_demo_worker_seeded_before_they_were():
    call_command("seed_demo")
    application = RegisterEntry.objects.get(worker__email="worker@example.com").application
    ReferenceRequest.objects.all().delete()
    IdentityCheck.objects.all().delete()

    call_command("seed_demo")
    call_command("seed_demo")

    assert application.checks.count() == 5
    answered = ReferenceRequest.objects.filter(referee__application=application)
    assert [item.identity_check.outcome for item in answered] == ["passed", "passed"]


@pytest.mark.django_db
def test_the_demo_applicant_has_two_referees_a_registrar_can_ask():
    call_command("seed_demo")
    application = Application.objects.get(worker__email="applicant@example.com")

    assert [referee.name for referee in application.referees.all()] == [
        "Sam Manager",
        "Pat Tutor",
    ]
    assert application_missing_answers(application) == []
