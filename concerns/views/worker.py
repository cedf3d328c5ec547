"""The worker's side of a case about them: their cases, one case as they may see it, and the
three things they do on it (respond, answer an interim suspension, appeal). Also a case's
documents, which its registrars and, when shared, its worker download through one view."""

import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from concerns import forms, selectors
from concerns.documents import DocumentUnreadable
from concerns.services import cases as case_services
from core.errors import ApplicationError


@login_required
@require_GET
def cases(request: HttpRequest) -> HttpResponse:
    rows = [
        (case, selectors.case_deadlines_for_worker(case))
        for case in selectors.cases_for_worker(user=request.user)
    ]
    return render(request, "concerns/worker/cases.html", {"rows": rows})


def _case_page(request, page, *, failed=None, **forms_given) -> HttpResponse:
    """The case page, with a form that failed (shown in the error summary) in place of its
    empty copy; status 400 when one failed."""
    context = {
        "page": page,
        "case": page.case,
        "respond_form": forms_given.get("respond_form") or forms.CaseResponseForm(),
        "interim_form": forms_given.get("interim_form") or forms.InterimResponseForm(),
        "interim_form_order": forms_given.get("interim_form_order"),
        "appeal_form": forms_given.get("appeal_form") or forms.AppealForm(),
        "form": failed,
        "today": timezone.localdate(),
    }
    return render(
        request, "concerns/worker/case.html", context, status=400 if failed is not None else 200
    )


@login_required
@require_GET
def case(request: HttpRequest, reference: str) -> HttpResponse:
    page = selectors.worker_case_page(user=request.user, reference=reference)
    return _case_page(request, page)


def _back_to_case(page, anchor: str) -> HttpResponse:
    return redirect(reverse("concerns:worker-case", args=[page.case.reference]) + f"#{anchor}")


@login_required
@require_POST
def respond(request: HttpRequest, reference: str) -> HttpResponse:
    page = selectors.worker_case_page(user=request.user, reference=reference)
    form = forms.CaseResponseForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            case_services.case_respond(
                case=page.case,
                worker=request.user,
                text=form.cleaned_data["text"],
                documents=form.cleaned_data["documents"],
            )
        except ApplicationError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request, "Your response has been added to the case. The registrars will read it."
            )
            return _back_to_case(page, "responses")
    return _case_page(request, page, failed=form, respond_form=form)


@login_required
@require_POST
def interim_respond(request: HttpRequest, reference: str, pk: int) -> HttpResponse:
    page = selectors.worker_case_page(user=request.user, reference=reference)
    order = next((order for order in page.interim_orders if order.pk == pk), None)
    if order is None:
        raise Http404
    form = forms.InterimResponseForm(request.POST)
    if form.is_valid():
        try:
            case_services.interim_respond(
                order=order, worker=request.user, text=form.cleaned_data["text"]
            )
        except ApplicationError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                "Your response has been sent to the registrar who reviews the suspension.",
            )
            return _back_to_case(page, "interim")
    return _case_page(request, page, failed=form, interim_form=form, interim_form_order=order)


@login_required
@require_POST
def appeal(request: HttpRequest, reference: str) -> HttpResponse:
    page = selectors.worker_case_page(user=request.user, reference=reference)
    form = forms.AppealForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            case_services.appeal_lodge(
                case=page.case,
                worker=request.user,
                grounds=form.cleaned_data["grounds"],
                documents=form.cleaned_data["documents"],
            )
        except ApplicationError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                "Your appeal has been sent. Two registrars who took no part in the decision "
                "will decide it.",
            )
            return _back_to_case(page, "appeal")
    return _case_page(request, page, failed=form, appeal_form=form)


@login_required
@require_GET
def document(request: HttpRequest, reference: str, pk: int) -> HttpResponse:
    document = selectors.document_for(user=request.user, reference=reference, pk=pk)
    try:
        content = selectors.document_content_for(user=request.user, document=document)
    except DocumentUnreadable as error:
        messages.error(request, str(error))
        return redirect(reverse("concerns:worker-case", args=[reference]) + "#evidence")
    response = FileResponse(
        io.BytesIO(content),
        as_attachment=True,
        filename=selectors.document_name_for(user=request.user, document=document),
        content_type=document.content_type,
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
