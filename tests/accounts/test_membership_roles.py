"""Changing a member's role, and what it does to the API keys they made.

Whoever made a key can keep its secret, so a key must not outlive its maker's right to manage
the organisation's keys: demoting an owner, or removing them, revokes the live keys they made
for that organisation, in the same transaction, with an audit event for each.
"""

import pytest
from django.core import mail
from django.urls import reverse

from accounts.models import Membership, Organisation
from accounts.services import organisations as services
from core.models import AuditEvent
from employers.models import ApiKey
from employers.services import api_keys
from tests.accounts.conftest import make_key
from tests.factories import MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


def test_demoting_an_owner_revokes_exactly_the_live_keys_they_made_for_that_organisation(
    employer, employer_organisation, second_owner, django_capture_on_commit_callbacks
):
    owen = second_owner.user
    hr = make_key(employer_organisation, owen, "HR system")
    rota = make_key(employer_organisation, owen, "Rota")
    already_revoked = api_keys.api_key_revoke(
        api_key=make_key(employer_organisation, owen, "Old"), user=employer
    )
    emmas = make_key(employer_organisation, employer, "Emma's key")
    elsewhere = OrganisationFactory(name="Elsewhere Care", kind=Organisation.Kind.EMPLOYER)
    MembershipFactory(user=owen, organisation=elsewhere, role=Membership.Role.OWNER)
    owens_elsewhere = make_key(elsewhere, owen, "Elsewhere HR")

    with django_capture_on_commit_callbacks(execute=True):
        revoked = services.membership_role_change(
            membership=second_owner, user=employer, role=Membership.Role.MEMBER
        )

    assert sorted(key.pk for key in revoked) == sorted([hr.pk, rota.pk])
    for key in (hr, rota):
        key.refresh_from_db()
        assert key.revoked_at is not None
        assert key.revoked_by == employer
    for key in (emmas, owens_elsewhere):
        key.refresh_from_db()
        assert key.revoked_at is None
    revoked_at_first = already_revoked.revoked_at
    already_revoked.refresh_from_db()
    assert already_revoked.revoked_at == revoked_at_first
    assert AuditEvent.objects.filter(action="employers.api_key.revoked").count() == 3
    second_owner.refresh_from_db()
    assert second_owner.role == Membership.Role.MEMBER


def test_demotion_writes_a_role_event_and_one_revocation_event_per_key(
    employer, employer_organisation, second_owner
):
    owen = second_owner.user
    hr = make_key(employer_organisation, owen, "HR system")
    rota = make_key(employer_organisation, owen, "Rota")

    services.membership_role_change(
        membership=second_owner, user=employer, role=Membership.Role.MEMBER
    )

    role_event = AuditEvent.objects.get(action="accounts.membership.role_changed")
    assert role_event.actor_id == employer.pk
    assert role_event.data["user_id"] == owen.pk
    assert (role_event.data["old_role"], role_event.data["new_role"]) == ("owner", "member")
    revocations = AuditEvent.objects.filter(action="employers.api_key.revoked").order_by("pk")
    assert [event.target_id for event in revocations] == [str(hr.pk), str(rota.pk)]
    assert {event.actor_id for event in revocations} == {employer.pk}
    assert {event.data["reason"] for event in revocations} == {"maker_not_owner"}
    assert [event.data["key_id"] for event in revocations] == [hr.key_id, rota.key_id]


def test_the_remaining_owners_are_emailed_once_the_change_is_committed(
    employer, employer_organisation, second_owner, django_capture_on_commit_callbacks
):
    make_key(employer_organisation, second_owner.user, "HR system")
    make_key(employer_organisation, second_owner.user, "Rota")

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.membership_role_change(
            membership=second_owner, user=employer, role=Membership.Role.MEMBER
        )
    assert mail.outbox == []
    for callback in callbacks:
        callback()

    [message] = mail.outbox
    assert message.to == ["employer@example.org"]
    assert "2 API keys of Sunrise Care Homes revoked" in message.subject
    assert (
        "2 API keys made by Owen Owner for Sunrise Care Homes were revoked because Owen Owner "
        "is no longer an owner of Sunrise Care Homes" in message.body
    )
    assert "- HR system (cr_live_" in message.body
    assert "make new keys" in message.body
    assert reverse("employers:api-keys", args=[employer_organisation.pk]) in message.body


