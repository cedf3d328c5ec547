"""Setting up two-factor authentication without losing the way: allauth's views for adding an
authenticator app and for recovery codes, carrying the page the person was going to (`next`,
as config.middleware sends registrars here from a registrar page) through to the recovery
codes, whose page then leads on to it.

allauth's activation form posts to its own address without the query string, so `next` waits
in the session between showing the form and its success. config/urls.py routes these paths
here ahead of allauth's own."""

from urllib.parse import urlencode

from allauth.account.utils import get_next_redirect_url
from allauth.mfa.recovery_codes import views as recovery_code_views
from allauth.mfa.totp import views as totp_views
from django.urls import path, reverse

NEXT_SESSION_KEY = "accounts.two_factor_next"


def _with_next(url: str, next_url: str | None) -> str:
    return f"{url}?{urlencode({'next': next_url})}" if next_url else url


class ActivateTotpView(totp_views.ActivateTOTPView):
    """allauth's form for adding an authenticator app; on success, the recovery codes (or the
    page the person was going to, when no codes were made) with `next` kept."""

    def get(self, request, *args, **kwargs):
        next_url = get_next_redirect_url(request)
        if next_url:
            request.session[NEXT_SESSION_KEY] = next_url
        else:
            request.session.pop(NEXT_SESSION_KEY, None)
        return super().get(request, *args, **kwargs)

    def get_success_url(self) -> str:
        next_url = self.request.session.pop(NEXT_SESSION_KEY, None)
        if self.did_generate_recovery_codes:
            return _with_next(reverse("mfa_view_recovery_codes"), next_url)
        return next_url or super().get_success_url()


class RecoveryCodesView(recovery_code_views.ViewRecoveryCodesView):
    """The codes, with a way on: to `next`, or back to the two-factor page."""

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        next_url = get_next_redirect_url(self.request)
        context["next_url"] = next_url or ""
        context["continue_url"] = next_url or reverse("mfa_index")
        context["generate_url"] = _with_next(reverse("mfa_generate_recovery_codes"), next_url)
        return context


class GenerateRecoveryCodesView(recovery_code_views.GenerateRecoveryCodesView):
    """The confirmation before new codes replace the old ones; `next` rides along."""

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        next_url = get_next_redirect_url(self.request)
        context["next_url"] = next_url or ""
        context["cancel_url"] = _with_next(reverse("mfa_view_recovery_codes"), next_url)
        return context

    def get_success_url(self) -> str:
        return _with_next(super().get_success_url(), get_next_redirect_url(self.request))


# The same paths and names as allauth's (allauth/mfa/totp/urls.py, recovery_codes/urls.py):
# whichever of the two reverse("mfa_activate_totp") finds, it gives this very path, and these
# patterns come first (config/urls.py), so they answer it.
urlpatterns = [
    path("totp/activate/", ActivateTotpView.as_view(), name="mfa_activate_totp"),
    path("recovery-codes/", RecoveryCodesView.as_view(), name="mfa_view_recovery_codes"),
    path(
        "recovery-codes/generate/",
        GenerateRecoveryCodesView.as_view(),
        name="mfa_generate_recovery_codes",
    ),
]
