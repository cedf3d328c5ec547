"""The public register: which entries anyone may see, what they may see of each, and the search
that finds them. The HTML pages and the JSON API both read through here, so a private field
cannot leak through one of them only."""

import math
import time
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.http import Http404

from config.db_routers import read_connection, reads_from_replica
from core.errors import ApplicationError
from core.names import normalise_name, normalise_town
from register import registration_numbers
from register.models import Annotation, ConcernCategory, NameWord, PathwayRole, RegisterEntry

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


# The entries the public may not see: those who left the register of their own accord. Removal
# on fitness to practise grounds, suspension and lapse are listed, because employers and the
# public need to know. Read by public_entries() and by the SQL of _public_entries_with_details.
NOT_PUBLIC = {"status": Status.REMOVED, "removal_kind": RegisterEntry.RemovalKind.VOLUNTARY}


def public_entries() -> QuerySet[RegisterEntry]:
    """Every entry the public may see (all but NOT_PUBLIC)."""
    return RegisterEntry.objects.exclude(**NOT_PUBLIC)


# Only the columns entry_public_representation reads; the private ones never leave the database.
_ENTRY_COLUMNS = (
    "id",
    "registration_number",
    "full_name",
    "pathway_role_id",
    "status",
    "suspension_kind",
    "suspended_until",
    "removal_kind",
    "sanction_category",
    "registered_from",
    "renewal_due",
)
_ANNOTATION_COLUMNS = (
    "id",
    "entry_id",
    "kind",
    "public_text",
    "is_health_related",
    "ends_on",
    "category",
    "ended_at",
    "created_at",
)


def _public_entries_with_details(
    where: str, params: list, *, annotations: bool = True
) -> list[RegisterEntry]:
    """The entries the public may see that match `where` (SQL about the entry table, as `e`),
    each with its role's title and, when asked, its annotations: what
    `select_related("pathway_role").only(...).prefetch_related("annotations")` reads, written
    as SQL because building those queries cost more CPU than running them (a first visit to
    an entry's page spent 2.8 ms of its 6 in the ORM; docs/performance.md). A test compares
    what both give."""
    columns = ", ".join(f"e.{column}" for column in _ENTRY_COLUMNS)
    sql = (
        f"SELECT {columns}, r.title AS public_role_title "  # noqa: S608 - tables of our models
        f"FROM {RegisterEntry._meta.db_table} e "
        f"LEFT JOIN {PathwayRole._meta.db_table} r ON r.id = e.pathway_role_id "
        f"WHERE NOT ({' AND '.join(f'e.{column} = %s' for column in NOT_PUBLIC)}) "
        f"AND ({where})"
    )
    entries = list(RegisterEntry.objects.raw(sql, [*NOT_PUBLIC.values(), *params]))
    for entry in entries:
        # The role as far as the page shows it: its title, read with the entry.
        entry.pathway_role = (
            PathwayRole(pk=entry.pathway_role_id, title=entry.public_role_title)
            if entry.pathway_role_id
            else None
        )
    if annotations:
        by_entry: dict[int, list[Annotation]] = {entry.pk: [] for entry in entries}
        if entries:
            placeholders = ", ".join(["%s"] * len(entries))
            for annotation in Annotation.objects.raw(
                f"SELECT {', '.join(_ANNOTATION_COLUMNS)} "  # noqa: S608 - our model's table
                f"FROM {Annotation._meta.db_table} WHERE entry_id IN ({placeholders}) "
                "ORDER BY created_at, id",
                list(by_entry),
            ):
                by_entry[annotation.entry_id].append(annotation)
        for entry in entries:
            entry.public_annotations_read = by_entry[entry.pk]
    return entries


