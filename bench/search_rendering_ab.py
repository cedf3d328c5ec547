"""Issue #16's A/B benchmark: first searches of the public register a second with the search
form and the 20 result rows written in Python (A, commit acb8a80) and with the same page
rendered through the templates (B, this checkout's HEAD). The Python rendering comes back only
if it gives at least 15 % more first searches a second.

    .venv/bin/python bench/search_rendering_ab.py                     # full size, about 15 minutes
    BENCH_SCALE=small .venv/bin/python bench/search_rendering_ab.py   # a quick check, about 5

1. **Check out** each version with `git worktree add --detach` in a directory of its own under
   /tmp (removed at the end). Both must have the same migrations.
2. **Seed** a database of its own (`careregister_bench_ab_full`, or `_small`) as make bench
   does, with the register entries only: migrate and bench/seed_register.py in B's checkout,
   then VACUUM ANALYZE. BENCH_REUSE=1 keeps one seeded at the same scale by an earlier run.
3. **First searches**, drawn as make bench draws those of its `search_cold` row
   (bench/full_stack.py), split in two files: a fifth for warm-ups, the rest timed. Every run
   reads the same two files. bench/wrk/once_each.lua asks for each address at most once in a
   run, and a timed run that had to ask for one twice stops the benchmark.
4. **Rounds**: round 0 settles PostgreSQL's and the system's caches and is not counted; then in
   each round A, then B. Each version is served by its own gunicorn, started for the round from
   its checkout with production settings, throwaway secrets and a cache key prefix of its own,
   so no timed search is served from the page cache. The script checks that the server writes
   the markup of the version it stands for, then loads `/healthz` (the floor) and the first
   searches, each with a warm-up, stops the server and deletes its cache keys.
5. **Report**: per round and version, first searches a second, p50/p95, the floor and the
   ratio to it; then the gain of A over B in each round, and the median of those gains, in
   requests a second and in the ratio to the floor. Written to var/bench/search_rendering_ab.json.

Settings, all optional, as environment variables: BENCH_SCALE (full, small), BENCH_ROUNDS
(counted rounds: 5 at full size, 3 small), BENCH_SECONDS, BENCH_WARMUP, BENCH_CONNECTIONS (16),
BENCH_WORKERS (2 × CPUs + 1), BENCH_DB, BENCH_REUSE=1, BENCH_PG, BENCH_AB_PYTHON (acb8a80),
BENCH_AB_TEMPLATES (HEAD).
"""

# ruff: noqa: S603, S607 - runs git, psql, wrk and gunicorn with fixed arguments
import json
import os
import random
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
if str(PROJECT_ROOT) not in sys.path:
    sys.path.insert(0, str(PROJECT_ROOT))

from bench import full_stack  # noqa: E402
from bench.full_stack import PYTHON, SCALES, WORK, psql, say  # noqa: E402

AB_WORK = WORK / "search_rendering_ab"
RESULTS = WORK / "search_rendering_ab.json"
PYTHON_RENDERING = "acb8a80"
THRESHOLD_PERCENT = 15.0
ROUNDS = {"full": 5, "small": 3}
# The same page, told apart by its layout alone: the Python rendering writes no whitespace
# between the tags of the form's groups and of the rows; the templates do (and name each cell's
# column in data-label, for the stacked layout on phones).
SIGNATURES = {
    "python": (r'<div class="form-group"><label for="id_q">', r"<tr><td><a href="),
    "templates": (r'<div class="form-group">\s+<label for="id_q">', r"<tr>\s+<td[^>]*><a href="),
}


def git(*args: str) -> str:
    result = subprocess.run(
        ["git", "-C", str(PROJECT_ROOT), *args], check=True, capture_output=True, text=True
    )
    return result.stdout.strip()


def check_out(commit: str, directory: Path) -> None:
    git("worktree", "add", "--quiet", "--detach", str(directory), commit)


def remove_checkouts(directories: list[Path]) -> None:
    for directory in directories:
        if directory.exists():
            subprocess.run(
                ["git", "-C", str(PROJECT_ROOT), "worktree", "remove", "--force", str(directory)],
                check=False,
                capture_output=True,
            )
    git("worktree", "prune")


