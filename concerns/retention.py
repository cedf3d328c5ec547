"""How long a case closed with no action is kept: the period the associations set, as a dated
setting (CONCERN_NO_ACTION_RETENTION), so a change applies to cases closed from its date."""

from datetime import date, timedelta

from django.conf import settings


def retention_days_for(closed_on: date) -> int:
    """The days to keep a no-action case closed on `closed_on`: the period in force that day."""
    periods = sorted(
        (date.fromisoformat(start), int(days))
        for start, days in settings.CONCERN_NO_ACTION_RETENTION
    )
    in_force = [days for start, days in periods if start <= closed_on]
    return in_force[-1] if in_force else periods[0][1]


def delete_after(closed_on: date) -> date:
    return closed_on + timedelta(days=retention_days_for(closed_on))