def test_a_demotion_of_someone_without_keys_sends_no_email(
    employer, second_owner, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        revoked = services.membership_role_change(
            membership=second_owner, user=employer, role=Membership.Role.MEMBER
        )

    assert revoked == []
    assert mail.outbox == []
    assert not AuditEvent.objects.filter(action="employers.api_key.revoked").exists()


def test_a_promotion_revokes_nothing(employer, employer_organisation, employer_member):
    membership = employer_member.memberships.get()
    # A key left from before this rule, made while they were an owner.
    ApiKey.objects.create(
        organisation=employer_organisation,
        name="Left over",
        key_id="0123456789ab",
        secret_hash="0" * 64,
        scopes=["staff:read"],
        created_by=employer_member,
    )

    revoked = services.membership_role_change(
        membership=membership, user=employer, role=Membership.Role.OWNER
    )

    assert revoked == []
    assert ApiKey.objects.get().revoked_at is None
    membership.refresh_from_db()
    assert membership.role == Membership.Role.OWNER


def test_a_role_change_that_keeps_the_right_to_manage_keys_revokes_nothing(
    employer, employer_organisation, second_owner, monkeypatch
):
    # Today there are only two roles; a third that may still manage keys must keep them. The
    # rule is read from accounts.permissions, so widen it for this test.
    from accounts import permissions

    monkeypatch.setitem(permissions._RULES, "apikey.manage", lambda user, organisation: True)
    key = make_key(employer_organisation, second_owner.user)

    revoked = services.membership_role_change(
        membership=second_owner, user=employer, role=Membership.Role.MEMBER
    )

    assert revoked == []
    key.refresh_from_db()
    assert key.revoked_at is None


def test_it_refuses_to_demote_the_last_owner(employer, employer_organisation):
    membership = employer.memberships.get()
    key = make_key(employer_organisation, employer)

    with pytest.raises(services.MembershipError, match="at least one owner"):
        services.membership_role_change(
            membership=membership, user=employer, role=Membership.Role.MEMBER
        )

    membership.refresh_from_db()
    assert membership.role == Membership.Role.OWNER
    key.refresh_from_db()
    assert key.revoked_at is None
    assert not AuditEvent.objects.filter(action="accounts.membership.role_changed").exists()


def test_it_refuses_a_role_the_member_already_has_and_an_unknown_role(employer, second_owner):
    with pytest.raises(services.MembershipError, match="already an owner"):
        services.membership_role_change(
            membership=second_owner, user=employer, role=Membership.Role.OWNER
        )
    with pytest.raises(services.MembershipError, match="Choose a role"):
        services.membership_role_change(membership=second_owner, user=employer, role="admin")


def test_a_plain_member_may_not_change_roles(employer, employer_member, second_owner):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.membership_role_change(
            membership=second_owner, user=employer_member, role=Membership.Role.MEMBER
        )
    second_owner.refresh_from_db()
    assert second_owner.role == Membership.Role.OWNER


def test_removing_a_member_revokes_their_keys_so_rejoining_does_not_bring_them_back(
    employer, employer_organisation, second_owner, django_capture_on_commit_callbacks
):
    owen = second_owner.user
    key = make_key(employer_organisation, owen)
    emmas = make_key(employer_organisation, employer, "Emma's key")

    with django_capture_on_commit_callbacks(execute=True):
        revoked = services.membership_remove(membership=second_owner, user=employer)
    MembershipFactory(user=owen, organisation=employer_organisation, role=Membership.Role.OWNER)

    assert [api_key.pk for api_key in revoked] == [key.pk]
    key.refresh_from_db()
    assert (key.revoked_by, key.revoked_at is not None) == (employer, True)
    emmas.refresh_from_db()
    assert emmas.revoked_at is None
    event = AuditEvent.objects.get(action="employers.api_key.revoked")
    assert event.data["reason"] == "maker_left"
    [message] = mail.outbox
    assert "because Owen Owner has left Sunrise Care Homes" in message.body
