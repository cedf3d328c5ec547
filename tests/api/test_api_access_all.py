"""Who may call what: EVERY API endpoint, for every persona and method, in one table.

Personas: people signed in with a session, and three API keys. "key" holds the scopes the
endpoint names (from the organisation that fits it: the provider for training records, the
employer otherwise; every scope where the endpoint names none, which it still refuses),
"wrong key" holds only a scope the endpoint does not name, and "revoked key" is the first
key, revoked. Every error is checked to be in its format: the one API error format, or a FHIR
OperationOutcome on the FHIR endpoint.

How to read a row: the authentication and permission checks come before the method check, so
a PUT to an endpoint that needs a signed-in caller is 401 without one, a key's PUT is 403 where
the endpoint names no scope for PUT, and 405 only for callers who got past both.
"""

import json
from dataclasses import dataclass

import pytest
import yaml
from django.urls import reverse
from drf_spectacular.generators import SchemaGenerator

from api.scopes import SCOPES
from consultations.services.outcome import consultation_publish_outcome
from employers.services import api_keys, sharecodes
from jobs.models import Vacancy
from tests.api.conftest import consultation_response_body, error_of, put_on_staff_list
from tests.factories import (
    ConsultationFactory,
    ResponseFactory,
    VacancyFactory,
    close_by_the_clock,
    places_leeds,
    start_analysis,
)

PERSONAS = [
    "anonymous",
    "worker",
    "employer_member",
    "provider",
    "registrar",
    "association_admin",
    "key",
    "wrong_key",
    "revoked_key",
]
METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"]


def row(*statuses):
    assert len(statuses) == len(PERSONAS)
    return dict(zip(PERSONAS, statuses, strict=True))


# Endpoints open to anyone, and what keys get there.
OPEN_GET = row(200, 200, 200, 200, 200, 200, 200, 403, 401)
OPEN_OTHER = row(405, 405, 405, 405, 405, 405, 405, 403, 401)
# Open to anyone, closed to keys (no scope named).
NO_KEYS_GET = row(200, 200, 200, 200, 200, 200, 403, 403, 401)
NO_KEYS_OTHER = row(405, 405, 405, 405, 405, 405, 403, 403, 401)
# Keys only: a session is not read, so every person is a caller without credentials.
KEYS_ONLY = {
    status: row(401, 401, 401, 401, 401, 401, status, 403, 401)
    for status in (200, 201, 204, 403, 405)
}
# Writing vacancies: with an employer's key only; a session is read, and refused.
VACANCY_WRITES = {
    status: row(401, 403, 403, 403, 403, 403, status, 403, 401) for status in (200, 403, 405)
}
# For people's pages: no credentials are read at all.
DOCS_GET = row(*[200] * len(PERSONAS))
DOCS_OTHER = row(*[405] * len(PERSONAS))

