"""Form pieces every app shares: the accessible renderer, plain error messages, and the one
input for a date (or a date and time) that a person types.

Dates are typed as GOV.UK's date input pattern asks for them: three labelled boxes, Day, Month
and Year, in a fieldset whose legend is the question. A browser's own date picker is not used:
its order follows the browser's language, not the page's (a UK page in a US-English browser
shows mm/dd/yyyy under a hint that says day first), and the value it sends is not what the
person saw. With three boxes what was typed is what is read, every box is labelled, and a
wrong box can be named and marked on its own (docs/decisions/0020-dates-typed-in-three-boxes.md).
"""

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time

from django import forms
from django.forms.boundfield import BoundField
from django.forms.renderers import TemplatesSetting
from django.utils import timezone

from core.dates import MONTHS, format_day


class AccessibleFormRenderer(TemplatesSetting):
    """Our own form templates (templates/django/forms/): an error message sits above its input,
    and Django links the two with aria-describedby="<id>_error"."""

    form_template_name = "django/forms/div.html"
    field_template_name = "django/forms/field.html"


def use_plain_messages(form: forms.BaseForm, required: dict[str, str]) -> None:
    """Say what to do ("Enter your email address"), not "This field is required"."""
    for name, message in required.items():
        if name in form.fields:
            form.fields[name].error_messages["required"] = message
            form.fields[name].error_messages.setdefault("invalid", message)


# --- Reading what was typed -------------------------------------------------------------------

DAY, MONTH, YEAR, TIME = range(4)
# Nobody's date of birth, training or check on this register is earlier: a year like 0990 or
# 1090 is a typing slip, and is said to be one rather than stored.
EARLIEST = date(1900, 1, 1)

_PART_NAMES = ("day", "month", "year", "time")
# ASCII digits only: str.isdigit() also says yes to "²" and to other scripts' digits.
_ONE_OR_TWO_DIGITS = re.compile(r"[0-9]{1,2}")
_DIGITS = re.compile(r"[0-9]+")
# GOV.UK asks services to accept a month written as a word, in full or shortened.
_MONTH_WORDS = (
    {name.lower(): number for number, name in enumerate(MONTHS, start=1)}
    | {name[:3].lower(): number for number, name in enumerate(MONTHS, start=1)}
    | {"sept": 9}
)
# 24-hour "9:00", "09.30", "17:30", or "9am", "5:30pm", "5.30 p.m."; "midday" and "midnight".
_TIME = re.compile(
    r"(?P<hour>[0-9]{1,2})(?:[:.](?P<minute>[0-9]{2}))?\s*(?P<half>[ap])?(?:\.?m\.?)?",
    re.IGNORECASE,
)
_TIME_WORDS = {"midday": time(12, 0), "noon": time(12, 0), "midnight": time(0, 0)}


@dataclass(frozen=True)
class DateProblem:
    """Why what was typed is not a date. The message follows the field's subject ("Date of
    birth must include a month"); `parts` are the boxes to mark as wrong, the first of them the
    one the error summary links to."""

    code: str
    message: str
    parts: tuple[int, ...]

    def sentence(self, subject: str) -> str:
        return f"{subject} {self.message}"


def _and(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def _month(text: str) -> int | None:
    text = text.lower().rstrip(".")
    if _ONE_OR_TWO_DIGITS.fullmatch(text):
        return int(text)
    return _MONTH_WORDS.get(text)


def read_time(text: str) -> time | None:
    """A time of day as people write it, or None if it is not one. Without am or pm it is on
    the 24-hour clock, and it must have its minutes: "9" alone could mean 9:00 or 21:00."""
    text = " ".join(text.lower().split())
    if text in _TIME_WORDS:
        return _TIME_WORDS[text]
    found = _TIME.fullmatch(text)
    if found is None:
        return None
    hour, minute, half = int(found["hour"]), int(found["minute"] or 0), found["half"]
    has_suffix = text.rstrip(".").endswith("m")
    if half is None and has_suffix:
        return None
    if half is None and found["minute"] is None:
        return None
    if half:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if half == "p" else 0)
    if hour > 23 or minute > 59:
        return None
    return time(hour, minute)


