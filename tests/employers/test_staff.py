"""Staff lists: added with the worker's consent, told of changes, shown on the dashboard."""

import csv
import io
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from core.csv_safety import csv_text, spreadsheet_safe
from core.dates import format_day
from core.models import AuditEvent
from employers import selectors as selectors
from employers.models import ShareCode, StaffMembership, TrainingExpiryNotice
from employers.services import sharecodes, staff
from register.models import RegisterEntry
from register.services import entries
from tests.factories import (
    DATE_OF_BIRTH,
    MembershipFactory,
    OrganisationFactory,
    RegisterEntryFactory,
    TrainingRecordFactory,
)

pytestmark = pytest.mark.django_db


def test_an_employer_adds_a_checked_worker_recording_the_check(
    accepted_check, employer, employer_organisation, entry_in_own_role
):
    membership = staff.staff_add(
        organisation=employer_organisation, user=employer, check=accepted_check
    )

    assert (membership.entry, membership.consent_check, membership.status) == (
        entry_in_own_role,
        accepted_check,
        StaffMembership.Status.ACTIVE,
    )
    event = AuditEvent.objects.get(action="employers.staff.added")
    assert event.data["check_id"] == accepted_check.pk and event.actor_id == employer.pk


def test_a_refused_check_gives_no_consent(share_code, employer, employer_organisation):
    with pytest.raises(sharecodes.ShareCodeNotAccepted):
        sharecodes.share_code_check(
            organisation=employer_organisation,
            user=employer,
            code=share_code[1],
            date_of_birth=DATE_OF_BIRTH + timedelta(days=1),
        )
    refused = share_code[0].checks.get()

    with pytest.raises(staff.StaffError, match="Only a worker whose share code you checked"):
        staff.staff_add(organisation=employer_organisation, user=employer, check=refused)


def test_another_employers_check_gives_no_consent(accepted_check):
    other = MembershipFactory(organisation__kind="employer").user

    with pytest.raises(staff.StaffError, match="Only a worker whose share code you checked"):
        staff.staff_add(organisation=other.organisations.get(), user=other, check=accepted_check)


def test_a_check_adds_a_worker_once(accepted_check, employer, employer_organisation):
    membership = staff.staff_add(
        organisation=employer_organisation, user=employer, check=accepted_check
    )
    staff.staff_remove(membership=membership, user=employer)

    with pytest.raises(staff.StaffError, match="already been used"):
        staff.staff_add(organisation=employer_organisation, user=employer, check=accepted_check)


def test_a_worker_already_on_the_list_is_not_added_twice(
    share_code, accepted_check, employer, employer_organisation
):
    staff.staff_add(organisation=employer_organisation, user=employer, check=accepted_check)
    second = sharecodes.share_code_check(
        organisation=employer_organisation,
        user=employer,
        code=share_code[1],
        date_of_birth=DATE_OF_BIRTH,
    ).check

    with pytest.raises(staff.StaffError, match="already on your staff list"):
        staff.staff_add(organisation=employer_organisation, user=employer, check=second)


def test_revoking_the_code_withdraws_consent_not_yet_used(
    worker, share_code, accepted_check, employer, employer_organisation
):
    sharecodes.share_code_revoke(share_code=share_code[0], worker=worker)

    with pytest.raises(staff.StaffError, match="expired or been revoked"):
        staff.staff_add(organisation=employer_organisation, user=employer, check=accepted_check)
    assert not StaffMembership.objects.exists()


def test_people_outside_the_employer_cannot_add(accepted_check, employer_organisation, worker):
    with pytest.raises(PermissionDenied):
        staff.staff_add(organisation=employer_organisation, user=worker, check=accepted_check)


def test_an_employer_removes_a_worker_once(accepted_check, employer, employer_organisation):
    membership = staff.staff_add(
        organisation=employer_organisation, user=employer, check=accepted_check
    )

    staff.staff_remove(membership=membership, user=employer)

    membership.refresh_from_db()
    assert (membership.status, membership.removed_by) == ("removed", employer)
    event = AuditEvent.objects.get(action="employers.staff.removed")
    assert (event.old_status, event.new_status) == ("active", "removed")
    with pytest.raises(staff.StaffError, match="already been removed"):
        staff.staff_remove(membership=membership, user=employer)


