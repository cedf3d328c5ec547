"""The vacancies API: the same search as /jobs/, one vacancy, and an employer's key writing
drafts, changing and publishing them through the same services as the pages."""

from decimal import Decimal

import pytest
from django.utils import timezone

from core.models import AuditEvent
from employers.services import api_keys
from jobs.models import Vacancy
from tests.api.conftest import error_of
from tests.factories import MembershipFactory, OrganisationFactory, VacancyFactory, places_leeds

pytestmark = pytest.mark.django_db

Status = Vacancy.Status


@pytest.fixture(autouse=True)
def _places():
    places_leeds()


def bearer(organisation, user, scopes=("vacancies:write",)) -> dict:
    _key, full = api_keys.api_key_create(
        organisation=organisation, user=user, name="Jobs board", scopes=list(scopes)
    )
    return {"HTTP_AUTHORIZATION": f"Bearer {full}"}


@pytest.fixture
def key(employer, employer_organisation):
    return bearer(employer_organisation, employer)


@pytest.fixture
def other_key(db):
    owner = MembershipFactory(organisation=OrganisationFactory(name="Elsewhere Care"), role="owner")
    return bearer(owner.organisation, owner.user)


def test_the_search_takes_the_pages_parameters_and_gives_distance_and_terms(client):
    near = VacancyFactory(status=Status.PUBLISHED, home_care=True, title="Home carer")
    VacancyFactory(status=Status.PUBLISHED, title="Far", latitude=51.5, longitude=-0.12)

    response = client.get(
        "/api/v1/vacancies/", {"where": "LS1", "miles": "25", "contract": "permanent"}
    )

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    (result,) = body["results"]
    assert result["reference"] == near.reference
    assert result["distance_miles"] == 0.0
    assert result["pay"]["hourly_rate"] == "12.85"
    assert result["pay"]["unpaid_travel_minutes_per_hour"] == 10
    assert result["contract_label"] == "Permanent"
    assert result["page"] == f"http://testserver/jobs/{near.reference}/"


def test_a_bad_search_is_an_error_per_field(client):
    response = client.get("/api/v1/vacancies/", {"where": "Atlantis", "miles": "7"})

    error = error_of(response)
    assert response.status_code == 400
    assert error["fields"] == {
        "where": ["We could not find Atlantis. Try a full postcode or a town name."],
        "miles": ["Choose a distance of 5, 10, 25 or 50 miles."],
    }


def test_a_page_past_the_last_is_refused(client):
    response = client.get("/api/v1/vacancies/", {"page": "3"})

    assert response.status_code == 400
    assert error_of(response)["fields"] == {"page": ["Choose a page from 1 to 1."]}


@pytest.mark.parametrize("status", [Status.PUBLISHED, Status.CLOSED, Status.FILLED])
def test_an_advertised_vacancy_is_open_to_anyone(client, status):
    vacancy = VacancyFactory(status=status)

    response = client.get(f"/api/v1/vacancies/{vacancy.reference.lower()}/")

    assert response.status_code == 200
    assert response.json()["status"] == status


@pytest.mark.parametrize("status", [Status.DRAFT, Status.WITHDRAWN])
def test_a_draft_is_its_employers_alone(
    client, key, other_key, employer, employer_organisation, status
):
    vacancy = VacancyFactory(organisation=employer_organisation, created_by=employer, status=status)
    url = f"/api/v1/vacancies/{vacancy.reference}/"

    assert client.get(url).status_code == 404
    assert client.get(url, **other_key).status_code == 404
    assert client.get(url, **key).status_code == 200


