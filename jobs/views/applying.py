"""Applying in three screens (statement, questions and sharing, check and send), and the
applicant's own pages under /my-applications/.

What a person types while applying is kept in their session, one draft a vacancy, and nothing
reaches the database until Send: a vacancy that closes meanwhile keeps nothing."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from core.errors import ApplicationError
from core.views import add_service_error
from jobs.forms.applying import QuestionsForm, SendForm, StatementForm, WithdrawForm
from jobs.selectors import applying as selectors
from jobs.services import applying as services
from jobs.services.applying import STATEMENT_MAX_WORDS, words_in


def _session_key(vacancy) -> str:
    return f"jobs-apply-{vacancy.reference}"


def _draft(request: HttpRequest, vacancy) -> dict:
    return dict(request.session.get(_session_key(vacancy), {}))


def _keep(request: HttpRequest, vacancy, draft: dict) -> None:
    request.session[_session_key(vacancy)] = draft


def _forget(request: HttpRequest, vacancy) -> None:
    request.session.pop(_session_key(vacancy), None)


def _closed(request: HttpRequest, vacancy) -> HttpResponse:
    _forget(request, vacancy)
    return render(
        request,
        "jobs/applying/closed.html",
        {"vacancy": vacancy, "message": services.vacancy_closed_message(vacancy)},
    )


def _stop(request: HttpRequest, vacancy) -> HttpResponse | None:
    """The page to show instead of a screen: the application already sent, or the vacancy
    closed; None to go on."""
    sent = selectors.application_of(user=request.user, vacancy=vacancy)
    if sent is not None:
        _forget(request, vacancy)
        messages.info(request, "You have already applied for this vacancy.")
        return redirect("jobs:my-application", reference=sent.reference)
    if not services.vacancy_takes_applications(vacancy):
        return _closed(request, vacancy)
    refusal = services.applying_refused_because(vacancy=vacancy, applicant=request.user)
    if refusal:
        return _refused(request, vacancy, refusal)
    return None


def _refused(request: HttpRequest, vacancy, message: str) -> HttpResponse:
    _forget(request, vacancy)
    return render(
        request,
        "jobs/applying/refused.html",
        {"vacancy": vacancy, "message": message},
        status=403,
    )


def _opened(request: HttpRequest, reference: str, *, sending: bool = False):
    """The vacancy each screen is about, the answers kept so far, and the page to show instead
    when the person may not apply to it (or None). For Send with every answer kept, that is
    left to application_submit, which checks the same things itself: once a Send, not twice."""
    vacancy = selectors.vacancy_for_applying(reference=reference)
    draft = _draft(request, vacancy)
    if sending and "statement" in draft and "screening" in draft:
        return vacancy, draft, None
    return vacancy, draft, _stop(request, vacancy)


def _next(request: HttpRequest, vacancy, screen: str) -> HttpResponse:
    # A change made from the check page goes back there.
    if request.GET.get("from") == "check":
        screen = "jobs:apply-check"
    return redirect(screen, reference=vacancy.reference)


def _screen(request, template: str, vacancy, form, step: int, **context) -> HttpResponse:
    return render(
        request,
        f"jobs/applying/{template}",
        {
            "vacancy": vacancy,
            "form": form,
            "step": step,
            "applying_as": selectors.applying_as(user=request.user),
            "from_check": request.GET.get("from") == "check",
            "share_days": settings.APPLICATION_SHARE_DAYS_AFTER_CLOSE,
            **context,
        },
        status=400 if form.is_bound and form.errors else 200,
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def apply(request: HttpRequest, reference: str) -> HttpResponse:
    vacancy, draft, stopped = _opened(request, reference)
    if stopped is not None:
        return stopped
    if request.method == "POST":
        form = StatementForm(request.POST)
        if form.is_valid():
            draft.update(form.cleaned_data)
            _keep(request, vacancy, draft)
            return _next(request, vacancy, "jobs:apply-questions")
    else:
        saved = selectors.applicant_details_for(user=request.user)
        initial = {}
        if saved is not None:
            initial = {
                "statement": saved.statement,
                "availability": saved.availability,
                "phone": saved.phone,
            }
        initial.update(
            {key: draft[key] for key in ("statement", "availability", "phone") if key in draft}
        )
        form = StatementForm(initial=initial)
    statement = form.data.get("statement") if form.is_bound else form.initial.get("statement")
    return _screen(
        request,
        "statement.html",
        vacancy,
        form,
        1,
        words=words_in(statement or ""),
        max_words=STATEMENT_MAX_WORDS,
        prefilled=not form.is_bound and bool(form.initial),
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def questions(request: HttpRequest, reference: str) -> HttpResponse:
    vacancy, draft, stopped = _opened(request, reference)
    if stopped is not None:
        return stopped
    if "statement" not in draft:
        return redirect("jobs:apply", reference=vacancy.reference)
    applying_as = selectors.applying_as(user=request.user)
    options = {
        "questions": vacancy.questions.all(),
        "shares_record": applying_as.shares_record,
        "organisation_name": vacancy.organisation.name,
    }
    if request.method == "POST":
        form = QuestionsForm(request.POST, **options)
        if form.is_valid():
            draft["screening"] = {str(pk): answer for pk, answer in form.screening().items()}
            draft["shares_identity_checks"] = bool(form.cleaned_data.get("shares_identity_checks"))
            _keep(request, vacancy, draft)
            return redirect("jobs:apply-check", reference=vacancy.reference)
    else:
        initial = {f"question_{pk}": answer for pk, answer in draft.get("screening", {}).items()}
        if "shares_identity_checks" in draft:
            initial["shares_identity_checks"] = draft["shares_identity_checks"]
        else:
            saved = selectors.applicant_details_for(user=request.user)
            if saved is not None:
                initial["shares_identity_checks"] = saved.shares_identity_checks
        form = QuestionsForm(initial=initial, **options)
    return _screen(request, "questions.html", vacancy, form, 2)


def _answers(draft: dict) -> services.ApplicationAnswers:
    return services.ApplicationAnswers(
        statement=draft.get("statement", ""),
        availability=draft.get("availability", ""),
        phone=draft.get("phone", ""),
        screening={int(pk): answer for pk, answer in draft.get("screening", {}).items()},
        shares_identity_checks=bool(draft.get("shares_identity_checks")),
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def check(request: HttpRequest, reference: str) -> HttpResponse:
    vacancy, draft, stopped = _opened(request, reference, sending=request.method == "POST")
    if stopped is not None:
        return stopped
    if "statement" not in draft:
        return redirect("jobs:apply", reference=vacancy.reference)
    if "screening" not in draft:
        return redirect("jobs:apply-questions", reference=vacancy.reference)
    form = SendForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            submitted = services.application_submit(
                vacancy=vacancy,
                applicant=request.user,
                answers=_answers(draft),
                save_details=form.cleaned_data["save_details"],
            )
        except services.VacancyNotTakingApplications:
            return _closed(request, vacancy)
        except services.ApplyingRefused as error:
            return _refused(request, vacancy, str(error))
        except services.ApplicationInvalid as error:
            for message in error.problems.values():
                form.add_error(None, message)
        except services.ApplyingRateLimited as error:
            form.add_error(None, str(error))
            status = 429
        except ApplicationError as error:
            add_service_error(form, error)
        else:
            _forget(request, vacancy)
            if submitted.created:
                messages.success(
                    request,
                    f"Your application has been sent to {vacancy.organisation.name}. We have "
                    "emailed you a receipt.",
                )
            else:
                messages.info(request, "You have already applied for this vacancy.")
            return redirect("jobs:my-application", reference=submitted.application.reference)
    if form.errors and status == 200:
        status = 400
    answers = _answers(draft)
    questions = [
        (question, answers.screening.get(question.pk)) for question in vacancy.questions.all()
    ]
    return render(
        request,
        "jobs/applying/check.html",
        {
            "vacancy": vacancy,
            "form": form,
            "step": 3,
            "answers": answers,
            "words": words_in(answers.statement),
            "max_words": STATEMENT_MAX_WORDS,
            "questions": questions,
            "applying_as": selectors.applying_as(user=request.user),
        },
        status=status,
    )


# --- The applicant's pages --------------------------------------------------------------------


@login_required
@require_http_methods(["GET"])
def my_applications(request: HttpRequest) -> HttpResponse:
    rows = [
        (application, selectors.what_happens_next(application.stage))
        for application in selectors.applications_for_applicant(user=request.user)
    ]
    return render(request, "jobs/applying/my_applications.html", {"rows": rows})


@login_required
@require_http_methods(["GET"])
def my_application(request: HttpRequest, reference: str) -> HttpResponse:
    page = selectors.application_page_for_applicant(user=request.user, reference=reference)
    return render(request, "jobs/applying/my_application.html", {"page": page})


@login_required
@require_http_methods(["GET", "POST"])
def withdraw(request: HttpRequest, reference: str) -> HttpResponse:
    page = selectors.application_page_for_applicant(user=request.user, reference=reference)
    if not page.application.is_open:
        messages.info(request, "This application has already ended.")
        return redirect("jobs:my-application", reference=reference)
    form = WithdrawForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.application_withdraw(
                application=page.application,
                applicant=request.user,
                message=form.cleaned_data["message"],
            )
        except ApplicationError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request,
                f"You withdrew your application. {page.vacancy.organisation.name} has been told, "
                "and no longer sees your record for it.",
            )
            return redirect("jobs:my-application", reference=reference)
    return render(
        request,
        "jobs/applying/withdraw.html",
        {"page": page, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def stop_sharing(request: HttpRequest, reference: str) -> HttpResponse:
    page = selectors.application_page_for_applicant(user=request.user, reference=reference)
    try:
        services.application_share_stop(application=page.application, applicant=request.user)
    except ApplicationError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            f"You stopped sharing your record with {page.vacancy.organisation.name}. Your "
            "application goes on: the employer sees that it is no longer shared.",
        )
    return redirect(reverse("jobs:my-application", args=[reference]) + "#sharing")
