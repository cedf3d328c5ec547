"""The one way to write an audit event, and the check that the log is intact."""

import ipaddress
import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.db.backends.base.base import BaseDatabaseWrapper

from core.models import GENESIS_HASH, AuditChainHead, AuditEvent

ACTION_CODE = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*){2,}$")

# Keys whose values never reach the log, however deep in the data they sit.
SENSITIVE_KEY = re.compile(
    r"password|secret|token|passphrase|api_?key|private|otp|recovery|session|"
    r"document_number|certificate_number|share_code",
    re.IGNORECASE,
)
MASK = "********"


@dataclass(frozen=True)
class RequestContext:
    request_id: str
    ip_address: str | None


current_request: ContextVar[RequestContext | None] = ContextVar("current_request", default=None)


class InvalidAuditEvent(ValueError):
    pass


def mask_secrets(value):
    """A copy of `value` with the value of every sensitive-looking key replaced."""
    if isinstance(value, dict):
        return {
            key: MASK if SENSITIVE_KEY.search(str(key)) else mask_secrets(item)
            for key, item in value.items()
        }
    if isinstance(value, list | tuple):
        return [mask_secrets(item) for item in value]
    return value


def _normalise_ip(value: str | None) -> str | None:
    if not value:
        return None
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return None


def audit_log(
    *,
    action: str,
    actor=None,
    target: models.Model | None = None,
    old_status: str = "",
    new_status: str = "",
    data: dict | None = None,
) -> AuditEvent:
    """Append one event to the audit log, chained to the one before it.

    Call it inside the transaction that makes the change: the event and the change are then
    stored together or not at all. Within `audit_events_written_last()` it is appended when
    that block ends.
    """
    if not ACTION_CODE.match(action):
        raise InvalidAuditEvent(f"Audit action codes look like 'app.entity.verb', not {action!r}.")
    # A JSON round trip gives the data exactly the form it will have when read back, so the
    # hash computed now matches the one recomputed later.
    clean_data = json.loads(json.dumps(mask_secrets(data or {}), cls=DjangoJSONEncoder))
    context = current_request.get()
    actor_is_user = actor is not None and getattr(actor, "is_authenticated", False)

    event = AuditEvent(
        actor_id=actor.pk if actor_is_user else None,
        actor_label=(actor.email if actor_is_user else "system")[:254],
        action=action,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        target_label=str(target)[:254] if target is not None else "",
        old_status=old_status or "",
        new_status=new_status or "",
        data=clean_data,
        request_id=context.request_id if context else "",
        ip_address=_normalise_ip(context.ip_address) if context else None,
    )
    last = _written_last.get()
    if last is not None and last.may_keep():
        last.events.append(event)
    else:
        _append([event])
    return event


def _append(events: list[AuditEvent]) -> None:
    """Chain `events`, in order, to the newest event, and store them and the new head."""
    # No savepoint: if writing an event fails, the change it records must fail with it, so
    # there is nothing to roll back to in between (and two round trips fewer).
    with transaction.atomic(savepoint=False):
        head, _ = AuditChainHead.objects.select_for_update().get_or_create(id=1)
        previous = head.last_hash
        for event in events:
            event.previous_hash = previous
            event.hash = previous = event.compute_hash()
        if len(events) == 1:
            events[0].save()
        else:
            # One INSERT; the ids come back in order (PostgreSQL, and SQLite from 3.35).
            AuditEvent.objects.bulk_create(events)
        head.last_event_id = events[-1].pk
        head.last_hash = previous
        head.save(update_fields=["last_event_id", "last_hash"])


@dataclass
class _WrittenLast:
    connection: BaseDatabaseWrapper
    # How many atomic blocks the block began nested in, within the outermost.
    depth: int
    events: list[AuditEvent] = field(default_factory=list)

    def may_keep(self) -> bool:
        # A savepoint opened within the block can be rolled back while the block goes on; an
        # event kept from inside it would then be stored for a change that was not. Atomic
        # blocks without a savepoint roll back only with the whole transaction.
        opened = self.connection.savepoint_ids[self.depth :]
        return self.connection.in_atomic_block and all(sid is None for sid in opened)


_written_last: ContextVar[_WrittenLast | None] = ContextVar("audit_written_last", default=None)


@contextmanager
def audit_events_written_last():
    """Inside a transaction: the events `audit_log` is given within the block are appended
    when the block ends, in the order given, with the chain's lock taken once.

    The lock serialises every writer on the site until its transaction commits. Taken when
    the first event is written, it would also be held through everything the transaction does
    after it; taken here, at the end of a block that ends the transaction, it is held for
    little more than the commit. The events are still stored with the change, or not at all:
    if the block raises, nothing is appended. An event logged inside a savepoint opened within
    the block is written at once, as without it, so that it goes if the savepoint is rolled
    back (the chain then holds it before the events kept). `audit_log` returns each kept event
    before it has an id or a hash."""
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        raise transaction.TransactionManagementError(
            "audit_events_written_last() keeps events for the transaction it is in; there is none."
        )
    last = _WrittenLast(connection, len(connection.savepoint_ids))
    token = _written_last.set(last)
    try:
        yield
    finally:
        _written_last.reset(token)
    if last.events:
        _append(last.events)


@dataclass(frozen=True)
class ChainBreak:
    event_id: int | None
    reason: str


def find_chain_breaks(*, batch_size: int = 2000) -> Iterator[ChainBreak]:
    """Walk the log from the first event and yield every place the chain does not hold."""
    expected_previous = GENESIS_HASH
    last_id = None
    events = AuditEvent.objects.order_by("id")
    for event in events.iterator(chunk_size=batch_size):
        if event.previous_hash != expected_previous:
            yield ChainBreak(
                event.pk,
                "its previous-hash does not match the event before it "
                "(an event before it was deleted or changed)",
            )
        if event.compute_hash() != event.hash:
            yield ChainBreak(event.pk, "its content no longer matches its hash (it was edited)")
        expected_previous = event.hash
        last_id = event.pk
    head = AuditChainHead.objects.filter(id=1).first()
    if head is not None and (head.last_event_id != last_id or head.last_hash != expected_previous):
        yield ChainBreak(
            head.last_event_id,
            f"the chain head names event {head.last_event_id} as the newest, but the log ends "
            f"at event {last_id} (the newest events were deleted)",
        )
    elif head is None and last_id is not None:
        yield ChainBreak(None, "the chain head is missing")
