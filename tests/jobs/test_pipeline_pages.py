# ruff: noqa: F811  (pytest fixtures imported from tests/jobs/pipeline_fixtures.py)
"""The pipeline's pages: who may open each (an access table per role), what they show, and
their forms, with clear errors that change nothing."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from employers.models import EmployerVerification
from jobs.models import Application, InterviewSlot
from tests.factories import InterviewSlotFactory
from tests.jobs.pipeline_fixtures import (  # noqa: F401  (fixtures)
    other_employer,
    pat_application,
    question,
    sam_application,
    vacancy,
    wendy_application,
)

pytestmark = pytest.mark.django_db

Stage = Application.Stage
ROLES = ["anonymous", "worker", "other_worker", "employer_member", "other_employer", "registrar"]


def _urls(vacancy, application):
    ref, app = vacancy.reference, application.reference
    return {
        "pipeline": reverse("jobs:pipeline", args=[ref]),
        "csv": reverse("jobs:pipeline-csv", args=[ref]),
        "applicant": reverse("jobs:pipeline-applicant", args=[ref, app]),
        "slots": reverse("jobs:interview-slots", args=[ref]),
        "book": reverse("jobs:interview-book", args=[app]),
        "not-progress": reverse("jobs:pipeline-not-progress", args=[ref]),
        "move": reverse("jobs:pipeline-move", args=[ref, app]),
        "remove": reverse("jobs:interview-slot-remove", args=[ref, 1]),
        "cancel": reverse("jobs:interview-cancel", args=[app]),
    }


# Columns: anonymous, the applicant (Wendy), another worker, a member of the employer, a member
# of another employer, a registrar.
ACCESS = {
    "pipeline": "302 404 404 200 404 404",
    "csv": "302 404 404 200 404 404",
    "applicant": "302 404 404 200 404 404",
    "slots": "302 404 404 200 404 404",
    "book": "302 200 404 404 404 404",
    "not-progress": "302 405 405 405 405 405",
    "move": "302 405 405 405 405 405",
    "remove": "302 405 405 405 405 405",
    "cancel": "302 405 405 405 405 405",
}


@pytest.mark.parametrize("page", list(ACCESS))
def test_each_page_answers_each_role_as_the_table_says(
    request, client, page, vacancy, wendy_application, other_worker
):
    url = _urls(vacancy, wendy_application)[page]
    codes = []
    for role in ROLES:
        client.logout()
        if role != "anonymous":
            client.force_login(request.getfixturevalue(role))
        codes.append(str(client.get(url).status_code))

    assert " ".join(codes) == ACCESS[page]


@pytest.mark.parametrize("page", ["not-progress", "move", "cancel"])
def test_nobody_outside_the_employer_or_the_applicant_can_post(
    client, page, other_employer, vacancy, wendy_application
):
    client.force_login(other_employer)
    url = _urls(vacancy, wendy_application)[page]

    response = client.post(
        url, {"applications": [wendy_application.reference], "to": "shortlisted", "message": "x"}
    )

    assert response.status_code == 404
    wendy_application.refresh_from_db()
    assert wendy_application.stage == Stage.RECEIVED


def test_an_employer_not_verified_is_told_so_where_applicants_would_be(
    client, employer, vacancy, wendy_application
):
    EmployerVerification.objects.filter(organisation=vacancy.organisation).update(
        withdrawn_at=timezone.now()
    )
    client.force_login(employer)

    response = client.get(reverse("jobs:pipeline", args=[vacancy.reference]))

    assert response.status_code == 403
    assert "Wendy" not in response.content.decode()


# The pipeline page ------------------------------------------------------------------------------


def test_the_pipeline_shows_each_applicants_verified_state(
    client, employer, vacancy, wendy_application, pat_application, sam_application
):
    client.force_login(employer)

    page = client.get(reverse("jobs:pipeline", args=[vacancy.reference])).content.decode()

    assert "Not verified: not on the register" in page
    assert '<strong class="tag tag-warning">Suspended</strong>' in page
    assert "Training: 0 valid, 1 due for renewal" in page
    assert 'data-label="Stage">Received</td>' in page
    assert "Received: 3" in page


def test_the_pipeline_filters_from_the_address(
    client, employer, vacancy, question, wendy_application, pat_application
):
    client.force_login(employer)
    url = reverse("jobs:pipeline", args=[vacancy.reference])

    page = client.get(url, {"answer": f"{question.pk}:no", "sort": "name"}).content.decode()

    assert "Pat Newcomer" in page
    assert "Wendy Worker" not in page
    # Nonsense in the address is ignored, not an error.
    assert client.get(url, {"stage": "nonsense", "answer": "x:y"}).status_code == 200


def test_the_csv_is_an_attachment_of_the_filtered_applicants(
    client, employer, vacancy, wendy_application, pat_application
):
    client.force_login(employer)

    response = client.get(
        reverse("jobs:pipeline-csv", args=[vacancy.reference]), {"verified": "no"}
    )

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        f'attachment; filename="applicants-{vacancy.reference}.csv"'
    )
    text = response.content.decode()
    assert "Pat Newcomer" in text
    assert "Wendy Worker" not in text


def test_bulk_not_progressed_moves_the_ticked(
    client, employer, vacancy, wendy_application, pat_application, sam_application
):
    client.force_login(employer)

    response = client.post(
        reverse("jobs:pipeline-not-progress", args=[vacancy.reference]),
        {
            "applications": [pat_application.reference, sam_application.reference],
            "message": "Thank you for applying.",
        },
    )

    assert response.status_code == 302
    assert set(Application.objects.values_list("stage", flat=True)) == {
        "received",
        "not_progressed",
    }
    page = client.get(response.url).content.decode()
    assert "2 applicants not progressed." in page


def test_bulk_not_progressed_refused_says_which_and_moves_nobody(
    client, employer, vacancy, wendy_application, pat_application
):
    Application.objects.filter(pk=wendy_application.pk).update(stage=Stage.HIRED)
    client.force_login(employer)

    response = client.post(
        reverse("jobs:pipeline-not-progress", args=[vacancy.reference]),
        {
            "applications": [pat_application.reference, wendy_application.reference],
            "message": "Thank you for applying.",
        },
    )

    assert response.status_code == 400
    page = response.content.decode()
    assert "Nobody was moved" in page
    assert f"Wendy Worker ({wendy_application.reference})" in page
    pat_application.refresh_from_db()
    assert pat_application.stage == Stage.RECEIVED


def test_bulk_not_progressed_without_a_message_or_a_tick_says_what_to_do(
    client, employer, vacancy, pat_application
):
    client.force_login(employer)

    response = client.post(reverse("jobs:pipeline-not-progress", args=[vacancy.reference]), {})

    assert response.status_code == 400
    page = response.content.decode()
    assert "Tick at least one applicant" in page
    assert "Write a message to the applicants" in page


# One applicant ----------------------------------------------------------------------------------


def test_the_applicant_page_shows_the_passport_while_shared(
    client, employer, vacancy, wendy_application
):
    client.force_login(employer)

    page = client.get(
        reverse("jobs:pipeline-applicant", args=[vacancy.reference, wendy_application.reference])
    ).content.decode()

    assert "Moving and handling" in page
    assert "I have cared for my grandmother" in page
    assert "Do you have a driving licence and a car for work?</dt><dd>Yes" in page
    assert "They chose not to share the outcomes of their identity checks." in page


def test_the_applicant_page_of_a_revoked_share_says_so(
    client, employer, vacancy, wendy_application
):
    wendy_application.share.revoked_at = timezone.now()
    wendy_application.share.save()
    client.force_login(employer)

    page = client.get(
        reverse("jobs:pipeline-applicant", args=[vacancy.reference, wendy_application.reference])
    ).content.decode()

    assert "The applicant stopped sharing their passport" in page
    assert "Moving and handling" not in page


def test_a_move_is_made_from_the_applicant_page(client, employer, vacancy, wendy_application):
    client.force_login(employer)
    url = reverse("jobs:pipeline-move", args=[vacancy.reference, wendy_application.reference])

    response = client.post(url, {"to": "shortlisted", "message": ""})

    assert response.status_code == 302
    wendy_application.refresh_from_db()
    assert wendy_application.stage == Stage.SHORTLISTED


def test_not_progressing_without_a_message_is_refused_on_the_page(
    client, employer, vacancy, wendy_application
):
    client.force_login(employer)
    url = reverse("jobs:pipeline-move", args=[vacancy.reference, wendy_application.reference])

    response = client.post(url, {"to": "not_progressed", "message": ""})

    assert response.status_code == 400
    assert "Write a message to the applicant" in response.content.decode()
    wendy_application.refresh_from_db()
    assert wendy_application.stage == Stage.RECEIVED


def test_inviting_without_interview_times_says_to_add_them(
    client, employer, vacancy, wendy_application
):
    client.force_login(employer)
    url = reverse("jobs:pipeline-move", args=[vacancy.reference, wendy_application.reference])

    response = client.post(url, {"to": "interview"})

    assert response.status_code == 400
    assert "Add interview times first" in response.content.decode()


# Interview times --------------------------------------------------------------------------------


def test_an_interview_time_is_added_with_the_date_boxes(client, employer, vacancy):
    client.force_login(employer)
    day = timezone.localdate() + timedelta(days=5)

    response = client.post(
        reverse("jobs:interview-slots", args=[vacancy.reference]),
        {
            "starts_at_0": day.day,
            "starts_at_1": day.month,
            "starts_at_2": day.year,
            "starts_at_3": "14:30",
            "minutes": "45",
            "kind": "in_person",
            "location": "Sunrise House",
        },
    )

    assert response.status_code == 302
    slot = InterviewSlot.objects.get()
    assert timezone.localtime(slot.starts_at).strftime("%H:%M") == "14:30"
    assert slot.minutes == 45


def test_an_interview_time_in_the_past_or_half_typed_is_refused(client, employer, vacancy):
    client.force_login(employer)
    url = reverse("jobs:interview-slots", args=[vacancy.reference])

    past = client.post(
        url,
        {
            "starts_at_0": "1",
            "starts_at_1": "1",
            "starts_at_2": "2020",
            "starts_at_3": "9:00",
            "minutes": "30",
            "kind": "phone",
        },
    )
    half = client.post(
        url, {"starts_at_0": "1", "starts_at_2": "2030", "minutes": "30", "kind": "phone"}
    )

    assert past.status_code == 400
    assert "The interview start must be in the future" in past.content.decode()
    assert half.status_code == 400
    assert "The interview start must include a month" in half.content.decode()
    assert not InterviewSlot.objects.exists()


def test_a_free_time_is_removed_from_its_page(client, employer, vacancy):
    slot = InterviewSlotFactory(vacancy=vacancy)
    client.force_login(employer)

    response = client.post(reverse("jobs:interview-slot-remove", args=[vacancy.reference, slot.pk]))

    assert response.status_code == 302
    assert not InterviewSlot.objects.exists()


def test_the_applicant_books_cancels_and_books_again(client, worker, vacancy, wendy_application):
    Application.objects.filter(pk=wendy_application.pk).update(stage=Stage.INTERVIEW)
    first, second = InterviewSlotFactory(vacancy=vacancy), InterviewSlotFactory(vacancy=vacancy)
    client.force_login(worker)
    url = reverse("jobs:interview-book", args=[wendy_application.reference])

    assert client.post(url, {"slot": first.pk}).status_code == 302
    assert InterviewSlot.objects.get(booked_by=wendy_application) == first
    page = client.get(url).content.decode()
    assert "Your interview is booked for" in page
    assert "Change to this time" in page

    client.post(reverse("jobs:interview-cancel", args=[wendy_application.reference]))
    assert not InterviewSlot.objects.filter(booked_by__isnull=False).exists()

    assert client.post(url, {"slot": second.pk}).status_code == 302
    assert InterviewSlot.objects.get(booked_by=wendy_application) == second


def test_choosing_no_time_says_so(client, worker, vacancy, wendy_application):
    Application.objects.filter(pk=wendy_application.pk).update(stage=Stage.INTERVIEW)
    InterviewSlotFactory(vacancy=vacancy)
    client.force_login(worker)

    response = client.post(reverse("jobs:interview-book", args=[wendy_application.reference]), {})

    assert response.status_code == 400
    assert "Choose a time for your interview" in response.content.decode()


def test_an_applicant_not_invited_is_told_there_is_nothing_to_book(
    client, worker, vacancy, wendy_application
):
    InterviewSlotFactory(vacancy=vacancy)
    client.force_login(worker)

    page = client.get(
        reverse("jobs:interview-book", args=[wendy_application.reference])
    ).content.decode()

    assert "The employer has not invited you to an interview yet." in page
    assert "Book this time" not in page


def test_the_applicant_page_promises_only_the_record_there_is_of_opening_a_passport(
    client, employer, worker, vacancy, wendy_application
):
    # Opening the passport is written to the audit log, which the applicant has no page to
    # read: the employer was told "the applicant can see who looked", which was not so.
    client.force_login(employer)
    page = client.get(
        reverse("jobs:pipeline-applicant", args=[vacancy.reference, wendy_application.reference])
    ).content.decode()

    assert "can see who looked" not in page
    assert "Opening it is recorded in the register's audit log." in page
