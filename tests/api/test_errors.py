"""Every way the API can answer an error, from each place that answers one (DRF's exception
handler, a service's refusal, Django's own 400/403/404/405/500 under /api/, the API's pages for
people), gives exactly the one format of docs/api.md and nothing else:

    {"error": {"status": 404, "code": "not_found", "message": "...", "fields": {}}}
"""

import json

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone
from drf_spectacular.generators import SchemaGenerator

from api.throttles import PublicRegisterAnonThrottle
from core.errors import api_error_body
from core.views import server_error
from employers.services import api_keys
from tests.api.conftest import error_of
from tests.api.test_consultations_api import body, submit

pytestmark = pytest.mark.django_db

SEARCH = "/api/v1/register/"
RECORDS = "/api/v1/training-records/"


def anonymous(**extra) -> Client:
    return Client(raise_request_exception=False, **extra)


def signed_in(user, **extra) -> Client:
    client = anonymous(**extra)
    client.force_login(user)
    return client


def key_without_the_scope(request) -> str:
    employer = request.getfixturevalue("employer")
    _, full = api_keys.api_key_create(
        organisation=request.getfixturevalue("employer_organisation"),
        user=employer,
        name="Staff list only",
        scopes=["staff:read"],
    )
    return full


def too_large(request):
    # docs/api.md: "a body over 2 MB".
    client = signed_in(request.getfixturevalue("provider"))
    over_2_mb = json.dumps({"note": "x" * 2 * 1024 * 1024})
    return client.post(RECORDS, over_2_mb, content_type="application/json")


def refused_by_the_service(request):
    entry = request.getfixturevalue("entry")
    provider_organisation = request.getfixturevalue("approved").organisation
    client = signed_in(request.getfixturevalue("provider"))
    wrong_birthday = {
        "provider": provider_organisation.pk,
        "registration_number": entry.registration_number,
        "date_of_birth": "1901-01-01",
        "standard": "moving-and-handling",
        "completed_on": timezone.localdate().isoformat(),
    }
    return client.post(RECORDS, wrong_birthday, content_type="application/json")


def closed_consultation(request):
    consultation = request.getfixturevalue("consultation")
    request.getfixturevalue("clock").set(consultation.closes_at)
    return submit(anonymous(), consultation, body(consultation))


def throttled(request):
    request.getfixturevalue("monkeypatch").setattr(PublicRegisterAnonThrottle, "rate", "1/min")
    client = anonymous()
    client.get(SEARCH, {"q": "smith"})
    return client.get(SEARCH, {"q": "smith"})


def with_a_bug(request):
    # Django's handler500, as it answers any exception a view did not catch.
    try:
        raise ZeroDivisionError("a bug")
    except ZeroDivisionError:
        response = server_error(RequestFactory().get(SEARCH))
    response.json = lambda: json.loads(response.content)  # as the test client's responses have
    return response


