"""The employer's pages to write, publish and close vacancies, and the public vacancy page.

The services check and audit every change (jobs/services/vacancies.py); these pages parse what
was typed, call one service, and show its refusal in its own words next to the field."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from core.errors import ApplicationError
from core.views import add_service_error
from employers.services.verification import employer_is_verified
from jobs import page_cache as vacancy_pages
from jobs.forms.vacancies import ConfirmForm, QuestionsForm, VacancyForm, field_anchor
from jobs.jsonld import job_posting_script
from jobs.models import DEFAULT_SAFEGUARDING_COMMITMENT, Application, Vacancy
from jobs.selectors import vacancies as selectors
from jobs.services import vacancies as services
from jobs.signals import sections, vacancy_page_sections_requested
from jobs.terms import vacancy_terms

Status = Vacancy.Status
EDITABLE = {Status.DRAFT, Status.PUBLISHED}


def _not_verified(request: HttpRequest, organisation) -> HttpResponse:
    return render(
        request, "jobs/vacancies/not_verified.html", {"organisation": organisation}, status=403
    )


def _employer_url(name: str, vacancy: Vacancy) -> str:
    return reverse(
        f"jobs:{name}",
        kwargs={"organisation_pk": vacancy.organisation_id, "reference": vacancy.reference},
    )


@never_cache
@login_required
@require_GET
def employer_vacancies(request: HttpRequest, organisation_pk: int) -> HttpResponse:
    listing = selectors.employer_vacancies(user=request.user, organisation_pk=organisation_pk)
    return render(request, "jobs/vacancies/list.html", {"listing": listing})


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def vacancy_new(request: HttpRequest, organisation_pk: int) -> HttpResponse:
    """A new vacancy, saved as a draft with whichever terms are given so far."""
    organisation = selectors.organisation_for_vacancies(
        user=request.user, organisation_pk=organisation_pk
    )
    if not employer_is_verified(organisation):
        return _not_verified(request, organisation)
    form = VacancyForm(
        request.POST if request.method == "POST" else None,
        # A commitment to start from, which the employer may make its own.
        initial={"safeguarding_commitment": DEFAULT_SAFEGUARDING_COMMITMENT},
    )
    if request.method == "POST" and form.is_valid():
        try:
            vacancy = services.vacancy_create(
                organisation=organisation, user=request.user, data=form.vacancy_data()
            )
        except services.VacancyInvalid as invalid:
            form.add_problems(invalid.problems)
        except ApplicationError as error:
            add_service_error(form, error)
        else:
            return _after_saving(request, vacancy, "Your draft has been saved.")
    return render(
        request,
        "jobs/vacancies/form.html",
        {"form": form, "organisation": organisation, "vacancy": None},
        status=400 if form.errors else 200,
    )


def _after_saving(request: HttpRequest, vacancy: Vacancy, saved: str) -> HttpResponse:
    messages.success(request, saved)
    if "preview" in request.POST:
        return redirect(_employer_url("vacancy-publish", vacancy))
    return redirect(_employer_url("vacancy-edit", vacancy))


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def vacancy_edit(request: HttpRequest, organisation_pk: int, reference: str) -> HttpResponse:
    """A draft's terms, or a published vacancy's: a published one must still meet every rule."""
    vacancy = selectors.vacancy_for_employer(
        user=request.user, organisation_pk=organisation_pk, reference=reference
    )
    if vacancy.status in EDITABLE and not employer_is_verified(vacancy.organisation):
        return _not_verified(request, vacancy.organisation)
    form = VacancyForm(
        request.POST if request.method == "POST" else None,
        initial=VacancyForm.initial_from(vacancy),
    )
    if request.method == "POST" and form.is_valid():
        try:
            vacancy = services.vacancy_update(
                vacancy=vacancy, user=request.user, data=form.vacancy_data()
            )
        except services.VacancyInvalid as invalid:
            form.add_problems(invalid.problems)
        except ApplicationError as error:
            add_service_error(form, error)
        else:
            saved = (
                "Your changes have been published."
                if vacancy.status == Status.PUBLISHED
                else "Your draft has been saved."
            )
            return _after_saving(request, vacancy, saved)
    return render(
        request,
        "jobs/vacancies/form.html",
        {
            "form": form,
            "organisation": vacancy.organisation,
            "vacancy": vacancy,
            "editable": vacancy.status in EDITABLE,
        },
        status=400 if form.errors else 200,
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def vacancy_questions(request: HttpRequest, organisation_pk: int, reference: str) -> HttpResponse:
    """The employer's own yes/no questions for applicants, at most five."""
    vacancy = selectors.vacancy_for_employer(
        user=request.user, organisation_pk=organisation_pk, reference=reference
    )
    if vacancy.status in EDITABLE and not employer_is_verified(vacancy.organisation):
        return _not_verified(request, vacancy.organisation)
    current = list(vacancy.questions.order_by("position", "pk"))
    initial = {f"question_{number}": q.text for number, q in enumerate(current, start=1)}
    form = QuestionsForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.vacancy_questions_set(
                vacancy=vacancy, user=request.user, questions=form.questions()
            )
        except services.VacancyInvalid as invalid:
            for field, message in invalid.problems.items():
                form.add_error(field if field in form.fields else None, message)
        except ApplicationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, "The questions have been saved.")
            return redirect(_employer_url("vacancy-publish", vacancy))
    return render(
        request,
        "jobs/vacancies/questions.html",
        {
            "form": form,
            "vacancy": vacancy,
            "editable": vacancy.status in EDITABLE and not vacancy.applications.exists(),
        },
        status=400 if form.errors else 200,
    )


