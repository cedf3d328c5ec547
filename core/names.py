"""Text normalisation shared by the register's writes and its public search."""

import re
import unicodedata


def normalise_name(name: str) -> str:
    """Lower case, accents folded, punctuation to spaces: 'Zoë O'Brien-Smith' becomes
    'zoe o brien smith', so people find names however they type them."""
    folded = unicodedata.normalize("NFKD", name)
    ascii_only = "".join(ch for ch in folded if not unicodedata.combining(ch))
    return re.sub(r"[^a-z0-9]+", " ", ascii_only.lower()).strip()


def normalise_town(town: str) -> str:
    return normalise_name(town)


def name_words(search_name: str) -> list[str]:
    """The words of a normalised name that name search matches the start of, each once."""
    return sorted(set(search_name.split()))
