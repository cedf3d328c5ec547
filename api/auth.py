"""API keys: `Authorization: Bearer cr_live_<key id>_<secret>`.

A key authenticates as its organisation. DRF needs a user on every request, so `request.user`
is the member who made the key: the services check their membership and the audit log names
them. `request.auth` is the ApiKey, whose organisation the views act for and whose scopes
api.scopes.ApiKeyScopePermission checks.

ApiKeyAuthentication comes first in every view's list, so a caller who is not authenticated
gets a 401 with `WWW-Authenticate: Bearer` (a challenge), and a 403 always means "known, but
not allowed".
"""

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions, permissions

from api.scopes import ApiKeyScopePermission
from api.throttles import WindowRateThrottle
from employers.models import ApiKey
from employers.services.api_keys import api_key_authenticate


class ApiKeyAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed("Send the key as 'Authorization: Bearer <key>'.")
        try:
            presented = header[1].decode("ascii")
        except UnicodeDecodeError as error:
            raise exceptions.AuthenticationFailed("The API key is not valid.") from error
        api_key = api_key_authenticate(presented=presented)
        if api_key is None:
            # One answer for unknown, revoked, expired and orphaned keys: nothing to learn by
            # trying.
            raise exceptions.AuthenticationFailed("The API key is not valid, or was revoked.")
        return api_key.created_by, api_key

    def authenticate_header(self, request):
        return self.keyword


class ApiKeyScheme(OpenApiAuthenticationExtension):
    target_class = "api.auth.ApiKeyAuthentication"
    name = "apiKey"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "An organisation's API key, like cr_live_3f9a0c1d2e4b_…, made by "
            "an owner on the organisation's page. Each endpoint names the scope the key needs.",
        }


# The lists every API view uses. Keys first: see the module docstring.
KEY_OR_SESSION = [ApiKeyAuthentication, authentication.SessionAuthentication]
KEY_ONLY = [ApiKeyAuthentication]
ANYONE = [permissions.AllowAny, ApiKeyScopePermission]
SIGNED_IN = [permissions.IsAuthenticated, ApiKeyScopePermission]


class ApiKeyThrottle(WindowRateThrottle):
    """Per key, so one organisation's runaway client never slows another's."""

    scope = "api_key"
    rate = "600/min"

    def get_cache_key(self, request, view):
        if not isinstance(request.auth, ApiKey):
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.auth.key_id}
