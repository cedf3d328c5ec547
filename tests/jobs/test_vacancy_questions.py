"""The employer's own yes/no screening questions (at most five, fixed once someone applies),
and the vacancies withdrawn when a registrar withdraws the employer's verification."""

import pytest
from django.core.exceptions import PermissionDenied

from core.models import AuditEvent
from employers.services.verification import (
    EmployerNotVerified,
    employer_verification_withdraw,
)
from jobs.models import ScreeningQuestion, Vacancy
from jobs.services.vacancies import (
    VacancyError,
    VacancyInvalid,
    VacancyStatusError,
    vacancy_close,
    vacancy_publish,
    vacancy_questions_set,
)
from tests.factories import JobApplicationFactory, VacancyFactory

pytestmark = pytest.mark.django_db

Status = Vacancy.Status


@pytest.fixture
def vacancy(employer, employer_organisation):
    return VacancyFactory(organisation=employer_organisation, created_by=employer)


def _texts(vacancy) -> list[str]:
    return list(vacancy.questions.order_by("position").values_list("text", flat=True))


def test_a_member_sets_the_questions_in_order_audited(vacancy, employer_member):
    vacancy_questions_set(
        vacancy=vacancy,
        user=employer_member,
        questions=["Do you have a driving licence and a car for work?", "  Can you work  nights? "],
    )

    assert _texts(vacancy) == [
        "Do you have a driving licence and a car for work?",
        "Can you work nights?",
    ]
    event = AuditEvent.objects.get(action="jobs.vacancy.questions_set")
    assert (event.target_id, event.actor_id) == (str(vacancy.pk), employer_member.pk)
    assert event.data == {"before": 0, "after": 2}


def test_setting_the_questions_again_replaces_them(vacancy, employer):
    vacancy_questions_set(vacancy=vacancy, user=employer, questions=["One?", "Two?"])
    vacancy_questions_set(vacancy=vacancy, user=employer, questions=["Three?"])

    assert _texts(vacancy) == ["Three?"]
    assert ScreeningQuestion.objects.count() == 1


def test_the_same_questions_again_change_nothing_and_log_nothing(vacancy, employer):
    vacancy_questions_set(vacancy=vacancy, user=employer, questions=["One?"])
    vacancy_questions_set(vacancy=vacancy, user=employer, questions=["One?"])

    assert AuditEvent.objects.filter(action="jobs.vacancy.questions_set").count() == 1


def test_all_questions_can_be_taken_away(vacancy, employer):
    vacancy_questions_set(vacancy=vacancy, user=employer, questions=["One?"])
    vacancy_questions_set(vacancy=vacancy, user=employer, questions=[])

    assert _texts(vacancy) == []


def test_it_refuses_more_than_five_questions(vacancy, employer):
    with pytest.raises(VacancyInvalid) as refused:
        vacancy_questions_set(
            vacancy=vacancy, user=employer, questions=[f"Question {n}?" for n in range(6)]
        )

    assert refused.value.problems == {
        "questions": "Ask at most 5 questions. You gave 6: take some out."
    }
    assert _texts(vacancy) == []
    assert not AuditEvent.objects.filter(action="jobs.vacancy.questions_set").exists()


def test_it_refuses_an_empty_question(vacancy, employer):
    with pytest.raises(VacancyInvalid) as refused:
        vacancy_questions_set(vacancy=vacancy, user=employer, questions=["One?", "   "])

    assert refused.value.problems == {
        "question_2": "Question 2 is empty. Write it, or take it out."
    }
    assert _texts(vacancy) == []


def test_it_refuses_a_question_over_200_characters(vacancy, employer):
    with pytest.raises(VacancyInvalid) as refused:
        vacancy_questions_set(vacancy=vacancy, user=employer, questions=["x" * 201])

    assert refused.value.problems == {
        "question_1": "Question 1 is 201 characters long. Keep each question to 200 "
        "characters or fewer."
    }


def test_it_refuses_the_same_question_twice(vacancy, employer):
    with pytest.raises(VacancyInvalid, match="Question 2 is the same as an earlier one"):
        vacancy_questions_set(vacancy=vacancy, user=employer, questions=["Car?", "car?"])


def test_the_questions_are_fixed_once_someone_has_applied(vacancy, employer):
    vacancy_questions_set(vacancy=vacancy, user=employer, questions=["One?"])
    vacancy_publish(vacancy=vacancy, user=employer)
    JobApplicationFactory(vacancy=vacancy)

    with pytest.raises(VacancyError, match="Someone has already applied"):
        vacancy_questions_set(vacancy=vacancy, user=employer, questions=["Two?"])

    assert _texts(vacancy) == ["One?"]


def test_a_closed_vacancys_questions_are_not_changed(vacancy, employer):
    vacancy_close(vacancy=vacancy, user=employer, outcome=Status.WITHDRAWN)

    with pytest.raises(VacancyStatusError, match="This vacancy is withdrawn"):
        vacancy_questions_set(vacancy=vacancy, user=employer, questions=["One?"])


@pytest.mark.parametrize("who", ["outsider", "worker", "provider"])
def test_nobody_outside_the_employer_sets_its_questions(request, who, vacancy):
    with pytest.raises(PermissionDenied):
        vacancy_questions_set(
            vacancy=vacancy, user=request.getfixturevalue(who), questions=["One?"]
        )
    assert _texts(vacancy) == []


def test_an_unverified_employer_cannot_set_questions(
    vacancy, employer, employer_organisation, registrar
):
    employer_verification_withdraw(organisation=employer_organisation, registrar=registrar)

    with pytest.raises(EmployerNotVerified):
        vacancy_questions_set(vacancy=vacancy, user=employer, questions=["One?"])


# --- Withdrawn verification -------------------------------------------------------------------


def test_withdrawing_verification_withdraws_the_published_vacancies(
    employer, employer_organisation, registrar
):
    published = vacancy_publish(
        vacancy=VacancyFactory(organisation=employer_organisation, created_by=employer),
        user=employer,
    )
    draft = VacancyFactory(organisation=employer_organisation, created_by=employer)
    filled = VacancyFactory(
        organisation=employer_organisation, created_by=employer, status=Status.FILLED
    )
    elsewhere = VacancyFactory(status=Status.PUBLISHED)

    employer_verification_withdraw(organisation=employer_organisation, registrar=registrar)

    for vacancy in (published, draft, filled, elsewhere):
        vacancy.refresh_from_db()
    assert published.status == Status.WITHDRAWN
    assert published.closed_at is not None
    assert (draft.status, filled.status, elsewhere.status) == (
        Status.DRAFT,
        Status.FILLED,
        Status.PUBLISHED,
    )
    event = AuditEvent.objects.get(action="jobs.vacancy.withdrawn")
    assert (event.target_id, event.actor_id) == (str(published.pk), registrar.pk)
    assert (event.old_status, event.new_status) == ("published", "withdrawn")
    assert event.data == {"reason": "employer_verification_withdrawn"}


def test_a_refused_withdrawal_of_verification_withdraws_no_vacancy(
    employer, employer_organisation, outsider
):
    published = vacancy_publish(
        vacancy=VacancyFactory(organisation=employer_organisation, created_by=employer),
        user=employer,
    )

    with pytest.raises(PermissionDenied):
        employer_verification_withdraw(organisation=employer_organisation, registrar=outsider)

    published.refresh_from_db()
    assert published.status == Status.PUBLISHED
