"""Applying to join the register, one short page at a time. Every page saves the draft, so a
worker can stop and come back, and going back never loses an answer."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from accounts.permissions import require
from core.errors import ApplicationError
from core.views import add_service_error
from register import forms as forms
from register.models import Application
from register.selectors import register as selectors
from register.services import applications as services
from register.services import references
from register.services.conduct import code_current
from register.services.evidence import evidence_upload

# (slug, title, form class) in the order the worker sees them. The referees' page asks for two
# people at once, so it has a view of its own (apply_referees) and no single form class.
STEPS = [
    ("about-you", "About you", forms.AboutYouForm),
    ("contact", "Contact details and address", forms.ContactForm),
    ("work", "Your work", forms.WorkForm),
    ("referees", "Your referees", None),
    ("declarations", "Declarations", forms.DeclarationsForm),
]
STEP_SLUGS = [slug for slug, _, _ in STEPS]
REFEREE_POSITIONS = (1, 2)


def _after(request, index: int):
    """Where "Save and continue" goes: the next step, or back to the check page it came from."""
    if request.GET.get("from") == "check" or index + 1 >= len(STEPS):
        return redirect("register:apply-check")
    return redirect("register:apply-step", step=STEP_SLUGS[index + 1])


def _before(index: int) -> str:
    if index:
        return reverse("register:apply-step", args=[STEP_SLUGS[index - 1]])
    return reverse("register:apply-start")


def _open_application(request) -> Application:
    application = selectors.application_open_for_worker(worker=request.user)
    if application is None:
        raise Http404("You have no application in progress.")
    return application


def _initial(application: Application, form_class) -> dict:
    initial = {}
    for name in form_class.base_fields:
        value = getattr(application, name, None)
        if name in {"pathway_role", "employer"}:
            value = getattr(application, f"{name}_id")
        initial[name] = value
    return initial


@login_required
@require_http_methods(["GET", "POST"])
def apply_start(request: HttpRequest) -> HttpResponse:
    require(request.user, "application.start")
    if request.method == "POST":
        application = services.application_start(worker=request.user)
        return redirect("register:apply-step", step=_first_unanswered_step(application))
    return render(
        request,
        "register/applications/start.html",
        {
            "application": selectors.application_open_for_worker(worker=request.user),
            "latest": selectors.application_latest_for_worker(worker=request.user),
            "has_entry": selectors.entry_for_worker(worker=request.user) is not None,
        },
    )


def _first_unanswered_step(application: Application) -> str:
    missing = [step for step, _ in services.application_missing_answers(application)]
    for slug in STEP_SLUGS:
        if slug in missing:
            return slug
    return "check"


@login_required
@require_http_methods(["GET", "POST"])
def apply_step(request: HttpRequest, step: str) -> HttpResponse:
    if step not in STEP_SLUGS or STEPS[STEP_SLUGS.index(step)][2] is None:
        raise Http404("No such step.")
    application = _open_application(request)
    require(request.user, "application.edit", application)
    index = STEP_SLUGS.index(step)
    slug, title, form_class = STEPS[index]
    if request.method == "POST":
        form = form_class(request.POST)
        if form.is_valid():
            try:
                services.application_save_step(
                    application=application,
                    worker=request.user,
                    step=step,
                    values=form.cleaned_data,
                )
            except ApplicationError as error:
                messages.error(request, str(error))
                return redirect("register:apply-start")
            return _after(request, index)
    else:
        form = form_class(initial=_initial(application, form_class))
    previous = _before(index)
    return render(
        request,
        "register/applications/step.html",
        {
            "application": application,
            "form": form,
            "title": title,
            "step_number": index + 1,
            "step_count": len(STEPS) + 1,
            "previous_url": previous,
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def apply_referees(request: HttpRequest) -> HttpResponse:
    """Two referees on one page: who they are, how they know the applicant, for how long."""
    application = _open_application(request)
    require(request.user, "application.edit", application)
    index = STEP_SLUGS.index("referees")
    saved = {referee.position: referee for referee in application.referees.all()}
    data = request.POST if request.method == "POST" else None
    referee_forms = [
        forms.RefereeForm(
            data,
            prefix=f"referee-{position}",
            initial={
                name: getattr(saved[position], name)
                for name in references.REFEREE_FIELDS
                if position in saved
            },
        )
        for position in REFEREE_POSITIONS
    ]
    error = None
    if data is not None and all([form.is_valid() for form in referee_forms]):
        try:
            references.referees_save(
                application=application,
                worker=request.user,
                referees=[form.cleaned_data for form in referee_forms],
            )
        except services.ApplicationStateError as exc:
            messages.error(request, str(exc))
            return redirect("register:apply-start")
        except ApplicationError as exc:
            error = str(exc)
        else:
            return _after(request, index)
    failed = error is not None or any(form.errors for form in referee_forms)
    return render(
        request,
        "register/applications/referees.html",
        {
            "application": application,
            "referee_forms": list(
                zip(["First referee", "Second referee"], referee_forms, strict=True)
            ),
            "error": error,
            "failed": failed,
            "step_number": index + 1,
            "step_count": len(STEPS) + 1,
            "previous_url": _before(index),
        },
        status=400 if failed else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def apply_documents(request: HttpRequest) -> HttpResponse:
    """Optional uploads: the worker can send scans ahead of the registrar's checks."""
    application = _open_application(request)
    require(request.user, "application.edit", application)
    form = forms.EvidenceUploadForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
    )
    if request.method == "POST" and form.is_valid():
        try:
            evidence = evidence_upload(
                owner=request.user, uploaded_by=request.user, upload=form.cleaned_data["upload"]
            )
        except ApplicationError as error:
            form.add_error("upload", str(error))
        else:
            messages.success(request, f"{evidence.original_name} has been uploaded.")
            return redirect("register:apply-documents")
    return render(
        request,
        "register/applications/documents.html",
        {
            "application": application,
            "form": form,
            "files": request.user.evidence_files.order_by("-uploaded_at"),
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def apply_check(request: HttpRequest) -> HttpResponse:
    """Every answer, the code of conduct to accept, and the button that sends it all."""
    application = _open_application(request)
    require(request.user, "application.edit", application)
    code = code_current()
    form = forms.CodeTickForm(request.POST if request.method == "POST" else None, code=code)
    if request.method == "POST" and form.is_valid():
        try:
            services.application_submit(
                application=application, worker=request.user, code=forms.code_ticked(form)
            )
        except ApplicationError as error:
            add_service_error(form, error)
        else:
            return redirect("register:apply-submitted")
    return render(
        request,
        "register/applications/check.html",
        {
            "application": application,
            "missing": services.application_missing_answers(application),
            "referees": application.referees.all(),
            "files": request.user.evidence_files.order_by("-uploaded_at"),
            "form": form,
            "code": code,
        },
        status=400 if form.errors else 200,
    )


@login_required
def apply_submitted(request: HttpRequest) -> HttpResponse:
    application = selectors.application_latest_for_worker(worker=request.user)
    if application is None or application.status != Application.Status.SUBMITTED:
        return redirect("register:apply-start")
    return render(request, "register/applications/submitted.html", {"application": application})


@login_required
@require_POST
def apply_withdraw(request: HttpRequest) -> HttpResponse:
    application = _open_application(request)
    try:
        services.application_withdraw(application=application, worker=request.user)
    except ApplicationError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "Your application has been withdrawn.")
    return redirect("register:apply-start")
