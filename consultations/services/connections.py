"""Many answers from one connection: the limit each consultation sets on answers from people
not signed in, past which their answers are kept and flagged rather than refused, and whether
the association's results count the flagged ones (docs/consultations-analysis.md)."""

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from accounts.permissions import require
from consultations.models import Consultation
from core.audit import audit_log
from core.errors import ApplicationError

Status = Consultation.Status
LIMIT_FIELD = Consultation._meta.get_field("anonymous_answers_per_hour")
LIMIT_MIN, LIMIT_MAX = 1, 100000


class ConnectionSettingError(ApplicationError):
    pass


def consultation_connection_limit_set(
    *, consultation: Consultation, user: User, per_hour: int
) -> Consultation:
    """How many answers an hour from one connection count as usual; later ones are flagged.
    Changeable until the close; answers already stored keep the flag they were given."""
    require(user, "consultation.manage", consultation.organisation)
    if not isinstance(per_hour, int) or not LIMIT_MIN <= per_hour <= LIMIT_MAX:
        raise ConnectionSettingError(
            f"Enter a whole number from {LIMIT_MIN} to {LIMIT_MAX:,}.", field="per_hour"
        )
    with transaction.atomic():
        consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
        if consultation.effective_status() not in {Status.DRAFT, Status.SCHEDULED, Status.OPEN}:
            raise ConnectionSettingError(
                "The consultation has closed, so its limit no longer applies to anything."
            )
        old = consultation.anonymous_answers_per_hour
        if old == per_hour:
            return consultation
        consultation.anonymous_answers_per_hour = per_hour
        consultation.updated_at = timezone.now()
        consultation.save(update_fields=["anonymous_answers_per_hour", "updated_at"])
        audit_log(
            action="consultations.consultation.connection_limit_changed",
            actor=user,
            target=consultation,
            data={"old": old, "new": per_hour},
        )
    return consultation


def consultation_flagged_counting_set(
    *, consultation: Consultation, user: User, count: bool
) -> Consultation:
    """Whether the results, the exports and the outcome count the answers flagged as many from
    one connection. Fixed once the outcome is published: the published counts are made of it."""
    require(user, "consultation.analyse", consultation)
    with transaction.atomic():
        consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
        if consultation.status == Status.PUBLISHED:
            raise ConnectionSettingError(
                "The outcome has been published, so what it counts can no longer change."
            )
        if consultation.count_many_from_one_connection == count:
            return consultation
        consultation.count_many_from_one_connection = count
        consultation.updated_at = timezone.now()
        consultation.save(update_fields=["count_many_from_one_connection", "updated_at"])
        audit_log(
            action="consultations.consultation.flagged_counting_changed",
            actor=user,
            target=consultation,
            data={"count_many_from_one_connection": count},
        )
    return consultation
