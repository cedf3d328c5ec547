"""The one input for a date a person types (core.forms.DateField and DateTimeField): GOV.UK's
Day, Month and Year boxes, what they accept, the messages they give, and the boxes they mark."""

from datetime import UTC, date, datetime, time, timedelta

import pytest
from django import forms
from django.template import Context, Template
from django.test.html import Element, parse_html
from django.utils import timezone

from core.forms import (
    DateField,
    DateInputs,
    DateTimeField,
    read_date,
    read_date_time,
    read_time,
)


class BirthForm(forms.Form):
    date_of_birth = DateField(
        label="Date of birth",
        past=True,
        widget=DateInputs(autocomplete="bday"),
        help_text="For example, 27 3 1985",
    )


class OptionalForm(forms.Form):
    expires_on = DateField(
        label="Expiry date (optional)", subject="The expiry date", required=False
    )


class MomentForm(forms.Form):
    opens_at = DateTimeField(label="Opens (UK time)", subject="The opening date", required=False)


def birth(day="", month="", year="") -> BirthForm:
    return BirthForm({"date_of_birth_0": day, "date_of_birth_1": month, "date_of_birth_2": year})


def elements(markup: str, tag: str) -> list[Element]:
    found = []

    def walk(node) -> None:
        if isinstance(node, Element):
            if node.name == tag:
                found.append(node)
            for child in node.children:
                walk(child)

    walk(parse_html(markup))
    return found


def attributes(element: Element) -> dict:
    return dict(element.attributes)


def text(element: Element) -> str:
    return "".join(child for child in element.children if isinstance(child, str)).strip()


def boxes(form: forms.Form, name: str) -> dict[str, dict]:
    return {
        attributes(box)["name"]: attributes(box)
        for box in elements(form.as_div(), "input")
        if attributes(box)["name"].startswith(f"{name}_")
    }


@pytest.mark.parametrize(
    ("day", "month", "year", "expected"),
    [
        ("1", "2", "1990", date(1990, 2, 1)),
        ("01", "02", "1990", date(1990, 2, 1)),
        (" 14 ", " 7 ", " 1990 ", date(1990, 7, 14)),
        ("1", "March", "1990", date(1990, 3, 1)),
        ("1", "mar", "1990", date(1990, 3, 1)),
        ("1", "Sept.", "1990", date(1990, 9, 1)),
        ("29", "2", "2024", date(2024, 2, 29)),
    ],
)
def test_it_reads_a_date_as_people_type_it(day, month, year, expected):
    form = birth(day, month, year)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["date_of_birth"] == expected


def test_day_month_year_is_read_day_first_so_14_7_1990_is_14_july():
    form = birth("14", "7", "1990")
    assert form.is_valid()
    assert form.cleaned_data["date_of_birth"] == date(1990, 7, 14)


@pytest.mark.parametrize(
    ("day", "month", "year", "message", "wrong"),
    [
        ("", "", "", "Enter date of birth", {"0", "1", "2"}),
        ("14", "", "1990", "Date of birth must include a month", {"1"}),
        ("", "", "1990", "Date of birth must include a day and month", {"0", "1"}),
        ("14", "", "", "Date of birth must include a month and year", {"1", "2"}),
        ("", "7", "", "Date of birth must include a day and year", {"0", "2"}),
        ("32", "7", "1990", "Date of birth must be a real date", {"0"}),
        ("14", "13", "1990", "Date of birth must be a real date", {"1"}),
        ("14", "Jul", "19x0", "Date of birth must be a real date", {"2"}),
        ("14071990", "", "", "Date of birth must include a month and year", {"1", "2"}),
        ("14071990", "7", "1990", "Date of birth must be a real date", {"0"}),
        ("31", "4", "1990", "Date of birth must be a real date", {"0"}),
        ("29", "2", "1990", "Date of birth must be a real date", {"0"}),
        ("14", "7", "90", "Date of birth must include a year with 4 numbers", {"2"}),
        ("14", "7", "19900", "Date of birth must include a year with 4 numbers", {"2"}),
        ("14", "7", "1890", "Date of birth must be the same as or after 1 January 1900", {"2"}),
        ("١", "7", "1990", "Date of birth must be a real date", {"0"}),
    ],
)
def test_it_says_what_is_wrong_and_marks_only_the_boxes_at_fault(day, month, year, message, wrong):
    form = birth(day, month, year)
    assert not form.is_valid()
    assert form.errors["date_of_birth"] == [message]
    marked = {
        name[-1] for name, box in boxes(form, "date_of_birth").items() if box.get("aria-invalid")
    }
    assert marked == wrong


