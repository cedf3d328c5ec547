"""The public register: which entries anyone may see, what they may see of each, and the search
that finds them. The HTML pages and the JSON API both read through here, so a private field
cannot leak through one of them only."""

import json
import math
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.models import Prefetch, QuerySet
from django.http import Http404

from register import registration_numbers
from register.errors import ApplicationError
from register.models import Annotation, NameWord, RegisterEntry
from register.search import normalise_name, normalise_town

Status = RegisterEntry.Status

# Counting costs a row read per match (about 10 ms a thousand on the benchmark machine, see
# docs/performance.md), and nobody pages through fifteen pages of namesakes: count this far,
# say when there are more, and ask for a town or more of the name.
COUNT_LIMIT = 300


class PublicSearchError(ApplicationError):
    """The search cannot run as asked; the message says what to change."""


@dataclass(frozen=True)
class PublicSearchResult:
    """One page of public register search results, each a public representation."""

    results: list[dict[str, Any]] = field(default_factory=list)
    count: int = 0
    count_is_capped: bool = False
    page: int = 1
    num_pages: int = 1
    # The registration number looked up, as stored, when the search was by number.
    number: str = ""

    @property
    def has_next(self) -> bool:
        return self.page < self.num_pages

    @property
    def has_previous(self) -> bool:
        return self.page > 1


def public_entries() -> QuerySet[RegisterEntry]:
    """Every entry the public may see. A person who left the register of their own accord is
    not listed; removal on fitness to practise grounds, suspension and lapse are, because
    employers and the public need to know."""
    return RegisterEntry.objects.exclude(
        status=Status.REMOVED, removal_kind=RegisterEntry.RemovalKind.VOLUNTARY
    )


def _with_public_details(queryset: QuerySet[RegisterEntry]) -> QuerySet[RegisterEntry]:
    # Only what entry_public_representation reads: the private notes never leave the database.
    annotations = Annotation.objects.only(
        "id", "entry_id", "kind", "public_text", "is_health_related", "ended_at", "created_at"
    )
    return queryset.select_related("pathway_role").prefetch_related(
        Prefetch("annotations", queryset=annotations)
    )


def entry_public_representation(entry: RegisterEntry) -> dict[str, Any]:
    """The one list of what the public register shows about an entry. Never date of birth,
    address, contact or identity data, and only the annotations that are public."""
    public: dict[str, list[str]] = {kind: [] for kind in Annotation.Kind.values}
    for annotation in entry.annotations.all():
        if annotation.is_public:
            public[annotation.kind].append(annotation.public_text)
    suspended = entry.status == Status.SUSPENDED
    removed = entry.status == Status.REMOVED
    return {
        "registration_number": entry.registration_number,
        "full_name": entry.full_name,
        "status": entry.status,
        "status_label": entry.get_status_display(),
        "registered_from": entry.registered_from,
        "renewal_due": entry.renewal_due,
        "role": entry.pathway_role.title if entry.pathway_role_id else None,
        "suspended_until": entry.suspended_until if suspended else None,
        "suspension_kind": (entry.get_suspension_kind_display() or None) if suspended else None,
        "removal_kind": (entry.get_removal_kind_display() or None) if removed else None,
        "conditions": [{"text": text} for text in public[Annotation.Kind.CONDITION]],
        "annotations": [{"text": text} for text in public[Annotation.Kind.ANNOTATION]],
    }


def public_entry_get(*, registration_number: str) -> dict[str, Any]:
    """The public representation of one entry, by its registration number as stored.
    Unknown numbers and entries the public may not see are both a 404: nobody learns which."""
    entry = (
        _with_public_details(public_entries())
        .filter(registration_number=registration_number)
        .first()
    )
    if entry is None:
        raise Http404("No entry on the public register has that registration number.")
    return entry_public_representation(entry)


