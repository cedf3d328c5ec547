"""The jobs service at national size (issue 20): 50,000 live vacancies beside the 1.5 million
register entries, on PostgreSQL, served by gunicorn with production settings.

    make bench                                  # after full_stack.py; or alone:
    .venv/bin/python bench/jobs.py              # full size, database careregister_bench_jobs_full
    BENCH_SCALE=small .venv/bin/python bench/jobs.py
    DATABASE_URL=postgres://…/name .venv/bin/python bench/jobs.py   # a database of your own
    .venv/bin/python bench/jobs.py --alerts-only   # seed if need be, then only the alerts row
    .venv/bin/python bench/jobs.py --apply-only    # the floor and applying only (see below)

On the first run it migrates the database and seeds it, with the keys the servers use: the
register (bench/seed_register.py, BENCH_JOBS_ENTRIES entries, 1.5 million by default), the
packaged towns, 500 verified employers and the vacancies; later runs keep them
(BENCH_JOBS_RESEED=1 seeds the vacancies again).
Each run then measures, and prints, with the issue's targets:

1. **search in process**: 500 searches within 25 miles of a town in England with two filters
   (a setting and a lowest hourly pay), as the /jobs/ page asks them: the form, then the first
   page of 20 rows with the count of all (core.pagination, one query). One client: p50 and
   p95, target p95 under 30 ms.
2. **search over HTTP, one connection** (wrk -c1 on /jobs/?where=…&miles=25&setting=…&min_pay=…):
   the same searches through the whole stack; p95 under 30 ms.
3. **the floor and a vacancy page**: wrk with 16 connections on /healthz, then on 2,000
   vacancy pages each asked for once before (the page cache's steady state: a vacancy is seen
   by many people, and jobs/page_cache.py keeps it until it changes); the vacancy page must
   reach 0.6 × the floor in the same run. Then the same on the other vacancies, every visit a
   first one (the cold row: no target, shown so that the cache's part is plain).
4. **applying** and 5. **job alerts**: see `apply_rows` and `alerts_row` below.

With `--apply-only` a run seeds as usual but measures only the floor (/healthz) and applying,
and prints them without writing the results file: for working on applying. Each run uses up
10,500 registered workers who have not applied; deleting the database's jobs applications
gives them back.

Settings, as environment variables: BENCH_SCALE (full, small), BENCH_JOBS_ENTRIES (1500000),
BENCH_JOBS_VACANCIES (50000), BENCH_JOBS_ALERTS (100000), BENCH_SECONDS (15),
BENCH_WARMUP (3), BENCH_CONNECTIONS (16), BENCH_WORKERS (2 × CPUs + 1). The results go to
bench/results_jobs.json; docs/performance.md quotes them. With --alerts-only no server starts
and only the alerts row is measured and printed; the results file is left as it was.
"""

# ruff: noqa: S603, S607 - runs this project's own tools (wrk, gunicorn) with fixed arguments
import json
import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

PROJECT_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_ROOT))

from bench.full_stack import (  # noqa: E402
    PG_SERVER,
    WORK,
    cache_url,
    database_ready,
    ensure_postgresql,
    ensure_wrk,
    free_port,
    prime_page_cache,
    run_wrk,
    say,
    server_env,
    servers_ready,
    start_gunicorn,
    summarise,
)

RESULTS = PROJECT_ROOT / "bench" / "results_jobs.json"
KEYS_FILE = PROJECT_ROOT / "var" / "bench-keys.json"
SEED_MARK = "Bench Jobs Employer "

TARGETS = {
    "search_in_process": {"p95_ms": 30.0},
    "search_http": {"p95_ms": 30.0},
    "vacancy": {"floor": 0.6},
    "apply": {"per_second": 100.0},
    # 100,000 saved searches in under 5 minutes: 333 a second, whatever number a run uses.
    "alerts": {"per_second": 100_000 / 300},
}

