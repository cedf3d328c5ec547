"""Asking the employer a question about a vacancy: the form on each published vacancy, the
conversation both sides read, the asker's list and the employer's inbox."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.errors import ApplicationError
from core.views import add_service_error
from jobs.forms.questions import QuestionForm
from jobs.models import QuestionThread
from jobs.selectors import questions as selectors
from jobs.services import questions as services


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def ask(request: HttpRequest, reference: str) -> HttpResponse:
    vacancy = selectors.vacancy_to_ask_about(user=request.user, reference=reference)
    form = QuestionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            thread = services.question_ask(
                vacancy=vacancy, user=request.user, text=form.cleaned_data["text"]
            )
        except ApplicationError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request,
                f"Your question was sent to {vacancy.organisation.name}. We will email you "
                "when they reply.",
            )
            return redirect("jobs:question-thread", pk=thread.pk)
    return render(
        request,
        "jobs/questions/ask.html",
        {"vacancy": vacancy, "form": form},
        status=400 if form.errors else 200,
    )


def _thread_page(request: HttpRequest, thread: QuestionThread, form=None) -> HttpResponse:
    as_asker = thread.asker_id == request.user.pk
    return render(
        request,
        "jobs/questions/thread.html",
        {
            "thread": thread,
            "vacancy": thread.vacancy,
            "as_asker": as_asker,
            "form": form or QuestionForm(label="Your reply"),
        },
        status=400 if form is not None and form.errors else 200,
    )


@never_cache
@login_required
@require_GET
def thread(request: HttpRequest, pk: int) -> HttpResponse:
    return _thread_page(request, selectors.question_thread_get(user=request.user, pk=pk))


@login_required
@require_POST
def reply(request: HttpRequest, pk: int) -> HttpResponse:
    thread = selectors.question_thread_get(user=request.user, pk=pk)
    form = QuestionForm(request.POST, label="Your reply")
    if form.is_valid():
        try:
            services.question_reply(
                thread=thread, user=request.user, text=form.cleaned_data["text"]
            )
        except ApplicationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, "Your message was sent.")
            return redirect("jobs:question-thread", pk=thread.pk)
    return _thread_page(request, thread, form)


@login_required
@require_POST
def close(request: HttpRequest, pk: int) -> HttpResponse:
    thread = selectors.question_thread_get(user=request.user, pk=pk)
    try:
        services.question_close(thread=thread, user=request.user)
    except ApplicationError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "The conversation is closed. It takes no more messages.")
    return redirect("jobs:question-thread", pk=thread.pk)


@never_cache
@login_required
@require_GET
def my_questions(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "jobs/questions/mine.html",
        {"threads": selectors.questions_for_asker(user=request.user)},
    )


@never_cache
@login_required
@require_GET
def inbox(request: HttpRequest, org_id: int) -> HttpResponse:
    return render(
        request,
        "jobs/questions/inbox.html",
        {
            "inbox": selectors.question_inbox(
                user=request.user,
                organisation_pk=org_id,
                status=request.GET.get("status", QuestionThread.Status.OPEN),
            )
        },
    )