def public_register_search(*, query: str, town: str = "", page: int = 1) -> PublicSearchResult:
    """Search the public register by registration number, or by name with an optional town.

    A number is looked up exactly, after checking its check letter so that a typo is reported
    rather than quietly finding nobody. A name matches when each word typed is the start of a
    word of the entry's normalised name, so "jo smi" finds "Joanne Smithson" (but "anne" does
    not find "Joanne"). Results come in name order.
    """
    query = (query or "").strip()
    if registration_numbers.looks_like_registration_number(query):
        return _search_by_number(query)
    words = normalise_name(query).split()
    if len("".join(words)) < 2:
        raise PublicSearchError("Enter at least 2 letters of the name, or a registration number.")
    return _search_by_name(words=words, town=normalise_town(town or ""), page=page)


def _search_by_number(query: str) -> PublicSearchResult:
    number = registration_numbers.normalise(query)
    if not registration_numbers.is_valid(number):
        raise PublicSearchError(f"{number} is not a valid registration number: check it for typos.")
    entries = _with_public_details(public_entries()).filter(registration_number=number)
    results = [entry_public_representation(entry) for entry in entries]
    return PublicSearchResult(results=results, count=len(results), number=number)


def _search_by_name(*, words: list[str], town: str, page: int) -> PublicSearchResult:
    """Up to COUNT_LIMIT + 1 matches in name order, from the name-word table alone, then the
    page's entries. The measurements behind it are in docs/performance.md."""
    page_size = settings.REGISTER_PAGE_SIZE
    found = _matches_in_name_order(words=words, town=town, limit=COUNT_LIMIT + 1)
    count_is_capped = len(found) > COUNT_LIMIT
    count = min(len(found), COUNT_LIMIT)
    num_pages = max(1, math.ceil(count / page_size))
    # Like Django's Paginator.get_page: a page past the end shows the last one.
    page = min(max(1, page), num_pages)
    ids = [entry_id for _, entry_id in found[(page - 1) * page_size : min(page * page_size, count)]]
    # Filtered again: an entry that left the register a moment ago must not show.
    by_id = {entry.id: entry for entry in _with_public_details(public_entries().filter(id__in=ids))}
    return PublicSearchResult(
        results=[entry_public_representation(by_id[pk]) for pk in ids if pk in by_id],
        count=count,
        count_is_capped=count_is_capped,
        page=page,
        num_pages=num_pages,
    )


# A word typed that starts more different name words than this ("sa" starts sarah, samantha,
# sandra and many more) is read as one index range and sorted, instead of as one ordered range
# per name word, merged: planning a query of hundreds of ranges would cost more than the sort.
MAX_MERGED_WORDS = 40

_WORDS = NameWord._meta.db_table


def _matches_in_name_order(*, words: list[str], town: str, limit: int) -> list[tuple[str, int]]:
    """(search_name, entry id) of the first `limit` public entries in name order that have a
    word starting with each word typed, in the town if one is given.

    It reads the name words of the word typed that starts the fewest, by PostgreSQL's estimate,
    and checks the other words typed against the whole name held in the same index entry. On
    PostgreSQL it reads one range of the index in name order for each name word that the word
    typed starts (smith, smithson), and merges them: the first page of "smith" reads a page of
    index entries, not all 23,000.
    """
    # A word typed that starts another one typed adds nothing: "jo john" finds what "john" does.
    words = sorted(
        {word for word in words if not any(o.startswith(word) and o != word for o in words)}
    )
    leading = words[0] if len(words) == 1 else min(words, key=_estimated_words_starting)
    others = [word for word in words if word != leading]
    if connection.vendor == "postgresql":
        expansions = _name_words_starting(leading, town=town, limit=MAX_MERGED_WORDS + 1)
        if not expansions:
            return []
        if len(expansions) <= MAX_MERGED_WORDS:
            return _merged_ranges(expansions, others=others, town=town, limit=limit)
    return _one_range(leading, others=others, town=town, limit=limit)


