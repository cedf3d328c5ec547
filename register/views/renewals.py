"""The worker's CPD and renewal pages, and the registrar's referred renewals."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from accounts.permissions import require
from core.dates import format_day
from core.errors import ApplicationError
from core.views import add_service_error
from register.decorators import friendly_without_entry
from register.forms import CpdForm, RenewalDecisionForm, RenewalForm, code_ticked
from register.models import Renewal
from register.selectors import renewals as selectors
from register.selectors.register import own_entry_get
from register.services import renewals as services
from register.services.conduct import code_acceptance_due


@login_required
@friendly_without_entry("register/renewals/no_entry.html")
@require_http_methods(["GET", "POST"])
def cpd(request: HttpRequest) -> HttpResponse:
    entry = own_entry_get(user=request.user)
    form = CpdForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            activity = services.cpd_log(entry=entry, worker=request.user, **form.cleaned_data)
        except services.RenewalError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request,
                f"{activity.title} ({services.format_hours(activity.hours)} hours) is logged.",
            )
            return redirect("register:renewals-cpd")
    context = {
        "entry": entry,
        "summary": selectors.cpd_summary(user=request.user, entry=entry),
        "activities": selectors.cpd_activities(user=request.user, entry=entry),
        "form": form,
    }
    status = 400 if form.errors else 200
    return render(request, "register/renewals/cpd.html", context, status=status)


def _cpd_values(activity) -> dict:
    return {
        "title": activity.title,
        "completed_on": activity.completed_on,
        "hours": activity.hours,
        "reflection": activity.reflection,
    }


@login_required
@require_http_methods(["GET", "POST"])
def cpd_edit(request: HttpRequest, pk: int) -> HttpResponse:
    activity = selectors.cpd_activity_get(user=request.user, pk=pk)
    form = CpdForm(
        request.POST if request.method == "POST" else None, initial=_cpd_values(activity)
    )
    used_by = services.cpd_used_by_renewal(activity)
    if request.method == "POST" and form.is_valid():
        try:
            activity = services.cpd_update(
                activity=activity, worker=request.user, **form.cleaned_data
            )
        except services.RenewalError as error:
            add_service_error(form, error)
        else:
            messages.success(request, f"{activity.title} is updated.")
            return redirect("register:renewals-cpd")
    return render(
        request,
        "register/renewals/cpd_edit.html",
        {"activity": activity, "form": form, "used_by": used_by},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def cpd_delete(request: HttpRequest, pk: int) -> HttpResponse:
    activity = selectors.cpd_activity_get(user=request.user, pk=pk)
    error = None
    if request.method == "POST":
        try:
            services.cpd_delete(activity=activity, worker=request.user)
        except services.RenewalError as refused:
            error = refused
        else:
            messages.success(
                request,
                f"{activity.title} ({services.format_hours(activity.hours)} hours) is deleted.",
            )
            return redirect("register:renewals-cpd")
    return render(
        request,
        "register/renewals/cpd_delete.html",
        {
            "activity": activity,
            "error": error,
            "used_by": services.cpd_used_by_renewal(activity),
        },
        status=400 if error else 200,
    )


@login_required
@friendly_without_entry("register/renewals/no_entry.html")
@require_http_methods(["GET", "POST"])
def renew(request: HttpRequest) -> HttpResponse:
    entry = own_entry_get(user=request.user)
    code_due = code_acceptance_due(request.user)
    form = RenewalForm(request.POST if request.method == "POST" else None, code=code_due)
    if request.method == "POST" and form.is_valid():
        declarations = {
            name: value
            for name, value in form.cleaned_data.items()
            if name not in {"accepts_code", "code_version"}
        }
        try:
            renewal = services.renewal_submit(
                entry=entry, worker=request.user, code=code_ticked(form), **declarations
            )
        except ApplicationError as error:
            add_service_error(form, error)
        else:
            if renewal.status == Renewal.Status.REFERRED:
                messages.success(
                    request,
                    "Thank you. A registrar will look at your declarations and email you "
                    "their decision.",
                )
            else:
                entry.refresh_from_db()
                messages.success(
                    request,
                    "Thank you. Your registration is renewed until "
                    f"{format_day(entry.renewal_due)}.",
                )
            return redirect("register:renewals-renew")
    overview = selectors.renewal_overview(user=request.user, entry=entry)
    return render(
        request,
        "register/renewals/renew.html",
        {"overview": overview, "entry": overview.entry, "form": form, "code_due": code_due},
        status=400 if form.errors else 200,
    )


@login_required
@require_GET
def referred(request: HttpRequest) -> HttpResponse:
    renewals = selectors.renewals_referred(user=request.user)
    return render(request, "register/renewals/referred.html", {"renewals": renewals})


@login_required
@require_http_methods(["GET", "POST"])
def decide(request: HttpRequest, pk: int) -> HttpResponse:
    renewal = selectors.renewal_get_for_decision(user=request.user, pk=pk)
    form = RenewalDecisionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        require(request.user, "renewal.decide", renewal)
        if form.is_valid():
            accept = form.cleaned_data["decision"] == "accept"
            try:
                services.renewal_decide(
                    renewal=renewal,
                    registrar=request.user,
                    accept=accept,
                    reason=form.cleaned_data["reason"],
                )
            except services.RenewalError as error:
                add_service_error(form, error)
            else:
                verb = "accepted" if accept else "refused"
                messages.success(request, f"The renewal for {renewal.entry.full_name} is {verb}.")
                return redirect("register:renewals-referred")
    return render(
        request,
        "register/renewals/decide.html",
        {"renewal": renewal, "entry": renewal.entry, "form": form},
        status=400 if form.errors else 200,
    )
