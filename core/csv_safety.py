"""CSV files that are safe to open in a spreadsheet.

A cell that starts with =, +, -, @, a tab or a carriage return is read by Excel, LibreOffice
and Google Sheets as a formula, so a name typed as `=HYPERLINK(...)` would run when an
employer opens their export (OWASP calls this CSV injection). Such a cell is prefixed with a
single quote, which spreadsheets show as text and do not evaluate. The csv module still does
the quoting of commas, quotes and new lines.
"""

import csv
import io
from collections.abc import Iterable

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
# Excel opens a UTF-8 file as UTF-8 only when it starts with a byte order mark.
UTF8_BOM = "\ufeff"


def spreadsheet_safe(value) -> str:
    """The cell as text, neutralised if a spreadsheet would take it for a formula."""
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_PREFIXES):
        return "'" + text
    return text


def csv_text(rows: Iterable[Iterable]) -> str:
    """Rows as CSV text with a byte order mark, every cell made spreadsheet-safe."""
    buffer = io.StringIO()
    buffer.write(UTF8_BOM)
    writer = csv.writer(buffer)
    for row in rows:
        writer.writerow([spreadsheet_safe(cell) for cell in row])
    return buffer.getvalue()
