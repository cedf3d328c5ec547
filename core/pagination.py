"""A page of a QuerySet and the count of all its rows from one query.

Django's Paginator asks the database twice: a COUNT(*) for the page links, then the page's rows.
For a search whose rows cost a scan (jobs' distance search reads every vacancy in a box), the
count is a second scan. `page_with_count` asks for the page's rows with `COUNT(*) OVER ()`
beside each, so the count comes with them. Only a page past the end (no rows, so no count)
(or below the first) costs a second query, and then the last page is shown, as
`Paginator.get_page` would.
"""

from django.core.paginator import Page, Paginator
from django.db.models import Count, QuerySet, Window

_TOTAL = "page_with_count_total"


def _rows(queryset: QuerySet, number: int, per_page: int) -> list:
    start = (number - 1) * per_page
    return list(queryset.annotate(**{_TOTAL: Window(Count("pk"))})[start : start + per_page])


def page_with_count(queryset: QuerySet, page, per_page: int) -> Page:
    """Page `page` (a number, or the text of one as typed in an address) of an ordered
    QuerySet, as `Paginator.get_page` gives it: not a number gives the first page, a number
    past the end or below 1 the last."""
    try:
        number = int(page)
    except (TypeError, ValueError):
        number = 1
    paginator = Paginator(queryset, per_page)
    rows = _rows(queryset, number, per_page) if number >= 1 else []
    if rows:
        count = getattr(rows[0], _TOTAL)
    else:
        count = queryset.count() if number != 1 else 0
        last = max(1, -(-count // per_page))
        if count and not 1 <= number <= last:
            number = last
            rows = _rows(queryset, number, per_page)
        elif not count:
            number = 1
    # Paginator.count is a cached_property: setting it saves the COUNT(*) it would run.
    paginator.count = count
    return Page(rows, number, paginator)
