# ruff: noqa: S603, S607, E501  (a test harness: it runs our own commands; SETUP is a script)
"""Fault scenarios against a real deployment shape: the site under gunicorn with
DJANGO_ENV=production, on a throwaway PostgreSQL cluster of its own (never the machine's shared
one), driven from a plain HTTP client on 127.0.0.1.

- restart_postgres_under_load: requests keep coming while the cluster stops and starts again;
  every failure must be a 503 with the plain message, and the same gunicorn recovers by itself.
- kill_workers_during_writes: consultation submits and training-import commits while a worker
  is SIGKILLed again and again; every acknowledged write is stored exactly once, nothing is
  half-written, and retries with the same idempotency key add nothing.

Used by bench/faults/run.py (full size, prints figures) and tests/faults/test_live_faults.py
(small size, in CI). Needs PostgreSQL's initdb and pg_ctl; run as root it uses `runuser -u
postgres`.
"""

import contextlib
import glob
import http.client
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

from cryptography.fernet import Fernet

ROOT = Path(__file__).resolve().parents[2]
PYTHON = sys.executable


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _keep(log: Path, prefix: str) -> Path | None:
    """A copy of `log` outside the folders the scenarios remove, for reading after a failure."""
    if not log.exists():
        return None
    handle, name = tempfile.mkstemp(prefix=prefix, suffix=".log")
    os.close(handle)
    shutil.copyfile(log, name)
    return Path(name)


def postgres_bin() -> Path | None:
    """The directory with initdb and pg_ctl, or None when PostgreSQL is not installed."""
    found = shutil.which("initdb")
    if found:
        return Path(found).resolve().parent
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    return Path(candidates[-1]).parent if candidates else None


