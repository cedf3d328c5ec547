"""The quiz question page against the /healthz floor (issue 21: "A quiz page: at least 0.6×
the /healthz floor"), on PostgreSQL, served by gunicorn with production settings.

    .venv/bin/python bench/careers_quiz.py      # database careregister_bench_careers_quiz
    DATABASE_URL=postgres://…/name .venv/bin/python bench/careers_quiz.py

A small database of its own: the migrations, one association and the two demo quizzes
(demo/careers_quizzes.py). wrk with BENCH_CONNECTIONS connections asks for /healthz, then for
every question page of both quizzes in turn, as visitors without a session (the page reads
no database: the words are kept per process, the current version in the shared cache).
Settings: BENCH_SECONDS (10), BENCH_WARMUP (3), BENCH_CONNECTIONS (16), BENCH_WORKERS
(2 × CPUs + 1). The results go to bench/results_careers_quiz.json.
"""

# ruff: noqa: S603, S607 - runs this project's own tools (wrk, gunicorn) with fixed arguments
import json
import os
import subprocess
import sys
import time
from pathlib import Path

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
    run_wrk,
    say,
    server_env,
    servers_ready,
    start_gunicorn,
    summarise,
)

RESULTS = PROJECT_ROOT / "bench" / "results_careers_quiz.json"
KEYS_FILE = PROJECT_ROOT / "var" / "bench-keys.json"
DATABASE = "careregister_bench_careers_quiz"
FLOOR_SHARE = 0.6


def prepare() -> dict:
    """In a child with the servers' settings: the association and both quizzes, once; the
    question pages' paths for wrk."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from accounts.models import Membership, Organisation, User
    from careers.models import Quiz
    from demo.careers_quizzes import seed_demo_quizzes

    association, _ = Organisation.objects.get_or_create(
        name="Bench Association", defaults={"kind": Organisation.Kind.ASSOCIATION}
    )
    admin, _ = User.objects.get_or_create(
        email="bench-association@example.org", defaults={"full_name": "Bench Admin"}
    )
    Membership.objects.get_or_create(
        user=admin, organisation=association, defaults={"role": Membership.Role.OWNER}
    )
    seed_demo_quizzes(association, admin)
    paths = []
    for quiz in Quiz.objects.all():
        count = len(quiz.versions.filter(status="published").latest("number").content["questions"])
        paths += [f"/careers/quizzes/{quiz.slug}/{number}/" for number in range(1, count + 1)]
    WORK.mkdir(parents=True, exist_ok=True)
    (WORK / "quiz_questions.txt").write_text("".join(f"{path}\n" for path in paths))
    (WORK / "quiz_healthz.txt").write_text("/healthz\n")
    return {"question_pages": len(paths)}


def main() -> None:
    database_url = os.environ.get("DATABASE_URL", "")
    if not database_url.startswith("postgres"):
        # A database of its own on the bench's PostgreSQL server, started if need be.
        ensure_postgresql()
        database_url = f"{PG_SERVER}/{DATABASE}"
    database = database_ready(database_url, refuse=("test", "careregister_bench_jobs_full"))
    seconds = int(os.environ.get("BENCH_SECONDS") or 10)
    warmup = int(os.environ.get("BENCH_WARMUP") or 3)
    connections = int(os.environ.get("BENCH_CONNECTIONS") or 16)
    workers = int(os.environ.get("BENCH_WORKERS") or 2 * (os.cpu_count() or 1) + 1)
    if not KEYS_FILE.exists():
        from bench import run_without_debug

        run_without_debug()
    wrk = ensure_wrk()
    keys = json.loads(KEYS_FILE.read_text())
    cache, cache_label = cache_url(key_prefix=f"bench-quiz-{int(time.time())}")
    env = server_env(database=database, cache=cache, keys=keys)
    env["DATABASE_URL"] = database_url
    say(f"migrate {database}; cache: {cache_label}")
    servers_ready(env, cache=cache)
    result = subprocess.run([sys.executable, str(Path(__file__)), "--prepare"], check=False,
                            env=env, cwd=PROJECT_ROOT, capture_output=True, text=True)  # fmt: skip
    if result.returncode:
        raise SystemExit(f"bench: seeding failed\n{result.stdout}\n{result.stderr}")
    prepared = json.loads(result.stdout.strip().splitlines()[-1])

    port = free_port()
    server_process = start_gunicorn(
        env, port=port, workers=workers, log=WORK / "careers-quiz-gunicorn.log"
    )
    base = f"http://127.0.0.1:{port}"
    rows = []
    try:
        for name, label, paths in [
            ("healthz", "GET /healthz (the floor)", "quiz_healthz.txt"),
            ("quiz_question", "a quiz question page, a visitor without a session",
             "quiz_questions.txt"),
        ]:  # fmt: skip
            say(f"{label}: {connections} connections, {seconds} s after {warmup} s warm-up")
            common = {"script": "get.lua", "url": base, "args": [str(WORK / paths)],
                      "connections": connections, "threads": min(connections, 2)}  # fmt: skip
            run_wrk(wrk, seconds=warmup, **common)
            rows.append(summarise(name, label, run_wrk(wrk, seconds=seconds, **common),
                                  connections=connections))  # fmt: skip
    finally:
        server_process.terminate()
        server_process.wait(timeout=30)
    floor = rows[0]["requests_per_second"]
    for row in rows:
        row["x_floor"] = round(row["requests_per_second"] / floor, 2)
        row["verdict"] = (
            "ERRORS" if row["errors"]
            else "pass" if row["name"] == "healthz" or row["x_floor"] >= FLOOR_SHARE
            else "MISS"
        )  # fmt: skip
    RESULTS.write_text(json.dumps({"rows": rows, **prepared, "workers": workers}, indent=2) + "\n")
    print()
    print(f"{prepared['question_pages']} question pages; {workers} gunicorn workers; {cache_label}")
    print("| row | req/s | p50 ms | p95 ms | × floor | verdict |")
    print("| --- | ---: | ---: | ---: | ---: | --- |")
    for row in rows:
        print(
            f"| {row['label']} | {row['requests_per_second']} | {row['p50_ms']} "
            f"| {row['p95_ms']} | {row['x_floor']} | {row['verdict']} |"
        )
    print(f"\nTarget: the question page at least {FLOOR_SHARE} × the floor.")
    print(f"Written: {RESULTS.relative_to(PROJECT_ROOT)}")


if __name__ == "__main__":
    os.chdir(PROJECT_ROOT)
    if sys.argv[1:] == ["--prepare"]:
        print(json.dumps(prepare()))
    else:
        main()
