"""Accounts, organisations and the audit log: the core every other app stands on."""

import hashlib
import json
import secrets
from datetime import timedelta

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields["is_staff"] = True
        extra_fields["is_superuser"] = True
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    """A person who signs in. The email address is the login; there is no username.

    A care worker is someone who signed up to join the register. A registrar is appointed by
    staff and reads the audit log in the admin, so registrars are also `is_staff`.
    """

    username = None
    first_name = None
    last_name = None
    email = models.EmailField("email address", unique=True)
    full_name = models.CharField(max_length=200)
    is_care_worker = models.BooleanField(
        default=False, help_text="Signed up to join the register as a care worker."
    )
    is_registrar = models.BooleanField(
        default=False, help_text="Checks identity and evidence, approves and maintains entries."
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    objects = UserManager()

    def __str__(self):
        return self.full_name or self.email

    def get_full_name(self):
        return self.full_name

    def get_short_name(self):
        return self.full_name.split(" ")[0] if self.full_name else self.email


class Organisation(models.Model):
    """An employer, a training provider or an association behind the register."""

    class Kind(models.TextChoices):
        EMPLOYER = "employer", "Employer (care provider)"
        TRAINING_PROVIDER = "training_provider", "Training provider"
        ASSOCIATION = "association", "Association"

    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=32, choices=Kind.choices)
    created_at = models.DateTimeField(default=timezone.now)
    members = models.ManyToManyField(User, through="Membership", related_name="organisations")

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class Membership(models.Model):
    """A user's place in an organisation. Owners may invite and remove members."""

    class Role(models.TextChoices):
        OWNER = "owner", "Owner"
        MEMBER = "member", "Member"

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.MEMBER)
    joined_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation"], name="one_membership_each")
        ]

    def __str__(self):
        return f"{self.user} in {self.organisation} ({self.role})"


def _new_invitation_token() -> str:
    return secrets.token_urlsafe(32)


def _invitation_expiry():
    return timezone.now() + timedelta(days=14)


class Invitation(models.Model):
    """An owner's invitation for someone to join an organisation.

    pending: sent, not yet answered; accepted: the invitee joined; revoked: withdrawn by an
    owner. An invitation past `expires_at` can no longer be accepted.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        ACCEPTED = "accepted", "Accepted"
        REVOKED = "revoked", "Revoked"

    TRANSITIONS = {
        Status.PENDING: {Status.ACCEPTED, Status.REVOKED},
        Status.ACCEPTED: set(),
        Status.REVOKED: set(),
    }

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField()
    role = models.CharField(
        max_length=16, choices=Membership.Role.choices, default=Membership.Role.MEMBER
    )
    token = models.CharField(max_length=64, unique=True, default=_new_invitation_token)
    invited_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(default=_invitation_expiry)
    accepted_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "email"],
                condition=models.Q(status="pending"),
                name="one_pending_invitation_per_email",
            )
        ]

    def __str__(self):
        return f"Invitation for {self.email} to {self.organisation}"

    @property
    def is_expired(self) -> bool:
        return timezone.now() >= self.expires_at


GENESIS_HASH = "0" * 64


class AuditEvent(models.Model):
    """One change of state, written once through `register.audit.audit_log` and never changed.

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
