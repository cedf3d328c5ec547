"""One event as an iCalendar file (RFC 5545), for an email's attachment: a calendar app adds it
with one tap. Times are written in UTC (the "Z" form), which every calendar reads without a
time zone table; text is escaped and long lines folded as the RFC asks."""

import datetime

from django.utils import timezone

LINE_OCTETS = 75


def _escape(text: str) -> str:
    # RFC 5545 3.3.11: backslash, semicolon and comma are escaped; line breaks become \n.
    text = text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return text.replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n")


def _fold(line: str) -> str:
    # RFC 5545 3.1: lines longer than 75 octets are split, each continuation starting with a
    # space; never inside a UTF-8 character.
    out, current = [], ""
    for character in line:
        limit = LINE_OCTETS if not out else LINE_OCTETS - 1
        if len((current + character).encode()) > limit:
            out.append(current)
            current = character
        else:
            current += character
    out.append(current)
    return "\r\n ".join(out)


def _utc(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")


def calendar_event_ics(
    *,
    uid: str,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    summary: str,
    location: str = "",
    description: str = "",
    sequence: int = 0,
) -> str:
    """A calendar with one event, as the text of an .ics file."""
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Care Register//Paid job trials//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "BEGIN:VEVENT",
        f"UID:{_escape(uid)}",
        f"DTSTAMP:{_utc(timezone.now())}",
        f"DTSTART:{_utc(starts_at)}",
        f"DTEND:{_utc(ends_at)}",
        f"SEQUENCE:{sequence}",
        f"SUMMARY:{_escape(summary)}",
    ]
    if location:
        lines.append(f"LOCATION:{_escape(location)}")
    if description:
        lines.append(f"DESCRIPTION:{_escape(description)}")
    lines += ["END:VEVENT", "END:VCALENDAR"]
    return "".join(_fold(line) + "\r\n" for line in lines)
