"""Transparency, open to everyone with no account: how concerns are decided (docs/concerns.md
as a page) and the yearly report on concerns, in the browser and as a PDF."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_safe

from concerns.guide import guide
from concerns.pdf import YearlyReportRenderer
from concerns.yearly_report import report_latest_year, report_years, yearly_report


@require_safe
def how(request: HttpRequest) -> HttpResponse:
    return render(request, "concerns/how.html", {"guide": guide()})


def _report_page(request: HttpRequest, year: int) -> HttpResponse:
    today = timezone.localdate()
    return render(
        request,
        "concerns/report.html",
        {
            "report": yearly_report(year=year, today=today),
            "other_years": [other for other in report_years(today=today) if other != year],
            "this_year": today.year,
        },
    )


@require_safe
def report_latest(request: HttpRequest) -> HttpResponse:
    """The latest complete year, or this year so far before there is one: the page says which."""
    return _report_page(request, report_latest_year())


@require_safe
def report(request: HttpRequest, year: int) -> HttpResponse:
    return _report_page(request, year)


@require_safe
def report_pdf(request: HttpRequest, year: int) -> HttpResponse:
    figures = yearly_report(year=year)
    web_page = settings.SITE_URL + reverse("concerns:report", args=[year])
    response = HttpResponse(
        YearlyReportRenderer().render(figures, web_page=web_page), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'attachment; filename="concerns-report-{year}.pdf"'
    return response
