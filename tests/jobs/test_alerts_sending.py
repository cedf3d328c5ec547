"""How send_job_alerts reads, searches and writes at speed (issue 20) without giving up what it
promises: the day's new vacancies read once and searched in Python give the digests one query
per search gave; a batch's digests are recorded and queued in one transaction, all or none;
two runs at once send each digest once; the queries a run makes do not grow with its searches."""

import threading
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from jobs.models import JobAlert, JobAlertRun, Vacancy
from jobs.services import alerts
from tests.factories import VacancyFactory, places_leeds

pytestmark = pytest.mark.django_db

LS1 = (53.7969, -1.5470)


@pytest.fixture(autouse=True)
def _digests_at_any_hour(settings):
    settings.JOB_ALERTS_HOUR = 0


@pytest.fixture
def now():
    return timezone.now()


def _alert(query: dict, *, email: str, since):
    """An active daily alert for the search, as if confirmed and last covered at `since`."""
    alert, token = alerts.alert_create(
        search=alerts.saved_search_read(query), frequency="daily", email=email
    )
    alerts.alert_confirm(token=token)
    JobAlert.objects.filter(pk=alert.pk).update(confirmed_at=since, covered_until=since)
    alert.refresh_from_db()
    return alert


def _published(title, *, at, miles_north=0.0, **terms):
    return VacancyFactory(
        title=title,
        status=Vacancy.Status.PUBLISHED,
        published_at=at,
        latitude=LS1[0] + miles_north / 69.09,
        longitude=LS1[1],
        **terms,
    )


def _digests() -> dict[str, str]:
    return {message.to[0]: message.body for message in mail.outbox if "new job" in message.subject}


SEARCHES = [
    {"where": "LS1", "miles": "5"},
    {"where": "LS1", "miles": "10", "keyword": "carer"},
    {"where": "Leeds", "miles": "25", "min_pay": "14"},
    {"keyword": "night"},
    {"where": "LS1", "miles": "10", "setting": "home_care", "travel_paid": "true"},
    {"keyword": "nobody advertises this"},
]


@pytest.fixture
def day(now):
    """Alerts on several searches, two a search, covered a day or two ago, and vacancies
    new and old at several distances."""
    places_leeds()
    made = []
    for number, query in enumerate(SEARCHES):
        for copy in range(2):
            since = now - timedelta(days=1 + copy)
            made.append(_alert(query, email=f"reader{number}.{copy}@example.org", since=since))
    _published("Night carer", at=now - timedelta(hours=2), miles_north=3)
    _published("Senior carer", at=now - timedelta(hours=5), miles_north=8, pay_amount=15)
    _published("Cook", at=now - timedelta(hours=6), miles_north=20, pay_amount=16)
    _published("Home carer", at=now - timedelta(hours=30), miles_north=4, home_care=True)
    _published("Home carer, travel paid", at=now - timedelta(hours=7), home_care=True,
               travel_time_paid=True, unpaid_travel_minutes_per_hour=0)  # fmt: skip
    _published("Old carer", at=now - timedelta(days=5))
    return made


def _again(made, *, since_by_alert):
    JobAlertRun.objects.all().delete()
    for alert in made:
        JobAlert.objects.filter(pk=alert.pk).update(covered_until=since_by_alert[alert.pk])
    mail.outbox.clear()


def test_the_digests_are_the_same_searched_in_python_or_in_sql(day, now, monkeypatch):
    covered = {alert.pk: alert.covered_until for alert in day}
    in_python = alerts.job_alerts_send(now=now)
    from_python = _digests()

    _again(day, since_by_alert=covered)
    monkeypatch.setattr(alerts, "POOL_MOST", 0)  # as after a long outage: too many to hold
    in_sql = alerts.job_alerts_send(now=now)

    assert in_python.searched_in_sql == 0 and in_sql.searched_in_sql == in_sql.searches
    assert from_python == _digests()
    assert (in_python.sent, in_python.empty) == (in_sql.sent, in_sql.empty)
    # Not trivially equal: some digests go, some alerts have nothing new, an older cover sees
    # the home care job of yesterday that a newer one does not.
    assert 0 < in_python.sent < len(day)
    assert "Home carer\n" in from_python["reader0.1@example.org"]
    assert "Home carer\n" not in from_python["reader0.0@example.org"]


def test_after_a_long_outage_only_the_alerts_covered_before_the_newest_search_in_sql(
    now, monkeypatch
):
    places_leeds()
    query = {"where": "LS1", "miles": "10"}
    recent = _alert(query, email="recent@example.org", since=now - timedelta(days=1))
    stale = _alert({**query, "keyword": "carer"}, email="stale@example.org",
                   since=now - timedelta(days=20))  # fmt: skip
    _published("Night carer", at=now - timedelta(hours=2))
    _published("Senior carer", at=now - timedelta(hours=5))
    _published("Day carer", at=now - timedelta(days=10))
    monkeypatch.setattr(alerts, "POOL_MOST", 2)  # the newest two are read: back to 10 days ago

    run = alerts.job_alerts_send(now=now)

    assert (run.searches, run.searched_in_sql, run.sent) == (2, 1, 2)
    digests = _digests()
    assert "Night carer" in digests[recent.email] and "Senior carer" in digests[recent.email]
    assert "Day carer" not in digests[recent.email]
    assert "Day carer" in digests[stale.email] and "Night carer" in digests[stale.email]


