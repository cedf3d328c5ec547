import re
import uuid

from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse

from core.audit import RequestContext, current_request

# The one rule for the client's address; also importable from here, as it once lived here.
from core.requests import client_ip

_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


class RequestContextMiddleware:
    """Gives each request an id and makes it, with the client address, known to the audit log.

    A proxy's X-Request-ID is kept when it looks like one, so log lines can be matched across
    systems; anything else gets a fresh id.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.META.get("HTTP_X_REQUEST_ID", "")
        request.request_id = incoming if _REQUEST_ID.match(incoming) else uuid.uuid4().hex
        token = current_request.set(RequestContext(request.request_id, client_ip(request)))
        try:
            response = self.get_response(request)
        finally:
            current_request.reset(token)
        response["X-Request-ID"] = request.request_id
        return response


def needs_mfa(user) -> bool:
    return (
        user.is_authenticated
        and (user.is_registrar or user.is_staff)
        and not (is_mfa_enabled(user))
    )


class RequireMfaForStaffMiddleware:
    """Registrars and staff must set up two-factor authentication before any registrar page.

    They can still use their account pages, which is where they set it up.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith(settings.MFA_REQUIRED_PATH_PREFIXES) and needs_mfa(request.user):
            return redirect(f"{reverse('mfa_activate_totp')}?next={request.path}")
        return self.get_response(request)
