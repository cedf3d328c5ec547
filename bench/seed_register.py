"""Fill a PostgreSQL database with register entries for the speed benchmark.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/careregister_bench \\
        .venv/bin/python bench/seed_register.py --entries 1500000

Each entry comes with the user and the approved application it belongs to, a few percent with
a public condition or annotation, and, when the public may see it, the words of its name that
name search reads (register.models.NameWord). Everything is written with COPY in one
transaction, so a failure leaves the database as it was. Names, towns and statuses come from
fixed lists and a seeded random generator: two runs with the same --seed build the same
register.

While loading, the secondary indexes and the foreign keys of the five tables are dropped, then
rebuilt from their own definitions: building an index once is much faster than updating it 1.5
million times, and PostgreSQL checks every row against a foreign key again when it is re-added.
"""

import argparse
import datetime
import os
import random
import sys
import tempfile
import time
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.db import connection, models, transaction  # noqa: E402
from django.db.migrations.executor import MigrationExecutor  # noqa: E402

from accounts.models import User  # noqa: E402
from bench import names  # noqa: E402
from core.encryption import encrypt  # noqa: E402
from core.names import name_search_form, normalise_town  # noqa: E402
from core.references import REFERENCE_ALPHABET, REFERENCE_LENGTH  # noqa: E402
from register.models import (  # noqa: E402
    Annotation,
    Application,
    NameWord,
    PathwayRole,
    RegisterEntry,
    RegistrationNumberSequence,
)
from register.registration_numbers import format_number  # noqa: E402

Status = RegisterEntry.Status
TODAY = datetime.date.today()
YEARS_OF_REGISTER = 5

# Share of entries in each status, per thousand. Most people are simply registered.
STATUS_WEIGHTS = {
    Status.REGISTERED.value: 880,
    Status.REGISTERED_WITH_CONDITIONS.value: 30,
    Status.SUSPENDED.value: 10,
    Status.LAPSED.value: 60,
    Status.REMOVED.value: 20,
}
ANNOTATED_SHARE = 0.01  # registered entries with a qualification noted on the register

# The columns each generated row fills, per table. Every other column gets its model default,
# worked out once (see copy_statement), so a column added later with a default just works.
USER_COLUMNS = ["id", "password", "email", "full_name", "is_care_worker", "date_joined"]
APPLICATION_COLUMNS = [
    "id", "worker_id", "status", "created_at", "updated_at", "submitted_at", "decided_at",
    "legal_name", "date_of_birth", "phone", "address_line_1", "town", "postcode",
    "pathway_role_id", "has_criminal_record", "has_health_condition",
    "has_fitness_to_practise_history", "declares_truth", "consents_to_publication", "reference",
]  # fmt: skip
ENTRY_COLUMNS = [
    "id", "worker_id", "application_id", "registration_number", "full_name", "search_name",
    "search_town", "pathway_role_id", "status", "suspension_kind", "suspended_until",
    "removal_kind", "registered_from", "renewal_due", "status_changed_at",
]  # fmt: skip
ANNOTATION_COLUMNS = ["id", "entry_id", "kind", "public_text", "created_by_id", "created_at"]
NAME_WORD_COLUMNS = ["entry_id", "word", "search_name", "search_town"]


def _cumulative(weighted) -> list[int]:
    total, cumulative = 0, []
    for _, weight in weighted:
        total += weight
        cumulative.append(total)
    return cumulative


def _day(days_from_today: int) -> str:
    return (TODAY + datetime.timedelta(days=days_from_today)).isoformat()


