"""The quiz pages. A quiz is taken one question a page, each a plain form that works without
JavaScript; the answers of someone not signed in live in their session until they choose to
save them. The question page for a first-time visitor reads no database: the published words
are kept per process (careers/selectors/quizzes.py)."""

import json
from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseForbidden
from django.middleware.csrf import CsrfViewMiddleware
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from careers.forms.quizzes import AnswerForm, DraftForm, ShareForm
from careers.quizzes_middleware import COMPLETIONS_KEY, VIEWED_KEY, completed_at
from careers.selectors import quizzes as selectors
from careers.services import quizzes as services
from core.errors import ApplicationError
from core.page_cache import request_holds_nothing_of_its_own
from core.requests import client_ip
from core.views import add_service_error

# The session keys: one per quiz in progress, and the completions whose next steps are counted.
STATE_KEY = "careers_quiz:{slug}"
# Most people who go on to look at jobs do so within a month.
COMPLETIONS_KEPT_DAYS = 30
COMPLETIONS_KEPT = 10


def _state(request: HttpRequest, slug: str) -> dict | None:
    # A visitor without a session cookie has an empty session, read without a query.
    return request.session.get(STATE_KEY.format(slug=slug))


def _page_for(request: HttpRequest, slug: str) -> tuple[selectors.QuizPage, dict]:
    """The version this person is taking: the one they started, while it stays published, or
    the current one."""
    state = _state(request, slug)
    if state:
        try:
            return selectors.quiz_version_page_by_key(state["v"]), state
        except Http404:
            pass
    return selectors.quiz_current(slug), {}


def _remember_completion(request: HttpRequest, completion_id: int) -> None:
    """Keep the completion's id and the time it was finished (an application counts as going on
    only if sent after it) for COMPLETIONS_KEPT_DAYS, the newest COMPLETIONS_KEPT of them."""
    now = timezone.now()
    kept = [
        [pk, finished]
        for pk, finished in request.session.get(COMPLETIONS_KEY, [])
        if now - completed_at(finished) <= timedelta(days=COMPLETIONS_KEPT_DAYS)
    ]
    # A new completion has not been to the jobs pages yet.
    request.session.pop(VIEWED_KEY, None)
    request.session[COMPLETIONS_KEY] = [*kept, [completion_id, now.isoformat()]][-COMPLETIONS_KEPT:]


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    return render(request, "careers/quizzes/index.html", {"quizzes": selectors.quizzes_published()})


@require_GET
def start(request: HttpRequest, slug: str) -> HttpResponse:
    page, state = _page_for(request, slug)
    return render(
        request,
        "careers/quizzes/start.html",
        {"quiz": page, "answered": len(state.get("a", {})) if state else 0},
    )


# Question pages as a first-time visitor sees them, rendered once per process: a published
# version never changes, so the page is the same for everyone without a session. Keyed by the
# version's key (id and publication time) and the question's number.
_RENDERED: dict[tuple, bytes] = {}


def _csrf_refused(request: HttpRequest) -> HttpResponse | None:
    return CsrfViewMiddleware(lambda request: None).process_view(request, None, (), {})


def _origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


def _from_another_site(request: HttpRequest) -> bool:
    """Whether a POST plainly comes from a page of another site. The browser says so in
    Sec-Fetch-Site, or names the page's origin in Origin (or failing that, Referer), which must
    be this site's: the request's own host or SITE_URL's. Over https a POST naming neither is
    refused too, as Django's CSRF check refuses it."""
    if request.headers.get("Sec-Fetch-Site") == "cross-site":
        return True
    own = {f"{request.scheme}://{request.get_host()}".lower(), _origin_of(settings.SITE_URL)}
    origin = request.headers.get("Origin")
    if origin is not None:
        return origin.lower() not in own
    referer = request.headers.get("Referer")
    if referer:
        return _origin_of(referer) not in own
    return request.is_secure()