def test_an_employer_says_why_a_worker_leaves_the_list(
    accepted_check, employer, employer_organisation
):
    membership = staff.staff_add(
        organisation=employer_organisation, user=employer, check=accepted_check
    )
    with pytest.raises(staff.StaffError, match="Choose why"):
        staff.staff_remove(membership=membership, user=employer, reason="bored")
    membership.refresh_from_db()
    assert membership.status == "active"

    staff.staff_remove(membership=membership, user=employer, reason="conduct")

    membership.refresh_from_db()
    assert (membership.status, membership.removal_reason) == ("removed", "conduct")
    event = AuditEvent.objects.get(action="employers.staff.removed")
    assert event.data["reason"] == "conduct"


def test_the_worker_sees_which_employers_list_them(
    worker, entry_in_own_role, accepted_check, employer, employer_organisation
):
    staff.staff_add(organisation=employer_organisation, user=employer, check=accepted_check)

    listed = selectors.employers_listing_worker(user=worker, entry=entry_in_own_role)

    assert [membership.organisation for membership in listed] == [employer_organisation]


# --- Notifications ------------------------------------------------------------------------------


def test_staff_list_employers_hear_of_a_status_change_once_even_if_also_linked(
    entry_in_own_role,
    accepted_check,
    employer,
    employer_member,
    employer_organisation,
    registrar,
    django_capture_on_commit_callbacks,
):
    staff.staff_add(organisation=employer_organisation, user=employer, check=accepted_check)
    entry_in_own_role.employers.add(employer_organisation)  # also named on the application
    named_only = OrganisationFactory(name="Named Only")
    named_owner = MembershipFactory(organisation=named_only, role="owner").user
    entry_in_own_role.employers.add(named_only)

    with django_capture_on_commit_callbacks(execute=True):
        entries.entry_suspend(
            entry=entry_in_own_role,
            registrar=registrar,
            kind="interim",
            until=timezone.localdate() + timedelta(days=30),
            reason="Private detail.",
        )

    to_employers = [
        message for message in mail.outbox if message.to != [entry_in_own_role.worker.email]
    ]
    assert sorted(sorted(message.to) for message in to_employers) == sorted(
        [sorted([employer.email, employer_member.email]), [named_owner.email]]
    )
    assert all("Private detail" not in message.body for message in to_employers)


def test_a_removed_staff_member_no_longer_notifies_the_employer(
    entry_in_own_role,
    accepted_check,
    employer,
    employer_organisation,
    registrar,
    django_capture_on_commit_callbacks,
):
    membership = staff.staff_add(
        organisation=employer_organisation, user=employer, check=accepted_check
    )
    staff.staff_remove(membership=membership, user=employer)

    with django_capture_on_commit_callbacks(execute=True):
        entries.entry_lapse(entry=entry_in_own_role, reason="Not renewed.")

    assert [message.to for message in mail.outbox] == [[entry_in_own_role.worker.email]]


@pytest.fixture
def listed_entry(entry_in_own_role, accepted_check, employer, employer_organisation):
    staff.staff_add(organisation=employer_organisation, user=employer, check=accepted_check)
    return entry_in_own_role


def test_the_daily_command_tells_employers_of_expired_training_once(
    listed_entry, moving, employer, capsys, django_capture_on_commit_callbacks
):
    today = timezone.localdate()
    expired = TrainingRecordFactory(
        entry=listed_entry, standard=moving, expires_on=today - timedelta(days=1)
    )

    with django_capture_on_commit_callbacks(execute=True):
        call_command("notify_expiring_training")
        call_command("notify_expiring_training")

    to_employer = [message for message in mail.outbox if employer.email in message.to]
    assert len(to_employer) == 1
    assert "Moving and handling" in to_employer[0].body
    notice = TrainingExpiryNotice.objects.get()
    assert (notice.record, notice.organisations_notified) == (expired, 1)
    assert AuditEvent.objects.filter(action="employers.training_expiry.notified").count() == 1
    assert "0 expired record(s) handled." in capsys.readouterr().out


