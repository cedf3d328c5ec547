"""An association's own pages: write a consultation, add pages and questions, schedule it."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from consultations import selectors
from consultations.forms import (
    ConnectionLimitForm,
    ConsultationDetailsForm,
    PageForm,
    QuestionForm,
)
from consultations.models import Consultation, ResponseDraft
from consultations.services import building, connections, lifecycle
from core.errors import ApplicationError
from core.views import add_service_error


@login_required
def manage_list(request: HttpRequest) -> HttpResponse:
    associations = list(selectors.associations_managed_by(user=request.user))
    if not associations:
        raise PermissionDenied
    return render(
        request,
        "consultations/manage/list.html",
        {
            "associations": associations,
            "consultations": selectors.consultations_managed_by(user=request.user),
        },
    )


def _details(form: ConsultationDetailsForm) -> dict:
    data = form.cleaned_data
    return {
        "title": data["title"],
        "summary": data["summary"],
        "body": data["body"],
        "privacy_notice": data["privacy_notice"],
        "opens_at": data["opens_at"],
        "closes_at": data["closes_at"],
        "audience": data["audience"],
        "audience_organisations": data["audience_organisations"],
        "allow_anonymous": data["allow_anonymous"],
        "allow_edit_until_close": data["allow_edit_until_close"],
    }


@login_required
@require_http_methods(["GET", "POST"])
def manage_create(request: HttpRequest) -> HttpResponse:
    associations = list(selectors.associations_managed_by(user=request.user))
    if not associations:
        raise PermissionDenied
    form = ConsultationDetailsForm(request.POST or None)
    if len(associations) > 1:
        form.fields["organisation"] = forms.ModelChoiceField(
            label="Which association is running it?",
            queryset=selectors.associations_managed_by(user=request.user),
            widget=forms.RadioSelect,
            error_messages={"required": "Choose the association running it"},
        )
        form.order_fields(["organisation"])
    if request.method == "POST" and form.is_valid():
        organisation = form.cleaned_data.get("organisation") or associations[0]
        try:
            consultation = building.consultation_create(
                organisation=organisation, user=request.user, **_details(form)
            )
        except ApplicationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, "Consultation created. Now add your questions.")
            return redirect("consultations:manage", pk=consultation.pk)
    return render(
        request,
        "consultations/manage/details_form.html",
        {
            "form": form,
            "organisation": associations[0] if len(associations) == 1 else None,
            "title": "Create a consultation",
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def manage_edit(request: HttpRequest, pk: int) -> HttpResponse:
    consultation = selectors.consultation_get_for_manager(user=request.user, pk=pk)
    initial = {
        "title": consultation.title,
        "summary": consultation.summary,
        "body": consultation.body,
        "privacy_notice": consultation.privacy_notice,
        "opens_at": consultation.opens_at and timezone.localtime(consultation.opens_at),
        "closes_at": consultation.closes_at and timezone.localtime(consultation.closes_at),
        "audience": consultation.audience,
        "audience_organisations": list(consultation.audience_organisations.all()),
        "allow_anonymous": consultation.allow_anonymous,
        "allow_edit_until_close": consultation.allow_edit_until_close,
    }
    form = ConsultationDetailsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            building.consultation_update(
                consultation=consultation, user=request.user, **_details(form)
            )
        except ApplicationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, "Details saved.")
            return redirect("consultations:manage", pk=consultation.pk)
    return render(
        request,
        "consultations/manage/details_form.html",
        {
            "form": form,
            "organisation": consultation.organisation,
            "consultation": consultation,
            "title": "Change the details",
        },
    )


@login_required
def manage_detail(request: HttpRequest, pk: int) -> HttpResponse:
    consultation = selectors.consultation_get_for_manager(user=request.user, pk=pk)
    return render(
        request,
        "consultations/manage/detail.html",
        {
            "consultation": consultation,
            "status": consultation.effective_status(),
            "pages": selectors.consultation_pages_with_questions(consultation=consultation),
            "estimate": building.completion_estimate(consultation=consultation),
            "response_count": consultation.responses.count(),
            "page_form": PageForm(),
            "limit_form": ConnectionLimitForm(
                initial={"per_hour": consultation.anonymous_answers_per_hour}
            ),
        },
    )


@login_required
@require_POST
def manage_connection_limit(request: HttpRequest, pk: int) -> HttpResponse:
    consultation = selectors.consultation_get_for_manager(user=request.user, pk=pk)
    form = ConnectionLimitForm(request.POST)
    if not form.is_valid():
        messages.error(request, form.errors["per_hour"][0])
    else:
        try:
            connections.consultation_connection_limit_set(
                consultation=consultation,
                user=request.user,
                per_hour=form.cleaned_data["per_hour"],
            )
            messages.success(
                request,
                f"Saved. Past {form.cleaned_data['per_hour']} answers in an hour from one "
                "connection, answers are flagged.",
            )
        except ApplicationError as error:
            messages.error(request, str(error))
    return redirect("consultations:manage", pk=consultation.pk)


@login_required
@require_http_methods(["GET", "POST"])
def manage_close_early(request: HttpRequest, pk: int) -> HttpResponse:
    """A page that says what closing now does, and closes it when confirmed."""
    consultation = selectors.consultation_get_for_manager(user=request.user, pk=pk)
    if request.method == "POST":
        try:
            closed = lifecycle.consultation_close_early(
                consultation=consultation, user=request.user
            )
        except ApplicationError as error:
            messages.error(request, str(error))
        else:
            if closed:
                messages.success(request, "Closed. No more answers are accepted.")
            else:
                messages.info(request, "It had already closed. Nothing has changed.")
        return redirect("consultations:manage", pk=consultation.pk)
    status = consultation.effective_status()
    if status != Consultation.Status.OPEN:
        messages.info(
            request,
            "Only an open consultation can be closed early. This one is "
            f"{consultation.get_effective_status_display().lower()}.",
        )
        return redirect("consultations:manage", pk=consultation.pk)
    return render(
        request,
        "consultations/manage/close_early.html",
        {
            "consultation": consultation,
            "response_count": consultation.responses.count(),
            "saved_unsent": ResponseDraft.objects.filter(consultation=consultation).count(),
            "subscribers": consultation.outcome_subscriptions.count(),
        },
    )


@login_required
@require_POST
def manage_page_add(request: HttpRequest, pk: int) -> HttpResponse:
    consultation = selectors.consultation_get_for_manager(user=request.user, pk=pk)
    form = PageForm(request.POST)
    if form.is_valid():
        try:
            building.page_add(
                consultation=consultation, user=request.user, title=form.cleaned_data["title"]
            )
            messages.success(request, "Page added.")
        except ApplicationError as error:
            messages.error(request, str(error))
    else:
        messages.error(request, "Enter a title for the page.")
    return redirect("consultations:manage", pk=consultation.pk)


@login_required
@require_POST
def manage_page_delete(request: HttpRequest, pk: int) -> HttpResponse:
    page = selectors.page_get_for_manager(user=request.user, pk=pk)
    try:
        building.page_delete(page=page, user=request.user)
        messages.success(request, "Page removed.")
    except ApplicationError as error:
        messages.error(request, str(error))
    return redirect("consultations:manage", pk=page.consultation_id)


@login_required
@require_http_methods(["GET", "POST"])
def manage_question_add(request: HttpRequest, pk: int) -> HttpResponse:
    page = selectors.page_get_for_manager(user=request.user, pk=pk)
    form = QuestionForm(request.POST or None, page=page)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            building.question_add(
                page=page,
                user=request.user,
                kind=data["kind"],
                text=data["text"],
                help_text=data["help_text"],
                required=data["required"],
                options=data["options"].splitlines(),
                max_choices=data["max_choices"],
                max_length=data["max_length"],
                has_other=data["has_other"],
                show_if_options=list(data.get("show_if_options") or []),
            )
        except ApplicationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, "Question added.")
            return redirect("consultations:manage", pk=page.consultation_id)
    return render(
        request,
        "consultations/manage/question_form.html",
        {"form": form, "page": page, "consultation": page.consultation},
    )


@login_required
@require_POST
def manage_question_delete(request: HttpRequest, pk: int) -> HttpResponse:
    question = selectors.question_get_for_manager(user=request.user, pk=pk)
    try:
        building.question_delete(question=question, user=request.user)
        messages.success(request, "Question removed.")
    except ApplicationError as error:
        messages.error(request, str(error))
    return redirect("consultations:manage", pk=question.consultation_id)


_STATUS_ACTIONS = {
    "schedule": (
        lifecycle.consultation_schedule,
        "Scheduled. It opens by itself at its opening time.",
    ),
    "unschedule": (lifecycle.consultation_unschedule, "Back to draft."),
    "start-analysis": (lifecycle.consultation_start_analysis, "Analysis started."),
}


@login_required
@require_POST
def manage_status(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    consultation = selectors.consultation_get_for_manager(user=request.user, pk=pk)
    service, done = _STATUS_ACTIONS[action]
    try:
        service(consultation=consultation, user=request.user)
        messages.success(request, done)
    except ApplicationError as error:
        messages.error(request, str(error))
    return redirect("consultations:manage", pk=consultation.pk)
