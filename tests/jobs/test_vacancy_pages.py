"""The employer's vacancy pages (list, write, questions, check and publish, filled, withdraw)
and the public vacancy page: who may open each, and what each does with what is typed."""

import datetime
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from core.models import AuditEvent
from employers.services.verification import employer_verification_withdraw
from jobs.models import Vacancy
from jobs.services.vacancies import vacancy_publish
from tests.factories import (
    JobApplicationFactory,
    MembershipFactory,
    OrganisationFactory,
    PathwayRoleFactory,
    VacancyFactory,
    places_leeds,
)

pytestmark = pytest.mark.django_db

Status = Vacancy.Status
PEOPLE = ["anonymous", "outsider", "worker", "employer", "employer_member", "other_employer"]
PEOPLE += ["registrar"]


@pytest.fixture
def other_employer(db):
    """The owner of another verified employer."""
    return MembershipFactory(
        user__email="other-employer@example.org",
        organisation=OrganisationFactory(name="Elsewhere Care"),
        role="owner",
    ).user


@pytest.fixture
def vacancy(employer, employer_organisation):
    """A complete draft of the employer's, ready to publish."""
    return VacancyFactory(organisation=employer_organisation, created_by=employer)


@pytest.fixture
def published(vacancy, employer):
    return vacancy_publish(vacancy=vacancy, user=employer)


def _client(request, client, who):
    if who != "anonymous":
        client.force_login(request.getfixturevalue(who))
    return client


def _url(name: str, vacancy: Vacancy) -> str:
    return reverse(
        f"jobs:{name}",
        kwargs={"organisation_pk": vacancy.organisation_id, "reference": vacancy.reference},
    )


# --- Who opens what ---------------------------------------------------------------------------

EMPLOYER_ONLY = "302 404 404 200 200 404 404"


@pytest.mark.parametrize(
    "name, expected",
    [
        ("employer-vacancies", EMPLOYER_ONLY),
        ("vacancy-new", EMPLOYER_ONLY),
        ("vacancy-edit", EMPLOYER_ONLY),
        ("vacancy-questions", EMPLOYER_ONLY),
        ("vacancy-publish", EMPLOYER_ONLY),
        ("vacancy-filled", EMPLOYER_ONLY),
        ("vacancy-withdraw", EMPLOYER_ONLY),
    ],
)
def test_only_the_employers_members_open_its_vacancy_pages(
    request, client, vacancy, name, expected
):
    if name in ("employer-vacancies", "vacancy-new"):
        url = reverse(f"jobs:{name}", kwargs={"organisation_pk": vacancy.organisation_id})
    else:
        url = _url(name, vacancy)
    observed = []
    for who in PEOPLE:
        client.logout()
        observed.append(str(_client(request, client, who).get(url).status_code))

    assert " ".join(observed) == expected


@pytest.mark.parametrize(
    "status, expected",
    [
        (Status.PUBLISHED, "200 200 200 200 200 200 200"),
        (Status.CLOSED, "200 200 200 200 200 200 200"),
        (Status.FILLED, "200 200 200 200 200 200 200"),
        (Status.DRAFT, "404 404 404 200 200 404 404"),
        (Status.WITHDRAWN, "404 404 404 200 200 404 404"),
    ],
)
def test_the_vacancy_page_is_public_once_published_and_a_preview_otherwise(
    request, client, employer_organisation, employer, status, expected
):
    vacancy = VacancyFactory(organisation=employer_organisation, created_by=employer, status=status)
    url = reverse("jobs:vacancy", kwargs={"reference": vacancy.reference})
    observed = []
    for who in PEOPLE:
        client.logout()
        observed.append(str(_client(request, client, who).get(url).status_code))

    assert " ".join(observed) == expected


def test_a_reference_that_names_no_vacancy_is_not_found(client):
    assert client.get("/jobs/ABCDEFGHJK/").status_code == 404


