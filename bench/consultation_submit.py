"""How many consultation responses are accepted per second through the real submit path,
and that none is lost: rows are counted afterwards.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cr_consult_bench \
        ALLOWED_HOSTS=testserver .venv/bin/python bench/consultation_submit.py

Runs in a throwaway database next to the one named (test_<name>, made and dropped here).
Three runs, each on the seeded-example shape (about you, a Likert, a choice, a multiple
choice with "Other", free text):

1. the service `response_submit`, one thread;
2. the service with 4 threads at once (each its own connection), as several web workers;
3. the view: POST to the check-answers page through `django.test.Client` (URL routing, all
   the middleware, sessions, the service, the redirect), one thread, then 4 threads each
   with its own client. Each client's session is filled with the answers before its POST,
   untimed, as the earlier pages would have.

4. the server: gunicorn with several sync workers on 127.0.0.1 (a free port), serving the
   throwaway database, driven by concurrent clients (threads, one HTTP request at a time
   each), as a site is served. Each POST carries a session cookie made beforehand, untimed,
   holding the answers as the earlier pages would have left them, and a CSRF cookie and
   header. Each simulated person sends from their own address (X-Forwarded-For, with
   USE_X_FORWARDED_FOR on, as behind the proxy), so the rate limit keeps its real value.
   The run is bounded: `--server-requests` POSTs, and it stops at `--server-seconds` whatever
   is left.

    ... bench/consultation_submit.py --modes server --workers 4 --clients 8

In runs 1 to 3 every request comes from one address, so the anonymous rate limit is raised
for them (the cache is still read and written on each submit).
Target: 300 responses a second or more, with every accepted response and answer stored.
"""

import argparse
import http.client
import os
import secrets
import signal
import socket
import statistics
import string
import subprocess
import sys
import threading
import time
from datetime import timedelta
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
from bench import run_without_debug  # noqa: E402

run_without_debug()

import django  # noqa: E402

django.setup()

from django.db import connection, connections  # noqa: E402
from django.utils import timezone  # noqa: E402

TARGET_PER_SECOND = 300
SERVICE_RUNS = 3000
THREADS = 4
THREADED_RUNS_EACH = 750
VIEW_RUNS = 1500
VIEW_RUNS_EACH = 400
WARM_UP = 50


def seed():
    from accounts.models import Membership, Organisation, User
    from consultations.models import Question
    from consultations.services import building, lifecycle

    association = Organisation.objects.create(
        name="Bench Association", kind=Organisation.Kind.ASSOCIATION
    )
    admin = User.objects.create_user(email="bench-admin@example.org", full_name="Bench Admin")
    Membership.objects.create(user=admin, organisation=association, role="owner")
    now = timezone.now()
    consultation = building.consultation_create(
        organisation=association,
        user=admin,
        title="Bench consultation",
        summary="Timing submits.",
        privacy_notice="Nothing is kept.",
        opens_at=now - timedelta(hours=1),
        closes_at=now + timedelta(days=1),
    )
    page = building.page_add(consultation=consultation, user=admin, title="Views")
    kind = Question.Kind
    building.question_add(page=page, user=admin, kind=kind.LIKERT, text="Support?")
    building.question_add(
        page=page, user=admin, kind=kind.SINGLE_CHOICE, text="Join?", options=["Yes", "No"]
    )
    building.question_add(
        page=page,
        user=admin,
        kind=kind.MULTIPLE_CHOICE,
        text="Include?",
        options=["Training passports", "Quicker recruitment", "Job trials", "Recognition"],
        has_other=True,
    )
    building.question_add(
        page=page, user=admin, kind=kind.SHORT_TEXT, text="Anything else?", required=False
    )
    lifecycle.consultation_schedule(consultation=consultation, user=admin)
    consultation.refresh_from_db()
    return consultation


def sample_answers(consultation) -> tuple[dict, int]:
    """One full set of answers, and how many Answer rows it makes."""
    answers, rows = {}, 0
    for question in consultation.questions.prefetch_related("options"):
        options = list(question.options.all())
        answer = {"options": [], "other": False, "other_text": "", "text": ""}
        if question.kind == "multiple_choice":
            answer["options"] = [options[0].pk, options[3].pk]
            answer["other"], answer["other_text"] = True, "Better pay"
            rows += 3
        elif question.is_choice:
            answer["options"] = [options[0].pk]
            rows += 1
        else:
            answer["text"] = "A register would help me show my training once."
            rows += 1
        answers[str(question.pk)] = answer
    return answers, rows


def run_service(consultation, answers, *, count, prefix, questions):
    from consultations.services.responding import response_submit

    started = time.perf_counter()
    for n in range(count):
        response_submit(
            consultation=consultation,
            answers=answers,
            idempotency_key=f"{prefix}-{n}",
            client_ip="198.51.100.7",
            questions=questions,
        )
    return time.perf_counter() - started


def run_threads(consultation, answers, questions):
    errors, barrier = [], threading.Barrier(THREADS)

    def work(thread):
        try:
            barrier.wait()
            run_service(
                consultation,
                answers,
                count=THREADED_RUNS_EACH,
                prefix=f"thread{thread}",
                questions=questions,
            )
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work, args=(n,)) for n in range(THREADS)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.perf_counter() - started, errors


