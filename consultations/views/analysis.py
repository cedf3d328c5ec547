"""The association's analysis pages (results, free-text answers and themes, the CSV and the
PDF, publishing) and the public outcome page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, QueryDict, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import pluralize
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from consultations import analysis
from consultations.csv_export import csv_lines
from consultations.forms import AnswerSearchForm, FlaggedCountingForm, OutcomeForm, ThemeForm
from consultations.models import Consultation, Theme
from consultations.pdf import ConsultationReportRenderer, report_document
from consultations.services import connections, outcome
from core.audit import audit_log
from core.errors import ApplicationError
from core.views import add_service_error

ANSWERS_PER_PAGE = 25
# The query-string keys the answers page keeps when a tag form sends the person back.
ANSWER_FILTERS = ("q", "question", "theme", "page")


def _not_yet(request: HttpRequest, consultation: Consultation) -> HttpResponse:
    return render(
        request,
        "consultations/analysis/not_yet.html",
        {"consultation": consultation, "status": consultation.effective_status()},
    )


@login_required
def results(request: HttpRequest, pk: int) -> HttpResponse:
    consultation = analysis.consultation_get_for_analysis(user=request.user, pk=pk)
    if not analysis.has_results(consultation):
        return _not_yet(request, consultation)
    return render(
        request,
        "consultations/analysis/results.html",
        {
            "consultation": consultation,
            "status": consultation.effective_status(),
            "results": analysis.consultation_results(consultation=consultation, published=False),
            "time": analysis.time_to_answer(consultation=consultation),
            "text_questions": analysis.free_text_questions(consultation=consultation),
            "flagged": analysis.flagged_responses(consultation=consultation),
            "flagged_form": FlaggedCountingForm(
                initial={"count": "yes" if consultation.count_many_from_one_connection else "no"}
            ),
        },
    )


def _answers_url(consultation: Consultation, query: str = "") -> str:
    url = reverse("consultations:analysis-answers", args=[consultation.pk])
    return f"{url}?{query}" if query else url


def _kept_query(data: QueryDict) -> str:
    """The answers page's own filters from a posted form, and nothing else, to go back to."""
    kept = QueryDict(mutable=True)
    for key in ANSWER_FILTERS:
        value = data.get(f"return_{key}", "")
        if value:
            kept[key] = value
    return kept.urlencode()


@login_required
def answers(request: HttpRequest, pk: int) -> HttpResponse:
    consultation = analysis.consultation_get_for_analysis(user=request.user, pk=pk)
    if not analysis.has_results(consultation):
        return _not_yet(request, consultation)
    questions = analysis.free_text_questions(consultation=consultation)
    themes = list(analysis.themes_with_counts(consultation=consultation))
    search = AnswerSearchForm(request.GET or None, questions=questions, themes=themes)
    filters = search.cleaned_data if search.is_valid() else {}
    found = analysis.free_text_answers(
        consultation=consultation,
        search=filters.get("q") or "",
        question_id=filters.get("question"),
        theme_id=filters.get("theme"),
    )
    page = Paginator(found, ANSWERS_PER_PAGE).get_page(request.GET.get("page"))
    for number, answer in enumerate(page, start=page.start_index()):
        # Numbered down the search's list, so a button can say which answer it acts on.
        answer.number = number
        has = {theme.pk for theme in answer.themes.all()}
        answer.themes_to_offer = [theme for theme in themes if theme.pk not in has]
    query = QueryDict(mutable=True)
    for key in ("q", "question", "theme"):
        if filters.get(key):
            query[key] = filters[key]
    return render(
        request,
        "consultations/analysis/answers.html",
        {
            "consultation": consultation,
            "search": search,
            "page": page,
            "query": query.urlencode(),
            "current": {key: request.GET.get(key, "") for key in ANSWER_FILTERS},
            "themes": themes,
            "theme_form": ThemeForm(),
            "can_tag": consultation.status == Consultation.Status.ANALYSING,
        },
    )


@login_required
@require_POST
def theme_create(request: HttpRequest, pk: int) -> HttpResponse:
    consultation = analysis.consultation_get_for_analysis(user=request.user, pk=pk)
    form = ThemeForm(request.POST)
    if form.is_valid():
        try:
            theme = outcome.theme_create(
                consultation=consultation, user=request.user, name=form.cleaned_data["name"]
            )
            messages.success(request, f"Theme “{theme.name}” added.")
        except ApplicationError as error:
            messages.error(request, str(error))
    else:
        messages.error(request, form.errors["name"][0])
    return redirect(_answers_url(consultation, _kept_query(request.POST)))


@login_required
@require_POST
def theme_rename(request: HttpRequest, pk: int) -> HttpResponse:
    theme = analysis.theme_get_for_analysis(user=request.user, pk=pk)
    form = ThemeForm(request.POST)
    if form.is_valid():
        try:
            outcome.theme_rename(theme=theme, user=request.user, name=form.cleaned_data["name"])
            messages.success(request, "Theme renamed.")
        except ApplicationError as error:
            messages.error(request, str(error))
    else:
        messages.error(request, form.errors["name"][0])
    return redirect(_answers_url(theme.consultation, _kept_query(request.POST)))


