import threading
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection, connections
from django.utils import timezone

from core.models import AuditEvent
from register import registration_numbers
from register.models import Annotation, RegisterEntry, StatusChange
from register.services import entries
from tests.factories import MembershipFactory, OrganisationFactory

Status = RegisterEntry.Status


def test_a_registration_number_has_a_check_letter_that_catches_typos():
    number = registration_numbers.format_number(1234567)

    assert number == "CR1234567" + registration_numbers.check_letter(1234567)
    assert registration_numbers.is_valid(number)
    assert registration_numbers.is_valid(" cr-1234567-" + number[-1].lower())
    for position in range(2, 9):
        for digit in "0123456789":
            typo = number[:position] + digit + number[position + 1 :]
            if typo != number:
                assert not registration_numbers.is_valid(typo), typo
    for position in range(2, 8):
        swapped = (
            number[:position] + number[position + 1] + number[position] + number[position + 2 :]
        )
        if swapped != number:
            assert not registration_numbers.is_valid(swapped), swapped


@pytest.mark.django_db
def test_a_suspension_records_its_kind_end_date_history_and_audit(
    entry, registrar, django_capture_on_commit_callbacks
):
    until = timezone.localdate() + timedelta(days=90)
    with django_capture_on_commit_callbacks(execute=True):
        entries.entry_suspend(
            entry=entry, registrar=registrar, kind="interim", until=until, reason="Interim order."
        )

    entry.refresh_from_db()
    assert (entry.status, entry.suspension_kind, entry.suspended_until) == (
        Status.SUSPENDED,
        "interim",
        until,
    )
    change = entry.history.first()
    assert (change.old_status, change.new_status, change.reason) == (
        "registered",
        "suspended",
        "Interim order.",
    )
    event = AuditEvent.objects.get(action="register.entry.suspended")
    assert (event.old_status, event.new_status) == ("registered", "suspended")
    assert [message.to for message in mail.outbox] == [[entry.worker.email]]


@pytest.mark.django_db
def test_linked_employers_hear_of_a_change_that_affects_practice_but_not_its_reason(
    entry, registrar, django_capture_on_commit_callbacks
):
    employer_organisation = OrganisationFactory()
    owner = MembershipFactory(organisation=employer_organisation, role="owner").user
    entry.employers.add(employer_organisation)

    with django_capture_on_commit_callbacks(execute=True):
        entries.entry_suspend(
            entry=entry,
            registrar=registrar,
            kind="sanction",
            until=timezone.localdate() + timedelta(days=30),
            reason="Private detail of the hearing.",
        )

    to_employer = [message for message in mail.outbox if message.to == [owner.email]]
    assert len(to_employer) == 1
    assert "Suspended" in to_employer[0].body
    assert "Private detail" not in to_employer[0].body


@pytest.mark.django_db
def test_employers_are_not_told_of_a_change_that_does_not_affect_practice(
    entry, registrar, django_capture_on_commit_callbacks
):
    entry.status = Status.LAPSED
    entry.save()
    entry.employers.add(OrganisationFactory())
    entry.employers.first().memberships.create(user=registrar, role="owner")

    with django_capture_on_commit_callbacks(execute=True):
        entries.entry_remove(
            entry=entry, registrar=registrar, kind="voluntary", reason="Left care work."
        )

    assert [message.to for message in mail.outbox] == [[entry.worker.email]]


@pytest.mark.django_db
def test_employers_are_told_of_a_removal_on_fitness_to_practise_grounds_even_from_a_suspension(
    entry, registrar, django_capture_on_commit_callbacks
):
    # The suspension had stopped the worker practising already, but the removal is final.
    entry.status = Status.SUSPENDED
    entry.save()
    entry.employers.add(OrganisationFactory())
    entry.employers.first().memberships.create(user=registrar, role="owner")

    with django_capture_on_commit_callbacks(execute=True):
        entries.entry_remove(
            entry=entry, registrar=registrar, kind="fitness_to_practise", reason="Struck off."
        )

    assert sorted(message.to[0] for message in mail.outbox) == sorted(
        [entry.worker.email, registrar.email]
    )
    [to_employer] = [message for message in mail.outbox if message.to == [registrar.email]]
    assert "from Suspended to Removed" in to_employer.body
    assert "Struck off" not in to_employer.body


ALLOWED = [
    (Status.REGISTERED, Status.REGISTERED_WITH_CONDITIONS),
    (Status.REGISTERED, Status.SUSPENDED),
    (Status.REGISTERED, Status.LAPSED),
    (Status.REGISTERED, Status.REMOVED),
    (Status.REGISTERED_WITH_CONDITIONS, Status.REGISTERED),
    (Status.REGISTERED_WITH_CONDITIONS, Status.SUSPENDED),
    (Status.REGISTERED_WITH_CONDITIONS, Status.LAPSED),
    (Status.REGISTERED_WITH_CONDITIONS, Status.REMOVED),
    (Status.SUSPENDED, Status.REGISTERED),
    (Status.SUSPENDED, Status.REGISTERED_WITH_CONDITIONS),
    (Status.SUSPENDED, Status.REMOVED),
    (Status.LAPSED, Status.REGISTERED),
    (Status.LAPSED, Status.REMOVED),
]


