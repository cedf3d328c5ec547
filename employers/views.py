"""Share codes, employers' checks and staff lists, API keys and webhooks.

A worker makes and revokes share codes and sees who checked them; an employer checks a code,
adds the worker to its staff list and watches the list on its dashboard; an owner manages the
organisation's API keys and webhook.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.models import Organisation, User
from accounts.permissions import require
from accounts.services.organisations import organisation_create
from core.csv_safety import csv_text
from core.dates import format_day
from core.errors import ApplicationError
from core.views import add_service_error
from employers import selectors as selectors
from employers.forms import (
    ApiKeyCreateForm,
    ShareCodeCheckForm,
    ShareCodeCreateForm,
    SharedNameOrganisationForm,
    StaffRemoveForm,
    WebhookForm,
)
from employers.models import StaffMembership
from employers.services import api_keys, sharecodes, staff, verification, webhooks
from register.decorators import friendly_without_entry
from register.selectors.register import own_entry_get

# --- The worker's share codes ----------------------------------------------------------------


@never_cache
@login_required
@friendly_without_entry("passports/records/no_entry.html")
@require_http_methods(["GET", "POST"])
def share_codes(request: HttpRequest) -> HttpResponse:
    entry = own_entry_get(user=request.user)
    form = ShareCodeCreateForm(request.POST if request.method == "POST" else None)
    new_code = None
    if request.method == "POST" and form.is_valid():
        try:
            share_code, code = sharecodes.share_code_create(
                worker=request.user,
                entry=entry,
                shares_identity_checks=form.cleaned_data["shares_identity_checks"],
                label=form.cleaned_data["label"],
            )
        except ApplicationError as error:
            add_service_error(form, error)
        else:
            # Shown on this response only: the code is never stored, so it cannot be shown again.
            new_code = {"code": sharecodes.share_code_format(code), "share_code": share_code}
            form = ShareCodeCreateForm()
    context = {
        "entry": entry,
        "form": form,
        "new_code": new_code,
        "share_codes": selectors.share_codes_for_worker(user=request.user, entry=entry),
        "employers": selectors.employers_listing_worker(user=request.user, entry=entry),
        "now": timezone.now(),
    }
    return render(
        request, "employers/share_codes.html", context, status=400 if form.errors else 200
    )


@login_required
@require_POST
def share_code_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    share_code = selectors.share_code_get_for_worker(user=request.user, pk=pk)
    try:
        sharecodes.share_code_revoke(share_code=share_code, worker=request.user)
    except ApplicationError as error:
        messages.error(request, str(error))
    else:
        if share_code.for_application:
            messages.success(request, f"You stopped sharing your record: {share_code.label}.")
        else:
            messages.success(request, f"The code ending {share_code.hint} has been revoked.")
    return redirect("employers:share-codes")


@login_required
@require_POST
def staff_leave(request: HttpRequest, pk: int) -> HttpResponse:
    membership = selectors.staff_membership_get_for_worker(user=request.user, pk=pk)
    try:
        staff.staff_leave(membership=membership, worker=request.user)
    except ApplicationError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request, f"You are no longer on the staff list of {membership.organisation.name}."
        )
    return redirect("employers:share-codes")


# --- The employer -----------------------------------------------------------------------------


def _not_verified(request: HttpRequest, organisation, error) -> HttpResponse:
    """The page an employer sees where workers' data would be, until a registrar verifies it."""
    return render(
        request,
        "employers/not_verified.html",
        {"organisation": organisation, "message": str(error)},
        status=403,
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def share_code_check(request: HttpRequest, org_id: int) -> HttpResponse:
    organisation = selectors.employer_organisation_get(
        user=request.user, pk=org_id, action="sharecode.check"
    )
    try:
        verification.employer_require_verified(organisation)
    except verification.EmployerNotVerified as error:
        return _not_verified(request, organisation, error)
    form = ShareCodeCheckForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            shared = sharecodes.share_code_check(
                organisation=organisation,
                user=request.user,
                code=form.cleaned_data["code"],
                date_of_birth=form.cleaned_data["date_of_birth"],
            )
        except sharecodes.ShareCodeRateLimited as error:
            form.add_error(None, str(error))
            status = 429
        except sharecodes.ShareCodeNotAccepted as error:
            # The refusal counted towards the hour's limit, so say what was read: a date
            # misread would otherwise burn attempts with nobody the wiser.
            form.add_error(
                None,
                f"{error} You entered the code "
                f"{sharecodes.share_code_format(form.cleaned_data['code'])} and the date of "
                f"birth {format_day(form.cleaned_data['date_of_birth'])}.",
            )
        except ApplicationError as error:
            form.add_error(None, str(error))
        else:
            # Rendered, not redirected: the record is shown once, for this check, and is never
            # kept in the session or behind a link.
            return render(
                request,
                "employers/check_result.html",
                {
                    "organisation": organisation,
                    "shared": shared,
                    "entry": shared.entry,
                    "training": shared.training,
                    "on_staff_list": selectors.staff_list_has(
                        user=request.user, organisation=organisation, entry=shared.entry
                    ),
                },
            )
    if form.errors and status == 200:
        status = 400
    return render(
        request,
        "employers/check.html",
        {"organisation": organisation, "form": form},
        status=status,
    )


@login_required
@require_POST
def staff_add(request: HttpRequest, org_id: int) -> HttpResponse:
    organisation = selectors.employer_organisation_get(
        user=request.user, pk=org_id, action="staff.manage"
    )
    try:
        check_id = int(request.POST.get("check", ""))
    except ValueError:
        check_id = 0
    check = selectors.check_get_for_organisation(
        user=request.user, organisation=organisation, pk=check_id
    )
    try:
        membership = staff.staff_add(organisation=organisation, user=request.user, check=check)
    except ApplicationError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"{membership.entry.full_name} is now on your staff list.")
    return redirect("employers:staff", org_id=organisation.pk)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def staff_remove(request: HttpRequest, org_id: int, pk: int) -> HttpResponse:
    """Take a worker off the staff list, saying why. A worker dismissed, or gone, because of
    their conduct leads straight on to raising a concern with the register, where the
    employer's own duty to refer to the DBS is shown first."""
    organisation = selectors.employer_organisation_get(
        user=request.user, pk=org_id, action="staff.manage"
    )
    membership = selectors.staff_membership_get(user=request.user, organisation=organisation, pk=pk)
    form = StaffRemoveForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        reason = form.cleaned_data["reason"]
        try:
            staff.staff_remove(membership=membership, user=request.user, reason=reason)
        except ApplicationError as error:
            messages.error(request, str(error))
            return redirect("employers:staff", org_id=organisation.pk)
        name = membership.entry.full_name
        if reason == StaffMembership.RemovalReason.CONDUCT:
            messages.success(
                request,
                f"{name} has been removed from your list. Tell the register about their "
                "conduct below.",
            )
            return redirect(
                "concerns:employer-raise",
                organisation_pk=organisation.pk,
                entry_pk=membership.entry_id,
            )
        messages.success(request, f"{name} has been removed from your list.")
        return redirect("employers:staff", org_id=organisation.pk)
    return render(
        request,
        "employers/staff_remove.html",
        {"organisation": organisation, "membership": membership, "form": form},
        status=400 if form.errors else 200,
    )


