"""Reading a training provider's CSV file: its encoding, its columns and the format of each value.

What a row means (which worker, which standard, whether it is already recorded) is decided by
the services in passports/services/records.py, with the same rules as a single record. Line
numbers count the header as line 1, as a spreadsheet does.
"""

import csv
import io
import re
from collections import Counter
from dataclasses import dataclass
from datetime import date

from core.errors import ApplicationError
from register.registration_numbers import is_valid, normalise

COLUMNS = ("registration_number", "date_of_birth", "standard_code", "completed_on")
MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 50_000
# The file needs four columns; a spreadsheet may add a few empty ones. A header of millions of
# commas is refused before its names are compared with each other.
MAX_COLUMNS = 20
# Unknown column names quoted back in the message, at most.
_SHOWN_NAMES = 5

_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_UK_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")


class CsvFileError(ApplicationError):
    """The file as a whole cannot be used, so none of its rows is checked."""


@dataclass(frozen=True)
class RowError:
    line: int
    message: str

    def __str__(self) -> str:
        return f"Line {self.line}: {self.message}"


@dataclass(frozen=True)
class ParsedRow:
    """One row whose values all have the right form; nothing about it is checked yet."""

    line: int
    registration_number: str
    date_of_birth: date
    standard_code: str
    completed_on: date


@dataclass(frozen=True)
class ParsedFile:
    rows: list[ParsedRow]
    errors: list[RowError]
    row_count: int


def template_csv() -> str:
    """The downloadable template: the header line only, so an unedited template adds nothing."""
    output = io.StringIO()
    csv.writer(output, lineterminator="\r\n").writerow(COLUMNS)
    return output.getvalue()


def decode(raw: bytes) -> str:
    """The file's text. UTF-8 only, with or without the byte order mark Excel adds."""
    if not raw.strip():
        raise CsvFileError("The selected file is empty.")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise CsvFileError(
            "The file must be saved as UTF-8, and this one is in another encoding. In Excel, "
            "choose File, Save As, and the type 'CSV UTF-8 (Comma delimited)'."
        ) from None
    if "\x00" in text:
        # UTF-16 text made only of ASCII characters is valid UTF-8 with a NUL after each one.
        raise CsvFileError(
            "The file must be saved as UTF-8, and this one looks like UTF-16. In Excel, "
            "choose File, Save As, and the type 'CSV UTF-8 (Comma delimited)'."
        )
    return text


def parse_date(text: str) -> date | None:
    """A date written 2025-03-01 or 01/03/2025 (day first, as in the UK), or None."""
    text = text.strip()
    match = _ISO_DATE.match(text)
    if match:
        year, month, day = match.groups()
    else:
        match = _UK_DATE.match(text)
        if not match:
            return None
        day, month, year = match.groups()
    try:
        return date(int(year), int(month), int(day))
    except ValueError:
        return None


def _shown(value: str) -> str:
    value = value.strip()
    return value if len(value) <= 40 else value[:37] + "..."


def _header_problem(names: list[str]) -> str | None:
    missing = [column for column in COLUMNS if column not in names]
    unknown = [name for name in names if name not in COLUMNS]
    repeated = sorted(name for name, count in Counter(names).items() if count > 1)
    if not (missing or unknown or repeated):
        return None
    details = []
    if missing:
        details.append("missing: " + ", ".join(missing))
    if unknown:
        shown = ", ".join(_shown(name) or "(blank)" for name in unknown[:_SHOWN_NAMES])
        more = len(unknown) - _SHOWN_NAMES
        details.append(f"not recognised: {shown}" + (f" and {more:,} more" if more > 0 else ""))
    if repeated:
        details.append("given twice: " + ", ".join(repeated))
    return (
        "Line 1: the first line must name the columns "
        + ", ".join(COLUMNS)
        + " ("
        + "; ".join(details)
        + "). Download the template and copy your rows into it."
    )


def _parse_row(line: int, values: list[str], positions: dict[str, int]) -> ParsedRow | list[str]:
    """The row, or what is wrong with its values."""
    problems = []
    number = normalise(values[positions["registration_number"]])
    if not number:
        problems.append("enter the registration number")
    elif not is_valid(number):
        problems.append(
            f"registration number {_shown(values[positions['registration_number']])} is not "
            "a valid registration number (like CR1000001H): check it for typos"
        )
    date_of_birth = parse_date(values[positions["date_of_birth"]])
    if date_of_birth is None:
        problems.append("date of birth must be a date like 1990-05-17")
    standard_code = values[positions["standard_code"]].strip().lower()
    if not standard_code:
        problems.append("enter the standard code")
    completed_on = parse_date(values[positions["completed_on"]])
    if completed_on is None:
        problems.append("completion date must be a date like 2025-03-01")
    if problems:
        return problems
    return ParsedRow(
        line=line,
        registration_number=number,
        date_of_birth=date_of_birth,
        standard_code=standard_code,
        completed_on=completed_on,
    )


def parse(text: str) -> ParsedFile:
    """Every row of the file, or a line-numbered error for each value of the wrong form.

    Raises CsvFileError when the header is wrong or the file has more than MAX_ROWS rows.
    Blank lines are skipped and not counted.
    """
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader, None)
    except csv.Error as error:
        raise CsvFileError(f"Line 1 cannot be read as CSV ({error}).") from None
    if not header or not any(name.strip() for name in header):
        raise CsvFileError(
            "Line 1: the first line must name the columns " + ", ".join(COLUMNS) + "."
        )
    if len(header) > MAX_COLUMNS:
        raise CsvFileError(
            f"Line 1 has {len(header):,} columns, and the file needs only "
            + ", ".join(COLUMNS)
            + ". Download the template and copy your rows into it."
        )
    names = [name.strip().lower() for name in header]
    problem = _header_problem(names)
    if problem:
        raise CsvFileError(problem)
    positions = {name: index for index, name in enumerate(names)}

    rows: list[ParsedRow] = []
    errors: list[RowError] = []
    row_count = 0
    while True:
        # A row may span several lines inside quotes; it is reported by the line it starts on.
        line = reader.line_num + 1
        try:
            values = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            errors.append(RowError(line, f"this line cannot be read as CSV ({error})"))
            break
        if not any(value.strip() for value in values):
            continue
        row_count += 1
        if row_count > MAX_ROWS:
            raise CsvFileError(
                f"The file has more than {MAX_ROWS:,} rows. Split it into files of up to "
                f"{MAX_ROWS:,} rows and upload each one."
            )
        if len(values) > len(names) and not any(value.strip() for value in values[len(names) :]):
            # Spreadsheets often save empty cells to the right of the table as extra commas.
            values = values[: len(names)]
        if len(values) != len(names):
            errors.append(
                RowError(
                    line, f"expected {len(names)} values separated by commas, found {len(values)}"
                )
            )
            continue
        parsed = _parse_row(line, values, positions)
        if isinstance(parsed, ParsedRow):
            rows.append(parsed)
        else:
            errors.extend(RowError(line, message) for message in parsed)
    return ParsedFile(rows=rows, errors=errors, row_count=row_count)
