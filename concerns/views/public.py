"""Raising a concern: what anyone sees, with or without an account, and what an employer sees
when it raises one from its staff list.

Immediate danger comes first on every page a person raising a concern starts from: the
register is not the safeguarding authority, and someone in danger needs 999 or the council's
safeguarding team, not a form that a registrar reads within days.
"""

from datetime import date

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from concerns import selectors
from concerns.forms import CategoryForm, EmployerRaiseForm, RaiseForm
from concerns.models import Case
from concerns.services import raising
from core.errors import ApplicationError
from core.requests import client_ip
from core.views import add_service_error
from register.models import ConcernCategory
from register.registration_numbers import is_valid as is_valid_registration_number
from register.registration_numbers import normalise as normalise_registration_number

# What the pages after a concern is sent show, kept in the person's session: not the concern,
# nor their full email address, only enough to say where the link went and the reference.
SENT_TO = "concern_sent_to"
RECEIVED = "concern_received"


@require_GET
def start(request: HttpRequest) -> HttpResponse:
    """What the register can and cannot do, and what the concern is about. Abuse or neglect
    leads to the safeguarding signpost before the form; anything else straight to the form."""
    # The page's form sends `chosen` with the answer, so that sending it with nothing chosen
    # is told apart from arriving at the page.
    form = CategoryForm(request.GET if "chosen" in request.GET else None)
    # From a worker's page on the public register: their number goes on to the form.
    worker = _worker_number(request.GET.get("worker", ""))
    if form.is_bound and form.is_valid():
        category = form.cleaned_data["category"]
        if category == ConcernCategory.ABUSE_OR_NEGLECT:
            return render(
                request,
                "concerns/raise/safeguarding.html",
                {"raise_url": _raise_url(category, worker)},
            )
        return redirect(_raise_url(category, worker))
    return render(
        request,
        "concerns/raise/start.html",
        {
            "form": form,
            "worker": worker,
            "screening_days": settings.CONCERN_SCREENING_WORKING_DAYS,
            "response_days": settings.CONCERN_RESPONSE_DAYS,
            "appeal_days": settings.CONCERN_APPEAL_DAYS,
        },
        status=400 if form.errors else 200,
    )


def _worker_number(text: str) -> str:
    return normalise_registration_number(text) if is_valid_registration_number(text) else ""


def _raise_url(category: str, worker: str = "") -> str:
    query = {"category": category, **({"worker": worker} if worker else {})}
    return reverse("concerns:raise") + "?" + urlencode(query)


@never_cache
@require_http_methods(["GET", "POST"])
def raise_concern(request: HttpRequest) -> HttpResponse:
    """The concern itself, from anyone. Someone without an account confirms their email
    address before it is sent on; someone signed in has it received at once."""
    signed_in = request.user.is_authenticated
    if request.method == "POST":
        form = RaiseForm(request.POST, request.FILES, signed_in=signed_in)
    else:
        category = request.GET.get("category", "")
        initial = {"category": category} if category in ConcernCategory.values else {}
        worker = _worker_number(request.GET.get("worker", ""))
        if worker:
            initial["registration_number"] = worker
        if signed_in:
            initial["name"] = request.user.get_full_name()
        form = RaiseForm(initial=initial, signed_in=signed_in)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        anonymous = data.get("anonymous") is True
        raised = raising.Raised(
            category=data["category"],
            source=data["source"],
            what_happened=data["what_happened"],
            when_happened=data["when_happened"],
            registration_number=data["registration_number"],
            worker_name="" if data["registration_number"] else data["worker_name"],
            workplace="" if data["registration_number"] else data["workplace"],
            anonymous=anonymous,
            name="" if anonymous else data["name"],
            email=data.get("email", ""),
            phone="" if anonymous else data["phone"],
            identity_withheld=anonymous or data["worker_may_know"] is not True,
        )
        try:
            case, token = raising.concern_raise(
                raised=raised,
                documents=data["documents"],
                user=request.user if signed_in else None,
                client_ip=client_ip(request),
            )
        except ApplicationError as error:
            add_service_error(form, error)
        else:
            if token is None:
                _remember_received(request, case)
                return redirect("concerns:received")
            request.session[SENT_TO] = _masked(raised.email)
            return redirect("concerns:check-email")
    return render(
        request,
        "concerns/raise/form.html",
        {
            "form": form,
            "signed_in": signed_in,
            "files_lost": bool(form.errors and request.FILES),
        },
        status=400 if form.errors else 200,
    )


