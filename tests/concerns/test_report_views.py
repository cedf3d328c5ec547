"""The public pages about concerns: the guide rendered from docs/concerns.md and the yearly
report, in the browser and as a PDF rendered for real by reportlab and read back with pypdf."""

import io
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from concerns.models import CaseFigures
from concerns.pdf import YearlyReportRenderer
from concerns.services import cases as case_services
from concerns.services.clock import cases_delete_after_retention
from concerns.yearly_report import yearly_report
from tests.concerns.conftest import decide, investigating_case, ready_to_decide, received_case

pytestmark = pytest.mark.django_db

PERSONAS = [
    "anonymous",
    "worker",
    "other_worker",
    "employer",
    "employer_member",
    "provider",
    "association_admin",
    "registrar_without_mfa",
    "registrar",
    "outsider",
]


def _urls():
    year = timezone.localdate().year
    return {
        "concerns:how": reverse("concerns:how"),
        "concerns:report-latest": reverse("concerns:report-latest"),
        "concerns:report": reverse("concerns:report", args=[year]),
        "concerns:report-pdf": reverse("concerns:report-pdf", args=[year]),
    }


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("name", list(_urls()))
def test_every_page_is_open_to_everyone_with_or_without_an_account(client, request, persona, name):
    if persona != "anonymous":
        client.force_login(request.getfixturevalue(persona))

    response = client.get(_urls()[name])

    assert response.status_code == 200


@pytest.mark.parametrize("name", ["concerns:report", "concerns:report-pdf"])
def test_a_year_with_no_report_is_not_found(client, name):
    next_year = timezone.localdate().year + 1

    assert client.get(reverse(name, args=[next_year])).status_code == 404
    assert client.get(reverse(name, args=[1999])).status_code == 404


@pytest.mark.parametrize("name", list(_urls()))
def test_the_pages_only_answer_reading(client, name):
    assert client.post(_urls()[name]).status_code == 405


# The guide ------------------------------------------------------------------------------------


def test_the_guide_page_is_docs_concerns_md(client):
    response = client.get(reverse("concerns:how"))

    html = response.content.decode()
    assert "<title>How concerns about care workers are decided – Care Register</title>" in html
    assert '<h1 id="how-concerns-about-care-workers-are-decided">' in html
    assert "If someone is in danger now, call 999." in html
    assert '<th scope="col">Time limit</th>' in html


# The report page -------------------------------------------------------------------------------


def _figures(count: int, received_on: date, **fields) -> None:
    values = {"category": "poor_practice", "source": "public", **fields}
    for _ in range(count):
        CaseFigures.objects.create(received_on=received_on, **values)


def test_the_latest_report_is_this_year_so_far_until_a_year_is_complete(client):
    today = timezone.localdate()
    _figures(7, today)

    html = client.get(reverse("concerns:report-latest")).content.decode()

    assert f"This report covers {today.year} so far" in html
    assert "The year is not over, so the numbers will change." in html
    assert f"Concerns received in {today.year} so far" in html


def test_the_latest_report_is_last_year_once_it_is_over(client):
    today = timezone.localdate()
    _figures(6, date(today.year - 1, 12, 31), category="theft")
    _figures(2, today)

    html = client.get(reverse("concerns:report-latest")).content.decode()

    assert f"This report covers the whole of {today.year - 1}" in html
    assert f"Concerns received in the whole of {today.year - 1}: 6." in html
    assert reverse("concerns:report", args=[today.year]) in html
    assert reverse("concerns:report-pdf", args=[today.year - 1]) in html


def test_the_report_page_shows_the_suppressed_counts_and_explains_the_rule(client):
    today = timezone.localdate()
    _figures(20, today, category="poor_practice")
    _figures(3, today, category="theft")
    _figures(9, today, category="other")

    html = client.get(reverse("concerns:report", args=[today.year])).content.decode()

    assert '<th scope="row">Theft</th><td>fewer than 5</td>' in html
    assert '<th scope="row">Other</th><td>withheld</td>' in html
    assert '<th scope="row">Poor practice</th><td>20</td>' in html
    assert "a count from 1 to 4 is shown as “fewer than 5”" in html
    assert "another count is “withheld” too" in html


# The PDF ---------------------------------------------------------------------------------------


def read(pdf: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(pdf))


def text_of(pdf: bytes) -> str:
    return " ".join(" ".join(page.extract_text().split()) for page in read(pdf).pages)


