"""Public verification of passports, the published keys and status lists, and the registrar's
page for suspending or revoking one passport.

Everything here but the registrar's page is open to anyone, signed in or not.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_safe

from accounts.permissions import require
from core.errors import ApplicationError
from core.requests import client_ip
from passports import keys, signing, status_lists, verification
from passports.forms import PassportStatusForm, VerifyForm
from passports.models import Passport
from passports.services import passports as services

# A minute: long enough to spare the register a fetch per verification, short enough that a
# revoked key stops verifying soon after.
_KEYS_MAX_AGE = 60


def _public(response: HttpResponse, *, max_age: int) -> HttpResponse:
    # Keys and status lists are for any verifier, including scripts in other sites' pages.
    response["Access-Control-Allow-Origin"] = "*"
    response["Cache-Control"] = f"public, max-age={max_age}"
    return response


def _throttled(request: HttpRequest, *, pdf: bool) -> float | None:
    """Seconds to wait when this address has checked too many passports, else None. The form
    counts every check; a PDF counts again, against the limit it shares with the API."""
    address = client_ip(request) or "unknown"
    hit = verification.VERIFY_FORM_LIMIT.hit(address)
    if hit.allowed and pdf:
        pdf_hit = verification.PDF_UPLOAD_LIMIT.hit(address)
        if not pdf_hit.allowed:
            hit.take_back()
            return pdf_hit.retry_after
    return None if hit.allowed else hit.retry_after


@require_http_methods(["GET", "POST"])
def verify_page(request: HttpRequest) -> HttpResponse:
    form = VerifyForm(request.POST or None, request.FILES or None)
    result = None
    retry_after = None
    if form.is_bound:
        retry_after = _throttled(request, pdf=bool(request.FILES.get("pdf")))
    if retry_after is not None:
        form.is_valid()
        form.add_error(None, verification.TOO_MANY_CHECKS)
    elif form.is_bound and form.is_valid():
        if form.cleaned_data["pdf"]:
            try:
                result = verification.verify_pdf(form.cleaned_data["pdf"].read())
            except verification.PdfUploadUnavailable as error:
                form.add_error("pdf", str(error))
        else:
            result = verification.verify_text(form.cleaned_data["token"])
    response = render(
        request,
        "passports/verify/verify.html",
        {"form": form, "result": result},
        status=429 if retry_after is not None else 400 if form.errors else 200,
    )
    if retry_after is not None:
        response["Retry-After"] = str(max(1, round(retry_after)))
    return response


@require_safe
def verify_link(request: HttpRequest, public_id: str) -> HttpResponse:
    """The QR code's target: the passport the register holds for this id, checked now."""
    result = verification.verify_stored(public_id)
    return render(
        request,
        "passports/verify/verify.html",
        {
            "form": VerifyForm(),
            "result": result or verification.failed(verification.NO_SUCH_LINK),
        },
        status=200 if result is not None else 404,
    )


@require_safe
def verify_badge_link(request: HttpRequest, public_id: str) -> HttpResponse:
    """A badge's id: the badge the register holds for this id, checked now."""
    result = verification.verify_stored_badge(public_id)
    return render(
        request,
        "passports/verify/verify.html",
        {
            "form": VerifyForm(),
            "result": result or verification.failed(verification.NO_SUCH_LINK),
        },
        status=200 if result is not None else 404,
    )


@require_safe
def jwks(request: HttpRequest) -> HttpResponse:
    return _public(
        JsonResponse(keys.jwks_document(), content_type="application/jwk-set+json"),
        max_age=_KEYS_MAX_AGE,
    )


@require_safe
def did_document(request: HttpRequest) -> HttpResponse:
    return _public(
        JsonResponse(keys.did_document(), content_type="application/did+ld+json"),
        max_age=_KEYS_MAX_AGE,
    )


@require_safe
def status_list(request: HttpRequest, purpose: str) -> HttpResponse:
    try:
        token = status_lists.signed_status_list(purpose)
    except keys.SigningKeyError:
        return HttpResponse(
            "The status list cannot be signed: the register has no active key.",
            status=503,
            content_type="text/plain; charset=utf-8",
        )
    return _public(
        HttpResponse(token, content_type=signing.MEDIA_TYPE), max_age=status_lists.CACHE_SECONDS
    )


@login_required
@require_http_methods(["GET", "POST"])
def registrar_passport(request: HttpRequest, public_id: str) -> HttpResponse:
    require(request.user, "passport.manage")
    passport = get_object_or_404(
        Passport.objects.select_related("entry", "key"), public_id=public_id
    )
    require(request.user, "passport.manage", passport.entry)
    form = PassportStatusForm(request.POST or None)
    error = None
    if form.is_bound and form.is_valid():
        action, reason_code = form.cleaned_data["action"], form.cleaned_data["reason_code"]
        try:
            if action == "revoke":
                services.passport_revoke(
                    passport=passport, registrar=request.user, reason_code=reason_code
                )
            elif action == "suspend":
                services.passport_suspend(
                    passport=passport, registrar=request.user, reason_code=reason_code
                )
            else:
                services.passport_unsuspend(passport=passport, registrar=request.user)
        except ApplicationError as exc:
            error = str(exc)
        else:
            messages.success(request, "The passport has been updated.")
            return redirect("passports:registrar-passport", public_id=passport.public_id)
    return render(
        request,
        "passports/verify/registrar_passport.html",
        {"passport": passport, "form": form, "error": error},
        status=400 if form.errors or error else 200,
    )
