"""Finding 10: a worker who leaves the register takes their consent with them. Removal revokes
their live share codes, a removed worker cannot be added to a staff list, and a worker can take
themselves off any employer's staff list."""

from datetime import timedelta

import pytest
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from core.models import AuditEvent
from employers import selectors as selectors
from employers.models import ShareCode, ShareCodeCheck, StaffMembership
from employers.services import sharecodes, staff
from register.services import entries
from tests.factories import DATE_OF_BIRTH

pytestmark = pytest.mark.django_db


def _check(organisation, user, code):
    return sharecodes.share_code_check(
        organisation=organisation, user=user, code=code, date_of_birth=DATE_OF_BIRTH
    )


def test_removal_from_the_register_revokes_every_live_share_code_with_an_audit_event(
    worker, entry_in_own_role, registrar
):
    first, _ = sharecodes.share_code_create(
        worker=worker, entry=entry_in_own_role, shares_identity_checks=False
    )
    second, _ = sharecodes.share_code_create(
        worker=worker, entry=entry_in_own_role, shares_identity_checks=True
    )

    entries.entry_remove(
        entry=entry_in_own_role, registrar=registrar, kind="voluntary", reason="Left care work."
    )

    assert all(code.revoked_at is not None for code in ShareCode.objects.all())
    events = AuditEvent.objects.filter(action="employers.share_code.revoked")
    assert sorted(event.target_id for event in events) == sorted([str(first.pk), str(second.pk)])
    assert {event.data["reason"] for event in events} == {"worker_removed_from_register"}


def test_a_share_code_made_before_removal_no_longer_opens_the_record(
    share_code, employer, employer_organisation, entry_in_own_role, registrar
):
    entries.entry_remove(
        entry=entry_in_own_role,
        registrar=registrar,
        kind="fitness_to_practise",
        reason="Panel decision.",
    )

    with pytest.raises(sharecodes.ShareCodeNotAccepted):
        _check(employer_organisation, employer, share_code[1])
    assert ShareCodeCheck.objects.get().outcome == ShareCodeCheck.Outcome.REVOKED


def test_a_code_of_a_worker_removed_while_suspended_opens_nothing(
    share_code, employer, employer_organisation, entry_in_own_role, registrar
):
    # Suspended to removed does not change whether the worker may practise, so the register
    # sends employers no signal (test_employers_are_not_told_of_a_change_that_does_not_affect_
    # practice): the check itself refuses the code of a removed entry.
    entries.entry_suspend(
        entry=entry_in_own_role,
        registrar=registrar,
        kind="interim",
        until=timezone.localdate() + timedelta(days=30),
        reason="Investigation.",
    )

    entries.entry_remove(
        entry=entry_in_own_role,
        registrar=registrar,
        kind="fitness_to_practise",
        reason="Panel decision.",
    )

    with pytest.raises(sharecodes.ShareCodeNotAccepted):
        _check(employer_organisation, employer, share_code[1])


def test_a_code_of_a_removed_entry_opens_nothing_even_if_nobody_revoked_it(
    share_code, employer, employer_organisation, entry_in_own_role
):
    # A removal made outside the services (a data fix) sends no signal: the check holds anyway.
    type(entry_in_own_role).objects.filter(pk=entry_in_own_role.pk).update(status="removed")

    with pytest.raises(sharecodes.ShareCodeNotAccepted):
        _check(employer_organisation, employer, share_code[1])


def test_staff_add_refuses_a_worker_removed_after_their_code_was_checked(
    accepted_check, employer, employer_organisation, entry_in_own_role, registrar
):
    entries.entry_remove(
        entry=entry_in_own_role, registrar=registrar, kind="voluntary", reason="Retired."
    )

    with pytest.raises(staff.StaffError, match="no longer on the register"):
        staff.staff_add(organisation=employer_organisation, user=employer, check=accepted_check)
    assert not StaffMembership.objects.exists()


def test_staff_add_refuses_a_removed_worker_whatever_their_code(
    accepted_check, employer, employer_organisation, entry_in_own_role
):
    type(entry_in_own_role).objects.filter(pk=entry_in_own_role.pk).update(status="removed")

    with pytest.raises(staff.StaffError, match="no longer on the register"):
        staff.staff_add(organisation=employer_organisation, user=employer, check=accepted_check)
    assert not StaffMembership.objects.exists()


@pytest.fixture
def listed(accepted_check, employer, employer_organisation):
    return staff.staff_add(organisation=employer_organisation, user=employer, check=accepted_check)


def test_a_worker_takes_themselves_off_a_staff_list_with_an_audit_event(listed, worker):
    membership = staff.staff_leave(membership=listed, worker=worker)

    assert membership.status == StaffMembership.Status.LEFT
    assert membership.removed_by == worker
    event = AuditEvent.objects.get(action="employers.staff.left")
    assert (event.actor_id, event.old_status, event.new_status) == (worker.pk, "active", "left")
    with pytest.raises(staff.StaffError, match="no longer on the staff list"):
        staff.staff_leave(membership=listed, worker=worker)


def test_nobody_else_can_take_a_worker_off_a_list_for_them(listed, other_worker, employer):
    with pytest.raises(Http404):
        selectors.staff_membership_get_for_worker(user=other_worker, pk=listed.pk)
    with pytest.raises(Http404):
        selectors.staff_membership_get_for_worker(user=employer, pk=listed.pk)


def test_the_worker_leaves_from_their_page_and_the_employer_sees_they_left(
    client, listed, worker, employer, employer_organisation, entry_in_own_role
):
    client.force_login(worker)
    page = client.get(reverse("employers:share-codes")).content.decode()
    assert employer_organisation.name in page
    assert reverse("employers:staff-leave", args=[listed.pk]) in page

    response = client.post(reverse("employers:staff-leave", args=[listed.pk]), follow=True)

    assert f"You are no longer on the staff list of {employer_organisation.name}" in (
        response.content.decode()
    )
    assert "No employer lists you as staff" in response.content.decode()
    client.force_login(employer)
    staff_page = client.get(reverse("employers:staff", args=[employer_organisation.pk]))
    text = staff_page.content.decode()
    assert "Workers who left your list" in text
    assert entry_in_own_role.registration_number in text
    assert "Nobody is on your staff list yet" in text


def test_another_worker_cannot_post_to_leave_for_someone_else(client, listed, other_worker):
    client.force_login(other_worker)

    response = client.post(reverse("employers:staff-leave", args=[listed.pk]))

    assert response.status_code == 404
    listed.refresh_from_db()
    assert listed.status == StaffMembership.Status.ACTIVE
