"""The first registrar is set up by invitation: `manage.py invite_registrar` makes a one-time
link for one address; the invitee signs in with it, uses an authenticator app and accepts."""

from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.core import mail
from django.core.management import CommandError, call_command
from django.urls import reverse

from accounts.models import RegistrarInvitation, User
from accounts.services import registrars
from accounts.services.registrars import RegistrarInvitationError
from config.log_filters import redact
from core.models import AuditEvent
from tests.factories import UserFactory


@pytest.fixture
def invitee(db):
    """Someone with a verified account at the invited address and an authenticator app."""
    user = UserFactory(email="rosa@example.org", full_name="Rosa Registrar")
    TOTP.activate(user, generate_totp_secret())
    return user


def _invite(email="rosa@example.org") -> str:
    _invitation, token = registrars.registrar_invitation_create(email=email)
    return reverse("accounts:registrar-invitation", args=[token])


@pytest.mark.django_db
def test_invite_registrar_prints_and_emails_a_one_time_link(
    capsys, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("invite_registrar", "Rosa@Example.org")

    printed = capsys.readouterr().out
    link = printed.strip().splitlines()[-1]
    assert link.startswith("http://testserver/registrar-invitations/")
    assert mail.outbox[-1].to == ["rosa@example.org"]
    assert link in mail.outbox[-1].body
    invitation = RegistrarInvitation.objects.get()
    assert invitation.email == "rosa@example.org"
    # Only a hash of the token is kept: the table alone opens nothing.
    token = link.rstrip("/").rsplit("/", 1)[-1]
    assert token not in invitation.token_hash
    assert invitation.token_hash == registrars.registrar_invitation_token_hash(token)
    assert AuditEvent.objects.filter(action="accounts.registrar_invitation.created").exists()


@pytest.mark.django_db
def test_invite_registrar_dry_run_changes_nothing(capsys):
    call_command("invite_registrar", "rosa@example.org", "--dry-run")

    assert "would invite rosa@example.org" in capsys.readouterr().out
    assert not RegistrarInvitation.objects.exists()
    assert not mail.outbox


@pytest.mark.django_db
def test_inviting_again_replaces_the_earlier_link(client, invitee):
    first = _invite()
    second = _invite()
    client.force_login(invitee)

    refused = client.post(first)

    assert refused.status_code == 400
    assert "already been used or was replaced" in refused.content.decode()
    assert client.post(second).status_code == 302
    assert RegistrarInvitation.objects.filter(status="cancelled").count() == 1


@pytest.mark.django_db
def test_an_existing_registrar_is_not_invited(registrar):
    with pytest.raises(CommandError, match="already a registrar"):
        call_command("invite_registrar", registrar.email)


@pytest.mark.django_db
def test_the_invitee_with_a_second_factor_in_the_session_becomes_a_registrar(client, invitee):
    link = _invite()
    client.force_login(invitee)

    response = client.post(link)

    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:registrar-home")
    invitee.refresh_from_db()
    assert invitee.is_registrar and invitee.is_staff
    assert client.get(reverse("accounts:registrar-home")).status_code == 200
    invitation = RegistrarInvitation.objects.get()
    assert (invitation.status, invitation.accepted_by) == ("accepted", invitee)
    assert AuditEvent.objects.filter(action="accounts.registrar_invitation.accepted").exists()
    assert AuditEvent.objects.filter(action="accounts.user.registrar_appointed").exists()


@pytest.mark.django_db
def test_the_link_works_only_once(client, invitee, outsider):
    link = _invite()
    client.force_login(invitee)
    client.post(link)

    again = client.post(link)

    assert again.status_code == 400
    assert "already been used" in again.content.decode()


@pytest.mark.django_db
def test_someone_signed_in_with_another_address_cannot_accept(client, outsider):
    TOTP.activate(outsider, generate_totp_secret())
    link = _invite()
    client.force_login(outsider)

    response = client.post(link)

    assert response.status_code == 400
    assert "different email address" in response.content.decode()
    outsider.refresh_from_db()
    assert not outsider.is_registrar
    assert RegistrarInvitation.objects.get().status == "pending"


@pytest.mark.django_db
def test_an_unverified_address_cannot_accept(client, invitee):
    EmailAddress.objects.filter(user=invitee).update(verified=False)
    link = _invite()
    client.force_login(invitee)

    assert client.post(link).status_code == 400
    assert not User.objects.get(pk=invitee.pk).is_registrar


@pytest.mark.django_db
def test_the_invitee_must_set_up_an_authenticator_app_first(client, db):
    user = UserFactory(email="rosa@example.org")
    link = _invite()
    client.force_login(user)

    page = client.get(link).content.decode()
    refused = client.post(link)

    assert "Set up an authenticator app first" in page
    assert reverse("mfa_activate_totp") in page
    assert refused.status_code == 400
    assert not User.objects.get(pk=user.pk).is_registrar


@pytest.mark.django_db
def test_the_invitee_must_have_used_the_authenticator_in_this_session(client, invitee):
    link = _invite()
    client.force_login(invitee, second_factor=False)

    page = client.get(link).content.decode()
    refused = client.post(link)

    assert "Enter a code from your authenticator app first" in page
    assert reverse("mfa_reauthenticate") in page
    assert refused.status_code == 400
    assert not User.objects.get(pk=invitee.pk).is_registrar


@pytest.mark.django_db
def test_an_expired_link_cannot_be_accepted(client, invitee, clock):
    link = _invite()
    clock.advance(timedelta(days=3, minutes=1))
    client.force_login(invitee)

    response = client.post(link)

    assert response.status_code == 400
    assert "expired" in response.content.decode()


@pytest.mark.django_db
def test_someone_signed_out_is_told_how_to_accept(client):
    link = _invite()

    page = client.get(link)

    assert page.status_code == 200
    assert reverse("account_login") in page.content.decode()
    assert client.post(link).status_code == 400


@pytest.mark.django_db
def test_a_wrong_token_is_not_found(client):
    _invite()

    assert client.get(reverse("accounts:registrar-invitation", args=["nope"])).status_code == 404


def test_the_link_s_token_is_masked_in_the_log():
    assert redact("Not Found: /registrar-invitations/abcDEF123_-/") == (
        "Not Found: /registrar-invitations/[redacted]/"
    )


@pytest.mark.django_db
def test_the_service_refuses_an_address_that_is_not_one():
    with pytest.raises(RegistrarInvitationError, match="email address"):
        registrars.registrar_invitation_create(email="   ")