ACCESS_TABLE = {
    ("register-search", "GET"): OPEN_GET,
    **{("register-search", m): OPEN_OTHER for m in ("POST", "PUT", "PATCH", "DELETE")},
    ("register-entry", "GET"): OPEN_GET,
    **{("register-entry", m): OPEN_OTHER for m in ("POST", "PUT", "PATCH", "DELETE")},
    # The key is the employer's; training is shown only for its staff, but reading is open.
    ("fhir-practitioner", "GET"): OPEN_GET,
    **{("fhir-practitioner", m): OPEN_OTHER for m in ("POST", "PUT", "PATCH", "DELETE")},
    # A verdict is a 200, even for a token that is not a passport.
    ("passports-verify", "POST"): OPEN_GET,
    **{("passports-verify", m): OPEN_OTHER for m in ("GET", "PUT", "PATCH", "DELETE")},
    ("share-codes-check", "POST"): KEYS_ONLY[200],
    **{("share-codes-check", m): KEYS_ONLY[405] for m in ("GET", "PUT", "PATCH", "DELETE")},
    ("staff-list", "GET"): KEYS_ONLY[200],
    ("staff-list", "POST"): KEYS_ONLY[201],
    **{("staff-list", m): KEYS_ONLY[403] for m in ("PUT", "PATCH", "DELETE")},
    ("staff-member", "GET"): KEYS_ONLY[200],
    ("staff-member", "DELETE"): KEYS_ONLY[204],
    **{("staff-member", m): KEYS_ONLY[403] for m in ("POST", "PUT", "PATCH")},
    # Anyone but the provider's members is told the provider does not exist (or, named in the
    # body, that they do not record for it).
    ("training-records", "GET"): row(401, 404, 404, 200, 404, 404, 200, 403, 401),
    ("training-records", "POST"): row(401, 400, 400, 201, 400, 400, 201, 403, 401),
    **{
        ("training-records", m): row(401, 405, 405, 405, 405, 405, 403, 403, 401)
        for m in ("PUT", "PATCH", "DELETE")
    },
    ("training-record-revoke", "POST"): row(401, 404, 404, 200, 404, 404, 200, 403, 401),
    **{
        ("training-record-revoke", m): row(401, 405, 405, 405, 405, 405, 405, 403, 401)
        for m in ("GET", "PUT", "PATCH", "DELETE")
    },
    # Only the worker is on the register; no key has training of its own.
    ("own-training-records", "GET"): row(401, 200, 404, 404, 404, 404, 403, 403, 401),
    **{
        ("own-training-records", m): row(401, 405, 405, 405, 405, 405, 403, 403, 401)
        for m in ("POST", "PUT", "PATCH", "DELETE")
    },
    ("consultations", "GET"): NO_KEYS_GET,
    **{("consultations", m): NO_KEYS_OTHER for m in ("POST", "PUT", "PATCH", "DELETE")},
    ("consultation-detail", "GET"): NO_KEYS_GET,
    **{("consultation-detail", m): NO_KEYS_OTHER for m in ("POST", "PUT", "PATCH", "DELETE")},
    # Open to anyone, so each person's first response is stored; no key may answer.
    ("consultation-responses", "POST"): row(201, 201, 201, 201, 201, 201, 403, 403, 401),
    **{("consultation-responses", m): NO_KEYS_OTHER for m in ("GET", "PUT", "PATCH", "DELETE")},
    ("consultation-results", "GET"): NO_KEYS_GET,
    **{("consultation-results", m): NO_KEYS_OTHER for m in ("POST", "PUT", "PATCH", "DELETE")},
    # Vacancies (issue 20, search): the search and an advertised vacancy are open to anyone;
    # writing needs an employer's key with vacancies:write (a person writes on the pages), so
    # any other method is refused before it is found not to exist.
    ("vacancies", "GET"): OPEN_GET,
    ("vacancies", "POST"): row(401, 403, 403, 403, 403, 403, 201, 403, 401),
    **{("vacancies", m): VACANCY_WRITES[405] for m in ("PUT", "PATCH", "DELETE")},
    ("vacancy", "GET"): OPEN_GET,
    ("vacancy", "PATCH"): VACANCY_WRITES[200],
    **{("vacancy", m): VACANCY_WRITES[405] for m in ("POST", "PUT", "DELETE")},
    ("vacancy-publish", "POST"): VACANCY_WRITES[200],
    ("vacancy-publish", "GET"): row(405, 405, 405, 405, 405, 405, 403, 403, 401),
    **{("vacancy-publish", m): VACANCY_WRITES[403] for m in ("PUT", "PATCH", "DELETE")},
    ("docs", "GET"): DOCS_GET,
    ("index", "GET"): DOCS_GET,
    ("schema", "GET"): DOCS_GET,
    **{(page, m): DOCS_OTHER for page in ("docs", "index", "schema") for m in METHODS[1:]},
}

