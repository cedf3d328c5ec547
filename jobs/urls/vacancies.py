"""A vacancy's public page, and the employer's pages to write, publish and close vacancies."""

from django.urls import path, register_converter

from core.references import REFERENCE_ALPHABET, REFERENCE_LENGTH
from jobs.views import vacancies as views


class VacancyReferenceConverter:
    """Only a vacancy reference: so /jobs/<reference>/ never takes an address such as
    /jobs/alerts/ that another part of the jobs service answers."""

    regex = f"[{REFERENCE_ALPHABET}]{{{REFERENCE_LENGTH}}}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(VacancyReferenceConverter, "vacancy_reference")

EMPLOYER = "organisations/<int:organisation_pk>/vacancies/"
ONE = EMPLOYER + "<vacancy_reference:reference>/"

urlpatterns = [
    path("jobs/<vacancy_reference:reference>/", views.vacancy_page, name="vacancy"),
    path(EMPLOYER, views.employer_vacancies, name="employer-vacancies"),
    path(EMPLOYER + "new/", views.vacancy_new, name="vacancy-new"),
    path(ONE + "edit/", views.vacancy_edit, name="vacancy-edit"),
    path(ONE + "questions/", views.vacancy_questions, name="vacancy-questions"),
    path(ONE + "publish/", views.vacancy_publish, name="vacancy-publish"),
    path(ONE + "filled/", views.vacancy_filled, name="vacancy-filled"),
    path(ONE + "withdraw/", views.vacancy_withdraw, name="vacancy-withdraw"),
]