@pytest.mark.parametrize(
    "name", ["vacancy-edit", "vacancy-questions", "vacancy-publish", "vacancy-withdraw"]
)
def test_a_member_of_the_employer_cannot_reach_a_vacancy_through_another_organisation(
    client, vacancy, other_employer, employer, name
):
    """The organisation in the address must be the vacancy's own."""
    other_organisation = other_employer.organisations.get()
    MembershipFactory(user=employer, organisation=other_organisation, role="member")
    client.force_login(employer)
    url = reverse(
        f"jobs:{name}",
        kwargs={"organisation_pk": other_organisation.pk, "reference": vacancy.reference},
    )

    assert client.get(url).status_code == 404


# --- The public page --------------------------------------------------------------------------


def _position(html: str, text: str) -> int:
    index = html.find(text)
    assert index >= 0, f"{text!r} is not on the page"
    return index


def test_the_public_page_shows_the_terms_before_the_description(client, employer_organisation):
    vacancy = VacancyFactory(
        organisation=employer_organisation,
        status=Status.PUBLISHED,
        home_care=True,
        contract=Vacancy.Contract.NO_GUARANTEED_HOURS,
        guaranteed_hours=Decimal("0"),
        typical_hours=Decimal("25"),
        dbs_paid_by=Vacancy.DbsPaidBy.EMPLOYER_IF_YOU_STAY,
        dbs_stay_months=12,
        visa_sponsorship=Vacancy.VisaSponsorship.IN_COUNTRY_SWITCH,
        pathway_role=PathwayRoleFactory(code="own", title="Care worker (own)"),
        description="Visit people in their homes around Leeds.",
    )

    html = client.get(f"/jobs/{vacancy.reference}/").content.decode()

    terms = [
        "£15.00 an hour paid, about £12.85 an hour once unpaid travel between visits is counted",
        "No guaranteed hours",
        "No hours a week are guaranteed, typically 25 hours a week",
        "Days and weekends, 12-hour shifts",
        "A driving licence and a car are needed. Mileage is paid at 30p a mile",
        "Unpaid: about 10 minutes of unpaid travel for every paid hour",
        "Statutory Sick Pay only",
        "The employer pays for your DBS check if you stay at least 12 months.",
        "In-country switch only",
        "A paid trial is offered",
        "Applications close at the end of",
        "Sunrise House, 1 High Street, Leeds LS1 4AP",
        "Home care",
        "Care worker (own)",
    ]
    positions = [_position(html, term) for term in terms]
    description = _position(html, "Visit people in their homes around Leeds.")
    safeguarding = _position(html, "We are committed to safeguarding the adults we support.")
    assert max(positions) < description < safeguarding
    assert f'href="/jobs/{vacancy.reference}/apply/"' in html
    assert f'href="/jobs/{vacancy.reference}/questions/new/"' in html


@pytest.mark.parametrize(
    "status, says",
    [
        (Status.CLOSED, "This vacancy closed at the end of"),
        (Status.FILLED, "This vacancy has been filled."),
    ],
)
def test_a_closed_or_filled_vacancy_says_so_and_offers_no_apply_button(
    client, employer_organisation, status, says
):
    vacancy = VacancyFactory(organisation=employer_organisation, status=status)

    html = client.get(f"/jobs/{vacancy.reference}/").content.decode()

    assert says in html
    assert "/apply/" not in html
    assert "/questions/new/" not in html


def test_a_published_vacancy_past_its_closing_date_takes_no_applications_before_the_clock_runs(
    client, employer_organisation
):
    vacancy = VacancyFactory(
        organisation=employer_organisation,
        status=Status.PUBLISHED,
        closing_date=timezone.localdate() - datetime.timedelta(days=1),
    )

    html = client.get(f"/jobs/{vacancy.reference}/").content.decode()

    assert "This vacancy closed at the end of" in html
    assert "/apply/" not in html


def test_a_member_sees_a_draft_with_a_preview_banner_and_no_apply_button(
    client, vacancy, employer_member
):
    client.force_login(employer_member)

    response = client.get(f"/jobs/{vacancy.reference}/")

    html = response.content.decode()
    assert "This vacancy is a draft: only members of Sunrise Care Homes can see this page." in html
    assert "/apply/" not in html
    assert "no-store" in response["Cache-Control"]


# --- Writing a vacancy ------------------------------------------------------------------------


