"""Form data for dates as a person types them into core.forms.DateInputs: the day, month and
year boxes (`<name>_0`, `<name>_1`, `<name>_2`) and, for a date and time, the time box
(`<name>_3`). Browser journeys type into the boxes instead: tests/e2e/dates.py."""

from datetime import date, datetime

from django.utils import timezone


def typed_date(name: str, value: date | datetime | None) -> dict[str, str]:
    """What the boxes of `name` send for `value` (a datetime in UK time); every box empty for
    None."""
    if value is None:
        return {f"{name}_{index}": "" for index in range(3)}
    if isinstance(value, datetime):
        local = timezone.localtime(value) if timezone.is_aware(value) else value
        return {
            f"{name}_0": str(local.day),
            f"{name}_1": str(local.month),
            f"{name}_2": str(local.year),
            f"{name}_3": f"{local:%H:%M}",
        }
    return {
        f"{name}_0": str(value.day),
        f"{name}_1": str(value.month),
        f"{name}_2": str(value.year),
    }
