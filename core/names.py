"""Text normalisation shared by the register's writes and its public search.

People type names without the letters their keyboard lacks: "lukasz" for "Łukasz", "obrien" for
"O'Brien", "smithjones" or "smith jones" for "Smith-Jones". Accents come off by Unicode
decomposition (NFKD); the letters that do not decompose (Ł, Ø, Đ, Ħ, ß, Æ, Œ, Þ, Ð, ı) are
folded by a table; apostrophes (and the Catalan middle dot) are dropped so the parts they join
read as one word; hyphens and other punctuation separate words.

A name is stored for search (`name_search_form`) with the words a searcher might type for it:
its words as above, then the parts its apostrophes join ("o brien") and the words its hyphens
join, run together ("obriensmith"). A search is read with `normalise_name`, so every word typed
must start a word of that form.
"""

import re
import unicodedata
from functools import lru_cache

# Latin letters of the EU's alphabets that NFKD leaves whole, as a person without them types
# them. Lower case only: the text is case-folded first.
_FOLDED_LETTERS = str.maketrans(
    {
        "ł": "l",  # Polish
        "ø": "o",  # Danish
        "đ": "d",  # Croatian
        "ħ": "h",  # Maltese
        "ı": "i",  # dotless i (Turkish names on the register)
        "æ": "ae",  # Danish
        "œ": "oe",  # French
        "þ": "th",  # Icelandic names
        "ð": "d",  # Icelandic and Faroese names
        "ŧ": "t",  # Northern Sami
        "ŋ": "n",  # Northern Sami
        "ĸ": "k",  # old Greenlandic
    }
)

# Marks inside a word that people leave out when they type it: every mark typed for an
# apostrophe (ASCII, right and left single quotation marks, the modifier letter apostrophe, the
# prime, a grave or acute accent on its own) and the Catalan middle dot ("Gil·la", "gilla").
_APOSTROPHES = re.compile(r"['\u2019\u2018\u02bc\u2032`\u00b4\u00b7]")
_HYPHENS = re.compile(r"[-\u2010\u2011\u2012\u2013\u2014\u2212]")
_NOT_A_LETTER = re.compile(r"[^a-z0-9]+")


def _fold(text: str) -> str:
    """Case folded (ß becomes ss), accents off, the table's letters folded."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return bare.translate(_FOLDED_LETTERS)


def _words(folded: str) -> list[str]:
    return _NOT_A_LETTER.sub(" ", folded).split()


@lru_cache(maxsize=16384)
def _token_forms(token: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """One space-separated part of a name: its words as searched, and the extra words people
    type for its apostrophes and hyphens. Parts repeat (first names, surnames), so kept."""
    folded = _fold(token)
    words = tuple(_words(_APOSTROPHES.sub("", folded)))
    extras = []
    if _APOSTROPHES.search(folded):
        extras += _words(folded)
    if _HYPHENS.search(folded):
        extras.append("".join(words))
    return words, tuple(extras)


def normalise_name(name: str) -> str:
    """Lower case, letters folded, apostrophes dropped, other punctuation to spaces:
    "Zoë O'Brien-Smith" becomes "zoe obrien smith", "Łukasz" becomes "lukasz"."""
    return " ".join(word for token in name.split() for word in _token_forms(token)[0])


def name_search_form(name: str, *, max_length: int = 200) -> str:
    """The name as stored for search: `normalise_name`, then the other ways people type its
    apostrophes and hyphens, each word once: "Zoë O'Brien-Smith" becomes
    "zoe obrien smith o brien obriensmith". The name's own words come first, so ordering by the
    form orders by the name. It is cut at a word before it would pass `max_length`."""
    forms = [_token_forms(token) for token in name.split()]
    form, seen, length = [], set(), -1
    own = [word for words, _ in forms for word in words]
    extras = [extra for _, more in forms for extra in more]
    for word in [*own, *extras]:
        if word in seen and len(form) >= len(own):
            continue
        # Folding can lengthen a name (ß to ss, æ to ae): nothing passes the column's length.
        if length + 1 + len(word) > max_length:
            break
        length += 1 + len(word)
        seen.add(word)
        form.append(word)
    return " ".join(form)


def normalise_town(town: str) -> str:
    return normalise_name(town)


def name_words(search_name: str) -> list[str]:
    """The words of a normalised name that name search matches the start of, each once."""
    return sorted(set(search_name.split()))
