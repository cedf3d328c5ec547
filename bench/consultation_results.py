"""Seed a consultation with 100,000 responses on PostgreSQL, then time the association's results
page, the written-answers search, the CSV export and the PDF report through the views.

    createdb -h 127.0.0.1 -U postgres cr_analysis_bench
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/cr_analysis_bench
    .venv/bin/python manage.py migrate
    .venv/bin/python bench/consultation_results.py --responses 100000

The consultation has the demo's shape: "about you", a Likert question, a choose-one, a
choose-any with "Other", a conditional choose-one, a short and a long free-text question.
Responses and answers are loaded with COPY. Seeding happens once: a second run finds the
consultation and only times it. Each page is requested through Django's test client, signed
in as the association's admin: URL routing, every middleware, the view, the database and the
template, without a web server or the network.
"""

import argparse
import io
import os
import random
import statistics
import sys
import time
from datetime import timedelta
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

from django.conf import settings  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.models import Membership, Organisation, User  # noqa: E402
from consultations.models import Answer, Consultation, Question, Response  # noqa: E402
from consultations.services import building  # noqa: E402

SLUG = "bench-consultation-results"
ADMIN_EMAIL = "bench-analysis-admin@example.org"
TARGET_MS = 500.0
Kind = Question.Kind
WORDS = (
    "training pay time cost register recognition recruitment paperwork data employer "
    "agency shifts travel care certificate manager respect career passport checks fees"
).split()


def _consultation() -> tuple[Consultation, User]:
    organisation, _ = Organisation.objects.get_or_create(
        name="Bench Association", defaults={"kind": Organisation.Kind.ASSOCIATION}
    )
    admin, created = User.objects.get_or_create(
        email=ADMIN_EMAIL, defaults={"full_name": "Bench Admin"}
    )
    if created:
        admin.set_unusable_password()
        admin.save()
    Membership.objects.get_or_create(
        user=admin, organisation=organisation, defaults={"role": Membership.Role.OWNER}
    )
    consultation = Consultation.objects.filter(slug=SLUG).first()
    if consultation is not None:
        return consultation, admin
    now = timezone.now()
    consultation = building.consultation_create(
        organisation=organisation,
        user=admin,
        slug=SLUG,
        title="Proposed voluntary register (benchmark)",
        summary="A consultation with many responses, to time the analysis pages.",
        privacy_notice="Benchmark data only.",
        opens_at=now - timedelta(days=30),
        closes_at=now + timedelta(days=1),
    )
    page = building.page_add(consultation=consultation, user=admin, title="Support")
    building.question_add(
        page=page, user=admin, kind=Kind.LIKERT, text="There should be a voluntary register."
    )
    join = building.question_add(
        page=page,
        user=admin,
        kind=Kind.SINGLE_CHOICE,
        text="Would you join it?",
        options=["Yes", "Maybe", "No", "Does not apply to me"],
    )
    building.question_add(
        page=page,
        user=admin,
        kind=Kind.SHORT_TEXT,
        text="Why do you say that?",
        required=False,
        max_length=300,
    )
    page = building.page_add(consultation=consultation, user=admin, title="Contents")
    building.question_add(
        page=page,
        user=admin,
        kind=Kind.MULTIPLE_CHOICE,
        text="What should the register include?",
        options=["Training passports", "Quicker recruitment", "Job trials", "Recognition"],
        has_other=True,
    )
    building.question_add(
        page=page,
        user=admin,
        kind=Kind.SINGLE_CHOICE,
        text="What would stop you joining?",
        options=["The cost", "I do not see the point", "Worries about my data"],
        show_if_options=[o for o in join.options.all() if o.label in {"Maybe", "No"}],
    )
    building.question_add(
        page=page,
        user=admin,
        kind=Kind.LONG_TEXT,
        text="Anything else?",
        required=False,
        max_length=1000,
    )
    # Closed and being analysed, as the real one would be by now.
    Consultation.objects.filter(pk=consultation.pk).update(
        status=Consultation.Status.ANALYSING, closes_at=now - timedelta(hours=1)
    )
    consultation.refresh_from_db()
    return consultation, admin


