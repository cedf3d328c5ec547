"""Answering a consultation, one page of questions at a time.

The answers so far live in the session, so going back never loses one; "save and come back
later" copies them to a `ResponseDraft` reached by an emailed link. Nothing is stored as a
response until the person presses "Send my answers" on the check-answers page.
"""

import secrets
from datetime import datetime

from django import forms
from django.contrib.sessions.backends.base import UpdateError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from accounts.selectors import user_verified_email
from consultations import selectors
from consultations.answers import (
    check_answers,
    questions_for,
    questions_possibly_shown,
    visible_questions,
)
from consultations.forms import AnswerPageForm
from consultations.models import Consultation
from consultations.services import responding as services
from consultations.services.building import completion_estimate, completion_estimates
from core.audit import current_request
from core.views import add_service_error


class EmailForm(forms.Form):
    email = forms.EmailField(
        label="Email address",
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
        error_messages={
            "required": "Enter your email address, like name@example.com",
            "invalid": "Enter your email address, like name@example.com",
        },
    )

    def __init__(self, *args, account_email: str = "", **kwargs):
        # A signed-in person's verified address is filled in, so they need not type what the
        # register already knows; they can still change it (docs/decisions/0022).
        super().__init__(
            *args, initial={"email": account_email} if account_email else None, **kwargs
        )
        if account_email:
            field = self.fields["email"]
            field.help_text = "This is your account's email address. You can change it."


def _state(request: HttpRequest, consultation: Consultation) -> dict:
    key = f"consultation-{consultation.pk}"
    state = request.session.get(key)
    if state is None:
        state = {"answers": {}, "started_at": timezone.now().isoformat(), "draft_token": ""}
        request.session[key] = state
    return state


def _save_state(request: HttpRequest, consultation: Consultation, state: dict) -> None:
    request.session[f"consultation-{consultation.pk}"] = state
    request.session.modified = True


def _forget_answers(request: HttpRequest, consultation: Consultation, response) -> None:
    request.session.pop(f"consultation-{consultation.pk}", None)
    request.session[f"consultation-{consultation.pk}-reference"] = response.reference


def _pages_shown(questions, answers: dict) -> list[tuple]:
    """(page, its shown questions) for every page that has any, given the answers so far."""
    shown = {question.pk for question in visible_questions(questions, answers)}
    pages: dict = {}
    for question in questions:
        if question.pk in shown:
            pages.setdefault(question.page, []).append(question)
    return list(pages.items())


def _progress(questions, answers: dict, number: int, pages: list[tuple]) -> str:
    """The progress label: "Page 2 of 3", counting the pages shown given the answers so far;
    while a page still hangs on an answer not given yet, "Page 1 of up to 3". The total never
    grows as the person answers, so it never says they have further to go than it said before
    (docs/decisions/0022)."""
    passed = [page.pk for page, _questions in pages[: number - 1]]
    possible = questions_possibly_shown(questions, answers, pages_passed=passed)
    most = len({question.page_id for question in possible})
    if most > len(pages):
        return f"Page {number} of up to {most}"
    return f"Page {number} of {len(pages)}"


def _client_ip() -> str | None:
    context = current_request.get()
    return context.ip_address if context else None


def _session_key(request: HttpRequest) -> str:
    """The session's key, for the limits on emails per session. Everyone who reaches a page
    that sends one has answers in their session, so it exists by then; saved now if new."""
    if request.session.session_key is None:
        request.session.save()
    return request.session.session_key


def _refusal(request, consultation, error) -> HttpResponse:
    return render(
        request,
        "consultations/respond/refused.html",
        {"consultation": consultation, "message": str(error)},
        status=403,
    )


