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

Anonymous answers are rate-limited per address; every request here comes from one address,
so the limit is raised for the run (the cache is still read and written on each submit).
Target: 300 responses a second or more, with every accepted response and answer stored.
"""

import os
import sys
import threading
import time
from datetime import timedelta
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "register.settings")
os.environ.setdefault("DEBUG", "false")

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
    from consultations.models import Question
    from consultations.services import building, lifecycle
    from register.models import Membership, Organisation, User

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

    url = reverse("consultation-check", args=[consultation.slug])
    done = reverse("consultation-done", args=[consultation.slug])
    client = Client()
    client.get(reverse("consultation-detail", args=[consultation.slug]))
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


def report(label, accepted, seconds):
    rate = accepted / seconds
    verdict = "meets" if rate >= TARGET_PER_SECOND else "MISSES"
    print(f"  {label:<44} {accepted:5d} in {seconds:6.2f} s = {rate:7.0f}/s  {verdict}")


def main():
    from consultations.models import Answer, Response
    from consultations.services import responding

    responding.ANONYMOUS_RESPONSES_PER_HOUR = 10**9
    original_name = connection.settings_dict["NAME"]
    test_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        from consultations.answers import questions_for

        consultation = seed()
        answers, rows_each = sample_answers(consultation)
        questions = questions_for(consultation)
        run_service(consultation, answers, count=WARM_UP, prefix="warm", questions=questions)
        print(
            f"Consultation submits on {connection.vendor} ({test_name}), "
            f"{len(answers)} questions, {rows_each} answer rows each; target "
            f"{TARGET_PER_SECOND}/s"
        )
        seconds = run_service(
            consultation, answers, count=SERVICE_RUNS, prefix="service", questions=questions
        )
        report("service, 1 thread", SERVICE_RUNS, seconds)
        seconds, errors = run_threads(consultation, answers, questions)
        report(f"service, {THREADS} threads", THREADS * THREADED_RUNS_EACH, seconds)
        if errors:
            print(f"  {len(errors)} thread(s) failed: {errors[0]!r}")
        run_view(consultation, answers, count=WARM_UP, key_prefix="view-warm")
        seconds, refused = run_view(consultation, answers, count=VIEW_RUNS, key_prefix="view")
        report("view (POST check answers), 1 thread", VIEW_RUNS - refused, seconds)
        seconds, refused_threaded, errors = run_view_threads(consultation, answers)
        report(
            f"view (POST check answers), {THREADS} threads",
            THREADS * VIEW_RUNS_EACH - refused_threaded,
            seconds,
        )
        if errors:
            print(f"  {len(errors)} thread(s) failed: {errors[0]!r}")
        refused += refused_threaded

        expected = (
            WARM_UP * 2
            + SERVICE_RUNS
            + THREADS * THREADED_RUNS_EACH
            + VIEW_RUNS
            + THREADS * VIEW_RUNS_EACH
        )
        stored = Response.objects.filter(consultation=consultation).count()
        answer_rows = Answer.objects.filter(response__consultation=consultation).count()
        print(
            f"  stored {stored} responses of {expected} submitted "
            f"({expected - stored} lost, {refused} refused by the view), "
            f"{answer_rows} answer rows of {expected * rows_each} expected"
        )
    finally:
        connections.close_all()
        connection.creation.destroy_test_db(original_name, verbosity=0)


if __name__ == "__main__":
    main()