# The schema's path for each endpoint of the table.
PATHS = {
    "register-search": "/api/v1/register/",
    "register-entry": "/api/v1/register/{registration_number}/",
    "fhir-practitioner": "/api/v1/fhir/Practitioner/{registration_number}",
    "passports-verify": "/api/v1/passports/verify",
    "share-codes-check": "/api/v1/share-codes/check",
    "staff-list": "/api/v1/staff/",
    "staff-member": "/api/v1/staff/{registration_number}/",
    "training-records": "/api/v1/training-records/",
    "training-record-revoke": "/api/v1/training-records/{record_id}/revoke",
    "own-training-records": "/api/v1/me/training-records/",
    "consultations": "/api/v1/consultations/",
    "consultation-detail": "/api/v1/consultations/{slug}/",
    "consultation-responses": "/api/v1/consultations/{slug}/responses",
    "consultation-results": "/api/v1/consultations/{slug}/results",
    "vacancies": "/api/v1/vacancies/",
    "vacancy": "/api/v1/vacancies/{reference}/",
    "vacancy-publish": "/api/v1/vacancies/{reference}/publish",
    "schema": "/api/v1/schema/",
}

# The scopes of the "key" persona, where the endpoint names some.
RIGHT_SCOPES = {
    "register-search": ["register:read"],
    "register-entry": ["register:read"],
    "fhir-practitioner": ["fhir:read"],
    "passports-verify": ["passports:verify"],
    "share-codes-check": ["sharecodes:check"],
    "staff-list": ["staff:read", "staff:write"],
    "staff-member": ["staff:read", "staff:write"],
    "training-records": ["training:read", "training:write"],
    "training-record-revoke": ["training:write"],
    "vacancies": ["vacancies:write"],
    "vacancy": ["vacancies:write"],
    "vacancy-publish": ["vacancies:write"],
}
PROVIDER_KEYS = {"training-records", "training-record-revoke", "own-training-records"}


@dataclass
class Call:
    url: str
    body: dict
    headers: dict


def _call(endpoint, request, *, entry, record, provider_organisation, employer_organisation):
    """The URL and, for a write, a body that would succeed for the right persona."""
    employer = request.getfixturevalue("employer")
    number = entry.registration_number
    if endpoint == "register-search":
        return Call(reverse("api:register-search") + f"?q={number}", {}, {})
    if endpoint in {"register-entry", "fhir-practitioner"}:
        return Call(reverse(f"api:{endpoint}", args=[number]), {}, {})
    if endpoint == "passports-verify":
        return Call(reverse("api:passports-verify"), {"token": "not-a-passport"}, {})
    if endpoint == "share-codes-check":
        _share_code, code = sharecodes.share_code_create(
            worker=entry.application.worker, entry=entry, shares_identity_checks=False
        )
        body = {
            "code": sharecodes.share_code_format(code),
            "date_of_birth": entry.application.date_of_birth.isoformat(),
        }
        return Call(reverse("api:share-codes-check"), body, {})
    if endpoint == "staff-list":
        _share_code, code = sharecodes.share_code_create(
            worker=entry.application.worker, entry=entry, shares_identity_checks=False
        )
        check = sharecodes.share_code_check(
            organisation=employer_organisation,
            user=employer,
            code=sharecodes.share_code_format(code),
            date_of_birth=entry.application.date_of_birth,
        ).check
        return Call(reverse("api:staff-list"), {"check_id": check.pk}, {})
    if endpoint == "staff-member":
        put_on_staff_list(entry=entry, organisation=employer_organisation, user=employer)
        return Call(reverse("api:staff-member", args=[number]), {}, {})
    if endpoint == "training-records":
        body = {
            "provider": provider_organisation.pk,
            "registration_number": number,
            "date_of_birth": entry.application.date_of_birth.isoformat(),
            "standard": "moving-and-handling",
            "completed_on": record.completed_on.isoformat(),
        }
        url = reverse("api:training-records") + f"?provider={provider_organisation.pk}"
        return Call(url, body, {})
    if endpoint == "training-record-revoke":
        return Call(reverse("api:training-record-revoke", args=[record.pk]), {"reason": "No."}, {})
    if endpoint in {"consultation-detail", "consultation-responses"}:
        consultation = request.getfixturevalue("consultation")
        return Call(
            reverse(f"api:{endpoint}", args=[consultation.slug]),
            consultation_response_body(consultation),
            {"HTTP_IDEMPOTENCY_KEY": "access-table-0001"},
        )
    if endpoint == "consultation-results":
        admin = request.getfixturevalue("association_admin")
        published = ConsultationFactory(
            created_by=admin,
            organisation=request.getfixturevalue("association"),
            title="Done",
            status="open",
        )
        for _ in range(6):
            ResponseFactory(consultation=published)
        published = start_analysis(close_by_the_clock(published), admin)
        consultation_publish_outcome(consultation=published, user=admin, outcome_summary="Done.")
        return Call(reverse("api:consultation-results", args=[published.slug]), {}, {})
    if endpoint == "vacancies":
        places_leeds()
        return Call(reverse("api:vacancies") + "?where=LS1", {"title": "Night carer"}, {})
    if endpoint in {"vacancy", "vacancy-publish"}:
        # The employer's: published for reading and changing, a draft for publishing.
        draft = endpoint == "vacancy-publish"
        vacancy = VacancyFactory(
            organisation=employer_organisation,
            created_by=employer,
            status=Vacancy.Status.DRAFT if draft else Vacancy.Status.PUBLISHED,
        )
        body = {} if draft else {"title": "Senior carer"}
        return Call(reverse(f"api:{endpoint}", args=[vacancy.reference]), body, {})
    if endpoint == "consultations":
        request.getfixturevalue("consultation")
    return Call(reverse(f"api:{endpoint}"), {}, {})