def run_view(consultation, answers, *, count, key_prefix):
    from django.test import Client
    from django.urls import reverse

    url = reverse("consultations:check", args=[consultation.slug])
    done = reverse("consultations:done", args=[consultation.slug])
    client = Client()
    client.get(reverse("consultations:detail", args=[consultation.slug]))
    state_key = f"consultation-{consultation.pk}"
    elapsed, refused = 0.0, 0
    for n in range(count):
        session = client.session
        session[state_key] = {
            "answers": answers,
            "started_at": timezone.now().isoformat(),
            "draft_token": "",
        }
        session.save()
        started = time.perf_counter()
        response = client.post(url, {"idempotency_key": f"{key_prefix}-{n}"})
        elapsed += time.perf_counter() - started
        if response.status_code != 302 or response.url != done:
            refused += 1
    return elapsed, refused


def run_view_threads(consultation, answers):
    errors, results, barrier = [], [], threading.Barrier(THREADS)

    def work(thread):
        try:
            barrier.wait()
            results.append(
                run_view(
                    consultation, answers, count=VIEW_RUNS_EACH, key_prefix=f"view-thread{thread}"
                )
            )
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work, args=(n,)) for n in range(THREADS)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    # Session set-up is untimed in run_view; take it out of the wall time in proportion.
    busy = sum(elapsed for elapsed, _ in results) / THREADS
    return min(wall, busy), sum(refused for _, refused in results), errors


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _database_url() -> str:
    settings = connection.settings_dict
    password = f":{settings['PASSWORD']}" if settings.get("PASSWORD") else ""
    return (
        f"postgres://{settings['USER']}{password}@{settings['HOST'] or '127.0.0.1'}:"
        f"{settings['PORT'] or 5432}/{settings['NAME']}"
    )


def _sessions_with_answers(consultation, answers, count) -> list[str]:
    """Session keys, each holding a full set of answers, written in bulk (untimed)."""
    from django.contrib.sessions.backends.db import SessionStore
    from django.contrib.sessions.models import Session

    alphabet = string.ascii_lowercase + string.digits
    store = SessionStore()
    expires = timezone.now() + timedelta(hours=2)
    keys, rows = [], []
    for _ in range(count):
        key = "".join(secrets.choice(alphabet) for _ in range(32))
        data = {
            f"consultation-{consultation.pk}": {
                "answers": answers,
                "started_at": timezone.now().isoformat(),
                "draft_token": "",
            }
        }
        rows.append(Session(session_key=key, session_data=store.encode(data), expire_date=expires))
        keys.append(key)
    Session.objects.bulk_create(rows, batch_size=1000)
    return keys


def _start_server(port: int, workers: int) -> subprocess.Popen:
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "DEBUG": "false",
        "ALLOWED_HOSTS": "127.0.0.1",
        "USE_X_FORWARDED_FOR": "true",
        "CONN_MAX_AGE": "600",
        # This tree's code, whatever else is installed in the environment.
        "PYTHONPATH": str(PROJECT_ROOT),
    }
    return subprocess.Popen(  # noqa: S603 - our own gunicorn, fixed arguments
        [
            str(Path(sys.executable).with_name("gunicorn")),
            "config.wsgi:application",
            f"--bind=127.0.0.1:{port}",
            f"--workers={workers}",
            "--worker-class=sync",
            "--log-level=warning",
            "--timeout=60",
        ],
        cwd=PROJECT_ROOT,
        env=env,
        start_new_session=True,
    )


def _wait_until_serving(port: int, path: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", path)
            if conn.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("consultation_submit: the server did not start")


def _post_check(port, path, session_key, key, address) -> tuple[int, str, float]:
    csrf = secrets.token_hex(16)  # 32 characters: Django accepts the unmasked secret
    body = f"idempotency_key={key}"
    started = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request(
            "POST",
            path,
            body=body,
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Cookie": f"sessionid={session_key}; csrftoken={csrf}",
                "X-CSRFToken": csrf,
                "X-Forwarded-For": address,
            },
        )
        response = conn.getresponse()
        response.read()
        return response.status, response.getheader("Location", ""), time.perf_counter() - started
    finally:
        conn.close()


def run_server(consultation, answers, *, workers, clients, count, seconds, warm_up=WARM_UP):
    """POST check answers through gunicorn; returns (accepted, seconds, latencies, refused)."""
    from django.urls import reverse

    path = reverse("consultations:check", args=[consultation.slug])
    done = reverse("consultations:done", args=[consultation.slug])
    keys = _sessions_with_answers(consultation, answers, warm_up + count)
    port = _free_port()
    server = _start_server(port, workers)
    try:
        _wait_until_serving(port, reverse("consultations:detail", args=[consultation.slug]))
        # Each person their own address, from the range kept for benchmarks (RFC 2544); it is
        # only a header value here, every request goes to 127.0.0.1.
        addresses = [f"198.18.{n // 250}.{n % 250 + 1}" for n in range(warm_up + count)]
        for n in range(warm_up):
            _post_check(port, path, keys[n], f"server-warm-{n}", addresses[n])
        work = list(range(warm_up, warm_up + count))
        lock = threading.Lock()
        latencies, refused = [], []
        deadline = time.monotonic() + seconds

        def client():
            while time.monotonic() < deadline:
                with lock:
                    if not work:
                        return
                    n = work.pop()
                status, location, elapsed = _post_check(
                    port, path, keys[n], f"server-{n}", addresses[n]
                )
                with lock:
                    if status == 302 and location == done:
                        latencies.append(elapsed)
                    else:
                        refused.append(status)

        threads = [threading.Thread(target=client) for _ in range(clients)]
        started = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        wall = time.perf_counter() - started
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    return len(latencies), wall, latencies, refused, warm_up + count - len(work)


