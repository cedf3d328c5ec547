"""`make bench`: seed a national-size register on PostgreSQL, serve it with gunicorn and
production settings, load each public path with wrk, and report what each sustains.

    make bench                      # full size: about 15 minutes on two cores
    make bench BENCH_SCALE=small    # the same steps on a small register, in about two minutes

1. **Seed** a database of its own (`careregister_bench_full`, or `careregister_bench_small`):
   register entries (bench/seed_register.py), training records (bench/seed_training.py),
   an employer with its staff (bench/staff_dashboard.py), signed passports, and an open
   consultation that already holds its responses, all by COPY or bulk insert.
2. **Serve** it with gunicorn, `DJANGO_ENV=production`, throwaway secrets made for the run,
   `ALLOWED_HOSTS=127.0.0.1`, and Redis as the shared cache when one answers on 127.0.0.1:6379
   (otherwise a database cache table, which every worker shares too).
3. **Load** each path with wrk for a fixed time after a short warm-up, with the headers a TLS
   proxy in front would add (`X-Forwarded-Proto: https`, `X-Forwarded-For`).
4. **Report** requests a second, latency p50/p95/p99, errors, and the ratio to `/healthz`
   measured in the same run; write bench/results.json and, for the full size, the section
   "make bench" at the end of docs/performance.md.

It leaves PostgreSQL's configuration alone and never touches a test database. Settings, all
optional, as environment variables or make variables: BENCH_SCALE (full, small), BENCH_SECONDS
(timed seconds per path), BENCH_WARMUP, BENCH_CONNECTIONS (16), BENCH_WORKERS (2 × CPUs + 1),
BENCH_PORT, BENCH_DB, BENCH_REUSE=1 (keep a database seeded at the same scale by an earlier run).
"""

# ruff: noqa: S603, S607 - runs this project's own tools (psql, wrk, gunicorn) with fixed arguments
import json
import os
import platform
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import textwrap
import time
import urllib.error
import urllib.request
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlencode, urlsplit

PROJECT_ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
WRK_DIR = PROJECT_ROOT / "bench" / "wrk"
WORK = PROJECT_ROOT / "var" / "bench"
RESULTS = PROJECT_ROOT / "bench" / "results.json"
PERFORMANCE_DOC = PROJECT_ROOT / "docs" / "performance.md"
DOC_START = "<!-- make bench: start (written by bench/full_stack.py) -->"
DOC_END = "<!-- make bench: end -->"
BENCH_SITE_URL = "https://care-register.bench.invalid"
PG_SERVER = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")

SCALES = {
    "full": {
        "entries": 1_500_000,
        "training": 5_000_000,
        "responses": 100_000,
        "staff": 500,
        "cold_lookups": 100_000,
        "cold_searches": 20_000,
        "seconds": 15,
        "warmup": 3,
    },
    "small": {
        "entries": 20_000,
        "training": 60_000,
        "responses": 2_000,
        "staff": 500,
        "cold_lookups": 10_000,
        "cold_searches": 10_000,
        "seconds": 5,
        "warmup": 2,
    },
}
# The issue's targets. "floor" is the ratio to /healthz; p95 in milliseconds; rate per second.
TARGETS = {
    "lookup": {"floor": 0.6},
    "search": {"p95_ms": 50.0},
    "search_cold": {"p95_ms": 50.0},
    "verify": {"per_second": 1000.0},
    "submit": {"per_second": 300.0},
}


def say(message: str) -> None:
    print(f"== {message}", flush=True)


def as_root(command: list[str]) -> None:
    if os.geteuid() != 0:
        if not shutil.which("sudo"):
            raise SystemExit(f"bench: need root to run {' '.join(command)}")
        command = ["sudo", *command]
    subprocess.run(command, check=True)


def ensure_wrk() -> str:
    wrk = shutil.which("wrk") or ("/usr/bin/wrk" if Path("/usr/bin/wrk").exists() else None)
    if wrk:
        return wrk
    say("installing Debian's wrk")
    as_root(["apt-get", "update", "-qq"])
    as_root(["env", "DEBIAN_FRONTEND=noninteractive", "apt-get", "install", "-y", "-qq", "wrk"])
    return shutil.which("wrk") or "/usr/bin/wrk"