# English towns with a care market of their own, spread over the country, for the vacancies
# and for the places people search from.
TOWNS = [
    "Leeds", "Manchester", "Birmingham", "Bristol", "Sheffield", "Liverpool", "Newcastle upon Tyne",
    "Nottingham", "Leicester", "Coventry", "Bradford", "Hull", "Plymouth", "Stoke-on-Trent",
    "Wolverhampton", "Derby", "Southampton", "Portsmouth", "Norwich", "York", "Exeter", "Ipswich",
    "Cambridge", "Oxford", "Reading", "Brighton", "Canterbury", "Lincoln", "Carlisle", "Preston",
    "Blackpool", "Bolton", "Sunderland", "Middlesbrough", "Doncaster", "Peterborough",
    "Northampton", "Luton", "Milton Keynes", "Swindon", "Gloucester", "Worcester", "Hereford",
    "Shrewsbury", "Chester", "Lancaster", "Kendal", "Harrogate", "Scarborough", "Durham",
    "Truro", "Taunton", "Bath", "Salisbury", "Bournemouth", "Chelmsford", "Colchester",
    "Maidstone", "Guildford", "Basingstoke",
]  # fmt: skip


def _django():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()


# --- Seeding (in a child process with Django set up) --------------------------------------


def seed_vacancies(*, count: int, rng: random.Random) -> int:
    """`count` published vacancies from 500 verified employers, each a few miles from one of
    TOWNS, with varied terms; their search columns worked out by jobs.search, as the services
    would. Returns how many were made (0 when the database holds them already)."""
    import datetime
    from decimal import Decimal

    from django.db import transaction
    from django.utils import timezone

    from accounts.models import Membership, Organisation, User
    from employers.models import EmployerVerification
    from jobs.models import Place, ScreeningQuestion, Vacancy
    from jobs.places import places_load_package_towns
    from jobs.search import vacancy_search_columns
    from register.models import PathwayRole

    have = Vacancy.objects.filter(organisation__name__startswith=SEED_MARK).count()
    if have >= count and os.environ.get("BENCH_JOBS_RESEED") != "1":
        return 0
    if not Place.objects.filter(kind=Place.Kind.TOWN).exists():
        places_load_package_towns()
    towns = []
    for name in TOWNS:
        place = Place.objects.filter(kind=Place.Kind.TOWN, key=name.lower()).first()
        if place is not None:
            towns.append((name, place))
    if len(towns) < 20:
        raise SystemExit("bench: the packaged towns did not load (jobs.places)")

    roles = list(PathwayRole.objects.all())
    today = timezone.localdate()
    now = timezone.now()
    with transaction.atomic():
        Vacancy.objects.filter(organisation__name__startswith=SEED_MARK).delete()
        registrar, _ = User.objects.get_or_create(
            email="bench-registrar@example.org",
            defaults={"full_name": "Bench Registrar", "is_registrar": True, "is_staff": True},
        )
        employers = []
        for number in range(500):
            organisation, _ = Organisation.objects.get_or_create(
                name=f"{SEED_MARK}{number:03d}", kind=Organisation.Kind.EMPLOYER
            )
            owner, _ = User.objects.get_or_create(
                email=f"bench-jobs-owner-{number}@bench.invalid",
                defaults={"full_name": f"Owner {number}"},
            )
            Membership.objects.get_or_create(
                user=owner, organisation=organisation, defaults={"role": Membership.Role.OWNER}
            )
            EmployerVerification.objects.get_or_create(
                organisation=organisation, defaults={"verified_by": registrar}
            )
            employers.append((organisation, owner))

        settings = list(Vacancy.Setting.values)
        contracts = list(Vacancy.Contract.values)
        batch = []
        for index in range(count):
            organisation, owner = employers[index % len(employers)]
            town, place = towns[rng.randrange(len(towns))]
            setting = settings[rng.randrange(len(settings))]
            home_care = setting == Vacancy.Setting.HOME_CARE
            hourly = Decimal(rng.randrange(1280, 1700)) / 100
            vacancy = Vacancy(
                organisation=organisation,
                created_by=owner,
                title=rng.choice(
                    [
                        "Care assistant",
                        "Senior carer",
                        "Night carer",
                        "Support worker",
                        "Home carer",
                        "Care team leader",
                        "Activities coordinator",
                    ]
                ),  # fmt: skip
                pathway_role=roles[rng.randrange(len(roles))] if roles else None,
                setting=setting,
                workplace_name=f"{town} {rng.choice(['House', 'Lodge', 'Court', 'Care'])}",
                address_line=f"{rng.randrange(1, 200)} High Street",
                town=town,
                postcode="",
                pay_kind=Vacancy.PayKind.HOURLY,
                pay_amount=hourly,
                contract=contracts[rng.randrange(len(contracts))],
                guaranteed_hours=Decimal(rng.choice([0, 16, 24, 30, 37.5])),
                typical_hours=Decimal(rng.choice([20, 30, 37.5, 40])),
                works_days=True,
                works_nights=rng.random() < 0.3,
                works_weekends=rng.random() < 0.6,
                shift_length_hours=Decimal(rng.choice([6, 8, 12])),
                driving_needed=home_care and rng.random() < 0.8,
                mileage_pence_per_mile=Decimal("30") if home_care else None,
                travel_time_paid=(rng.random() < 0.5) if home_care else None,
                sick_pay_beyond_statutory=rng.random() < 0.3,
                dbs_paid_by=Vacancy.DbsPaidBy.EMPLOYER,
                visa_sponsorship=(
                    Vacancy.VisaSponsorship.IN_COUNTRY_SWITCH
                    if rng.random() < 0.2
                    else Vacancy.VisaSponsorship.NONE
                ),
                paid_trial_offered=rng.random() < 0.4,
                closing_date=today + datetime.timedelta(days=rng.randrange(7, 60)),
                start_date=today + datetime.timedelta(days=rng.randrange(60, 90)),
                description="Support the people we care for with their day. " * 8,
                status=Vacancy.Status.PUBLISHED,
                published_at=now - datetime.timedelta(minutes=rng.randrange(1, 60 * 24 * 30)),
            )
            if home_care and vacancy.travel_time_paid is False:
                vacancy.unpaid_travel_minutes_per_hour = rng.choice([5, 10, 15])
            vacancy.status_changed_at = vacancy.published_at
            for name, value in vacancy_search_columns(vacancy).items():
                setattr(vacancy, name, value)
            # Within about six miles of the town's centre, as a county's workplaces are.
            vacancy.latitude = place.latitude + rng.uniform(-0.08, 0.08)
            vacancy.longitude = place.longitude + rng.uniform(-0.12, 0.12)
            batch.append(vacancy)
            if len(batch) == 5000:
                Vacancy.objects.bulk_create(batch)
                batch = []
        Vacancy.objects.bulk_create(batch)
        # A fifth of the vacancies ask screening questions, as the demo's do.
        questions = [
            ScreeningQuestion(vacancy=vacancy, position=0, text="Do you have a driving licence?")
            for vacancy in Vacancy.objects.filter(organisation__name__startswith=SEED_MARK)
            .only("id")
            .order_by("id")[::5]
        ]
        ScreeningQuestion.objects.bulk_create(questions, batch_size=5000)
    return count


