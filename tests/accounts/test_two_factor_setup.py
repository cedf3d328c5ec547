"""Setting up two-factor authentication leads on to where the person was going (issue 18, item
15): the page that sent them to set it up, through the recovery codes page, whose way on is
"I have saved my codes – continue"; making new codes, which stops the old ones, is a warning
button behind a confirmation."""

import time
from urllib.parse import urlencode

import pytest
from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.urls import reverse

from core.models import AuditEvent
from tests.factories import PASSWORD

QUEUE = "/registrar/applications/"
CODES = "/accounts/2fa/recovery-codes/"
GENERATE = "/accounts/2fa/recovery-codes/generate/"


def _code(client) -> str:
    secret = client.session["mfa.totp.secret"]
    return format_hotp_value(hotp_value(secret, int(time.time()) // mfa_settings.TOTP_PERIOD))


def _set_up_authenticator(client, activate_url: str):
    """Confirm the password (allauth asks before adding an authenticator), open the form at
    `activate_url` and send a code from the new app."""
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    assert client.get(activate_url).status_code == 200
    return client.post(reverse("mfa_activate_totp"), {"code": _code(client)})


def _unused_codes(user) -> list[str]:
    authenticator = Authenticator.objects.get(user=user, type=Authenticator.Type.RECOVERY_CODES)
    return authenticator.wrap().get_unused_codes()


@pytest.mark.django_db(transaction=True)
def test_a_registrar_sent_to_set_up_an_authenticator_continues_to_the_page_they_wanted(
    client, registrar_without_mfa
):
    client.force_login(registrar_without_mfa)
    sent = client.get(QUEUE)
    activate_url = sent["Location"]
    assert activate_url == f"{reverse('mfa_activate_totp')}?next={QUEUE}"

    added = _set_up_authenticator(client, activate_url)

    assert added.status_code == 302
    assert added["Location"] == f"{CODES}?{urlencode({'next': QUEUE})}"
    codes_page = client.get(added["Location"]).content.decode()
    assert f'<a class="button" href="{QUEUE}">I have saved my codes – continue</a>' in codes_page
    for code in _unused_codes(registrar_without_mfa):
        assert code in codes_page
    assert client.get(QUEUE).status_code == 200


@pytest.mark.django_db(transaction=True)
def test_without_a_page_to_go_to_the_codes_lead_back_to_the_two_factor_page(
    client, registrar_without_mfa
):
    client.force_login(registrar_without_mfa)

    added = _set_up_authenticator(client, reverse("mfa_activate_totp"))

    assert added["Location"] == CODES
    codes_page = client.get(CODES).content.decode()
    assert f'href="{reverse("mfa_index")}">I have saved my codes – continue' in codes_page


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    "elsewhere", ["https://evil.example/registrar/", "//evil.example/", "javascript:alert(1)"]
)
def test_a_next_address_off_this_site_is_never_followed(client, registrar_without_mfa, elsewhere):
    client.force_login(registrar_without_mfa)

    added = _set_up_authenticator(
        client, f"{reverse('mfa_activate_totp')}?{urlencode({'next': elsewhere})}"
    )

    assert added["Location"] == CODES
    codes_page = client.get(f"{CODES}?{urlencode({'next': elsewhere})}").content.decode()
    assert "evil.example" not in codes_page
    assert "javascript:" not in codes_page


@pytest.mark.django_db(transaction=True)
def test_a_page_wanted_earlier_in_the_session_is_forgotten_when_the_form_is_opened_again(
    client, registrar_without_mfa
):
    client.force_login(registrar_without_mfa)
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    client.get(f"{reverse('mfa_activate_totp')}?next={QUEUE}")

    added = _set_up_authenticator(client, reverse("mfa_activate_totp"))

    assert added["Location"] == CODES


@pytest.mark.django_db
def test_generate_new_codes_is_a_warning_link_to_a_confirmation_not_a_primary_button(
    client, registrar
):
    RecoveryCodes.activate(registrar)
    client.force_login(registrar)
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})

    codes_page = client.get(f"{CODES}?next={QUEUE}").content.decode()

    generate_link = (
        f'<a class="button button-warning" href="{GENERATE}?{urlencode({"next": QUEUE})}">'
        "Generate new codes</a>"
    )
    assert generate_link in codes_page
    assert "Your old codes then stop working." in codes_page
    assert 'class="button" href="/accounts/2fa/recovery-codes/generate/' not in codes_page
    assert "<form" not in codes_page.split('<main id="main"')[1].split("</main>")[0]


@pytest.mark.django_db
def test_the_confirmation_says_the_old_codes_stop_working_and_changes_nothing(client, registrar):
    RecoveryCodes.activate(registrar)
    before = _unused_codes(registrar)
    client.force_login(registrar)
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})

    page = client.get(f"{GENERATE}?next={QUEUE}").content.decode()

    assert "Your 10 unused recovery codes will stop working as soon as you generate" in page
    assert 'class="button button-warning">Generate new codes and stop the old ones</button>' in page
    assert f'<input type="hidden" name="next" value="{QUEUE}">' in page
    assert f'href="{CODES}?{urlencode({"next": QUEUE})}">Cancel: keep my codes</a>' in page
    assert _unused_codes(registrar) == before


@pytest.mark.django_db
def test_confirming_makes_new_codes_stops_the_old_ones_and_keeps_the_way_on(
    client, registrar, django_capture_on_commit_callbacks
):
    RecoveryCodes.activate(registrar)
    before = _unused_codes(registrar)
    client.force_login(registrar)
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(GENERATE, {"next": QUEUE})

    assert response["Location"] == f"{CODES}?{urlencode({'next': QUEUE})}"
    after = _unused_codes(registrar)
    assert set(after).isdisjoint(before)
    authenticator = Authenticator.objects.get(user=registrar, type="recovery_codes")
    assert not authenticator.wrap().validate_code(before[0])
    assert AuditEvent.objects.filter(action="accounts.user.mfa_reset", actor_id=registrar.pk)
    assert (
        f'href="{QUEUE}">I have saved my codes' in client.get(response["Location"]).content.decode()
    )


PERSONAS = ["anonymous", "worker", "employer", "registrar_without_mfa", "registrar"]
# status per persona, in PERSONAS order. The codes pages are for someone with codes (the
# registrar here, who has just typed their password again); to add an app, or make codes,
# anyone else is first asked for their password, and the registrar, who has an app, is sent
# to the page for removing it.
ACCESS = {
    CODES: [302, 404, 404, 404, 200],
    GENERATE: [302, 302, 302, 302, 200],
    "/accounts/2fa/totp/activate/": [302, 302, 302, 302, 302],
}
SENT_TO = (reverse("account_login"), reverse("account_reauthenticate"), "/accounts/2fa/totp/")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "persona", "expected"),
    [
        (url, persona, codes[i])
        for url, codes in ACCESS.items()
        for i, persona in enumerate(PERSONAS)
    ],
)
def test_access_table(client, request, url, persona, expected):
    if persona != "anonymous":
        user = request.getfixturevalue(persona)
        client.force_login(user)
        if persona == "registrar":
            RecoveryCodes.activate(user)
            client.post(reverse("account_reauthenticate"), {"password": PASSWORD})

    response = client.get(url)

    assert response.status_code == expected
    if expected == 302:
        assert response["Location"].startswith(SENT_TO)
