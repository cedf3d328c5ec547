"""An open consultation, as a national one would be halfway through, that already holds its
responses: made through the building services, with the responses and their answers loaded by
COPY by bench/consultation_results.py's loader. Used by bench/full_stack.py (`make bench`);
reused when it exists.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/careregister_bench \\
        .venv/bin/python bench/seed_consultation.py --responses 100000
"""

import argparse
import os
import random
import sys
import time
from datetime import timedelta
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.models import Membership, Organisation, User  # noqa: E402
from bench.consultation_results import seed as responses_copy  # noqa: E402
from consultations.models import Consultation, Question  # noqa: E402
from consultations.services import building, lifecycle  # noqa: E402

SLUG = "bench-national-consultation"
ADMIN_EMAIL = "bench-consultation-admin@bench.invalid"


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
        # The responses already in are spread over the 29 days since it opened.
        opens_at=now - timedelta(days=30),
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


def consultation_open_with_responses(*, responses: int, seed: int = 2026) -> Consultation:
    """The bench's open consultation with at least `responses` responses."""
    with transaction.atomic():
        consultation = Consultation.objects.filter(slug=SLUG).first() or _build()
        if not consultation.responses.exists():
            responses_copy(consultation, count=responses, rng=random.Random(seed))
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
