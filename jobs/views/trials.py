"""Paid job trials: the employer's page of an application's trial (offer, a new time, cancel,
record the hours, feedback, the outcome), the candidate's own page (answer, confirm the hours
and the payment, feedback), and the trial pay an employer's owners still owe.

Each view finds its object through jobs/selectors/trials.py, which answers 404 to anyone but
the employer's members, the candidate or the owners, and changes it through one service of
jobs/services/trials.py, which holds every rule."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from core.errors import ApplicationError
from core.views import add_service_error
from jobs.forms.trials import (
    TrialAnswerForm,
    TrialCancelForm,
    TrialFeedbackForm,
    TrialHoursForm,
    TrialOfferForm,
    TrialOutcomeForm,
    TrialReplyForm,
    TrialRetimeForm,
)
from jobs.selectors import trials as selectors
from jobs.selectors.pipeline import applicant_name
from jobs.services import trials as services

# --- The employer ------------------------------------------------------------------------------


def _employer_page(request, page, *, forms=None, status=200) -> HttpResponse:
    trial = page.trial
    forms = forms or {}
    context = {
        "page": page,
        "application": page.application,
        "vacancy": page.application.vacancy,
        "trial": trial,
        "name": applicant_name(page.application),
        "retime_form": forms.get("retime") or TrialRetimeForm(),
        "cancel_form": forms.get("cancel") or TrialCancelForm(),
        "outcome_form": forms.get("outcome") or TrialOutcomeForm(),
        "feedback_form": forms.get("feedback") or TrialFeedbackForm(),
        "reply_form": forms.get("reply") or TrialReplyForm(),
        "now": timezone.now(),
    }
    if trial is not None:
        context["hours_form"] = forms.get("hours") or TrialHoursForm(trial=trial)
    context["form"] = next((form for form in forms.values() if form.errors), None)
    return render(request, "jobs/trials/employer.html", context, status=status)


@never_cache
@login_required
@require_safe
def trial(request: HttpRequest, reference: str) -> HttpResponse:
    page = selectors.trial_page_for_employer(user=request.user, reference=reference)
    return _employer_page(request, page)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def trial_offer(request: HttpRequest, reference: str) -> HttpResponse:
    page = selectors.trial_page_for_employer(user=request.user, reference=reference)
    application = page.application
    form = TrialOfferForm(
        request.POST if request.method == "POST" else None, application=application
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.trial_offer(application=application, actor=request.user, offer=form.offer())
        except ApplicationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, "Trial offered. We have emailed the candidate the offer.")
            return redirect("jobs:trial", reference=reference)
    register_passed, register_summary = services.trial_register_checks(application)
    return render(
        request,
        "jobs/trials/offer.html",
        {
            "page": page,
            "application": application,
            "vacancy": application.vacancy,
            "name": applicant_name(application),
            "form": form,
            "register_passed": register_passed,
            "register_summary": register_summary,
        },
        status=400 if form.errors else 200,
    )


def _employer_post(request, reference, key, form_class, act, done, **form_kwargs):
    """One employer action on the latest trial: the form's errors, or the service's refusal,
    are shown on the trial page."""
    page = selectors.trial_page_for_employer(user=request.user, reference=reference)
    if page.trial is None:
        messages.error(request, "This application has no trial.")
        return redirect("jobs:trial", reference=reference)
    if key == "hours":
        form_kwargs["trial"] = page.trial
    form = form_class(request.POST, **form_kwargs)
    if form.is_valid():
        try:
            act(page, form.cleaned_data)
        except ApplicationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, done)
            return redirect("jobs:trial", reference=reference)
    return _employer_page(request, page, forms={key: form}, status=400)


@login_required
@require_POST
def trial_retime(request: HttpRequest, reference: str) -> HttpResponse:
    return _employer_post(
        request,
        reference,
        "retime",
        TrialRetimeForm,
        lambda page, data: services.trial_retime(
            trial=page.trial, actor=request.user, starts_at=data["starts_at"]
        ),
        "New time offered. We have emailed the candidate.",
    )


@login_required
@require_POST
def trial_cancel(request: HttpRequest, reference: str) -> HttpResponse:
    return _employer_post(
        request,
        reference,
        "cancel",
        TrialCancelForm,
        lambda page, data: services.trial_cancel(
            trial=page.trial, actor=request.user, reason=data["reason"]
        ),
        "Trial cancelled. We have told the candidate.",
    )


@login_required
@require_POST
def trial_hours(request: HttpRequest, reference: str) -> HttpResponse:
    return _employer_post(
        request,
        reference,
        "hours",
        TrialHoursForm,
        lambda page, data: services.trial_hours_record(
            trial=page.trial, actor=request.user, hours=data["hours"], due_on=data["due_on"]
        ),
        "Hours recorded, and the pay with its date due. We have asked the candidate to confirm.",
    )


@login_required
@require_POST
def trial_outcome(request: HttpRequest, reference: str) -> HttpResponse:
    return _employer_post(
        request,
        reference,
        "outcome",
        TrialOutcomeForm,
        lambda page, data: services.trial_outcome(
            trial=page.trial, actor=request.user, to=data["to"], message=data["message"]
        ),
        "Done. We have emailed the candidate.",
    )


def _feedback_act(request, *, from_employer: bool):
    if request.POST.get("reply_to"):

        def act(page, data):
            theirs = page.candidate_feedback if from_employer else page.employer_feedback
            if theirs is None or str(theirs.pk) != request.POST["reply_to"]:
                raise services.TrialError("There is no feedback to reply to.")
            services.trial_feedback_reply(feedback=theirs, user=request.user, text=data["text"])

        return "reply", TrialReplyForm, act, "Your reply is saved. Only the two of you read it."

    def act(page, data):
        services.trial_feedback_give(
            trial=page.trial,
            user=request.user,
            from_employer=from_employer,
            values=data["values"],
            text=data["text"],
        )

    return (
        "feedback",
        TrialFeedbackForm,
        act,
        "Your feedback is saved. Only the two of you read it.",
    )


@login_required
@require_POST
def trial_feedback(request: HttpRequest, reference: str) -> HttpResponse:
    key, form_class, act, done = _feedback_act(request, from_employer=True)
    return _employer_post(request, reference, key, form_class, act, done)


@never_cache
@login_required
@require_safe
def trial_pay(request: HttpRequest, organisation_pk: int) -> HttpResponse:
    overview = selectors.trial_pay_for_owners(
        user=request.user, organisation_pk=organisation_pk, today=timezone.localdate()
    )
    return render(request, "jobs/trials/pay.html", {"overview": overview})


# --- The candidate -----------------------------------------------------------------------------


def _candidate_page(request, page, *, forms=None, status=200) -> HttpResponse:
    forms = forms or {}
    return render(
        request,
        "jobs/trials/mine.html",
        {
            "page": page,
            "application": page.application,
            "vacancy": page.application.vacancy,
            "trial": page.trial,
            "answer_form": forms.get("answer") or TrialAnswerForm(),
            "feedback_form": forms.get("feedback") or TrialFeedbackForm(),
            "reply_form": forms.get("reply") or TrialReplyForm(),
            "form": next((form for form in forms.values() if form.errors), None),
        },
        status=status,
    )


@never_cache
@login_required
@require_safe
def my_trial(request: HttpRequest, reference: str) -> HttpResponse:
    page = selectors.trial_page_for_candidate(user=request.user, reference=reference)
    return _candidate_page(request, page)


def _candidate_post(request, reference, key, form_class, act, done):
    page = selectors.trial_page_for_candidate(user=request.user, reference=reference)
    if page.trial is None:
        messages.error(request, "This application has no trial.")
        return redirect("jobs:my-trial", reference=reference)
    form = form_class(request.POST)
    if form.is_valid():
        try:
            act(page, form.cleaned_data)
        except ApplicationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, done)
            return redirect("jobs:my-trial", reference=reference)
    return _candidate_page(request, page, forms={key: form}, status=400)


ANSWERED = {
    "accept": "You accepted the trial. We have told the employer, and will remind you the day "
    "before.",
    "propose": "We have asked the employer for another time.",
    "decline": "You declined the trial. We have told the employer.",
}


@login_required
@require_POST
def my_trial_answer(request: HttpRequest, reference: str) -> HttpResponse:
    answer = request.POST.get("answer", "")
    return _candidate_post(
        request,
        reference,
        "answer",
        TrialAnswerForm,
        lambda page, data: services.trial_answer(
            trial=page.trial,
            user=request.user,
            answer=data["answer"],
            proposed_time=data["proposed_time"],
        ),
        ANSWERED.get(answer, "Saved."),
    )


@login_required
@require_POST
def my_trial_pay(request: HttpRequest, reference: str) -> HttpResponse:
    page = selectors.trial_page_for_candidate(user=request.user, reference=reference)
    what = request.POST.get("confirm")
    try:
        if page.trial is None:
            raise services.TrialError("This application has no trial.")
        if what == "hours":
            services.trial_pay_confirm_hours(trial=page.trial, user=request.user)
            messages.success(request, "You confirmed the hours. We have told the employer.")
        elif what == "paid":
            services.trial_pay_confirm_paid(trial=page.trial, user=request.user)
            messages.success(request, "You confirmed you were paid. Thank you.")
        else:
            raise services.TrialError("Choose what you are confirming.")
    except ApplicationError as error:
        messages.error(request, str(error))
    return redirect("jobs:my-trial", reference=reference)


@login_required
@require_POST
def my_trial_feedback(request: HttpRequest, reference: str) -> HttpResponse:
    key, form_class, act, done = _feedback_act(request, from_employer=False)
    return _candidate_post(request, reference, key, form_class, act, done)