def _copy(table: str, columns: list[str], buffer: io.StringIO) -> None:
    buffer.seek(0)
    with connection.cursor() as cursor:
        with cursor.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
            while chunk := buffer.read(1 << 20):
                copy.write(chunk)


def seed(consultation: Consultation, *, count: int, rng: random.Random) -> None:
    questions = list(
        Question.objects.filter(consultation=consultation)
        .prefetch_related("options")
        .order_by("page__position", "position")
    )
    types = [value for value, _ in Response.RespondentType.choices]
    start = consultation.opens_at
    started = time.perf_counter()
    buffer = io.StringIO()
    plan = []
    for number in range(count):
        respondent_type = rng.choices(types, weights=[60, 20, 5, 10, 5])[0]
        verified = respondent_type == "care_worker" and rng.random() < 0.4
        submitted = start + timedelta(seconds=rng.randint(0, 29 * 86400))
        duration = rng.randint(60, 900)
        moment = submitted.isoformat()
        buffer.write(
            f"{consultation.pk}\tB{number:010d}\t{respondent_type}\t{'t' if verified else 'f'}\t"
            f"{'registered' if verified else ''}\t\\N\tbench-{number}\t"
            f"{(submitted - timedelta(seconds=duration)).isoformat()}\t{moment}\t{duration}\t"
            f"{moment}\n"
        )
        plan.append((respondent_type, verified))
    _copy(
        Response._meta.db_table,
        [
            "consultation_id",
            "reference",
            "respondent_type",
            "verified",
            "register_status",
            "respondent_hash",
            "idempotency_key",
            "started_at",
            "submitted_at",
            "duration_seconds",
            "updated_at",
        ],
        buffer,
    )
    ids = list(
        Response.objects.filter(consultation=consultation)
        .order_by("id")
        .values_list("id", flat=True)
    )
    print(f"  responses: {len(ids):,} rows in {time.perf_counter() - started:.1f} s")
    started = time.perf_counter()
    buffer = io.StringIO()
    rows = 0
    for response_id, (respondent_type, verified) in zip(ids, plan, strict=True):
        # Each answer carries its response's type and verified flag, and the first row of each
        # question is marked, as Answer.objects.bulk_create would write them.
        copied = f"{respondent_type}\t{'t' if verified else 'f'}"
        join_label = None
        for question in questions:
            options = list(question.options.all())
            if question.is_respondent_type:
                chosen = [next(o for o in options if o.value == respondent_type)]
            elif question.show_if_question_id:
                chosen = [rng.choice(options)] if join_label in {"Maybe", "No"} else []
            elif question.kind == Kind.MULTIPLE_CHOICE:
                chosen = rng.sample(options, rng.randint(1, len(options)))
                if rng.random() < 0.1:
                    words = " ".join(rng.choices(WORDS, k=4))
                    buffer.write(f"{response_id}\t{question.pk}\t\\N\t{words}\t{copied}\tf\n")
                    rows += 1
            elif question.is_choice:
                chosen = [rng.choices(options, weights=range(len(options), 0, -1))[0]]
                if question.text.startswith("Would you join"):
                    join_label = chosen[0].label
            else:
                chosen = []
                if rng.random() < 0.5:
                    words = " ".join(rng.choices(WORDS, k=rng.randint(5, 25)))
                    buffer.write(
                        f"{response_id}\t{question.pk}\t\\N\t{words.capitalize()}.\t{copied}\tt\n"
                    )
                    rows += 1
            for position, option in enumerate(chosen):
                first = "t" if position == 0 else "f"
                buffer.write(f"{response_id}\t{question.pk}\t{option.pk}\t\t{copied}\t{first}\n")
                rows += 1
    _copy(
        Answer._meta.db_table,
        [
            "response_id",
            "question_id",
            "option_id",
            "text",
            "respondent_type",
            "verified",
            "first_for_question",
        ],
        buffer,
    )
    print(f"  answers: {rows:,} rows in {time.perf_counter() - started:.1f} s")