@login_required
@require_POST
def theme_delete(request: HttpRequest, pk: int) -> HttpResponse:
    theme = analysis.theme_get_for_analysis(user=request.user, pk=pk)
    consultation = theme.consultation
    try:
        outcome.theme_delete(theme=theme, user=request.user)
        messages.success(request, f"Theme “{theme.name}” removed.")
    except ApplicationError as error:
        messages.error(request, str(error))
    return redirect(_answers_url(consultation, _kept_query(request.POST)))


def _theme_from_post(request: HttpRequest, answer) -> Theme | None:
    try:
        theme_id = int(request.POST.get("theme", ""))
    except ValueError:
        return None
    return Theme.objects.filter(
        pk=theme_id, consultation_id=answer.question.consultation_id
    ).first()


@login_required
@require_POST
def answer_tag(request: HttpRequest, pk: int) -> HttpResponse:
    answer = analysis.answer_get_for_analysis(user=request.user, pk=pk)
    consultation = answer.question.consultation
    theme = _theme_from_post(request, answer)
    if theme is None:
        messages.error(request, "Choose a theme to tag the answer with.")
    else:
        try:
            if outcome.answer_tag(answer=answer, theme=theme, user=request.user):
                messages.success(request, f"Tagged “{theme.name}”.")
            else:
                messages.info(request, f"That answer was already tagged “{theme.name}”.")
        except ApplicationError as error:
            messages.error(request, str(error))
    return redirect(_answers_url(consultation, _kept_query(request.POST)) + f"#answer-{answer.pk}")


def _kept_filters(consultation: Consultation, data: QueryDict) -> dict:
    """The answers page's search from a posted form's return fields, checked as the page
    checks it: the same answers the person was looking at."""
    search = AnswerSearchForm(
        {key: data.get(f"return_{key}", "") for key in ("q", "question", "theme")},
        questions=analysis.free_text_questions(consultation=consultation),
        themes=list(Theme.objects.filter(consultation=consultation)),
    )
    return search.cleaned_data if search.is_valid() else {}


@login_required
@require_POST
def answers_tag_matching(request: HttpRequest, pk: int) -> HttpResponse:
    consultation = analysis.consultation_get_for_analysis(user=request.user, pk=pk)
    filters = _kept_filters(consultation, request.POST)
    try:
        theme_id = int(request.POST.get("theme", ""))
    except ValueError:
        theme_id = None
    theme = Theme.objects.filter(pk=theme_id, consultation=consultation).first()
    if theme is None:
        messages.error(request, "Choose a theme to tag the answers with.")
    else:
        try:
            tagged = outcome.answers_tag_matching(
                consultation=consultation,
                theme=theme,
                user=request.user,
                search=filters.get("q") or "",
                question_id=filters.get("question"),
                theme_id=filters.get("theme"),
            )
        except ApplicationError as error:
            messages.error(request, str(error))
        else:
            already = tagged.matched - tagged.tagged
            text = f"Tagged {tagged.tagged} answer{pluralize(tagged.tagged)} “{theme.name}”."
            if already:
                text += f" {already} already had it."
            messages.success(request, text)
    return redirect(_answers_url(consultation, _kept_query(request.POST)))


@login_required
@require_POST
def answer_untag(request: HttpRequest, pk: int) -> HttpResponse:
    answer = analysis.answer_get_for_analysis(user=request.user, pk=pk)
    consultation = answer.question.consultation
    theme = _theme_from_post(request, answer)
    if theme is not None:
        try:
            if outcome.answer_untag(answer=answer, theme=theme, user=request.user):
                messages.success(request, f"Took “{theme.name}” off the answer.")
        except ApplicationError as error:
            messages.error(request, str(error))
    return redirect(_answers_url(consultation, _kept_query(request.POST)) + f"#answer-{answer.pk}")