def ensure_postgresql() -> None:
    """As .ci/run does: install PostgreSQL if it is missing and start a stopped local cluster.
    Its configuration is left as it is."""
    if subprocess.run(["pg_isready", "-q", "-h", "127.0.0.1"], check=False).returncode == 0:
        return
    if not shutil.which("pg_lsclusters"):
        say("installing Debian's postgresql")
        as_root(["apt-get", "update", "-qq"])
        as_root(["env", "DEBIAN_FRONTEND=noninteractive", "apt-get", "install", "-y", "-qq",
                 "postgresql"])  # fmt: skip
    clusters = subprocess.run(
        ["pg_lsclusters", "--no-header"], check=True, capture_output=True, text=True
    ).stdout.splitlines()
    for version, name, _, status, *_ in (line.split() for line in clusters):
        if status != "online":
            say(f"starting PostgreSQL {version}/{name}")
            as_root(["pg_ctlcluster", "--skip-systemctl-redirect", version, name, "start"])
    for _ in range(30):
        if subprocess.run(["pg_isready", "-q", "-h", "127.0.0.1"], check=False).returncode == 0:
            return
        time.sleep(1)
    raise SystemExit("bench: no PostgreSQL answers on 127.0.0.1 (start it, or set BENCH_PG).")


def psql(database: str, sql: str) -> str:
    result = subprocess.run(
        ["psql", f"{PG_SERVER}/{database}", "-qAtc", sql],
        check=True,
        capture_output=True,
        text=True,
    )
    return result.stdout.strip()


def redis_answers() -> bool:
    try:
        import django_redis  # noqa: F401  (the backend CACHE_URL=redis://… uses)
    except ImportError:
        return False
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1) as connection:
            connection.sendall(b"PING\r\n")
            return connection.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def throwaway_secrets() -> dict[str, str]:
    from cryptography.fernet import Fernet

    return {
        "SECRET_KEY": secrets.token_urlsafe(50),
        "FIELD_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
        "BLIND_INDEX_KEY": secrets.token_urlsafe(32),
        "SIGNING_KEY_PASSPHRASE": secrets.token_urlsafe(24),
        "CONSULTATION_RESPONDENT_KEY": secrets.token_urlsafe(32),
    }


def cache_url(*, key_prefix: str) -> tuple[str, str]:
    """The shared cache the servers use, with its key prefix, and how to name it."""
    if redis_answers():
        return (
            f"redis://127.0.0.1:6379/0?key_prefix={key_prefix}",
            "Redis at 127.0.0.1:6379",
        )
    return (
        f"dbcache://bench_cache?key_prefix={key_prefix}",
        "a database cache table (no Redis answered on 127.0.0.1:6379)",
    )


