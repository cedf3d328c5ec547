import pytest
from django.core.management import call_command

from accounts.models import Membership, Organisation, User
from register.models import Application, RegisterEntry


@pytest.mark.django_db
def test_seed_demo_is_idempotent(capsys):
    call_command("seed_demo")
    counts = (User.objects.count(), Organisation.objects.count(), Membership.objects.count())
    call_command("seed_demo")

    assert (User.objects.count(), Organisation.objects.count(), Membership.objects.count()) == (
        counts
    )
    assert counts == (8, 3, 3)
    assert RegisterEntry.objects.filter(worker__email="worker@example.com").exists()
    assert Application.objects.get(worker__email="applicant@example.com").status == "submitted"
    registrar = User.objects.get(email="registrar@example.com")
    assert registrar.is_registrar and registrar.is_staff
    assert registrar.check_password("demo-register-2026")
    # Four-eyes approval is on in development too: a second registrar gives the second approval.
    assert User.objects.filter(is_registrar=True).count() == 2
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
