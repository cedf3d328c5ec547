"""The quizzes' test fixtures: both demo quizzes published by the association, and a person
with an open application to share with. Imported by the tests/careers/test_quiz*.py files."""

import pytest

from careers.models import Quiz
from demo.careers_quizzes import IS_CARE_FOR_ME, WHAT_WOULD_YOU_DO, seed_demo_quizzes
from tests.factories import JobApplicationFactory, UserFactory


@pytest.fixture
def quizzes(association, association_admin):
    seed_demo_quizzes(association, association_admin)
    return {quiz.slug: quiz for quiz in Quiz.objects.all()}


@pytest.fixture
def preview(quizzes):
    return quizzes["is-care-for-me"]


@pytest.fixture
def scenarios(quizzes):
    return quizzes["what-would-you-do"]


def all_first_options(content: dict) -> dict:
    return {question["key"]: question["options"][0]["key"] for question in content["questions"]}


PREVIEW_ANSWERS = all_first_options(IS_CARE_FOR_ME)
SCENARIO_ANSWERS = all_first_options(WHAT_WOULD_YOU_DO)


@pytest.fixture
def candidate(db):
    return UserFactory(email="candidate@example.org")


@pytest.fixture
def candidate_application(candidate):
    return JobApplicationFactory(applicant=candidate)
