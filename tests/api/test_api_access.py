"""Who may call what: every endpoint this issue added, for every persona and method, in one
table. Every error is checked to be in its format: the one API error format, or a FHIR
OperationOutcome on the FHIR endpoint.

403 for an anonymous caller is session authentication's "not signed in" (it has no challenge
to send, so never 401); it comes before the method check, so an anonymous PUT is 403, not 405.
"""

import json

import pytest
import yaml
from django.urls import reverse
from django.utils import timezone
from drf_spectacular.generators import SchemaGenerator

from api.fhir import FhirPractitionerApi
from api.training import OwnTrainingRecordsApi, TrainingRecordRevokeApi, TrainingRecordsApi
from tests.api.conftest import error_of

PERSONAS = ["anonymous", "worker", "provider", "employer", "registrar", "outsider"]
METHODS = ["GET", "POST", "PUT", "DELETE"]

# (endpoint, method) -> expected status per persona, in PERSONAS order.
ACCESS_TABLE = {
    ("training-records", "GET"): [403, 404, 200, 404, 404, 404],
    # Not a member of the provider named in the body: a 400 on the provider field.
    ("training-records", "POST"): [403, 400, 201, 400, 400, 400],
    ("training-records", "PUT"): [403, 405, 405, 405, 405, 405],
    ("training-records", "DELETE"): [403, 405, 405, 405, 405, 405],
    ("training-record-revoke", "GET"): [403, 405, 405, 405, 405, 405],
    # Another provider's record, or any record to a non-member, does not exist.
    ("training-record-revoke", "POST"): [403, 404, 200, 404, 404, 404],
    ("training-record-revoke", "PUT"): [403, 405, 405, 405, 405, 405],
    ("training-record-revoke", "DELETE"): [403, 405, 405, 405, 405, 405],
    # Only the worker is on the register.
    ("own-training-records", "GET"): [403, 200, 404, 404, 404, 404],
    ("own-training-records", "POST"): [403, 405, 405, 405, 405, 405],
    ("own-training-records", "PUT"): [403, 405, 405, 405, 405, 405],
    ("own-training-records", "DELETE"): [403, 405, 405, 405, 405, 405],
    ("fhir-practitioner", "GET"): [200, 200, 200, 200, 200, 200],
    ("fhir-practitioner", "POST"): [405, 405, 405, 405, 405, 405],
    ("fhir-practitioner", "PUT"): [405, 405, 405, 405, 405, 405],
    ("fhir-practitioner", "DELETE"): [405, 405, 405, 405, 405, 405],
    ("docs", "GET"): [200, 200, 200, 200, 200, 200],
    ("docs", "POST"): [405, 405, 405, 405, 405, 405],
    ("docs", "PUT"): [405, 405, 405, 405, 405, 405],
    ("docs", "DELETE"): [405, 405, 405, 405, 405, 405],
    ("index", "GET"): [200, 200, 200, 200, 200, 200],
    ("index", "POST"): [405, 405, 405, 405, 405, 405],
    ("index", "PUT"): [405, 405, 405, 405, 405, 405],
    ("index", "DELETE"): [405, 405, 405, 405, 405, 405],
    ("schema", "GET"): [200, 200, 200, 200, 200, 200],
    ("schema", "POST"): [405, 405, 405, 405, 405, 405],
    ("schema", "PUT"): [405, 405, 405, 405, 405, 405],
    ("schema", "DELETE"): [405, 405, 405, 405, 405, 405],
}


def _request(endpoint, *, entry, record, provider_organisation):
    """The URL and, for a write, a body that would succeed for the right persona."""
    if endpoint == "training-records":
        body = {
            "provider": provider_organisation.pk,
            "registration_number": entry.registration_number,
            "date_of_birth": "1990-05-17",
            "standard": "moving-and-handling",
            "completed_on": timezone.localdate().isoformat(),
        }
        return reverse("api-training-records") + f"?provider={provider_organisation.pk}", body
    if endpoint == "training-record-revoke":
        return reverse("api-training-record-revoke", args=[record.pk]), {"reason": "In error."}
    if endpoint == "fhir-practitioner":
        return reverse("api-fhir-practitioner", args=[entry.registration_number]), {}
    return reverse(f"api-{endpoint}"), {}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("endpoint", "method", "persona", "expected"),
    [
        (endpoint, method, persona, statuses[index])
        for (endpoint, method), statuses in ACCESS_TABLE.items()
        for index, persona in enumerate(PERSONAS)
    ],
)
def test_access_table(
    client,
    request,
    employer,
    entry,
    record,
    provider_organisation,
    endpoint,
    method,
    persona,
    expected,
):
    if persona != "anonymous":
        client.force_login(request.getfixturevalue(persona))
    url, body = _request(
        endpoint, entry=entry, record=record, provider_organisation=provider_organisation
    )

    response = client.generic(method, url, data=json.dumps(body), content_type="application/json")

    assert response.status_code == expected
    if expected >= 400 and endpoint == "fhir-practitioner":
        assert response.json()["resourceType"] == "OperationOutcome"
    elif expected >= 400 and endpoint == "schema":
        # The schema view renders everything, its errors too, as OpenAPI YAML.
        assert set(yaml.safe_load(response.content)["error"]) == {
            "status",
            "code",
            "message",
            "fields",
        }
    elif expected >= 400 and endpoint not in {"docs", "index"}:
        error_of(response)


def test_the_table_covers_every_endpoint_of_the_schema_that_this_issue_added():
    added = {
        "/api/v1/training-records/",
        "/api/v1/training-records/{record_id}/revoke",
        "/api/v1/me/training-records/",
        "/api/v1/fhir/Practitioner/{registration_number}",
    }
    paths = set(SchemaGenerator().get_schema(request=None, public=True)["paths"])

    assert added <= paths
    assert {endpoint for endpoint, _method in ACCESS_TABLE} >= {
        "training-records",
        "training-record-revoke",
        "own-training-records",
        "fhir-practitioner",
    }


def test_each_view_names_the_scope_an_api_key_will_need():
    assert TrainingRecordsApi.required_scope == {"GET": "training:read", "POST": "training:write"}
    assert TrainingRecordRevokeApi.required_scope == "training:write"
    assert OwnTrainingRecordsApi.required_scope == "training:read:own"
    assert FhirPractitionerApi.required_scope == "fhir:read"
