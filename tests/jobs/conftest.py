"""Shared pieces of the applying tests: a published vacancy with two screening questions, and
the answers a person gives to it."""

import pytest

from jobs.models import Vacancy
from jobs.services.applying import ApplicationAnswers
from tests.factories import ScreeningQuestionFactory, VacancyFactory


@pytest.fixture
def open_vacancy(employer, employer_organisation):
    """A published care home vacancy of the employer's, with two yes/no questions."""
    vacancy = VacancyFactory(
        organisation=employer_organisation,
        created_by=employer,
        status=Vacancy.Status.PUBLISHED,
        title="Night care assistant",
    )
    ScreeningQuestionFactory(
        vacancy=vacancy, position=1, text="Do you have a driving licence and a car for work?"
    )
    ScreeningQuestionFactory(vacancy=vacancy, position=2, text="Can you work nights?")
    return vacancy


def answers_for(vacancy, **overrides) -> ApplicationAnswers:
    """Complete answers to `vacancy`: yes to every question."""
    values = {
        "statement": "I cared for my grandmother for three years and want to make it my job.",
        "availability": "Any night from 1 March.",
        "phone": "07700 900123",
        "screening": {question.pk: True for question in vacancy.questions.all()},
        "shares_identity_checks": False,
    }
    values.update(overrides)
    return ApplicationAnswers(**values)