def test_the_transition_table_is_exactly_the_allowed_list():
    table = {(old, new) for old, targets in RegisterEntry.TRANSITIONS.items() for new in targets}
    assert table == set(ALLOWED)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("old", "new"),
    [(old, new) for old in Status for new in Status if (old, new) not in ALLOWED],
)
def test_every_refused_transition_says_why_and_changes_nothing(entry, registrar, old, new):
    RegisterEntry.objects.filter(pk=entry.pk).update(status=old)

    with pytest.raises(entries.EntryStatusError, match="cannot become"):
        entries._change_status(
            entry=entry, to=new, reason="Testing.", by=registrar, action="register.entry.tested"
        )

    assert RegisterEntry.objects.get(pk=entry.pk).status == old
    assert not StatusChange.objects.filter(entry=entry).exists()
    assert not AuditEvent.objects.filter(action="register.entry.tested").exists()


@pytest.mark.django_db
@pytest.mark.parametrize(("old", "new"), ALLOWED)
def test_every_allowed_transition_is_saved_logged_and_kept_in_history(entry, registrar, old, new):
    RegisterEntry.objects.filter(pk=entry.pk).update(status=old)

    entries._change_status(
        entry=entry, to=new, reason="Testing.", by=registrar, action="register.entry.tested"
    )

    assert RegisterEntry.objects.get(pk=entry.pk).status == new
    assert StatusChange.objects.get(entry=entry).new_status == new
    event = AuditEvent.objects.get(action="register.entry.tested")
    assert (event.old_status, event.new_status) == (old, new)


@pytest.mark.django_db
def test_a_change_without_a_reason_is_refused(entry, registrar):
    with pytest.raises(entries.EntryStatusError, match="Give a reason"):
        entries.entry_lapse(entry=entry, reason="  ")

    assert RegisterEntry.objects.get(pk=entry.pk).status == Status.REGISTERED


@pytest.mark.django_db
def test_a_suspension_needs_a_future_end_date(entry, registrar):
    with pytest.raises(entries.EntryStatusError, match="end date in the future"):
        entries.entry_suspend(
            entry=entry,
            registrar=registrar,
            kind="interim",
            until=timezone.localdate(),
            reason="x",
        )


@pytest.mark.django_db
def test_a_condition_moves_the_entry_to_registered_with_conditions_and_back(entry, registrar):
    condition = entries.entry_add_annotation(
        entry=entry,
        registrar=registrar,
        kind="condition",
        public_text="Must not administer medication unsupervised.",
        reason="Panel decision.",
    )
    assert RegisterEntry.objects.get(pk=entry.pk).status == Status.REGISTERED_WITH_CONDITIONS

    entries.entry_end_annotation(annotation=condition, registrar=registrar, reason="Review.")

    assert RegisterEntry.objects.get(pk=entry.pk).status == Status.REGISTERED
    with pytest.raises(entries.EntryStatusError, match="already ended"):
        entries.entry_end_annotation(annotation=condition, registrar=registrar, reason="Again.")


@pytest.mark.django_db
def test_a_health_related_condition_is_never_public(entry, registrar):
    condition = entries.entry_add_annotation(
        entry=entry,
        registrar=registrar,
        kind="condition",
        public_text="Text that must stay private.",
        is_health_related=True,
        reason="Occupational health advice.",
    )

    assert not condition.is_public
    assert Annotation.objects.get(pk=condition.pk).is_health_related


@pytest.mark.django_db
def test_ending_a_suspension_returns_to_conditions_if_any_remain(entry, registrar):
    entries.entry_add_annotation(
        entry=entry,
        registrar=registrar,
        kind="condition",
        public_text="Supervised practice.",
        reason="Panel.",
    )
    entries.entry_suspend(
        entry=entry,
        registrar=registrar,
        kind="sanction",
        until=timezone.localdate() + timedelta(days=10),
        reason="Sanction.",
    )

    entries.entry_end_suspension(entry=entry, registrar=registrar, reason="Served.")

    entry.refresh_from_db()
    assert entry.status == Status.REGISTERED_WITH_CONDITIONS
    assert entry.suspended_until is None


@pytest.mark.django_db
def test_a_worker_may_leave_but_not_while_suspended(entry, registrar):
    entries.entry_suspend(
        entry=entry,
        registrar=registrar,
        kind="interim",
        until=timezone.localdate() + timedelta(days=10),
        reason="Interim.",
    )
    with pytest.raises(entries.EntryStatusError, match="registrar must agree"):
        entries.entry_request_voluntary_removal(entry=entry, worker=entry.worker, reason="")

    entries.entry_end_suspension(entry=entry, registrar=registrar, reason="Ended.")
    entries.entry_request_voluntary_removal(entry=entry, worker=entry.worker, reason="")

    entry.refresh_from_db()
    assert (entry.status, entry.removal_kind) == (Status.REMOVED, "voluntary")


@pytest.mark.django_db(transaction=True)
def test_concurrent_number_issues_never_repeat_a_number():
    """On PostgreSQL the threads really race; SQLite serialises writers, which is also safe."""
    if connection.vendor == "sqlite":
        pytest.skip("SQLite allows one writer at a time; the race needs PostgreSQL.")
    issued, errors = [], []
    barrier = threading.Barrier(8)

    def issue():
        from django.db import transaction

        try:
            barrier.wait()
            for _ in range(10):
                with transaction.atomic():
                    issued.append(entries.registration_number_issue())
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=issue) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert len(issued) == 80
    assert len(set(issued)) == 80
    assert all(registration_numbers.is_valid(number) for number in issued)
