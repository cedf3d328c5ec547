"""References: the referee's form, reached by the emailed link with no account, and the
registrar's two actions on a referee (send a request, decide an answer)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.errors import ApplicationError
from core.requests import client_ip
from register import forms
from register.selectors import register as selectors
from register.services import references
from register.views.registrar import render_application


@never_cache
@require_http_methods(["GET", "POST"])
def reference_answer(request: HttpRequest, token: str) -> HttpResponse:
    """The short reference form. The token in the address is the only permission."""
    address = client_ip(request)
    try:
        reference_request = references.reference_request_open(token=token, client_ip=address)
    except references.ReferenceRefused as refused:
        return render(
            request, "register/references/refused.html", {"message": str(refused)}, status=404
        )
    applicant_name = reference_request.referee.application.legal_name
    form = forms.ReferenceAnswerForm(
        request.POST if request.method == "POST" else None, applicant_name=applicant_name
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            references.reference_answer(
                token=token,
                client_ip=address,
                knows_applicant=data["knows_applicant"],
                how_known=data["how_known"],
                has_concerns=data["has_concerns"],
                concerns_details=data["concerns_details"],
                comments=data["comments"],
            )
        except references.ReferenceRefused as refused:
            form.add_error(None, str(refused))
        else:
            return redirect("register:reference-thanks")
    return render(
        request,
        "register/references/answer.html",
        {
            "form": form,
            "referee": reference_request.referee,
            "applicant_name": applicant_name,
            "reference_request": reference_request,
        },
        status=400 if form.errors else 200,
    )


@require_GET
def reference_thanks(request: HttpRequest) -> HttpResponse:
    return render(request, "register/references/thanks.html")


def _referee(request: HttpRequest, pk: int, position: int):
    application = selectors.application_get_for_registrar(registrar=request.user, pk=pk)
    referee = application.referees.filter(position=position).first()
    if referee is None:
        raise Http404("No such referee.")
    return application, referee


def _back(application) -> HttpResponse:
    return redirect(
        reverse("register:registrar-application", args=[application.pk]) + "#references"
    )


@login_required
@require_POST
def reference_request_send(request: HttpRequest, pk: int, position: int) -> HttpResponse:
    application, referee = _referee(request, pk, position)
    try:
        references.reference_request_send(referee=referee, registrar=request.user)
    except ApplicationError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"A reference request has been emailed to {referee.name}.")
    return _back(application)


@login_required
@require_POST
def reference_decide(request: HttpRequest, pk: int, position: int) -> HttpResponse:
    application, referee = _referee(request, pk, position)
    answered = referee.requests.filter(status="answered").first()
    if answered is None:
        messages.error(request, f"{referee.name} has not answered yet.")
        return _back(application)
    form = forms.ReferenceDecisionForm(request.POST, prefix=f"reference-{answered.pk}")
    error = None
    if form.is_valid():
        try:
            references.reference_decide(
                reference_request=answered,
                registrar=request.user,
                outcome=form.cleaned_data["outcome"],
                notes=form.cleaned_data["notes"],
            )
        except ApplicationError as exc:
            error = str(exc)
        else:
            messages.success(request, f"The reference from {referee.name} has been recorded.")
            return _back(application)
    if error is None:
        error = next(iter(form.errors.values()))[0]
    return render_application(
        request, application, status=400, reference_form=form, action_error=error
    )
