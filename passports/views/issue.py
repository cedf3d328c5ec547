"""A worker issues a signed passport and downloads it, as a PDF or as the bare token, and can
download any verified record as an Open Badges credential."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_GET, require_POST

from core.dates import format_day
from core.errors import ApplicationError
from passports import documents
from passports.models import Passport, TrainingRecord
from passports.services.badges import record_badge_get_or_issue
from passports.services.passports import passport_issue
from register.selectors.register import own_entry_get


def _own_passport(request, public_id: str) -> Passport:
    """A worker's own passports only; anyone else's does not exist for them."""
    entry = own_entry_get(user=request.user)
    passport = Passport.objects.filter(entry=entry, public_id=public_id).first()
    if passport is None:
        raise Http404("No such passport.")
    return passport


@login_required
@require_POST
def passport_issue_view(request: HttpRequest) -> HttpResponse:
    entry = own_entry_get(user=request.user)
    try:
        passport = passport_issue(entry=entry, requested_by=request.user)
    except ApplicationError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            f"Your passport has been issued on {format_day(passport.issued_at)}. Download it "
            "below and share it with employers.",
        )
    return redirect("passports:page")


def _download(content, *, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
def passport_pdf(request: HttpRequest, public_id: str) -> HttpResponse:
    passport = _own_passport(request, public_id)
    return _download(
        documents.passport_pdf(passport),
        filename=f"care-register-passport-{passport.entry.registration_number}.pdf",
        content_type="application/pdf",
    )


@login_required
@require_GET
def passport_token(request: HttpRequest, public_id: str) -> HttpResponse:
    passport = _own_passport(request, public_id)
    return _download(
        passport.token,
        filename=f"care-register-passport-{passport.entry.registration_number}.jwt",
        content_type="application/vc+jwt",
    )


@login_required
@require_GET
def record_badge(request: HttpRequest, pk: int) -> HttpResponse:
    entry = own_entry_get(user=request.user)
    record = (
        TrainingRecord.objects.select_related("standard", "entry", "provider")
        .filter(pk=pk, entry=entry, status=TrainingRecord.Status.VERIFIED)
        .first()
    )
    if record is None:
        raise Http404("No such verified record.")
    try:
        badge = record_badge_get_or_issue(record=record, requested_by=request.user)
    except ApplicationError as error:
        messages.error(request, str(error))
        return redirect("passports:page")
    # Open Badges 3.0 section 8.2 secures a badge as a plain JWT, not a "vc+jwt".
    return _download(
        badge.token, filename=f"badge-{record.standard.code}.jwt", content_type="application/jwt"
    )