def towns_found() -> list[str]:
    """The names of TOWNS that the places table holds (the packaged list has most of them)."""
    from jobs.places import place_find

    return [name for name in TOWNS if place_find(name) is not None]


def search_params(rng: random.Random, count: int) -> list[dict]:
    """The searches people would make: within 25 miles of a town, with two filters."""
    from jobs.models import Vacancy

    towns = towns_found()

    settings = [
        Vacancy.Setting.CARE_HOME,
        Vacancy.Setting.HOME_CARE,
        Vacancy.Setting.SUPPORTED_LIVING,
    ]
    return [
        {
            "where": rng.choice(towns),
            "miles": "25",
            "setting": rng.choice(settings),
            "min_pay": rng.choice(["12.50", "13.00", "14.00"]),
        }
        for _ in range(count)
    ]


def search_in_process(params: list[dict]) -> dict:
    """The /jobs/ page's search without HTTP: the form, the count and the first page."""
    from django.db import connection

    from core.pagination import page_with_count
    from jobs.search import VacancySearchForm, vacancy_search

    timings, found = [], []
    for index, query in enumerate(params):
        started = time.perf_counter()
        form = VacancySearchForm(query)
        if not form.is_valid():
            raise SystemExit(f"bench: the search {query} was refused: {form.errors.as_text()}")
        page = page_with_count(vacancy_search(criteria=form.criteria()), 1, 20)
        rows = list(page.object_list)
        elapsed = (time.perf_counter() - started) * 1000
        if index >= 20:  # the first few warm the connection and the caches
            timings.append(elapsed)
            found.append(page.paginator.count)
        assert all(row.distance_miles <= 25 for row in rows)
    with connection.cursor() as cursor:
        query = vacancy_search(criteria=VacancySearchForm(params[0]).criteria())
        sql, sql_params = query.query.sql_with_params()
        cursor.execute(f"EXPLAIN {sql}", sql_params)  # noqa: S608 - the ORM's own SQL
        plan = [row[0] for row in cursor.fetchall()]
    timings.sort()
    return {
        "name": "search_in_process",
        "label": "search within 25 miles + setting + lowest pay, in process, one client",
        "searches": len(timings),
        "p50_ms": round(statistics.median(timings), 2),
        "p95_ms": round(timings[int(len(timings) * 0.95) - 1], 2),
        "max_ms": round(timings[-1], 2),
        "median_found": int(statistics.median(found)),
        "plan": plan,
    }