def report(label, accepted, seconds):
    rate = accepted / seconds
    verdict = "meets" if rate >= TARGET_PER_SECOND else "MISSES"
    print(f"  {label:<44} {accepted:5d} in {seconds:6.2f} s = {rate:7.0f}/s  {verdict}")


def main():
    from consultations.models import Answer, Response

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--modes", default="service,view,server", help="Any of service, view, server."
    )
    parser.add_argument("--workers", type=int, default=4, help="gunicorn sync workers.")
    parser.add_argument("--clients", type=int, default=8, help="Concurrent HTTP clients.")
    parser.add_argument("--server-requests", type=int, default=3000)
    parser.add_argument("--server-seconds", type=float, default=60, help="Stop after this.")
    options = parser.parse_args()
    modes = set(options.modes.split(","))
    if "server" in modes and connection.vendor != "postgresql":
        raise SystemExit("consultation_submit: the server mode needs PostgreSQL (DATABASE_URL).")

    original_name = connection.settings_dict["NAME"]
    test_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        from consultations.answers import questions_for

        consultation = seed()
        answers, rows_each = sample_answers(consultation)
        questions = questions_for(consultation)
        print(
            f"Consultation submits on {connection.vendor} ({test_name}), "
            f"{len(answers)} questions, {rows_each} answer rows each; target "
            f"{TARGET_PER_SECOND}/s; {os.cpu_count()} CPUs, load average "
            f"{os.getloadavg()[0]:.2f} before"
        )
        expected, refused = 0, 0
        if "service" in modes:
            run_service(consultation, answers, count=WARM_UP, prefix="warm", questions=questions)
            seconds = run_service(
                consultation, answers, count=SERVICE_RUNS, prefix="service", questions=questions
            )
            report("service, 1 thread", SERVICE_RUNS, seconds)
            seconds, errors = run_threads(consultation, answers, questions)
            report(f"service, {THREADS} threads", THREADS * THREADED_RUNS_EACH, seconds)
            if errors:
                print(f"  {len(errors)} thread(s) failed: {errors[0]!r}")
            expected += WARM_UP + SERVICE_RUNS + THREADS * THREADED_RUNS_EACH
        if "view" in modes:
            run_view(consultation, answers, count=WARM_UP, key_prefix="view-warm")
            seconds, refused_here = run_view(
                consultation, answers, count=VIEW_RUNS, key_prefix="view"
            )
            report("view (POST check answers), 1 thread", VIEW_RUNS - refused_here, seconds)
            seconds, refused_threaded, errors = run_view_threads(consultation, answers)
            report(
                f"view (POST check answers), {THREADS} threads",
                THREADS * VIEW_RUNS_EACH - refused_threaded,
                seconds,
            )
            if errors:
                print(f"  {len(errors)} thread(s) failed: {errors[0]!r}")
            refused += refused_here + refused_threaded
            expected += WARM_UP + VIEW_RUNS + THREADS * VIEW_RUNS_EACH
        if "server" in modes:
            accepted, seconds, latencies, refused_server, sent = run_server(
                consultation,
                answers,
                workers=options.workers,
                clients=options.clients,
                count=options.server_requests,
                seconds=options.server_seconds,
            )
            report(
                f"gunicorn {options.workers} workers, {options.clients} clients", accepted, seconds
            )
            if latencies:
                ordered = sorted(latencies)
                p95 = ordered[max(0, round(0.95 * len(ordered)) - 1)]
                print(
                    f"  latency p50 {statistics.median(ordered) * 1000:.1f} ms, "
                    f"p95 {p95 * 1000:.1f} ms, max {ordered[-1] * 1000:.1f} ms; "
                    f"{len(refused_server)} refused {sorted(set(refused_server))}"
                )
            refused += len(refused_server)
            expected += sent

        stored = Response.objects.filter(consultation=consultation).count()
        answer_rows = Answer.objects.filter(response__consultation=consultation).count()
        print(
            f"  stored {stored} responses of {expected} submitted "
            f"({expected - refused - stored} lost, {refused} refused), "
            f"{answer_rows} answer rows of {stored * rows_each} expected; "
            f"load average {os.getloadavg()[0]:.2f} after"
        )
    finally:
        connections.close_all()
        connection.creation.destroy_test_db(original_name, verbosity=0)


if __name__ == "__main__":
    main()
