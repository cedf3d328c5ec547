"""The registrars' side of concerns: the queue, a case with everything its registrars may
see, and one page or button for each step (screen, interim suspension and its review, joining
a panel, proposing and agreeing a decision, documents). Each POST calls one service; a refusal
is shown in the page's error summary and changes nothing. All live under /registrar/, where the
MFA middleware stands guard; who sees which case is the rule case.view (concerns/rules.py)."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.permissions import can
from concerns import forms, selectors
from concerns.case_position import GROUPS, case_position
from concerns.models import Case, Decision, Participant
from concerns.rules import roles_in
from concerns.services import cases as services
from core.errors import ApplicationError
from core.views import add_service_error

Status = Case.Status

# What a step's page says, above the reason, when the step is not open to the reader now.
NOT_OPEN = {
    "screen": "This case is not waiting to be screened by you.",
    "interim": "You cannot impose an interim suspension on this case now.",
    "interim_review": "There is no interim suspension on this case for you to review.",
    "propose": "You cannot propose a decision on this case now.",
}


def _position(request, case: Case):
    return case_position(case, request.user, can_view=can(request.user, "case.view", case))


def _back_to_case(case: Case) -> HttpResponse:
    return redirect("concerns:case", reference=case.reference)


def _step_closed(request, case: Case, step: str) -> HttpResponse | None:
    """Back to the case, saying why, when `step` is not one the reader may take now."""
    position = _position(request, case)
    if step in position.steps:
        return None
    messages.error(request, f"{NOT_OPEN[step]} {position.you}".strip())
    return _back_to_case(case)


# The queue -----------------------------------------------------------------------------------


def _queue_groups(request) -> list[tuple[str, str, list]]:
    rows: dict[str, list] = {key: [] for key in GROUPS}
    for case in selectors.case_queue(user=request.user):
        position = _position(request, case)
        rows[position.group].append((case, position))
    # Overdue screening first, then by the date each case is due.
    for group in rows.values():
        group.sort(key=lambda row: (not row[1].overdue, row[1].key_date or timezone.localdate()))
    return [(key, label, rows[key]) for key, label in GROUPS.items()]


def _render_queue(request, *, error: str = "", status: int = 200) -> HttpResponse:
    groups = _queue_groups(request)
    return render(
        request,
        "concerns/registrar/queue.html",
        {
            "groups": groups,
            "total": sum(len(rows) for _, _, rows in groups),
            "error": error,
            "screening_days": settings.CONCERN_SCREENING_WORKING_DAYS,
        },
        status=status,
    )


@login_required
@require_GET
def queue(request: HttpRequest) -> HttpResponse:
    return _render_queue(request)


# The case ------------------------------------------------------------------------------------


def _render_case(request, case: Case, *, error: str = "", status: int = 200) -> HttpResponse:
    position = _position(request, case)
    decisions = list(case.decisions.select_related("proposed_by", "agreed_by"))
    context = {
        "case": case,
        "position": position,
        "error": error,
        "participants": case.participants.select_related("registrar").order_by("joined_at"),
        "steps": case.steps.select_related("by"),
        "documents": case.documents.all(),
        "interim_orders": case.interim_orders.select_related("imposed_by", "reviewed_by"),
        "responses": case.responses.all(),
        "decisions": decisions,
        "appeal": getattr(case, "appeal", None),
        "may_add_documents": case.status != Status.CLOSED,
        "may_share": case.status != Status.CLOSED and bool(roles_in(request.user, case)),
        "screening_overdue": case.screening_overdue,
    }
    return render(request, "concerns/registrar/case.html", context, status=status)


@login_required
@require_GET
def case(request: HttpRequest, reference: str) -> HttpResponse:
    case = selectors.case_for_registrar(user=request.user, reference=reference)
    return _render_case(request, case)


# Screening -----------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def screen(request: HttpRequest, reference: str) -> HttpResponse:
    case = selectors.case_for_registrar(user=request.user, reference=reference)
    if request.method == "GET":
        closed = _step_closed(request, case, "screen")
        if closed:
            return closed
    form = forms.ScreenForm(request.POST if request.method == "POST" else None, case=case)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            case = services.case_screen(
                case=case,
                registrar=request.user,
                risk=data["risk"],
                result=data["result"],
                reasons=data["reasons"],
                allegation=data["allegation"],
                registration_number=data.get("registration_number", ""),
            )
        except ApplicationError as error:
            add_service_error(form, error)
        else:
            if case.status == Status.CLOSED:
                messages.success(request, "Screened and closed. The person who raised it is told.")
            else:
                messages.success(
                    request,
                    "Screened. The investigation is open and the worker has been told the "
                    "allegation.",
                )
            return _back_to_case(case)
    return render(
        request,
        "concerns/registrar/screen.html",
        {"case": case, "form": form},
        status=400 if form.errors else 200,
    )


# Interim suspension --------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def interim(request: HttpRequest, reference: str) -> HttpResponse:
    case = selectors.case_for_registrar(user=request.user, reference=reference)
    if request.method == "GET":
        closed = _step_closed(request, case, "interim")
        if closed:
            return closed
    form = forms.InterimSuspendForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.interim_suspend(
                case=case, registrar=request.user, reasons=form.cleaned_data["reasons"]
            )
        except ApplicationError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request,
                "The worker is suspended while the case is looked into. They have been told "
                "why, and another registrar must review the suspension.",
            )
            return _back_to_case(case)
    return render(
        request,
        "concerns/registrar/interim.html",
        {
            "case": case,
            "form": form,
            "response_days": settings.CONCERN_INTERIM_RESPONSE_DAYS,
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def interim_review(request: HttpRequest, reference: str, pk: int) -> HttpResponse:
    case = selectors.case_for_registrar(user=request.user, reference=reference)
    order = case.interim_orders.select_related("imposed_by").filter(pk=pk).first()
    if order is None:
        raise Http404
    if request.method == "GET":
        closed = _step_closed(request, case, "interim_review")
        if closed:
            return closed
    form = forms.InterimReviewForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            order = services.interim_review(
                order=order,
                registrar=request.user,
                review=form.cleaned_data["review"],
                reasons=form.cleaned_data["reasons"],
            )
        except ApplicationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, f"Reviewed: {order.get_review_display().lower()}.")
            return _back_to_case(case)
    return render(
        request,
        "concerns/registrar/interim_review.html",
        {"case": case, "order": order, "form": form},
        status=400 if form.errors else 200,
    )


# Panels and decisions ------------------------------------------------------------------------


@login_required
@require_POST
def join(request: HttpRequest, reference: str) -> HttpResponse:
    """Join the decision or appeal panel: from the case page, or from the queue's summary line
    by a registrar who has no part in the case yet."""
    try:
        case = selectors.case_for_registrar(user=request.user, reference=reference)
    except Http404:
        case = selectors.case_for_panel(user=request.user, reference=reference)
    form = forms.JoinPanelForm(request.POST)
    try:
        if not form.is_valid():
            raise services.CaseError("Choose the decision panel or the appeal panel.")
        participant = services.panel_join(
            case=case, registrar=request.user, role=form.cleaned_data["role"]
        )
    except ApplicationError as error:
        if can(request.user, "case.view", case):
            return _render_case(request, case, error=str(error), status=400)
        return _render_queue(request, error=f"{case.reference}: {error}", status=400)
    panel = "appeal" if participant.role == Participant.Role.APPEAL_DECIDER else "decision"
    messages.success(request, f"You are on the {panel} panel for this case.")
    return _back_to_case(case)


@login_required
@require_http_methods(["GET", "POST"])
def propose(request: HttpRequest, reference: str) -> HttpResponse:
    case = selectors.case_for_registrar(user=request.user, reference=reference)
    if request.method == "GET":
        closed = _step_closed(request, case, "propose")
        if closed:
            return closed
    form = forms.ProposeForm(request.POST if request.method == "POST" else None, case=case)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.decision_propose(
                case=case,
                registrar=request.user,
                outcome=data["outcome"] or case.outcome,
                reasons=data["reasons"],
                published_text=data["published_text"],
                until=data["until"],
                upheld=data.get("upheld") if form.on_appeal else None,
            )
        except ApplicationError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request, "Proposed. The other registrar on the panel must agree before it is made."
            )
            return _back_to_case(case)
    return render(
        request,
        "concerns/registrar/propose.html",
        {"case": case, "form": form, "current": _made(case)},
        status=400 if form.errors else 200,
    )


def _made(case: Case) -> Decision | None:
    """The decision in effect, which an appeal is against."""
    return case.decisions.filter(on_appeal=False, status=Decision.Status.MADE).last()


@login_required
@require_http_methods(["GET", "POST"])
def second_opinion(request: HttpRequest, reference: str, pk: int) -> HttpResponse:
    """A proposed decision, for the second registrar on the panel to agree or not."""
    case = selectors.case_for_registrar(user=request.user, reference=reference)
    decision = case.decisions.select_related("proposed_by", "agreed_by").filter(pk=pk).first()
    if decision is None:
        raise Http404
    form = forms.SecondOpinionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            if form.cleaned_data["answer"] == "agree":
                services.decision_agree(decision=decision, registrar=request.user)
                messages.success(
                    request, "You agreed. The decision is made, and the worker has been told."
                )
            else:
                services.decision_decline(
                    decision=decision, registrar=request.user, reasons=form.cleaned_data["reasons"]
                )
                messages.success(
                    request, "You did not agree. The panel may propose another decision."
                )
        except ApplicationError as error:
            add_service_error(form, error)
        else:
            return _back_to_case(case)
    position = _position(request, case)
    may_answer = (
        "second_opinion" in position.steps
        and position.proposal is not None
        and position.proposal.pk == decision.pk
    )
    return render(
        request,
        "concerns/registrar/second_opinion.html",
        {
            "case": case,
            "decision": decision,
            "form": form,
            "may_answer": may_answer,
            "you": position.you,
            "current": _made(case) if decision.on_appeal else None,
        },
        status=400 if form.errors else 200,
    )


# Documents -----------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def document_add(request: HttpRequest, reference: str) -> HttpResponse:
    case = selectors.case_for_registrar(user=request.user, reference=reference)
    if request.method == "GET" and case.status == Status.CLOSED:
        messages.error(request, "Evidence can only be added to an open case.")
        return _back_to_case(case)
    form = forms.DocumentAddForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        may_share=bool(roles_in(request.user, case)),
    )
    if request.method == "POST" and form.is_valid():
        try:
            document = services.document_add(
                case=case,
                registrar=request.user,
                upload=form.cleaned_data["upload"],
                shared_with_worker=form.cleaned_data.get("shared_with_worker", False),
            )
        except ApplicationError as error:
            add_service_error(form, error)
        else:
            shared = " The worker can see it." if document.shared_with_worker else ""
            messages.success(request, f"{document.original_name} is added to the case.{shared}")
            return _back_to_case(case)
    return render(
        request,
        "concerns/registrar/document_add.html",
        {"case": case, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def document_share(request: HttpRequest, reference: str, pk: int) -> HttpResponse:
    case = selectors.case_for_registrar(user=request.user, reference=reference)
    document = case.documents.filter(pk=pk).first()
    if document is None:
        raise Http404
    try:
        services.document_share(document=document, registrar=request.user)
    except ApplicationError as error:
        return _render_case(request, case, error=str(error), status=400)
    messages.success(request, f"The worker can now see {document.original_name}.")
    return _back_to_case(case)