def test_the_dry_run_sends_and_records_nothing(
    listed_entry, moving, capsys, django_capture_on_commit_callbacks
):
    TrainingRecordFactory(
        entry=listed_entry, standard=moving, expires_on=timezone.localdate() - timedelta(days=1)
    )

    with django_capture_on_commit_callbacks(execute=True):
        call_command("notify_expiring_training", "--dry-run")

    assert mail.outbox == [] and not TrainingExpiryNotice.objects.exists()
    assert "would notify" in capsys.readouterr().out


def test_renewed_training_and_training_still_valid_are_not_announced(
    listed_entry, moving, fire, django_capture_on_commit_callbacks
):
    today = timezone.localdate()
    TrainingRecordFactory(
        entry=listed_entry,
        standard=moving,
        expires_on=today - timedelta(days=2),
        completed_on=today - timedelta(days=400),
    )
    TrainingRecordFactory(
        entry=listed_entry,
        standard=moving,
        expires_on=today + timedelta(days=300),
        completed_on=today - timedelta(days=60),
    )
    TrainingRecordFactory(entry=listed_entry, standard=fire, expires_on=today + timedelta(days=1))

    with django_capture_on_commit_callbacks(execute=True):
        call_command("notify_expiring_training")

    assert mail.outbox == []
    assert TrainingExpiryNotice.objects.get().organisations_notified == 0


# --- The dashboard --------------------------------------------------------------------------------


def _staff_of(organisation, owner, count, standards):
    today = timezone.localdate()
    for index in range(count):
        entry = RegisterEntryFactory(application__legal_name=f"Worker {index:03d}")
        share_code, code = sharecodes.share_code_create(
            worker=entry.worker, entry=entry, shares_identity_checks=False
        )
        shared = sharecodes.share_code_check(
            organisation=organisation,
            user=owner,
            code=code,
            date_of_birth=entry.application.date_of_birth,
        )
        staff.staff_add(organisation=organisation, user=owner, check=shared.check)
        for offset, standard in enumerate(standards):
            TrainingRecordFactory(
                entry=entry,
                standard=standard,
                expires_on=today + timedelta(days=10 + 40 * offset + index),
            )


def test_the_dashboard_takes_a_few_queries_whatever_the_number_of_staff(
    employer, employer_organisation, moving, fire, django_assert_max_num_queries
):
    _staff_of(employer_organisation, employer, 30, [moving, fire])

    # One for the membership, one for the organisation's verification, three for the list.
    with django_assert_max_num_queries(5):
        rows = selectors.staff_dashboard(
            user=employer, organisation=employer_organisation, today=timezone.localdate()
        )
        [row.attention_text for row in rows]

    assert len(rows) == 30


def test_the_dashboard_page_takes_a_few_queries(
    client, employer, employer_organisation, moving, django_assert_max_num_queries
):
    _staff_of(employer_organisation, employer, 20, [moving])
    client.force_login(employer)

    with django_assert_max_num_queries(12):
        response = client.get(reverse("employers:staff", args=[employer_organisation.pk]))

    assert response.status_code == 200
    assert response.content.decode().count('<td data-label="Name">Worker 0') == 20


