"""Job alerts: saving a search from /jobs/, confirming an address by its emailed link,
unsubscribing by the link in every digest (a page with a button, and RFC 8058's one-click POST),
and a signed-in person's own alerts."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.errors import ApplicationError
from core.requests import client_ip
from core.views import add_service_error
from jobs.forms.alerts import AlertForm
from jobs.selectors import alerts as selectors
from jobs.services import alerts as services

# The address a confirmation link went to, masked, for the next page.
SENT_TO = "job_alert_sent_to"


def _masked(email: str) -> str:
    local, _, domain = email.strip().partition("@")
    return f"{local[:1]}{'•' * max(len(local) - 1, 3)}@{domain}"


@never_cache
@require_http_methods(["GET", "POST"])
def new(request: HttpRequest) -> HttpResponse:
    """Save the search the page was opened with (its GET parameters) as an alert."""
    signed_in = request.user.is_authenticated
    if request.method == "POST":
        form = AlertForm(request.POST, signed_in=signed_in)
        query = request.POST.get("query", "")
    else:
        form = AlertForm(signed_in=signed_in)
        query = request.GET.urlencode()
    try:
        search = services.saved_search_read(query)
    except services.AlertError as error:
        return render(
            request, "jobs/alerts/search_problem.html", {"message": str(error)}, status=400
        )
    if request.method == "GET":
        form.initial["query"] = search.query
    if request.method == "POST" and form.is_valid():
        try:
            alert, token = services.alert_create(
                search=search,
                frequency=form.cleaned_data["frequency"],
                user=request.user if signed_in else None,
                email=form.cleaned_data.get("email", ""),
                client_ip=client_ip(request),
            )
        except services.AlertError as error:
            add_service_error(form, error)
        else:
            if token is None:
                messages.success(
                    request,
                    f"Your job alert is set up. We will email {alert.email} "
                    f"{alert.get_frequency_display().lower()} when there are new jobs.",
                )
                return redirect("jobs:alerts")
            request.session[SENT_TO] = _masked(alert.email)
            return redirect("jobs:alert-check-email")
    return render(
        request,
        "jobs/alerts/new.html",
        {"form": form, "search": search, "signed_in": signed_in},
        status=400 if form.errors else 200,
    )


@never_cache
@require_GET
def check_email(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "jobs/alerts/check_email.html",
        {
            "sent_to": request.session.get(SENT_TO, ""),
            "hours": settings.JOB_ALERT_CONFIRMATION_HOURS,
        },
    )


@never_cache
@require_http_methods(["GET", "POST"])
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    """The emailed link. Opening it shows a button: mail scanners open links, and the alert
    must be confirmed by a person. The token is the only permission."""
    address = client_ip(request)
    try:
        if request.method == "POST":
            alert = services.alert_confirm(token=token, client_ip=address)
        else:
            alert = services.alert_confirmation_check(token=token, client_ip=address)
    except services.AlertLinkRefused as refused:
        return render(request, "jobs/alerts/refused.html", {"message": str(refused)}, status=404)
    request.session.pop(SENT_TO, None)
    return render(
        request,
        "jobs/alerts/confirm.html",
        {"alert": alert, "confirmed": request.method == "POST"},
    )


# A mail program's one-click unsubscribe (RFC 8058) POSTs here with no cookies and no CSRF
# token; the unguessable token in the address is the only permission, and all it can do is stop
# that one alert. A GET only shows the button, since mail scanners open links.
@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    address = client_ip(request)
    try:
        if request.method == "POST":
            alert = services.alert_unsubscribe(token=token, client_ip=address)
        else:
            alert = services.alert_unsubscribe_check(token=token, client_ip=address)
    except services.AlertLinkRefused as refused:
        return render(request, "jobs/alerts/refused.html", {"message": str(refused)}, status=404)
    return render(
        request,
        "jobs/alerts/unsubscribe.html",
        {"alert": alert, "stopped": alert.status == alert.Status.STOPPED},
    )


@never_cache
@login_required
@require_GET
def manage(request: HttpRequest) -> HttpResponse:
    return render(
        request, "jobs/alerts/manage.html", {"rows": selectors.alerts_for_user(user=request.user)}
    )


@login_required
@require_POST
def stop(request: HttpRequest, pk: int) -> HttpResponse:
    alert = selectors.alert_get_for_user(user=request.user, pk=pk)
    try:
        services.alert_stop(alert=alert, user=request.user)
    except ApplicationError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "The job alert is stopped. We will not send it again.")
    return redirect("jobs:alerts")
