"""The demo's paid job trials (demo/trials.py): Tom's observation session offered and Rosa's
supervised working trial worked, paid and confirmed with feedback, made through the trial
services, seeded once however often `seed_demo` runs, and as the README's "Jobs" section says."""

import re
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from core.models import AuditEvent
from jobs.models import Application, JobTrial, TrialFeedback, TrialPay

pytestmark = pytest.mark.django_db

README = Path(__file__).resolve().parents[2] / "README.md"


@pytest.fixture
def seeded(capsys):
    call_command("seed_demo")
    capsys.readouterr()


def _readme_trials() -> str:
    """The README's "Jobs" section from its paid trials step, its lines joined."""
    section = README.read_text().split("### Jobs", 1)[1].split("\n### ", 1)[0]
    return " ".join(section.split("Paid job trials", 1)[1].split())


def test_tom_has_an_observation_session_offered_as_the_readme_says(seeded, client):
    trial = JobTrial.objects.get(application__applicant__email="applicant@example.com")
    assert (trial.kind, trial.status) == (JobTrial.Kind.OBSERVATION, JobTrial.Status.OFFERED)
    assert trial.checks_source == JobTrial.CheckSource.NOT_NEEDED
    assert trial.application.stage == Application.Stage.TRIAL_OFFERED
    assert trial.application.vacancy.workplace_name == "Heaton Lodge"
    assert trial.application.vacancy.organisation.name == "Sunrise Care Homes"
    assert trial.application.entry is None
    days = re.search(r"an observation session in (\d+) days' time", _readme_trials())
    assert days and (timezone.localdate(trial.starts_at) - timezone.localdate()).days == int(
        days.group(1)
    )

    client.force_login(trial.application.applicant)
    page = client.get(reverse("jobs:my-trial", args=[trial.application.reference]))
    assert "Send your answer" in page.content.decode()


def test_rosas_supervised_trial_was_worked_paid_and_confirmed_with_feedback(seeded, client):
    trial = JobTrial.objects.get(application__applicant__email="renewing@example.com")
    readme = _readme_trials()
    assert (trial.kind, trial.status) == (JobTrial.Kind.SUPERVISED, JobTrial.Status.WORKED)
    # The register had no checks of hers to share: Brightpath's own check made it allowed.
    assert trial.checks_source == JobTrial.CheckSource.EMPLOYER
    assert trial.employer_barred_list_check == JobTrial.BarredListCheck.ADULT_FIRST
    assert "on Brightpath's own DBS Adult First check" in readme
    worked = re.search(r"was worked (\d+) days ago", readme)
    assert (
        worked
        and int(worked.group(1))
        == (timezone.localdate() - timezone.localdate(trial.starts_at)).days
    )
    pay = TrialPay.objects.get(trial=trial)
    assert pay.hours_confirmed_at and pay.paid_confirmed_at
    assert f"the payment of £{pay.amount}" in readme
    assert pay.amount == trial.hourly_rate * pay.hours
    assert trial.hourly_rate >= trial.pay_floor_rate
    feedback = {item.from_employer: item for item in TrialFeedback.objects.filter(trial=trial)}
    assert set(feedback) == {True, False}
    assert feedback[True].values_labels and feedback[False].values_labels
    assert feedback[True].reply  # Rosa's reply to Brightpath
    assert trial.application.stage == Application.Stage.TRIAL_OFFERED  # Hana's outcome to give

    client.force_login(trial.application.vacancy.created_by)
    page = client.get(reverse("jobs:trial", args=[trial.application.reference])).content.decode()
    assert "Tell the candidate" in page and feedback[False].text[:30] in page
    client.force_login(trial.application.applicant)
    mine = client.get(reverse("jobs:my-trial", args=[trial.application.reference]))
    assert feedback[True].text[:30] in mine.content.decode()


def test_seeding_again_adds_no_trial(seeded):
    def counts():
        return (
            JobTrial.objects.count(),
            TrialPay.objects.count(),
            TrialFeedback.objects.count(),
            AuditEvent.objects.filter(action__startswith="jobs.trial").count(),
        )

    before = counts()
    call_command("seed_demo")

    assert counts() == before
    assert before[:3] == (2, 1, 2)