def test_the_dashboard_shows_training_due_or_expired_and_sorts(
    employer, employer_organisation, entry_in_own_role, moving, fire, accepted_check
):
    today = timezone.localdate()
    staff.staff_add(organisation=employer_organisation, user=employer, check=accepted_check)
    TrainingRecordFactory(
        entry=entry_in_own_role, standard=moving, expires_on=today - timedelta(days=5)
    )
    TrainingRecordFactory(
        entry=entry_in_own_role, standard=fire, expires_on=today + timedelta(days=300)
    )
    later = RegisterEntryFactory(application__legal_name="Aaron Able")
    _, code = sharecodes.share_code_create(
        worker=later.worker, entry=later, shares_identity_checks=False
    )
    check = sharecodes.share_code_check(
        organisation=employer_organisation,
        user=employer,
        code=code,
        date_of_birth=later.application.date_of_birth,
    )
    staff.staff_add(organisation=employer_organisation, user=employer, check=check.check)
    RegisterEntry.objects.filter(pk=later.pk).update(status="suspended")

    def names(sort):
        return [
            row.entry.full_name
            for row in selectors.staff_dashboard(
                user=employer, organisation=employer_organisation, today=today, sort=sort
            )
        ]

    assert names("name") == ["Aaron Able", "Wendy Worker"]
    assert names("status") == ["Wendy Worker", "Aaron Able"]
    assert names("expiry") == ["Wendy Worker", "Aaron Able"]
    wendy = selectors.staff_dashboard(
        user=employer, organisation=employer_organisation, today=today
    )[1]
    assert [item.record.standard.code for item in wendy.attention] == ["moving-and-handling"]
    # The next expiry is one still to come; the past one is reported apart.
    assert wendy.next_expiry == today + timedelta(days=300)
    assert wendy.expired_on == today - timedelta(days=5)


def test_next_expiry_never_shows_a_date_already_past(
    client, employer, employer_organisation, entry_in_own_role, moving, fire, accepted_check
):
    today = timezone.localdate()
    staff.staff_add(organisation=employer_organisation, user=employer, check=accepted_check)
    TrainingRecordFactory(entry=entry_in_own_role, standard=moving, expires_on=today)
    TrainingRecordFactory(
        entry=entry_in_own_role, standard=fire, expires_on=today + timedelta(days=40)
    )
    client.force_login(employer)

    [row] = selectors.staff_dashboard(
        user=employer, organisation=employer_organisation, today=today
    )
    page = client.get(reverse("employers:staff", args=[employer_organisation.pk]))
    csv_rows = list(
        csv.reader(
            io.StringIO(
                client.get(reverse("employers:staff-csv", args=[employer_organisation.pk]))
                .content.decode()
                .lstrip("\ufeff")
            )
        )
    )

    # Training expires on its expiry date, so today is already past.
    assert row.next_expiry == today + timedelta(days=40)
    assert row.expired_on == today
    html = page.content.decode()
    assert f"<strong>Expired on {format_day(today, short=True)}</strong>" in html
    assert f"Next: {format_day(today + timedelta(days=40), short=True)}" in html
    header = csv_rows[0]
    assert csv_rows[1][header.index("Next expiry")] == (today + timedelta(days=40)).isoformat()
    assert csv_rows[1][header.index("Expired on")] == today.isoformat()


def test_only_the_employers_members_see_its_staff(employer_organisation, worker, provider):
    for user in (worker, provider):
        with pytest.raises(PermissionDenied):
            selectors.staff_dashboard(
                user=user, organisation=employer_organisation, today=timezone.localdate()
            )


# --- CSV ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+1", "'+1"),
        ("-1+2", "'-1+2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcmd", "'\tcmd"),
        ("\rcmd", "'\rcmd"),
        ("Zoë O'Neill", "Zoë O'Neill"),
        (None, ""),
        (42, "42"),
    ],
)
def test_a_cell_a_spreadsheet_would_run_as_a_formula_is_made_text(cell, expected):
    assert spreadsheet_safe(cell) == expected


def test_the_csv_export_neutralises_formulas_in_names(
    client, employer, employer_organisation, entry_in_own_role, accepted_check
):
    RegisterEntry.objects.filter(pk=entry_in_own_role.pk).update(full_name="=cmd|' /C calc'!A0")
    staff.staff_add(organisation=employer_organisation, user=employer, check=accepted_check)
    client.force_login(employer)

    response = client.get(reverse("employers:staff-csv", args=[employer_organisation.pk]))

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[0][:3] == ["Name", "Registration number", "Status"]
    assert rows[1][0] == "'=cmd|' /C calc'!A0"
    assert rows[1][1] == entry_in_own_role.registration_number