def _form(**overrides) -> dict:
    """A complete home care vacancy, as the form sends it."""
    closing = timezone.localdate() + datetime.timedelta(days=20)
    start = closing + datetime.timedelta(days=14)
    data = {
        "title": "Home care worker",
        "pathway_role": "",
        "setting": "home_care",
        "workplace_name": "Leeds North rounds",
        "address_line": "2 Park Row",
        "town": "Leeds",
        "postcode": "ls1 5ab",
        "pay_kind": "hourly",
        "pay_amount": "13.50",
        "pay_amount_to": "",
        "contract": "permanent",
        "guaranteed_hours": "20",
        "typical_hours": "30",
        "shifts": ["works_days", "works_weekends"],
        "shift_length_hours": "8",
        "driving_needed": "True",
        "mileage_pence_per_mile": "45",
        "travel_time_paid": "False",
        "unpaid_travel_minutes_per_hour": "15",
        "sick_pay_beyond_statutory": "False",
        "sick_pay_details": "",
        "dbs_paid_by": "employer",
        "dbs_stay_months": "",
        "visa_sponsorship": "none",
        "paid_trial_offered": "True",
        "closing_date_0": str(closing.day),
        "closing_date_1": str(closing.month),
        "closing_date_2": str(closing.year),
        "start_date_0": str(start.day),
        "start_date_1": str(start.month),
        "start_date_2": str(start.year),
        "description": "Visit people at home.",
        "safeguarding_commitment": "We keep people safe.",
    }
    data.update(overrides)
    return data


def test_a_member_writes_a_draft_with_some_terms(client, employer_member, employer_organisation):
    client.force_login(employer_member)

    response = client.post(
        reverse("jobs:vacancy-new", kwargs={"organisation_pk": employer_organisation.pk}),
        {"title": "Night carer", "postcode": "ls14ap", "save": "1"},
    )

    vacancy = Vacancy.objects.get()
    assert response.status_code == 302
    assert response["Location"] == _url("vacancy-edit", vacancy)
    assert (vacancy.status, vacancy.title, vacancy.postcode) == ("draft", "Night carer", "LS1 4AP")
    assert vacancy.driving_needed is None
    assert (vacancy.works_days, vacancy.works_nights) == (False, False)
    assert AuditEvent.objects.filter(action="jobs.vacancy.created").count() == 1


def test_a_complete_vacancy_is_saved_with_every_term_and_goes_on_to_the_preview(
    client, employer, employer_organisation
):
    role = PathwayRoleFactory(code="own-role", title="Own role")
    # The workplace is placed on the map from Leeds: with no places loaded the preview would
    # refuse the postcode first, and this test passed only after another had loaded them.
    places_leeds()
    client.force_login(employer)

    response = client.post(
        reverse("jobs:vacancy-new", kwargs={"organisation_pk": employer_organisation.pk}),
        _form(pathway_role=str(role.pk), preview="1"),
    )

    vacancy = Vacancy.objects.get()
    assert response["Location"] == _url("vacancy-publish", vacancy)
    assert vacancy.pathway_role == role
    assert vacancy.pay_amount == Decimal("13.50")
    assert vacancy.driving_needed is True and vacancy.travel_time_paid is False
    assert vacancy.unpaid_travel_minutes_per_hour == 15
    assert (vacancy.works_days, vacancy.works_nights, vacancy.works_weekends) == (
        True,
        False,
        True,
    )
    assert vacancy.closing_date == timezone.localdate() + datetime.timedelta(days=20)

    preview = client.get(response["Location"]).content.decode()
    # 13.50 × 60 / 75 = 10.80, below every pay floor: refused in plain words, linked to pay.
    assert "£13.50 an hour paid, about £10.80 an hour once unpaid travel" in preview
    assert "You cannot publish this vacancy yet" in preview
    assert "the effective hourly rate is £10.80, below the National Living Wage" in preview
    assert f'href="{_url("vacancy-edit", vacancy)}#id_pay_amount"' in preview
    assert "Publish the vacancy</button>" not in preview