def serves(base: str, path: str) -> str:
    """Which rendering the server at base writes, from one search page that has results."""
    request = urllib.request.Request(  # noqa: S310 - our own server on loopback
        base + path, headers={"X-Forwarded-Proto": "https", "X-Forwarded-For": "10.255.0.2"}
    )
    with urllib.request.urlopen(request, timeout=30) as answer:  # noqa: S310
        page = answer.read().decode()
    for version, patterns in SIGNATURES.items():
        if all(re.search(pattern, page) for pattern in patterns):
            return version
    return "neither (a page without results, or markup this script does not know)"


def delete_cache_keys(*, prefix: str, database: str, redis: bool) -> None:
    """The pages and versions a server stored under its own prefix, so that a full-size run does
    not leave tens of thousands of pages in a shared Redis."""
    if redis:
        import redis as redis_client

        connection = redis_client.Redis(host="127.0.0.1", port=6379, db=0)
        batch = []
        for key in connection.scan_iter(match=f"{prefix}:*", count=1000):
            batch.append(key)
            if len(batch) == 1000:
                connection.delete(*batch)
                batch = []
        if batch:
            connection.delete(*batch)
    else:
        psql(database, f"DELETE FROM bench_cache WHERE cache_key LIKE '{prefix}:%'")  # noqa: S608


def prepare_searches(scale: dict) -> dict:
    """Runs in a child process with the bench environment: writes the warm-up and timed files."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    from bench import register_lookup

    # The draws of full_stack.prepare_inputs, in the same order from the same seed: the 2,000
    # entries of the "searched before" row, then the first searches, less those.
    rng = random.Random(11)
    entries = register_lookup.sample_entries(count=2000, rng=rng)
    paths = full_stack.first_search_paths(
        count=scale["cold_searches"], rng=rng, searched_before=full_stack.name_search_paths(entries)
    )
    warmup = len(paths) // 5
    AB_WORK.mkdir(parents=True, exist_ok=True)
    (AB_WORK / "search_warmup.txt").write_text("".join(f"{p}\n" for p in paths[:warmup]))
    (AB_WORK / "search_timed.txt").write_text("".join(f"{p}\n" for p in paths[warmup:]))
    (AB_WORK / "healthz.txt").write_text("/healthz\n")
    return {"warmup": warmup, "timed": len(paths) - warmup}


def load(
    wrk: str, base: str, *, script: str, warmup: list[str], timed: list[str], settings: dict
) -> dict:
    """A warm-up, then the timed run: the timed run's wrk result."""
    threads = min(settings["connections"], 4)
    for seconds, args in ((settings["warmup"], warmup), (settings["seconds"], timed)):
        raw = full_stack.run_wrk(
            wrk,
            script=script,
            url=base,
            args=args,
            seconds=seconds,
            connections=settings["connections"],
            threads=threads,
        )
    return raw