def prepare(count: int) -> dict:
    """In a child process with the bench environment: seed, time the in-process search, and
    write the files the wrk scripts read."""
    _django()
    from jobs.models import Vacancy

    rng = random.Random(20)
    started = time.perf_counter()
    made = seed_vacancies(count=count, rng=rng)
    seeded_seconds = round(time.perf_counter() - started, 1)
    if made:
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE jobs_vacancy")
    live = Vacancy.objects.filter(status=Vacancy.Status.PUBLISHED).count()
    params = search_params(rng, 520)
    search_row = search_in_process(params)
    WORK.mkdir(parents=True, exist_ok=True)
    (WORK / "jobs_search.txt").write_text(
        "".join(f"/jobs/?{urlencode(query)}\n" for query in params)
    )
    references = Vacancy.objects.filter(status=Vacancy.Status.PUBLISHED).values_list(
        "reference", flat=True
    )
    shuffled = list(references.order_by("?"))
    sample, cold = shuffled[:2000], shuffled[2000:]
    (WORK / "jobs_vacancy.txt").write_text("".join(f"/jobs/{ref}/\n" for ref in sample))
    # Far more vacancies than a run can visit: each visit is a first one, never a page kept in
    # the cache (jobs/page_cache.py).
    (WORK / "jobs_vacancy_cold.txt").write_text("".join(f"/jobs/{ref}/\n" for ref in cold))
    (WORK / "jobs_healthz.txt").write_text("/healthz\n")
    return {
        "live_vacancies": live,
        "seeded": made,
        "seed_seconds": seeded_seconds,
        "search_row": search_row,
    }


# --- The run (no Django in this process) ----------------------------------------------------


def verdict(row: dict, floor: float | None) -> str:
    target = TARGETS.get(row["name"], {})
    checks = [row.get("errors", 0) == 0]
    if not target and row["name"] != "healthz":
        return "no target" if all(checks) else "ERRORS"
    if "floor" in target and floor:
        checks.append(row["requests_per_second"] >= target["floor"] * floor)
    if "p95_ms" in target:
        checks.append(row["p95_ms"] < target["p95_ms"])
    if "per_second" in target:
        checks.append(
            row.get("per_second", row.get("requests_per_second", 0)) >= target["per_second"]
        )
    return "pass" if all(checks) else "MISS"


