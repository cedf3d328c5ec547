"""Typing a date as a person does: into the Day, Month and Year boxes of the question (the
fieldset named by its legend), key by key, after clearing what the box held. A date and time
(core.forms.DateTimeInputs) has a Time box too."""

from datetime import date, datetime

from django.utils import timezone


def _type_into(box, text: str) -> None:
    box.click()
    box.press("ControlOrMeta+a")
    box.press("Backspace")
    if text:
        box.press_sequentially(text)


def date_question(scope, legend: str):
    """The fieldset of the date question whose legend is `legend`."""
    return scope.get_by_role("group", name=legend, exact=True)


def type_date(scope, legend: str, typed: str | date | datetime) -> None:
    """Type `typed` into the question `legend`: "14 7 1990" (day, month, year, as they go in the
    boxes, so "14 Jul 1990" or "14  1990" with a box left empty work too), "1 12 2026 9:00"
    with a time, or a date or (UK-time) datetime."""
    if isinstance(typed, datetime):
        local = timezone.localtime(typed) if timezone.is_aware(typed) else typed
        parts = [str(local.day), str(local.month), str(local.year), f"{local:%H:%M}"]
    elif isinstance(typed, date):
        parts = [str(typed.day), str(typed.month), str(typed.year)]
    else:
        parts = typed.split(" ")
    question = date_question(scope, legend)
    for label, text in zip(("Day", "Month", "Year", "Time"), parts, strict=False):
        _type_into(question.get_by_label(label, exact=True), text)


def typed_values(scope, legend: str) -> list[str]:
    """What the boxes of the question `legend` hold now."""
    question = date_question(scope, legend)
    return [box.input_value() for box in question.get_by_role("textbox").all()]
