"""The campaign funnel over 1 million tracked events (issue 21: "under 500 ms"), on PostgreSQL.

    .venv/bin/python bench/careers_campaign.py     # database careregister_bench_careers_campaign
    .venv/bin/python bench/careers_campaign.py --runs 30
    DATABASE_URL=postgres://…/name .venv/bin/python bench/careers_campaign.py

The funnel stores counts (careers.models.CampaignCount: one row per campaign, employer, stage
and day), so a million events can be a few thousand rows. To time the worst case honestly this
seeds 1,000,000 *rows* for the one campaign measured: 1,000 employers × 5 stages × 200 days,
each row a count from 1 to 40 (about 20 million events), with COPY, once; a re-run finds them.
Then it times `careers.selectors.campaigns.campaign_funnel` (its two grouped reads, the
employers' names and the suppression of both tables) from scratch each run: the mean, the
median and the 95th percentile, against 500 ms. A database of its own, never
careregister_bench_jobs_full.
"""

# ruff: noqa: S603, S607 - runs psql with fixed arguments
import argparse
import datetime
import os
import random
import statistics
import sys
import time
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_ROOT))

from bench.full_stack import PG_SERVER, database_ready, ensure_postgresql  # noqa: E402

DATABASE = "careregister_bench_careers_campaign"
TARGET_MS = 500.0
EMPLOYERS = 1000
DAYS = 200
ROWS = EMPLOYERS * 5 * DAYS


def _seed():
    """The association, the campaign, 1,000 employers and 1,000,000 count rows, once."""
    from django.db import connection, transaction
    from django.utils import timezone

    from accounts.models import Organisation, User
    from careers.models import Campaign, CampaignCount

    association, _ = Organisation.objects.get_or_create(
        name="Bench Association", defaults={"kind": Organisation.Kind.ASSOCIATION}
    )
    admin, _ = User.objects.get_or_create(
        email="bench-campaign@example.org", defaults={"full_name": "Bench Admin"}
    )
    first_day = datetime.date(2027, 1, 4)
    campaign, _ = Campaign.objects.get_or_create(
        name="Bench Care Month",
        defaults={
            "organisation": association,
            "starts_on": first_day,
            "ends_on": first_day + datetime.timedelta(days=DAYS - 1),
            "message": "Bench.",
            "status": Campaign.Status.PUBLISHED,
            "created_by": admin,
            "published_at": timezone.now(),
        },
    )
    have = CampaignCount.objects.filter(campaign=campaign).count()
    if have == ROWS:
        return campaign, have
    say(f"seeding {ROWS:,} count rows (found {have:,})")
    started = time.perf_counter()
    with transaction.atomic():
        CampaignCount.objects.filter(campaign=campaign).delete()
        existing = list(
            Organisation.objects.filter(name__startswith="Bench Employer ").values_list(
                "pk", flat=True
            )
        )
        if len(existing) < EMPLOYERS:
            Organisation.objects.bulk_create(
                Organisation(name=f"Bench Employer {number:04d}", kind=Organisation.Kind.EMPLOYER)
                for number in range(len(existing), EMPLOYERS)
            )
        employer_ids = list(
            Organisation.objects.filter(name__startswith="Bench Employer ")
            .order_by("pk")
            .values_list("pk", flat=True)[:EMPLOYERS]
        )
        stages = [stage.value for stage in CampaignCount.Stage]
        randomness = random.Random(21)  # noqa: S311 - test data, not a secret
        table = CampaignCount._meta.db_table
        with connection.cursor() as cursor:
            with cursor.copy(
                f"COPY {table} (campaign_id, organisation_id, stage, day, week, count) FROM STDIN"
            ) as copy:
                for offset in range(DAYS):
                    day = first_day + datetime.timedelta(days=offset)
                    week = day - datetime.timedelta(days=day.weekday())
                    for employer_id in employer_ids:
                        for stage in stages:
                            copy.write_row(
                                (
                                    campaign.pk,
                                    employer_id,
                                    stage,
                                    day,
                                    week,
                                    randomness.randint(1, 40),
                                )  # fmt: skip
                            )
        cursor = connection.cursor()
        cursor.execute(f"ANALYZE {table}")
    say(f"seeded in {time.perf_counter() - started:.1f} s")
    return campaign, CampaignCount.objects.filter(campaign=campaign).count()


def say(message: str) -> None:
    print(f"bench: {message}", file=sys.stderr, flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    arguments = parser.parse_args()
    database_url = os.environ.get("DATABASE_URL", "")
    if not database_url.startswith("postgres"):
        # A database of its own on the bench's PostgreSQL server, started if need be.
        ensure_postgresql()
        database_url = f"{PG_SERVER}/{DATABASE}"
    database_ready(database_url, refuse=("test", "careregister_bench_jobs_full"))
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db.models import Sum

    from careers.models import CampaignCount
    from careers.selectors.campaigns import campaign_funnel

    call_command("migrate", interactive=False, verbosity=0)
    campaign, rows = _seed()
    events = CampaignCount.objects.filter(campaign=campaign).aggregate(total=Sum("count"))["total"]
    funnel = campaign_funnel(campaign=campaign)  # warm the connection and the caches once
    times = []
    for _ in range(arguments.runs):
        started = time.perf_counter()
        funnel = campaign_funnel(campaign=campaign)
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    p95 = times[max(0, round(0.95 * len(times)) - 1)]
    median = statistics.median(times)
    print(f"campaign funnel: {rows:,} count rows ({events:,} tracked events), "
          f"{len(funnel.employers)} employers, {len(funnel.weeks)} weeks")  # fmt: skip
    print(f"runs {len(times)}: mean {statistics.mean(times):.1f} ms, median {median:.1f} ms, "
          f"p95 {p95:.1f} ms, max {times[-1]:.1f} ms; target {TARGET_MS:.0f} ms: "
          f"{'pass' if p95 < TARGET_MS else 'MISS'}")  # fmt: skip


if __name__ == "__main__":
    os.chdir(PROJECT_ROOT)
    main()