def _masked(email: str) -> str:
    """Enough of the address to spot a typing slip (the whole domain), not enough to read it
    off someone's screen."""
    local, _, domain = email.strip().partition("@")
    return f"{local[:1]}{'•' * max(len(local) - 1, 3)}@{domain}"


def _remember_received(request: HttpRequest, case: Case, **extra) -> None:
    request.session[RECEIVED] = {
        "reference": case.reference,
        "screening_due": case.screening_due.isoformat() if case.screening_due else "",
        "anonymous": case.anonymous,
        "emailed": bool(case.raiser_email),
        **extra,
    }


@never_cache
@require_GET
def check_email(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "concerns/raise/check_email.html",
        {
            "sent_to": request.session.get(SENT_TO, ""),
            "hours": settings.CONCERN_CONFIRMATION_HOURS,
        },
    )


@never_cache
@require_http_methods(["GET", "POST"])
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    """The emailed link. Opening it only shows a button: mail scanners open links, and a
    concern must be confirmed by the person who raised it. The token is the only permission."""
    address = client_ip(request)
    try:
        if request.method == "POST":
            case = raising.concern_confirm(token=token, client_ip=address)
        else:
            raising.concern_confirmation_check(token=token, client_ip=address)
    except raising.ConfirmationRefused as refused:
        return render(request, "concerns/raise/refused.html", {"message": str(refused)}, status=404)
    if request.method == "POST":
        request.session.pop(SENT_TO, None)
        _remember_received(request, case)
        return redirect("concerns:received")
    return render(request, "concerns/raise/confirm.html")


@never_cache
@require_GET
def received(request: HttpRequest) -> HttpResponse:
    """The reference of the concern this browser just sent or confirmed. An anonymous raiser
    gets no email, so this page is the one place they see it."""
    sent = request.session.get(RECEIVED)
    if not sent:
        return redirect("concerns:start")
    screening_due = date.fromisoformat(sent["screening_due"]) if sent["screening_due"] else None
    return render(
        request,
        "concerns/raise/received.html",
        {"sent": sent, "screening_due": screening_due},
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def employer_raise(request: HttpRequest, organisation_pk: int, entry_pk: int) -> HttpResponse:
    """An employer raises a concern about a worker on its staff list. It is received at once:
    the employer is signed in, and named. The employer's separate duty to refer to the DBS is
    shown first, before the form."""
    about = selectors.staff_worker_for_employer(
        user=request.user, organisation_pk=organisation_pk, entry_pk=entry_pk
    )
    if request.method == "POST":
        form = EmployerRaiseForm(request.POST, request.FILES)
    else:
        form = EmployerRaiseForm()
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            case, _ = raising.concern_raise(
                raised=raising.Raised(
                    category=data["category"],
                    source=Case.Source.EMPLOYER,
                    what_happened=data["what_happened"],
                    when_happened=data["when_happened"],
                    registration_number=about.entry.registration_number,
                    phone=data["phone"],
                    identity_withheld=data["worker_may_know"] is not True,
                ),
                documents=data["documents"],
                user=request.user,
                organisation=about.organisation,
                client_ip=client_ip(request),
            )
        except ApplicationError as error:
            add_service_error(form, error)
        else:
            _remember_received(
                request,
                case,
                staff_url=reverse("employers:staff", args=[about.organisation.pk]),
                organisation=about.organisation.name,
            )
            return redirect("concerns:received")
    return render(
        request,
        "concerns/raise/employer.html",
        {
            "form": form,
            "organisation": about.organisation,
            "entry": about.entry,
            "screening_days": settings.CONCERN_SCREENING_WORKING_DAYS,
            "files_lost": bool(form.errors and request.FILES),
        },
        status=400 if form.errors else 200,
    )
