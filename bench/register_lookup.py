"""Time public register lookups through the views, as one client, and compare the 95th
percentile with the 20 ms target.

    ALLOWED_HOSTS=testserver,127.0.0.1 \\
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/careregister_bench \\
        .venv/bin/python bench/register_lookup.py

Each request goes through Django's test client: URL routing, every middleware, the view, the
selector and the database, the template or the serializer. Nothing is cached between requests
but PostgreSQL's statistics of the name words, which a search of two or more words reads at
most every 10 minutes in each process, as it would in production (see WORD_STATISTICS_SECONDS
in register/selectors/public.py). Numbers and names are drawn from the entries in the
database, with a fixed seed.
"""

import argparse
import os
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlencode

PROJECT_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1")
# As in production: no debug, and connections kept open between requests (CONN_MAX_AGE) rather
# than a new PostgreSQL connection for every request.
from bench import run_without_debug  # noqa: E402

run_without_debug()
os.environ.setdefault("CONN_MAX_AGE", "600")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from register.models import NameWord, RegisterEntry  # noqa: E402
from register.selectors import public as public_register  # noqa: E402
from register.selectors.public import public_entries  # noqa: E402

TARGET_P95_MS = 20.0


def sample_entries(*, count: int, rng: random.Random) -> list[RegisterEntry]:
    """Random public entries, found by id so that sampling 1.5 million rows stays quick."""
    first = public_entries().order_by("id").values_list("id", flat=True).first()
    last = public_entries().order_by("-id").values_list("id", flat=True).first()
    if first is None:
        raise SystemExit("register_lookup: the register is empty. Run bench/seed_register.py.")
    wanted = {rng.randint(first, last) for _ in range(count * 2)}
    entries = list(
        public_entries()
        .filter(id__in=wanted)
        .select_related("application")
        .only("registration_number", "full_name", "application__town")
    )
    rng.shuffle(entries)
    return entries[:count]


def name_searches(entries: list[RegisterEntry]) -> list[tuple[str, dict]]:
    """A third each: the surname, the first name and surname, the surname with the town."""
    searches = []
    for position, entry in enumerate(entries):
        words = entry.full_name.split()
        surname = words[-1]
        kind = ("surname", "first name and surname", "surname and town")[position % 3]
        if kind == "surname":
            searches.append((kind, {"q": surname}))
        elif kind == "first name and surname":
            searches.append((kind, {"q": f"{words[0]} {surname}"}))
        else:
            searches.append((kind, {"q": surname, "town": entry.application.town}))
    return searches


def time_requests(client: Client, urls: list[str]) -> list[float]:
    timings = []
    for url in urls:
        # The API allows 120 requests a minute from one client; the benchmark makes more, so
        # it empties the rate limiter's cache between requests, outside the timing.
        cache.clear()
        started = time.perf_counter()
        response = client.get(url)
        elapsed = (time.perf_counter() - started) * 1000
        if response.status_code != 200:
            raise SystemExit(f"register_lookup: {url} answered {response.status_code}")
        timings.append(elapsed)
    return timings


def summary(label: str, timings: list[float]) -> tuple[str, float]:
    cuts = statistics.quantiles(timings, n=100, method="inclusive")
    p50, p95, p99 = cuts[49], cuts[94], cuts[98]
    verdict = "pass" if p95 < TARGET_P95_MS else "FAIL"
    line = (
        f"{label:<40} {len(timings):>5} {p50:>7.1f} {p95:>7.1f} {p99:>7.1f} "
        f"{max(timings):>7.1f}  {verdict}"
    )
    return line, p95


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=500, help="Timed requests per kind.")
    parser.add_argument("--warm-up", type=int, default=100, help="Untimed requests first.")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--count-limit",
        type=int,
        help="Try another COUNT_LIMIT for name searches (see register/selectors/public.py).",
    )
    options = parser.parse_args()
    if options.count_limit:
        public_register.COUNT_LIMIT = options.count_limit

    rng = random.Random(options.seed)
    entries = sample_entries(count=options.requests + options.warm_up, rng=rng)
    numbers = [entry.registration_number for entry in entries]
    searches = name_searches(entries)
    warm, timed = options.warm_up, slice(options.warm_up, None)

    def search_url(route: str, params: dict) -> str:
        return f"{route}?{urlencode(params)}"

    kinds: dict[str, Callable[[int], str]] = {
        "number, HTML search page": lambda i: search_url("/register/", {"q": numbers[i]}),
        "number, HTML entry page": lambda i: f"/register/{numbers[i]}/",
        "number, JSON search": lambda i: search_url("/api/v1/register/", {"q": numbers[i]}),
        "number, JSON entry": lambda i: f"/api/v1/register/{numbers[i]}/",
        "name, HTML search page": lambda i: search_url("/register/", searches[i][1]),
        "name, JSON search": lambda i: search_url("/api/v1/register/", searches[i][1]),
    }
    client = Client()
    total = public_entries().count()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT version(), current_setting('shared_buffers'), "
            "pg_size_pretty(pg_table_size(%s)), pg_size_pretty(pg_indexes_size(%s))",
            [NameWord._meta.db_table] * 2,
        )
        version, shared_buffers, words_size, words_indexes_size = cursor.fetchone()
    print(
        f"Public register lookups through the views: {total:,} public entries in "
        f"{connection.settings_dict['NAME']}\n{version.split(' on ')[0]}, "
        f"shared_buffers={shared_buffers}; DEBUG={settings.DEBUG}, "
        f"CONN_MAX_AGE={connection.settings_dict['CONN_MAX_AGE']}, "
        f"COUNT_LIMIT={public_register.COUNT_LIMIT}, {os.cpu_count()} CPUs, "
        f"load average {os.getloadavg()[0]:.2f} before\n"
        f"name-word table {words_size}, its indexes {words_indexes_size}"
    )
    for url_for in kinds.values():
        time_requests(client, [url_for(i) for i in range(warm)])

    print(f"{'milliseconds':<40} {'n':>5} {'p50':>7} {'p95':>7} {'p99':>7} {'max':>7}")
    failures = []
    by_kind: dict[str, list[float]] = {}
    for label, url_for in kinds.items():
        indexes = list(range(len(entries)))[timed]
        timings = time_requests(client, [url_for(i) for i in indexes])
        line, p95 = summary(label, timings)
        print(line)
        if p95 >= TARGET_P95_MS:
            failures.append(label)
        if label.startswith("name"):
            for i, elapsed in zip(indexes, timings, strict=True):
                by_kind.setdefault(f"  {searches[i][0]}, {label.split(', ')[1]}", []).append(
                    elapsed
                )
    for label, timings in sorted(by_kind.items()):
        line, p95 = summary(label, timings)
        print(line)
        if p95 >= TARGET_P95_MS:
            failures.append(label.strip())
    print(f"load average {os.getloadavg()[0]:.2f} after")
    if failures:
        print(f"FAIL: p95 at or over {TARGET_P95_MS:.0f} ms for {', '.join(failures)}")
        raise SystemExit(1)
    print(f"PASS: every p95 under {TARGET_P95_MS:.0f} ms")


if __name__ == "__main__":
    main()
