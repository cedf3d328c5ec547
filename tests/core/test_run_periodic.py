"""`manage.py run_periodic`: what `make run` runs every minute beside the worker, so that a
development site opens and closes consultations, reminds and lapses as production does."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from consultations.models import Consultation
from register.models import RegisterEntry, RenewalReminder
from tests.factories import ConsultationFactory, RegisterEntryFactory

pytestmark = pytest.mark.django_db


def today():
    return timezone.localdate()


def run(*args):
    out, err = StringIO(), StringIO()
    call_command("run_periodic", "--once", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def due_everywhere(association_admin, association, clock):
    """A consultation the clock has opened but whose row still says scheduled, an entry due a
    30-day reminder, and one past its renewal date."""
    consultation = ConsultationFactory(
        created_by=association_admin,
        organisation=association,
        opens_at=timezone.now() + timedelta(hours=1),
        status="scheduled",
    )
    clock.advance(timedelta(hours=2))
    reminded = RegisterEntryFactory(
        renewal_due=today() + timedelta(days=30),
        registered_from=today() - timedelta(days=335),
    )
    overdue = RegisterEntryFactory(
        renewal_due=today() - timedelta(days=1),
        registered_from=today() - timedelta(days=366),
    )
    return consultation, reminded, overdue


def test_one_round_runs_each_scheduled_command(due_everywhere):
    consultation, reminded, overdue = due_everywhere

    out, err = run()

    consultation.refresh_from_db()
    overdue.refresh_from_db()
    assert consultation.status == Consultation.Status.OPEN
    assert RenewalReminder.objects.filter(entry=reminded, days_before=30).exists()
    assert overdue.status == RegisterEntry.Status.LAPSED
    assert f"advance_consultations: {consultation.slug}: now open" in out
    assert f"lapse_overdue_registrations: lapsed {overdue.registration_number}" in out
    assert err == ""


def test_a_second_round_finds_nothing_to_do_and_says_nothing(due_everywhere):
    run()

    out, err = run()

    assert (out, err) == ("", "")


def test_a_failing_command_is_reported_and_the_others_still_run(due_everywhere, settings):
    consultation, _, overdue = due_everywhere
    settings.PERIODIC_COMMANDS = [
        "send_renewal_reminders --today not-a-date",
        "advance_consultations",
        "lapse_overdue_registrations",
    ]

    with pytest.raises(CommandError, match="Failed: send_renewal_reminders."):
        run()

    consultation.refresh_from_db()
    overdue.refresh_from_db()
    assert consultation.status == Consultation.Status.OPEN
    assert overdue.status == RegisterEntry.Status.LAPSED


def test_the_failure_is_written_out_with_its_reason(due_everywhere, settings):
    settings.PERIODIC_COMMANDS = ["no_such_command", "advance_consultations"]
    err = StringIO()

    with pytest.raises(CommandError):
        call_command("run_periodic", "--once", stdout=StringIO(), stderr=err)

    assert "no_such_command failed:" in err.getvalue()
    assert "Unknown command: 'no_such_command'" in err.getvalue()
    assert Consultation.objects.get().status == Consultation.Status.OPEN


def test_every_scheduled_command_exists_and_takes_no_argument_it_lacks(settings):
    # The list in settings names real commands: one round on an empty database runs them all.
    out, err = run("--verbosity", "2")

    for name in settings.PERIODIC_COMMANDS:
        assert f"{name}: " in out
    assert err == ""


def test_it_refuses_a_zero_interval():
    with pytest.raises(CommandError, match="at least 1 second"):
        call_command("run_periodic", "--every", "0", stdout=StringIO())


def test_the_readme_tells_an_operator_to_run_every_scheduled_command(settings):
    # Production has no `make run`: whatever it runs for a development site, the README must
    # tell an operator to schedule (send_job_alerts was missing, so no alert would go out).
    from pathlib import Path

    readme = (Path(settings.BASE_DIR) / "README.md").read_text()

    missing = [name for name in settings.PERIODIC_COMMANDS if f"manage.py {name}" not in readme]
    assert missing == []