class RegisterGenerator:
    """Makes the COPY lines for users, applications, entries, annotations and name words, chunk
    by chunk.

    The same seed and chunk number give the same people. Speed matters here (the target is
    over 50,000 rows a second on two cores), so anything that can be worked out once is: the
    normalised names, every date as text, postcodes and addresses drawn from pools.
    """

    def __init__(self, *, seed: int, role_ids: list[int], first_ids: dict, registrar_id: int):
        self.seed = seed
        self.ids = first_ids
        self.registrar_id = registrar_id
        # core.names keeps each part's normalised words, so forming 1.5 million full names
        # costs about 7 microseconds each.
        self.first_names = [name for name, _ in names.FIRST_NAMES]
        self.first_weights = _cumulative(names.FIRST_NAMES)
        self.surnames = [name for name, _ in names.SURNAMES]
        self.surname_weights = _cumulative(names.SURNAMES)
        self.towns = [(town, normalise_town(town)) for town, _ in names.TOWNS]
        self.town_weights = _cumulative(names.TOWNS)
        self.statuses = list(STATUS_WEIGHTS)
        self.status_weights = _cumulative(STATUS_WEIGHTS.items())
        self.role_ids = [str(role_id) for role_id in role_ids]

        days = YEARS_OF_REGISTER * 365 + 60
        self.past_day = [_day(-ago) for ago in range(days)]
        self.past_9am = [f"{day} 09:00:00+00" for day in self.past_day]
        self.past_3pm = [f"{day} 15:00:00+00" for day in self.past_day]
        self.future_day = [_day(ahead) for ahead in range(600)]
        birth = datetime.date(1958, 1, 1)
        self.birth_day = [
            (birth + datetime.timedelta(days=offset)).isoformat() for offset in range(47 * 365)
        ]
        pool = random.Random(f"{seed}:pools")
        self.addresses = [
            f"{number} {street}" for number in range(1, 240) for street in names.STREETS
        ]
        # Ofcom keeps 07700 900000 to 900999 for drama: never a real person's number.
        self.phones = [f"07700 900{number:03d}" for number in range(1000)]
        self.postcodes = [
            f"{pool.choice('BDEGHLMNPRSTWY')}{pool.choice('ABDEHLNRST')}{pool.randrange(1, 30)} "
            f"{pool.randrange(1, 10)}{pool.choice('ABDEFGHJLNPQRSTUWXYZ')}"
            f"{pool.choice('ABDEFGHJLNPQRSTUWXYZ')}"
            for _ in range(20_000)
        ]
        # The application's columns are encrypted (docs/decisions/0017). Encrypting them row by
        # row would dominate the load, so each pool is encrypted once and rows draw tokens from
        # it: equal values share a token here, which real data never does, and the legal name
        # comes from a pool of names rather than being the entry's (nothing benchmarked reads
        # it; the entry's own name is plain, as the public register shows it).
        self.birth_day = [encrypt(day) for day in self.birth_day]
        self.addresses = [encrypt(address) for address in self.addresses]
        self.phones = [encrypt(phone) for phone in self.phones]
        self.postcodes = [encrypt(postcode) for postcode in self.postcodes]
        self.town_tokens = {town: encrypt(town) for town, _ in self.towns}
        self.legal_names = [
            encrypt(f"{first} {surname}")
            for first in self.first_names[:100]
            for surname in self.surnames[:100]
        ]
        self.no = encrypt("0")  # EncryptedBooleanField's False

    def chunk(self, number: int, first: int, size: int) -> tuple[str, str, str, str, str]:
        rng = random.Random(f"{self.seed}:{number}")
        pick = rng.choices
        firsts = pick(self.first_names, cum_weights=self.first_weights, k=size)
        middles = pick(self.first_names, cum_weights=self.first_weights, k=size)
        surnames = pick(self.surnames, cum_weights=self.surname_weights, k=size)
        seconds = pick(self.surnames, cum_weights=self.surname_weights, k=size)
        towns = pick(self.towns, cum_weights=self.town_weights, k=size)
        statuses = pick(self.statuses, cum_weights=self.status_weights, k=size)
        random_share = rng.random
        randrange = rng.randrange
        past_day, past_9am, past_3pm = self.past_day, self.past_9am, self.past_3pm
        ids = self.ids
        users, applications, entries, annotations, words = [], [], [], [], []
        for offset in range(size):
            index = first + offset
            user_id = ids["user"] + index
            application_id = ids["application"] + index
            entry_id = ids["entry"] + index

            full_name = firsts[offset]
            if random_share() < names.MIDDLE_NAME_SHARE and middles[offset] is not firsts[offset]:
                full_name += " " + middles[offset]
            surname = surnames[offset]
            if (
                random_share() < names.DOUBLE_BARRELLED_SHARE
                and seconds[offset] is not surnames[offset]
            ):
                surname += "-" + seconds[offset]
            full_name += " " + surname
            # As register.services.entries writes it.
            search_name = name_search_form(full_name)
            town, search_town = towns[offset]
            status = statuses[offset]

            suspended_until, suspension_kind, removal_kind = r"\N", "", ""
            if status == "lapsed":
                registered_ago = randrange(366, YEARS_OF_REGISTER * 365)
                renewal_due = past_day[randrange(1, 365)]
            else:
                registered_ago = randrange(0, YEARS_OF_REGISTER * 365)
                renewal_due = self.future_day[365 - registered_ago % 365]
                if status == "suspended":
                    suspended_until = self.future_day[randrange(14, 540)]
                    suspension_kind = "interim" if random_share() < 0.5 else "sanction"
                elif status == "removed":
                    removal_kind = "voluntary" if random_share() < 0.6 else "fitness_to_practise"
            role_id = self.role_ids[randrange(len(self.role_ids))]

            users.append(
                # A password starting with "!" never matches: nobody can sign in as these.
                f"{user_id}\t!bench\tcare.worker.{user_id}@bench.invalid\t{full_name}\tt\t"
                f"{past_9am[registered_ago + 30]}"
            )
            applications.append(
                f"{application_id}\t{user_id}\tapproved\t{past_9am[registered_ago + 20]}\t"
                f"{past_9am[registered_ago]}\t{past_9am[registered_ago + 10]}\t"
                f"{past_3pm[registered_ago]}\t"
                f"{self.legal_names[randrange(len(self.legal_names))]}\t"
                f"{self.birth_day[randrange(len(self.birth_day))]}\t"
                f"{self.phones[randrange(1000)]}\t"
                f"{self.addresses[randrange(len(self.addresses))]}\t{self.town_tokens[town]}\t"
                f"{self.postcodes[randrange(len(self.postcodes))]}\t{role_id}\t"
                f"{self.no}\t{self.no}\t{self.no}\tt\tt\t{application_reference(application_id)}"
            )
            entries.append(
                f"{entry_id}\t{user_id}\t{application_id}\t"
                f"{format_number(ids['number'] + index)}\t{full_name}\t{search_name}\t"
                f"{search_town}\t{role_id}\t{status}\t{suspension_kind}\t{suspended_until}\t"
                f"{removal_kind}\t{past_day[registered_ago]}\t{renewal_due}\t"
                f"{past_3pm[registered_ago]}"
            )
            # As entry_name_words_update writes them: each word once, none for an entry that
            # left the register voluntarily.
            if removal_kind != "voluntary":
                words.extend(
                    f"{entry_id}\t{word}\t{search_name}\t{search_town}"
                    for word in set(search_name.split())
                )
            note = ""
            if status == "registered_with_conditions":
                kind, note = "condition", rng.choice(names.PUBLIC_CONDITIONS)
            elif status == "registered" and random_share() < ANNOTATED_SHARE:
                kind, note = "annotation", rng.choice(names.PUBLIC_ANNOTATIONS)
            if note:
                annotations.append(
                    f"{ids['annotation'] + index}\t{entry_id}\t{kind}\t{note}\t"
                    f"{self.registrar_id}\t{past_3pm[registered_ago]}"
                )
        return tuple(
            _with_defaults(lines, table)
            for lines, table in zip(
                (users, applications, entries, annotations, words), TABLES, strict=True
            )
        )  # type: ignore[return-value]