def timed(client: Client, url: str, *, repeat: int, stream: bool = False) -> list[float]:
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        response = client.get(url)
        if stream:
            size = sum(len(chunk) for chunk in response.streaming_content)
        else:
            size = len(response.content)
        timings.append((time.perf_counter() - started) * 1000)
        if response.status_code != 200:
            raise SystemExit(f"consultation_results: {url} answered {response.status_code}")
    timed.last_size = size
    return timings


def line(label: str, timings: list[float], size: int) -> str:
    ordered = sorted(timings)
    p95 = ordered[max(0, round(0.95 * len(ordered)) - 1)]
    return (
        f"{label:<34} {len(timings):>4} {statistics.median(timings):>9.1f} {p95:>9.1f} "
        f"{max(timings):>9.1f} {size / 1024:>10.0f} KiB"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--responses", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=20, help="Timed requests per page.")
    parser.add_argument("--seed", type=int, default=2026)
    options = parser.parse_args()
    if connection.vendor != "postgresql":
        raise SystemExit("consultation_results: run this against PostgreSQL (DATABASE_URL).")

    with transaction.atomic():
        consultation, admin = _consultation()
        existing = consultation.responses.count()
        if existing == 0:
            print(f"Seeding {options.responses:,} responses with COPY")
            seed(consultation, count=options.responses, rng=random.Random(options.seed))
    if existing == 0:
        # Statistics for the planner, and the visibility map for index-only scans, as
        # autovacuum would leave them on a real server; VACUUM cannot run in a transaction.
        with connection.cursor() as cursor:
            cursor.execute(f"VACUUM ANALYZE {Response._meta.db_table}")
            cursor.execute(f"VACUUM ANALYZE {Answer._meta.db_table}")
    total = consultation.responses.count()
    answers = Answer.objects.filter(question__consultation=consultation).count()
    with connection.cursor() as cursor:
        cursor.execute("SELECT version(), current_setting('shared_buffers')")
        version, shared_buffers = cursor.fetchone()
    print(
        f"Consultation analysis through the views: {total:,} responses, {answers:,} answers "
        f"in {connection.settings_dict['NAME']}\n{version.split(' on ')[0]}, "
        f"shared_buffers={shared_buffers}; DEBUG={settings.DEBUG}, {os.cpu_count()} CPUs, "
        f"load average {os.getloadavg()[0]:.2f} before"
    )
    client = Client()
    client.force_login(admin)
    base = f"/consultations/manage/{consultation.pk}/analysis/"
    pages = [
        ("results page (admin, true numbers)", base, options.requests, False),
        (
            "publish page (suppressed preview)",
            f"/consultations/manage/{consultation.pk}/publish/",
            options.requests,
            False,
        ),
        ("written answers, first page", f"{base}answers/", options.requests, False),
        (
            "written answers, search 'paperwork'",
            f"{base}answers/?q=paperwork",
            options.requests,
            False,
        ),
        ("CSV export, every response", f"{base}responses.csv", 3, True),
        ("PDF report, full", f"{base}report.pdf", 5, False),
    ]
    for _, url, _, stream in pages:
        timed(client, url, repeat=2, stream=stream)  # warm up
    print(f"{'milliseconds':<34} {'n':>4} {'p50':>9} {'p95':>9} {'max':>9} {'size':>14}")
    verdict = None
    for label, url, repeat, stream in pages:
        timings = timed(client, url, repeat=repeat, stream=stream)
        print(line(label, timings, timed.last_size))
        if verdict is None:
            ordered = sorted(timings)
            verdict = ordered[max(0, round(0.95 * len(ordered)) - 1)]
    print(f"load average {os.getloadavg()[0]:.2f} after")
    if verdict >= TARGET_MS:
        print(f"FAIL: the results page's p95 is {verdict:.0f} ms, not under {TARGET_MS:.0f} ms")
        raise SystemExit(1)
    print(f"PASS: the results page's p95 is {verdict:.0f} ms, under {TARGET_MS:.0f} ms")


if __name__ == "__main__":
    main()