def read_date(parts: list | tuple | None) -> date | DateProblem | None:
    """The date typed as day, month and year, None if nothing was typed, or why it is not a
    date, in GOV.UK's order: a box left empty, then a box that holds no number that could be
    right, then a year without 4 numbers, then a day the month does not have."""
    texts = [str(part or "").strip() for part in (list(parts or []) + [None] * 3)[:3]]
    if not any(texts):
        return None
    missing = [index for index, text in enumerate(texts) if not text]
    if missing:
        names = _and([_PART_NAMES[index] for index in missing])
        return DateProblem("incomplete", f"must include a {names}", tuple(missing))
    day_text, month_text, year_text = texts
    day = int(day_text) if _ONE_OR_TWO_DIGITS.fullmatch(day_text) else None
    month = _month(month_text)
    wrong = []
    if day is None or not 1 <= day <= 31:
        wrong.append(DAY)
    if month is None or not 1 <= month <= 12:
        wrong.append(MONTH)
    if not _DIGITS.fullmatch(year_text):
        wrong.append(YEAR)
    if wrong:
        return DateProblem("invalid", "must be a real date", tuple(wrong))
    if len(year_text) != 4:
        return DateProblem("year_length", "must include a year with 4 numbers", (YEAR,))
    try:
        typed = date(int(year_text), month, day)
    except ValueError:
        # 31 April, or 29 February outside a leap year: the day is the wrong part.
        return DateProblem("invalid", "must be a real date", (DAY,))
    if typed < EARLIEST:
        return DateProblem(
            "too_early", f"must be the same as or after {format_day(EARLIEST)}", (YEAR,)
        )
    return typed


def read_date_time(parts: list | tuple | None) -> datetime | DateProblem | None:
    """Day, month, year and a time, in UK time; as read_date, with the time a fourth part. A
    time the clocks skip when they go forward is refused rather than moved; of the hour the
    clocks repeat when they go back, the first (British Summer Time) is taken."""
    parts = (list(parts or []) + [None] * 4)[:4]
    time_text = str(parts[TIME] or "").strip()
    day = read_date(parts[:3])
    if day is None and not time_text:
        return None
    if day is None:
        return DateProblem("incomplete", "must include a day, month and year", (DAY, MONTH, YEAR))
    if isinstance(day, DateProblem):
        return day
    if not time_text:
        return DateProblem("incomplete", "must include a time", (TIME,))
    clock = read_time(time_text)
    if clock is None:
        return DateProblem("invalid_time", "must have a real time, like 9:00 or 17:30", (TIME,))
    wall = datetime.combine(day, clock)
    uk = timezone.get_current_timezone()
    moment = timezone.make_aware(wall, uk)
    # Through UTC and back: astimezone() to the zone a time already has changes nothing.
    if moment.astimezone(UTC).astimezone(uk).replace(tzinfo=None) != wall:
        return DateProblem(
            "skipped_time",
            f"cannot be at {clock:%H:%M} on {format_day(day)}: the clocks go forward that "
            "night, so that time does not happen in the UK",
            (TIME,),
        )
    return moment


# --- The boxes --------------------------------------------------------------------------------