def application_reference(application_id: int) -> str:
    """A unique reference for each seeded application, in the alphabet of
    core.references.reference_new: the column is unique, so it cannot take one default."""
    digits = []
    for _ in range(REFERENCE_LENGTH):
        application_id, digit = divmod(application_id, len(REFERENCE_ALPHABET))
        digits.append(REFERENCE_ALPHABET[digit])
    return "".join(reversed(digits))


# --- COPY in PostgreSQL's text format -------------------------------------------------------

TABLES = [
    (User, USER_COLUMNS),
    (Application, APPLICATION_COLUMNS),
    (RegisterEntry, ENTRY_COLUMNS),
    (Annotation, ANNOTATION_COLUMNS),
    (NameWord, NAME_WORD_COLUMNS),
]
_DEFAULT_TAILS: dict[type[models.Model], str] = {}


def copy_text(value) -> str:
    if value is None:
        return r"\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, str):
        return (
            value.replace("\\", "\\\\")
            .replace("\t", "\\t")
            .replace("\n", "\\n")
            .replace("\r", "\\r")
        )
    raise TypeError(f"No COPY text for {value!r}")


def _other_fields(model, columns):
    return [field for field in model._meta.concrete_fields if field.column not in columns]


def copy_statement(model, columns: list[str]) -> str:
    quote = connection.ops.quote_name
    others = [field.column for field in _other_fields(model, columns)]
    return (
        f"COPY {quote(model._meta.db_table)} "
        f"({', '.join(quote(column) for column in columns + others)}) FROM STDIN"
    )


