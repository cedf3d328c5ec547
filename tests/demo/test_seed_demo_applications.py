"""The demo's applications: the demo workers' applications at different stages, an interview to
book, a question answered and a job alert, made through the services, seeded once however
often `seed_demo` runs, and as the README's "Jobs" section says."""

import re
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse

from core.models import AuditEvent
from employers.models import ShareCode
from jobs.models import (
    Application,
    ApplicationEvent,
    InterviewSlot,
    JobAlert,
    PreEmploymentCheck,
    QuestionMessage,
    QuestionThread,
    ScreeningAnswer,
)
from jobs.services.pipeline import applicant_move

pytestmark = pytest.mark.django_db

Stage = Application.Stage
README = Path(__file__).resolve().parents[2] / "README.md"


@pytest.fixture
def seeded(capsys):
    call_command("seed_demo")
    capsys.readouterr()


def _readme_jobs() -> str:
    """The README's "Jobs" section, its lines joined so a sentence reads whole."""
    section = README.read_text().split("### Jobs", 1)[1].split("\n### ", 1)[0]
    return " ".join(section.split())


def _number(pattern: str) -> int:
    found = re.search(pattern, _readme_jobs())
    assert found, pattern
    return int(found.group(1))


def _stages(email: str) -> dict[str, str]:
    return dict(
        Application.objects.filter(applicant__email=email).values_list("vacancy__title", "stage")
    )


def test_the_demo_worker_has_applications_received_at_interview_and_not_progressed(seeded):
    assert _stages("worker@example.com") == {
        "Care assistant": Stage.RECEIVED,
        "Night care assistant": Stage.INTERVIEW,
        "Home carer": Stage.NOT_PROGRESSED,
    }
    amira = Application.objects.filter(applicant__email="worker@example.com")
    # Each shares her record, identity checks included, with that employer alone.
    assert all(application.share and application.shares_identity_checks for application in amira)
    ended = amira.get(stage=Stage.NOT_PROGRESSED)
    assert ended.message.startswith("Thank you for applying, Amira")
    assert ended.vacancy.organisation.name == "Brightpath Home Care"
    # Her answer to the driving question is why, and the employer sees it.
    assert ScreeningAnswer.objects.get(application=ended).answer is False
    interview = amira.get(stage=Stage.INTERVIEW)
    assert [event.stage for event in interview.events.all()] == [
        Stage.RECEIVED,
        Stage.SHORTLISTED,
        Stage.INTERVIEW,
    ]
    assert interview.vacancy.interview_slots.filter(booked_by__isnull=True).count() == 3


def test_the_care_assistant_post_has_three_applicants_one_not_verified(seeded):
    applications = Application.objects.filter(
        vacancy__title="Care assistant", vacancy__workplace_name="Sunrise House"
    )

    assert sorted(applications.values_list("applicant__email", "stage")) == [
        ("applicant@example.com", Stage.RECEIVED),
        ("renewing@example.com", Stage.RECEIVED),
        ("worker@example.com", Stage.RECEIVED),
    ]
    tom = applications.get(applicant__email="applicant@example.com")
    assert tom.entry is None and tom.share is None


def test_the_demo_worker_has_a_question_answered_and_a_weekly_alert(seeded):
    thread = QuestionThread.objects.get()
    assert thread.asker.email == "worker@example.com"
    assert thread.vacancy.title == "Senior care assistant"
    assert [message.from_employer for message in thread.messages.all()] == [False, True]
    alert = JobAlert.objects.get()
    assert (alert.user.email, alert.status, alert.frequency) == (
        "worker@example.com",
        JobAlert.Status.ACTIVE,
        JobAlert.Frequency.WEEKLY,
    )
    assert alert.query == "miles=10&where=Leeds"


def test_running_the_seed_again_adds_nothing(seeded):
    def counts():
        return {
            model.__name__: model.objects.count()
            for model in (
                Application,
                ApplicationEvent,
                ScreeningAnswer,
                ShareCode,
                InterviewSlot,
                QuestionThread,
                QuestionMessage,
                JobAlert,
            )
        } | {"audit": AuditEvent.objects.filter(action__startswith="jobs.").count()}

    before = counts()
    call_command("seed_demo")

    assert counts() == before
    # Five in the steps above, and two more with the paid trials (demo/trials.py).
    assert before["Application"] == 7 and before["InterviewSlot"] == 3


def test_the_readme_says_what_the_demo_worker_and_employer_find(seeded, client):
    amira = Application.objects.filter(applicant__email="worker@example.com")
    assert _number(r"She has (\d+) applications") == amira.count()
    interview = amira.get(stage=Stage.INTERVIEW)
    assert _number(r"with (\d+) interview times to choose from") == (
        interview.vacancy.interview_slots.filter(booked_by__isnull=True).count()
    )
    assert _number(r"weekly alert for jobs within (\d+) miles of Leeds") == 10
    post = Application.objects.filter(
        vacancy__title="Care assistant", vacancy__workplace_name="Sunrise House"
    )
    assert _number(r"The care assistant post at Sunrise House has (\d+) applicants") == (
        post.count()
    )

    # The pages show it, signed in as the README says.
    client.force_login(interview.applicant)
    listing = client.get(reverse("jobs:my-applications")).content.decode()
    assert listing.count('data-label="Stage"') == amira.count()
    booking = client.get(reverse("jobs:interview-book", args=[interview.reference]))
    assert booking.content.decode().count('type="radio"') == 3
    client.force_login(post.first().vacancy.created_by)
    pipeline = client.get(reverse("jobs:pipeline", args=[post.first().vacancy.reference]))
    assert "Not verified: not on the register" in pipeline.content.decode()

    # An offer to Amira opens her checks with as many filled in from the register as it says.
    boss = post.first().vacancy.created_by
    applicant_move(application=post.get(applicant=interview.applicant), to=Stage.OFFER, user=boss)
    filled = PreEmploymentCheck.objects.filter(from_register=True).count()
    total = PreEmploymentCheck.objects.count()
    found = re.search(r"with (\d+) of the (\d+) filled in from the register", _readme_jobs())
    assert found and (int(found.group(1)), int(found.group(2))) == (filled, total)


def test_the_dry_run_says_it_would_seed_the_applications_and_makes_none(capsys):
    call_command("seed_demo", "--dry-run")

    assert "applications, an interview to book, a question and a job alert" in (
        capsys.readouterr().out
    )
    assert not Application.objects.exists()