def server_env(*, database: str, cache: str, keys: dict[str, str]) -> dict[str, str]:
    """Production settings for the bench's servers and management commands."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DJANGO_ENV": "production",
        "DEBUG": "false",
        "DATABASE_URL": f"{PG_SERVER}/{database}",
        "CONN_MAX_AGE": "600",
        "ALLOWED_HOSTS": "127.0.0.1",
        # The same for every run on a database: the passports it holds name the register's
        # DID, which comes from SITE_URL, and must verify on the next run too.
        "SITE_URL": BENCH_SITE_URL,
        "CACHE_URL": cache,
        # The load comes through a proxy that sets X-Forwarded-For (as a real one would).
        "USE_X_FORWARDED_FOR": "true",
        "LOG_LEVEL": "WARNING",
        "PYTHONUNBUFFERED": "1",
        **keys,
    }


def run_step(
    label: str, command: list[str], env: dict, timings: dict, *, cwd: Path = PROJECT_ROOT
) -> None:
    say(label)
    started = time.perf_counter()
    subprocess.run(command, check=True, env=env, cwd=cwd)
    timings[label] = round(time.perf_counter() - started, 1)


# --- What the load scripts send ------------------------------------------------------------


def prepare_inputs(scale: dict) -> dict:
    """Runs in a child process with the bench environment: seeds the staff, passports and the
    consultation, and writes the files the wrk scripts read. Returns what the parent needs."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    import random

    from django.conf import settings
    from django.contrib.sessions.backends.db import SessionStore
    from django.middleware.csrf import _get_new_csrf_string
    from django.test import Client
    from django.urls import reverse

    from accounts.models import User
    from bench import consultation_submit, passport_verify, register_lookup, staff_dashboard
    from bench.seed_consultation import consultation_open_with_responses
    from consultations.answers import OTHER, questions_for
    from consultations.views.responding import _pages_shown
    from passports.models import Passport
    from passports.services.passports import PassportError, passport_issue
    from register.models import RegisterEntry
    from register.selectors.public import public_entries

    rng = random.Random(11)
    WORK.mkdir(parents=True, exist_ok=True)

    entries = register_lookup.sample_entries(count=2000, rng=rng)
    (WORK / "lookup.txt").write_text(
        "".join(f"/register/{entry.registration_number}/\n" for entry in entries)
    )
    # Far more entries than a run can visit: each lookup is a first visit, never a page kept
    # in the cache (register/page_cache.py), as a long tail of lookups would be.
    cold = public_entries().order_by("?").values_list("registration_number", flat=True)
    (WORK / "lookup_cold.txt").write_text(
        "".join(f"/register/{number}/\n" for number in cold[: scale["cold_lookups"]])
    )
    searches = name_search_paths(entries)
    (WORK / "search.txt").write_text("".join(f"{path}\n" for path in searches))
    cold_searches = first_search_paths(
        count=scale["cold_searches"], rng=rng, searched_before=searches
    )
    (WORK / "search_cold.txt").write_text("".join(f"{path}\n" for path in cold_searches))

    organisation = staff_dashboard.seed(staff=scale["staff"], records=6)
    owner = User.objects.get(email=staff_dashboard.BENCH_OWNER)
    client = Client()
    client.force_login(owner)
    cookie_name = settings.SESSION_COOKIE_NAME
    staff_cookie = f"{cookie_name}={client.cookies[cookie_name].value}"
    (WORK / "staff.txt").write_text(reverse("employers:staff", args=[organisation.pk]) + "\n")

    tokens = [passport_verify.seed().token]
    holders = (
        RegisterEntry.objects.filter(status=RegisterEntry.Status.REGISTERED, training__isnull=False)
        .exclude(passports__status=Passport.Status.VALID)
        .distinct()
        .order_by("id")[:49]
    )
    for entry in holders:
        try:
            tokens.append(passport_issue(entry=entry, requested_by=entry.worker).token)
        except PassportError:
            continue
    tokens += list(
        Passport.objects.filter(status=Passport.Status.VALID)
        .exclude(token__in=tokens)
        .values_list("token", flat=True)[: max(0, 50 - len(tokens))]
    )
    (WORK / "verify.txt").write_text("".join(json.dumps({"token": t}) + "\n" for t in tokens))

    consultation = consultation_open_with_responses(responses=scale["responses"])
    answers, _ = consultation_submit.sample_answers(consultation)
    questions = questions_for(consultation)
    steps = []
    for number, (_, page_questions) in enumerate(_pages_shown(questions, answers), start=1):
        fields = []
        for question in page_questions:
            answer = answers[str(question.pk)]
            name = f"q{question.pk}"
            fields += [(name, option) for option in answer["options"]]
            if answer.get("other"):
                fields += [(name, OTHER), (f"{name}_other", answer["other_text"])]
            if answer.get("text"):
                fields.append((name, answer["text"]))
        steps.append(
            f"POST\t{reverse('consultations:page', args=[consultation.slug, number])}\t"
            f"{urlencode(fields)}"
        )
    steps.append(f"POST\t{reverse('consultations:check', args=[consultation.slug])}\twebsite=")
    api_body = {
        "answers": {
            key: {
                "options": value["options"],
                "other_text": value["other_text"],
                "text": value["text"],
            }
            for key, value in answers.items()
        }
    }
    (WORK / "consultation_api.txt").write_text(
        reverse("api:consultation-responses", args=[consultation.slug])
        + "\n"
        + json.dumps(api_body)
        + "\n"
    )
    sessions = []
    for _ in range(2 * 64):  # two sets: the warm-up's and the timed run's
        session = SessionStore()
        session.create()
        sessions.append(f"SESSION\t{session.session_key}\t{_get_new_csrf_string()}")
    (WORK / "consultation.txt").write_text("\n".join(sessions + steps) + "\n")
    return {
        "staff_cookie": staff_cookie,
        "consultation_id": consultation.pk,
        "passports": len(tokens),
        "verify_path": reverse("api:passports-verify"),
    }


def name_search_paths(entries: list) -> list[str]:
    """The search page's address for each entry's name search (bench/register_lookup.py: a third
    each surname, first name and surname, surname and town). Needs Django set up."""
    from bench import register_lookup

    return [
        f"/register/?{urlencode(params)}" for _, params in register_lookup.name_searches(entries)
    ]


