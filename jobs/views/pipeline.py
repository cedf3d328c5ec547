"""The employer's pipeline of applicants for a vacancy, one applicant's page with its moves,
many "not progressed" at once, the CSV export and the interview times; and the applicant's own
page to book, change or cancel their interview."""

import functools

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.dates import format_moment
from core.errors import ApplicationError
from core.views import add_service_error
from employers.services.verification import EmployerNotVerified, employer_require_verified
from jobs.forms.pipeline import (
    ApplicantMoveForm,
    BulkNotProgressForm,
    InterviewBookForm,
    InterviewSlotForm,
    PipelineFilterForm,
)
from jobs.models import Application, InterviewSlot
from jobs.selectors import pipeline as selectors
from jobs.services import interviews
from jobs.services import pipeline as services
from jobs.signals import applicant_page_sections_requested, sections

Stage = Application.Stage


def _employer_page(view):
    """Finds the vacancy for a member of its employer (404 for anyone else), and shows the
    "not verified" page where workers' data would be, until a registrar verifies the employer."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, reference: str, *args, **kwargs) -> HttpResponse:
        vacancy = selectors.vacancy_for_pipeline(user=request.user, reference=reference)
        try:
            employer_require_verified(vacancy.organisation)
        except EmployerNotVerified as error:
            return render(
                request,
                "employers/not_verified.html",
                {"organisation": vacancy.organisation, "message": str(error)},
                status=403,
            )
        return view(request, vacancy, *args, **kwargs)

    return wrapped


def _filters_form(request: HttpRequest, vacancy) -> PipelineFilterForm:
    return PipelineFilterForm(request.GET, questions=list(vacancy.questions.all()))


def _pipeline_page(request, vacancy, *, bulk_form=None, problems=None) -> HttpResponse:
    filter_form = _filters_form(request, vacancy)
    filters = filter_form.filters()
    pipeline = selectors.pipeline(
        user=request.user, vacancy=vacancy, filters=filters, today=timezone.localdate()
    )
    if bulk_form is None:
        bulk_form = BulkNotProgressForm(
            references=[row.application.reference for row in pipeline.rows]
        )
    return render(
        request,
        "jobs/pipeline/pipeline.html",
        {
            "vacancy": vacancy,
            "pipeline": pipeline,
            "filters": filters,
            "filter_form": filter_form,
            "form": bulk_form,
            "problems": problems or [],
            "ticked": set(bulk_form.data.getlist("applications")) if bulk_form.is_bound else set(),
            "query": request.GET.urlencode(),
        },
        status=400 if bulk_form.errors else 200,
    )


@never_cache
@login_required
@require_GET
@_employer_page
def pipeline_page(request: HttpRequest, vacancy) -> HttpResponse:
    return _pipeline_page(request, vacancy)


@login_required
@require_POST
@_employer_page
def not_progress(request: HttpRequest, vacancy) -> HttpResponse:
    references = list(vacancy.applications.values_list("reference", flat=True))
    form = BulkNotProgressForm(request.POST, references=references)
    problems = []
    if form.is_valid():
        try:
            moved = services.applicants_not_progress(
                vacancy=vacancy,
                references=form.cleaned_data["applications"],
                user=request.user,
                message=form.cleaned_data["message"],
            )
        except services.BulkMoveRefused as error:
            form.add_error(None, str(error))
            problems = error.problems
        except ApplicationError as error:
            add_service_error(form, error)
        else:
            count = len(moved)
            messages.success(
                request,
                f"{count} applicant{'s' if count != 1 else ''} not progressed. Each was sent "
                "your message.",
            )
            return redirect("jobs:pipeline", reference=vacancy.reference)
    return _pipeline_page(request, vacancy, bulk_form=form, problems=problems)


@never_cache
@login_required
@require_GET
@_employer_page
def pipeline_csv(request: HttpRequest, vacancy) -> HttpResponse:
    filters = _filters_form(request, vacancy).filters()
    pipeline = selectors.pipeline(
        user=request.user, vacancy=vacancy, filters=filters, today=timezone.localdate()
    )
    text = services.pipeline_export(user=request.user, pipeline=pipeline)
    response = HttpResponse(text, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="applicants-{vacancy.reference}.csv"'
    response["Cache-Control"] = "private, no-store"
    return response


def _applicant_page(request, vacancy, reference, *, form=None) -> HttpResponse:
    page = selectors.applicant_page(
        user=request.user, vacancy=vacancy, reference=reference, today=timezone.localdate()
    )
    return render(
        request,
        "jobs/pipeline/applicant.html",
        {
            "vacancy": vacancy,
            "page": page,
            "application": page.application,
            "form": form or ApplicantMoveForm(moves=page.moves),
            "free_slots": len(selectors.free_slots(vacancy)),
            "sections": sections(
                applicant_page_sections_requested, application=page.application, user=request.user
            ),
        },
        status=400 if form is not None and form.errors else 200,
    )


@never_cache
@login_required
@require_GET
@_employer_page
def applicant(request: HttpRequest, vacancy, application: str) -> HttpResponse:
    return _applicant_page(request, vacancy, application)


@login_required
@require_POST
@_employer_page
def applicant_move(request: HttpRequest, vacancy, application: str) -> HttpResponse:
    found = selectors.applicant_get(user=request.user, vacancy=vacancy, reference=application)
    form = ApplicantMoveForm(request.POST, moves=selectors.moves_for(found))
    if form.is_valid():
        try:
            moved = services.applicant_move(
                application=found,
                to=form.cleaned_data["to"],
                user=request.user,
                message=form.cleaned_data["message"],
            )
        except ApplicationError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request,
                f"{selectors.applicant_name(moved)} is now at “{moved.get_stage_display()}”. "
                "We have emailed them.",
            )
            return redirect(
                "jobs:pipeline-applicant", reference=vacancy.reference, application=application
            )
    return _applicant_page(request, vacancy, application, form=form)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
@_employer_page
def interview_slots(request: HttpRequest, vacancy) -> HttpResponse:
    form = InterviewSlotForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            slot = interviews.interview_slot_add(
                vacancy=vacancy,
                user=request.user,
                starts_at=form.cleaned_data["starts_at"],
                minutes=form.cleaned_data["minutes"],
                kind=form.cleaned_data["kind"],
                location=form.cleaned_data["location"],
            )
        except ApplicationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, f"Interview time added: {_when(slot)}.")
            return redirect("jobs:interview-slots", reference=vacancy.reference)
    return render(
        request,
        "jobs/pipeline/interview_slots.html",
        {
            "vacancy": vacancy,
            "slots": selectors.interview_slots(user=request.user, vacancy=vacancy),
            "form": form,
            "now": timezone.now(),
        },
        status=400 if form.errors else 200,
    )


def _when(slot: InterviewSlot) -> str:
    return format_moment(slot.starts_at)


@login_required
@require_POST
@_employer_page
def interview_slot_remove(request: HttpRequest, vacancy, pk: int) -> HttpResponse:
    slot = vacancy.interview_slots.filter(pk=pk).first()
    if slot is None:
        raise Http404("No such interview time.")
    slot.vacancy = vacancy
    try:
        interviews.interview_slot_remove(slot=slot, user=request.user)
    except ApplicationError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"Interview time removed: {_when(slot)}.")
    return redirect("jobs:interview-slots", reference=vacancy.reference)


# --- The applicant ------------------------------------------------------------------------------


def _interview_page(request, reference, *, form=None) -> HttpResponse:
    page = selectors.interview_page(user=request.user, reference=reference)
    return render(
        request,
        "jobs/pipeline/interview_book.html",
        {
            "page": page,
            "application": page.application,
            "vacancy": page.application.vacancy,
            "form": form or InterviewBookForm(slots=page.free),
        },
        status=400 if form is not None and form.errors else 200,
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def interview_book(request: HttpRequest, reference: str) -> HttpResponse:
    if request.method == "GET":
        return _interview_page(request, reference)
    page = selectors.interview_page(user=request.user, reference=reference)
    form = InterviewBookForm(request.POST, slots=page.free)
    if form.is_valid():
        try:
            slot = interviews.interview_book(
                application=page.application,
                slot_id=form.cleaned_data["slot"],
                user=request.user,
            )
        except ApplicationError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request, f"Your interview is booked for {_when(slot)}. We have emailed you."
            )
            return redirect(reverse("jobs:interview-book", args=[reference]))
    return _interview_page(request, reference, form=form)


@login_required
@require_POST
def interview_cancel(request: HttpRequest, reference: str) -> HttpResponse:
    application = selectors.application_for_applicant(user=request.user, reference=reference)
    try:
        interviews.interview_cancel(application=application, user=request.user)
    except ApplicationError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "Your interview is cancelled. You can choose another time.")
    return redirect(reverse("jobs:interview-book", args=[reference]))