# The form on a page kept for first-time visitors carries no CSRF token, so the answer's POST
# checks Django's CSRF token only when the request has a session cookie. A POST without one is
# still refused when it comes from another site: SameSite=Lax keeps the signed-in victim's
# cookie off a forged cross-site POST, so it would take this path, and the session it starts
# would send a cookie replacing the victim's (signing them out, with the forger's answers).
@csrf_exempt
@require_http_methods(["GET", "POST"])
def question(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    if request.method == "POST" and settings.SESSION_COOKIE_NAME in request.COOKIES:
        refused = _csrf_refused(request)
        if refused is not None:
            return refused
    elif request.method == "POST" and _from_another_site(request):
        return HttpResponseForbidden(
            "This answer was sent from another site, so it was not taken. Open the quiz on "
            "this site and answer it there.",
            content_type="text/plain; charset=utf-8",
        )
    page, state = _page_for(request, slug)
    if not 1 <= number <= page.question_count:
        raise Http404
    first_visit = request.method == "GET" and request_holds_nothing_of_its_own(request)
    if first_visit and (page.key, number) in _RENDERED:
        return HttpResponse(_RENDERED[(page.key, number)])
    asked = page.content.questions[number - 1]
    initial = {"option": state.get("a", {}).get(asked.key)} if state else {}
    form = AnswerForm(
        request.POST if request.method == "POST" else None, question=asked, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        if state.get("v") != list(page.key):
            state = {"v": list(page.key), "a": {}, "done": None}
        state["a"][asked.key] = form.cleaned_data["option"]
        if state["done"] is None and len(state["a"]) == page.question_count:
            completion = services.quiz_completion_record(
                version=selectors.quiz_version_model(page.version_id), client_ip=client_ip(request)
            )
            # 0: finished, but beyond the address's limit, so not counted.
            state["done"] = completion.pk if completion is not None else 0
            if completion is not None:
                _remember_completion(request, completion.pk)
        request.session[STATE_KEY.format(slug=slug)] = state
        return redirect("careers:quiz-reflection", slug=slug, number=number)
    response = render(
        request,
        "careers/quizzes/question.html",
        {"quiz": page, "question": asked, "form": form, "kept": first_visit},
        status=400 if form.errors else 200,
    )
    if first_visit:
        _RENDERED[(page.key, number)] = response.content
    return response


@never_cache
@require_GET
def reflection(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    page, state = _page_for(request, slug)
    if not 1 <= number <= page.question_count:
        raise Http404
    asked = page.content.questions[number - 1]
    option = asked.option(state.get("a", {}).get(asked.key, "")) if state else None
    if option is None:
        return redirect("careers:quiz-question", slug=slug, number=number)
    return render(
        request,
        "careers/quizzes/reflection.html",
        {
            "quiz": page,
            "question": asked,
            "option": option,
            "next_number": number + 1 if number < page.question_count else None,
        },
    )


def _unanswered(page: selectors.QuizPage, state: dict) -> int | None:
    for question in page.content.questions:
        if question.key not in state.get("a", {}):
            return question.number
    return None


@never_cache
@require_GET
def result(request: HttpRequest, slug: str) -> HttpResponse:
    page, state = _page_for(request, slug)
    missing = _unanswered(page, state) if state else 1
    if missing is not None:
        return redirect("careers:quiz-question", slug=slug, number=missing)
    return render(
        request,
        "careers/quizzes/result.html",
        {
            "quiz": page,
            "reflections": selectors.reflections(page, state["a"]),
            "strengths": selectors.strengths(page, state["a"]),
            "saving": True,
        },
    )


@require_POST
def restart(request: HttpRequest, slug: str) -> HttpResponse:
    request.session.pop(STATE_KEY.format(slug=slug), None)
    return redirect("careers:quiz-question", slug=slug, number=1)


@require_POST
def save(request: HttpRequest, slug: str) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(reverse("careers:quiz-result", kwargs={"slug": slug}))
    page, state = _page_for(request, slug)
    if not state or _unanswered(page, state) is not None:
        return redirect("careers:quiz-start", slug=slug)
    try:
        saved = services.quiz_result_save(
            version=selectors.quiz_version_model(page.version_id),
            user=request.user,
            answers=state["a"],
        )
    except ApplicationError as error:
        messages.error(request, str(error))
        return redirect("careers:quiz-result", slug=slug)
    request.session.pop(STATE_KEY.format(slug=slug), None)
    messages.success(request, f"Your result from “{page.title}” is saved to your account.")
    return redirect("careers:quiz-saved", pk=saved.pk)


# --- Saved results and sharing --------------------------------------------------------------


@never_cache
@login_required
@require_GET
def saved_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "careers/quizzes/saved_list.html",
        {"results": selectors.quiz_results_of(request.user)},
    )


def _saved_context(saved) -> dict:
    page = selectors.quiz_version_page(saved.version)
    return {
        "saved": saved,
        "quiz": page,
        "reflections": selectors.reflections(page, saved.answers),
        "strengths": selectors.strengths(page, saved.answers),
    }


@never_cache
@login_required
@require_GET
def saved(request: HttpRequest, pk: int) -> HttpResponse:
    saved = selectors.quiz_result_get(user=request.user, pk=pk)
    context = _saved_context(saved)
    context["shares"] = selectors.quiz_result_shares(saved)
    return render(request, "careers/quizzes/saved.html", context)


@login_required
@require_POST
def saved_delete(request: HttpRequest, pk: int) -> HttpResponse:
    saved = selectors.quiz_result_get(user=request.user, pk=pk)
    services.quiz_result_delete(result=saved, user=request.user)
    messages.success(request, "Your saved result is deleted. Nobody can see it now.")
    return redirect("careers:quiz-saved-list")


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def share(request: HttpRequest, pk: int) -> HttpResponse:
    saved = selectors.quiz_result_get(user=request.user, pk=pk)
    context = _saved_context(saved)
    applications = selectors.applications_to_share_with(request.user)
    form = ShareForm(
        request.POST if request.method == "POST" else None,
        applications=applications,
        reflections=context["reflections"],
    )
    if request.method == "POST" and form.is_valid():
        application = next(a for a in applications if a.pk == form.cleaned_data["application"])
        try:
            services.quiz_reflections_share(
                result=saved,
                user=request.user,
                application=application,
                question_keys=form.cleaned_data["question_keys"],
            )
        except ApplicationError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request,
                f"{application.vacancy.organisation.name} can now see that you completed "
                "the quiz, and the reflections you chose.",
            )
            return redirect("careers:quiz-saved", pk=saved.pk)
    context.update({"form": form, "applications": applications})
    return render(
        request, "careers/quizzes/share.html", context, status=400 if form.errors else 200
    )


@login_required
@require_POST
def share_stop(request: HttpRequest, pk: int) -> HttpResponse:
    shared = selectors.quiz_share_get(user=request.user, pk=pk)
    result_pk = shared.result_id
    services.quiz_share_stop(share=shared, user=request.user)
    messages.success(
        request, "You stopped sharing those reflections. The employer no longer sees them."
    )
    return redirect("careers:quiz-saved", pk=result_pk)


# --- The association's pages ----------------------------------------------------------------


@never_cache
@login_required
@require_GET
def manage(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "careers/quizzes/manage.html",
        {"quizzes": selectors.quizzes_managed(request.user)},
    )


@never_cache
@login_required
@require_GET
def versions(request: HttpRequest, slug: str) -> HttpResponse:
    quiz = selectors.quiz_to_manage(user=request.user, slug=slug)
    return render(
        request,
        "careers/quizzes/versions.html",
        {"quiz": quiz, "versions": list(quiz.versions.order_by("-number"))},
    )


@login_required
@require_POST
def draft_start(request: HttpRequest, slug: str) -> HttpResponse:
    quiz = selectors.quiz_to_manage(user=request.user, slug=slug)
    try:
        draft = services.quiz_version_draft_start(quiz=quiz, user=request.user)
    except ApplicationError as error:
        messages.error(request, str(error))
        return redirect("careers:quiz-versions", slug=slug)
    return redirect("careers:quiz-version", slug=slug, number=draft.number)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def version(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    version = selectors.quiz_version_to_manage(user=request.user, slug=slug, number=number)
    scenarios = version.quiz.kind == version.quiz.Kind.SCENARIOS
    is_draft = version.status == version.Status.DRAFT
    if request.method == "POST" and is_draft:
        form = DraftForm(request.POST, scenarios=scenarios)
        if form.is_valid():
            try:
                services.quiz_version_draft_update(
                    version=version, user=request.user, **form.cleaned_data
                )
            except ApplicationError as error:
                add_service_error(form, error)
            else:
                messages.success(request, "The draft is saved. Nobody sees it until you publish.")
                return redirect("careers:quiz-version", slug=slug, number=number)
    else:
        form = DraftForm(
            initial={
                "title": version.title,
                "written_with": version.written_with,
                "content": json.dumps(version.content, indent=2, ensure_ascii=False),
            },
            scenarios=scenarios,
        )
    return render(
        request,
        "careers/quizzes/version.html",
        {"quiz": version.quiz, "version": version, "form": form, "is_draft": is_draft},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def publish(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    version = selectors.quiz_version_to_manage(user=request.user, slug=slug, number=number)
    try:
        services.quiz_version_publish(version=version, user=request.user)
    except ApplicationError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"Version {number} is published. New quiz takers see it now.")
    return redirect("careers:quiz-versions", slug=slug)


@never_cache
@login_required
@require_GET
def figures(request: HttpRequest, slug: str) -> HttpResponse:
    quiz = selectors.quiz_to_manage(user=request.user, slug=slug)
    return render(
        request,
        "careers/quizzes/figures.html",
        {"quiz": quiz, "rows": selectors.quiz_figures(user=request.user, quiz=quiz)},
    )