def test_a_date_that_must_be_in_the_past_refuses_today_and_marks_every_box():
    today = timezone.localdate()
    form = birth(str(today.day), str(today.month), str(today.year))
    assert form.errors["date_of_birth"] == ["Date of birth must be in the past"]
    assert all(box.get("aria-invalid") == "true" for box in boxes(form, "date_of_birth").values())


def test_the_error_summary_links_to_the_first_box_at_fault():
    summary = Template('{% include "includes/error_summary.html" %}')
    for (day, month, year), anchor in (
        (("14", "", ""), "#id_date_of_birth_1"),
        (("", "7", "1990"), "#id_date_of_birth_0"),
        (("14", "7", "90"), "#id_date_of_birth_2"),
        (("", "", ""), "#id_date_of_birth_0"),
    ):
        page = summary.render(Context({"form": birth(day, month, year)}))
        assert [attributes(link)["href"] for link in elements(page, "a")] == [anchor]


def test_what_was_typed_is_shown_again_as_it_was_typed():
    form = birth("14", "Jul", "90")
    shown = boxes(form, "date_of_birth")
    assert [shown[f"date_of_birth_{index}"].get("value") for index in range(3)] == [
        "14",
        "Jul",
        "90",
    ]


def test_a_stored_date_is_shown_again_in_its_boxes():
    form = BirthForm(initial={"date_of_birth": date(1990, 12, 7)})
    shown = boxes(form, "date_of_birth")
    assert [shown[f"date_of_birth_{index}"].get("value") for index in range(3)] == [
        "7",
        "12",
        "1990",
    ]


def test_it_renders_gov_uk_date_input_markup():
    page = BirthForm().as_div()
    (fieldset,) = elements(page, "fieldset")
    assert [text(legend) for legend in elements(page, "legend")] == ["Date of birth"]
    assert attributes(fieldset)["aria-describedby"] == "id_date_of_birth_helptext"
    hints = [text(div) for div in elements(page, "div") if attributes(div).get("class") == "hint"]
    assert hints == ["For example, 27 3 1985"]
    labels = {attributes(label)["for"]: text(label) for label in elements(page, "label")}
    assert labels == {
        "id_date_of_birth_0": "Day",
        "id_date_of_birth_1": "Month",
        "id_date_of_birth_2": "Year",
    }
    shown = boxes(BirthForm(), "date_of_birth")
    for index, part in enumerate(("day", "month", "year")):
        box = shown[f"date_of_birth_{index}"]
        assert box.get("type") == "text"
        assert box.get("inputmode") == "numeric"
        assert box.get("autocomplete") == f"bday-{part}"
        assert box.get("class") == f"date-input-{part}"
        # No browser "Fill in this field" on one box before the form's own message.
        assert box.get("required") is None
    assert len(elements(page, "input")) == 3


def test_someone_elses_date_of_birth_is_not_filled_from_the_browser():
    widget = DateInputs(autocomplete="off")
    rendered = elements(widget.render("date_of_birth", None), "input")
    assert {attributes(box)["autocomplete"] for box in rendered} == {"off"}


def test_an_optional_date_left_empty_is_none_but_a_part_of_one_is_refused():
    empty = OptionalForm({})
    assert empty.is_valid()
    assert empty.cleaned_data["expires_on"] is None
    partial = OptionalForm({"expires_on_0": "", "expires_on_1": "", "expires_on_2": "2027"})
    assert partial.errors["expires_on"] == ["The expiry date must include a day and month"]