def _already_sent(request, consultation) -> HttpResponse | None:
    """The "you have already sent your answers" page, when this browser has just sent them and
    has not started new ones: Back from the thank-you page, or Send pressed again, must not
    show a form that can only fail (docs/decisions/0022)."""
    if f"consultation-{consultation.pk}" in request.session:
        return None
    reference = request.session.get(f"consultation-{consultation.pk}-reference")
    response = consultation.responses.filter(reference=reference).first() if reference else None
    if response is None:
        return None
    return render(
        request,
        "consultations/respond/already_sent.html",
        {
            "consultation": consultation,
            "response": response,
            "is_open": consultation.is_open(),
            "can_change": request.user.is_authenticated and consultation.allow_edit_until_close,
        },
    )


def _guard(request, consultation) -> HttpResponse | None:
    """A response to send instead of the page, when this person may not answer now."""
    if not consultation.is_open():
        return redirect("consultations:detail", slug=consultation.slug)
    try:
        services.audience_check(consultation=consultation, user=request.user)
    except services.AudienceRefused as error:
        return _refusal(request, consultation, error)
    existing = services.response_existing_for_user(consultation=consultation, user=request.user)
    if existing is not None and not consultation.allow_edit_until_close:
        return redirect("consultations:detail", slug=consultation.slug)
    return None


@require_http_methods(["GET", "POST"])
def consultation_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """The start page: what it is about, how long it takes, who may answer, and Start."""
    consultation = selectors.consultation_get_public(slug=slug)
    refusal = None
    try:
        services.audience_check(consultation=consultation, user=request.user)
    except services.AudienceRefused as error:
        refusal = str(error)
    existing = services.response_existing_for_user(consultation=consultation, user=request.user)
    is_open = consultation.is_open()
    if request.method == "POST" and is_open and refusal is None:
        if existing is not None and not consultation.allow_edit_until_close:
            return redirect("consultations:detail", slug=slug)
        state = _state(request, consultation)
        if existing is not None and not state["answers"]:
            state["answers"] = services.response_answers_as_dict(response=existing)
        _save_state(request, consultation, state)
        return redirect("consultations:page", slug=slug, number=1)
    return render(
        request,
        "consultations/respond/detail.html",
        {
            "consultation": consultation,
            "status": consultation.effective_status(),
            "is_open": is_open,
            "estimate": completion_estimate(consultation=consultation),
            "refusal": refusal,
            "existing": existing,
        },
    )