def _credentials(persona, endpoint, request, client, *, provider_organisation):
    if persona == "anonymous":
        return {}
    if not persona.endswith("key"):
        client.force_login(request.getfixturevalue(persona))
        return {}
    if endpoint in PROVIDER_KEYS:
        organisation, maker = provider_organisation, request.getfixturevalue("provider")
    else:
        organisation = request.getfixturevalue("employer_organisation")
        maker = request.getfixturevalue("employer")
    right = RIGHT_SCOPES.get(endpoint, list(SCOPES))
    wrong = [next((s for s in SCOPES if s not in right), "register:read")]
    scopes = wrong if persona == "wrong_key" else right
    api_key, full = api_keys.api_key_create(
        organisation=organisation, user=maker, name=persona, scopes=scopes
    )
    if persona == "revoked_key":
        api_keys.api_key_revoke(api_key=api_key, user=maker)
    return {"HTTP_AUTHORIZATION": f"Bearer {full}"}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("endpoint", "method", "persona", "expected"),
    [
        (endpoint, method, persona, statuses[persona])
        for (endpoint, method), statuses in ACCESS_TABLE.items()
        for persona in PERSONAS
    ],
)
def test_access_table(
    client,
    request,
    employer_member,
    entry,
    record,
    approved_provider_organisation,
    employer_organisation,
    endpoint,
    method,
    persona,
    expected,
):
    call = _call(
        endpoint,
        request,
        entry=entry,
        record=record,
        provider_organisation=approved_provider_organisation,
        employer_organisation=employer_organisation,
    )
    headers = _credentials(
        persona, endpoint, request, client, provider_organisation=approved_provider_organisation
    )

    response = client.generic(
        method,
        call.url,
        data=json.dumps(call.body),
        content_type="application/json",
        **call.headers,
        **headers,
    )

    assert response.status_code == expected, response.content[:300]
    if expected == 401:
        assert response["WWW-Authenticate"] == "Bearer"
    if expected >= 400 and endpoint == "fhir-practitioner":
        assert response.json()["resourceType"] == "OperationOutcome"
    elif expected >= 400 and endpoint == "schema":
        assert set(yaml.safe_load(response.content)["error"]) == {
            "status",
            "code",
            "message",
            "fields",
        }
    elif expected >= 400 and endpoint not in {"docs", "index"}:
        error_of(response)


def test_the_table_covers_every_endpoint_and_method_of_the_schema():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    documented = {
        (route, method.upper())
        for route, operations in schema["paths"].items()
        for method in operations
    }
    table = {(PATHS[endpoint], method) for endpoint, method in ACCESS_TABLE if endpoint in PATHS}

    assert set(schema["paths"]) == set(PATHS.values()) - {"/api/v1/schema/"}
    assert documented <= table
    assert {(endpoint, method) for endpoint, method in ACCESS_TABLE} == {
        (endpoint, method) for endpoint in {e for e, _m in ACCESS_TABLE} for method in METHODS
    }