def _with_defaults(lines: list[str], table) -> str:
    model, columns = table
    if model not in _DEFAULT_TAILS:
        _DEFAULT_TAILS[model] = "".join(
            "\t" + copy_text(field.get_db_prep_save(field.get_default(), connection))
            for field in _other_fields(model, columns)
        )
    tail = _DEFAULT_TAILS[model] + "\n"
    return tail.join(lines) + tail if lines else ""


# --- Dropping and rebuilding indexes and foreign keys ---------------------------------------


def secondary_indexes_and_foreign_keys(cursor, tables: list[str]) -> tuple[list, list]:
    """Plain indexes (not those behind a primary key or unique constraint, which the load
    keeps), and the foreign keys going out of these tables."""
    cursor.execute(
        """
        SELECT i.indexname, i.indexdef FROM pg_indexes i
        WHERE i.schemaname = current_schema() AND i.tablename = ANY(%s)
          AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)
        ORDER BY i.indexname
        """,
        [tables],
    )
    indexes = cursor.fetchall()
    cursor.execute(
        """
        SELECT c.conrelid::regclass::text, c.conname, pg_get_constraintdef(c.oid)
        FROM pg_constraint c
        WHERE c.contype = 'f' AND c.conrelid::regclass::text = ANY(%s)
        ORDER BY c.conname
        """,
        [tables],
    )
    return indexes, cursor.fetchall()


def first_ids(cursor) -> dict[str, int]:
    def next_id(model) -> int:
        cursor.execute(f"SELECT coalesce(max(id), 0) + 1 FROM {model._meta.db_table}")  # noqa: S608
        return cursor.fetchone()[0]

    cursor.execute(
        "SELECT max(substring(registration_number from 3 for 7)::int) "  # noqa: S608
        f"FROM {RegisterEntry._meta.db_table} WHERE registration_number ~ '^CR[0-9]{{7}}[A-Z]$'"
    )
    highest = cursor.fetchone()[0] or 0
    sequence = RegistrationNumberSequence.objects.filter(id=1).first()
    return {
        "user": next_id(User),
        "application": next_id(Application),
        "entry": next_id(RegisterEntry),
        "annotation": next_id(Annotation),
        "number": max(highest, sequence.last_value if sequence else 1_000_000) + 1,
    }