SCALES = {
    "full": {"entries": 1_500_000, "vacancies": 50_000, "alerts": 100_000, "seconds": 15},
    "small": {"entries": 20_000, "vacancies": 5_000, "alerts": 2_000, "seconds": 5},
}


def main(*, alerts_only: bool = False, apply_only: bool = False) -> None:
    scale_name = os.environ.get("BENCH_SCALE") or "full"
    if scale_name not in SCALES:
        raise SystemExit(f"bench: BENCH_SCALE must be one of {', '.join(SCALES)}")
    scale = SCALES[scale_name]
    database_url = os.environ.get("DATABASE_URL", "")
    if not database_url.startswith("postgres"):
        # `make bench`: a database of its own on the bench's PostgreSQL server.
        ensure_postgresql()
        database_url = f"{PG_SERVER}/careregister_bench_jobs_{scale_name}"
    database = database_ready(database_url)
    os.environ.setdefault("BENCH_JOBS_ENTRIES", str(scale["entries"]))
    os.environ.setdefault("BENCH_JOBS_ALERTS", str(scale["alerts"]))
    count = int(os.environ.get("BENCH_JOBS_VACANCIES") or scale["vacancies"])
    seconds = int(os.environ.get("BENCH_SECONDS") or scale["seconds"])
    warmup = int(os.environ.get("BENCH_WARMUP") or 3)
    connections = int(os.environ.get("BENCH_CONNECTIONS") or 16)
    workers = int(os.environ.get("BENCH_WORKERS") or 2 * (os.cpu_count() or 1) + 1)
    if not KEYS_FILE.exists():
        # The machine's own bench keys, as the other scripts use (bench.run_without_debug).
        from bench import run_without_debug

        run_without_debug()
    wrk = None if alerts_only else ensure_wrk()

    keys = json.loads(KEYS_FILE.read_text())
    cache, cache_label = cache_url(key_prefix=f"bench-jobs-{int(time.time())}")
    env = server_env(database=database, cache=cache, keys=keys)
    env["DATABASE_URL"] = database_url
    say(f"migrate {database}; cache: {cache_label}")
    servers_ready(env, cache=cache)
    entries = int(os.environ.get("BENCH_JOBS_ENTRIES") or 1_500_000)
    held = _child(env, "--count-entries")["entries"]
    if held == 0:
        # Seeded here, with the keys the servers use: a register seeded with other keys could
        # not be read (its columns are encrypted).
        say(f"seed {entries:,} register entries (once)")
        subprocess.run([sys.executable, "bench/seed_register.py", "--entries", str(entries)],
                       check=True, env=env, cwd=PROJECT_ROOT)  # fmt: skip
    say(f"seed {count:,} vacancies (once), time the search in process")
    prepared = _child(env, "--prepare", str(count))
    rows = [prepared["search_row"]]
    extra = {key: prepared[key] for key in ("live_vacancies", "seeded", "seed_seconds")}
    if alerts_only:
        row = alerts_row(env=env)
        row["verdict"] = verdict(row, None)
        print(f"\n{extra['live_vacancies']:,} live vacancies")
        print(f"{row['label']}: {row['seconds']} s; {row['other']}; {row['verdict']}")
        return

    port = free_port()
    log = WORK / "jobs-gunicorn.log"
    server = start_gunicorn(env, port=port, workers=workers, log=log)
    base = f"http://127.0.0.1:{port}"
    try:
        plan = [
            ("healthz", "GET /healthz (the floor)", "jobs_healthz.txt", connections),
            ("vacancy", "a vacancy's page, each visited before", "jobs_vacancy.txt",
             connections),
            ("vacancy_cold", "a vacancy's page, every one a first visit",
             "jobs_vacancy_cold.txt", connections),
            ("search_http", "search within 25 miles + two filters, one connection",
             "jobs_search.txt", 1),
        ]  # fmt: skip
        if apply_only:
            plan = plan[:1]
        for name, label, paths, conns in plan:
            if name == "vacancy":
                say(f"{prime_page_cache(base, str(WORK / paths)):,} vacancy pages asked for once")
            say(f"{label}: {conns} connection(s), {seconds} s after {warmup} s warm-up")
            common = {"script": "get.lua", "url": base, "args": [str(WORK / paths)],
                      "connections": conns, "threads": min(conns, 2)}  # fmt: skip
            run_wrk(wrk, seconds=warmup, **common)
            rows.append(summarise(name, label, run_wrk(wrk, seconds=seconds, **common),
                                  connections=conns))  # fmt: skip
        rows += apply_rows(wrk=wrk, env=env, base=base, seconds=seconds, connections=connections)
    finally:
        server.terminate()
        server.wait(timeout=30)
    if not apply_only:
        rows.append(alerts_row(env=env))

    floor = next(row["requests_per_second"] for row in rows if row["name"] == "healthz")
    for row in rows:
        row["verdict"] = verdict(row, floor)
        if "requests_per_second" in row:
            row["x_floor"] = round(row["requests_per_second"] / floor, 2)
    if not apply_only:
        RESULTS.write_text(json.dumps({"rows": rows, **extra}, indent=2) + "\n")
    print()
    print(f"{extra['live_vacancies']:,} live vacancies; {workers} gunicorn workers; {cache_label}")
    print("| row | req/s | p50 ms | p95 ms | × floor | other | verdict |")
    print("| --- | ---: | ---: | ---: | ---: | --- | --- |")
    for row in rows:
        other = row.get("other", "")
        if row["name"] == "search_in_process":
            other = f"{row['searches']} searches, median {row['median_found']} found"
        print(
            f"| {row['label']} | {row.get('requests_per_second', '')} | {row.get('p50_ms', '')} "
            f"| {row.get('p95_ms', '')} | {row.get('x_floor', '')} | {other} | {row['verdict']} |"
        )
    if not apply_only:
        print(f"\nWritten: {RESULTS.relative_to(PROJECT_ROOT)}")


