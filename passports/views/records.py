"""Training record pages: the worker's passport page and the training they add, a provider's
records and CSV imports, and the registrar's checks. Registrar pages sit under /registrar/, where
the MFA middleware guards them."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.permissions import require
from core.dates import format_day
from core.errors import ApplicationError
from core.views import add_service_error
from passports import csv_import, selectors
from passports.forms import (
    ApprovalRequestForm,
    DecisionForm,
    ImportUploadForm,
    ProviderRecordForm,
    RevokeForm,
    WorkerRecordForm,
)
from passports.models import ImportBatch, TrainingRecord
from passports.services import providers as provider_services
from passports.services import records as services
from register.decorators import friendly_without_entry
from register.selectors.register import own_entry_get

# Errors shown on the preview page; the rest are counted, not listed.
PREVIEW_ERRORS_SHOWN = 50


def _status_for(form: forms.Form) -> int:
    return 400 if form.errors else 200


def _not_approved(request: HttpRequest, provider, form=None, status: int = 403) -> HttpResponse:
    """The page an unapproved provider gets instead of any form that records training: what
    to do, and the form that asks a registrar for approval."""
    return render(
        request,
        "passports/records/provider_not_approved.html",
        {
            "provider": provider,
            "message": provider_services.not_approved_message(provider),
            "asked": selectors.approval_request_get(user=request.user, provider=provider),
            "form": form or ApprovalRequestForm(),
        },
        status=status,
    )


@login_required
@require_POST
def provider_approval_request(request: HttpRequest, org_id: int) -> HttpResponse:
    provider = selectors.provider_get(user=request.user, pk=org_id)
    form = ApprovalRequestForm(request.POST)
    if form.is_valid():
        try:
            provider_services.provider_approval_request(
                provider=provider, user=request.user, about=form.cleaned_data["about"]
            )
        except ApplicationError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request,
                f"Your request is sent: a registrar will check {provider.name} and approve it.",
            )
            return redirect("passports:provider-records", org_id=provider.pk)
    return _not_approved(request, provider, form=form, status=400)


# --- The worker ------------------------------------------------------------------------------


@login_required
@friendly_without_entry("passports/records/no_entry.html")
@require_GET
def passport(request: HttpRequest) -> HttpResponse:
    entry = own_entry_get(user=request.user)
    page = selectors.passport_page(user=request.user, entry=entry)
    return render(request, "passports/records/passport.html", {"page": page, "entry": entry})


@login_required
@friendly_without_entry("passports/records/no_entry.html")
@require_http_methods(["GET", "POST"])
def record_add(request: HttpRequest) -> HttpResponse:
    entry = own_entry_get(user=request.user)
    require(request.user, "training.add_own", entry)
    posted = request.method == "POST"
    form = WorkerRecordForm(request.POST if posted else None, request.FILES if posted else None)
    if posted and form.is_valid():
        try:
            record = services.training_record_add_by_worker(
                entry=entry, worker=request.user, **form.cleaned_data
            )
        except services.TrainingRecordError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request,
                f"{record.standard.title} is added. It counts once a registrar has checked "
                "your evidence.",
            )
            return redirect("passports:page")
    return render(
        request,
        "passports/records/add.html",
        {"form": form, "entry": entry},
        status=_status_for(form),
    )


# --- A training provider ----------------------------------------------------------------------


@login_required
@require_GET
def provider_records(request: HttpRequest, org_id: int) -> HttpResponse:
    provider = selectors.provider_get(user=request.user, pk=org_id)
    context = {
        "provider": provider,
        "is_approved": services.provider_is_approved(provider),
        "not_approved_message": provider_services.not_approved_message(provider),
        "asked": selectors.approval_request_get(user=request.user, provider=provider),
        "approval_form": ApprovalRequestForm(),
        "records": selectors.provider_records(user=request.user, provider=provider),
        "imports": selectors.provider_imports(user=request.user, provider=provider),
    }
    return render(request, "passports/records/provider_records.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def provider_record_new(request: HttpRequest, org_id: int) -> HttpResponse:
    provider = selectors.provider_get(user=request.user, pk=org_id)
    if not services.provider_is_approved(provider):
        return _not_approved(request, provider)
    form = ProviderRecordForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            record = services.training_record_create_by_provider(
                provider=provider, recorded_by=request.user, **form.cleaned_data
            )
        except services.NoWorkerMatched as error:
            # The failed match counted towards the day's limit, so say what was read.
            form.add_error(
                None,
                f"{error}. You entered {form.cleaned_data['registration_number'].strip().upper()}"
                f" and {format_day(form.cleaned_data['date_of_birth'])}.",
            )
        except ApplicationError as error:
            add_service_error(form, error)
        else:
            if record.status == TrainingRecord.Status.VERIFIED:
                outcome = "It is verified."
            else:
                outcome = "It counts once a registrar has checked it."
            messages.success(
                request,
                f"{record.standard.title} is recorded for {record.entry.registration_number}. "
                + outcome,
            )
            return redirect("passports:provider-records", org_id=provider.pk)
    return render(
        request,
        "passports/records/provider_new.html",
        {"provider": provider, "form": form},
        status=_status_for(form),
    )


@login_required
@require_GET
def provider_template(request: HttpRequest, org_id: int) -> HttpResponse:
    selectors.provider_get(user=request.user, pk=org_id)
    response = HttpResponse(csv_import.template_csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="training-records-template.csv"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def provider_import(request: HttpRequest, org_id: int) -> HttpResponse:
    provider = selectors.provider_get(user=request.user, pk=org_id)
    if not services.provider_is_approved(provider):
        return _not_approved(request, provider)
    posted = request.method == "POST"
    form = ImportUploadForm(request.POST if posted else None, request.FILES if posted else None)
    if posted and form.is_valid():
        try:
            batch, _check = services.training_import_upload(
                provider=provider, uploaded_by=request.user, upload=form.cleaned_data["upload"]
            )
        except ApplicationError as error:
            add_service_error(form, error)
        else:
            return redirect(
                "passports:provider-import-preview", org_id=provider.pk, batch_id=batch.pk
            )
    return render(
        request,
        "passports/records/import.html",
        {
            "provider": provider,
            "form": form,
            "columns": csv_import.COLUMNS,
            "max_rows": csv_import.MAX_ROWS,
            "standards": selectors.standards_active(),
        },
        status=_status_for(form),
    )


def _render_preview(
    request: HttpRequest, *, provider, batch: ImportBatch, refusal: str = "", status: int = 200
) -> HttpResponse:
    check = selectors.import_preview(user=request.user, batch=batch)
    errors = check.errors if check else []
    context = {
        "provider": provider,
        "batch": batch,
        "check": check,
        "errors_shown": errors[:PREVIEW_ERRORS_SHOWN],
        "errors_hidden": max(len(errors) - PREVIEW_ERRORS_SHOWN, 0),
        "may_commit": (
            check is not None and check.is_ready and batch.status == ImportBatch.Status.PREVIEWED
        ),
        "unmatched_message": (
            services.unmatched_message(check.unmatched_rows)
            if check is not None and check.unmatched_rows
            else ""
        ),
        "refusal": refusal,
    }
    return render(request, "passports/records/import_preview.html", context, status=status)


@login_required
@require_GET
def provider_import_preview(request: HttpRequest, org_id: int, batch_id: int) -> HttpResponse:
    provider = selectors.provider_get(user=request.user, pk=org_id)
    batch = selectors.import_batch_get(user=request.user, provider=provider, pk=batch_id)
    if not services.provider_is_approved(provider):
        return _not_approved(request, provider)
    return _render_preview(request, provider=provider, batch=batch)


@login_required
@require_POST
def provider_import_commit(request: HttpRequest, org_id: int, batch_id: int) -> HttpResponse:
    provider = selectors.provider_get(user=request.user, pk=org_id)
    batch = selectors.import_batch_get(user=request.user, provider=provider, pk=batch_id)
    try:
        batch = services.training_import_commit(batch=batch, committed_by=request.user)
    except ApplicationError as error:
        batch.refresh_from_db()
        return _render_preview(
            request, provider=provider, batch=batch, refusal=str(error), status=409
        )
    messages.success(request, f"{batch.row_count:,} training records are recorded.")
    return redirect("passports:provider-import-preview", org_id=provider.pk, batch_id=batch.pk)


@login_required
@require_http_methods(["GET", "POST"])
def provider_record_revoke(request: HttpRequest, org_id: int, record_id: int) -> HttpResponse:
    provider = selectors.provider_get(user=request.user, pk=org_id)
    record = selectors.provider_record_get(user=request.user, provider=provider, pk=record_id)
    form = RevokeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.training_record_revoke(
                record=record, by=request.user, reason=form.cleaned_data["reason"]
            )
        except services.TrainingRecordError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request,
                f"{record.standard.title} for {record.entry.registration_number} is revoked.",
            )
            return redirect("passports:provider-records", org_id=provider.pk)
    return render(
        request,
        "passports/records/provider_revoke.html",
        {"provider": provider, "record": record, "form": form},
        status=_status_for(form),
    )


# --- Registrars --------------------------------------------------------------------------------


@login_required
@require_GET
def registrar_queue(request: HttpRequest) -> HttpResponse:
    records = selectors.records_awaiting_decision(user=request.user)
    return render(request, "passports/records/registrar_queue.html", {"records": records})


@login_required
@require_http_methods(["GET", "POST"])
def registrar_decide(request: HttpRequest, record_id: int) -> HttpResponse:
    record = selectors.record_get_for_decision(user=request.user, pk=record_id)
    form = DecisionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        verify = form.cleaned_data["decision"] == "verify"
        try:
            services.training_record_decide(
                record=record,
                registrar=request.user,
                verify=verify,
                reason=form.cleaned_data["reason"],
            )
        except services.TrainingRecordError as error:
            add_service_error(form, error)
        else:
            verb = "verified" if verify else "rejected"
            messages.success(
                request,
                f"{record.standard.title} for {record.entry.full_name} is {verb}.",
            )
            return redirect(reverse("passports:registrar-queue"))
    return render(
        request,
        "passports/records/registrar_decide.html",
        {"record": record, "entry": record.entry, "form": form},
        status=_status_for(form),
    )


# --- Registrars: training providers ---------------------------------------------------------


@login_required
@require_GET
def registrar_providers(request: HttpRequest) -> HttpResponse:
    context = {
        "providers": selectors.providers_for_registrar(user=request.user),
        "members": selectors.members_with_failed_matches(user=request.user),
        "failures": selectors.match_failures_recent(user=request.user),
        "daily_limit": settings.TRAINING_MATCH_FAILURES_PER_DAY,
    }
    return render(request, "passports/records/registrar_providers.html", context)


def _provider_decision(request: HttpRequest, org_id: int, *, approve: bool) -> HttpResponse:
    provider = selectors.provider_get_for_registrar(user=request.user, pk=org_id)
    try:
        if approve:
            provider_services.provider_approve(provider=provider, registrar=request.user)
        else:
            provider_services.provider_approval_withdraw(provider=provider, registrar=request.user)
    except ApplicationError as error:
        messages.error(request, str(error))
    else:
        if approve:
            messages.success(request, f"{provider.name} is approved: it can record training.")
        else:
            messages.success(
                request,
                f"{provider.name}'s approval is withdrawn: it can record no more training.",
            )
    return redirect("passports:registrar-providers")


@login_required
@require_POST
def registrar_provider_approve(request: HttpRequest, org_id: int) -> HttpResponse:
    return _provider_decision(request, org_id, approve=True)


@login_required
@require_POST
def registrar_provider_withdraw(request: HttpRequest, org_id: int) -> HttpResponse:
    return _provider_decision(request, org_id, approve=False)
