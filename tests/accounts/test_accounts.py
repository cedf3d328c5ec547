import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.test import Client
from django.urls import reverse

from accounts.models import User
from core.models import AuditEvent
from tests.factories import PASSWORD, UserFactory

SIGNUP = {
    "full_name": "Sam Signup",
    "email": "sam@example.org",
    "password1": "a-long-and-unusual-passphrase",
    "password2": "a-long-and-unusual-passphrase",
    "joining_as": "care_worker",
}


def _confirmation_link(message) -> str:
    return re.search(r"https?://[^/\s]+(/accounts/confirm-email/[^\s]+/)", message.body).group(1)


@pytest.mark.django_db
def test_it_signs_up_a_care_worker_and_emails_a_verification_link(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("account_signup"), SIGNUP)

    assert response.status_code == 302
    user = User.objects.get(email="sam@example.org")
    assert user.full_name == "Sam Signup"
    assert user.is_care_worker
    assert not EmailAddress.objects.get(user=user).verified
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["sam@example.org"]
    assert "/accounts/confirm-email/" in mail.outbox[0].body
    assert AuditEvent.objects.filter(action="accounts.user.signed_up", actor_id=user.pk).exists()


@pytest.mark.django_db
def test_it_refuses_a_weak_password_and_creates_nobody(client):
    response = client.post(
        reverse("account_signup"), {**SIGNUP, "password1": "password", "password2": "password"}
    )

    assert response.status_code == 200
    content = response.content.decode()
    assert "There is a problem" in content
    assert "This password is too short" in content
    assert "This password is too common" in content
    assert not User.objects.filter(email="sam@example.org").exists()


@pytest.mark.django_db
def test_an_unverified_email_cannot_log_in(client):
    UserFactory(email="new@example.org", verified=False)

    response = client.post(
        reverse("account_login"), {"login": "new@example.org", "password": PASSWORD}
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_a_verified_email_logs_in_after_following_the_link(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_signup"), SIGNUP)
    link = _confirmation_link(mail.outbox[0])

    assert client.post(link).status_code == 302
    response = client.post(
        reverse("account_login"), {"login": SIGNUP["email"], "password": SIGNUP["password1"]}
    )

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(User.objects.get(email=SIGNUP["email"]).pk)
    assert AuditEvent.objects.filter(action="accounts.user.email_verified").exists()
    assert AuditEvent.objects.filter(action="accounts.user.logged_in").exists()


@pytest.mark.django_db
def test_confirming_the_email_in_the_browser_that_signed_up_signs_in_and_sends_them_on(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_signup") + "?next=/apply/", SIGNUP)
    link = _confirmation_link(mail.outbox[0])

    response = client.post(link)

    user = User.objects.get(email=SIGNUP["email"])
    assert response.status_code == 302
    assert response["Location"] == "/apply/"
    assert client.session["_auth_user_id"] == str(user.pk)
    assert EmailAddress.objects.get(user=user).verified


@pytest.mark.django_db
def test_confirming_the_email_in_another_browser_confirms_it_but_asks_them_to_sign_in(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_signup"), SIGNUP)
    link = _confirmation_link(mail.outbox[0])
    elsewhere = Client()

    response = elsewhere.post(link)

    assert response.status_code == 302
    assert response["Location"] == reverse("account_login")
    assert "_auth_user_id" not in elsewhere.session
    assert EmailAddress.objects.get(email=SIGNUP["email"]).verified


@pytest.mark.django_db
def test_the_sign_in_and_email_pages_give_the_support_address(client, settings):
    settings.SUPPORT_EMAIL = "help@register.example.org"

    for name in ("account_login", "account_email_verification_sent", "account_reset_password"):
        content = client.get(reverse(name)).content.decode()
        assert 'href="mailto:help@register.example.org"' in content, name
    sent = client.get(reverse("account_email_verification_sent")).content.decode()
    assert "Please contact us" not in sent
    assert "finalize" not in sent


@pytest.mark.django_db
def test_it_rate_limits_failed_logins_for_one_account(client):
    UserFactory(email="target@example.org")
    for _ in range(5):
        response = client.post(
            reverse("account_login"), {"login": "target@example.org", "password": "wrong-guess"}
        )
        assert response.status_code == 200

    response = client.post(
        reverse("account_login"), {"login": "target@example.org", "password": PASSWORD}
    )

    # Even the right password is refused until the limit resets.
    assert response.status_code == 200
    assert "Too many attempts to sign in" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(action="accounts.user.login_failed").count() == 5


@pytest.mark.django_db
def test_password_reset_emails_a_link_that_sets_a_new_password(
    client, worker, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_reset_password"), {"email": worker.email})
    link = re.search(r"https?://[^/\s]+(/accounts/password/reset/key/[^\s]+/)", mail.outbox[0].body)
    response = client.get(link.group(1), follow=True)
    form_url = response.redirect_chain[-1][0]

    response = client.post(
        form_url, {"password1": "another-long-passphrase", "password2": "another-long-passphrase"}
    )

    assert response.status_code == 302
    worker.refresh_from_db()
    assert worker.check_password("another-long-passphrase")
    assert AuditEvent.objects.filter(action="accounts.user.password_reset").exists()


@pytest.mark.django_db
def test_a_registrar_without_mfa_is_sent_to_mfa_set_up(client, registrar_without_mfa):
    client.force_login(registrar_without_mfa)

    for path in (reverse("accounts:registrar-home"), reverse("admin:index")):
        response = client.get(path)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("mfa_activate_totp"))


@pytest.mark.django_db
def test_staff_without_mfa_cannot_open_the_admin(client):
    staff = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(staff)

    response = client.get(reverse("admin:core_auditevent_changelist"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("mfa_activate_totp"))


@pytest.mark.django_db
def test_a_registrar_with_mfa_opens_registrar_pages(registrar_client):
    assert registrar_client.get(reverse("accounts:registrar-home")).status_code == 200


@pytest.mark.django_db
def test_login_asks_a_registrar_with_mfa_for_the_code(client, registrar):
    response = client.post(
        reverse("account_login"), {"login": registrar.email, "password": PASSWORD}
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_the_admin_login_form_is_replaced_by_the_verified_mfa_login(client, registrar):
    response = client.get(reverse("admin:login"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    # Posting a password straight to the admin's form signs nobody in.
    client.post(reverse("admin:login"), {"username": registrar.email, "password": PASSWORD})
    assert "_auth_user_id" not in client.session
