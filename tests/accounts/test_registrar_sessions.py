"""Registrar sessions: registrar powers need a session that used the second factor, not only an
account with one set up, and a registrar's session ends after 30 minutes without a request."""

import time
from datetime import UTC, datetime, timedelta

import pytest
from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from allauth.mfa.utils import decrypt
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from register.services.evidence import evidence_upload
from tests.factories import PASSWORD

QUEUE = "/registrar/applications/"
PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def code_for(user) -> str:
    """The code the user's authenticator app shows now."""
    app = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP)
    counter = int(time.time()) // mfa_settings.TOTP_PERIOD
    return format_hotp_value(hotp_value(decrypt(app.data["secret"]), counter))


@pytest.fixture
def evidence(worker):
    upload = SimpleUploadedFile("id.pdf", PDF, content_type="application/pdf")
    return evidence_upload(owner=worker, uploaded_by=worker, upload=upload)


@pytest.mark.django_db
def test_a_registrar_session_that_skipped_the_code_is_asked_for_one(client, registrar):
    client.force_login(registrar, second_factor=False)

    response = client.get(QUEUE)

    assert response.status_code == 302
    assert (
        response["Location"]
        == f"{reverse('mfa_reauthenticate')}?next=%2Fregistrar%2Fapplications%2F"
    )


@pytest.mark.django_db
def test_a_session_that_skipped_the_code_holds_no_registrar_powers_anywhere(
    client, registrar, evidence
):
    client.force_login(registrar, second_factor=False)

    # Outside /registrar/ nothing redirects: the permission engine itself refuses.
    response = client.get(reverse("register:evidence-download", args=[evidence.pk]))

    assert response.status_code == 404


@pytest.mark.django_db
def test_the_same_registrar_with_the_code_in_the_session_has_their_powers(
    client, registrar, evidence
):
    client.force_login(registrar)

    assert client.get(QUEUE).status_code == 200
    assert client.get(reverse("register:evidence-download", args=[evidence.pk])).status_code == 200


@pytest.mark.django_db
def test_a_code_typed_in_the_session_gives_the_powers_back(client, registrar):
    client.force_login(registrar, second_factor=False)
    asked = client.get(QUEUE)["Location"]

    answered = client.post(asked, {"code": code_for(registrar)})

    assert answered.status_code == 302
    assert answered["Location"] == QUEUE
    assert client.get(QUEUE).status_code == 200


@pytest.mark.django_db
def test_signing_in_with_password_and_code_opens_the_registrar_pages(client, registrar):
    client.post(reverse("account_login"), {"login": registrar.email, "password": PASSWORD})
    client.post(reverse("mfa_authenticate"), {"code": code_for(registrar)})

    assert client.session[SESSION_KEY] == str(registrar.pk)
    assert client.get(QUEUE).status_code == 200


@pytest.mark.django_db
def test_staff_without_the_code_in_the_session_cannot_open_the_admin(client, registrar):
    client.force_login(registrar, second_factor=False)

    response = client.get("/admin/")

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("mfa_reauthenticate"))


@pytest.mark.django_db
def test_a_registrar_session_ends_after_30_minutes_without_a_request(client, registrar, clock):
    clock.set(datetime(2026, 3, 2, 9, 0, tzinfo=UTC))
    client.force_login(registrar)
    assert client.get(QUEUE).status_code == 200
    # Sliding: each request starts the 30 minutes again.
    for _ in range(3):
        clock.advance(timedelta(minutes=29))
        assert client.get(QUEUE).status_code == 200

    clock.advance(timedelta(minutes=31))
    response = client.get(QUEUE)

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('account_login')}?next=%2Fregistrar%2Fapplications%2F"
    assert SESSION_KEY not in client.session
    followed = client.get(response["Location"])
    assert "signed out after 30 minutes without activity" in followed.content.decode()


@pytest.mark.django_db
def test_a_registrar_session_expires_in_the_store_too(client, registrar, clock):
    clock.set(datetime(2026, 3, 2, 9, 0, tzinfo=UTC))
    client.force_login(registrar)

    client.get(QUEUE)

    # The middleware ends it after 30 idle minutes; the store keeps it an hour longer only to
    # say why, then drops it whatever happens.
    stored = Session.objects.get(session_key=client.session.session_key)
    assert stored.expire_date == datetime(2026, 3, 2, 10, 30, tzinfo=UTC)
    assert client.cookies["sessionid"]["max-age"] == 90 * 60
    clock.advance(timedelta(minutes=91))
    assert (
        client.get(QUEUE)["Location"] == f"{reverse('account_login')}?next=/registrar/applications/"
    )


@pytest.mark.django_db
def test_a_care_worker_s_session_keeps_the_usual_length(client, worker, clock):
    clock.set(datetime(2026, 3, 2, 9, 0, tzinfo=UTC))
    client.force_login(worker)
    client.get(reverse("accounts:home"))

    clock.advance(timedelta(hours=5))
    response = client.get(reverse("accounts:home"))

    assert response.status_code == 200
    assert client.session[SESSION_KEY] == str(worker.pk)
    stored = Session.objects.get(session_key=client.session.session_key)
    assert stored.expire_date > datetime(2026, 3, 9, tzinfo=UTC)


@pytest.mark.django_db(transaction=True)
def test_setting_up_the_authenticator_in_the_session_counts_as_using_it(
    client, registrar_without_mfa
):
    client.force_login(registrar_without_mfa)
    # allauth asks for the password again before an authenticator is added.
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    client.get(reverse("mfa_activate_totp"))
    secret = client.session["mfa.totp.secret"]
    counter = int(time.time()) // mfa_settings.TOTP_PERIOD

    added = client.post(
        reverse("mfa_activate_totp"), {"code": format_hotp_value(hotp_value(secret, counter))}
    )

    assert added.status_code == 302
    assert Authenticator.objects.filter(user=registrar_without_mfa, type="totp").exists()
    assert client.get(QUEUE).status_code == 200
