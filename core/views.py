"""Small pieces the views share: service errors on forms, the error handlers, /healthz."""

import sys

from django import forms
from django.core.exceptions import RequestDataTooBig
from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader
from django.views import csrf, defaults
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from core.errors import ApplicationError, api_error_body


def add_service_error(form: forms.Form, error: ApplicationError) -> None:
    """Show a service's refusal next to its field, or above the form."""
    form.add_error(error.field if error.field in form.fields else None, str(error))


def _under_the_api(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


def api_error_response(
    *, status: int, code: str, message: str, fields: dict | None = None
) -> JsonResponse:
    """An error in the API's one format, for an answer DRF does not make itself."""
    body = api_error_body(status=status, code=code, message=message, fields=fields)
    return JsonResponse(body, status=status)


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """Django's handler400, for requests it refuses before a view runs (a body over
    DATA_UPLOAD_MAX_MEMORY_SIZE, too many fields, a host not in ALLOWED_HOSTS). Under /api/ the
    answer is in the API's error format; the message never repeats Django's, which can name
    settings."""
    if _under_the_api(request):
        if isinstance(exception, RequestDataTooBig):
            message = "The request is too large."
        else:
            message = "The request could not be read."
        return api_error_response(status=400, code="bad_request", message=message)
    return defaults.bad_request(request, exception)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """CSRF_FAILURE_VIEW. DRF's own views check the token themselves and answer in the API's
    format; this is for the API's plain pages (the endpoint list), with DRF's wording."""
    if _under_the_api(request):
        return api_error_response(
            status=403, code="permission_denied", message=f"CSRF Failed: {reason}"
        )
    return csrf.csrf_failure(request, reason)


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """Django's handler404. An address under /api/ that matches no endpoint answers in the
    API's one error format (docs/api.md), so clients can read it; any other is the HTML page."""
    if _under_the_api(request):
        return api_error_response(status=404, code="not_found", message="Not found.")
    return defaults.page_not_found(request, exception)


def server_error(request: HttpRequest) -> HttpResponse:
    """Django's handler500. A database that is down or restarting is not a bug in the site: it
    gets a 503 with Retry-After and a plain message, so clients and load balancers know to try
    again. Anything else is a 500. Under /api/ both are in the API's error format."""
    error = sys.exc_info()[1]
    if isinstance(error, (OperationalError, InterfaceError)):
        message = "The service is unavailable for a moment. Please try again in a minute."
        if _under_the_api(request):
            response = api_error_response(status=503, code="unavailable", message=message)
        else:
            response = HttpResponse(loader.render_to_string("503.html"), status=503)
        response["Retry-After"] = "30"
        return response
    if _under_the_api(request):
        return api_error_response(
            status=500,
            code="server_error",
            message="Sorry, there is a problem with the service. Please try again later.",
        )
    return HttpResponse(loader.render_to_string("500.html"), status=500)


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """For load balancers and monitoring: 200 when the database answers, 503 when it does not."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        # A half-open connection would fail the next request too; drop it so the next check
        # reconnects and the app recovers by itself once the database is back.
        connection.close_if_unusable_or_obsolete()
        return JsonResponse({"status": "unavailable", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})