def test_terms_that_do_not_fit_together_are_refused_next_to_their_fields(
    client, employer, employer_organisation
):
    client.force_login(employer)

    response = client.post(
        reverse("jobs:vacancy-new", kwargs={"organisation_pk": employer_organisation.pk}),
        _form(contract="no_guaranteed_hours", guaranteed_hours="10", typical_hours="5"),
    )

    assert response.status_code == 400
    html = response.content.decode()
    assert "A contract with &quot;no guaranteed hours&quot; guarantees 0 hours a week." in html
    assert 'href="#id_guaranteed_hours"' in html
    assert "Nothing has been saved yet." in html
    assert not Vacancy.objects.exists()


def test_a_date_that_is_not_real_is_refused_and_nothing_saved(
    client, employer, employer_organisation
):
    client.force_login(employer)

    response = client.post(
        reverse("jobs:vacancy-new", kwargs={"organisation_pk": employer_organisation.pk}),
        _form(closing_date_0="31", closing_date_1="2"),
    )

    assert response.status_code == 400
    assert "Closing date must be a real date" in response.content.decode()
    assert not Vacancy.objects.exists()


def test_an_unverified_employer_is_told_it_cannot_write_vacancies(
    client, employer, employer_organisation, registrar
):
    employer_verification_withdraw(organisation=employer_organisation, registrar=registrar)
    client.force_login(employer)

    url = reverse("jobs:vacancy-new", kwargs={"organisation_pk": employer_organisation.pk})
    response = client.post(url, _form())

    assert response.status_code == 403
    assert "is waiting for verification" in response.content.decode()
    assert not Vacancy.objects.exists()


def test_editing_a_draft_changes_it(client, vacancy, employer):
    client.force_login(employer)
    page = client.get(_url("vacancy-edit", vacancy)).content.decode()
    assert 'value="Care assistant"' in page

    data = _form(title="Senior carer", setting="care_home", travel_time_paid="")
    data["unpaid_travel_minutes_per_hour"] = ""
    response = client.post(_url("vacancy-edit", vacancy), data)

    assert response.status_code == 302
    vacancy.refresh_from_db()
    assert vacancy.title == "Senior carer"


def test_a_published_vacancy_cannot_be_changed_to_break_a_rule(client, published, employer):
    client.force_login(employer)
    data = _form(
        pathway_role=str(published.pathway_role_id),
        setting="care_home",
        travel_time_paid="",
        unpaid_travel_minutes_per_hour="",
    )

    response = client.post(_url("vacancy-edit", published), {**data, "pay_amount": "9.00"})

    assert response.status_code == 400
    assert "is below the National Living Wage" in response.content.decode()
    published.refresh_from_db()
    assert published.pay_amount == Decimal("13.00")


# --- Publishing -------------------------------------------------------------------------------


def test_a_complete_draft_is_previewed_and_published(client, vacancy, employer):
    client.force_login(employer)
    preview = client.get(_url("vacancy-publish", vacancy)).content.decode()
    assert "You cannot publish" not in preview
    assert "Publish the vacancy</button>" in preview

    response = client.post(_url("vacancy-publish", vacancy))

    assert response["Location"] == f"/jobs/{vacancy.reference}/"
    vacancy.refresh_from_db()
    assert vacancy.status == Status.PUBLISHED
    assert AuditEvent.objects.filter(action="jobs.vacancy.published").count() == 1


def test_publishing_an_incomplete_draft_is_refused_with_every_missing_term(
    client, employer, employer_organisation
):
    vacancy = Vacancy.objects.create(
        organisation=employer_organisation, created_by=employer, title="Carer"
    )
    client.force_login(employer)

    response = client.post(_url("vacancy-publish", vacancy))

    assert response.status_code == 400
    html = response.content.decode()
    assert "Choose the setting." in html
    assert "Say whether the shifts are in the day, at night or both." in html
    assert f"{_url('vacancy-edit', vacancy)}#id_shifts_0" in html
    assert f"{_url('vacancy-edit', vacancy)}#id_closing_date_0" in html
    vacancy.refresh_from_db()
    assert vacancy.status == Status.DRAFT


# --- Questions --------------------------------------------------------------------------------


def test_the_employer_sets_questions_and_an_empty_box_is_no_question(client, vacancy, employer):
    client.force_login(employer)

    response = client.post(
        _url("vacancy-questions", vacancy),
        {"question_1": "Do you have a car?", "question_2": "", "question_3": "Can you drive?"},
    )

    assert response.status_code == 302
    assert list(vacancy.questions.values_list("text", flat=True)) == [
        "Do you have a car?",
        "Can you drive?",
    ]


