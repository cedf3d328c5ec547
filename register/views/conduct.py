"""The code of conduct: the public pages of each version, the page that asks for acceptance of
a new one, publishing a new version, and the registrars' view of who has accepted."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods

from accounts.permissions import can, require
from core.views import add_service_error
from register.code_prompt import code_prompt_clear
from register.forms import CodeAcceptForm, CodePublishForm, principles_as_text, principles_from_text
from register.models import CodeAcceptance, CodeOfConduct
from register.selectors import conduct as selectors
from register.services import conduct as services

ENTRIES_PER_PAGE = 25


def _code_page(request: HttpRequest, code: CodeOfConduct | None) -> HttpResponse:
    current = services.code_current()
    return render(
        request,
        "register/conduct/code.html",
        {
            "code": code,
            "current": current,
            "versions": list(services.code_versions()),
            "perms_publish": can(request.user, "code.publish"),
        },
    )


@require_GET
def code_of_conduct(request: HttpRequest) -> HttpResponse:
    """The current version, for everyone."""
    return _code_page(request, services.code_current())


@require_GET
def code_of_conduct_version(request: HttpRequest, version: int) -> HttpResponse:
    """Any version, current or replaced, for everyone: acceptances name the version."""
    code = CodeOfConduct.objects.filter(version=version).first()
    if code is None:
        raise Http404("There is no such version of the code of conduct.")
    return _code_page(request, code)


def _safe_next(request: HttpRequest, candidate: str | None) -> str:
    """`candidate` if it is an address on this site, else the home page: the accept page
    must never send anyone elsewhere."""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return resolve_url(settings.LOGIN_REDIRECT_URL)


@login_required
@require_http_methods(["GET", "POST"])
def code_of_conduct_accept(request: HttpRequest) -> HttpResponse:
    """What changed and the whole code, with one "I accept" button."""
    data = request.POST if request.method == "POST" else request.GET
    going_to = _safe_next(request, data.get("next"))
    due = services.code_acceptance_due(request.user)
    if due is None:
        code_prompt_clear(request)
        return redirect(going_to)
    form = CodeAcceptForm(initial={"version": due.version, "next": going_to})
    error = None
    if request.method == "POST":
        posted = CodeAcceptForm(request.POST)
        shown = None
        if posted.is_valid():
            shown = CodeOfConduct.objects.filter(version=posted.cleaned_data["version"]).first()
        if shown is None:
            error = "Something went wrong. Read the code again, then accept it."
        else:
            try:
                services.code_accept(user=request.user, code=shown, how=CodeAcceptance.How.SIGN_IN)
            except services.CodeOfConductError as refused:
                # A newer version was published while the page was open: this shows that one.
                error = str(refused)
            else:
                code_prompt_clear(request)
                return redirect(going_to)
    previous = services.code_accepted_by(request.user)
    return render(
        request,
        "register/conduct/accept.html",
        {"code": due, "form": form, "previous": previous, "error": error},
        status=400 if error else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def code_of_conduct_new(request: HttpRequest) -> HttpResponse:
    """An association's or a registrar's page to publish the next version."""
    require(request.user, "code.publish")
    current = services.code_current()
    next_version = current.version + 1 if current else 1
    if request.method == "POST":
        form = CodePublishForm(request.POST)
        if form.is_valid():
            try:
                code = services.code_publish(
                    by=request.user,
                    title=form.cleaned_data["title"],
                    summary=form.cleaned_data["summary"],
                    principles=principles_from_text(form.cleaned_data["principles"]),
                    expected_version=form.cleaned_data["version"],
                )
            except services.CodeOfConductError as error:
                add_service_error(form, error)
                # The next number may have moved on; the page says the one it would publish.
                form.data = form.data.copy()
                form.data["version"] = str(next_version)
            else:
                messages.success(
                    request,
                    f"Version {code.version} of the code of conduct is published. Everyone on "
                    "the register will be emailed and asked to accept it.",
                )
                return redirect("register:code-of-conduct")
    else:
        form = CodePublishForm(
            initial={
                "title": current.title if current else "",
                "principles": principles_as_text(current.principles) if current else "",
                "version": next_version,
            }
        )
    return render(
        request,
        "register/conduct/new.html",
        {"form": form, "current": current, "next_version": next_version},
        status=400 if form.errors else 200,
    )


@login_required
@require_GET
def registrar_code_acceptances(request: HttpRequest) -> HttpResponse:
    """For registrars: how many accepted each version, and who on the register has not yet
    accepted the current one."""
    versions = selectors.code_versions_with_acceptances(user=request.user)
    current = versions.first()
    page = None
    if current is not None:
        waiting = selectors.entries_yet_to_accept(user=request.user, code=current)
        page = Paginator(waiting, ENTRIES_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "register/registrar/code_acceptances.html",
        {"versions": versions, "current": current, "page": page},
    )
