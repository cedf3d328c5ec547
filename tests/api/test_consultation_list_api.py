"""The consultations list over the API: by status (by the clock), what each caller may see,
the estimated time to answer, and a clear 400 for a status that does not exist."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import Organisation
from consultations.models import Consultation
from consultations.services.building import completion_estimate
from employers.services import api_keys
from tests.api.conftest import error_of
from tests.factories import ConsultationFactory

pytestmark = pytest.mark.django_db

PERSONAS = [
    "anonymous",
    "worker",
    "registered_worker",
    "employer",
    "association_admin",
    "other_association_admin",
]
PUBLIC = {
    "open": {"Open to anyone"},
    "scheduled": {"Opens next week"},
    "closed": {"Closed", "Closed by the clock"},
    "analysing": {"Being analysed"},
    "published": {"Outcome out"},
}
EVERY_PUBLIC = set().union(*PUBLIC.values())


def expected(status: str, persona: str) -> set[str]:
    """What each persona is listed for each status: the public ones; the workers-only one for
    the registered worker alone; drafts only to their own association."""
    if status == "draft":
        return {"association_admin": {"Our draft"}, "other_association_admin": {"Their draft"}}.get(
            persona, set()
        )
    titles = set(EVERY_PUBLIC if status == "all" else PUBLIC[status])
    if persona == "registered_worker" and status in {"open", "all"}:
        titles.add("Workers only")
    return titles


@pytest.fixture
def other_association_admin(db):
    from accounts.models import Membership
    from tests.factories import MembershipFactory

    return MembershipFactory(
        user__email="other-association@example.org",
        organisation__name="Managers' Association",
        organisation__kind=Organisation.Kind.ASSOCIATION,
        role=Membership.Role.OWNER,
    ).user


@pytest.fixture
def every_status(association_admin, association, other_association_admin):
    def make(title, status, **details):
        return ConsultationFactory(
            created_by=association_admin,
            organisation=association,
            title=title,
            status=status,
            **details,
        )

    now = timezone.now()
    make("Open to anyone", "open")
    make(
        "Workers only",
        "open",
        audience=Consultation.Audience.REGISTERED_WORKERS,
        allow_anonymous=False,
    )
    make("Opens next week", "scheduled", opens_at=now + timedelta(days=7))
    make("Closed", "closed")
    # Stored as open, but its closing time has passed: the clock says closed.
    by_clock = make("Closed by the clock", "open")
    Consultation.objects.filter(pk=by_clock.pk).update(closes_at=now - timedelta(seconds=1))
    make("Being analysed", "analysing")
    make("Outcome out", "published")
    make("Our draft", "draft")
    ConsultationFactory(
        created_by=other_association_admin,
        organisation=other_association_admin.organisations.get(),
        title="Their draft",
    )


@pytest.mark.parametrize("persona", PERSONAS)
def test_access_table_of_who_is_listed_what_for_each_status(client, request, every_status, persona):
    if persona != "anonymous":
        client.force_login(request.getfixturevalue(persona))

    for status in [*PUBLIC, "all", "draft"]:
        response = client.get(reverse("api:consultations"), {"status": status})

        assert response.status_code == 200
        listed = [item["title"] for item in response.json()["results"]]
        assert len(listed) == len(set(listed)), status
        assert set(listed) == expected(status, persona), status


def test_without_a_status_the_open_ones_are_listed_as_before(client, every_status):
    default = client.get(reverse("api:consultations")).json()["results"]
    blank = client.get(reverse("api:consultations"), {"status": ""}).json()["results"]

    assert [item["title"] for item in default] == ["Open to anyone"]
    assert blank == default


def test_each_listed_status_is_the_clock_s(client, every_status):
    results = client.get(reverse("api:consultations"), {"status": "all"}).json()["results"]

    statuses = {item["title"]: item["status"] for item in results}
    assert statuses == {
        "Open to anyone": "open",
        "Opens next week": "scheduled",
        "Closed": "closed",
        "Closed by the clock": "closed",
        "Being analysed": "analysing",
        "Outcome out": "published",
    }


def test_an_unknown_status_is_a_400_that_names_the_values_allowed(client, every_status):
    response = client.get(reverse("api:consultations"), {"status": "finished"})

    assert response.status_code == 400
    error = error_of(response)
    assert error["code"] == "invalid"
    assert error["fields"] == {
        "status": [
            "There is no status “finished”. Use one of: open, scheduled, closed, analysing, "
            "published, all, draft."
        ]
    }


def test_each_item_carries_the_estimate_the_consultation_s_page_shows(client, consultation):
    listed = client.get(reverse("api:consultations")).json()["results"]
    page = client.get(reverse("consultations:detail", args=[consultation.slug])).content.decode()
    detail = client.get(reverse("api:consultation-detail", args=[consultation.slug])).json()

    estimate = completion_estimate(consultation=consultation)
    assert estimate.minutes == 4
    assert [item["estimated_minutes"] for item in listed] == [4]
    assert detail["estimated_minutes"] == 4
    assert "about 4 minutes" in page


def test_the_estimates_of_a_long_list_cost_the_same_queries_as_a_short_one(
    client, association_admin, association
):
    def queries_for_the_list() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("api:consultations"), {"status": "all"}).status_code == 200
        return len(queries)

    ConsultationFactory(created_by=association_admin, organisation=association, status="open")
    one = queries_for_the_list()
    for number in range(3):
        ConsultationFactory(
            created_by=association_admin,
            organisation=association,
            title=f"Another {number}",
            status="published",
        )

    assert queries_for_the_list() == one


def test_an_api_key_is_refused_whatever_the_status(
    client, every_status, employer, employer_organisation
):
    _api_key, key = api_keys.api_key_create(
        organisation=employer_organisation,
        user=employer,
        name="HR",
        scopes=list(api_keys.ApiKey.Scope.values),
    )

    response = client.get(
        reverse("api:consultations"), {"status": "all"}, HTTP_AUTHORIZATION=f"Bearer {key}"
    )

    assert response.status_code == 403
    assert "API keys cannot be used here" in error_of(response)["message"]


def test_the_consultations_page_shows_the_same_estimate_as_the_api(client, consultation):
    listed = client.get(reverse("api:consultations")).json()["results"]
    page = client.get(reverse("consultations:list")).content.decode()

    assert listed[0]["estimated_minutes"] == 4
    assert "Takes about 4 minutes to answer." in page