APPLY_WARMUP_LINES = 1500
APPLY_TIMED_LINES = 9000


def prepare_apply() -> dict:
    """In a child process: signed-in sessions of registered workers who have not applied yet,
    each holding the answers of the first two screens for one vacancy (one without screening
    questions), as a person reaching the third screen has; written as the lines of
    bench/wrk/apply_once_each.lua, one file for the warm-up and one for the timed run. Each
    applicant applies once: the limit of APPLICATIONS_PER_HOUR a person stays as it is."""
    _django()
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.db.models import Exists, OuterRef
    from django.middleware.csrf import _get_new_csrf_string
    from django.urls import reverse

    from accounts.models import User
    from jobs.models import Application, ScreeningQuestion, Vacancy
    from register.models import RegisterEntry

    rng = random.Random(33)
    wanted = APPLY_WARMUP_LINES + APPLY_TIMED_LINES
    vacancies = list(
        Vacancy.objects.filter(
            status=Vacancy.Status.PUBLISHED, organisation__name__startswith=SEED_MARK
        )
        .exclude(Exists(ScreeningQuestion.objects.filter(vacancy=OuterRef("pk"))))
        .values_list("reference", flat=True)[:5000]
    )
    workers = list(
        User.objects.filter(
            Exists(
                RegisterEntry.objects.filter(
                    worker=OuterRef("pk"), status=RegisterEntry.Status.REGISTERED
                )
            )
        )
        .exclude(Exists(Application.objects.filter(applicant=OuterRef("pk"))))
        .order_by("pk")[:wanted]
    )
    if len(workers) < wanted:
        raise SystemExit(f"bench: only {len(workers)} registered workers have not applied yet")
    backend = settings.AUTHENTICATION_BACKENDS[0]
    lines = []
    for worker in workers:
        reference = rng.choice(vacancies)
        session = SessionStore()
        session[SESSION_KEY] = str(worker.pk)
        session[BACKEND_SESSION_KEY] = backend
        session[HASH_SESSION_KEY] = worker.get_session_auth_hash()
        session[f"jobs-apply-{reference}"] = {
            "statement": "I have worked in care for three years and love helping people stay "
            "independent at home. " * 6,
            "availability": "Any weekday from next month.",
            "phone": "07700 900123",
            "screening": {},
            "shares_identity_checks": rng.random() < 0.5,
        }
        session.create()
        path = reverse("jobs:apply-check", args=[reference])
        lines.append(f"{path}\t{session.session_key}\t{_get_new_csrf_string()}")
    (WORK / "jobs_apply_warmup.txt").write_text("\n".join(lines[:APPLY_WARMUP_LINES]) + "\n")
    (WORK / "jobs_apply.txt").write_text("\n".join(lines[APPLY_WARMUP_LINES:]) + "\n")
    return {
        "applications_before": Application.objects.count(),
        "applicants": [worker.pk for worker in workers[APPLY_WARMUP_LINES:]],
    }


