"""/jobs/: the search for vacancies, as a page that works without JavaScript. The search itself
is jobs.search, which job alerts and the API share."""

from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from core.pagination import page_with_count
from jobs.search import MILES, VacancySearchForm, criteria_params, vacancy_search

RESULTS_PER_PAGE = 20


def _query(params: dict, **changes) -> str:
    """A query string for the same search with `changes` (a value of None removes the key)."""
    merged = {**params, **changes}
    return urlencode({k: v for k, v in merged.items() if v is not None}, doseq=True)


def _suggestions(criteria: dict, params: dict) -> list[tuple[str, str]]:
    """Links that widen a search that found nothing: (words, query string)."""
    suggestions = []
    miles = criteria.get("miles")
    if criteria.get("where") is not None and miles and miles < MILES[-1]:
        wider = next(m for m in MILES if m > miles)
        suggestions.append((f"Search within {wider} miles", _query(params, miles=str(wider))))
    narrowing = [
        name
        for name in (
            "role",
            "setting",
            "contract",
            "min_pay",
            "hours",
            "no_driving",
            "travel_paid",
            "paid_trial",
            "sponsorship",
        )
        if name in params
    ]
    if narrowing:
        suggestions.append(("Remove the filters", _query(params, **dict.fromkeys(narrowing, None))))
    if criteria.get("keyword"):
        suggestions.append(("Search without the keywords", _query(params, keyword=None)))
    return suggestions


@require_GET
def vacancy_search_page(request: HttpRequest) -> HttpResponse:
    form = VacancySearchForm(request.GET)
    context: dict = {"form": form}
    if form.is_valid():
        criteria = form.criteria()
        params = criteria_params(criteria)
        page = page_with_count(
            vacancy_search(criteria=criteria), request.GET.get("page"), RESULTS_PER_PAGE
        )
        context.update(
            criteria=criteria,
            page=page,
            previous_query=page.has_previous() and _query(params, page=page.previous_page_number()),
            next_query=page.has_next() and _query(params, page=page.next_page_number()),
            suggestions=[] if page.paginator.count else _suggestions(criteria, params),
            alert_query=_query(params),
        )
    return render(request, "jobs/search/search.html", context, status=400 if form.errors else 200)
