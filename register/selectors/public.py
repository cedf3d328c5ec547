"""The public register: which entries anyone may see, what they may see of each, and the search
that finds them. The HTML pages and the JSON API both read through here, so a private field
cannot leak through one of them only."""

import math
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Prefetch, QuerySet, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import Concat
from django.http import Http404

from register import registration_numbers
from register.db_routers import reads_from_replica
from register.errors import ApplicationError
from register.models import Annotation, RegisterEntry
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


@reads_from_replica
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


@reads_from_replica
def public_register_search(*, query: str, town: str = "", page: int = 1) -> PublicSearchResult:
    """Search the public register by registration number, or by name with an optional town.

    A number is looked up exactly, after checking its check letter so that a typo is reported
    rather than quietly finding nobody. A name matches when every word typed appears in the
    entry's normalised name, so "jo smi" finds "Joanne Smithson". Results come in name order.
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


def _containing(queryset: QuerySet[RegisterEntry], words: list[str]) -> QuerySet[RegisterEntry]:
    for word in words:
        queryset = queryset.filter(search_name__contains=word)
    return queryset


def _search_by_name(*, words: list[str], town: str, page: int) -> PublicSearchResult:
    """Name search that reads a few hundred rows, a thousand at worst, whether the name is
    rare or is "smith" (the measurements are in docs/performance.md).

    First, up to COUNT_LIMIT + 1 matches, through the trigram index. When that is all of them,
    it is the count, and it holds the page. When there are more, the page is read by whichever
    of two plans reads fewer rows (see _first_in_name_order).
    """
    page_size = settings.REGISTER_PAGE_SIZE
    matches = _containing(public_entries(), words)
    town_share = _town_share(town) if town else 0.0
    if town and town_share >= BIG_TOWN_SHARE:
        # Reading a big town's part of the town index costs more (20 ms for London) than
        # checking the town on each row the trigram index finds, of which it is a good share.
        matches = matches.alias(town_as_text=Concat("search_town", Value(""))).filter(
            town_as_text=town
        )
    elif town:
        matches = matches.filter(search_town=town)
    with _planner() as switch:
        # PostgreSQL cannot estimate how many names contain a word: it guesses 150 where there
        # are 3,700. So for a LIMIT it may pick a scan of the whole table, or of a town, that
        # it wrongly thinks will stop early; the trigram index never reads more than the
        # matches, and reads them in table order, which _matches_estimate relies on. And it
        # skips a town's index that would cut 3,700 rows to read down to 130: pricing table
        # reads at ten times the default puts that right.
        switch(seqscan=False, indexscan=False, random_page_cost=40)
        found = _first_matches(matches, limit=COUNT_LIMIT + 1)
        count_is_capped = len(found) > COUNT_LIMIT
        count = min(len(found), COUNT_LIMIT)
        num_pages = max(1, math.ceil(count / page_size))
        # Like Django's Paginator.get_page: a page past the end shows the last one.
        page = min(max(1, page), num_pages)
        start, end = (page - 1) * page_size, min(page * page_size, count)

        if not count_is_capped:
            ids = [row.id for row in found[start:end]]
            # Filtered again: an entry that left the register a moment ago must not show.
            page_entries = _with_public_details(public_entries().filter(id__in=ids))
            by_id = {entry.id: entry for entry in page_entries}
            entries = [by_id[pk] for pk in ids if pk in by_id]
        else:
            entries = _first_in_name_order(
                matches,
                words=words,
                town_share=town_share if town else None,
                count=end,
                bound=found[end - 1].search_name,
                matches_estimate=_matches_estimate(found),
                switch=switch,
            )[start:end]
    return PublicSearchResult(
        results=[entry_public_representation(entry) for entry in entries],
        count=count,
        count_is_capped=count_is_capped,
        page=page,
        num_pages=num_pages,
    )


# A town with at least this share of all entries is a big one (London has about 30%).
BIG_TOWN_SHARE = 0.05


def _town_share(town: str) -> float:
    """The share of entries in a town, from PostgreSQL's statistics of the most common towns;
    0 for any other town, and on other databases."""
    if connection.vendor != "postgresql":
        return 0.0
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT most_common_freqs[array_position(most_common_vals::text::text[], %s)]
            FROM pg_stats
            WHERE schemaname = current_schema() AND tablename = %s AND attname = 'search_town'
            """,
            [town, RegisterEntry._meta.db_table],
        )
        row = cursor.fetchone()
    return float(row[0]) if row and row[0] is not None else 0.0


@dataclass(frozen=True, slots=True)
class _Found:
    id: int
    search_name: str
    block: int | None = None
    table_pages: int | None = None
    table_rows: float | None = None


def _first_matches(matches: QuerySet[RegisterEntry], *, limit: int) -> list[_Found]:
    """Up to `limit` matches, sorted by name and id by the database, so that the order is its
    collation's, the same as every ORDER BY search_name."""
    columns = ["id", "search_name"]
    if connection.vendor == "postgresql":
        # Where each row sits in the table, and the table's size: how far through the table
        # the query got before it stopped tells how many matches there are in all. The SQL is
        # fixed text, with the table name as a parameter.
        size = "(SELECT {} FROM pg_class WHERE oid = %s::regclass)"
        table = (RegisterEntry._meta.db_table,)
        matches = matches.annotate(
            block=RawSQL("(ctid::text::point)[0]::bigint", ()),  # noqa: S611
            table_pages=RawSQL(size.format("relpages"), table),  # noqa: S611
            table_rows=RawSQL(size.format("reltuples"), table),  # noqa: S611
        )
        columns += ["block", "table_pages", "table_rows"]
    sql, params = matches.values_list(*columns)[:limit].query.sql_with_params()
    with connection.cursor() as cursor:
        # Sorting outside the LIMIT leaves the plan of the query inside alone.
        cursor.execute(f"SELECT * FROM ({sql}) AS found ORDER BY 2, 1", params)  # noqa: S608
        return [_Found(*row) for row in cursor.fetchall()]