def test_a_key_creates_a_draft_for_its_organisation(client, key, employer, employer_organisation):
    response = client.post(
        "/api/v1/vacancies/",
        {"title": "Night carer", "postcode": "ls1 4ap", "pathway_role": None},
        content_type="application/json",
        **key,
    )

    assert response.status_code == 201, response.content
    vacancy = Vacancy.objects.get(reference=response.json()["reference"])
    assert (vacancy.organisation, vacancy.created_by, vacancy.status) == (
        employer_organisation,
        employer,
        Status.DRAFT,
    )
    assert vacancy.postcode == "LS1 4AP"
    assert AuditEvent.objects.filter(
        action="jobs.vacancy.created", target_id=str(vacancy.pk)
    ).exists()


def test_terms_that_do_not_fit_are_refused_field_by_field_and_nothing_is_made(client, key):
    response = client.post(
        "/api/v1/vacancies/",
        {"guaranteed_hours": "40", "typical_hours": "20", "postcode": "nope"},
        content_type="application/json",
        **key,
    )

    assert response.status_code == 400
    assert error_of(response)["fields"] == {"postcode": ["Enter a real UK postcode, like LS1 4AP."]}
    response = client.post(
        "/api/v1/vacancies/",
        {"guaranteed_hours": "40", "typical_hours": "20"},
        content_type="application/json",
        **key,
    )
    assert error_of(response)["fields"] == {
        "guaranteed_hours": ["The guaranteed hours cannot be more than the typical hours a week."]
    }
    assert not Vacancy.objects.exists()


def test_a_key_changes_and_publishes_its_own_vacancy(client, key, employer, employer_organisation):
    vacancy = VacancyFactory(organisation=employer_organisation, created_by=employer)
    url = f"/api/v1/vacancies/{vacancy.reference}/"

    changed = client.patch(url, {"pay_amount": "14.50"}, content_type="application/json", **key)
    published = client.post(url + "publish", **key)

    assert changed.status_code == 200
    assert changed.json()["pay"]["hourly_rate"] == "14.50"
    assert published.status_code == 200
    assert published.json()["status"] == Status.PUBLISHED
    vacancy.refresh_from_db()
    assert vacancy.status == Status.PUBLISHED
    assert vacancy.published_at <= timezone.now()


def test_pay_below_the_floor_is_refused_on_its_field(client, key, employer, employer_organisation):
    vacancy = VacancyFactory(
        organisation=employer_organisation, created_by=employer, pay_amount=Decimal("9.00")
    )

    response = client.post(f"/api/v1/vacancies/{vacancy.reference}/publish", **key)

    assert response.status_code == 400
    assert list(error_of(response)["fields"]) == ["pay_amount"]


def test_publishing_twice_is_a_conflict(client, key, employer, employer_organisation):
    vacancy = VacancyFactory(
        organisation=employer_organisation, created_by=employer, status=Status.PUBLISHED
    )

    response = client.post(f"/api/v1/vacancies/{vacancy.reference}/publish", **key)

    assert response.status_code == 409
    assert "Only a draft can" in error_of(response)["message"]


def test_another_organisations_key_gets_a_404(client, other_key, employer, employer_organisation):
    vacancy = VacancyFactory(
        organisation=employer_organisation, created_by=employer, status=Status.PUBLISHED
    )
    url = f"/api/v1/vacancies/{vacancy.reference}/"

    assert (
        client.patch(
            url, {"title": "Mine"}, content_type="application/json", **other_key
        ).status_code
        == 404
    )
    assert client.post(url + "publish", **other_key).status_code == 404
    vacancy.refresh_from_db()
    assert vacancy.title == "Care assistant"


def test_a_key_without_the_scope_is_refused(client, employer, employer_organisation):
    key = bearer(employer_organisation, employer, scopes=["staff:read"])

    response = client.post("/api/v1/vacancies/", {}, content_type="application/json", **key)

    assert response.status_code == 403
    assert "vacancies:write" in error_of(response)["message"]


def test_a_person_signed_in_writes_on_the_pages_not_the_api(client, employer):
    client.force_login(employer)

    response = client.post("/api/v1/vacancies/", {}, content_type="application/json")

    assert response.status_code == 403
    assert "jobs pages" in error_of(response)["message"]
