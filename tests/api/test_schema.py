"""The OpenAPI schema: valid, without warnings, and describing every endpoint with a summary,
examples and its errors in the one error format."""

import io

import pytest
import yaml
from django.core.management import call_command
from drf_spectacular.generators import SchemaGenerator

FHIR_PREFIX = "/api/v1/fhir/"


@pytest.fixture(scope="module")
def schema():
    return SchemaGenerator().get_schema(request=None, public=True)


def operations(schema):
    for route, methods in schema["paths"].items():
        for method, operation in methods.items():
            yield route, method, operation


def test_the_schema_validates_without_a_single_warning():
    output = io.StringIO()

    call_command("spectacular", "--validate", "--fail-on-warn", stdout=output)

    assert yaml.safe_load(output.getvalue())["openapi"].startswith("3.")


def test_every_operation_has_a_summary_a_description_and_examples(schema):
    for route, method, operation in operations(schema):
        assert operation.get("summary"), (route, method)
        assert operation.get("description"), (route, method)
        examples = [
            example
            for response in operation["responses"].values()
            for content in response.get("content", {}).values()
            for example in content.get("examples", {})
        ]
        assert examples, (route, method)


def test_every_error_response_is_in_the_one_error_format(schema):
    for route, method, operation in operations(schema):
        for status, response in operation["responses"].items():
            if int(status) < 400:
                continue
            for content_type, content in response["content"].items():
                expected = (
                    "#/components/schemas/FhirOperationOutcome"
                    if route.startswith(FHIR_PREFIX)
                    else "#/components/schemas/Error"
                )
                assert content["schema"] == {"$ref": expected}, (route, method, status)
                if not route.startswith(FHIR_PREFIX):
                    assert content_type == "application/json"


def test_signed_in_endpoints_document_the_refusal_of_an_anonymous_caller(schema):
    for route, method, operation in operations(schema):
        if {} in operation.get("security", [{}]):
            continue
        assert {"401", "403"} <= set(operation["responses"]), (route, method)
