"""Give the register entries already in a PostgreSQL database their training records, by COPY.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/careregister_bench \\
        .venv/bin/python bench/seed_training.py --records 5000000

Run it after bench/seed_register.py. The records are spread over every entry in turn, so with
1.5 million entries and 5 million records each entry gets three or four, each for a different
training standard: mostly verified, some waiting for a provider, a few refused; some expired,
some due soon, most valid. As in seed_register.py, the table's secondary indexes and foreign
keys are dropped for the load and rebuilt from their own definitions, all in one transaction.
The same --seed gives the same records.
"""

import argparse
import os
import random
import sys
import time
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402

from accounts.models import User  # noqa: E402
from bench.seed_register import (  # noqa: E402
    TODAY,
    _day,
    _with_defaults,
    copy_statement,
    secondary_indexes_and_foreign_keys,
)
from passports.models import TrainingRecord, TrainingStandard  # noqa: E402
from register.models import RegisterEntry  # noqa: E402

COLUMNS = [
    "id", "entry_id", "standard_id", "completed_on", "expires_on", "provider_name", "status",
    "status_reason", "recorded_by_id", "recorded_at",
]  # fmt: skip
TABLE = (TrainingRecord, COLUMNS)
PROVIDERS = ["Skills for Care Partners", "Northern Care Training", "Bench Training Ltd", ""]
# Per thousand: verified by an approved provider or the registrar, waiting, refused.
STATUSES = [("verified", 900), ("unverified", 85), ("rejected", 15)]


def refuse(message: str) -> None:
    print(f"seed_training: {message}", file=sys.stderr)
    raise SystemExit(2)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, default=5_000_000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--chunk", type=int, default=50_000)
    options = parser.parse_args()
    if connection.vendor != "postgresql":
        refuse("this loads with PostgreSQL's COPY. Set DATABASE_URL to a PostgreSQL database.")

    started = time.perf_counter()
    entry_ids = list(RegisterEntry.objects.order_by("id").values_list("id", flat=True))
    standards = list(
        TrainingStandard.objects.filter(is_active=True)
        .order_by("id")
        .values_list("id", "refresher_months")
    )
    if not entry_ids:
        refuse("the database has no register entries: run bench/seed_register.py first.")
    rounds = -(-options.records // len(entry_ids))
    if rounds > len(standards):
        refuse(
            f"{options.records:,} records over {len(entry_ids):,} entries is {rounds} each, "
            f"more than the {len(standards)} training standards."
        )
    recorder = User.objects.filter(is_registrar=True).order_by("id").first()
    if recorder is None:
        refuse("no registrar to record the training: run bench/seed_register.py first.")

    past_day = [_day(-ago) for ago in range(3 * 365 + 1)]
    day_index = {day: ago for ago, day in enumerate(past_day)}
    longest = max((months or 0) for _, months in standards) * 30
    day_at = {offset: _day(offset) for offset in range(-len(past_day), longest + 1)}
    statuses = [status for status, _ in STATUSES]
    weights = [weight for _, weight in STATUSES]
    table = TrainingRecord._meta.db_table
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"SELECT coalesce(max(id), 0) + 1 FROM {table}")  # noqa: S608
        first_id = cursor.fetchone()[0]
        cursor.execute("SET LOCAL maintenance_work_mem = '1GB'")
        indexes, foreign_keys = secondary_indexes_and_foreign_keys(cursor, [table])
        for owner, name, _ in foreign_keys:
            cursor.execute(f'ALTER TABLE {owner} DROP CONSTRAINT "{name}"')
        for name, _ in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
        entries = len(entry_ids)
        with cursor.cursor.copy(copy_statement(*TABLE)) as copy:
            for chunk, first in enumerate(range(0, options.records, options.chunk)):
                rng = random.Random(f"{options.seed}:training:{chunk}")
                size = min(options.chunk, options.records - first)
                picked = rng.choices(statuses, weights=weights, k=size)
                lines = []
                for offset in range(size):
                    number = first + offset
                    position, round_ = number % entries, number // entries
                    standard_id, refresher = standards[(position + round_) % len(standards)]
                    completed = past_day[rng.randrange(1, len(past_day))]
                    expires = r"\N"
                    if refresher:
                        # Days until it expires: negative is expired already.
                        expires = day_at[refresher * 30 - day_index[completed]]
                    status = picked[offset]
                    lines.append(
                        f"{first_id + number}\t{entry_ids[position]}\t{standard_id}\t{completed}\t"
                        f"{expires}\t{PROVIDERS[number % len(PROVIDERS)]}\t{status}\t"
                        f"{'Certificate unreadable' if status == 'rejected' else ''}\t"
                        f"{recorder.pk}\t{completed} 17:00:00+00"
                    )
                copy.write(_with_defaults(lines, TABLE))
        loaded = time.perf_counter()
        for _, definition in indexes:
            cursor.execute(definition)
        for owner, name, definition in foreign_keys:
            cursor.execute(f'ALTER TABLE {owner} ADD CONSTRAINT "{name}" {definition}')
        cursor.execute(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608
            f"(SELECT max(id) FROM {table}))"
        )
    committed = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(f"VACUUM (ANALYZE) {table}")
    finished = time.perf_counter()
    print(
        f"Seeded {options.records:,} training records over {entries:,} entries "
        f"({TODAY}): COPY {loaded - started:.1f} s, indexes and foreign keys "
        f"{committed - loaded:.1f} s, VACUUM ANALYZE {finished - committed:.1f} s; "
        f"{options.records / (committed - started):,.0f} rows/s"
    )


if __name__ == "__main__":
    main()
