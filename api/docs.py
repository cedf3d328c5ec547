"""The API's documentation: Swagger UI at /api/v1/docs/ and a plain list of endpoints at
/api/v1/.

Swagger UI comes from drf-spectacular-sidecar and is served as our own static files. The split
view delivers its start-up script as a file rather than inline, so the Content Security Policy
('self' only, no inline script) stays as it is. The plain list is our own page, built from the
same schema, for anyone the third-party interface does not serve well.
"""

from functools import lru_cache

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils.html import escape
from django.utils.safestring import mark_safe
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.views import SpectacularSwaggerSplitView
from rest_framework.permissions import AllowAny

from api.errors import method_not_allowed

HTTP_METHODS = ("get", "post", "put", "patch", "delete")


class ApiDocsView(SpectacularSwaggerSplitView):
    """The documentation page: for people, so it reads no credentials at all."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    required_scope = None
    template_name = "api/swagger_ui.html"
    url_name = "api:schema"
    title = "Care Register API"

    def http_method_not_allowed(self, request, *args, **kwargs):
        # DRF would render the refusal with this page's HTML renderer, as a bare line of text.
        return method_not_allowed(request, allowed=self.allowed_methods)


def _breakable(text: str) -> str:
    """The text escaped, without Markdown's emphasis marks, and with a break opportunity after
    each slash, so that a long path wraps on a phone instead of widening the page."""
    plain = text.replace("**", "").replace("`", "")
    return mark_safe(escape(plain).replace("/", "/<wbr>"))  # noqa: S308 (escaped just before)


@lru_cache(maxsize=1)
def _endpoints() -> list[dict]:
    # The schema depends only on the code, so it is built once per process.
    schema = SchemaGenerator(patterns=None).get_schema(request=None, public=True)
    endpoints = []
    for route, operations in schema["paths"].items():
        for method in HTTP_METHODS:
            operation = operations.get(method)
            if operation is None:
                continue
            endpoints.append(
                {
                    "method": method.upper(),
                    "path": _breakable(route),
                    "summary": operation.get("summary") or operation["operationId"],
                    "description": _breakable(operation.get("description", "")),
                    "anonymous": {} in operation.get("security", [{}]),
                    "responses": sorted(operation.get("responses", {})),
                }
            )
    return endpoints


def api_index(request: HttpRequest) -> HttpResponse:
    """A plain, accessible page listing every endpoint, built from the OpenAPI schema."""
    if request.method != "GET":
        # Not require_GET: its 405 is an empty HTML response, and under /api/ every error
        # is in the API's format.
        return method_not_allowed(request, allowed=["GET"])
    return render(request, "api/index.html", {"endpoints": _endpoints()})


urlpatterns = [
    path("", api_index, name="index"),
    path("docs/", ApiDocsView.as_view(), name="docs"),
]
