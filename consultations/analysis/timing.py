"""How long people took to answer, against the consultation's own estimate."""

from dataclasses import dataclass

from django.db import connection
from django.db.models import Aggregate, FloatField

from consultations.analysis.counted import responses_counted
from consultations.models import Consultation
from consultations.services.building import completion_estimate


class PercentileCont(Aggregate):
    function = "percentile_cont"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()


def median_duration_seconds(*, consultation: Consultation) -> float | None:
    """The median time from starting to submitting, worked out in the database: with
    percentile_cont on PostgreSQL, and by reading the one or two middle rows elsewhere."""
    durations = responses_counted(consultation).filter(duration_seconds__isnull=False).order_by()
    if connection.vendor == "postgresql":
        return durations.aggregate(median=PercentileCont("duration_seconds"))["median"]
    count = durations.count()
    if not count:
        return None
    middle = list(
        durations.order_by("duration_seconds").values_list("duration_seconds", flat=True)[
            (count - 1) // 2 : count // 2 + 1
        ]
    )
    return sum(middle) / len(middle)


def format_duration(seconds: float | None) -> str:
    if seconds is None:
        return "not known"
    seconds = round(seconds)
    minutes, rest = divmod(seconds, 60)
    if not minutes:
        return f"{rest} seconds"
    minute_text = "1 minute" if minutes == 1 else f"{minutes} minutes"
    return minute_text if not rest else f"{minute_text} {rest} seconds"


@dataclass(frozen=True)
class TimeToAnswer:
    median_seconds: float | None
    estimate_seconds: int
    estimate_text: str

    @property
    def median_text(self) -> str:
        return format_duration(self.median_seconds)

    @property
    def comparison(self) -> str:
        if self.median_seconds is None:
            return "No response recorded how long it took."
        difference = self.median_seconds - self.estimate_seconds
        if abs(difference) < 30:
            return "about the same as the estimate"
        length = format_duration(abs(difference))
        return f"{length} {'longer' if difference > 0 else 'shorter'} than the estimate"


def time_to_answer(*, consultation: Consultation) -> TimeToAnswer:
    estimate = completion_estimate(consultation=consultation)
    return TimeToAnswer(
        median_seconds=median_duration_seconds(consultation=consultation),
        estimate_seconds=estimate.seconds,
        estimate_text=str(estimate),
    )
