"""Asking someone held to the code of conduct to accept a new version at their next sign-in.

Signing in marks the session when a version waits for the person's acceptance; while it is
marked, every page sends them to the page that asks, and then on to where they were going. The
mark lives in the session, so pages cost no query for anyone else. Some addresses are never
held up: the code itself (to read it first), signing out, static files, the health check and
the API, whose clients are programs and follow no redirect.
"""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse

from register.services.conduct import code_acceptance_due

SESSION_KEY = "code_of_conduct_due"

# Pages a person asked to accept may still open.
OPEN_WHILE_ASKED = {
    "register:code-of-conduct",
    "register:code-of-conduct-version",
    "register:code-of-conduct-accept",
    "account_logout",
    "healthz",
}
NEVER_ASKED_UNDER = ("/api/",)


@receiver(user_logged_in)
def _ask_at_sign_in(sender, request, user, **kwargs):
    if request is None or not hasattr(request, "session"):
        return
    due = code_acceptance_due(user)
    if due is None:
        request.session.pop(SESSION_KEY, None)
    else:
        request.session[SESSION_KEY] = due.version


def code_prompt_clear(request) -> None:
    request.session.pop(SESSION_KEY, None)


def _open_while_asked(path: str) -> bool:
    if path.startswith((*NEVER_ASKED_UNDER, settings.STATIC_URL)):
        return True
    try:
        return resolve(path).view_name in OPEN_WHILE_ASKED
    except Resolver404:
        return False


class CodeOfConductPromptMiddleware:
    """Sends a session marked at sign-in to the page that asks for the code's acceptance."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            request.session.get(SESSION_KEY) is not None
            and request.user.is_authenticated
            and not _open_while_asked(request.path_info)
        ):
            going_to = request.get_full_path() if request.method == "GET" else request.path
            accept = reverse("register:code-of-conduct-accept")
            return redirect(f"{accept}?{urlencode({'next': going_to})}")
        return self.get_response(request)