def applications_of(applicants: list[int]) -> int:
    _django()
    from jobs.models import Application

    return Application.objects.filter(applicant_id__in=applicants).count()


def apply_rows(*, wrk: str, env: dict, base: str, seconds: int, connections: int) -> list[dict]:
    """Applying: the third screen's Send, each by a different signed-in worker, with 16
    connections for `seconds`; then every Send answered 302 is looked for in the database."""
    say("applying: sessions for the applicants (untimed)")
    prepared = _child(env, "--prepare-apply")
    threads = 2
    common = {"script": "apply_once_each.lua", "url": base, "connections": connections,
              "threads": threads}  # fmt: skip
    run_wrk(wrk, seconds=3, args=[str(WORK / "jobs_apply_warmup.txt"), str(threads)], **common)
    say(f"applying: {connections} connections, {seconds} s")
    raw = run_wrk(wrk, seconds=seconds, args=[str(WORK / "jobs_apply.txt"), str(threads)],
                  **common)  # fmt: skip
    row = summarise("apply", "apply: the third screen's Send, each by another worker", raw,
                    connections=connections)  # fmt: skip
    stored = _child(env, "--count-applications", json.dumps(prepared["applicants"]))["stored"]
    row["stored"] = stored
    row["other"] = f"{raw['submits']} accepted, {stored} stored"
    if raw.get("repeats"):
        row["errors"] += raw["repeats"]
        row["other"] += f", {raw['repeats']} repeats (too few lines)"
    # wrk stops counting at the end of the run with up to one request a connection still in
    # flight: those are stored without their answer being counted. Fewer stored than
    # accepted is a lost application; more than the connections could carry is a double.
    if stored < raw["submits"] or stored > raw["submits"] + connections:
        row["errors"] += 1
        row["other"] += ": LOST OR DOUBLED"
    else:
        row["other"] += f" (the {stored - raw['submits']} more were in flight when wrk stopped)"
    if raw.get("refusal"):
        row["refusal"] = raw["refusal"]
    return [row]


