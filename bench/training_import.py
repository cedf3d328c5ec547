"""Time a training provider's CSV import: checking the file, then committing it, against the
target of 10,000 rows in under 10 seconds.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/careregister_bench \\
        .venv/bin/python bench/training_import.py --rows 10000

The benchmark runs in a throwaway database next to the one named (test_<name>, made and dropped
as the test runner does, migrations and seeded catalogue included), so it never touches real
data. It seeds one register entry per row, writes a CSV file with one valid row for each, and
times the two steps a provider waits for:

- check: the upload as the page does it, decoding, parsing and checking every row against the
  register and storing the file for the preview;
- commit: checking every row again with the entries locked, inserting the records in batches
  and writing the one audit event.
"""

import argparse
import datetime
import os
import random
import sys
import time
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
# As in production: no debug, so Django does not keep every query in memory.
from bench import run_without_debug  # noqa: E402

run_without_debug()

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.db import connection  # noqa: E402

TARGET_SECONDS = 10.0


def seed(*, rows: int, rng: random.Random):
    """`rows` registered workers, a training provider with one approved member, and the CSV
    file that records one piece of training for each worker."""
    from accounts.models import Membership, Organisation, User
    from passports.models import ProviderApproval, TrainingRecord, TrainingStandard
    from register.models import Application, PathwayRole, RegisterEntry
    from register.registration_numbers import format_number

    today = datetime.date.today()
    role = PathwayRole.objects.order_by("order").first()
    users = User.objects.bulk_create(
        User(email=f"bench-worker-{index}@example.org", full_name=f"Worker {index}")
        for index in range(rows)
    )
    births = [
        datetime.date(1960, 1, 1) + datetime.timedelta(days=rng.randrange(16_000))
        for _ in range(rows)
    ]
    applications = Application.objects.bulk_create(
        Application(
            worker=user,
            status=Application.Status.APPROVED,
            legal_name=user.full_name,
            date_of_birth=born,
            pathway_role=role,
        )
        for user, born in zip(users, births, strict=True)
    )
    numbers = [format_number(3_000_000 + index) for index in range(rows)]
    RegisterEntry.objects.bulk_create(
        (
            RegisterEntry(
                worker=application.worker,
                application=application,
                registration_number=number,
                full_name=application.legal_name,
                search_name=application.legal_name.lower(),
                pathway_role=role,
                registered_from=today - datetime.timedelta(days=200),
                renewal_due=today + datetime.timedelta(days=165),
            )
            for application, number in zip(applications, numbers, strict=True)
        ),
        batch_size=1000,
    )
    provider = Organisation.objects.create(
        name="Benchmark Training", kind=Organisation.Kind.TRAINING_PROVIDER
    )
    member = User.objects.create(email="bench-trainer@example.org", full_name="Trainer")
    Membership.objects.create(user=member, organisation=provider, role=Membership.Role.OWNER)
    ProviderApproval.objects.create(organisation=provider, approved_by=member)
    codes = list(TrainingStandard.objects.filter(is_active=True).values_list("code", flat=True))
    if not codes:
        raise SystemExit("training_import: the training catalogue is empty.")
    lines = ["registration_number,date_of_birth,standard_code,completed_on"]
    for index, (number, born) in enumerate(zip(numbers, births, strict=True)):
        completed_on = today - datetime.timedelta(days=rng.randrange(1, 700))
        # Half the rows with dates as a UK spreadsheet writes them, half as ISO dates.
        if index % 2:
            born_text, completed_text = born.strftime("%d/%m/%Y"), completed_on.strftime("%d/%m/%Y")
        else:
            born_text, completed_text = born.isoformat(), completed_on.isoformat()
        lines.append(f"{number},{born_text},{rng.choice(codes)},{completed_text}")
    content = ("\r\n".join(lines) + "\r\n").encode("utf-8")
    assert not TrainingRecord.objects.exists()
    return provider, member, content


def run(*, rows: int, seed_value: int) -> bool:
    from passports.models import TrainingRecord
    from passports.services import records

    rng = random.Random(seed_value)
    started = time.perf_counter()
    provider, member, content = seed(rows=rows, rng=rng)
    print(f"Seeded {rows:,} register entries in {time.perf_counter() - started:.1f} s")
    upload = SimpleUploadedFile("bench.csv", content, content_type="text/csv")

    started = time.perf_counter()
    batch, check = records.training_import_upload(
        provider=provider, uploaded_by=member, upload=upload
    )
    check_seconds = time.perf_counter() - started
    if check.errors:
        raise SystemExit(f"training_import: the file has errors, first {check.errors[0]}")

    started = time.perf_counter()
    records.training_import_commit(batch=batch, committed_by=member)
    commit_seconds = time.perf_counter() - started
    stored = TrainingRecord.objects.filter(batch=batch).count()
    if stored != rows:
        raise SystemExit(f"training_import: {stored:,} records stored, expected {rows:,}")

    total = check_seconds + commit_seconds
    print(f"File: {len(content) / 1024:,.0f} KiB, {check.row_count:,} rows")
    print(f"check  (upload, parse, validate, store file): {check_seconds:6.2f} s")
    print(f"  of which the row checks alone:              {check.seconds:6.2f} s")
    print(f"commit (validate again with locks, insert):   {commit_seconds:6.2f} s")
    print(f"total:                                        {total:6.2f} s")
    print(f"records stored: {stored:,}")
    passed = total < TARGET_SECONDS
    verdict = "PASS" if passed else "FAIL"
    print(
        f"{verdict}: {rows:,} rows checked and committed in {total:.2f} s "
        f"(target under {TARGET_SECONDS:.0f} s)"
    )
    return passed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=7)
    options = parser.parse_args()

    database = settings.DATABASES["default"]
    if connection.vendor == "sqlite":
        # A file, as in use: an in-memory database would flatter the numbers.
        database.setdefault("TEST", {})["NAME"] = str(settings.VAR_DIR / "bench_training.sqlite3")
    original_name = database["NAME"]
    test_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    print(
        f"Training CSV import, {options.rows:,} rows, in {test_name} ({connection.vendor}), "
        f"DEBUG={settings.DEBUG}"
    )
    try:
        passed = run(rows=options.rows, seed_value=options.seed)
    finally:
        connection.creation.destroy_test_db(original_name, verbosity=0)
    if not passed:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