# (what happens, how, the status and the code it answers with)
ERRORS = [
    ("a value is not valid", lambda r: anonymous().get(SEARCH, {"q": ""}), 400, "invalid"),
    (
        "the body is not JSON",
        lambda r: anonymous().post(
            "/api/v1/passports/verify", "{", content_type="application/json"
        ),
        400,
        "parse_error",
    ),
    ("the body is too large for Django", too_large, 400, "bad_request"),
    (
        "the host is not allowed",
        lambda r: anonymous(HTTP_HOST="evil.example").get(SEARCH, {"q": "smith"}),
        400,
        "bad_request",
    ),
    ("a service refuses", refused_by_the_service, 400, "refused"),
    (
        "no credentials",
        lambda r: anonymous().get("/api/v1/me/training-records/"),
        401,
        "not_authenticated",
    ),
    (
        "a key that is not valid",
        lambda r: anonymous().get(SEARCH, {"q": "a"}, HTTP_AUTHORIZATION="Bearer cr_live_x_y"),
        401,
        "authentication_failed",
    ),
    (
        "a key without the scope",
        lambda r: anonymous().get(
            SEARCH, {"q": "a"}, HTTP_AUTHORIZATION=f"Bearer {key_without_the_scope(r)}"
        ),
        403,
        "permission_denied",
    ),
    (
        "a session POST without its CSRF token",
        lambda r: signed_in(r.getfixturevalue("provider"), enforce_csrf_checks=True).post(
            RECORDS, {}, content_type="application/json"
        ),
        403,
        "permission_denied",
    ),
    (
        "a POST to the endpoint list without a CSRF token",
        lambda r: signed_in(r.getfixturevalue("provider"), enforce_csrf_checks=True).post(
            "/api/v1/", {}
        ),
        403,
        "permission_denied",
    ),
    (
        "no such record",
        lambda r: anonymous().get(reverse("api:register-entry", args=["CR9999999Z"])),
        404,
        "not_found",
    ),
    ("no such address", lambda r: anonymous().get("/api/v1/no-such-thing/"), 404, "not_found"),
    ("a wrong method", lambda r: anonymous().delete(SEARCH), 405, "method_not_allowed"),
    (
        "a wrong method on the endpoint list",
        lambda r: anonymous().post("/api/v1/"),
        405,
        "method_not_allowed",
    ),
    (
        "a wrong method on Swagger UI",
        lambda r: anonymous().post("/api/v1/docs/"),
        405,
        "method_not_allowed",
    ),
    (
        "a format the API does not write",
        lambda r: anonymous().get(SEARCH, {"q": "smith"}, HTTP_ACCEPT="application/xml"),
        406,
        "not_acceptable",
    ),
    ("the state refuses", closed_consultation, 409, "refused"),
    (
        "a body the API does not read",
        lambda r: anonymous().post("/api/v1/passports/verify", "x", content_type="text/plain"),
        415,
        "unsupported_media_type",
    ),
    ("too many requests", throttled, 429, "throttled"),
    ("a bug", with_a_bug, 500, "server_error"),
]


@pytest.mark.parametrize(
    ("make_request", "status", "code"),
    [pytest.param(make, status, code, id=name) for name, make, status, code in ERRORS],
)
def test_every_error_is_in_the_one_format(request, make_request, status, code):
    response = make_request(request)

    assert response.status_code == status
    assert response["Content-Type"] == "application/json"
    error = error_of(response)
    assert error["code"] == code
    if code == "invalid":
        assert error["fields"] == {"q": ["This field may not be blank."]}
    else:
        assert error["fields"] == {}


def test_a_wrong_method_says_which_methods_are_allowed():
    for path in ("/api/v1/", "/api/v1/docs/", SEARCH):
        response = anonymous().post(path)

        assert response.status_code == 405
        assert "GET" in response["Allow"]
        assert error_of(response)["message"] == 'Method "POST" not allowed.'


def test_the_pages_around_the_api_keep_their_own_errors():
    # Only addresses under /api/ answer in the API's format.
    assert anonymous().get("/no-such-page/")["Content-Type"].startswith("text/html")
    assert anonymous(HTTP_HOST="evil.example").get("/register/").status_code == 400
    assert (
        anonymous(HTTP_HOST="evil.example")
        .get("/register/")["Content-Type"]
        .startswith("text/html")
    )
    try:
        raise ZeroDivisionError("a bug")
    except ZeroDivisionError:
        page = server_error(RequestFactory().get("/register/"))
    assert (page.status_code, page["Content-Type"]) == (500, "text/html; charset=utf-8")


def test_django_s_messages_are_not_repeated_to_api_clients():
    # DisallowedHost's message names the ALLOWED_HOSTS setting; the client is told less.
    response = anonymous(HTTP_HOST="evil.example").get(SEARCH, {"q": "smith"})

    assert error_of(response)["message"] == "The request could not be read."


def test_every_error_example_in_the_schema_is_in_the_one_format():
    schema = SchemaGenerator(patterns=None).get_schema(request=None, public=True)
    examples = []
    for path, operations in schema["paths"].items():
        if "/fhir/" in path:
            continue  # FHIR's errors are OperationOutcomes, as FHIR clients expect.
        for operation in operations.values():
            for status, response in operation.get("responses", {}).items():
                if int(status) < 400:
                    continue
                for content in response.get("content", {}).values():
                    for example in content.get("examples", {}).values():
                        examples.append((path, int(status), example["value"]))

    assert len(examples) >= 15  # the walk above found them
    for path, status, value in examples:
        error = value["error"]
        assert value == api_error_body(**error), path
        assert error["status"] == status, path
        assert error["message"], path