def consultation_list(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    consultations = list(selectors.consultations_public())
    open_now = [c for c in consultations if c.is_open(now)]
    estimates = completion_estimates(consultations=open_now)
    for consultation in open_now:
        consultation.estimate = estimates[consultation.pk]
    return render(
        request,
        "consultations/respond/list.html",
        {
            "open": open_now,
            "upcoming": [c for c in consultations if c.effective_status(now) == "scheduled"],
            "closed": [
                c
                for c in consultations
                if c.effective_status(now) in {"closed", "analysing", "published"}
            ],
            "manages": selectors.associations_managed_by(user=request.user).exists(),
        },
    )


@never_cache
@require_http_methods(["GET", "POST"])
def consultation_page(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    consultation = selectors.consultation_get_public(slug=slug)
    sent = _already_sent(request, consultation)
    if sent is not None:
        return sent
    blocked = _guard(request, consultation)
    if blocked is not None:
        return blocked
    state = _state(request, consultation)
    questions = questions_for(consultation)
    pages = _pages_shown(questions, state["answers"])
    if not 1 <= number <= len(pages):
        raise Http404("No such page.")
    page, page_questions = pages[number - 1]
    if request.method == "POST":
        form = AnswerPageForm(request.POST, questions=page_questions, answers=state["answers"])
        if request.POST.get("action") == "save":
            # Keep whatever is typed so far, valid or not, then ask where to send the link.
            form.is_valid()
            if hasattr(form, "cleaned_data"):
                state["answers"].update(form.answers())
            state["page_reached"] = number
            _save_state(request, consultation, state)
            return redirect("consultations:save", slug=slug)
        if form.is_valid():
            state["answers"].update(form.answers())
            _save_state(request, consultation, state)
            pages = _pages_shown(questions, state["answers"])
            if number < len(pages):
                return redirect("consultations:page", slug=slug, number=number + 1)
            return redirect("consultations:check", slug=slug)
    else:
        form = AnswerPageForm(questions=page_questions, answers=state["answers"])
    back = (
        reverse("consultations:page", args=[slug, number - 1])
        if number > 1
        else reverse("consultations:detail", args=[slug])
    )
    return render(
        request,
        "consultations/respond/page.html",
        {
            "consultation": consultation,
            "page": page,
            "form": form,
            "number": number,
            "progress": _progress(questions, state["answers"], number, pages),
            "back_url": back,
        },
    )


def _summary_rows(answers: dict, pages, errors: dict) -> list[dict]:
    rows = []
    for number, (page, page_questions) in enumerate(pages, start=1):
        for question in page_questions:
            answer = answers.get(str(question.pk)) or {}
            labels = {option.pk: option.label for option in question.options.all()}
            if question.is_choice:
                values = [labels[o] for o in answer.get("options", []) if o in labels]
                if answer.get("other"):
                    values.append(f"Other: {answer.get('other_text', '')}")
            else:
                values = [answer["text"]] if answer.get("text") else []
            rows.append(
                {
                    "question": question,
                    "values": values,
                    "error": errors.get(question.pk, ""),
                    "change_url": reverse(
                        "consultations:page", args=[page.consultation.slug, number]
                    ),
                }
            )
    return rows


@never_cache
@require_http_methods(["GET", "POST"])
def consultation_check(request: HttpRequest, slug: str) -> HttpResponse:
    consultation = selectors.consultation_get_public(slug=slug)
    sent = _already_sent(request, consultation)
    if sent is not None:
        return sent
    blocked = _guard(request, consultation)
    if blocked is not None:
        return blocked
    state = _state(request, consultation)
    questions = questions_for(consultation)
    errors: dict = {}
    message = ""
    if request.method == "POST":
        try:
            started_at = datetime.fromisoformat(state["started_at"])
        except (KeyError, ValueError):
            started_at = None
        saved_with_response = []

        def forget_answers_with_response(submitted: services.Submitted) -> None:
            # The session lets go of the answers in the same commit that stores them: one
            # commit (one fsync, about 3 ms here) per response instead of two, and never a
            # stored response whose answers the session still offers to send again.
            _forget_answers(request, consultation, submitted.response)
            if request.session.session_key is None:
                return
            try:
                request.session.save()
            except UpdateError:
                # The session went (signed out in another tab): keep the response, and let
                # the session middleware report it after the commit, as it always has.
                return
            saved_with_response.append(submitted)

        try:
            submitted = services.response_submit(
                consultation=consultation,
                answers=state["answers"],
                user=request.user,
                idempotency_key=request.POST.get("idempotency_key", ""),
                started_at=started_at,
                client_ip=_client_ip(),
                honeypot=request.POST.get("website", ""),
                questions=questions,
                on_stored=forget_answers_with_response,
            )
        except services.AnswersInvalid as error:
            errors, message = error.errors, str(error)
        except services.AudienceRefused as error:
            return _refusal(request, consultation, error)
        except services.ResponseRefused as error:
            message = str(error)
        else:
            services.response_draft_discard(token=state.get("draft_token", ""))
            # Also for a repeat, which stored nothing and so called nobody.
            _forget_answers(request, consultation, submitted.response)
            if saved_with_response and saved_with_response[0] is submitted:
                # Written in the response's transaction, which committed (had it not, the
                # service would have raised, or answered with a repeat, another object).
                request.session.modified = False
            return redirect("consultations:done", slug=slug)
    checked = check_answers(questions, state["answers"])
    errors = errors or checked.errors
    pages = _pages_shown(questions, state["answers"])
    return render(
        request,
        "consultations/respond/check.html",
        {
            "consultation": consultation,
            "rows": _summary_rows(checked.answers, pages, errors),
            "errors": errors,
            "message": message,
            # Made each time this page is shown: pressing Send twice, or in two tabs showing
            # the same page, sends one response.
            "idempotency_key": secrets.token_urlsafe(24),
        },
        status=200 if not message else 400,
    )


@never_cache
@require_http_methods(["GET", "POST"])
def consultation_done(request: HttpRequest, slug: str) -> HttpResponse:
    consultation = selectors.consultation_get_public(slug=slug)
    reference = request.session.get(f"consultation-{consultation.pk}-reference")
    if not reference:
        return redirect("consultations:detail", slug=slug)
    response = consultation.responses.filter(reference=reference).first()
    if response is None:
        raise Http404("No such response.")
    account_email = user_verified_email(user=request.user)
    receipt_form = EmailForm(prefix="receipt", account_email=account_email)
    outcome_form = EmailForm(prefix="outcome", account_email=account_email)
    sent = ""
    if request.method == "POST":
        which = request.POST.get("action")
        form = EmailForm(request.POST, prefix=which if which in {"receipt", "outcome"} else None)
        if which == "receipt":
            receipt_form = form
        elif which == "outcome":
            outcome_form = form
        if which in {"receipt", "outcome"} and form.is_valid():
            email = form.cleaned_data["email"]
            try:
                if which == "receipt":
                    services.response_receipt_send(
                        response=response,
                        email=email,
                        session_key=_session_key(request),
                        client_ip=_client_ip(),
                    )
                    sent = "We have emailed your reference to you."
                else:
                    services.outcome_subscribe(consultation=consultation, email=email)
                    sent = "We will email you when the outcome is published."
            except services.ResponseRefused as error:
                add_service_error(form, error)
    return render(
        request,
        "consultations/respond/done.html",
        {
            "consultation": consultation,
            "response": response,
            "receipt_form": receipt_form,
            "outcome_form": outcome_form,
            "sent": sent,
        },
    )


@never_cache
@require_http_methods(["GET", "POST"])
def consultation_save(request: HttpRequest, slug: str) -> HttpResponse:
    consultation = selectors.consultation_get_public(slug=slug)
    sent = _already_sent(request, consultation)
    if sent is not None:
        return sent
    blocked = _guard(request, consultation)
    if blocked is not None:
        return blocked
    state = _state(request, consultation)
    form = EmailForm(request.POST or None, account_email=user_verified_email(user=request.user))
    sent_to, already_sent = "", False
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.response_draft_save(
                consultation=consultation,
                answers=state["answers"],
                page_reached=state.get("page_reached", 1),
                email=form.cleaned_data["email"],
                started_at=datetime.fromisoformat(state["started_at"]),
                token=state.get("draft_token", ""),
                session_key=_session_key(request),
                client_ip=_client_ip(),
            )
            state["draft_token"] = saved.token
            _save_state(request, consultation, state)
            sent_to, already_sent = form.cleaned_data["email"], not saved.emailed
        except services.ResponseRefused as error:
            add_service_error(form, error)
    return render(
        request,
        "consultations/respond/save.html",
        {
            "consultation": consultation,
            "form": form,
            "sent_to": sent_to,
            "already_sent": already_sent,
            "closes_at": consultation.closes_at,
            "page_reached": state.get("page_reached", 1),
        },
    )


@never_cache
def consultation_resume(request: HttpRequest, slug: str, token: str) -> HttpResponse:
    consultation = selectors.consultation_get_public(slug=slug)
    blocked = _guard(request, consultation)
    if blocked is not None:
        return blocked
    try:
        draft = services.response_draft_get(consultation=consultation, token=token)
    except services.ResponseRefused as error:
        return render(
            request,
            "consultations/respond/refused.html",
            {"consultation": consultation, "message": str(error)},
            status=404,
        )
    state = {
        "answers": draft.answers,
        "started_at": draft.started_at.isoformat(),
        "draft_token": token,
        "page_reached": draft.page_reached,
    }
    _save_state(request, consultation, state)
    # The pages shown depend on the answers; never send someone past the last one.
    pages = _pages_shown(questions_for(consultation), draft.answers)
    number = min(max(1, draft.page_reached), max(1, len(pages)))
    return redirect("consultations:page", slug=slug, number=number)