def entry_public_representation(
    entry: RegisterEntry, *, annotations: bool = True
) -> dict[str, Any]:
    """The one list of what the public register shows about an entry. Never date of birth,
    address, contact or identity data, only the conditions, warnings and annotations that are
    public, and never a category of concern that is health.

    With `annotations=False` (a list of results that shows none) the conditions, warnings and
    annotations are left out, keys and all, and never read."""
    suspended = entry.status == Status.SUSPENDED
    removed = entry.status == Status.REMOVED
    # The category of the concern behind a sanction: a suspension that is one, or a removal
    # on fitness to practise grounds. An interim order is made before anything is decided.
    sanctioned = (suspended and entry.suspension_kind == RegisterEntry.SuspensionKind.SANCTION) or (
        removed and entry.removal_kind == RegisterEntry.RemovalKind.FITNESS_TO_PRACTISE
    )
    representation = {
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
        "sanction_category": (
            ConcernCategory.public_label(entry.sanction_category) if sanctioned else None
        ),
    }
    if not annotations:
        return representation
    public: dict[str, list[Annotation]] = {kind: [] for kind in Annotation.Kind.values}
    read = getattr(entry, "public_annotations_read", None)
    for annotation in read if read is not None else entry.annotations.all():
        if annotation.is_public:
            public[annotation.kind].append(annotation)
    representation["conditions"] = [
        _outcome(annotation) for annotation in public[Annotation.Kind.CONDITION]
    ]
    representation["warnings"] = [
        _outcome(annotation) for annotation in public[Annotation.Kind.WARNING]
    ]
    representation["annotations"] = [
        {"text": annotation.public_text} for annotation in public[Annotation.Kind.ANNOTATION]
    ]
    return representation


def _outcome(annotation: Annotation) -> dict[str, Any]:
    """A condition or warning as the public sees it: its text, its last day if it has one, and
    its category of concern (never health: such a one is not public at all)."""
    return {
        "text": annotation.public_text,
        "until": annotation.ends_on,
        "category": annotation.public_category,
    }


@reads_from_replica
def public_entry_get(*, registration_number: str) -> dict[str, Any]:
    """The public representation of one entry, by its registration number as stored.
    Unknown numbers and entries the public may not see are both a 404: nobody learns which."""
    found = _public_entries_with_details("e.registration_number = %s", [registration_number])
    if not found:
        raise Http404("No entry on the public register has that registration number.")
    return entry_public_representation(found[0])


@reads_from_replica
def public_register_search(
    *, query: str, town: str = "", page: int = 1, annotations: bool = True
) -> PublicSearchResult:
    """Search the public register by registration number, or by name with an optional town.

    A number is looked up exactly, after checking its check letter so that a typo is reported
    rather than quietly finding nobody. A name matches when each word typed is the start of a
    word of the entry's normalised name, so "jo smi" finds "Joanne Smithson" (but "anne" does
    not find "Joanne"). Results come in name order. `annotations=False` leaves each result's
    conditions and annotations out (see entry_public_representation).
    """
    query = (query or "").strip()
    if registration_numbers.looks_like_registration_number(query):
        return _search_by_number(query, annotations=annotations)
    words = normalise_name(query).split()
    if len("".join(words)) < 2:
        raise PublicSearchError("Enter at least 2 letters of the name, or a registration number.")
    return _search_by_name(
        words=words, town=normalise_town(town or ""), page=page, annotations=annotations
    )


def _search_by_number(query: str, *, annotations: bool) -> PublicSearchResult:
    number = registration_numbers.normalise(query)
    if not registration_numbers.is_valid(number):
        raise PublicSearchError(f"{number} is not a valid registration number: check it for typos.")
    entries = _public_entries_with_details(
        "e.registration_number = %s", [number], annotations=annotations
    )
    results = [entry_public_representation(entry, annotations=annotations) for entry in entries]
    return PublicSearchResult(results=results, count=len(results), number=number)


def _search_by_name(
    *, words: list[str], town: str, page: int, annotations: bool
) -> PublicSearchResult:
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
    found_entries = (
        _public_entries_with_details(
            f"e.id IN ({', '.join(['%s'] * len(ids))})", ids, annotations=annotations
        )
        if ids
        else []
    )
    by_id = {entry.id: entry for entry in found_entries}
    return PublicSearchResult(
        results=[
            entry_public_representation(by_id[pk], annotations=annotations)
            for pk in ids
            if pk in by_id
        ],
        count=count,
        count_is_capped=count_is_capped,
        page=page,
        num_pages=num_pages,
    )


