"""The registrar's pages: the queue, one application with its checks, entries and name
changes. All live under /registrar/, where the MFA middleware stands guard."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.permissions import require
from core.errors import ApplicationError
from register import forms as forms
from register.models import Application, PathwayRole
from register.selectors import conduct as conduct_selectors
from register.selectors import register as selectors
from register.services import applications, details, entries
from register.services.evidence import evidence_upload


@login_required
@require_GET
def application_queue(request: HttpRequest) -> HttpResponse:
    require(request.user, "application.decide")
    status = request.GET.get("status", "")
    if status not in Application.Status.values:
        status = ""
    role = request.GET.get("role", "")
    try:
        waited = int(request.GET.get("waited", "") or 0) or None
    except ValueError:
        waited = None
    queryset = selectors.application_queue(
        registrar=request.user, status=status, pathway_role=role, waited_days=waited
    )
    page = Paginator(queryset, 25).get_page(request.GET.get("page"))
    today = timezone.localdate()
    rows = [
        (
            application,
            (today - timezone.localdate(application.submitted_at)).days
            if application.submitted_at
            else None,
        )
        for application in page
    ]
    return render(
        request,
        "register/registrar/queue.html",
        {
            "rows": rows,
            "page": page,
            "statuses": [
                choice
                for choice in Application.Status.choices
                if choice[0] not in {"draft", "withdrawn"}
            ],
            "roles": PathwayRole.objects.all(),
            "filters": {"status": status, "role": role, "waited": waited or ""},
        },
    )


# The check a registrar has just recorded or resolved, and what to say beside it, for the page
# the redirect leads to (and that page only: it is taken from the session there).
CHECK_NOTICE_SESSION_KEY = "register.check_notice"


def _after_check(request, application, check, message: str) -> HttpResponse:
    """Back to the application at the check just changed, with the message beside it."""
    request.session[CHECK_NOTICE_SESSION_KEY] = {"check": check.pk, "message": message}
    url = reverse("register:registrar-application", args=[application.pk])
    return redirect(f"{url}#check-{check.pk}")


def _check_forms(application, bound=None) -> list[forms.CheckForm]:
    """One form for each type of check; the one that was sent, with its errors, in its place."""
    return [
        bound
        if bound is not None and bound.check_type == check_type
        else form_class(application=application)
        for check_type, form_class in forms.CHECK_FORMS.items()
    ]


def _referees(application, reference_form=None) -> list:
    """Each referee with their newest request, and a decision form where an answer waits for
    one (the bound form if that is the one that failed)."""
    referees = list(application.referees.prefetch_related("requests__identity_check"))
    for referee in referees:
        requests = list(referee.requests.all())
        referee.latest = requests[0] if requests else None
        referee.answer = next((item for item in requests if item.status == "answered"), None)
        if referee.answer is not None and referee.answer.identity_check is None:
            prefix = f"reference-{referee.answer.pk}"
            bound = reference_form is not None and reference_form.prefix == prefix
            referee.decision_form = (
                reference_form if bound else forms.ReferenceDecisionForm(prefix=prefix)
            )
    return referees


def render_application(request, application, *, status=200, reference_form=None, **context):
    """The application page, for a view of another module that must show it again."""
    full = _application_context(request, application)
    full.update(context, referees=_referees(application, reference_form))
    return render(request, "register/registrar/application.html", full, status=status)


def _application_context(
    request, application, *, resolution_form=None, check_form=None, **forms_in_use
):
    checks = list(
        application.checks.select_related("checked_by", "evidence_file", "resolution__resolved_by")
    )
    unresolved = {check.pk for check in applications.unresolved_checks(application)}
    for check in checks:
        if check.pk in unresolved:
            bound = resolution_form is not None and resolution_form.prefix == f"resolve-{check.pk}"
            check.resolution_form = (
                resolution_form
                if bound
                else forms.CheckResolutionForm(prefix=f"resolve-{check.pk}")
            )
    context = {
        "application": application,
        "checks": checks,
        "sent_back": application.sent_back.select_related("first_approver", "sent_back_by"),
        "resolution_error": resolution_form is not None and bool(resolution_form.errors),
        "review_state": applications.application_review_state(application),
        "referees": _referees(application),
        "missing_checks": applications.application_missing_checks(application),
        "files": application.worker.evidence_files.order_by("-uploaded_at"),
        "check_form": check_form,
        "check_forms": _check_forms(application, check_form),
        "approval_blockers": applications.application_approval_blockers(
            application=application, registrar=request.user
        ),
        "information_form": forms.RequestInformationForm(),
        "reject_form": forms.ReasonForm(),
        "upload_form": forms.EvidenceUploadForm(),
        "decidable": application.status
        in {Application.Status.SUBMITTED, Application.Status.AWAITING_SECOND_APPROVAL},
    }
    context.update(forms_in_use)
    return context


@login_required
@require_http_methods(["GET", "POST"])
def application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    application = selectors.application_get_for_registrar(registrar=request.user, pk=pk)
    if request.method == "GET":
        context = _application_context(request, application)
        context["check_notice"] = request.session.pop(CHECK_NOTICE_SESSION_KEY, None)
        return render(request, "register/registrar/application.html", context)
    action = request.POST.get("action")
    try:
        if action == "record_check":
            form_class = forms.CHECK_FORMS.get(request.POST.get("check_type", ""))
            if form_class is None:
                raise applications.IdentityCheckError("Choose the type of check.")
            form = form_class(request.POST, application=application)
            if not form.is_valid():
                return _invalid(request, application, check_form=form)
            try:
                check = applications.identity_check_record(
                    application=application,
                    registrar=request.user,
                    check_type=form.check_type,
                    **form.cleaned_data,
                )
            except applications.IdentityCheckError as error:
                form.add_error(None, str(error))
                return _invalid(request, application, check_form=form)
            return _after_check(
                request,
                application,
                check,
                f"Check recorded: {check.get_check_type_display()}, "
                f"{check.get_outcome_display().lower()}.",
            )
        elif action == "resolve_check":
            check = selectors.identity_check_get_for_registrar(
                registrar=request.user, application=application, pk=request.POST.get("check")
            )
            form = forms.CheckResolutionForm(request.POST, prefix=f"resolve-{check.pk}")
            if not form.is_valid():
                return _invalid(request, application, resolution_form=form)
            applications.identity_check_resolve(
                identity_check=check, registrar=request.user, reason=form.cleaned_data["reason"]
            )
            return _after_check(request, application, check, "The check is resolved.")
        elif action == "upload":
            form = forms.EvidenceUploadForm(request.POST, request.FILES)
            if not form.is_valid():
                return _invalid(request, application, upload_form=form)
            evidence_upload(
                owner=application.worker,
                uploaded_by=request.user,
                upload=form.cleaned_data["upload"],
            )
            messages.success(request, "The file has been uploaded.")
        elif action == "request_information":
            form = forms.RequestInformationForm(request.POST)
            if not form.is_valid():
                return _invalid(request, application, information_form=form)
            applications.application_request_information(
                application=application,
                registrar=request.user,
                message=form.cleaned_data["message"],
            )
            messages.success(request, "The worker has been asked for more information.")
        elif action == "approve":
            entry = applications.application_approve(
                application=application,
                registrar=request.user,
                reviewed=request.POST.get("reviewed", ""),
            )
            if entry is None:
                messages.success(
                    request, "Your approval is recorded. A second registrar must confirm it."
                )
            else:
                messages.success(
                    request,
                    f"Approved. {entry.full_name} is on the register as "
                    f"{entry.registration_number}.",
                )
        elif action == "reject":
            form = forms.ReasonForm(request.POST)
            if not form.is_valid():
                return _invalid(request, application, reject_form=form)
            applications.application_reject(
                application=application, registrar=request.user, reason=form.cleaned_data["reason"]
            )
            messages.success(request, "The application has been rejected.")
        else:
            messages.error(request, "Choose an action.")
    except ApplicationError as error:
        messages.error(request, str(error))
        context = _application_context(request, application)
        context["action_error"] = str(error)
        return render(request, "register/registrar/application.html", context, status=400)
    return redirect("register:registrar-application", pk=application.pk)


def _invalid(request, application, **form):
    return render(
        request,
        "register/registrar/application.html",
        _application_context(request, application, **form),
        status=400,
    )


ENTRY_ACTIONS = {
    "suspend": forms.SuspendForm,
    "end_suspension": forms.ReasonForm,
    "annotate": forms.AnnotationForm,
    "remove": forms.RemoveForm,
}


@login_required
@require_http_methods(["GET", "POST"])
def entry_manage(request: HttpRequest, registration_number: str) -> HttpResponse:
    entry = selectors.entry_get_for_registrar(
        registrar=request.user, registration_number=registration_number
    )
    bound = {}
    error = None
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "end_annotation":
                annotation = entry.annotations.get(pk=int(request.POST.get("annotation", 0)))
                entries.entry_end_annotation(
                    annotation=annotation,
                    registrar=request.user,
                    reason=request.POST.get("reason", "") or "Ended by a registrar.",
                )
                messages.success(request, "Ended.")
                return redirect(
                    "register:registrar-entry", registration_number=entry.registration_number
                )
            form_class = ENTRY_ACTIONS.get(action)
            if form_class is None:
                raise ApplicationError("Choose an action.")
            form = form_class(request.POST, prefix=action)
            bound[action] = form
            if form.is_valid():
                data = form.cleaned_data
                if action == "suspend":
                    entries.entry_suspend(
                        entry=entry,
                        registrar=request.user,
                        kind=data["kind"],
                        until=data["until"],
                        reason=data["reason"],
                    )
                elif action == "end_suspension":
                    entries.entry_end_suspension(
                        entry=entry, registrar=request.user, reason=data["reason"]
                    )
                elif action == "annotate":
                    entries.entry_add_annotation(
                        entry=entry,
                        registrar=request.user,
                        kind=data["kind"],
                        public_text=data["public_text"],
                        private_notes=data["private_notes"],
                        is_health_related=data["is_health_related"],
                        reason=data["reason"],
                    )
                elif action == "remove":
                    entries.entry_remove(
                        entry=entry,
                        registrar=request.user,
                        kind=data["kind"],
                        reason=data["reason"],
                    )
                messages.success(request, "The entry has been updated.")
                return redirect(
                    "register:registrar-entry", registration_number=entry.registration_number
                )
        except (ApplicationError, ValueError) as exc:
            error = str(exc) if isinstance(exc, ApplicationError) else "That is not a valid choice."
        except entry.annotations.model.DoesNotExist:
            error = "No such condition or annotation on this entry."
    entry.refresh_from_db()
    context = {
        "entry": entry,
        "history": entry.history.select_related("changed_by"),
        "annotations": entry.annotations.all(),
        "code_acceptances": conduct_selectors.code_acceptances_of(
            user=request.user, worker=entry.worker
        ),
        "error": error,
        "forms": {
            action: bound.get(action) or form_class(prefix=action)
            for action, form_class in ENTRY_ACTIONS.items()
        },
    }
    status = 400 if error or any(form.errors for form in bound.values()) else 200
    return render(request, "register/registrar/entry.html", context, status=status)


@login_required
@require_GET
def name_change_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "register/registrar/name_changes.html",
        {"requests": selectors.name_changes_pending(registrar=request.user)},
    )


@login_required
@require_POST
def name_change_decide(request: HttpRequest, pk: int) -> HttpResponse:
    name_change = selectors.name_change_get_for_registrar(registrar=request.user, pk=pk)
    try:
        details.name_change_decide(
            request=name_change,
            registrar=request.user,
            approve=request.POST.get("decision") == "approve",
            reason=request.POST.get("reason", ""),
        )
    except ApplicationError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "The change of name has been decided.")
    return redirect("register:registrar-name-changes")
