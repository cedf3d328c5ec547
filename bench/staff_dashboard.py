"""How long the employer's staff dashboard takes to render for 500 staff, each with training
records: the page, and its CSV export, through the full request path. Prints p50 and p95.

    createdb -h 127.0.0.1 -U postgres cr_employers_bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cr_employers_bench \\
        .venv/bin/python bench/staff_dashboard.py

The database is migrated, then given one employer with --staff workers on its staff list
(default 500), each with a share code, the accepted check that added them and --records
verified training records (default 6), some valid, some due within 60 days, some expired.
The seed is reused on later runs with the same sizes. Requests go through Django's test
client: routing, every middleware, the session, the view, the two queries and the template.
"""

import argparse
import os
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1")
from bench import run_without_debug  # noqa: E402

run_without_debug()
os.environ.setdefault("CONN_MAX_AGE", "600")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.models import Membership, Organisation, User  # noqa: E402
from employers.models import (  # noqa: E402
    EmployerVerification,
    ShareCode,
    ShareCodeCheck,
    StaffMembership,
)
from passports.models import TrainingRecord, TrainingStandard  # noqa: E402
from register.models import Application, RegisterEntry  # noqa: E402
from register.registration_numbers import format_number  # noqa: E402

BENCH_OWNER = "staff-bench-owner@example.org"
STANDARD_CODES = [
    "moving-and-handling",
    "safeguarding-adults",
    "fire-safety",
    "food-hygiene",
    "infection-prevention-and-control",
    "basic-life-support",
    "medication-awareness",
    "health-and-safety",
]


def _standards(count: int) -> list[TrainingStandard]:
    standards = []
    for code in STANDARD_CODES[:count]:
        standard, _ = TrainingStandard.objects.get_or_create(
            code=code,
            defaults={
                "title": code.replace("-", " ").capitalize(),
                "category": TrainingStandard.Category.MANDATORY,
                "awarded_by": TrainingStandard.AwardedBy.APPROVED_PROVIDER,
                "refresher_months": 12,
            },
        )
        standards.append(standard)
    return standards


@transaction.atomic
def seed(*, staff: int, records: int) -> Organisation:
    """One employer and its staff; reused when it already has the asked-for staff."""
    owner, _ = User.objects.get_or_create(email=BENCH_OWNER, defaults={"full_name": "Bench Owner"})
    owner.set_password("staff-bench-password")
    owner.save()
    organisation, _ = Organisation.objects.get_or_create(
        name="Staff Bench Care", kind=Organisation.Kind.EMPLOYER
    )
    Membership.objects.get_or_create(
        user=owner, organisation=organisation, defaults={"role": Membership.Role.OWNER}
    )
    # Verified, as any employer must be before it sees a staff list (ADR 0019); by a registrar
    # of the bench's own.
    registrar, _ = User.objects.get_or_create(
        email="bench-registrar@example.org",
        defaults={"full_name": "Bench Registrar", "is_registrar": True, "is_staff": True},
    )
    EmployerVerification.objects.get_or_create(
        organisation=organisation, defaults={"verified_by": registrar}
    )
    have = StaffMembership.objects.filter(organisation=organisation, status="active").count()
    if have == staff:
        return organisation
    if have:
        raise SystemExit(
            f"The bench employer already has {have} staff; use --staff {have} or a fresh database."
        )
    standards = _standards(records)
    today = date.today()
    now = timezone.now()
    base = 8_000_000
    users = User.objects.bulk_create(
        User(
            email=f"staff-bench-{n}@example.org",
            full_name=f"Bench Worker {n:04d}",
            is_care_worker=True,
            password="!",
        )
        for n in range(staff)
    )
    applications = Application.objects.bulk_create(
        Application(
            worker=user,
            status=Application.Status.APPROVED,
            legal_name=user.full_name,
            date_of_birth=date(1980, 1, 1) + timedelta(days=n),
        )
        for n, user in enumerate(users)
    )
    statuses = list(RegisterEntry.Status.values)
    entries = RegisterEntry.objects.bulk_create(
        RegisterEntry(
            worker=user,
            application=application,
            registration_number=format_number(base + n),
            full_name=user.full_name,
            search_name=user.full_name.lower(),
            status=statuses[0] if n % 10 else statuses[n // 10 % len(statuses)],
            registered_from=today,
            renewal_due=today + timedelta(days=365),
        )
        for n, (user, application) in enumerate(zip(users, applications, strict=True))
    )
    codes = ShareCode.objects.bulk_create(
        ShareCode(
            worker=entry.worker,
            entry=entry,
            code_hash=f"{'bench':0<16}{n:048d}",
            hint="BEN",
            expires_at=now + timedelta(days=30),
        )
        for n, entry in enumerate(entries)
    )
    checks = ShareCodeCheck.objects.bulk_create(
        ShareCodeCheck(
            share_code=code,
            organisation=organisation,
            user=owner,
            outcome=ShareCodeCheck.Outcome.ACCEPTED,
        )
        for code in codes
    )
    StaffMembership.objects.bulk_create(
        StaffMembership(organisation=organisation, entry=entry, consent_check=check, added_by=owner)
        for entry, check in zip(entries, checks, strict=True)
    )
    TrainingRecord.objects.bulk_create(
        TrainingRecord(
            entry=entry,
            standard=standard,
            completed_on=today - timedelta(days=300),
            # Spread over a year either side: some expired, some due soon, most valid.
            expires_on=today + timedelta(days=(n * 7 + index * 53) % 500 - 120),
            status=TrainingRecord.Status.VERIFIED,
            recorded_by=owner,
            provider_name="Bench Training Ltd",
        )
        for n, entry in enumerate(entries)
        for index, standard in enumerate(standards)
    )
    return organisation


def time_requests(client: Client, url: str, repeats: int) -> list[float]:
    timings = []
    for _ in range(repeats):
        start = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, response.status_code
    return timings


def report(label: str, timings: list[float]) -> None:
    cuts = statistics.quantiles(timings, n=20, method="inclusive")
    print(
        f"{label:<18} n={len(timings):<4} p50={statistics.median(timings):7.1f} ms  "
        f"p95={cuts[18]:7.1f} ms  min={min(timings):7.1f} ms  max={max(timings):7.1f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--staff", type=int, default=500)
    parser.add_argument("--records", type=int, default=6, help="Training records per worker.")
    parser.add_argument("--repeats", type=int, default=50)
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        raise SystemExit("Run this against PostgreSQL: set DATABASE_URL (see the docstring).")

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    organisation = seed(staff=args.staff, records=args.records)
    print(
        f"seeded/reused {args.staff} staff x {args.records} records "
        f"in {time.perf_counter() - started:.1f} s on {connection.settings_dict['NAME']}"
    )
    client = Client()
    client.force_login(User.objects.get(email=BENCH_OWNER))
    page = reverse("employers:staff", args=[organisation.pk])
    export = reverse("employers:staff-csv", args=[organisation.pk])
    with CaptureQueriesContext(connection) as queries:
        client.get(page)
    print(f"queries per page: {len(queries)}")
    for label, url in [
        ("page ?sort=name", page),
        ("page ?sort=expiry", page + "?sort=expiry"),
        ("CSV export", export),
    ]:
        time_requests(client, url, 3)  # warm up
        report(label, time_requests(client, url, args.repeats))


if __name__ == "__main__":
    main()
