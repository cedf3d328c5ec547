"""django-allauth wired in one place: emails go out as background tasks."""

from dataclasses import dataclass
from urllib.parse import urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.core.exceptions import PermissionDenied

from core.notifications import email_enqueue
from core.requests import client_ip


@dataclass(frozen=True)
class PublicSite:
    """What allauth's emails call the site ("Hello from Care Register!", "an account on
    register.example.org"): the service's name and the host of SITE_URL, the one setting that
    decides the public address, never the host a request happened to name."""

    name: str
    domain: str


def public_site() -> PublicSite:
    return PublicSite(name=settings.SITE_NAME, domain=urlsplit(settings.SITE_URL).netloc)


class AccountAdapter(DefaultAccountAdapter):
    # allauth's messages say what went wrong in its own voice ("The email address and/or password
    # you specified are not correct."); ours say what to do, in the words of the service's pages.
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "account_inactive": "This account is closed",
        "cannot_remove_primary_email": "You cannot remove your main email address",
        "duplicate_email": "This email address is already on your account",
        "email_password_mismatch": "Enter the email address and password of your account: "
        "one of them is not right",
        "enter_current_password": "Enter your current password",
        "incorrect_code": "The code is not right: check it and try again",
        "incorrect_password": "The password is not right: check it and try again",
        "invalid_or_expired_key": "This link has expired or is not complete",
        "invalid_login": "You could not be signed in: try again",
        "invalid_password_reset": "This password reset link has expired or was already used",
        "too_many_login_attempts": "Too many attempts to sign in: wait a few minutes, then "
        "try again",
        "unverified_primary_email": "Confirm your main email address first",
        "select_only_one": "Select only one",
        "same_as_current": "Enter something different from what you have now",
        "rate_limited": "You have done this too many times in a short while: wait a few "
        "minutes, then try again",
    }

    def send_mail(self, template_prefix, email, context):
        """Render now, while the request is here; send later, so a slow mail server never
        slows down sign-up or password reset."""
        request = context.get("request") or self.request
        context = {
            "request": request,
            "email": email,
            "current_site": public_site(),
            "support_email": settings.SUPPORT_EMAIL,
            **context,
        }
        message = self.render_mail(template_prefix, email, context)
        html_body = ""
        for content, mimetype in getattr(message, "alternatives", []):
            if mimetype == "text/html":
                html_body = content
        email_enqueue(
            to=list(message.to), subject=message.subject, body=message.body, html_body=html_body
        )

    def get_client_ip(self, request) -> str:
        """The address allauth's sign-in limits count against: the one rule every limit and
        the audit log use (core.requests), rather than allauth's own proxy settings."""
        address = client_ip(request)
        if not address:
            raise PermissionDenied("Unable to determine client IP address")
        return address

    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=False)
        user.full_name = form.cleaned_data["full_name"].strip()
        user.is_care_worker = form.cleaned_data.get("joining_as") == "care_worker"
        if commit:
            user.save()
        return user
