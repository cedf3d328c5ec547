"""Dates and times in templates, through core.dates, so a page or an email shows a date exactly
as the PDF, the messages and the API's labels do:

    {% load dates %}
    {{ entry.renewal_due|day }}              7 December 2026
    {{ record.completed_on|day:"short" }}    7 Dec 2026 (in tables)
    {{ consultation.closes_at|moment }}      14:30 on 7 December 2026
    {{ event.occurred_at|moment:"short seconds" }}
    {{ delivery.next_attempt_at|clock }}     14:30

Django's own `date` filter is not used for people: its month names follow the active language.
Like it, these show nothing for a missing value, so `|default:"Not set"` still works.
"""

from django import template

from core import dates

register = template.Library()

_STYLES = {"short", "seconds"}


def _styles(argument: str, *, allowed: set[str]) -> set[str]:
    styles = set(argument.split())
    if not styles <= allowed:
        # A typing mistake in a template should fail its test, not show a different format.
        raise template.TemplateSyntaxError(
            f"Unknown date style {sorted(styles - allowed)}; use {sorted(allowed)}"
        )
    return styles


@register.filter
def day(value, argument: str = ""):
    if value in (None, ""):
        return ""
    styles = _styles(argument, allowed={"short"})
    return dates.format_day(value, short="short" in styles)


@register.filter
def moment(value, argument: str = ""):
    if value in (None, ""):
        return ""
    styles = _styles(argument, allowed=_STYLES)
    return dates.format_moment(value, short="short" in styles, seconds="seconds" in styles)


@register.filter
def clock(value, argument: str = ""):
    if value in (None, ""):
        return ""
    styles = _styles(argument, allowed={"seconds"})
    return dates.format_clock(value, seconds="seconds" in styles)
