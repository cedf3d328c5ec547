class ApplicationError(Exception):
    """A change the rules do not allow; the message says why, in plain English, and is shown to
    the person as it is. `field` names the form field the message belongs next to, if any."""

    def __init__(self, message: str = "", *, field: str | None = None):
        super().__init__(message)
        self.field = field


def api_error_body(*, status: int, code: str, message: str, fields: dict | None = None) -> dict:
    """The API's one error format (docs/api.md):

    {"error": {"status": 400, "code": "invalid", "message": "...", "fields": {...}}}

    Every error the API answers is built here: by DRF's exception handler (api/errors.py), by
    the error handlers for addresses under /api/ (core/views.py), and in the OpenAPI examples
    (api/serializers.py). The FHIR endpoint alone answers FHIR OperationOutcomes instead."""
    return {
        "error": {
            "status": status,
            "code": code,
            "message": message,
            "fields": {} if fields is None else fields,
        }
    }