# The name words a word typed starts are read as one ordered range of the index each, merged,
# MERGE_BATCH at a time: planning a merge grows faster than the number of ranges (about 1 ms
# for 40 and 5 ms for 100, on a busy machine). Past MAX_MERGED_WORDS, the word's whole range
# is read and sorted instead, which costs in proportion to its length (40 to 70 ms for the
# 100,000 names with a word starting "sa", busy, against 3 ms merged).
MERGE_BATCH = 40
MAX_MERGED_WORDS = 400

_WORDS = NameWord._meta.db_table


def _matches_in_name_order(*, words: list[str], town: str, limit: int) -> list[tuple[str, int]]:
    """(search_name, entry id) of the first `limit` public entries in name order that have a
    word starting with each word typed, in the town if one is given.

    It reads the name words of the word typed that starts the fewest, and checks the other
    words typed against the whole name held in the same index entry. On PostgreSQL it reads one
    range of the index in name order for each name word that the word typed starts (smith,
    smithson), and merges them: the first page of "smith" reads a page of index entries, not
    all 23,000 Smiths.
    """
    # A word typed that starts another one typed adds nothing: "jo john" finds what "john" does.
    words = sorted(
        {word for word in words if not any(o.startswith(word) and o != word for o in words)}
    )
    if read_connection(RegisterEntry).vendor != "postgresql":
        leading = _leading_word(words, shares=None)
        return _one_range(
            leading, others=[w for w in words if w != leading], town=town, limit=limit
        )
    expansions = _name_words_starting(words, town=town)
    if not all(expansions.values()):
        return []  # a word typed starts no name word (in that town): nobody matches
    leading = words[0]
    if len(words) > 1:
        statistics, least = _word_statistics()
        # A word that is not among the most common is no commoner than the least of those.
        shares = {
            word: math.inf
            if len(names) > MAX_MERGED_WORDS
            else sum(statistics.get(name, least) for name in names)
            for word, names in expansions.items()
        }
        leading = _leading_word(words, shares=shares)
    others = [word for word in words if word != leading]
    names = expansions[leading]
    if len(names) > MAX_MERGED_WORDS:
        return _one_range(leading, others=others, town=town, limit=limit)
    return _merged_ranges(names, others=others, town=town, limit=limit)


def _leading_word(words: list[str], *, shares: dict[str, float] | None) -> str:
    """The word typed to read the name words of: the one whose name words are the smallest
    share of all, or without statistics the longest, as likely to be the rarest."""
    if shares is None:
        return max(words, key=len)
    return min(words, key=lambda word: shares[word])


# PostgreSQL's statistics of the name words change only when it analyses the table, and
# reading them costs about as much as a search (the pg_stats view takes 0.5 ms to plan), so
# each process reads them again after this many seconds. Stale statistics can only make a
# search slower, never change what it finds.
WORD_STATISTICS_SECONDS = 600
_statistics_read: tuple[float, dict[str, float], float] | None = None


def _word_statistics() -> tuple[dict[str, float], float]:
    """The share of all name words that each of the commonest is, and the least of those
    shares, from PostgreSQL's statistics (empty before the table is first analysed)."""
    global _statistics_read
    now = time.monotonic()
    if _statistics_read is None or now - _statistics_read[0] > WORD_STATISTICS_SECONDS:
        with read_connection(RegisterEntry).cursor() as cursor:
            cursor.execute(
                "SELECT most_common_vals::text::text[], most_common_freqs FROM pg_stats "
                "WHERE schemaname = current_schema() AND tablename = %s AND attname = 'word'",
                [_WORDS],
            )
            row = cursor.fetchone()
        shares = dict(zip(row[0], row[1], strict=True)) if row and row[0] else {}
        _statistics_read = (now, shares, min(shares.values(), default=0.0))
    return _statistics_read[1], _statistics_read[2]


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
    with read_connection(RegisterEntry).cursor() as cursor:
        cursor.execute(sql, params)
        return [(name, entry_id) for name, entry_id in cursor.fetchall()]


