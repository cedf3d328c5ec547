"""How many passport verifications a second: through the API view, and the bare verify(),
in one process and in two (this machine has two cores). The target is 1,000 a second through
the API.

    createdb -h 127.0.0.1 -U postgres careregister_bench_passports
    ALLOWED_HOSTS=testserver,127.0.0.1 \\
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/careregister_bench_passports \\
        .venv/bin/python bench/passport_verify.py

The database is migrated, then given a signing key (if it has none), one worker with a few
training records, and a passport. Each API request goes through Django's test client: routing,
every middleware, the throttle, the view, the verification with its one query for the passport
and the registration, and the JSON response. Requests come from 200 different client addresses,
as from many employers, so the throttle is exercised but never trips.
"""

import argparse
import multiprocessing
import os
import sys
import time
import types
from datetime import date, timedelta
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1")
# As in production: no debug, and connections kept open between requests.
from bench import run_without_debug  # noqa: E402

run_without_debug()
os.environ.setdefault("CONN_MAX_AGE", "600")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connections  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.urls import NoReverseMatch, include, path, reverse  # noqa: E402

from accounts.models import User  # noqa: E402
from passports import keys, verification  # noqa: E402
from passports.models import Passport, TrainingRecord, TrainingStandard  # noqa: E402
from passports.services.passports import passport_issue  # noqa: E402
from register.models import Application, RegisterEntry  # noqa: E402

TARGET_PER_SECOND = 1000
ADDRESSES = [f"10.0.{n // 250}.{n % 250 + 1}" for n in range(200)]
BENCH_EMAIL = "passport-bench@example.org"


def seed() -> Passport:
    """One worker with training and a passport; reused on later runs."""
    if keys.active_key() is None:
        keys.signing_key_create()
    worker, _ = User.objects.get_or_create(
        email=BENCH_EMAIL, defaults={"full_name": "Benny Bench", "is_care_worker": True}
    )
    entry = RegisterEntry.objects.filter(worker=worker).first()
    if entry is None:
        application = Application.objects.create(
            worker=worker, status=Application.Status.APPROVED, legal_name="Benny Bench"
        )
        entry = RegisterEntry.objects.create(
            worker=worker,
            application=application,
            registration_number="CR9999999Z",
            full_name="Benny Bench",
            search_name="benny bench",
            registered_from=date.today(),
            renewal_due=date.today() + timedelta(days=365),
        )
        for offset, code in enumerate(
            ["moving-and-handling", "safeguarding-adults", "fire-safety", "food-hygiene"]
        ):
            TrainingRecord.objects.create(
                entry=entry,
                standard=TrainingStandard.objects.get(code=code),
                completed_on=date.today() - timedelta(days=100 * offset + 10),
                expires_on=date.today() + timedelta(days=365 - 150 * offset),
                provider_name="Skills Ltd",
                status=TrainingRecord.Status.VERIFIED,
                recorded_by=worker,
            )
    passport = Passport.objects.filter(entry=entry, status=Passport.Status.VALID).first()
    return passport or passport_issue(entry=entry, requested_by=worker)


def _urlconf():
    """The site's URLs, with the verify API mounted if api/urls.py does not include it yet."""
    try:
        reverse("api:passports-verify")
        return None
    except NoReverseMatch:
        urlconf = types.ModuleType("passport_verify_urls")
        urlconf.urlpatterns = [
            path("api/v1/", include("api.passports")),
            path("", include("config.urls")),
        ]
        return urlconf


def api_loop(token: str, seconds: float) -> int:
    client = Client()
    url = reverse("api:passports-verify")
    body = {"token": token}
    done = 0
    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline:
        response = client.post(
            url, body, content_type="application/json", REMOTE_ADDR=ADDRESSES[done % 200]
        )
        if response.status_code != 200 or not response.json()["valid"]:
            raise SystemExit(f"passport_verify: the API answered {response.status_code}")
        done += 1
    return done


def function_loop(token: str, seconds: float, jwks: dict | None = None) -> int:
    done = 0
    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline:
        if not verification.verify(token, jwks=jwks).valid:
            raise SystemExit("passport_verify: the passport did not verify")
        done += 1
    return done


def _worker(kind: str, token: str, seconds: float, jwks, start, results) -> None:
    # Each process opens its own database connection; the parent closed its own before forking.
    urlconf = _urlconf()
    if urlconf is not None:
        override_settings(ROOT_URLCONF=urlconf).enable()
    if kind == "api":
        api_loop(token, 0.5)  # warm up: caches, the connection, lazy imports
        start.wait()
        began = time.perf_counter()
        done = api_loop(token, seconds)
    else:
        function_loop(token, 0.5, jwks)
        start.wait()
        began = time.perf_counter()
        done = function_loop(token, seconds, jwks)
    results.put((done, time.perf_counter() - began))


def run(kind: str, token: str, *, processes: int, seconds: float, jwks=None) -> float:
    connections.close_all()
    context = multiprocessing.get_context("fork")
    start = context.Barrier(processes + 1)
    results = context.Queue()
    workers = [
        context.Process(target=_worker, args=(kind, token, seconds, jwks, start, results))
        for _ in range(processes)
    ]
    for process in workers:
        process.start()
    # A worker that dies while warming up breaks the barrier rather than hanging the run.
    start.wait(timeout=120)
    finished = [results.get(timeout=seconds + 60) for _ in workers]
    for process in workers:
        process.join()
        if process.exitcode:
            raise SystemExit(f"passport_verify: a worker process failed ({process.exitcode})")
    return sum(done / elapsed for done, elapsed in finished)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=5.0, help="Timed seconds per run.")
    options = parser.parse_args()

    call_command("migrate", verbosity=0)
    passport = seed()
    token = passport.token
    jwks = keys.jwks_document()
    database = connections["default"].vendor
    print(
        f"Passport {passport.public_id}: {len(token)} characters, "
        f"{len(verification.verify(token).check('training').records)} training records; "
        f"database {database}; {os.cpu_count()} CPU(s); {options.seconds:g} s per run.\n"
    )
    print(f"{'what':<44} {'processes':>9} {'per second':>11}")
    rows = [
        ("verify() online (database, cached keys)", "function", None),
        ("verify() offline (JWKS, no database)", "function", jwks),
        ("POST /api/v1/passports/verify", "api", None),
    ]
    api_two = 0.0
    for label, kind, keyset in rows:
        for processes in (1, 2):
            rate = run(kind, token, processes=processes, seconds=options.seconds, jwks=keyset)
            print(f"{label:<44} {processes:>9} {rate:>11,.0f}")
            if kind == "api" and processes == 2:
                api_two = rate
    verdict = "pass" if api_two >= TARGET_PER_SECOND else "FAIL"
    print(
        f"\nAPI on 2 processes: {api_two:,.0f}/s against a target of "
        f"{TARGET_PER_SECOND:,}/s: {verdict}"
    )


if __name__ == "__main__":
    main()
