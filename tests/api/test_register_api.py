"""The public register as JSON: GET /api/v1/register/?q=… and /api/v1/register/<number>/."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from drf_spectacular.generators import SchemaGenerator

from api.throttles import PublicRegisterAnonThrottle, PublicRegisterUserThrottle
from api.views import ENTRY_EXAMPLE, ENTRY_WITH_OUTCOMES_EXAMPLE
from register.models import RegisterEntry
from register.registration_numbers import format_number
from register.selectors import public as public_register
from tests.factories import RegisterEntryFactory

pytestmark = pytest.mark.django_db


def entry_named(full_name: str, town: str = "Leeds", **kwargs) -> RegisterEntry:
    return RegisterEntryFactory(application__legal_name=full_name, application__town=town, **kwargs)


def api_search(client, **params):
    return client.get(reverse("api:register-search"), params)


def test_it_finds_workers_by_name_and_pages_the_results(client, settings):
    settings.REGISTER_PAGE_SIZE = 2
    for first_name in ["Amy", "Beth", "Cara", "Dina", "Evie"]:
        entry_named(f"{first_name} Smith", town="York")
    entry_named("Fay Smith", town="Leeds")

    first = api_search(client, q="smith", town="york").json()
    second = api_search(client, q="smith", town="york", page=2).json()
    third = api_search(client, q="smith", town="york", page=3).json()

    assert (first["count"], first["count_is_capped"]) == (5, False)
    assert [entry["full_name"] for entry in first["results"]] == ["Amy Smith", "Beth Smith"]
    assert first["previous"] is None
    assert first["next"] == "http://testserver/api/v1/register/?page=2&q=smith&town=york"
    assert [entry["full_name"] for entry in second["results"]] == ["Cara Smith", "Dina Smith"]
    assert second["previous"] == "http://testserver/api/v1/register/?q=smith&town=york"
    assert second["next"] == "http://testserver/api/v1/register/?page=3&q=smith&town=york"
    assert [entry["full_name"] for entry in third["results"]] == ["Evie Smith"]
    assert third["next"] is None


def test_each_result_is_the_public_representation(client):
    entry = entry_named("Joanne Smithson")

    data = api_search(client, q="jo smithson").json()

    assert data["results"] == [
        client.get(reverse("api:register-entry", args=[entry.registration_number])).json()
    ]


def test_it_finds_a_worker_by_registration_number(client):
    entry = entry_named("Joanne Smithson")
    entry_named("Joanne Smith")

    data = api_search(client, q=entry.registration_number.lower()).json()

    assert data["count"] == 1
    assert [result["registration_number"] for result in data["results"]] == [
        entry.registration_number
    ]


def test_it_says_which_value_is_wrong_when_a_number_has_a_typo(client):
    entry = entry_named("Joanne Smithson")
    typo = entry.registration_number[:-1] + ("A" if entry.registration_number[-1] != "A" else "B")

    response = api_search(client, q=typo)

    assert response.status_code == 400
    assert response.json() == {
        "error": {
            "status": 400,
            "code": "invalid",
            "message": "Some of the values sent are not valid.",
            "fields": {"q": [f"{typo} is not a valid registration number: check it for typos."]},
        }
    }


def test_a_search_needs_a_query(client):
    response = api_search(client)

    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["q"]


def test_a_page_that_is_not_a_number_is_refused(client):
    response = api_search(client, q="smith", page="two")

    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["page"]


def test_a_very_common_name_has_its_count_capped(client, monkeypatch, settings):
    monkeypatch.setattr(public_register, "COUNT_LIMIT", 3)
    settings.REGISTER_PAGE_SIZE = 2
    for first_name in ["Amy", "Beth", "Cara", "Dina"]:
        entry_named(f"{first_name} Smith")

    data = api_search(client, q="smith", page=2).json()

    assert (data["count"], data["count_is_capped"], data["next"]) == (3, True, None)
    assert [entry["full_name"] for entry in data["results"]] == ["Cara Smith"]


def test_a_worker_who_left_voluntarily_is_neither_found_nor_shown(client):
    gone = entry_named(
        "Vera Leaver",
        status=RegisterEntry.Status.REMOVED,
        removal_kind=RegisterEntry.RemovalKind.VOLUNTARY,
    )

    assert api_search(client, q="leaver").json()["count"] == 0
    response = client.get(reverse("api:register-entry", args=[gone.registration_number]))
    assert response.status_code == 404


def test_a_removed_on_fitness_to_practise_grounds_entry_says_so(client):
    removed = entry_named(
        "Fred Struckoff",
        status=RegisterEntry.Status.REMOVED,
        removal_kind=RegisterEntry.RemovalKind.FITNESS_TO_PRACTISE,
    )

    data = client.get(reverse("api:register-entry", args=[removed.registration_number])).json()

    assert (data["status"], data["removal_kind"]) == (
        "removed",
        "Removed on fitness to practise grounds",
    )


def test_an_entry_can_be_asked_for_in_lower_case_with_dashes(client):
    entry = entry_named("Joanne Smithson")
    number = entry.registration_number

    response = client.get(
        reverse("api:register-entry", args=[f"{number[:5].lower()}-{number[5:].lower()}"])
    )

    assert response.status_code == 200
    assert response.json()["registration_number"] == number


def test_an_unknown_number_is_a_404_in_the_error_format(client):
    response = client.get(reverse("api:register-entry", args=[format_number(9_999_999)]))

    assert response.status_code == 404
    assert response.json() == {
        "error": {
            "status": 404,
            "code": "not_found",
            "message": "No entry on the public register has that registration number.",
            "fields": {},
        }
    }


@pytest.mark.parametrize("persona", ["anonymous", "worker"])
def test_the_api_is_rate_limited(client, request, monkeypatch, persona):
    monkeypatch.setattr(PublicRegisterAnonThrottle, "rate", "2/min")
    monkeypatch.setattr(PublicRegisterUserThrottle, "rate", "2/min")
    if persona != "anonymous":
        client.force_login(request.getfixturevalue(persona))
    entry = entry_named("Joanne Smithson")
    url = reverse("api:register-entry", args=[entry.registration_number])

    statuses = [client.get(url).status_code for _ in range(3)]

    assert statuses == [200, 200, 429]
    error = client.get(url).json()["error"]
    assert (error["status"], error["code"]) == (429, "throttled")


def test_the_real_limit_lets_a_busy_person_through(client):
    entry = entry_named("Joanne Smithson")
    url = reverse("api:register-entry", args=[entry.registration_number])

    statuses = {client.get(url).status_code for _ in range(120)}

    assert statuses == {200}
    assert client.get(url).status_code == 429


def test_the_schema_describes_both_endpoints_without_warnings():
    output = io.StringIO()

    call_command("spectacular", "--validate", "--fail-on-warn", stdout=output)

    schema = output.getvalue()
    assert "/api/v1/register/:" in schema
    assert "/api/v1/register/{registration_number}/:" in schema


def test_the_documented_entry_and_its_outcomes_have_the_keys_the_api_returns(client):
    entry = entry_named("Joanne Smithson")
    returned = client.get(reverse("api:register-entry", args=[entry.registration_number])).json()
    components = SchemaGenerator().get_schema(request=None, public=True)["components"]["schemas"]

    assert set(ENTRY_EXAMPLE) == set(ENTRY_WITH_OUTCOMES_EXAMPLE) == set(returned)
    assert set(components["RegisterEntry"]["properties"]) == set(returned)
    outcome = components["PublicOutcome"]["properties"]
    example = ENTRY_WITH_OUTCOMES_EXAMPLE["warnings"][0]
    assert set(outcome) == set(example) == {"text", "until", "category"}