def test_questions_cannot_be_changed_once_someone_applied(client, published, employer):
    JobApplicationFactory(vacancy=published)
    client.force_login(employer)

    page = client.get(_url("vacancy-questions", published)).content.decode()
    response = client.post(_url("vacancy-questions", published), {"question_1": "New?"})

    assert "Someone has already applied" in page
    assert response.status_code == 400
    assert not published.questions.exists()


# --- Filled and withdrawn ---------------------------------------------------------------------


def test_withdrawing_asks_first_then_withdraws(client, published, employer):
    client.force_login(employer)
    page = client.get(_url("vacancy-withdraw", published)).content.decode()
    assert "Withdraw the vacancy" in page
    published.refresh_from_db()
    assert published.status == Status.PUBLISHED

    response = client.post(_url("vacancy-withdraw", published))

    assert response.status_code == 302
    published.refresh_from_db()
    assert published.status == Status.WITHDRAWN
    assert client.get(f"/jobs/{published.reference}/").status_code == 200
    client.logout()
    assert client.get(f"/jobs/{published.reference}/").status_code == 404


def test_marking_as_filled_is_allowed_to_an_unverified_employer(
    client, published, employer, employer_organisation, registrar
):
    # Withdrawing the verification withdraws the published vacancy; a closed one stays.
    Vacancy.objects.filter(pk=published.pk).update(status=Status.CLOSED)
    employer_verification_withdraw(organisation=employer_organisation, registrar=registrar)
    client.force_login(employer)

    response = client.post(_url("vacancy-filled", published))

    assert response.status_code == 302
    published.refresh_from_db()
    assert published.status == Status.FILLED


def test_a_filled_vacancy_cannot_be_withdrawn(client, employer, employer_organisation):
    vacancy = VacancyFactory(
        organisation=employer_organisation, created_by=employer, status=Status.FILLED
    )
    client.force_login(employer)

    page = client.get(_url("vacancy-withdraw", vacancy)).content.decode()
    response = client.post(_url("vacancy-withdraw", vacancy))

    assert "This vacancy is filled, so it cannot be withdrawn." in page
    assert response.status_code == 400
    vacancy.refresh_from_db()
    assert vacancy.status == Status.FILLED


# --- The employer's list ----------------------------------------------------------------------


def test_the_list_groups_vacancies_by_status_with_application_counts(
    client, employer, employer_organisation
):
    published = VacancyFactory(
        organisation=employer_organisation, status=Status.PUBLISHED, title="Night carer"
    )
    JobApplicationFactory.create_batch(3, vacancy=published)
    VacancyFactory(organisation=employer_organisation, title="Day carer")
    VacancyFactory(title="Somebody else's")
    client.force_login(employer)

    html = client.get(
        reverse("jobs:employer-vacancies", kwargs={"organisation_pk": employer_organisation.pk})
    ).content.decode()

    assert "Draft (1)" in html and "Published (1)" in html
    assert "Closed (" not in html
    row = re.search(r"<tr>\s*<td data-label=\"Vacancy\"><a[^>]*>Night carer.*?</tr>", html, re.S)
    pipeline = reverse("jobs:pipeline", kwargs={"reference": published.reference})
    assert f'<td data-label="Applications"><a href="{pipeline}">3<' in row.group(0)
    assert "Somebody else" not in html


def test_the_organisation_page_links_to_the_vacancies(client, employer, employer_organisation):
    client.force_login(employer)

    html = client.get(
        reverse("accounts:organisation-detail", kwargs={"pk": employer_organisation.pk})
    ).content.decode()

    url = reverse("jobs:employer-vacancies", kwargs={"organisation_pk": employer_organisation.pk})
    assert f'<a href="{url}">Vacancies</a>' in html


def test_a_new_vacancy_starts_with_a_safeguarding_commitment_to_make_its_own(
    client, employer, employer_organisation
):
    client.force_login(employer)

    html = client.get(
        reverse("jobs:vacancy-new", kwargs={"organisation_pk": employer_organisation.pk})
    ).content.decode()

    assert "We are committed to safeguarding the adults we support." in html
