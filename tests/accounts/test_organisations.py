import re
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from accounts.models import Invitation, Membership, Organisation
from accounts.services import organisations as services
from core.models import AuditEvent
from tests.factories import UserFactory


@pytest.mark.django_db
def test_it_creates_an_organisation_with_its_creator_as_owner(worker):
    organisation = services.organisation_create(
        user=worker, name="  Acorn Care  ", kind=Organisation.Kind.EMPLOYER
    )

    assert organisation.name == "Acorn Care"
    assert organisation.memberships.get().user == worker
    assert organisation.memberships.get().role == Membership.Role.OWNER
    event = AuditEvent.objects.get(action="accounts.organisation.created")
    assert event.target_id == str(organisation.pk)


@pytest.mark.django_db
def test_only_staff_may_create_an_association(worker):
    with pytest.raises(PermissionDenied):
        services.organisation_create(user=worker, name="Assoc", kind=Organisation.Kind.ASSOCIATION)

    assert not Organisation.objects.exists()
    assert not AuditEvent.objects.exists()


@pytest.mark.django_db
def test_an_owner_invites_and_the_invitee_joins(
    employer, employer_organisation, django_capture_on_commit_callbacks
):
    invitee = UserFactory(email="new.colleague@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        invitation = services.invitation_send(
            organisation=employer_organisation, inviter=employer, email="New.Colleague@Example.org"
        )

    assert invitation.email == "new.colleague@example.org"
    assert mail.outbox[0].to == ["new.colleague@example.org"]
    assert f"/invitations/{invitation.token}/" in mail.outbox[0].body

    membership = services.invitation_accept(token=invitation.token, user=invitee)

    assert membership.organisation == employer_organisation
    assert membership.role == Membership.Role.MEMBER
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.ACCEPTED
    accepted = AuditEvent.objects.get(action="accounts.invitation.accepted")
    assert (accepted.old_status, accepted.new_status) == ("pending", "accepted")


@pytest.mark.django_db
def test_a_plain_member_cannot_invite(employer_member, employer_organisation):
    with pytest.raises(PermissionDenied):
        services.invitation_send(
            organisation=employer_organisation, inviter=employer_member, email="x@example.org"
        )

    assert not Invitation.objects.exists()


@pytest.mark.django_db
def test_it_refuses_a_second_pending_invitation_for_the_same_address(
    employer, employer_organisation
):
    services.invitation_send(
        organisation=employer_organisation, inviter=employer, email="twice@example.org"
    )

    with pytest.raises(services.InvitationError, match="already has an invitation waiting"):
        services.invitation_send(
            organisation=employer_organisation, inviter=employer, email="twice@example.org"
        )
    assert Invitation.objects.count() == 1
    assert AuditEvent.objects.filter(action="accounts.invitation.sent").count() == 1


@pytest.mark.django_db
def test_it_refuses_to_invite_an_existing_member(employer, employer_member, employer_organisation):
    with pytest.raises(services.InvitationError, match="already a member"):
        services.invitation_send(
            organisation=employer_organisation, inviter=employer, email=employer_member.email
        )


@pytest.mark.django_db
def test_it_refuses_an_invitation_accepted_by_someone_else(
    employer, employer_organisation, outsider
):
    invitation = services.invitation_send(
        organisation=employer_organisation, inviter=employer, email="intended@example.org"
    )

    with pytest.raises(services.InvitationError, match="different email address"):
        services.invitation_accept(token=invitation.token, user=outsider)
    assert not employer_organisation.memberships.filter(user=outsider).exists()


@pytest.mark.django_db
def test_it_refuses_an_expired_invitation(employer, employer_organisation):
    invitee = UserFactory(email="late@example.org")
    invitation = services.invitation_send(
        organisation=employer_organisation, inviter=employer, email=invitee.email
    )
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )

    with pytest.raises(services.InvitationError, match="expired"):
        services.invitation_accept(token=invitation.token, user=invitee)


@pytest.mark.django_db
def test_it_refuses_to_accept_an_invitation_twice_or_after_withdrawal(
    employer, employer_organisation
):
    invitee = UserFactory(email="twice-accept@example.org")
    invitation = services.invitation_send(
        organisation=employer_organisation, inviter=employer, email=invitee.email
    )
    services.invitation_revoke(invitation=invitation, user=employer)

    with pytest.raises(services.InvitationError, match="already been used or withdrawn"):
        services.invitation_accept(token=invitation.token, user=invitee)
    with pytest.raises(services.InvitationError, match="Only a pending invitation"):
        services.invitation_revoke(invitation=invitation, user=employer)
    revoked = AuditEvent.objects.get(action="accounts.invitation.revoked")
    assert (revoked.old_status, revoked.new_status) == ("pending", "revoked")


@pytest.mark.django_db
def test_the_last_owner_cannot_be_removed(employer, employer_organisation):
    membership = employer_organisation.memberships.get(user=employer)

    with pytest.raises(services.MembershipError, match="at least one owner"):
        services.membership_remove(membership=membership, user=employer)
    assert Membership.objects.filter(pk=membership.pk).exists()


@pytest.mark.django_db
def test_an_owner_removes_a_member(employer, employer_member, employer_organisation):
    membership = employer_organisation.memberships.get(user=employer_member)

    services.membership_remove(membership=membership, user=employer)

    assert not Membership.objects.filter(pk=membership.pk).exists()
    assert AuditEvent.objects.filter(action="accounts.membership.removed").exists()


@pytest.mark.django_db
def test_the_invite_form_shows_errors_next_to_the_field_and_in_a_summary(client, employer):
    client.force_login(employer)
    organisation = employer.organisations.get()

    response = client.post(
        reverse("accounts:organisation-detail", args=[organisation.pk]),
        {"email": "not-an-email", "role": "member"},
    )

    assert response.status_code == 400
    html = response.content.decode()
    assert "There is a problem" in html
    assert 'href="#id_email"' in html
    assert 'id="id_email_error"' in html
    assert re.search(r'<input[^>]*aria-describedby="id_email_error"[^>]*id="id_email"', html) or (
        re.search(r'<input[^>]*id="id_email"[^>]*aria-describedby="id_email_error"', html)
    )
    assert not Invitation.objects.exists()


@pytest.mark.django_db
def test_an_invitee_accepts_through_the_link(client, employer, employer_organisation):
    invitee = UserFactory(email="joiner@example.org")
    invitation = services.invitation_send(
        organisation=employer_organisation, inviter=employer, email=invitee.email
    )
    client.force_login(invitee)
    url = reverse("accounts:organisation-invitation-accept", args=[invitation.token])

    assert b"Join Sunrise Care Homes" in client.get(url).content
    response = client.post(url)

    assert response.status_code == 302
    assert employer_organisation.memberships.filter(user=invitee).exists()