def _conditions(*, others: list[str], town: str) -> tuple[str, list[str]]:
    sql, params = "", []
    if town:
        sql += " AND search_town = %s"
        params.append(town)
    for word in others:
        # Words hold only a to z and 0 to 9 (normalise_name): nothing in them is a wildcard.
        sql += " AND (' ' || search_name) LIKE %s"
        params.append(f"% {word}%")
    return sql, params


def _rows(sql: str, params: list) -> list[tuple[str, int]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [(name, entry_id) for name, entry_id in cursor.fetchall()]


def _one_range(leading: str, *, others: list[str], town: str, limit: int) -> list[tuple[str, int]]:
    conditions, params = _conditions(others=others, town=town)
    return _rows(
        f"SELECT DISTINCT search_name, entry_id FROM {_WORDS} "  # noqa: S608
        f"WHERE word LIKE %s{conditions} ORDER BY search_name, entry_id LIMIT %s",
        [f"{leading}%", *params, limit],
    )


def _merged_ranges(
    expansions: list[str], *, others: list[str], town: str, limit: int
) -> list[tuple[str, int]]:
    # Each branch is one range of an index in name order (the town's index, given a town), so
    # PostgreSQL merges them and stops at the limit. A name with two of the words (John
    # Johnson, for "jo") is in two branches, side by side in the merge: DISTINCT drops one.
    conditions, params = _conditions(others=others, town=town)
    branch = (
        f"(SELECT search_name, entry_id FROM {_WORDS} WHERE word = %s{conditions} "  # noqa: S608
        "ORDER BY search_name, entry_id LIMIT %s)"
    )
    branches = " UNION ALL ".join([branch] * len(expansions))
    return _rows(
        f"SELECT DISTINCT search_name, entry_id FROM ({branches}) AS matches "  # noqa: S608
        "ORDER BY search_name, entry_id LIMIT %s",
        [value for word in expansions for value in (word, *params, limit)] + [limit],
    )


def _name_words_starting(word: str, *, town: str, limit: int) -> list[str]:
    """Up to `limit` different name words that start with `word`, in the town if one is given:
    one step down the index for each, skipping the entries in between (PostgreSQL only)."""
    in_town = "n.search_town = %s AND " if town else ""
    # ~<~ and ~>~ are the operators of varchar_pattern_ops, the order the index is in.
    sql = f"""
        WITH RECURSIVE expansions(word) AS (
            (SELECT n.word FROM {_WORDS} n WHERE {in_town}n.word LIKE %s
             ORDER BY n.word USING ~<~ LIMIT 1)
            UNION ALL
            SELECT (
                SELECT n.word FROM {_WORDS} n
                WHERE {in_town}n.word LIKE %s AND n.word ~>~ e.word
                ORDER BY n.word USING ~<~ LIMIT 1
            )
            FROM expansions e WHERE e.word IS NOT NULL
        )
        SELECT word FROM expansions WHERE word IS NOT NULL LIMIT %s
    """  # noqa: S608
    step = [town, f"{word}%"] if town else [f"{word}%"]
    with connection.cursor() as cursor:
        cursor.execute(sql, [*step, *step, limit])
        return [row[0] for row in cursor.fetchall()]


def _estimated_words_starting(word: str) -> float:
    """PostgreSQL's estimate of the name words that start with `word`, which its statistics
    of the column make good (unlike its guess for a word anywhere in a name). On other
    databases a longer word is taken to be rarer."""
    if connection.vendor != "postgresql":
        return -len(word)
    with connection.cursor() as cursor:
        cursor.execute(
            f"EXPLAIN (FORMAT JSON) SELECT 1 FROM {_WORDS} WHERE word LIKE %s",  # noqa: S608
            [f"{word}%"],
        )
        plan = cursor.fetchone()[0]
    if isinstance(plan, str):
        plan = json.loads(plan)
    return float(plan[0]["Plan"]["Plan Rows"])