def alerts_measure() -> dict:
    """In a child process: 100,000 confirmed daily alerts on up to 9,600 different searches
    (made once, kept; about 9,400 in practice), each last covered a day ago, then one run of
    send_job_alerts timed, and a second run to show it sends nothing twice."""
    ALERTS = int(os.environ.get("BENCH_JOBS_ALERTS") or 100_000)  # noqa: N806
    _django()
    import datetime
    import secrets

    from django.db import connection
    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    from accounts.models import User
    from jobs.models import JobAlert, JobAlertRun
    from jobs.services import alerts

    rng = random.Random(44)
    now = timezone.localtime().replace(hour=9, minute=0, second=0, microsecond=0)
    yesterday = now - datetime.timedelta(days=1)
    if JobAlert.objects.count() != ALERTS:
        JobAlert.objects.all().delete()
        searches = []
        for town in towns_found():
            for miles in ("5", "10", "25", "50"):
                for setting in ("", "care_home", "home_care", "supported_living", "day_service"):
                    for min_pay in ("", "12.50", "13.50", "14.50"):
                        for keyword in ("", "senior"):
                            query = {"where": town, "miles": miles, "setting": setting,
                                     "min_pay": min_pay, "keyword": keyword}  # fmt: skip
                            searches.append({k: v for k, v in query.items() if v})
        rng.shuffle(searches)
        searches = [alerts.saved_search_read(query) for query in searches[:20_000]]
        owner, _ = User.objects.get_or_create(
            email="bench-alerts@bench.invalid", defaults={"full_name": "Bench Alerts"}
        )
        batch = []
        for number in range(ALERTS):
            search = searches[rng.randrange(len(searches))]
            alert = JobAlert(
                user=owner if number % 10 == 0 else None,
                email=f"alert.{number}@bench.invalid",
                query=search.query,
                query_key=search.key,
                frequency=JobAlert.Frequency.DAILY,
                status=JobAlert.Status.ACTIVE,
                unsubscribe_nonce=secrets.token_hex(32),
                created_at=yesterday - datetime.timedelta(days=2),
                confirmed_at=yesterday - datetime.timedelta(days=2),
            )
            alert.unsubscribe_hash = alerts._hash(alerts.unsubscribe_token(alert))
            batch.append(alert)
        JobAlert.objects.bulk_create(batch, batch_size=5000)
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE jobs_jobalert")
    JobAlertRun.objects.all().delete()
    JobAlert.objects.update(covered_until=yesterday)
    queued_before = DBTaskResult.objects.count()
    started = time.perf_counter()
    run = alerts.job_alerts_send(now=now)
    seconds = time.perf_counter() - started
    queued = DBTaskResult.objects.count() - queued_before
    again = alerts.job_alerts_send(now=now)
    return {
        "name": "alerts",
        "label": f"send_job_alerts over {ALERTS:,} saved searches",
        "seconds": round(seconds, 1),
        "errors": int(queued != run.sent) + again.sent,
        "per_second": round(run.due / seconds, 1),
        "other": (
            f"{run.due:,} due, {run.searches:,} searches run, {run.sent:,} digests queued "
            f"({queued:,} email tasks), {run.empty:,} with nothing new; a second run sent "
            f"{again.sent}; {run.due / seconds:,.0f} alerts a second"
        ),
    }


def alerts_row(*, env: dict) -> dict:
    say(f"job alerts: {env['BENCH_JOBS_ALERTS']} saved searches, one run of send_job_alerts")
    return _child(env, "--alerts")


def _child(env: dict, *args: str) -> dict:
    """Run this script's Django half in a child with the servers' settings; its last line is
    the JSON it returns."""
    result = subprocess.run(
        [sys.executable, str(Path(__file__)), *args],
        check=False, env=env, cwd=PROJECT_ROOT, capture_output=True, text=True,
    )  # fmt: skip
    if result.returncode:
        raise SystemExit(f"bench: {args[0]} failed\n{result.stdout}\n{result.stderr}")
    return json.loads(result.stdout.strip().splitlines()[-1])


if __name__ == "__main__":
    os.chdir(PROJECT_ROOT)
    if len(sys.argv) == 3 and sys.argv[1] == "--prepare":
        print(json.dumps(prepare(int(sys.argv[2]))))
    elif sys.argv[1:] == ["--prepare-apply"]:
        print(json.dumps(prepare_apply()))
    elif len(sys.argv) == 3 and sys.argv[1] == "--count-applications":
        print(json.dumps({"stored": applications_of(json.loads(sys.argv[2]))}))
    elif sys.argv[1:] == ["--count-entries"]:
        _django()
        from register.models import RegisterEntry

        print(json.dumps({"entries": RegisterEntry.objects.count()}))
    elif sys.argv[1:] == ["--alerts"]:
        print(json.dumps(alerts_measure()))
    elif sys.argv[1:] == ["--alerts-only"]:
        main(alerts_only=True)
    elif sys.argv[1:] == ["--apply-only"]:
        main(apply_only=True)
    else:
        main()