def test_csv_text_quotes_commas_and_new_lines():
    text = csv_text([["a,b", "line\nbreak", "-x"]])

    assert list(csv.reader(io.StringIO(text.lstrip("\ufeff")))) == [["a,b", "line\nbreak", "'-x"]]


def test_an_expired_code_cannot_add_later(accepted_check, employer, employer_organisation):
    ShareCode.objects.filter(pk=accepted_check.share_code_id).update(expires_at=timezone.now())

    with pytest.raises(staff.StaffError, match="expired or been revoked"):
        staff.staff_add(organisation=employer_organisation, user=employer, check=accepted_check)


@pytest.mark.django_db(transaction=True)
def test_two_members_adding_the_same_worker_at_once_add_them_once(
    worker, entry_in_own_role, employer, employer_member, employer_organisation
):
    """On PostgreSQL the threads really race; SQLite serialises writers, which is also safe."""
    import threading

    from django.db import connection, connections

    if connection.vendor == "sqlite":
        pytest.skip("SQLite allows one writer at a time; the race needs PostgreSQL.")
    _, code = sharecodes.share_code_create(
        worker=worker, entry=entry_in_own_role, shares_identity_checks=False
    )
    checks = {
        user: sharecodes.share_code_check(
            organisation=employer_organisation, user=user, code=code, date_of_birth=DATE_OF_BIRTH
        ).check
        for user in (employer, employer_member)
    }
    added, refused, errors = [], [], []
    barrier = threading.Barrier(2)

    def add(user):
        try:
            barrier.wait()
            added.append(
                staff.staff_add(organisation=employer_organisation, user=user, check=checks[user])
            )
        except staff.StaffError as error:
            refused.append(str(error))
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=add, args=[user]) for user in checks]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert len(added) == 1
    assert refused == ["Wendy Worker is already on your staff list."]
    assert StaffMembership.objects.filter(status="active").count() == 1


def test_the_dashboard_shows_when_each_practising_workers_registration_is_due_for_renewal(
    client, employer, employer_organisation, entry_in_own_role, accepted_check
):
    # An employer warned that a registration lapses unless renewed finds the date on the list.
    staff.staff_add(organisation=employer_organisation, user=employer, check=accepted_check)
    due = timezone.localdate() + timedelta(days=30)
    RegisterEntry.objects.filter(pk=entry_in_own_role.pk).update(renewal_due=due)
    client.force_login(employer)
    url = reverse("employers:staff", args=[employer_organisation.pk])

    page = client.get(url).content.decode()

    assert (
        f'<td data-label="Status">Registered<br>Renewal due by {format_day(due, short=True)}</td>'
        in page
    )
    RegisterEntry.objects.filter(pk=entry_in_own_role.pk).update(status="suspended")
    page = client.get(url).content.decode()
    assert "Renewal due by" not in page


def test_the_dashboard_shows_fifty_workers_a_page_and_keeps_the_sort(
    client, employer, employer_organisation, moving
):
    _staff_of(employer_organisation, employer, 53, [moving])
    client.force_login(employer)
    url = reverse("employers:staff", args=[employer_organisation.pk])

    first = client.get(url, {"sort": "expiry"}).content.decode()
    second = client.get(url, {"sort": "expiry", "page": 2}).content.decode()
    past_the_end = client.get(url, {"page": 99}).content.decode()
    not_a_number = client.get(url, {"page": "two"}).content.decode()

    assert first.count('<td data-label="Name">Worker ') == 50
    assert second.count('<td data-label="Name">Worker ') == 3
    # Worker n's training expires in 10 + n days: 51 of them within 60 days.
    assert "53 workers, 51 with training due within 60 days" in first
    assert "Page 1 of 2" in first and 'href="?sort=expiry&amp;page=2" rel="next"' in first
    assert "Page 2 of 2" in second and 'href="?sort=expiry&amp;page=1" rel="prev"' in second
    assert past_the_end.count('<td data-label="Name">Worker ') == 3
    assert not_a_number.count('<td data-label="Name">Worker ') == 50