def test_a_field_without_its_own_message_says_enter_and_its_subject():
    class Form(forms.Form):
        until = DateField(label="Suspended until", subject="The end date")
        issued = DateField(label="DBS: issue date")

    errors = Form({}).errors
    assert errors["until"] == ["Enter the end date"]
    assert errors["issued"] == ["Enter DBS: issue date"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("9:00", time(9, 0)),
        ("09.30", time(9, 30)),
        ("17:30", time(17, 30)),
        ("0:00", time(0, 0)),
        ("23:59", time(23, 59)),
        ("9am", time(9, 0)),
        ("9 AM", time(9, 0)),
        ("5:30pm", time(17, 30)),
        ("5.30 p.m.", time(17, 30)),
        ("12pm", time(12, 0)),
        ("12am", time(0, 0)),
        ("midday", time(12, 0)),
        ("Midnight", time(0, 0)),
        ("9", None),
        ("930", None),
        ("24:00", None),
        ("9:60", None),
        ("13pm", None),
        ("9m", None),
        ("nine", None),
    ],
)
def test_it_reads_a_time_as_people_write_it(text, expected):
    assert read_time(text) == expected


def test_a_date_and_time_is_read_in_uk_time_summer_and_winter():
    summer = read_date_time(["1", "7", "2026", "9:00"])
    winter = read_date_time(["1", "12", "2026", "17:30"])
    assert summer == datetime(2026, 7, 1, 8, 0, tzinfo=UTC)
    assert winter == datetime(2026, 12, 1, 17, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    ("parts", "message", "wrong"),
    [
        (["1", "12", "2026", ""], "The opening date must include a time", {"3"}),
        (
            ["", "", "", "9:00"],
            "The opening date must include a day, month and year",
            {"0", "1", "2"},
        ),
        (
            ["1", "12", "2026", "9"],
            "The opening date must have a real time, like 9:00 or 17:30",
            {"3"},
        ),
        (["1", "", "2026", "9:00"], "The opening date must include a month", {"1"}),
        (
            ["29", "3", "2026", "1:30"],
            "The opening date cannot be at 01:30 on 29 March 2026: the clocks go forward that "
            "night, so that time does not happen in the UK",
            {"3"},
        ),
    ],
)
def test_a_date_and_time_says_what_is_wrong_and_marks_its_boxes(parts, message, wrong):
    form = MomentForm({f"opens_at_{index}": value for index, value in enumerate(parts)})
    assert form.errors["opens_at"] == [message]
    marked = {name[-1] for name, box in boxes(form, "opens_at").items() if box.get("aria-invalid")}
    assert marked == wrong


def test_the_hour_the_clocks_repeat_is_read_as_the_first_one():
    # In UTC: Python never counts a time in the repeated hour equal to one in another zone.
    read = read_date_time(["25", "10", "2026", "1:30"])
    assert read.astimezone(UTC) == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)


def test_a_stored_time_is_shown_again_in_uk_time():
    stored = datetime(2026, 7, 1, 8, 0, tzinfo=UTC)
    form = MomentForm(initial={"opens_at": stored})
    shown = boxes(form, "opens_at")
    assert [shown[f"opens_at_{index}"].get("value") for index in range(4)] == [
        "1",
        "7",
        "2026",
        "09:00",
    ]
    time_box = shown["opens_at_3"]
    assert time_box.get("aria-describedby") == "id_opens_at_3_hint"


def test_a_stored_time_round_trips_unchanged():
    stored = timezone.now().replace(second=0, microsecond=0) + timedelta(days=3)
    shown = MomentForm(initial={"opens_at": stored})
    values = {name: box.get("value") for name, box in boxes(shown, "opens_at").items()}
    again = MomentForm(values)
    assert again.is_valid(), again.errors
    assert again.cleaned_data["opens_at"] == stored


def test_nothing_typed_is_none():
    assert read_date(["", " ", ""]) is None
    assert read_date_time(["", "", "", ""]) is None