def first_search_paths(*, count: int, rng, searched_before: list[str]) -> list[str]:
    """Searches nobody made before in the run, so none is served from the page cache: the same
    three kinds, from other entries, each address once. The benchmark's names come from 161
    first names and 438 surnames, so a surname alone soon runs out; the first searches are
    mostly first name and surname, and surname and town. Needs Django set up."""
    from bench import register_lookup

    cold = dict.fromkeys(name_search_paths(register_lookup.sample_entries(count=count, rng=rng)))
    for path in searched_before:
        cold.pop(path, None)
    return list(cold)


def count_responses(database: str, consultation_id: int) -> int:
    sql = f"SELECT count(*) FROM consultations_response WHERE consultation_id = {consultation_id:d}"  # noqa: S608
    return int(psql(database, sql))


# --- Serving and loading ---------------------------------------------------------------------


def database_ready(database_url: str, *, refuse: tuple[str, ...] = ("test",)) -> str:
    """Create the PostgreSQL database `database_url` names if it is missing, and return its
    name; refuse a name starting with any of `refuse` (the test databases, another bench's)."""
    database = urlsplit(database_url).path.lstrip("/")
    if database.startswith(refuse):
        raise SystemExit(f"bench: not on {database}")
    server = database_url.rsplit("/", 1)[0]
    exists = subprocess.run(
        ["psql", f"{server}/postgres", "-qAtc",
         f"SELECT 1 FROM pg_database WHERE datname = '{database}'"],  # noqa: S608
        check=True, capture_output=True, text=True,
    ).stdout.strip() == "1"  # fmt: skip
    if not exists:
        subprocess.run(["psql", f"{server}/postgres", "-qc", f'CREATE DATABASE "{database}"'],
                       check=True)  # fmt: skip
    return database


def servers_ready(env: dict, *, cache: str) -> None:
    """What a bench's servers need before they start: the migrations, the cache table when the
    cache is the database's, and the hashed static files production serves."""
    subprocess.run([PYTHON, "manage.py", "migrate", "--noinput", "-v0"], check=True, env=env,
                   cwd=PROJECT_ROOT)  # fmt: skip
    if cache.startswith("dbcache"):
        subprocess.run([PYTHON, "manage.py", "createcachetable"], check=True, env=env,
                       cwd=PROJECT_ROOT)  # fmt: skip
    subprocess.run([PYTHON, "manage.py", "collectstatic", "--noinput", "-v0"], check=True,
                   env=env, cwd=PROJECT_ROOT)  # fmt: skip


def start_gunicorn(
    env: dict, *, port: int, workers: int, log: Path, cwd: Path = PROJECT_ROOT
) -> subprocess.Popen:
    """Serve the checkout in cwd: gunicorn puts its directory first on sys.path."""
    command = [
        str(Path(PYTHON).parent / "gunicorn"),
        "config.wsgi",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--worker-class",
        "sync",
        # wrk keeps up to 16 connections waiting; the default backlog of 2048 is plenty.
        "--timeout",
        "60",
        "--graceful-timeout",
        "5",
    ]
    process = subprocess.Popen(
        command, env=env, cwd=cwd, stdout=log.open("w"), stderr=subprocess.STDOUT
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"bench: gunicorn stopped at start; see {log}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as answer:  # noqa: S310
                if answer.status == 200:
                    return process
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.5)
    process.terminate()
    raise SystemExit(f"bench: gunicorn did not answer /healthz within a minute; see {log}")


def prime_page_cache(base: str, paths_file: str) -> int:
    """Ask for every page of the file once, as visitors since the last change would have, so
    that the timed run measures pages already asked for (the page cache's steady state) rather
    than however many first visits a warm-up of a few seconds leaves. First visits have their
    own rows (lookup_cold, search_cold)."""
    from concurrent.futures import ThreadPoolExecutor

    paths = [line for line in Path(paths_file).read_text().splitlines() if line]

    def fetch(path: str) -> int:
        request = urllib.request.Request(  # noqa: S310 - our own server on loopback
            base + path, headers={"X-Forwarded-Proto": "https", "X-Forwarded-For": "10.255.0.1"}
        )
        with urllib.request.urlopen(request, timeout=30) as answer:  # noqa: S310
            answer.read()
            return answer.status

    with ThreadPoolExecutor(max_workers=8) as pool:
        statuses = list(pool.map(fetch, paths))
    refused = [status for status in statuses if status != 200]
    if refused:
        raise SystemExit(f"bench: {len(refused)} pages answered other than 200 while priming")
    return len(paths)