def measure(
    *,
    version: str,
    checkout: Path,
    round_number: int,
    run_id: str,
    database: str,
    keys: dict,
    wrk: str,
    settings: dict,
) -> dict:
    prefix = f"search-ab-{run_id}-r{round_number}-{version}"
    cache, _ = full_stack.cache_url(key_prefix=prefix)
    env = full_stack.server_env(database=database, cache=cache, keys=keys)
    port = settings["port"] or full_stack.free_port()
    log = AB_WORK / f"gunicorn-{version}.log"
    server = full_stack.start_gunicorn(
        env, port=port, workers=settings["workers"], log=log, cwd=checkout
    )
    base = f"http://127.0.0.1:{port}"
    try:
        check_path = (AB_WORK / "search_warmup.txt").read_text().splitlines()[0]
        seen = serves(base, check_path)
        if seen != version:
            raise SystemExit(
                f"bench: the server started from {checkout} for {version} writes {seen}"
            )
        floor = [str(AB_WORK / "healthz.txt")]
        floor_raw = load(wrk, base, script="get.lua", warmup=floor, timed=floor, settings=settings)
        # once_each.lua's second argument is wrk's thread count (load() uses at most 4).
        threads = str(min(settings["connections"], 4))
        search_raw = load(
            wrk,
            base,
            script="once_each.lua",
            warmup=[str(AB_WORK / "search_warmup.txt"), threads],
            timed=[str(AB_WORK / "search_timed.txt"), threads],
            settings=settings,
        )
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
        delete_cache_keys(prefix=prefix, database=database, redis=cache.startswith("redis"))
    if search_raw.get("repeats"):
        raise SystemExit(
            f"bench: the timed run of {version} in round {round_number} asked for "
            f"{search_raw['repeats']} searches a second time: too few first searches for "
            "BENCH_SECONDS at this rate. Raise the scale's cold_searches, or lower BENCH_SECONDS."
        )
    floor = full_stack.summarise(
        "healthz", "GET /healthz", floor_raw, connections=settings["connections"]
    )
    search = full_stack.summarise(
        "search_cold", "first searches", search_raw, connections=settings["connections"]
    )
    return {
        "round": round_number,
        "version": version,
        "requests_per_second": search["requests_per_second"],
        "requests": search["requests"],
        "p50_ms": search["p50_ms"],
        "p95_ms": search["p95_ms"],
        "p99_ms": search["p99_ms"],
        "errors": search["errors"],
        "floor_per_second": floor["requests_per_second"],
        "floor_errors": floor["errors"],
        "ratio_to_floor": round(search["requests_per_second"] / floor["requests_per_second"], 3),
    }


def print_row(row: dict, *, counted: bool) -> None:
    print(
        f"   round {row['round']}{'' if counted else ' (settling, not counted)'}  "
        f"{row['version']:<9}  {row['requests_per_second']:>8,.1f}/s  "
        f"p50 {row['p50_ms']:6.1f} ms  p95 {row['p95_ms']:6.1f} ms  "
        f"floor {row['floor_per_second']:>8,.1f}/s  × floor {row['ratio_to_floor']:.3f}  "
        f"errors {row['errors'] + row['floor_errors']}",
        flush=True,
    )


def percent(value: float) -> str:
    return f"{value * 100:+.1f} %"


