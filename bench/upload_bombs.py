"""Hostile passport PDFs against the real reader (issue 17, finding 2): for each crafted upload,
its size, how long the refusal took and the peak memory the read allocated (tracemalloc).

    .venv/bin/python bench/upload_bombs.py

Before the fix, two 50 MB attachments peaked at about 180 MB, and a 5 MB upload could hold
about 70 of them. The PDFs are built by tests/passports/test_pdf_bombs.py's `crafted_pdf`, the
same bytes the tests refuse.
"""

import os
import sys
import zlib
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from tests.passports.test_pdf_bombs import FLATE, crafted_pdf, read_measured  # noqa: E402

MEGABYTE = 1024 * 1024


def main() -> None:
    bomb = zlib.compress(bytes(50 * MEGABYTE), 9)
    print(f"{'upload':<44} {'bytes':>9} {'seconds':>8} {'peak MB':>8}  outcome")
    for copies in (1, 2, 30, 60):
        pdf = crafted_pdf([(b"passport.jwt", FLATE, bomb)] * copies)
        outcome, seconds, peak = read_measured(pdf)
        label = f"{copies} x passport.jwt inflating to 50 MB each"
        print(f"{label:<44} {len(pdf):>9} {seconds:>8.3f} {peak / MEGABYTE:>8.2f}  {outcome}")


if __name__ == "__main__":
    main()