def run_wrk(
    wrk: str,
    *,
    script: str,
    url: str,
    args: list[str],
    seconds: int,
    connections: int,
    threads: int,
) -> dict:
    command = [
        wrk,
        f"-t{threads}",
        f"-c{connections}",
        f"-d{seconds}s",
        # A slow answer is latency, not an error: only one over 30 s counts as a timeout.
        "--timeout",
        "30s",
        "-s",
        str(WRK_DIR / script),
        url,
        "--",
        *args,
    ]
    result = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 120)
    for line in result.stdout.splitlines():
        if line.startswith("BENCH_JSON "):
            return json.loads(line.removeprefix("BENCH_JSON "))
    raise SystemExit(f"bench: wrk gave no result\n{result.stdout}\n{result.stderr}")


def summarise(name: str, label: str, raw: dict, *, connections: int) -> dict:
    seconds = raw["duration_us"] / 1e6
    errors = raw["errors"]
    row = {
        "name": name,
        "label": label,
        "connections": connections,
        "seconds": round(seconds, 1),
        "requests": raw["requests"],
        "requests_per_second": round(raw["requests"] / seconds, 1),
        "p50_ms": raw["latency_us"]["p50"] / 1000,
        "p95_ms": raw["latency_us"]["p95"] / 1000,
        "p99_ms": raw["latency_us"]["p99"] / 1000,
        "errors": sum(errors.values()),
        "errors_by_kind": errors,
    }
    if raw.get("wrong_answers"):
        # Answered, but not as every answer must be (a passport that did not verify).
        row["errors"] += raw["wrong_answers"]
        row["errors_by_kind"] = {**errors, "wrong_answers": raw["wrong_answers"]}
    if "submits" in raw and "submit_p50_us" not in raw:
        # One request a response: every request is a submit, and anything but a 201 (a
        # repeat, a refusal) is an error.
        row["submits"] = raw["submits"]
        row["errors"] = row["errors"] - errors["status"] + raw["submits_refused"]
        row["errors_by_kind"] = {**errors, "refused_by_the_site": raw["submits_refused"]}
    elif "submits" in raw:
        # Each response takes several requests (one per page, then the check-answers page).
        # The rate and latency that count are the submits': the final POST answered 302.
        row["requests_per_second_all_steps"] = row["requests_per_second"]
        row["p50_ms_all_steps"], row["p95_ms_all_steps"] = row["p50_ms"], row["p95_ms"]
        row["requests_per_second"] = round(raw["submits"] / seconds, 1)
        row["submits"] = raw["submits"]
        row["p50_ms"] = raw["submit_p50_us"] / 1000
        row["p95_ms"] = raw["submit_p95_us"] / 1000
        row["p99_ms"] = raw["submit_p99_us"] / 1000
        # Every step is checked for its redirect, so the refusals include wrk's status errors.
        row["errors"] = row["errors"] - errors["status"] + raw["submits_refused"]
        row["errors_by_kind"] = {**errors, "refused_by_the_site": raw["submits_refused"]}
        if raw.get("refusals"):
            # The last refusal each wrk thread saw, with the site's message.
            row["refusals"] = raw["refusals"]
    return row


def verdict(row: dict, floor: float) -> str:
    target = TARGETS.get(row["name"])
    if not target:
        return ""
    checks = []
    if "floor" in target:
        checks.append(row["requests_per_second"] >= target["floor"] * floor)
    if "p95_ms" in target:
        checks.append(row["p95_ms"] < target["p95_ms"])
    if "per_second" in target:
        checks.append(row["requests_per_second"] >= target["per_second"])
    checks.append(row["errors"] == 0)
    return "pass" if all(checks) else "MISS"


