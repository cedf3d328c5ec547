"""Pre-employment checks: the employer's checklist of an application (record each item, a PDF
pack for an inspector, hire), and the candidate's own view of what they must provide now."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from core.errors import ApplicationError
from core.views import add_service_error
from jobs.forms.checks import CheckRecordForm
from jobs.pdf import ChecksPackRenderer
from jobs.selectors import checks as selectors
from jobs.services import checks as services


@never_cache
@login_required
@require_safe
def checklist(request: HttpRequest, reference: str) -> HttpResponse:
    page = selectors.checklist_for_employer(user=request.user, reference=reference)
    return render(request, "jobs/checks/checklist.html", {"page": page})


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def check_record(request: HttpRequest, reference: str, item: str) -> HttpResponse:
    check = selectors.check_for_employer(user=request.user, reference=reference, item=item)
    form = CheckRecordForm(
        request.POST if request.method == "POST" else None, check=check, user=request.user
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.check_record(
                check=check,
                actor=request.user,
                record=services.CheckRecord(**form.cleaned_data),
            )
        except services.CheckInvalid as error:
            for field, message in error.problems.items():
                form.add_error(field if field in form.fields else None, message)
        except ApplicationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, f"{check.get_item_display()}: saved.")
            return redirect("jobs:checks", reference=reference)
    return render(
        request,
        "jobs/checks/check.html",
        {"check": check, "application": check.checklist.application, "form": form},
        status=400 if form.errors else 200,
    )


@never_cache
@login_required
@require_safe
def checks_pdf(request: HttpRequest, reference: str) -> HttpResponse:
    page = selectors.checklist_for_employer(user=request.user, reference=reference)
    web_page = settings.SITE_URL + reverse("jobs:checks", args=[reference])
    response = HttpResponse(
        ChecksPackRenderer().render(page.checklist, page.items, web_page=web_page),
        content_type="application/pdf",
    )
    response["Content-Disposition"] = f'attachment; filename="checks-{reference}.pdf"'
    return response


@login_required
@require_POST
def hire(request: HttpRequest, reference: str) -> HttpResponse:
    page = selectors.checklist_for_employer(user=request.user, reference=reference)
    application = page.application
    try:
        services.checklist_hire(application=application, actor=request.user)
    except ApplicationError as error:
        messages.error(request, str(error))
    else:
        page.checklist.refresh_from_db()
        messages.success(
            request,
            f"You hired {application.applicant.full_name}. {page.checklist.staff_list_note}",
        )
    return redirect("jobs:checks", reference=reference)


@never_cache
@login_required
@require_safe
def my_checks(request: HttpRequest, reference: str) -> HttpResponse:
    page = selectors.checklist_for_candidate(user=request.user, reference=reference)
    return render(request, "jobs/checks/mine.html", {"page": page})
