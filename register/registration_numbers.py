"""Registration numbers: `CR`, seven digits, and a check letter, like `CR1000001H`.

The check letter is the seven-digit number modulo 23, mapped onto 23 letters that cannot be
mistaken for digits (no I, O or U). Because 23 is prime and larger than any digit difference,
every single mistyped digit and every swap of two neighbouring digits changes the remainder,
so the letter no longer matches and the typo is caught before any lookup.
"""

import re

PREFIX = "CR"
CHECK_LETTERS = "ABCDEFGHJKLMNPQRSTVWXYZ"
assert len(CHECK_LETTERS) == 23
_FORMAT = re.compile(r"^CR(\d{7})([A-Z])$")


def check_letter(number: int) -> str:
    return CHECK_LETTERS[number % 23]


def format_number(number: int) -> str:
    if not 1_000_000 <= number <= 9_999_999:
        raise ValueError("Registration numbers have seven digits.")
    return f"{PREFIX}{number}{check_letter(number)}"


def normalise(text: str) -> str:
    """What people type: lower case, spaces, dashes. What we store: `CR1000001H`."""
    return re.sub(r"[^A-Z0-9]", "", text.upper())


def looks_like_registration_number(text: str) -> bool:
    return bool(re.match(r"^CR\d", normalise(text)))


def is_valid(text: str) -> bool:
    match = _FORMAT.match(normalise(text))
    return bool(match) and check_letter(int(match.group(1))) == match.group(2)
