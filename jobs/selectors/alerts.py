"""Reads of job alerts: a person's own, by their account. Alerts made without an account are
reached only by the links emailed to them (jobs/services/alerts.py)."""

from dataclasses import dataclass

from django.http import Http404

from accounts.models import User
from jobs.models import JobAlert
from jobs.services.alerts import AlertError, saved_search_read


@dataclass
class AlertRow:
    alert: JobAlert
    description: str


def alerts_for_user(*, user: User) -> list[AlertRow]:
    """A person's alerts that are live or waiting for confirmation, newest first, each with its
    search in a sentence."""
    rows = []
    for alert in JobAlert.objects.filter(
        user=user, status__in=[JobAlert.Status.ACTIVE, JobAlert.Status.UNCONFIRMED]
    ):
        try:
            description = saved_search_read(alert.query).description
        except AlertError:
            description = "A search that no longer works: a place or role in it has gone"
        rows.append(AlertRow(alert=alert, description=description))
    return rows


def alert_get_for_user(*, user: User, pk: int) -> JobAlert:
    alert = JobAlert.objects.filter(pk=pk, user=user).first()
    if alert is None:
        raise Http404("No such alert.")
    return alert