def refuse(message: str) -> None:
    print(f"seed_register: {message}", file=sys.stderr)
    raise SystemExit(2)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--entries", type=int, default=1_500_000)
    parser.add_argument("--seed", type=int, default=2026, help="Same seed, same register.")
    parser.add_argument("--chunk", type=int, default=20_000, help="Entries generated at a time.")
    parser.add_argument(
        "--append", action="store_true", help="Add to a register that already has entries."
    )
    options = parser.parse_args()

    if connection.vendor != "postgresql":
        refuse("this loads with PostgreSQL's COPY. Set DATABASE_URL to a PostgreSQL database.")
    executor = MigrationExecutor(connection)
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        refuse("the database has unapplied migrations. Run `manage.py migrate` first.")
    if RegisterEntry.objects.exists() and not options.append:
        refuse(
            f"{connection.settings_dict['NAME']} already has register entries. "
            "Use --append to add more, or point DATABASE_URL at an empty database."
        )
    if options.entries < 1:
        refuse("--entries must be at least 1.")

    tables = [model._meta.db_table for model, _ in TABLES]
    timings: dict[str, float] = {}
    counts = dict.fromkeys(tables, 0)
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        # The conditions need someone to have written them; made first, so its id is taken.
        registrar, _ = User.objects.get_or_create(
            email="bench.registrar@bench.invalid",
            defaults={"full_name": "Bench Registrar", "is_registrar": True, "password": "!bench"},
        )
        ids = first_ids(cursor)
        if ids["number"] + options.entries - 1 > 9_999_999:
            refuse("that many entries would run out of seven-digit registration numbers.")
        generator = RegisterGenerator(
            seed=options.seed,
            role_ids=list(PathwayRole.objects.order_by("order").values_list("id", flat=True)),
            first_ids=ids,
            registrar_id=registrar.pk,
        )
        cursor.execute("SET LOCAL maintenance_work_mem = '1GB'")
        indexes, foreign_keys = secondary_indexes_and_foreign_keys(cursor, tables)
        for table, name, _ in foreign_keys:
            cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
        for name, _ in indexes:
            cursor.execute(f'DROP INDEX "{name}"')

        # Users stream straight into COPY while the other tables' rows wait in temporary
        # files: one connection can run one COPY at a time, and one connection keeps it all
        # in one transaction.
        raw = cursor.cursor
        spools = [tempfile.TemporaryFile() for _ in TABLES[1:]]
        with raw.copy(copy_statement(*TABLES[0])) as copy:
            for number, first in enumerate(range(0, options.entries, options.chunk)):
                size = min(options.chunk, options.entries - first)
                user_lines, *other_lines = generator.chunk(number, first, size)
                copy.write(user_lines)
                for spool, lines in zip(spools, other_lines, strict=True):
                    spool.write(lines.encode())
        counts[tables[0]] = options.entries
        timings["generate, and COPY users"] = time.perf_counter() - started
        for (model, columns), spool in zip(TABLES[1:], spools, strict=True):
            phase = time.perf_counter()
            spool.seek(0)
            with raw.copy(copy_statement(model, columns)) as copy:
                while block := spool.read(8 * 1024 * 1024):
                    copy.write(block)
            spool.close()
            timings[f"COPY {model._meta.db_table}"] = time.perf_counter() - phase
        loaded = time.perf_counter()

        for name, definition in indexes:
            phase = time.perf_counter()
            cursor.execute(definition)
            timings[f"index {name}"] = time.perf_counter() - phase
        phase = time.perf_counter()
        for table, name, definition in foreign_keys:
            cursor.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
        timings["foreign keys re-added and checked"] = time.perf_counter() - phase
        for table in tables[:4]:  # the name-word table has no id of its own
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608
                f"(SELECT max(id) FROM {table}))"
            )
        for table, column, first_id in [
            (tables[1], "id", "application"),
            (tables[2], "id", "entry"),
            (tables[3], "id", "annotation"),
            (tables[4], "entry_id", "entry"),
        ]:
            cursor.execute(
                f"SELECT count(*) FROM {table} WHERE {column} >= %s",  # noqa: S608
                [ids[first_id]],
            )
            counts[table] = cursor.fetchone()[0]
        RegistrationNumberSequence.objects.update_or_create(
            id=1, defaults={"last_value": ids["number"] + options.entries - 1}
        )
    committed = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(f"VACUUM (ANALYZE) {', '.join(tables)}")
    finished = time.perf_counter()

    rows = sum(counts.values())
    print(f"Seeded {options.entries:,} register entries into {connection.settings_dict['NAME']}:")
    for table, count in counts.items():
        print(f"  {table:<28} {count:>10,} rows")
    print(f"  COPY of {rows:,} rows: {loaded - started:.1f} s")
    for name, seconds in timings.items():
        if seconds >= 0.5:
            print(f"    {name:<58} {seconds:5.1f} s")
    print(f"  indexes rebuilt, foreign keys checked, committed: {committed - loaded:.1f} s")
    print(f"  VACUUM (ANALYZE): {finished - committed:.1f} s")
    load_seconds = committed - started
    print(
        f"Loaded, indexed and committed in {load_seconds:.1f} s: "
        f"{rows / load_seconds:,.0f} rows/s ({options.entries / load_seconds:,.0f} entries/s). "
        f"With VACUUM ANALYZE, {finished - started:.1f} s: "
        f"{rows / (finished - started):,.0f} rows/s."
    )
    # Name words are small rows, so they flatter the rate: this is the rate without them, in
    # the same time (which includes loading and indexing them).
    other_rows = rows - counts[NameWord._meta.db_table]
    print(
        f"Not counting name words: {other_rows:,} rows, {other_rows / load_seconds:,.0f} rows/s "
        f"(with VACUUM ANALYZE, {other_rows / (finished - started):,.0f} rows/s)."
    )


if __name__ == "__main__":
    main()
