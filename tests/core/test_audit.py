import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.db.transaction import TransactionManagementError
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.audit import InvalidAuditEvent, audit_events_written_last, audit_log, find_chain_breaks
from core.models import GENESIS_HASH, AuditEvent, AuditLogIsAppendOnly


def _write_three(actor):
    return [
        audit_log(action="register.test.first", actor=actor, target=actor, data={"n": 1}),
        audit_log(
            action="register.test.second",
            actor=actor,
            old_status="draft",
            new_status="submitted",
            data={"n": 2},
        ),
        audit_log(action="register.test.third", data={"n": 3}),
    ]


def _raw_update(event_id, **values):
    # Straight SQL, as an intruder with database access would do it.
    assignments = ", ".join(f"{column} = %s" for column in values)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE core_auditevent SET {assignments} WHERE id = %s",
            [*values.values(), event_id],
        )


def _raw_delete(event_id):
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM core_auditevent WHERE id = %s", [event_id])


@pytest.mark.django_db
def test_it_chains_each_event_to_the_one_before(worker):
    first, second, third = _write_three(worker)

    assert first.previous_hash == GENESIS_HASH
    assert second.previous_hash == first.hash
    assert third.previous_hash == second.hash
    assert first.actor_id == worker.pk
    assert first.target_type == "accounts.user"
    assert first.target_id == str(worker.pk)
    assert second.old_status == "draft" and second.new_status == "submitted"
    assert third.actor_label == "system"
    assert list(find_chain_breaks()) == []


@pytest.mark.django_db
def test_it_masks_secrets_at_any_depth():
    event = audit_log(
        action="register.test.masked",
        data={
            "password": "hunter2",
            "nested": {"api_key": "abc", "document_number": "123456789", "town": "Leeds"},
            "list": [{"secret": "s"}],
        },
    )
    event.refresh_from_db()

    assert event.data == {
        "password": "********",
        "nested": {"api_key": "********", "document_number": "********", "town": "Leeds"},
        "list": [{"secret": "********"}],
    }
    assert "hunter2" not in str(AuditEvent.objects.values_list("data", flat=True))


@pytest.mark.django_db
def test_it_refuses_an_action_code_without_a_namespace():
    with pytest.raises(InvalidAuditEvent):
        audit_log(action="approved")

    assert AuditEvent.objects.count() == 0


@pytest.mark.django_db
def test_events_cannot_be_changed_or_deleted_through_the_orm(worker):
    event = audit_log(action="register.test.kept", actor=worker)

    event.action = "register.test.changed"
    with pytest.raises(AuditLogIsAppendOnly):
        event.save()
    with pytest.raises(AuditLogIsAppendOnly):
        event.delete()
    assert AuditEvent.objects.get(pk=event.pk).action == "register.test.kept"


@pytest.mark.django_db
def test_verify_audit_log_passes_on_an_intact_log(worker, capsys):
    _write_three(worker)

    call_command("verify_audit_log")

    assert "Audit log intact: 3 events verified." in capsys.readouterr().out


@pytest.mark.django_db
def test_verify_audit_log_names_an_edited_event(worker):
    _, second, _ = _write_three(worker)
    _raw_update(second.pk, new_status="approved")

    with pytest.raises(CommandError, match=f"broken at event {second.pk}: .*edited"):
        call_command("verify_audit_log")


@pytest.mark.django_db
def test_verify_audit_log_names_an_event_whose_data_was_edited(worker):
    first, _, _ = _write_three(worker)
    _raw_update(first.pk, data='{"n": 99}')

    with pytest.raises(CommandError, match=f"broken at event {first.pk}"):
        call_command("verify_audit_log")


@pytest.mark.django_db
def test_verify_audit_log_names_the_event_after_a_deleted_one(worker):
    _, second, third = _write_three(worker)
    _raw_delete(second.pk)

    with pytest.raises(CommandError, match=f"broken at event {third.pk}: .*deleted"):
        call_command("verify_audit_log")


@pytest.mark.django_db
def test_verify_audit_log_notices_the_newest_event_deleted(worker):
    _, _, third = _write_three(worker)
    _raw_delete(third.pk)

    with pytest.raises(CommandError, match=f"broken at event {third.pk}: .*newest"):
        call_command("verify_audit_log")


@pytest.mark.django_db
def test_verify_audit_log_notices_a_rehashed_edit(worker):
    """An intruder who edits an event and recomputes its hash still breaks the next link."""
    first, second, _ = _write_three(worker)
    event = AuditEvent.objects.get(pk=first.pk)
    event.actor_label = "someone-else@example.org"
    _raw_update(first.pk, actor_label=event.actor_label, hash=event.compute_hash())

    with pytest.raises(CommandError, match=f"broken at event {second.pk}"):
        call_command("verify_audit_log")


@pytest.mark.django_db
def test_requests_record_their_id_and_client_address(client, worker):
    client.force_login(worker)

    response = client.post(
        reverse("accounts:organisation-list"),
        {"name": "Acorn Care", "kind": "employer"},
        REMOTE_ADDR="203.0.113.9",
        HTTP_X_REQUEST_ID="req-1234567890",
    )

    assert response.status_code == 302
    assert response["X-Request-ID"] == "req-1234567890"
    event = AuditEvent.objects.get(action="accounts.organisation.created")
    assert event.request_id == "req-1234567890"
    assert event.ip_address == "203.0.113.9"
    assert event.actor_id == worker.pk