class DateInputs(forms.MultiWidget):
    """Day, Month and Year boxes, sent as <name>_0, <name>_1 and <name>_2. `autocomplete`
    "bday" lets a browser fill a person's own date of birth; "off" keeps it from offering the
    person's own where someone else's is asked for."""

    template_name = "django/forms/widgets/date_inputs.html"
    part_labels = ("Day", "Month", "Year")
    reader = staticmethod(read_date)

    def __init__(self, attrs=None, *, autocomplete: str | None = None):
        super().__init__(self._parts(autocomplete), attrs)

    @staticmethod
    def _parts(autocomplete: str | None) -> list[forms.TextInput]:
        parts = []
        for name in ("day", "month", "year"):
            attrs = {"class": f"date-input-{name}", "inputmode": "numeric", "spellcheck": "false"}
            if autocomplete == "off":
                attrs["autocomplete"] = "off"
            elif autocomplete:
                attrs["autocomplete"] = f"{autocomplete}-{name}"
            parts.append(forms.TextInput(attrs=attrs))
        return parts

    def decompress(self, value):
        if isinstance(value, datetime):
            value = timezone.localtime(value).date()
        if isinstance(value, date):
            return [str(value.day), str(value.month), str(value.year)]
        return [None, None, None]

    def wrong_parts(self, value) -> tuple[int, ...]:
        """The boxes at fault in what was typed; none if the fault is not in one box (a real
        date, but in the future where the past was asked for)."""
        if not isinstance(value, (list, tuple)):
            return ()
        read = self.reader(value)
        return read.parts if isinstance(read, DateProblem) else ()

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        parts = context["widget"]["subwidgets"]
        wrong = self.wrong_parts(value) if (attrs or {}).get("aria-invalid") else ()
        for index, part in enumerate(parts):
            part["label"] = self.part_labels[index]
            # The fieldset says whether an answer is needed; a browser's own "Fill in this
            # field" on one box would stand in for the message that names what is missing.
            part["attrs"].pop("required", None)
            if wrong and index not in wrong:
                part["attrs"].pop("aria-invalid", None)
        return context


class DateTimeInputs(DateInputs):
    """Day, Month and Year boxes and a Time box (<name>_3), in UK time."""

    template_name = "django/forms/widgets/date_time_inputs.html"
    part_labels = ("Day", "Month", "Year", "Time")
    reader = staticmethod(read_date_time)

    def __init__(self, attrs=None):
        time_box = forms.TextInput(
            attrs={"class": "time-input", "spellcheck": "false", "autocomplete": "off"}
        )
        forms.MultiWidget.__init__(self, [*self._parts(None), time_box], attrs)

    def decompress(self, value):
        if isinstance(value, datetime):
            local = timezone.localtime(value) if timezone.is_aware(value) else value
            return [str(local.day), str(local.month), str(local.year), f"{local:%H:%M}"]
        return [None, None, None, None]


class DateBoundField(BoundField):
    @property
    def error_anchor(self) -> str:
        """The id the error summary links to: the first box at fault, or the first box."""
        wrong = self.field.widget.wrong_parts(self.data) if self.form.is_bound else ()
        return f"{self.auto_id}_{wrong[0] if wrong else 0}"


# --- The fields -------------------------------------------------------------------------------


class DateField(forms.Field):
    """A date a person types in three boxes. Its messages name the date by `subject` (the label
    unless given): "Date of birth must include a month", "... must be a real date", "... must
    be in the past" (with `past`), and only the boxes at fault are marked."""

    widget = DateInputs

    def __init__(self, *, subject: str | None = None, past: bool = False, **kwargs):
        super().__init__(**kwargs)
        self.subject = subject
        self.past = past
        if self.error_messages["required"] == forms.Field.default_error_messages["required"]:
            subject_text = self._subject()
            if not subject_text[1:2].isupper():  # "DBS: issue date" keeps its capitals
                subject_text = subject_text[:1].lower() + subject_text[1:]
            self.error_messages["required"] = f"Enter {subject_text}"

    def get_bound_field(self, form, field_name):
        return DateBoundField(form, self, field_name)

    def _subject(self) -> str:
        text = self.subject or str(self.label or "The date").removesuffix(" (optional)")
        return text[:1].upper() + text[1:]

    def _read(self, value):
        return self.widget.reader(value)

    def to_python(self, value):
        if isinstance(value, date) or value in self.empty_values:
            return value or None
        read = self._read(value)
        if isinstance(read, DateProblem):
            raise forms.ValidationError(read.sentence(self._subject()), code=read.code)
        return read

    def validate(self, value):
        super().validate(value)
        if value is None:
            return
        day = timezone.localtime(value).date() if isinstance(value, datetime) else value
        if self.past and day >= timezone.localdate():
            raise forms.ValidationError(f"{self._subject()} must be in the past", code="past")


class DateTimeField(DateField):
    """A date and a time a person types, in UK time; cleaned to an aware datetime."""

    widget = DateTimeInputs

    def to_python(self, value):
        if isinstance(value, datetime):
            return value
        return super().to_python(value)