def test_a_run_makes_the_same_queries_whatever_the_number_of_searches(now):
    """Searches that name no place or role need nothing from the database to be read, so the
    queries of a run are the same for two searches or eight: none is run on its own."""
    _published("Night carer", at=now - timedelta(hours=2))
    since = now - timedelta(days=1)

    def queries_for(keywords: list[str], offset: int) -> tuple[int, int]:
        for number, keyword in enumerate(keywords):
            _alert({"keyword": keyword}, email=f"r{offset + number}@example.org", since=since)
        with CaptureQueriesContext(connection) as captured:
            run = alerts.job_alerts_send(now=now)
        assert run.searches == len(keywords) and run.sent == 1
        return len(captured), run.sent

    few = queries_for(["night", "cook"], 0)
    many = queries_for(["night carer", "cook", "driver", "nurse", "chef", "porter"], 10)
    assert few == many


def test_an_alert_covered_earlier_in_the_next_batch_gets_its_older_jobs(now, monkeypatch):
    """A search's alerts can straddle two batches; one covered longer ago in the second batch
    is searched again, further back, rather than given the first batch's shorter list."""
    places_leeds()
    monkeypatch.setattr(alerts, "BATCH", 2)
    query = {"where": "LS1", "miles": "10"}
    recent = [
        _alert(query, email=f"recent{n}@example.org", since=now - timedelta(days=1))
        for n in range(2)
    ]
    older = _alert(query, email="older@example.org", since=now - timedelta(days=3))
    assert older.pk > max(alert.pk for alert in recent)  # so it comes in the second batch
    _published("Night carer", at=now - timedelta(hours=2))
    _published("Senior carer", at=now - timedelta(days=2))

    run = alerts.job_alerts_send(now=now)

    assert run.sent == 3 and run.searches == 2
    digests = _digests()
    assert "Senior carer" in digests["older@example.org"]
    assert "Senior carer" not in digests["recent0@example.org"]


def test_a_batch_that_fails_midway_records_and_queues_nothing(day, now, settings, monkeypatch):
    # Email tasks written to the database, as in production, so a rollback takes them back.
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    enqueue = alerts.email_enqueue
    queued = []

    def fails_on_the_third(**message):
        enqueue(**message)
        queued.append(message["to"])
        if len(queued) == 3:
            raise ConnectionError("the database went away")

    monkeypatch.setattr(alerts, "email_enqueue", fails_on_the_third)
    with pytest.raises(ConnectionError):
        alerts.job_alerts_send(now=now)

    assert len(queued) == 3
    assert DBTaskResult.objects.count() == 0
    assert not JobAlertRun.objects.exists()
    assert all(
        alert.covered_until == JobAlert.objects.get(pk=alert.pk).covered_until for alert in day
    )

    monkeypatch.setattr(alerts, "email_enqueue", enqueue)
    run = alerts.job_alerts_send(now=now)
    assert DBTaskResult.objects.count() == run.sent > 3
    assert JobAlertRun.objects.count() == len(day)


def test_an_alert_stopped_while_the_run_is_under_way_gets_nothing(day, now, monkeypatch):
    stopped = day[0]
    record = alerts._digests_record

    def unsubscribed_meanwhile(digests, **kwargs):
        alerts.alert_unsubscribe(token=alerts.unsubscribe_token(stopped))
        return record(digests, **kwargs)

    monkeypatch.setattr(alerts, "_digests_record", unsubscribed_meanwhile)
    run = alerts.job_alerts_send(now=now)

    assert run.stopped == 1
    assert stopped.email not in _digests()
    assert not JobAlertRun.objects.filter(alert=stopped).exists()


def test_the_batch_writes_are_a_few_statements_not_one_per_digest(day, now):
    with CaptureQueriesContext(connection) as captured:
        run = alerts.job_alerts_send(now=now)
    writes = [q["sql"] for q in captured if q["sql"].startswith(("INSERT", "UPDATE"))]
    assert run.sent >= 4
    # The runs in one INSERT, the covers in one UPDATE, the audit event; the email tasks run at
    # once in the tests, so they write nothing here.
    assert len([sql for sql in writes if "jobs_jobalertrun" in sql]) == 1
    assert len([sql for sql in writes if sql.startswith('UPDATE "jobs_jobalert"')]) == 1
    # The vacancies are read once, with every column a digest shows: none is read again.
    assert len([q for q in captured if 'FROM "jobs_vacancy"' in q["sql"]]) == 1


@pytest.mark.django_db(transaction=True)
def test_two_runs_at_once_send_each_digest_once(now, monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip(
            "SQLite's test database is one in-memory file shared by the threads, whose locks "
            "fail at once instead of waiting; PostgreSQL's row locks are what this tests"
        )
    places_leeds()
    made = [
        _alert(
            {"where": "LS1", "miles": "10"},
            email=f"r{n}@example.org",
            since=now - timedelta(days=1),
        )
        for n in range(6)
    ]
    _published("Night carer", at=now - timedelta(hours=2))
    record = alerts._digests_record
    # Both runs have read and searched the same alerts before either records any.
    both_ready = threading.Barrier(2, timeout=30)

    def in_step(digests, **kwargs):
        both_ready.wait()
        return record(digests, **kwargs)

    monkeypatch.setattr(alerts, "_digests_record", in_step)
    runs, failures = [], []

    def one_run():
        try:
            runs.append(alerts.job_alerts_send(now=now))
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            failures.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=one_run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert failures == []
    assert sorted(run.sent for run in runs) == [0, len(made)]
    assert sorted(run.already_done for run in runs) == [0, len(made)]
    sent_to = [message.to[0] for message in mail.outbox if "new job" in message.subject]
    assert sorted(sent_to) == sorted(alert.email for alert in made)
    assert JobAlertRun.objects.count() == len(made)
