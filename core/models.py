"""The audit log: one hash-chained, append-only table every app writes through core.audit."""

import hashlib
import json

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone

GENESIS_HASH = "0" * 64


class AuditEvent(models.Model):
    """One change of state, written once through `core.audit.audit_log` and never changed.

    Each event stores the hash of the one before it and a hash of its own content, so editing
    or deleting an event breaks the chain; `manage.py verify_audit_log` finds the break.
    """

    occurred_at = models.DateTimeField(default=timezone.now, db_index=True)
    # The actor's id is kept as plain data, not a foreign key, so that the hashed content of an
    # event never depends on another table.
    actor_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    actor_label = models.CharField(max_length=254, blank=True)
    action = models.CharField(max_length=100, db_index=True)
    target_type = models.CharField(max_length=100, blank=True)
    target_id = models.CharField(max_length=64, blank=True)
    target_label = models.CharField(max_length=254, blank=True)
    old_status = models.CharField(max_length=64, blank=True)
    new_status = models.CharField(max_length=64, blank=True)
    data = models.JSONField(default=dict, blank=True, encoder=DjangoJSONEncoder)
    request_id = models.CharField(max_length=64, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    previous_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["-id"]
        indexes = [models.Index(fields=["target_type", "target_id"])]

    def __str__(self):
        return f"{self.occurred_at:%Y-%m-%d %H:%M:%S} {self.action} {self.target_label}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AuditLogIsAppendOnly("Audit events cannot be changed once written.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AuditLogIsAppendOnly("Audit events cannot be deleted.")

    def canonical_content(self) -> bytes:
        """The exact bytes the hash covers: every field but the hash itself."""
        content = {
            "occurred_at": self.occurred_at.isoformat(timespec="microseconds"),
            "actor_id": self.actor_id,
            "actor_label": self.actor_label,
            "action": self.action,
            "target_type": self.target_type,
            "target_id": self.target_id,
            "target_label": self.target_label,
            "old_status": self.old_status,
            "new_status": self.new_status,
            "data": self.data,
            "request_id": self.request_id,
            "ip_address": self.ip_address,
            "previous_hash": self.previous_hash,
        }
        return json.dumps(
            content, sort_keys=True, separators=(",", ":"), cls=DjangoJSONEncoder
        ).encode()

    def compute_hash(self) -> str:
        return hashlib.sha256(self.canonical_content()).hexdigest()


class AuditChainHead(models.Model):
    """The newest event's id and hash, in a single row.

    Writers lock this row, so two concurrent events can never both claim the same predecessor,
    and a deleted newest event is caught because the head still names it.
    """

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    last_event_id = models.BigIntegerField(null=True)
    last_hash = models.CharField(max_length=64, default=GENESIS_HASH)

    def __str__(self):
        return f"Audit chain head at event {self.last_event_id}"


class AuditLogIsAppendOnly(Exception):
    """Raised on any attempt to change or delete an audit event through the ORM."""
