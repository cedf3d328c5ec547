"""One error format for every API endpoint, built by core.errors.api_error_body:

{"error": {"status": 400, "code": "invalid", "message": "...", "fields": {...}}}
"""

from typing import NoReturn

from django.http import HttpRequest, HttpResponse
from rest_framework.exceptions import APIException, MethodNotAllowed, ValidationError
from rest_framework.views import exception_handler as drf_exception_handler

from core.errors import ApplicationError, api_error_body
from core.views import api_error_response


def exception_handler(exc, context):
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    detail = response.data
    fields = {}
    if isinstance(detail, dict) and "detail" not in detail:
        fields = detail
        message = "Some of the values sent are not valid."
        code = "invalid"
    elif isinstance(detail, list):
        # A ValidationError raised with a list of messages, none of them about one field.
        message = " ".join(str(item) for item in detail)
        code = "invalid"
    else:
        raw = detail.get("detail", detail) if isinstance(detail, dict) else detail
        message = str(raw)
        code = getattr(raw, "code", None) or getattr(exc, "default_code", "error")
    response.data = api_error_body(
        status=response.status_code, code=code, message=message, fields=fields
    )
    return response


def method_not_allowed(request: HttpRequest, *, allowed: list[str]) -> HttpResponse:
    """A wrong method on one of the API's pages for people (the endpoint list, Swagger UI),
    which DRF would answer in HTML or not at all: in the one format, with DRF's wording."""
    refusal = MethodNotAllowed(request.method)
    response = api_error_response(
        status=refusal.status_code, code=refusal.default_code, message=str(refusal.detail)
    )
    response["Allow"] = ", ".join(allowed)
    return response


class ServiceRefused(APIException):
    """A service refused the change for a reason that belongs to no one field."""

    status_code = 400
    default_code = "refused"
    default_detail = "The change is not allowed."


def raise_service_error(error: ApplicationError, *, status: int = 400) -> NoReturn:
    """Turn a service's refusal into the error format: next to its field when it names one
    the request sent, otherwise as the error's message with `status`."""
    if error.field:
        raise ValidationError({error.field: [str(error)]}) from error
    refusal = ServiceRefused(str(error))
    refusal.status_code = status
    raise refusal from error