def _one_range(leading: str, *, others: list[str], town: str, limit: int) -> list[tuple[str, int]]:
    conditions, params = _conditions(others=others, town=town)
    sql = (
        f"SELECT search_name, entry_id FROM {_WORDS} "  # noqa: S608
        f"WHERE word LIKE %s{conditions} ORDER BY search_name, entry_id LIMIT %s"
    )
    # A name with two words that start as the word typed is in the range twice, side by side
    # in name order. Without DISTINCT the database keeps only the first rows as it sorts,
    # rather than sorting the whole range: ask for three times as many, and more if needed.
    wanted = limit * 3
    while True:
        rows = _rows(sql, [f"{leading}%", *params, wanted])
        distinct = list(dict.fromkeys(rows))
        if len(distinct) >= limit or len(rows) < wanted:
            return distinct[:limit]
        wanted *= 4


def _merged_ranges(
    expansions: list[str], *, others: list[str], town: str, limit: int
) -> list[tuple[str, int]]:
    # Each branch is one range of an index in name order (the town's index, given a town), so
    # PostgreSQL merges them and stops at the limit. A name with two of the words (John
    # Johnson, for "jo") is in two branches, side by side in the merge: DISTINCT drops one.
    # More than MERGE_BATCH words are merged a batch at a time, in one statement that puts
    # the batches' first rows in order: planning one merge of them all would cost more.
    conditions, params = _conditions(others=others, town=town)
    branch = (
        f"(SELECT search_name, entry_id FROM {_WORDS} WHERE word = %s{conditions} "  # noqa: S608
        "ORDER BY search_name, entry_id LIMIT %s)"
    )
    first_in_order = (
        "SELECT DISTINCT search_name, entry_id FROM ({}) AS matches "
        "ORDER BY search_name, entry_id LIMIT %s"
    )
    batches, all_params = [], []
    for start in range(0, len(expansions), MERGE_BATCH):
        batch = expansions[start : start + MERGE_BATCH]
        batches.append(first_in_order.format(" UNION ALL ".join([branch] * len(batch))))
        all_params += [value for word in batch for value in (word, *params, limit)] + [limit]
    if len(batches) == 1:
        return _rows(batches[0], all_params)
    return _rows(
        first_in_order.format(" UNION ALL ".join(f"({batch})" for batch in batches)),
        [*all_params, limit],
    )


def _name_words_starting(words: list[str], *, town: str) -> dict[str, list[str]]:
    """For each word typed, up to MAX_MERGED_WORDS + 1 different name words that start with it,
    in the town if one is given: one statement, one step down the index for each name word,
    skipping the entries in between (PostgreSQL only)."""
    in_town = "n.search_town = %s AND " if town else ""
    town_params = [town] if town else []
    # ~<~, ~>=~ and ~>~ are the operators of varchar_pattern_ops, the order the index is in.
    # A word holds only a to z and 0 to 9, so the words starting with "smith" are those from
    # "smith" up to, not including, "smiti".
    sql = f"""
        WITH RECURSIVE typed(slot, low, high) AS (
            SELECT * FROM unnest(%s::int[], %s::text[], %s::text[])
        ), expansions(slot, word, depth) AS (
            SELECT t.slot, (
                SELECT n.word FROM {_WORDS} n
                WHERE {in_town}n.word ~>=~ t.low AND n.word ~<~ t.high
                ORDER BY n.word USING ~<~ LIMIT 1
            ), 1
            FROM typed t
            UNION ALL
            SELECT e.slot, (
                SELECT n.word FROM {_WORDS} n
                WHERE {in_town}n.word ~>~ e.word AND n.word ~<~ t.high
                ORDER BY n.word USING ~<~ LIMIT 1
            ), e.depth + 1
            FROM expansions e JOIN typed t USING (slot)
            WHERE e.word IS NOT NULL AND e.depth <= %s
        )
        SELECT slot, word FROM expansions WHERE word IS NOT NULL ORDER BY slot, depth
    """  # noqa: S608
    highs = [word[:-1] + chr(ord(word[-1]) + 1) for word in words]
    found: dict[str, list[str]] = {word: [] for word in words}
    with read_connection(RegisterEntry).cursor() as cursor:
        cursor.execute(
            sql,
            [list(range(len(words))), words, highs, *town_params, *town_params, MAX_MERGED_WORDS],
        )
        for slot, name_word in cursor.fetchall():
            found[words[slot]].append(name_word)
    return found