def table(results: dict) -> str:
    floor = results["rows"][0]["requests_per_second"]
    lines = [
        "| path | target | conns | req/s | p50 ms | p95 ms | p99 ms | errors | × floor | verdict |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for row in results["rows"]:
        lines.append(
            f"| {row['label']} | {row.get('target', '')} | {row['connections']} | "
            f"{row['requests_per_second']:,.0f} | {row['p50_ms']:.1f} | {row['p95_ms']:.1f} | "
            f"{row['p99_ms']:.1f} | {row['errors']} | "
            f"{row['requests_per_second'] / floor:.2f} | {row.get('verdict', '')} |"
        )
    return "\n".join(lines)


def write_doc_section(results: dict) -> None:
    machine = results["machine"]
    paragraphs = [
        "`make bench` (bench/full_stack.py) seeds its own PostgreSQL database, serves it with "
        "gunicorn and production settings, and loads each path with wrk. "
        "[docs/scaling.md](scaling.md) uses these figures to size a national service.",
        f"Last full-size run: {results['finished_at']}, {results['seeded']['entries']:,} "
        f"registered workers, {results['seeded']['training']:,} training records, "
        f"{results['seeded']['responses']:,} consultation responses, an employer with "
        f"{results['seeded']['staff']} staff. {machine['cpus']} CPUs, PostgreSQL "
        f"{machine['postgresql']} (shared_buffers {machine['shared_buffers']}), gunicorn "
        f"{results['server']['workers']} sync workers, cache {results['server']['cache']}. "
        f"Load average {machine['load_before']} before the load and {machine['load_after']} "
        f"after; the whole run took {results['total_minutes']} minutes end to end.",
        "Each path ran for "
        f"{results['seconds_per_path']} s after a {results['warmup_seconds']} s warm-up. "
        "Errors are non-2xx/3xx answers and socket errors. A consultation submit through the "
        "API is one POST of every answer with its own Idempotency-Key, counted on its 201. "
        "Answering through the pages is counted when the check-answers page answers with the "
        "redirect to the confirmation; its latency is that request's, and each response also "
        "posts its two answer pages first. Before the lookups of entries looked up before, each "
        "of their 2,000 pages is asked for once, so that they are served from the page cache "
        "as they would be between two changes to those entries. The first-visit lookups each "
        "ask for an entry that no other request of the run asks for, so none is served from "
        "the page cache. Name searches work the same way: the 2,000 searches of the row "
        "searched before (a third each surname, first name and surname, surname and town) are "
        "each made once first, and each first search is an address no other request of the "
        "run asks for. "
        f"Responses: {results['submit_check']}.",
    ]
    wrapped = [textwrap.fill(text, width=96, break_on_hyphens=False) for text in paragraphs]
    body = [
        DOC_START,
        "## make bench: the whole stack under load",
        "",
        wrapped[0],
        "",
        wrapped[1],
        "",
        table(results),
        "",
        wrapped[2],
        DOC_END,
    ]
    text = PERFORMANCE_DOC.read_text()
    if DOC_START in text:
        before, rest = text.split(DOC_START, 1)
        after = rest.split(DOC_END, 1)[1] if DOC_END in rest else ""
        text = before + "\n".join(body) + after
    else:
        text = text.rstrip("\n") + "\n\n" + "\n".join(body) + "\n"
    PERFORMANCE_DOC.write_text(text)


# --- The run ---------------------------------------------------------------------------------


def main() -> None:
    begun = time.perf_counter()
    scale_name = os.environ.get("BENCH_SCALE") or "full"
    if scale_name not in SCALES:
        raise SystemExit(f"bench: BENCH_SCALE must be one of {', '.join(SCALES)}")
    scale = dict(SCALES[scale_name])
    seconds = int(os.environ.get("BENCH_SECONDS") or scale["seconds"])
    warmup = int(os.environ.get("BENCH_WARMUP") or scale["warmup"])
    connections = int(os.environ.get("BENCH_CONNECTIONS") or 16)
    cpus = os.cpu_count() or 1
    workers = int(os.environ.get("BENCH_WORKERS") or 2 * cpus + 1)
    port = int(os.environ.get("BENCH_PORT") or free_port())
    database = os.environ.get("BENCH_DB") or f"careregister_bench_{scale_name}"
    if database.startswith("test") or not database.startswith("careregister_bench"):
        raise SystemExit("bench: BENCH_DB must start with careregister_bench (never a test DB).")
    reuse = os.environ.get("BENCH_REUSE") == "1"

    wrk = ensure_wrk()
    if not os.environ.get("BENCH_PG"):
        ensure_postgresql()
    WORK.mkdir(parents=True, exist_ok=True)
    secrets_file = WORK / f"{database}.secrets.json"
    exists = psql("postgres", f"SELECT 1 FROM pg_database WHERE datname = '{database}'") == "1"  # noqa: S608
    seeded_marker = WORK / f"{database}.seeded.json"
    reusing = (
        reuse
        and exists
        and secrets_file.exists()
        and seeded_marker.exists()
        and json.loads(seeded_marker.read_text()) == scale
    )
    if reusing:
        keys = json.loads(secrets_file.read_text())
    else:
        keys = throwaway_secrets()
        secrets_file.write_text(json.dumps(keys))
        seeded_marker.unlink(missing_ok=True)

    cache, cache_label = cache_url(key_prefix=f"bench-{int(time.time())}")
    env = server_env(database=database, cache=cache, keys=keys)
    say(f"{scale_name} scale into {database}; cache: {cache_label}; {workers} gunicorn workers")
    timings: dict[str, float] = {}
    if not reusing:
        if exists:
            psql("postgres", f'DROP DATABASE "{database}" WITH (FORCE)')
        psql("postgres", f'CREATE DATABASE "{database}"')
        manage = [PYTHON, "manage.py"]
        run_step("migrate", [*manage, "migrate", "--noinput", "-v0"], env, timings)
        run_step(
            f"seed {scale['entries']:,} register entries",
            [PYTHON, "bench/seed_register.py", "--entries", str(scale["entries"])],
            env,
            timings,
        )
        run_step(
            f"seed {scale['training']:,} training records",
            [PYTHON, "bench/seed_training.py", "--records", str(scale["training"])],
            env,
            timings,
        )
    if cache.startswith("dbcache"):
        subprocess.run([PYTHON, "manage.py", "createcachetable"], check=True, env=env)
    run_step(
        "collect static files (production serves hashed names)",
        [PYTHON, "manage.py", "collectstatic", "--noinput", "-v0"],
        env,
        timings,
    )
    say("seed the employer's staff, passports and the consultation; write the wrk inputs")
    started = time.perf_counter()
    prepared = json.loads(
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
    timings["staff, passports, consultation"] = round(time.perf_counter() - started, 1)
    subprocess.run(["psql", env["DATABASE_URL"], "-qc", "VACUUM ANALYZE"], check=True)
    seeded_marker.write_text(json.dumps(scale))
    seed_minutes = round((time.perf_counter() - begun) / 60, 1)

    paths = [
        ("healthz", "GET /healthz (the floor)", "get.lua", [_write_paths("healthz", ["/healthz"])]),
        (
            "lookup",
            "register entry by number, each looked up before",
            "get.lua",
            [str(WORK / "lookup.txt")],
        ),
        (
            "lookup_cold",
            "register entry by number, every one a first visit",
            "get.lua",
            [str(WORK / "lookup_cold.txt")],
        ),
        ("search", "name search, each searched before", "get.lua", [str(WORK / "search.txt")]),
        (
            "search_cold",
            "name search, every one a first search",
            "get.lua",
            [str(WORK / "search_cold.txt")],
        ),
        (
            "verify",
            "POST /api/v1/passports/verify",
            "post_json.lua",
            [str(WORK / "verify.txt"), prepared["verify_path"], '"valid":true'],
        ),
        (
            "submit",
            "consultation submit (API, one request a response)",
            "consultation_api.lua",
            [str(WORK / "consultation_api.txt")],
        ),
        (
            "submit_pages",
            "consultation answered through its pages (3 POSTs a response)",
            "consultation_flow.lua",
            [str(WORK / "consultation.txt")],
        ),
        (
            "staff",
            "employer staff dashboard (500 staff)",
            "get.lua",
            [str(WORK / "staff.txt"), prepared["staff_cookie"]],
        ),
    ]
    log = WORK / "gunicorn.log"
    server = start_gunicorn(env, port=port, workers=workers, log=log)
    load_before = os.getloadavg()
    rows = []
    stored: dict[str, int] = {}
    try:
        base = f"http://127.0.0.1:{port}"
        for number, (name, label, script, args) in enumerate(paths):
            threads = connections if script == "consultation_flow.lua" else min(connections, 4)
            flow = script == "consultation_flow.lua"
            # The submit scripts name each run, so that no two runs share an idempotency key.
            run_id = f"{number}{int(time.time()) % 100000}"
            extra = [f"w{run_id}", "0"] if flow else []
            if script == "consultation_api.lua":
                extra = [f"w{run_id}"]
            if name in ("lookup", "search"):
                primed = prime_page_cache(base, args[0])
                say(f"{label}: each of its {primed:,} pages asked for once first")
            say(f"{label}: {warmup} s warm-up, {seconds} s timed, {connections} connections")
            run_wrk(
                wrk,
                script=script,
                url=base,
                args=[*args, *extra],
                seconds=warmup,
                connections=connections,
                threads=threads,
            )
            extra = [f"t{run_id}", str(connections)] if flow else []
            if script == "consultation_api.lua":
                extra = [f"t{run_id}"]
            if name.startswith("submit"):
                before = count_responses(database, prepared["consultation_id"])
            raw = run_wrk(
                wrk,
                script=script,
                url=base,
                args=[*args, *extra],
                seconds=seconds,
                connections=connections,
                threads=threads,
            )
            if name.startswith("submit"):
                stored[name] = count_responses(database, prepared["consultation_id"]) - before
            row = summarise(name, label, raw, connections=connections)
            rows.append(row)
            print(
                f"   {row['requests_per_second']:>9,.1f}/s  p50 {row['p50_ms']:.1f} ms  "
                f"p95 {row['p95_ms']:.1f} ms  p99 {row['p99_ms']:.1f} ms  "
                f"errors {row['errors']}",
                flush=True,
            )
    finally:
        load_after = os.getloadavg()
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()

    floor = rows[0]["requests_per_second"]
    for row in rows:
        row["ratio_to_floor"] = round(row["requests_per_second"] / floor, 3)
        target = TARGETS.get(row["name"], {})
        row["target"] = ", ".join(
            f"≥ {value}× floor"
            if key == "floor"
            else f"p95 < {value:g} ms"
            if key == "p95_ms"
            else f"≥ {value:,.0f}/s"
            for key, value in target.items()
        )
        if target:
            row["target"] += ", 0 errors"
        row["verdict"] = verdict(row, floor)
    checks = []
    for submit in (row for row in rows if row["name"] in stored):
        submit["stored_during_timed_run"] = stored[submit["name"]]
        # A few more may be stored than wrk counted: those whose answer was still on its way
        # when wrk stopped. Fewer would mean a lost response.
        check = (
            f"{stored[submit['name']]:,} responses stored during the timed {submit['name']} run, "
            f"for {submit['submits']:,} submits answered within it"
        )
        if stored[submit["name"]] < submit["submits"]:
            submit["verdict"] = "MISS"
            check += ": RESPONSES LOST"
        checks.append(check)
    submit_check = "; ".join(checks)
    version = psql(database, "SHOW server_version")
    shared_buffers = psql(database, "SHOW shared_buffers")
    results = {
        "command": f"make bench BENCH_SCALE={scale_name}",
        "scale": scale_name,
        "seeded": {key: scale[key] for key in ("entries", "training", "responses", "staff")},
        "finished_at": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "seconds_per_path": seconds,
        "warmup_seconds": warmup,
        "machine": {
            "cpus": cpus,
            "python": platform.python_version(),
            "postgresql": version,
            "shared_buffers": shared_buffers,
            "load_before": " ".join(f"{value:.2f}" for value in load_before),
            "load_after": " ".join(f"{value:.2f}" for value in load_after),
        },
        "server": {
            "gunicorn_workers": workers,
            "workers": workers,
            "worker_class": "sync",
            "cache": cache_label,
            "database": database,
            "passports": prepared["passports"],
        },
        "seed_timings_seconds": timings,
        "seed_minutes": seed_minutes,
        "submit_check": submit_check,
        "rows": rows,
    }
    results["total_minutes"] = round((time.perf_counter() - begun) / 60, 1)
    RESULTS.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    if scale_name == "full":
        write_doc_section(results)
    print()
    print(table(results))
    print(
        f"\nload average {results['machine']['load_before']} before the load, "
        f"{results['machine']['load_after']} after; {submit_check}; seeding {seed_minutes} min, "
        f"whole run {results['total_minutes']} min. Written: {RESULTS.relative_to(PROJECT_ROOT)}"
        + (", docs/performance.md" if scale_name == "full" else "")
    )
    if any(row["verdict"] == "MISS" for row in rows):
        print("bench: at least one target missed (see the verdict column).")


def _write_paths(name: str, paths: list[str]) -> str:
    target = WORK / f"{name}.txt"
    target.write_text("".join(path + "\n" for path in paths))
    return str(target)


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--prepare":
        sys.path.insert(0, str(PROJECT_ROOT))
        os.chdir(PROJECT_ROOT)
        print(json.dumps(prepare_inputs(json.loads(sys.argv[2]))))
    else:
        main()
