"""A care worker's own pages: their registration, their details, their evidence."""

import io

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from core.audit import audit_log
from core.errors import ApplicationError
from register import forms as forms
from register.selectors import register as selectors
from register.selectors import renewals as renewal_selectors
from register.services import conduct, details, entries
from register.services.evidence import evidence_upload


@login_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    entry = selectors.entry_for_worker(worker=request.user)
    context = {
        "entry": entry,
        "application": selectors.application_latest_for_worker(worker=request.user),
        "code_due": conduct.code_acceptance_due(request.user),
        "code_accepted": conduct.code_accepted_by(request.user),
    }
    application = context["application"]
    if entry is None and application is not None:
        context["progress"] = selectors.application_progress(application)
    if entry is not None:
        context.update(
            history=selectors.entry_history(user=request.user, entry=entry),
            renewal=renewal_selectors.renewal_standing(user=request.user, entry=entry),
            renewal_window_days=settings.RENEWAL_WINDOW_DAYS,
            conditions=entry.annotations.filter(ended_at__isnull=True),
            pending_name_change=entry.name_changes.filter(status="pending").first(),
        )
    return render(request, "register/worker/dashboard.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def contact_details(request: HttpRequest) -> HttpResponse:
    entry = selectors.own_entry_get(user=request.user)
    record = entry.application
    form = forms.ContactForm(
        request.POST if request.method == "POST" else None,
        initial={name: getattr(record, name) for name in details.CONTACT_FIELDS},
    )
    if request.method == "POST" and form.is_valid():
        details.contact_details_update(entry=entry, worker=request.user, values=form.cleaned_data)
        messages.success(request, "Your contact details have been updated.")
        return redirect("register:worker-dashboard")
    return render(
        request,
        "register/worker/contact.html",
        {"form": form, "entry": entry},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def name_change(request: HttpRequest) -> HttpResponse:
    entry = selectors.own_entry_get(user=request.user)
    form = forms.NameChangeForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
    )
    if request.method == "POST" and form.is_valid():
        try:
            evidence = evidence_upload(
                owner=request.user, uploaded_by=request.user, upload=form.cleaned_data["upload"]
            )
            details.name_change_request(
                entry=entry,
                worker=request.user,
                new_name=form.cleaned_data["new_name"],
                evidence=evidence,
            )
        except ApplicationError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Your change of name has been sent to a registrar.")
            return redirect("register:worker-dashboard")
    return render(
        request,
        "register/worker/name_change.html",
        {"form": form, "entry": entry},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def leave_register(request: HttpRequest) -> HttpResponse:
    entry = selectors.own_entry_get(user=request.user)
    form = forms.LeaveRegisterForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            entries.entry_request_voluntary_removal(
                entry=entry, worker=request.user, reason=form.cleaned_data["reason"]
            )
        except ApplicationError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "You have left the register.")
            return redirect("register:worker-dashboard")
    return render(
        request,
        "register/worker/leave.html",
        {"form": form, "entry": entry},
        status=400 if form.errors else 200,
    )


@login_required
@require_GET
def evidence_download(request: HttpRequest, pk: int) -> FileResponse:
    evidence = selectors.evidence_get(user=request.user, pk=pk)
    if evidence.owner_id != request.user.pk:
        # A registrar opening someone's identity document is itself worth recording.
        audit_log(action="register.evidence.viewed", actor=request.user, target=evidence)
    response = FileResponse(
        io.BytesIO(evidence.read()),
        as_attachment=True,
        filename=evidence.original_name,
        content_type=evidence.content_type,
    )
    response["Cache-Control"] = "private, no-store"
    return response