def _sort_from(request: HttpRequest) -> str:
    sort = request.GET.get("sort", "name")
    return sort if sort in selectors.SORTS else "name"


STAFF_PAGE_SIZE = 50


@login_required
@require_GET
def staff_dashboard(request: HttpRequest, org_id: int) -> HttpResponse:
    organisation = selectors.employer_organisation_get(user=request.user, pk=org_id)
    sort = _sort_from(request)
    try:
        rows = selectors.staff_dashboard(
            user=request.user, organisation=organisation, today=timezone.localdate(), sort=sort
        )
    except verification.EmployerNotVerified as error:
        return _not_verified(request, organisation, error)
    # A page at a time: 500 workers with their training on one page took most of a second to
    # render (docs/performance.md). The CSV still has everyone.
    page = Paginator(rows, STAFF_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "employers/staff.html",
        {
            "organisation": organisation,
            "rows": rows,
            "page": page,
            "sort": sort,
            "needing_attention": sum(1 for row in rows if row.attention),
            "left": selectors.staff_left_recently(user=request.user, organisation=organisation),
        },
    )


@login_required
@require_GET
def staff_csv(request: HttpRequest, org_id: int) -> HttpResponse:
    organisation = selectors.employer_organisation_get(user=request.user, pk=org_id)
    try:
        rows = selectors.staff_dashboard(
            user=request.user,
            organisation=organisation,
            today=timezone.localdate(),
            sort=_sort_from(request),
        )
    except verification.EmployerNotVerified as error:
        return _not_verified(request, organisation, error)
    table = [
        [
            "Name",
            "Registration number",
            "Status",
            "Next expiry",
            "Expired on",
            "Training due or expired",
            "On the list since",
        ],
        *(
            [
                row.entry.full_name,
                row.entry.registration_number,
                row.entry.get_status_display(),
                row.next_expiry.isoformat() if row.next_expiry else "",
                row.expired_on.isoformat() if row.expired_on else "",
                row.attention_text,
                timezone.localdate(row.membership.added_at).isoformat(),
            ]
            for row in rows
        ),
    ]
    response = HttpResponse(csv_text(table), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="staff.csv"'
    response["Cache-Control"] = "private, no-store"
    return response


# --- Owners: webhook and API keys -------------------------------------------------------------


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def webhook_settings(request: HttpRequest, org_id: int) -> HttpResponse:
    organisation = selectors.organisation_for_owner(
        user=request.user, pk=org_id, action="webhook.manage"
    )
    form = WebhookForm(request.POST if request.method == "POST" else None)
    new_secret = None
    if request.method == "POST":
        if request.POST.get("action") == "remove":
            try:
                webhooks.webhook_endpoint_remove(organisation=organisation, user=request.user)
            except ApplicationError as error:
                messages.error(request, str(error))
            else:
                messages.success(request, "The webhook is turned off.")
            return redirect("employers:webhook", org_id=organisation.pk)
        if form.is_valid():
            try:
                _, new_secret = webhooks.webhook_endpoint_set(
                    organisation=organisation, user=request.user, url=form.cleaned_data["url"]
                )
            except ApplicationError as error:
                add_service_error(form, error)
    endpoint, deliveries = selectors.webhook_for_organisation(
        user=request.user, organisation=organisation
    )
    return render(
        request,
        "employers/webhook.html",
        {
            "organisation": organisation,
            "form": form,
            "endpoint": endpoint,
            "deliveries": deliveries,
            "new_secret": new_secret,
            "verified": verification.employer_is_verified(organisation),
        },
        status=400 if form.errors else 200,
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def api_key_list(request: HttpRequest, org_id: int) -> HttpResponse:
    organisation = selectors.organisation_for_owner(
        user=request.user, pk=org_id, action="apikey.manage"
    )
    form = ApiKeyCreateForm(request.POST if request.method == "POST" else None)
    new_key = None
    if request.method == "POST" and form.is_valid():
        try:
            api_key, new_key = api_keys.api_key_create(
                organisation=organisation,
                user=request.user,
                name=form.cleaned_data["name"],
                scopes=form.cleaned_data["scopes"],
                expires_on=form.cleaned_data["expires_on"],
            )
        except ApplicationError as error:
            add_service_error(form, error)
        else:
            form = ApiKeyCreateForm()
    keys = selectors.api_keys_for_organisation(user=request.user, organisation=organisation)
    return render(
        request,
        "employers/api_keys.html",
        {
            "organisation": organisation,
            "form": form,
            "keys": keys,
            "unused_count": sum(1 for api_key in keys if api_key.unused),
            "new_key": new_key,
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def api_key_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    api_key = selectors.api_key_get_for_owner(user=request.user, pk=pk)
    try:
        api_keys.api_key_revoke(api_key=api_key, user=request.user)
    except ApplicationError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"The key {api_key.name} has been revoked.")
    return redirect("employers:api-keys", org_id=api_key.organisation_id)


# --- Registrars: verifying employers -----------------------------------------------------------


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def registrar_employers(request: HttpRequest) -> HttpResponse:
    """The employers to verify, and setting up an organisation under a name already in use."""
    require(request.user, "registrar.access")
    form = SharedNameOrganisationForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        owner = User.objects.filter(email__iexact=form.cleaned_data["owner_email"]).first()
        try:
            if owner is None:
                raise ApplicationError(
                    "No account uses that email address. Ask the owner to sign up first.",
                    field="owner_email",
                )
            organisation = organisation_create(
                user=owner,
                name=form.cleaned_data["name"],
                kind=form.cleaned_data["kind"],
                name_confirmed_by=request.user,
            )
        except ApplicationError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request, f"{organisation.name} is set up, with {owner.email} as its owner."
            )
            return redirect("employers:registrar-employers")
    return render(
        request,
        "employers/registrar_employers.html",
        {"rows": selectors.employers_for_registrar(user=request.user), "form": form},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def registrar_employer_verify(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, "registrar.access")
    organisation = get_object_or_404(Organisation, pk=pk, kind=Organisation.Kind.EMPLOYER)
    withdraw = request.POST.get("action") == "withdraw"
    try:
        if withdraw:
            verification.employer_verification_withdraw(
                organisation=organisation, registrar=request.user
            )
        else:
            verification.employer_verify(organisation=organisation, registrar=request.user)
    except ApplicationError as error:
        messages.error(request, str(error))
    else:
        if withdraw:
            messages.success(
                request,
                f"{organisation.name} is no longer verified: it receives no worker's details.",
            )
        else:
            messages.success(request, f"{organisation.name} is verified.")
    return redirect("employers:registrar-employers")
