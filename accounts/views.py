from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts import selectors
from accounts.forms import InvitationForm, MembershipRoleForm, OrganisationCreateForm
from accounts.models import Membership
from accounts.next_steps import next_steps_for
from accounts.permissions import can, require
from accounts.roles import roles_of
from accounts.services import organisations as services
from accounts.services import registrars as registrar_services
from config.middleware import passed_second_factor


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    steps = next_steps_for(request.user) if request.user.is_authenticated else []
    return render(request, "accounts/home.html", {"roles": roles_of(request.user), "steps": steps})


@login_required
@require_http_methods(["GET", "POST"])
def organisation_list(request: HttpRequest) -> HttpResponse:
    form = OrganisationCreateForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            organisation = services.organisation_create(
                user=request.user, name=form.cleaned_data["name"], kind=form.cleaned_data["kind"]
            )
        except services.ApplicationError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"{organisation} has been created. You are its owner.")
            return redirect("accounts:organisation-detail", pk=organisation.pk)
    organisations = selectors.organisation_list_for_user(user=request.user)
    return render(
        request,
        "accounts/organisations/list.html",
        {"organisations": organisations, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def organisation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = selectors.organisation_get(user=request.user, pk=pk)
    may_invite = can(request.user, "organisation.invite", organisation)
    form = InvitationForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        require(request.user, "organisation.invite", organisation)
        if form.is_valid():
            try:
                invitation = services.invitation_send(
                    organisation=organisation,
                    inviter=request.user,
                    email=form.cleaned_data["email"],
                    role=form.cleaned_data["role"],
                )
            except services.ApplicationError as error:
                form.add_error("email", str(error))
            else:
                messages.success(request, f"An invitation has been emailed to {invitation.email}.")
                return redirect("accounts:organisation-detail", pk=organisation.pk)
    context = {
        "organisation": organisation,
        "members": selectors.organisation_members(user=request.user, organisation=organisation),
        "may_invite": may_invite,
        "invitations": (
            selectors.organisation_pending_invitations(user=request.user, organisation=organisation)
            if may_invite
            else []
        ),
        "form": form,
    }
    status = 400 if form.errors else 200
    return render(request, "accounts/organisations/detail.html", context, status=status)


@login_required
@require_POST
def invitation_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    invitation = selectors.invitation_get_for_owner(user=request.user, pk=pk)
    try:
        services.invitation_revoke(invitation=invitation, user=request.user)
    except services.ApplicationError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"The invitation for {invitation.email} has been withdrawn.")
    return redirect("accounts:organisation-detail", pk=invitation.organisation_id)


@login_required
@require_POST
def membership_remove(request: HttpRequest, pk: int) -> HttpResponse:
    membership = selectors.membership_get_for_owner(user=request.user, pk=pk)
    try:
        revoked = services.membership_remove(membership=membership, user=request.user)
    except services.ApplicationError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request, f"{membership.user} has been removed.{_revoked_keys_sentence(revoked)}"
        )
    return redirect("accounts:organisation-detail", pk=membership.organisation_id)


def _revoked_keys_sentence(revoked: list) -> str:
    if not revoked:
        return ""
    if len(revoked) == 1:
        return " The API key they made was revoked: make a new one if your systems need it."
    return (
        f" The {len(revoked)} API keys they made were revoked: make new ones if your systems "
        "need them."
    )


@login_required
@require_http_methods(["GET", "POST"])
def membership_role_change(request: HttpRequest, pk: int) -> HttpResponse:
    membership = selectors.membership_get_for_owner(user=request.user, pk=pk)
    live_keys = selectors.membership_holdings(user=request.user, membership=membership)
    form = MembershipRoleForm(
        request.POST if request.method == "POST" else None, initial={"role": membership.role}
    )
    if request.method == "POST" and form.is_valid():
        role = form.cleaned_data["role"]
        try:
            revoked = services.membership_role_change(
                membership=membership, user=request.user, role=role
            )
        except services.ApplicationError as error:
            form.add_error("role", str(error))
        else:
            messages.success(
                request,
                f"{membership.user} is now {Membership.Role(role).with_article}."
                f"{_revoked_keys_sentence(revoked)}",
            )
            return redirect("accounts:organisation-detail", pk=membership.organisation_id)
    return render(
        request,
        "accounts/organisations/membership_role.html",
        {"membership": membership, "live_keys": live_keys, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    invitation = selectors.invitation_get_by_token(token=token)
    error = None
    if request.method == "POST":
        try:
            membership = services.invitation_accept(token=token, user=request.user)
        except services.ApplicationError as exc:
            error = str(exc)
        else:
            messages.success(request, f"You have joined {membership.organisation}.")
            return redirect("accounts:organisation-detail", pk=membership.organisation_id)
    return render(
        request,
        "accounts/organisations/invitation_accept.html",
        {"invitation": invitation, "error": error},
        status=400 if error else 200,
    )


@login_required
@require_GET
def registrar_home(request: HttpRequest) -> HttpResponse:
    require(request.user, "registrar.access")
    events = selectors.audit_events_recent(user=request.user, limit=25)
    return render(request, "accounts/registrar_home.html", {"events": events})


@require_http_methods(["GET", "POST"])
def registrar_invitation(request: HttpRequest, token: str) -> HttpResponse:
    """The one-time link of `manage.py invite_registrar`: it says what the invitee still has to
    do (sign in with the invited address, set up and use an authenticator app), then accepts."""
    invitation = registrar_services.registrar_invitation_get(token=token)
    if invitation is None:
        raise Http404("No such invitation.")
    second_factor_used = request.user.is_authenticated and passed_second_factor(request)
    error = None
    if request.method == "POST":
        try:
            registrar_services.registrar_invitation_accept(
                token=token, user=request.user, second_factor_used=second_factor_used
            )
        except registrar_services.RegistrarInvitationError as exc:
            error = str(exc)
        else:
            messages.success(request, "You are now a registrar.")
            return redirect("accounts:registrar-home")
    problem = registrar_services.registrar_invitation_problem(
        invitation=invitation, user=request.user, second_factor_used=second_factor_used
    )
    here = urlencode({"next": request.path})
    next_steps = {
        registrar_services.SIGN_IN: [
            ("Sign in", f"{reverse('account_login')}?{here}"),
            ("Create an account", f"{reverse('account_signup')}?{here}"),
        ],
        registrar_services.SET_UP_AUTHENTICATOR: [
            ("Set up an authenticator app", f"{reverse('mfa_activate_totp')}?{here}")
        ],
        registrar_services.USE_AUTHENTICATOR: [
            ("Enter a code", f"{reverse('mfa_reauthenticate')}?{here}")
        ],
    }
    return render(
        request,
        "accounts/registrar_invitation.html",
        {
            "invitation": invitation,
            "problem": problem,
            "next_steps": next_steps.get(problem, []),
            "error": error,
        },
        status=400 if error else 200,
    )