class Cluster:
    """A PostgreSQL cluster in a temporary folder on its own port, trust auth, loopback only."""

    def __init__(self):
        self.bin = postgres_bin()
        if self.bin is None:
            raise RuntimeError("PostgreSQL's initdb was not found")
        self.dir = Path(tempfile.mkdtemp(prefix="pgfault-"))
        self.data = self.dir / "data"
        self.port = _free_port()
        self.as_postgres = os.geteuid() == 0
        if self.as_postgres:
            shutil.chown(self.dir, "postgres", "postgres")

    def _run(self, *args, check=True):
        command = [str(self.bin / args[0]), *args[1:]]
        if self.as_postgres:
            command = ["runuser", "-u", "postgres", "--", *command]
        return subprocess.run(command, check=check, capture_output=True, text=True, timeout=120)

    def init(self):
        self._run("initdb", "-D", str(self.data), "-A", "trust", "-U", "postgres", "-E", "UTF8")
        self.start()
        self._run("createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "faults")

    def start(self):
        options = f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._run(
            "pg_ctl",
            "-D",
            str(self.data),
            "-o",
            options,
            "-l",
            str(self.dir / "log"),
            "-w",
            "start",
        )

    def stop(self):
        self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop", check=False)

    def destroy(self, *, keep_log: bool = False) -> Path | None:
        """Stop the cluster and remove it. With `keep_log`, its server log is first copied out
        and its path returned."""
        self.stop()
        kept = _keep(self.dir / "log", "postgresql-faults-") if keep_log else None
        shutil.rmtree(self.dir, ignore_errors=True)
        return kept

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/faults"


def site_environment(cluster: Cluster, work: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE", "DEBUG"}}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DJANGO_ENV="production",
        SECRET_KEY="faults-" + "9f3c1a7e5b2d8f4a6c0e9b3d7f1a5c8e2b6d0f4a9c3e7b1d5f",
        FIELD_ENCRYPTION_KEYS=Fernet.generate_key().decode(),
        BLIND_INDEX_KEY="faults-blind-index-2c7e9f1a4b6d8e0f3a5c7b9d1e3f5a7c",
        SIGNING_KEY_PASSPHRASE="a-real-passphrase-for-the-faults",
        CONSULTATION_RESPONDENT_KEY="faults-consultation-respondent-9d1e3f5a7c2c7e9f1a4b",
        ALLOWED_HOSTS="127.0.0.1",
        DATABASE_URL=cluster.url,
        CONN_MAX_AGE="60",
        PRIVATE_MEDIA_ROOT=str(work / "media"),
        STATIC_ROOT=str(work / "static"),
        CACHE_URL="dummycache://",  # no rate limits: the load is ours
        EMAIL_URL="consolemail://",
        SECURE_SSL_REDIRECT="false",
        LOG_LEVEL="WARNING",
    )
    return env


SETUP = r"""
import json, sys
from datetime import date, timedelta
import django
django.setup()
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from consultations.services import building, lifecycle
from passports.models import ProviderApproval, TrainingStandard
from passports.services import records
from register.models import Application, PathwayRole
from accounts.models import Membership, Organisation, User
from register.services.entries import entry_create

batches, rows_per_batch = int(sys.argv[1]), int(sys.argv[2])
admin = User.objects.create_user(email="assoc@example.org", password=None, full_name="Ann Assoc")
registrar = User.objects.create_user(email="reg@example.org", password=None, full_name="Reg Istrar",
                                     is_registrar=True)
association = Organisation.objects.create(name="Association", kind="association")
Membership.objects.create(user=admin, organisation=association, role="owner")
now = timezone.now()
consultation = building.consultation_create(
    organisation=association, user=admin, title="Faults", summary="Under fault.",
    privacy_notice="Kept a year.", opens_at=now - timedelta(days=1), closes_at=now + timedelta(days=9))
page = building.page_add(consultation=consultation, user=admin, title="Views")
building.question_add(page=page, user=admin, kind="long_text", text="Anything?")
lifecycle.consultation_schedule(consultation=consultation, user=admin)
lifecycle.consultation_follow_clock(consultation=consultation)
consultation.refresh_from_db()

provider_user = User.objects.create_user(email="prov@example.org", password=None, full_name="Pro Vider")
provider = Organisation.objects.create(name="Provider", kind="training_provider")
Membership.objects.create(user=provider_user, organisation=provider, role="owner")
ProviderApproval.objects.create(organisation=provider, approved_by=registrar)
standard, _ = TrainingStandard.objects.update_or_create(code="fire-safety", defaults={
    "title": "Fire safety", "category": "mandatory", "awarded_by": "approved_provider",
    "refresher_months": 12})
role = PathwayRole.objects.create(code="faults", title="Care worker")
born = date(1990, 5, 17)
entries = []
for index in range(batches * rows_per_batch):
    worker = User.objects.create_user(email=f"w{index}@example.org", password=None,
                                      full_name=f"Worker {index}", is_care_worker=True)
    application = Application.objects.create(
        worker=worker, status="approved", legal_name=f"Worker {index}", date_of_birth=born,
        pathway_role=role, town="Leeds", postcode="LS1 4AP")
    with transaction.atomic():
        entries.append(entry_create(application=application, approved_by=registrar))
batch_ids = []
for number in range(batches):
    chunk = entries[number * rows_per_batch:(number + 1) * rows_per_batch]
    text = "registration_number,date_of_birth,standard_code,completed_on\n" + "".join(
        f"{e.registration_number},{born.isoformat()},fire-safety,"
        f"{(date.today() - timedelta(days=number + 1)).isoformat()}\n" for e in chunk)
    batch, check = records.training_import_upload(
        provider=provider, uploaded_by=provider_user,
        upload=SimpleUploadedFile(f"b{number}.csv", text.encode(), content_type="text/csv"))
    assert check.is_ready, check.errors
    batch_ids.append(batch.pk)

session = SessionStore()
session[SESSION_KEY] = str(provider_user.pk)
session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
session[HASH_SESSION_KEY] = provider_user.get_session_auth_hash()
session.create()
pages = [
    {f"q{q.pk}": ([str(q.options.order_by("position").first().pk)] if q.options.exists() else "An answer")
     for q in p.questions.all()}
    for p in consultation.pages.order_by("position")
]
print(json.dumps({"slug": consultation.slug, "pages": pages,
                  "provider": provider.pk, "batches": batch_ids, "rows": rows_per_batch,
                  "provider_session": session.session_key}))
"""

VERIFY = r"""
import json, sys
import django
django.setup()
from django.db.models import Count
from consultations.models import Response
from passports.models import ImportBatch, TrainingRecord

keys = json.loads(sys.stdin.read())
responses = list(Response.objects.values("idempotency_key").annotate(answers=Count("answers")))
by_key = {}
for row in responses:
    by_key.setdefault(row["idempotency_key"], []).append(row["answers"])
batches = {b.pk: (b.status, TrainingRecord.objects.filter(batch=b).count())
           for b in ImportBatch.objects.filter(pk__in=keys["batches"])}
print(json.dumps({"responses": by_key, "batches": {str(k): v for k, v in batches.items()}}))
"""


class Site:
    """gunicorn serving the site from this checkout."""

    def __init__(self, cluster: Cluster, *, workers: int = 2):
        self.work = Path(tempfile.mkdtemp(prefix="sitefault-"))
        self.env = site_environment(cluster, self.work)
        self.port = _free_port()
        self.workers = workers
        self.process = None

    def manage(self, *args, input=None):
        return subprocess.run(
            [PYTHON, "manage.py", *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=600,
            input=input,
            check=True,
        )

    def python(self, code, *args, input=None) -> str:
        done = subprocess.run(
            [PYTHON, "-c", code, *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=900,
            input=input,
        )
        if done.returncode != 0:
            raise RuntimeError(done.stderr[-3000:])
        return done.stdout

    def prepare(self, *, batches: int, rows: int) -> dict:
        self.manage("migrate", "--noinput", "-v", "0")
        self.manage("collectstatic", "--noinput", "-v", "0")
        return json.loads(self.python(SETUP, str(batches), str(rows)).strip().splitlines()[-1])

    def start(self):
        self.process = subprocess.Popen(
            [
                str(Path(PYTHON).parent / "gunicorn"),
                "config.wsgi",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                str(self.workers),
                "--timeout",
                "60",
                # Workers fork from a loaded master, so a killed one is back in milliseconds
                # (its first request still loads the URLconf and the views).
                "--preload",
                "--graceful-timeout",
                "5",
                "--log-level",
                "warning",
                # One line per request with its status and microseconds, so a failure can be
                # matched to what the worker did.
                "--access-logfile",
                "-",
                "--access-logformat",
                '%(t)s pid=%(p)s "%(r)s" %(s)s %(D)sus',
            ],
            cwd=ROOT,
            env=self.env,
            stdout=open(self.work / "gunicorn.log", "w"),
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            with contextlib.suppress(OSError):
                if Client(self.port).request("GET", "/healthz")[0] == 200:
                    return
            time.sleep(0.3)
        raise RuntimeError("gunicorn did not answer /healthz: " + self.log())

    def worker_pids(self) -> list[int]:
        out = subprocess.run(["pgrep", "-P", str(self.process.pid)], capture_output=True, text=True)
        return [int(pid) for pid in out.stdout.split()]

    def log(self) -> str:
        return (self.work / "gunicorn.log").read_text(errors="replace")[-4000:]

    def stop(self, *, keep_log: bool = False) -> Path | None:
        """Stop gunicorn and remove its folder. With `keep_log`, the gunicorn log (worker
        deaths, timeouts, Django's tracebacks) is first copied out and its path returned."""
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
        kept = _keep(self.work / "gunicorn.log", "gunicorn-faults-") if keep_log else None
        shutil.rmtree(self.work, ignore_errors=True)
        return kept


def _snippet(body: str) -> str:
    """The readable start of an error page: its title, or its first characters."""
    title = re.search(r"<title>(.*?)</title>", body, re.S)
    return (title.group(1) if title else body[:120]).strip()[:120]


class Client:
    """HTTP over loopback, as if behind the TLS proxy (X-Forwarded-Proto: https), keeping its
    own cookies: production's cookies are Secure, which a browser would send over HTTPS."""

    def __init__(self, port: int, cookies: dict | None = None):
        self.port = port
        self.cookies = dict(cookies or {})

    def request(self, method, path, fields=None, timeout=30):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        origin = f"https://127.0.0.1:{self.port}"
        headers = {
            "Host": f"127.0.0.1:{self.port}",
            "X-Forwarded-Proto": "https",
            "Origin": origin,
            "Referer": origin + path,
        }
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if fields is not None:
            fields = dict(fields)
            if "csrftoken" in self.cookies:
                fields["csrfmiddlewaretoken"] = self.cookies["csrftoken"]
            body = urllib.parse.urlencode(fields, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            content = response.read().decode("utf-8", "replace")
            for header, value in response.getheaders():
                if header.lower() == "set-cookie":
                    name, _, rest = value.partition("=")
                    self.cookies[name.strip()] = rest.split(";", 1)[0]
            return response.status, content, dict(response.getheaders())
        finally:
            connection.close()


def restart_postgres_under_load(
    site: Site, cluster: Cluster, *, seconds=12, down_for=3.0, threads=4
) -> dict:
    """GET pages and the API in a loop while the cluster stops for `down_for` seconds and
    starts again. Figures: counts by status, whether every failure was a clear 503, and the
    time from the cluster being back to the first 200."""
    paths = ["/register/?q=worker", "/api/v1/register/?q=worker", "/consultations/", "/healthz"]
    results, stop_at = [], time.monotonic() + seconds
    lock = threading.Lock()

    def load(offset):
        client, index = Client(site.port), offset
        while time.monotonic() < stop_at:
            path = paths[index % len(paths)]
            index += 1
            started = time.monotonic()
            try:
                status, body, headers = client.request("GET", path, timeout=20)
            except (OSError, http.client.HTTPException) as error:
                status, body, headers = f"connection error: {type(error).__name__}", "", {}
            with lock:
                results.append((started, path, status, body[:400], headers.get("Retry-After")))
            time.sleep(0.01)

    workers = [threading.Thread(target=load, args=(n,)) for n in range(threads)]
    for thread in workers:
        thread.start()
    time.sleep(seconds / 4)
    gunicorn_pid = site.process.pid
    stopped_at = time.monotonic()
    cluster.stop()
    time.sleep(down_for)
    cluster.start()
    back_at = time.monotonic()
    for thread in workers:
        thread.join()

    counts = {}
    for _, _, status, _, _ in results:
        counts[str(status)] = counts.get(str(status), 0) + 1
    failures = [r for r in results if r[2] != 200]
    unclear = [
        (path, status, body[:120])
        for _, path, status, body, retry in failures
        if not (
            status == 503
            and ("try again in a minute" in body or "unavailable" in body)
            and (retry == "30" or path == "/healthz")
        )
    ]
    first_ok_after = min((r[0] for r in results if r[0] >= back_at and r[2] == 200), default=None)
    return {
        "requests": len(results),
        "by_status": counts,
        "outage_seconds": round(back_at - stopped_at, 2),
        "failures_that_were_not_a_clear_503": unclear[:10],
        "unclear_count": len(unclear),
        "seconds_from_database_back_to_first_200": (
            round(first_ok_after - back_at, 2) if first_ok_after else None
        ),
        "ok_after_recovery": sum(1 for r in results if r[0] >= back_at + 1 and r[2] == 200),
        "errors_after_recovery": sum(1 for r in results if r[0] >= back_at + 1 and r[2] != 200),
        "same_gunicorn_master": site.process.poll() is None and site.process.pid == gunicorn_pid,
    }


def kill_workers_during_writes(
    site: Site, setup: dict, *, respondents=40, kill_every=1.0, threads=4
) -> dict:
    """Consultation submits (each with its idempotency key, retried with the same key until
    acknowledged) and import commits (retried until acknowledged), while a gunicorn worker is
    SIGKILLed every `kill_every` seconds."""
    slug = setup["slug"]
    acknowledged, attempts, kills, skipped = {}, {"submit": 0, "commit": 0, "retries": 0}, [], []
    failed_attempts = {}
    final = {}
    lock = threading.Lock()
    done = threading.Event()

    def killer():
        # Only a worker that has answered a request may be killed. A fresh worker's first
        # request loads the URLconf and every view (it compiles them too, where bytecode may not
        # be written): at a load average of 16 that took 10 s, while a worker was killed every
        # second, so no fresh worker ever answered and the clients retried until they gave up.
        # Killing a worker that is still loading tests the loading, not the writes.
        answered, log, offset = set(), site.work / "gunicorn.log", 0
        while not done.is_set():
            time.sleep(kill_every)
            with open(log, "rb") as handle:
                handle.seek(offset)
                new = handle.read()
            # Only whole lines: the last one may still be being written.
            new = new[: new.rfind(b"\n") + 1]
            offset += len(new)
            answered.update(int(pid) for pid in re.findall(rb"pid=<(\d+)>", new))
            ready = [pid for pid in site.worker_pids() if pid in answered]
            if not ready:
                skipped.append(time.monotonic())
                continue
            victim = ready[len(kills) % len(ready)]
            with contextlib.suppress(ProcessLookupError):
                os.kill(victim, signal.SIGKILL)
                kills.append(time.monotonic())
            answered.discard(victim)  # its number may be given to a later worker

    def until_answered(client, method, path, fields=None):
        # What each failed attempt got, so that giving up says why (a timeout under load reads
        # differently from a 500 the page gives every time).
        seen = []
        for _ in range(200):
            began = time.monotonic()
            try:
                status, body, headers = client.request(method, path, fields, timeout=20)
            except (OSError, http.client.HTTPException) as error:
                failure = (
                    type(error).__name__,
                    round(time.monotonic() - began, 2),
                    str(error)[:80],
                )
            else:
                if status < 500:
                    return status, body, headers
                failure = (status, round(time.monotonic() - began, 2), _snippet(body))
            seen.append(failure)
            with lock:
                attempts["retries"] += 1
                failed_attempts[str(failure[0])] = failed_attempts.get(str(failure[0]), 0) + 1
            time.sleep(0.05)
        kinds = {}
        for failure in seen:
            kinds[str(failure[0])] = kinds.get(str(failure[0]), 0) + 1
        raise RuntimeError(
            f"{method} {path} never answered: {len(seen)} failures {kinds}; first {seen[0]}; "
            f"last {seen[-1]}"
        )

    def respondent(number):
        client = Client(site.port)
        until_answered(client, "GET", f"/consultations/{slug}/page/1/")
        for page_number, fields in enumerate(setup["pages"], start=1):
            until_answered(client, "POST", f"/consultations/{slug}/page/{page_number}/", fields)
        _, page, _ = until_answered(client, "GET", f"/consultations/{slug}/check/")
        found = re.search(r'name="idempotency_key" value="([^"]+)"', page)
        if not found:
            raise RuntimeError("no idempotency key on the check page: " + page[:300])
        key = found.group(1)
        with lock:
            attempts["submit"] += 1
        # The same key every time, as a browser resending the form would.
        status, _, headers = until_answered(
            client, "POST", f"/consultations/{slug}/check/", {"idempotency_key": key}
        )
        with lock:
            final[f"{status} {headers.get('Location', '')[-20:]}"] = (
                final.get(f"{status} {headers.get('Location', '')[-20:]}", 0) + 1
            )
        if status == 302 and "/done/" in headers.get("Location", ""):
            with lock:
                acknowledged[key] = number

    def committer(batch_id):
        client = Client(site.port, {"sessionid": setup["provider_session"]})
        path = f"/provider/{setup['provider']}/training/import/{batch_id}/"
        until_answered(client, "GET", path)  # the preview sets the CSRF cookie
        with lock:
            attempts["commit"] += 1
        status, body, headers = until_answered(client, "POST", path + "commit/", {})
        return status, body[:200]

    gunicorn_pid = site.process.pid
    kill_thread = threading.Thread(target=killer)
    kill_thread.start()
    errors = []
    commit_answers = {}

    def run(job):
        try:
            kind, arg = job
            if kind == "respond":
                respondent(arg)
            else:
                commit_answers[arg] = committer(arg)
        except Exception as error:  # noqa: BLE001 (reported in the figures)
            errors.append(repr(error))

    jobs = [("respond", n) for n in range(respondents)] + [("commit", b) for b in setup["batches"]]
    pending = list(jobs)
    pool = []
    started = time.monotonic()
    while pending or pool:
        pool = [t for t in pool if t.is_alive()]
        while pending and len(pool) < threads:
            thread = threading.Thread(target=run, args=(pending.pop(0),))
            thread.start()
            pool.append(thread)
        time.sleep(0.02)
    done.set()
    kill_thread.join()
    elapsed = time.monotonic() - started

    # Commit every file once more after the storm, as a client unsure of its first answer
    # would: it must be refused as already recorded, and add nothing.
    # A failure here is a figure like any other: raising would hide what the storm itself
    # recorded (its client errors, its retries), which is what tells load from a bug.
    second_commit = set()
    for batch_id in setup["batches"]:
        try:
            second_commit.add(str(committer(batch_id)[0]))
        except RuntimeError as error:
            second_commit.add(str(error))
    second_commit = sorted(second_commit)
    stored = json.loads(site.python(VERIFY, input=json.dumps({"batches": setup["batches"]})))
    responses = stored["responses"]
    duplicated = {k: v for k, v in responses.items() if len(v) != 1}
    half_written = {k: v for k, v in responses.items() if any(n == 0 for n in v)}
    lost = [k for k in acknowledged if k not in responses]
    batches = stored["batches"]
    partial_batches = {
        k: v
        for k, v in batches.items()
        if not (
            (v[0] == "committed" and v[1] == setup["rows"]) or (v[0] != "committed" and v[1] == 0)
        )
    }
    uncommitted = [k for k, v in batches.items() if v[0] != "committed"]
    return {
        "seconds": round(elapsed, 1),
        "workers_killed": len(kills),
        "kills_skipped_as_no_worker_had_answered_yet": len(skipped),
        "submits": attempts["submit"],
        "acknowledged_submits": len(acknowledged),
        "stored_responses": len(responses),
        "acknowledged_but_lost": lost,
        "stored_more_than_once": duplicated,
        "responses_without_answers": half_written,
        "import_batches": len(batches),
        "rows_per_batch": setup["rows"],
        "batches_half_written": partial_batches,
        "batches_not_committed": uncommitted,
        "retries_after_a_dropped_connection_or_5xx": attempts["retries"],
        "failed_attempts_by_kind": failed_attempts,
        "client_errors": errors[:5],
        "client_error_count": len(errors),
        "last_answer_to_each_submit": final,
        "answer_to_committing_again": second_commit,
        "same_gunicorn_master": site.process.poll() is None and site.process.pid == gunicorn_pid,
        "last_answer_to_each_commit": sorted({str(v[0]) for v in commit_answers.values() if v}),
    }


def kill_figures_problems(figures: dict, *, respondents: int) -> list[str]:
    """What in kill_workers_during_writes' figures breaks a promise (empty when none does): the
    checks tests/faults/test_live_faults.py asserts, for run.py to report at full size."""
    checks = {
        "no worker was killed": figures["workers_killed"] > 0,
        "a submit was not acknowledged": figures["acknowledged_submits"]
        == figures["submits"]
        == respondents,
        "an acknowledged submit was lost": not figures["acknowledged_but_lost"],
        "a submit was stored more than once": not figures["stored_more_than_once"],
        "a response has no answers": not figures["responses_without_answers"],
        "an import file is half-written": not figures["batches_half_written"],
        "an import file is not committed": not figures["batches_not_committed"],
        "a client gave up": not figures["client_error_count"],
        "committing again was not refused": figures["answer_to_committing_again"] == ["409"],
        "the gunicorn master changed": figures["same_gunicorn_master"],
    }
    return [problem for problem, held in checks.items() if not held]