def _matches_estimate(found: list[_Found]) -> tuple[float, float] | None:
    """How many matches there are, and rows in the table, from how far through the table the
    first query got before it had found enough (PostgreSQL only)."""
    if found[0].block is None:
        return None
    last_block = max(row.block for row in found)
    share_scanned = min(1.0, (last_block + 1) / max(1, found[0].table_pages))
    return len(found) / share_scanned, max(1.0, found[0].table_rows or 0.0)


# Reading one tuple in an index-only scan of the name index costs about a fiftieth of reading
# one row from the table (0.17 µs against 5 to 10 µs, measured on 1.5 million entries).
INDEX_TUPLE_COST_IN_ROWS = 1 / 50


def _first_in_name_order(
    matches: QuerySet[RegisterEntry],
    *,
    words: list[str],
    town_share: float | None,
    count: int,
    bound: str,
    matches_estimate: tuple[float, float] | None,
    switch,
) -> list[RegisterEntry]:
    """The first `count` matches in name order, given a name that at least `count` of them
    have or come before.

    Two ways, and the cheaper one is used. Reading every match through the trigram index and
    sorting reads one row per match: cheap when there are not many. Walking the name index in
    order up to the bound passes count × entries / matches index tuples, each a fiftieth of a
    row, and then reads the rows with the names it found: cheap when matches are dense, as
    "smith" is, or are a good share of a big town's.
    """
    if town_share is None:
        walk = True
        if matches_estimate is not None:
            matches_in_all, table_rows = matches_estimate
            tuples_walked = count * table_rows / matches_in_all
            walk = tuples_walked * INDEX_TUPLE_COST_IN_ROWS < matches_in_all
    else:
        walk = town_share >= BIG_TOWN_SHARE or matches_estimate is None
    if walk:
        return _walk_name_index(
            matches, words=words, count=count, bound=bound, share=town_share or 1.0, switch=switch
        )
    switch(indexscan=False, bitmapscan=True)
    return list(_with_public_details(matches).order_by("search_name", "id")[:count])


def _walk_name_index(
    matches: QuerySet[RegisterEntry],
    *,
    words: list[str],
    count: int,
    bound: str,
    share: float,
    switch,
) -> list[RegisterEntry]:
    # The names come from the name index alone, in an index-only scan, so entries that are not
    # public, or are in another town, are among them: ask for enough names for the town's
    # share, and for more until enough entries survive or no names are left before the bound.
    wanted = int((count + count // 10 + 5) / max(share, 0.01))
    switch(bitmapscan=False, indexscan=True)
    while True:
        names = list(
            _containing(RegisterEntry.objects.filter(search_name__lte=bound), words)
            .order_by("search_name")
            .values_list("search_name", flat=True)[:wanted]
        )
        entries = list(
            _with_public_details(matches.filter(search_name__in=set(names))).order_by(
                "search_name", "id"
            )[:count]
        )
        if len(entries) >= count or len(names) < wanted:
            return entries
        wanted *= 4


_PLANNER_SETTINGS = [
    "enable_seqscan",
    "enable_indexscan",
    "enable_bitmapscan",
    "random_page_cost",
    "max_parallel_workers_per_gather",
]


@contextmanager
def _planner() -> Iterator:
    """A transaction in which `switch(method=False)` turns a PostgreSQL plan method off, and
    `switch(random_page_cost=40)` changes a cost, for the queries that follow. Parallel workers
    are off throughout: they take longer to start (about 7 ms) than these queries take to run.
    On other databases, switch does nothing."""
    if connection.vendor != "postgresql":
        yield lambda **planner: None
        return
    nested = connection.in_atomic_block
    with transaction.atomic(), connection.cursor() as cursor:
        previous: list[str] = []

        def switch(**planner: bool | int) -> None:
            changes = {
                (f"enable_{name}" if isinstance(value, bool) else name): (
                    ("on" if value else "off") if isinstance(value, bool) else str(value)
                )
                for name, value in planner.items()
            }
            if not previous:
                changes["max_parallel_workers_per_gather"] = "0"
            sql = ", ".join("set_config(%s, %s, true)" for _ in changes)
            params = [value for pair in changes.items() for value in pair]
            if not previous:
                sql = ", ".join("current_setting(%s)" for _ in _PLANNER_SETTINGS) + ", " + sql
                params = _PLANNER_SETTINGS + params
            cursor.execute(f"SELECT {sql}", params)
            if not previous:
                previous.extend(cursor.fetchone()[: len(_PLANNER_SETTINGS)])

        try:
            yield switch
        finally:
            # At the end of a transaction of our own the settings end with it; inside someone
            # else's transaction they would outlive this block, so put them back.
            if nested and previous:
                cursor.execute(
                    "SELECT " + ", ".join("set_config(%s, %s, true)" for _ in previous),
                    [v for pair in zip(_PLANNER_SETTINGS, previous, strict=True) for v in pair],
                )
