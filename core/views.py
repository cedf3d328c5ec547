"""Small pieces the views share: service errors on forms, the error handlers, /healthz."""

import sys

from django import forms
from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader
from django.views import defaults
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


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """Django's handler404. An address under /api/ that matches no endpoint answers in the
    API's one error format (docs/api.md), so clients can read it; any other is the HTML page."""
    if _under_the_api(request):
        return api_error_response(status=404, code="not_found", message="Not found.")
    return defaults.page_not_found(request, exception)


def server_error(request: HttpRequest) -> HttpResponse:
    """Django's handler500. A database that is down or restarting is not a bug in the site: it
    gets a 503 with Retry-After and a plain message (JSON under /api/), so clients and load
    balancers know to try again. Anything else is the usual 500 page."""
    error = sys.exc_info()[1]
    if isinstance(error, (OperationalError, InterfaceError)):
        message = "The service is unavailable for a moment. Please try again in a minute."
        if _under_the_api(request):
            response = api_error_response(status=503, code="unavailable", message=message)
        else:
            response = HttpResponse(loader.render_to_string("503.html"), status=503)
        response["Retry-After"] = "30"
        return response
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