def main() -> None:
    begun = time.perf_counter()
    scale_name = os.environ.get("BENCH_SCALE") or "full"
    if scale_name not in SCALES:
        raise SystemExit(f"bench: BENCH_SCALE must be one of {', '.join(SCALES)}")
    scale = SCALES[scale_name]
    cpus = os.cpu_count() or 1
    settings = {
        "seconds": int(os.environ.get("BENCH_SECONDS") or scale["seconds"]),
        "warmup": int(os.environ.get("BENCH_WARMUP") or scale["warmup"]),
        "connections": int(os.environ.get("BENCH_CONNECTIONS") or 16),
        "workers": int(os.environ.get("BENCH_WORKERS") or 2 * cpus + 1),
        "port": int(os.environ.get("BENCH_PORT") or 0),
    }
    rounds = int(os.environ.get("BENCH_ROUNDS") or ROUNDS[scale_name])
    if rounds < 3:
        raise SystemExit("bench: BENCH_ROUNDS must be 3 or more")
    database = os.environ.get("BENCH_DB") or f"careregister_bench_ab_{scale_name}"
    if database.startswith("test") or not database.startswith("careregister_bench"):
        raise SystemExit("bench: BENCH_DB must start with careregister_bench (never a test DB).")
    commits = {
        "python": git(
            "rev-parse",
            "--verify",
            "--short=12",
            f"{os.environ.get('BENCH_AB_PYTHON') or PYTHON_RENDERING}^{{commit}}",
        ),
        "templates": git(
            "rev-parse",
            "--verify",
            "--short=12",
            f"{os.environ.get('BENCH_AB_TEMPLATES') or 'HEAD'}^{{commit}}",
        ),
    }
    migrations = git(
        "diff", "--name-only", commits["python"], commits["templates"], "--", "*/migrations/*"
    )
    if migrations:
        raise SystemExit(f"bench: the two versions' migrations differ:\n{migrations}")

    wrk = full_stack.ensure_wrk()
    if not os.environ.get("BENCH_PG"):
        full_stack.ensure_postgresql()
    AB_WORK.mkdir(parents=True, exist_ok=True)
    secrets_file = AB_WORK / f"{database}.secrets.json"
    seeded_marker = AB_WORK / f"{database}.seeded.json"
    exists = psql("postgres", f"SELECT 1 FROM pg_database WHERE datname = '{database}'") == "1"  # noqa: S608
    reusing = (
        os.environ.get("BENCH_REUSE") == "1"
        and exists
        and secrets_file.exists()
        and seeded_marker.exists()
        and json.loads(seeded_marker.read_text()) == {"entries": scale["entries"]}
    )
    if reusing:
        keys = json.loads(secrets_file.read_text())
    else:
        keys = full_stack.throwaway_secrets()
        secrets_file.write_text(json.dumps(keys))
        seeded_marker.unlink(missing_ok=True)

    run_id = str(int(time.time()))
    cache, cache_label = full_stack.cache_url(key_prefix=f"search-ab-{run_id}-setup")
    env = full_stack.server_env(database=database, cache=cache, keys=keys)
    checkouts_root = Path(tempfile.mkdtemp(prefix="cr-search-ab-", dir="/tmp"))
    checkouts = {version: checkouts_root / version for version in commits}
    timings: dict[str, float] = {}
    say(
        f"{scale_name} scale into {database}; cache: {cache_label}; {settings['workers']} "
        f"gunicorn workers; A = python at {commits['python']}, B = templates at "
        f"{commits['templates']}"
    )
    try:
        for version, commit in commits.items():
            check_out(commit, checkouts[version])
        templates_checkout = checkouts["templates"]
        if not reusing:
            if exists:
                psql("postgres", f'DROP DATABASE "{database}" WITH (FORCE)')
            psql("postgres", f'CREATE DATABASE "{database}"')
            full_stack.run_step(
                "migrate",
                [PYTHON, "manage.py", "migrate", "--noinput", "-v0"],
                env,
                timings,
                cwd=templates_checkout,
            )
            full_stack.run_step(
                f"seed {scale['entries']:,} register entries",
                [PYTHON, "bench/seed_register.py", "--entries", str(scale["entries"])],
                env,
                timings,
                cwd=templates_checkout,
            )
            subprocess.run(["psql", env["DATABASE_URL"], "-qc", "VACUUM ANALYZE"], check=True)
            seeded_marker.write_text(json.dumps({"entries": scale["entries"]}))
        if cache.startswith("dbcache"):
            subprocess.run(
                [PYTHON, "manage.py", "createcachetable"],
                check=True,
                env=env,
                cwd=templates_checkout,
            )
        for version, checkout in checkouts.items():
            full_stack.run_step(
                f"collect static files of {version}",
                [PYTHON, "manage.py", "collectstatic", "--noinput", "-v0"],
                env,
                timings,
                cwd=checkout,
            )
        say("draw the first searches")
        counts = json.loads(
            subprocess.run(
                [PYTHON, str(Path(__file__)), "--prepare", json.dumps(scale)],
                check=True,
                env=env,
                cwd=PROJECT_ROOT,
                capture_output=True,
                text=True,
            )
            .stdout.strip()
            .splitlines()[-1]
        )
        say(
            f"{counts['warmup'] + counts['timed']:,} first searches: {counts['warmup']:,} for "
            f"warm-ups, {counts['timed']:,} timed (each asked for at most once in a run)"
        )
        say(
            f"round 0 settles, then {rounds} rounds of python then templates: each "
            f"/healthz and first searches, {settings['warmup']} s warm-up and "
            f"{settings['seconds']} s timed, {settings['connections']} connections"
        )
        load_before = os.getloadavg()
        rows = []
        for round_number in range(rounds + 1):
            for version in ("python", "templates"):
                row = measure(
                    version=version,
                    checkout=checkouts[version],
                    round_number=round_number,
                    run_id=run_id,
                    database=database,
                    keys=keys,
                    wrk=wrk,
                    settings=settings,
                )
                print_row(row, counted=round_number > 0)
                rows.append(row)
        load_after = os.getloadavg()
    finally:
        remove_checkouts(list(checkouts.values()))
        shutil.rmtree(checkouts_root, ignore_errors=True)
        # What migrate stored (it empties the public pages by bumping their versions).
        delete_cache_keys(
            prefix=f"search-ab-{run_id}-setup", database=database, redis=cache.startswith("redis")
        )

    counted = [row for row in rows if row["round"] > 0]
    by_round = {
        number: {row["version"]: row for row in counted if row["round"] == number}
        for number in range(1, rounds + 1)
    }
    gains = [
        pair["python"]["requests_per_second"] / pair["templates"]["requests_per_second"] - 1
        for pair in by_round.values()
    ]
    floor_gains = [
        pair["python"]["ratio_to_floor"] / pair["templates"]["ratio_to_floor"] - 1
        for pair in by_round.values()
    ]
    median_gain = statistics.median(gains)
    median_floor_gain = statistics.median(floor_gains)
    errors = sum(row["errors"] + row["floor_errors"] for row in rows)
    results = {
        "command": f"BENCH_SCALE={scale_name} .venv/bin/python bench/search_rendering_ab.py",
        "scale": scale_name,
        "entries": scale["entries"],
        "finished_at": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "commits": commits,
        "rounds": rounds,
        "settings": settings,
        "first_searches": counts,
        "cache": cache_label,
        "cpus": cpus,
        "load_before": " ".join(f"{value:.2f}" for value in load_before),
        "load_after": " ".join(f"{value:.2f}" for value in load_after),
        "seed_timings_seconds": timings,
        "rows": rows,
        "gain_per_round": [round(gain, 4) for gain in gains],
        "floor_ratio_gain_per_round": [round(gain, 4) for gain in floor_gains],
        "median_gain": round(median_gain, 4),
        "median_floor_ratio_gain": round(median_floor_gain, 4),
        "errors": errors,
        "total_minutes": round((time.perf_counter() - begun) / 60, 1),
    }
    RESULTS.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")

    print()
    print(
        f"{scale_name} scale, {scale['entries']:,} entries: python {commits['python']} against "
        f"templates {commits['templates']}, {rounds} rounds, load average "
        f"{results['load_before']} before and {results['load_after']} after, "
        f"{results['total_minutes']} min in all"
    )
    print(
        "| round | python /s | templates /s | python × floor | templates × floor | gain "
        "| gain × floor |"
    )
    print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for (number, pair), gain, floor_gain in zip(by_round.items(), gains, floor_gains, strict=True):
        print(
            f"| {number} | {pair['python']['requests_per_second']:,.1f} | "
            f"{pair['templates']['requests_per_second']:,.1f} | "
            f"{pair['python']['ratio_to_floor']:.3f} | {pair['templates']['ratio_to_floor']:.3f} | "
            f"{percent(gain)} | {percent(floor_gain)} |"
        )
    print(
        f"\nMedian gain of the Python rendering over the templates: {percent(median_gain)} first "
        f"searches a second ({percent(median_floor_gain)} in the ratio to the floor). Issue #16 "
        f"keeps the Python rendering only at +{THRESHOLD_PERCENT:.0f} % or more, judged as every "
        "target here is, by the ratio to the /healthz floor measured in the same run (python "
        "always runs first in a round, so a machine slowing down through the run favours it in "
        "the raw figures): "
        + ("it does." if median_floor_gain * 100 >= THRESHOLD_PERCENT else "it does not.")
    )
    if scale_name != "full":
        print("This is not the full-size run: its figures decide nothing.")
    if errors:
        print(f"bench: {errors} errors (non-2xx/3xx answers or socket errors): see the rows.")
    print(f"Written: {RESULTS.relative_to(PROJECT_ROOT)}")


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--prepare":
        os.chdir(PROJECT_ROOT)
        print(json.dumps(prepare_searches(json.loads(sys.argv[2]))))
    else:
        main()
