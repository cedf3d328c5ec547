import re
import time
import uuid
from urllib.parse import urlencode

from allauth.account.authentication import get_authentication_records
from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse

from core.audit import RequestContext, current_request

# The one rule for the client's address; also importable from here, as it once lived here.
from core.requests import client_ip

LAST_SEEN_SESSION_KEY = "privileged_last_seen"
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


def is_privileged(user) -> bool:
    """Registrars and staff: their sessions reach every worker's personal data."""
    return user.is_authenticated and (user.is_registrar or user.is_staff)


def needs_mfa(user) -> bool:
    return is_privileged(user) and not is_mfa_enabled(user)


def passed_second_factor(request) -> bool:
    """Whether this session, not only the account, passed the second factor: allauth records
    each way the person proved who they are in the session (an authenticator code at sign-in,
    re-authentication with a code, or setting up the authenticator here)."""
    records = get_authentication_records(request, request.user)
    return any(record.get("method") == "mfa" for record in records)


class RequireMfaForStaffMiddleware:
    """Registrars and staff must use a second factor in the session itself before any registrar
    page, and their sessions end after a while without activity.

    Without an authenticator they are sent to set one up; with one, but a session that never
    passed it (a password reset, a sign-in that skipped the code), they are asked for a code.
    Elsewhere such a session holds no registrar powers (accounts.permissions.acts_as_registrar).
    They can still use their account pages, which is where they set it up.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if not is_privileged(user):
            return self.get_response(request)
        idle_limit = settings.REGISTRAR_SESSION_IDLE_MINUTES * 60
        now = time.time()
        last_seen = request.session.get(LAST_SEEN_SESSION_KEY)
        if last_seen is not None and now - last_seen > idle_limit:
            logout(request)
            messages.info(
                request,
                f"You were signed out after {settings.REGISTRAR_SESSION_IDLE_MINUTES} minutes "
                "without activity. Sign in again to carry on.",
            )
            return redirect(f"{reverse('account_login')}?{urlencode({'next': request.path})}")
        # Sliding: each request moves the end of the session on. The check above ends it; the
        # store and the cookie keep it an hour longer only so that someone coming back is told
        # why they were signed out, and then drop it even if this check were never reached.
        request.session[LAST_SEEN_SESSION_KEY] = now
        request.session.set_expiry(idle_limit + 3600)
        passed = passed_second_factor(request)
        user.second_factor_this_session = passed
        if request.path.startswith(settings.MFA_REQUIRED_PATH_PREFIXES):
            if not is_mfa_enabled(user):
                return redirect(f"{reverse('mfa_activate_totp')}?next={request.path}")
            if not passed:
                return redirect(
                    f"{reverse('mfa_reauthenticate')}?{urlencode({'next': request.path})}"
                )
        return self.get_response(request)