def _publish_problems(vacancy: Vacancy) -> list[tuple[str, str]]:
    """What publishing today would refuse, each with the link to the field to put it right."""
    edit = _employer_url("vacancy-edit", vacancy)
    try:
        services.vacancy_publish_check(vacancy=vacancy, today=timezone.localdate())
    except services.VacancyInvalid as invalid:
        return [(f"{edit}#{field_anchor(f)}", m) for f, m in invalid.problems.items()]
    except ApplicationError as error:
        return [(f"{edit}#{field_anchor(error.field or '')}", str(error))]
    return []


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def vacancy_publish(request: HttpRequest, organisation_pk: int, reference: str) -> HttpResponse:
    """The advert exactly as applicants will see it, what stops it being published if anything
    does, and the button that publishes it."""
    vacancy = selectors.vacancy_for_employer(
        user=request.user, organisation_pk=organisation_pk, reference=reference
    )
    refused = ""
    if request.method == "POST":
        try:
            vacancy = services.vacancy_publish(vacancy=vacancy, user=request.user)
        except ApplicationError as error:
            refused = str(error)
        else:
            messages.success(request, "Your vacancy is published. Applicants can find it now.")
            return redirect("jobs:vacancy", reference=vacancy.reference)
    problems = _publish_problems(vacancy) if vacancy.status == Status.DRAFT else []
    return render(
        request,
        "jobs/vacancies/preview.html",
        {
            "vacancy": vacancy,
            "terms": vacancy_terms(vacancy),
            "problems": problems,
            "refused": refused if not problems else "",
            "verified": employer_is_verified(vacancy.organisation),
            "questions": list(vacancy.questions.order_by("position", "pk")),
        },
        status=400 if request.method == "POST" else 200,
    )


CLOSINGS = {
    "filled": {
        "status": Status.FILLED,
        "title": "Mark this vacancy as filled",
        "button": "Mark as filled",
        "done": "The vacancy is marked as filled. It no longer takes applications.",
    },
    "withdraw": {
        "status": Status.WITHDRAWN,
        "title": "Withdraw this vacancy",
        "button": "Withdraw the vacancy",
        "done": "The vacancy is withdrawn. Nobody but your organisation can see it now.",
    },
}


def _close(request: HttpRequest, organisation_pk: int, reference: str, how: str):
    vacancy = selectors.vacancy_for_employer(
        user=request.user, organisation_pk=organisation_pk, reference=reference
    )
    closing = CLOSINGS[how]
    form = ConfirmForm(request.POST if request.method == "POST" else None)
    allowed = closing["status"] in Vacancy.TRANSITIONS[vacancy.status]
    if request.method == "POST" and form.is_valid():
        try:
            services.vacancy_close(vacancy=vacancy, user=request.user, outcome=closing["status"])
        except ApplicationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, closing["done"])
            return redirect("jobs:employer-vacancies", organisation_pk=vacancy.organisation_id)
    return render(
        request,
        "jobs/vacancies/confirm.html",
        {
            "form": form,
            "vacancy": vacancy,
            "closing": closing,
            "how": how,
            "allowed": allowed,
            "open_applications": vacancy.applications.exclude(stage__in=Application.FINAL).count(),
        },
        status=400 if form.errors else 200,
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def vacancy_filled(request: HttpRequest, organisation_pk: int, reference: str) -> HttpResponse:
    return _close(request, organisation_pk, reference, "filled")


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def vacancy_withdraw(request: HttpRequest, organisation_pk: int, reference: str) -> HttpResponse:
    return _close(request, organisation_pk, reference, "withdraw")


@require_GET
def vacancy_page(request: HttpRequest, reference: str) -> HttpResponse:
    """The public vacancy page: the terms before the description, then the safeguarding
    commitment; a schema.org JobPosting for search engines. Kept rendered for visitors who are
    not signed in (jobs/page_cache.py)."""

    def render_page() -> HttpResponse:
        page = selectors.vacancy_page(user=request.user, reference=reference)
        response = render(
            request,
            "jobs/vacancies/page.html",
            {
                "page": page,
                "vacancy": page.vacancy,
                "terms": vacancy_terms(page.vacancy),
                "job_posting": job_posting_script(page.vacancy),
                "sections": sections(vacancy_page_sections_requested, vacancy=page.vacancy),
            },
        )
        if page.vacancy.status not in selectors.PUBLIC_STATUSES:
            # A member's preview of a draft or withdrawn vacancy: never kept by a shared cache.
            response["Cache-Control"] = "private, no-store"
        return response

    return vacancy_pages.vacancy_page_response(request, reference, render_page)