@login_required
def responses_csv(request: HttpRequest, pk: int) -> HttpResponse:
    consultation = analysis.consultation_get_for_analysis(user=request.user, pk=pk)
    if not analysis.has_results(consultation):
        return _not_yet(request, consultation)
    # Every answer leaves the register in this file: worth a line in the log of who took it.
    audit_log(
        action="consultations.responses.exported",
        actor=request.user,
        target=consultation,
        data={"format": "csv"},
    )
    response = StreamingHttpResponse(
        csv_lines(consultation=consultation), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{consultation.slug}-responses.csv"'
    return response


def _pdf(consultation: Consultation, *, published: bool, filename: str) -> HttpResponse:
    document = report_document(
        results=analysis.consultation_results(consultation=consultation, published=published),
        time=analysis.time_to_answer(consultation=consultation),
        made_at=timezone.now(),
    )
    response = HttpResponse(
        ConsultationReportRenderer().render(document), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def report_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The report: the full numbers, or with `?for=publication` the suppressed ones."""
    consultation = analysis.consultation_get_for_analysis(user=request.user, pk=pk)
    if not analysis.has_results(consultation):
        return _not_yet(request, consultation)
    published = request.GET.get("for") == "publication"
    suffix = "published-results" if published else "full-results"
    return _pdf(consultation, published=published, filename=f"{consultation.slug}-{suffix}.pdf")


@login_required
@require_http_methods(["GET", "POST"])
def publish(request: HttpRequest, pk: int) -> HttpResponse:
    """Write the outcome and see what the public will see; publishing is the next page's."""
    consultation = analysis.consultation_get_for_analysis(user=request.user, pk=pk)
    if not analysis.has_results(consultation):
        return _not_yet(request, consultation)
    form = OutcomeForm(
        request.POST if request.method == "POST" else None,
        initial={"outcome_summary": consultation.outcome_summary},
    )
    if request.method == "POST" and form.is_valid():
        try:
            outcome.consultation_outcome_draft_save(
                consultation=consultation,
                user=request.user,
                outcome_summary=form.cleaned_data["outcome_summary"],
            )
        except ApplicationError as error:
            add_service_error(form, error)
        else:
            return redirect("consultations:publish-confirm", pk=consultation.pk)
    return render(
        request,
        "consultations/analysis/publish.html",
        {
            "consultation": consultation,
            "form": form,
            "results": analysis.consultation_results(consultation=consultation, published=True),
            "flagged": analysis.flagged_responses(consultation=consultation),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def publish_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    """Says what publishing does, and who will be emailed, before it is done for good."""
    consultation = analysis.consultation_get_for_analysis(user=request.user, pk=pk)
    if consultation.status == Consultation.Status.PUBLISHED:
        messages.info(request, "The outcome has already been published.")
        return redirect("consultations:outcome", slug=consultation.slug)
    if consultation.status != Consultation.Status.ANALYSING or not consultation.outcome_summary:
        return redirect("consultations:publish", pk=consultation.pk)
    error = ""
    if request.method == "POST":
        try:
            outcome.consultation_publish_outcome(
                consultation=consultation,
                user=request.user,
                outcome_summary=consultation.outcome_summary,
            )
        except ApplicationError as refused:
            error = str(refused)
        else:
            messages.success(request, "The outcome is published.")
            return redirect("consultations:outcome", slug=consultation.slug)
    return render(
        request,
        "consultations/analysis/publish_confirm.html",
        {
            "consultation": consultation,
            "subscribers": consultation.outcome_subscriptions.filter(
                notified_at__isnull=True
            ).count(),
            "flagged": analysis.flagged_responses(consultation=consultation),
            "error": error,
        },
        status=400 if error else 200,
    )


@login_required
@require_POST
def flagged_counting(request: HttpRequest, pk: int) -> HttpResponse:
    consultation = analysis.consultation_get_for_analysis(user=request.user, pk=pk)
    form = FlaggedCountingForm(request.POST)
    if not form.is_valid():
        messages.error(request, form.errors["count"][0])
    else:
        try:
            count = form.cleaned_data["count"]
            connections.consultation_flagged_counting_set(
                consultation=consultation, user=request.user, count=count
            )
            messages.success(
                request,
                "The results now count the flagged answers."
                if count
                else "The results now leave out the flagged answers.",
            )
        except ApplicationError as error:
            messages.error(request, str(error))
    return redirect(reverse("consultations:analysis", args=[consultation.pk]) + "#flagged")


@login_required
def live_counts(request: HttpRequest, pk: int) -> HttpResponse:
    """Before the close: how many have answered, and the counts of the choice questions, with
    the published suppression, and no written answers."""
    consultation = analysis.consultation_get_for_analysis(user=request.user, pk=pk)
    status = consultation.effective_status()
    if status in analysis.STATUSES_WITH_RESULTS:
        return redirect("consultations:analysis", pk=consultation.pk)
    return render(
        request,
        "consultations/analysis/live.html",
        {
            "consultation": consultation,
            "status": status,
            "results": analysis.consultation_results(
                consultation=consultation, published=True, choice_only=True
            ),
            "flagged": analysis.flagged_responses(consultation=consultation),
            "now": timezone.now(),
        },
    )


def outcome_page(request: HttpRequest, slug: str) -> HttpResponse:
    consultation = analysis.consultation_get_published(slug=slug)
    return render(
        request,
        "consultations/analysis/outcome.html",
        {
            "consultation": consultation,
            "results": analysis.consultation_results(consultation=consultation, published=True),
        },
    )


def outcome_pdf(request: HttpRequest, slug: str) -> HttpResponse:
    consultation = analysis.consultation_get_published(slug=slug)
    return _pdf(consultation, published=True, filename=f"{consultation.slug}-outcome.pdf")