@pytest.fixture
def a_year_of_real_cases(subject, registrars, committed):
    """Real cases through the services, each with names, emails and a reference that must not
    leak: one closed at screening, five decided with advice, one being investigated."""
    people = iter(f"person{number}@example.org" for number in range(10))
    cases = [received_case(subject, email=next(people))]
    case_services.case_screen(
        case=cases[0],
        registrar=registrars["Sam"],
        risk="low",
        result="no_case",
        reasons="Nothing the register acts on.",
    )
    for _ in range(5):
        case = investigating_case(subject, registrars, risk="low", email=next(people))
        decide(ready_to_decide(case, registrars), registrars, "advice")
        cases.append(case)
    cases.append(investigating_case(subject, registrars, risk="medium", email=next(people)))
    return cases


def test_the_pdf_gives_the_figures_of_the_page(client):
    year = timezone.localdate().year
    received_on = date(year, 1, 1)
    _figures(12, received_on, working_days_to_screen=2, outcome="advice", days_to_decide=30)
    _figures(
        8,
        received_on,
        category="theft",
        source="employer",
        working_days_to_screen=7,
        screened_out=True,
        outcome="no_action",
    )

    response = client.get(reverse("concerns:report-pdf", args=[year]))

    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="concerns-report-{year}.pdf"'
    text = text_of(response.content)
    for expected in [
        f"Concerns about care workers: {year} so far",
        "Concerns received: 20.",
        "Poor practice 12",
        "Theft 8",
        "Health 0",
        "Members of the public 12",
        "Employers 8",
        "Colleagues 0",
        "Screened within 5 working days 12",
        "Screened after more than 5 working days 8",
        "Not screened yet 0",
        "Median time to screen 2 working days",
        "Nine in ten were screened within 7 working days",
        "Screened within 5 working days 60% of the concerns screened",
        "Median time from receiving a concern to the decision 30 days",
        "Closed at screening: nothing the register acts on 8",
        "Advice 12",
        "Not decided yet 0",
        "The appeal was upheld 0",
        "All concerns 20",
        "a count from 1 to 4 is shown as “fewer than 5”",
    ]:
        assert expected in text, expected


def test_the_pdf_names_nobody_and_no_case(client, a_year_of_real_cases, subject, registrars):
    year = timezone.localdate().year

    text = text_of(client.get(reverse("concerns:report-pdf", args=[year])).content)

    assert "Concerns received:" in text
    leaks = [
        "Łukasz",
        "O'Brien",
        subject.registration_number,
        "Priya",
        "example.org",
        "07700",
        "medicines",
        *[case.reference for case in a_year_of_real_cases],
        *[registrar.email for registrar in registrars.values()],
        "Sam",
        "Dee",
    ]
    found = [leak for leak in leaks if leak in text or leak in text.replace(" ", "")]
    assert not found


def test_a_deleted_cases_figures_still_count_in_the_pdf(client, settings, a_year_of_real_cases):
    settings.CONCERN_REPORT_MIN_COUNT = 1
    today = timezone.localdate()

    assert cases_delete_after_retention(today=today + timedelta(days=400)) == 1

    text = text_of(client.get(reverse("concerns:report-pdf", args=[today.year])).content)
    assert "Concerns received: 7." in text
    assert "Closed at screening: nothing the register acts on 1" in text
    assert "Advice 5" in text


def _render() -> bytes:
    report = yearly_report(year=timezone.localdate().year)
    return YearlyReportRenderer().render(report, web_page="https://register.example/report/")


def test_the_pdf_says_what_it_is_in_its_metadata():
    reader = read(_render())
    year = timezone.localdate().year

    assert reader.metadata.title == f"Concerns about care workers: {year} so far"
    assert reader.metadata.author == "Care Register"
    assert reader.metadata.subject.startswith("The yearly report on concerns about care workers")


def test_the_pdf_declares_its_language_and_has_readers_show_its_title():
    catalog = read(_render()).trailer["/Root"]

    assert catalog["/Lang"] == "en-GB"
    assert bool(catalog["/ViewerPreferences"]["/DisplayDocTitle"]) is True


def test_the_pdf_is_untagged_as_adr_25_says_and_names_its_accessible_version():
    reader = read(_render())
    catalog = reader.trailer["/Root"]

    assert "/StructTreeRoot" not in catalog
    assert "/MarkInfo" not in catalog
    text = text_of(_render())
    assert "the accessible version of this report" in text
    assert "https://register.example/report/" in text.replace(" ", "")


def test_every_page_links_to_raising_a_concern_from_its_footer(client):
    html = client.get(reverse("accounts:home")).content.decode()

    footer = html.split('class="site-footer"')[1]
    assert f'<a href="{reverse("concerns:start")}">Concerns about care workers</a>' in footer
