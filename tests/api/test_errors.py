"""The API's one error format (docs/api.md), built by core.errors.api_error_body:

    {"error": {"status": 404, "code": "not_found", "message": "...", "fields": {}}}
"""

import pytest
from drf_spectacular.generators import SchemaGenerator

from core.errors import api_error_body

pytestmark = pytest.mark.django_db


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

