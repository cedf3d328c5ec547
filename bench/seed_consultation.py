"""An open consultation, as a national one would be halfway through, that already holds its
responses: made through the building services, with the responses and their answers loaded by
COPY. Used by bench/full_stack.py (`make bench`); reused when it exists.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/careregister_bench \\
        .venv/bin/python bench/seed_consultation.py --responses 100000
"""

import argparse
import io
import os
import random
import sys
import time
from datetime import timedelta
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "register.settings")

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from consultations.models import Answer, Consultation, Question, Response  # noqa: E402
from consultations.services import building, lifecycle  # noqa: E402
from register.models import Membership, Organisation, User  # noqa: E402

SLUG = "bench-national-consultation"
ADMIN_EMAIL = "bench-consultation-admin@bench.invalid"
WORDS = (
    "training pay time cost register recognition recruitment paperwork employer agency "
    "shifts travel care certificate manager respect career passport checks fees"
).split()


def _build() -> Consultation:
    association, _ = Organisation.objects.get_or_create(
        name="Bench National Association", defaults={"kind": Organisation.Kind.ASSOCIATION}
    )
    admin, created = User.objects.get_or_create(
        email=ADMIN_EMAIL, defaults={"full_name": "Bench Consultation Admin"}
    )
    if created:
        admin.set_unusable_password()
        admin.save()
    Membership.objects.get_or_create(
        user=admin, organisation=association, defaults={"role": Membership.Role.OWNER}
    )
    now = timezone.now()
    consultation = building.consultation_create(
        organisation=association,
        user=admin,
        slug=SLUG,
        title="A voluntary register for adult social care (benchmark)",
        summary="Open to anyone, with or without an account.",
        privacy_notice="Benchmark data only.",
        opens_at=now - timedelta(days=14),
        closes_at=now + timedelta(days=14),
    )
    page = building.page_add(consultation=consultation, user=admin, title="Your views")
    kind = Question.Kind
    building.question_add(
        page=page, user=admin, kind=kind.LIKERT, text="There should be a voluntary register."
    )
    building.question_add(
        page=page,
        user=admin,
        kind=kind.SINGLE_CHOICE,
        text="Would you join it?",
        options=["Yes", "Maybe", "No"],
    )
    building.question_add(
        page=page,
        user=admin,
        kind=kind.MULTIPLE_CHOICE,
        text="What should it include?",
        options=["Training passports", "Quicker recruitment", "Job trials", "Recognition"],
        has_other=True,
    )
    building.question_add(
        page=page, user=admin, kind=kind.SHORT_TEXT, text="Anything else?", required=False
    )
    lifecycle.consultation_schedule(consultation=consultation, user=admin)
    consultation.refresh_from_db()
    return consultation


def _copy(table: str, columns: list[str], buffer: io.StringIO) -> None:
    buffer.seek(0)
    with connection.cursor() as cursor:
        with cursor.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
            while chunk := buffer.read(1 << 20):
                copy.write(chunk)


def _load(consultation: Consultation, *, count: int, rng: random.Random) -> None:
    questions = list(
        Question.objects.filter(consultation=consultation)
        .prefetch_related("options")
        .order_by("page__position", "position")
    )
    types = [value for value, _ in Response.RespondentType.choices]
    buffer = io.StringIO()
    plan = []
    opened = consultation.opens_at
    for number in range(count):
        respondent_type = rng.choice(types)
        submitted = opened + timedelta(seconds=rng.randint(0, 13 * 86400))
        duration = rng.randint(60, 900)
        buffer.write(
            f"{consultation.pk}\tN{number:011d}\t{respondent_type}\tf\t\t\\N\tseed-{number}\t"
            f"{(submitted - timedelta(seconds=duration)).isoformat()}\t{submitted.isoformat()}\t"
            f"{duration}\t{submitted.isoformat()}\n"
        )
        plan.append(respondent_type)
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
        ],  # fmt: skip
        buffer,
    )
    ids = Response.objects.filter(consultation=consultation).order_by("id")
    buffer = io.StringIO()
    for response_id, respondent_type in zip(ids.values_list("id", flat=True), plan, strict=True):
        for question in questions:
            options = list(question.options.all())
            if question.is_respondent_type:
                chosen = [option for option in options if option.value == respondent_type][:1]
            elif question.kind == Question.Kind.MULTIPLE_CHOICE:
                chosen = rng.sample(options, rng.randint(1, len(options)))
            elif question.is_choice:
                chosen = [rng.choice(options)]
            else:
                chosen = []
                if rng.random() < 0.5:
                    words = " ".join(rng.choices(WORDS, k=rng.randint(5, 25)))
                    buffer.write(f"{response_id}\t{question.pk}\t\\N\t{words.capitalize()}.\n")
            for option in chosen:
                buffer.write(f"{response_id}\t{question.pk}\t{option.pk}\t\n")
    _copy(Answer._meta.db_table, ["response_id", "question_id", "option_id", "text"], buffer)


def consultation_open_with_responses(*, responses: int, seed: int = 2026) -> Consultation:
    """The bench's open consultation with at least `responses` responses."""
    with transaction.atomic():
        consultation = Consultation.objects.filter(slug=SLUG).first() or _build()
        if not consultation.responses.exists():
            _load(consultation, count=responses, rng=random.Random(seed))
    return consultation


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--responses", type=int, default=100_000)
    options = parser.parse_args()
    if connection.vendor != "postgresql":
        raise SystemExit("seed_consultation: run this against PostgreSQL (DATABASE_URL).")
    started = time.perf_counter()
    consultation = consultation_open_with_responses(responses=options.responses)
    print(
        f"{consultation.slug}: {consultation.responses.count():,} responses, "
        f"{time.perf_counter() - started:.1f} s"
    )


if __name__ == "__main__":
    main()