@pytest.mark.django_db
def test_registrars_read_the_log_in_the_admin_but_cannot_change_it(registrar_client, worker):
    event = audit_log(action="register.test.visible", actor=worker)
    changelist = reverse("admin:core_auditevent_changelist")
    change = reverse("admin:core_auditevent_change", args=[event.pk])

    assert registrar_client.get(changelist).status_code == 200
    page = registrar_client.get(change)
    assert page.status_code == 200
    assert b"register.test.visible" in page.content
    assert b'name="_save"' not in page.content
    assert registrar_client.get(reverse("admin:core_auditevent_add")).status_code == 403
    delete = reverse("admin:core_auditevent_delete", args=[event.pk])
    assert registrar_client.post(delete, {"post": "yes"}).status_code == 403
    assert registrar_client.post(change, {"action": "register.test.forged"}).status_code == 403
    assert AuditEvent.objects.get(pk=event.pk).action == "register.test.visible"


@pytest.mark.django_db
def test_a_superuser_cannot_delete_events_in_the_admin_either(client, worker):
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    from tests.factories import UserFactory

    admin_user = UserFactory(is_staff=True, is_superuser=True)
    TOTP.activate(admin_user, generate_totp_secret())
    client.force_login(admin_user)
    event = audit_log(action="register.test.protected", actor=worker)

    delete = reverse("admin:core_auditevent_delete", args=[event.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert AuditEvent.objects.filter(pk=event.pk).exists()


@pytest.mark.django_db
def test_behind_a_proxy_the_address_it_appended_is_recorded_not_the_forged_one(
    client, worker, settings
):
    settings.USE_X_FORWARDED_FOR = True
    client.force_login(worker)

    client.post(
        reverse("accounts:organisation-list"),
        {"name": "Proxy Care", "kind": "employer"},
        HTTP_X_FORWARDED_FOR="198.51.100.66, 203.0.113.7",
    )

    assert AuditEvent.objects.get(action="accounts.organisation.created").ip_address == (
        "203.0.113.7"
    )


# --- Events written last ----------------------------------------------------------------------


def _chain_locks(captured) -> int:
    # The head is read only to lock it (SELECT ... FOR UPDATE; on SQLite the transaction's
    # write lock is the lock).
    return sum(
        query["sql"].startswith("SELECT") and "core_auditchainhead" in query["sql"]
        for query in captured.captured_queries
    )


@pytest.mark.django_db
def test_events_written_last_are_appended_in_order_when_the_block_ends(worker):
    with transaction.atomic():
        with CaptureQueriesContext(connection) as captured, audit_events_written_last():
            first = audit_log(action="register.test.first", actor=worker, data={"n": 1})
            second = audit_log(action="register.test.second", data={"n": 2})
            # Nothing stored yet, and the chain's lock not taken.
            assert AuditEvent.objects.count() == 0
            assert _chain_locks(captured) == 0
            assert first.pk is None
        # The lock once, for both.
        assert _chain_locks(captured) == 1

    assert [event.action for event in AuditEvent.objects.order_by("pk")] == [
        "register.test.first",
        "register.test.second",
    ]
    assert second.previous_hash == first.hash and first.pk < second.pk
    assert AuditEvent.objects.get(pk=second.pk).hash == second.hash
    assert list(find_chain_breaks()) == []
    third = audit_log(action="register.test.third")
    assert third.previous_hash == second.hash
    assert list(find_chain_breaks()) == []


@pytest.mark.django_db
def test_events_written_last_are_not_written_when_the_block_fails(worker):
    with pytest.raises(RuntimeError), transaction.atomic(), audit_events_written_last():
        audit_log(action="register.test.lost", actor=worker)
        raise RuntimeError("the change failed")

    assert not AuditEvent.objects.exists()
    assert list(find_chain_breaks()) == []


@pytest.mark.django_db
def test_an_event_inside_a_savepoint_is_written_at_once_and_goes_with_it(worker):
    """A savepoint rolled back within the block must take its event with it; an event kept
    for the end would outlive it."""
    with transaction.atomic(), audit_events_written_last():
        kept = audit_log(action="register.test.kept", actor=worker)
        try:
            with transaction.atomic():
                audit_log(action="register.test.undone", actor=worker)
                assert AuditEvent.objects.count() == 1
                raise RuntimeError("rolled back to the savepoint")
        except RuntimeError:
            pass
        with transaction.atomic():
            audit_log(action="register.test.inner", actor=worker)
        # Without a savepoint, an inner block's event is kept like any other.
        with transaction.atomic(savepoint=False):
            last = audit_log(action="register.test.last", actor=worker)
        assert kept.pk is None and last.pk is None

    assert list(AuditEvent.objects.order_by("pk").values_list("action", flat=True)) == [
        "register.test.inner",
        "register.test.kept",
        "register.test.last",
    ]
    assert list(find_chain_breaks()) == []


@pytest.mark.django_db(transaction=True)
def test_events_written_last_need_a_transaction():
    with pytest.raises(TransactionManagementError), audit_events_written_last():
        pass
