"""Job alerts: saving a search (at once, or after the emailed link), the digests of
send_job_alerts (what they hold, when they go, idempotence with an interruption), one-click
unsubscribe (RFC 8058) and the pages, with an access table per persona."""

import datetime
import json
from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from core.models import AuditEvent
from jobs.models import JobAlert, JobAlertRun, Vacancy
from jobs.services import alerts
from jobs.services.alerts import AlertError, AlertLinkRefused
from tests.factories import UserFactory, VacancyFactory

pytestmark = pytest.mark.django_db

LEEDS_SEARCH = {"where": "LS1", "miles": "10", "keyword": "carer"}


@pytest.fixture(autouse=True)
def _digests_at_any_hour(settings):
    # The hour digests start from has its own test; the others run whatever the time.
    settings.JOB_ALERTS_HOUR = 0


@pytest.fixture
def now():
    return timezone.now()


@pytest.fixture
def search(db):
    VacancyFactory()  # loads the places of Leeds that the search names
    return alerts.saved_search_read(LEEDS_SEARCH)


def _published(title="Home carer", *, at, **terms):
    terms.setdefault("status", Vacancy.Status.PUBLISHED)
    return VacancyFactory(title=title, published_at=at, **terms)


def _active(alert, *, since):
    """As if the alert was confirmed at `since`, before today."""
    JobAlert.objects.filter(pk=alert.pk).update(confirmed_at=since, covered_until=since)
    alert.refresh_from_db()
    return alert


def _alert(search, *, email="reader@example.org", frequency="daily", since=None):
    alert, token = alerts.alert_create(search=search, frequency=frequency, email=email)
    alerts.alert_confirm(token=token)
    return _active(alert, since=since or timezone.now() - timedelta(days=1, hours=1))


def _digests():
    return [m for m in mail.outbox if "new job" in m.subject]


def _events(alert, action):
    return AuditEvent.objects.filter(
        target_type="jobs.jobalert", target_id=str(alert.pk), action=action
    )


# Saving a search --------------------------------------------------------------------------


def test_a_search_is_saved_in_a_fixed_order_without_its_sort(search):
    again = alerts.saved_search_read(
        {"keyword": " carer ", "sort": "pay", "miles": "10", "where": "ls1"}
    )
    assert again.query == search.query
    assert again.key == search.key
    assert "sort" not in search.query
    assert search.description.startswith("Jobs matching “carer” within 10 miles of LS1")


def test_a_search_with_a_problem_cannot_be_saved(db):
    with pytest.raises(AlertError, match="The search has a problem"):
        alerts.saved_search_read({"miles": "7", "where": "LS1"})


def test_a_signed_in_person_with_a_confirmed_address_is_subscribed_at_once(search, worker):
    alert, token = alerts.alert_create(search=search, frequency="weekly", user=worker)

    assert token is None
    assert alert.status == JobAlert.Status.ACTIVE and alert.email == worker.email
    assert alert.confirmed_at and alert.covered_until
    assert alert.weekday == timezone.localdate().weekday()
    assert mail.outbox == []
    event = _events(alert, "jobs.alert.created").get()
    assert event.actor_id == worker.pk and event.new_status == "active"
    assert worker.email not in json.dumps(event.data)


def test_a_person_whose_address_is_not_confirmed_gets_a_link_first(
    search, django_capture_on_commit_callbacks
):
    unconfirmed = UserFactory(verified=False)
    with django_capture_on_commit_callbacks(execute=True):
        alert, token = alerts.alert_create(search=search, frequency="daily", user=unconfirmed)
    assert token and alert.status == JobAlert.Status.UNCONFIRMED
    assert [m.to for m in mail.outbox] == [[unconfirmed.email]]
    assert reverse("jobs:alert-confirm", args=[token]) in mail.outbox[0].body


def test_anyone_can_save_a_search_by_confirming_the_emailed_link(
    search, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        alert, token = alerts.alert_create(
            search=search, frequency="daily", email=" someone@example.org "
        )
    assert alert.user is None and alert.email == "someone@example.org"
    assert alert.status == JobAlert.Status.UNCONFIRMED and alert.covered_until is None
    message = mail.outbox[-1]
    assert message.to == ["someone@example.org"]
    assert search.description in message.body
    assert token not in alert.confirmation_hash  # only its hash is kept

    checked = alerts.alert_confirmation_check(token=token)
    assert checked.pk == alert.pk
    alert.refresh_from_db()
    assert alert.status == JobAlert.Status.UNCONFIRMED  # looking at the link confirms nothing

    alerts.alert_confirm(token=token)
    alert.refresh_from_db()
    assert alert.status == JobAlert.Status.ACTIVE and alert.confirmation_hash == ""
    assert _events(alert, "jobs.alert.confirmed").count() == 1
    with pytest.raises(AlertLinkRefused):
        alerts.alert_confirm(token=token)  # used once


def test_the_email_address_is_encrypted_at_rest(search):
    alerts.alert_create(search=search, frequency="daily", email="hidden@example.org")
    with connection.cursor() as cursor:
        cursor.execute("SELECT email FROM jobs_jobalert")
        assert "hidden" not in cursor.fetchone()[0]


@pytest.mark.parametrize(
    "frequency, email, message",
    [
        ("hourly", "someone@example.org", "every day or once a week"),
        ("daily", "not an address", "in the right form"),
        ("daily", "", "in the right form"),
    ],
)
def test_a_wrong_frequency_or_address_is_refused_and_nothing_kept(
    search, frequency, email, message
):
    with pytest.raises(AlertError, match=message):
        alerts.alert_create(search=search, frequency=frequency, email=email)
    assert not JobAlert.objects.exists() and mail.outbox == []


def test_the_same_alert_twice_is_refused(search, worker):
    alerts.alert_create(search=search, frequency="daily", user=worker)
    with pytest.raises(AlertError, match="already have this alert"):
        alerts.alert_create(search=search, frequency="daily", user=worker)
    # Weekly as well is another alert.
    alerts.alert_create(search=search, frequency="weekly", user=worker)


def test_confirmation_emails_to_one_address_are_limited_each_day(search):
    for _ in range(alerts.ALERTS_PER_EMAIL_PER_DAY):
        alerts.alert_create(search=search, frequency="daily", email="target@example.org")
    with pytest.raises(AlertError, match="Try again tomorrow"):
        alerts.alert_create(search=search, frequency="daily", email="Target@example.org")
    assert JobAlert.objects.count() == alerts.ALERTS_PER_EMAIL_PER_DAY


def test_alerts_made_from_one_address_are_limited_each_day(search):
    for number in range(alerts.ALERTS_PER_ADDRESS_PER_DAY):
        alerts.alert_create(
            search=search, frequency="daily", email=f"p{number}@example.org", client_ip="9.9.9.9"
        )
    with pytest.raises(AlertError, match="Try again tomorrow"):
        alerts.alert_create(
            search=search, frequency="daily", email="late@example.org", client_ip="9.9.9.9"
        )


def test_an_expired_link_confirms_nothing_and_the_alert_is_deleted_by_the_next_run(search, now):
    alert, token = alerts.alert_create(search=search, frequency="daily", email="a@example.org")
    JobAlert.objects.filter(pk=alert.pk).update(confirmation_expires_at=now - timedelta(minutes=1))
    with pytest.raises(AlertLinkRefused, match="expired"):
        alerts.alert_confirm(token=token)

    run = alerts.job_alerts_send(now=now)
    assert run.deleted_unconfirmed == 1
    assert not JobAlert.objects.exists()
    assert AuditEvent.objects.filter(action="jobs.alert.unconfirmed_deleted").count() == 1


def test_links_that_match_nothing_lock_the_address_out_for_an_hour(db):
    for _ in range(alerts.UNKNOWN_LINKS_PER_HOUR):
        with pytest.raises(AlertLinkRefused, match="not valid"):
            alerts.alert_unsubscribe(token="guess", client_ip="8.8.8.8")
    with pytest.raises(AlertLinkRefused, match="Too many links"):
        alerts.alert_unsubscribe(token="guess", client_ip="8.8.8.8")


# The digests ------------------------------------------------------------------------------


def test_a_digest_lists_the_matching_jobs_published_since_the_last_one(search, now):
    alert = _alert(search, since=now - timedelta(days=1))
    old = _published("Old carer", at=now - timedelta(days=2))
    new = _published("Night carer", at=now - timedelta(hours=3))
    _published("Cook", at=now - timedelta(hours=2))  # not a carer: no match
    _published("Draft carer", at=None, status=Vacancy.Status.DRAFT)

    run = alerts.job_alerts_send(now=now)

    assert (run.due, run.sent, run.searches) == (1, 1, 1)
    [digest] = _digests()
    assert digest.to == ["reader@example.org"]
    assert digest.subject.endswith("1 new job: " + search.description)
    assert new.title in digest.body and new.reference in digest.body
    assert old.title not in digest.body and "Cook" not in digest.body
    assert "miles away" in digest.body
    # Plain text only: no HTML part, so no image that could track a reader.
    assert digest.alternatives == [] and "<img" not in digest.body
    unsubscribe = alerts.unsubscribe_url(alert)
    assert unsubscribe in digest.body
    headers = digest.message()
    assert headers["List-Unsubscribe"] == f"<{unsubscribe}>"
    assert headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    alert.refresh_from_db()
    assert alert.covered_until == now
    assert JobAlertRun.objects.get(alert=alert).vacancies == 1
    assert AuditEvent.objects.get(action="jobs.alert.digests_sent").data["sent"] == 1


def test_no_email_goes_when_nothing_new_matches_but_the_day_is_recorded(search, now):
    alert = _alert(search)
    _published("Cook", at=now - timedelta(hours=2))

    run = alerts.job_alerts_send(now=now)

    assert (run.sent, run.empty) == (0, 1)
    assert _digests() == []
    assert JobAlertRun.objects.get(alert=alert).vacancies == 0
    assert alerts.job_alerts_send(now=now + timedelta(minutes=1)).due == 0


def test_running_again_sends_nothing_twice(search, now):
    _alert(search, email="one@example.org")
    _alert(search, email="two@example.org")
    _published(at=now - timedelta(hours=3))

    first = alerts.job_alerts_send(now=now)
    second = alerts.job_alerts_send(now=now + timedelta(minutes=1))
    call_command("send_job_alerts", "--now", (now + timedelta(minutes=2)).isoformat())

    assert first.sent == 2 and first.searches == 1  # one search for both alerts
    assert second.due == 0 and second.sent == 0
    assert sorted(m.to[0] for m in _digests()) == ["one@example.org", "two@example.org"]


def test_an_interrupted_run_sends_the_rest_next_time_and_nothing_twice(search, now, monkeypatch):
    for number in range(4):
        _alert(search, email=f"reader{number}@example.org")
    _published(at=now - timedelta(hours=3))
    monkeypatch.setattr(alerts, "BATCH", 2)

    record = alerts._digests_record
    calls = []

    def killed_before_the_second_batch(digests, **kwargs):
        calls.append(len(digests))
        if len(calls) == 2:
            raise KeyboardInterrupt  # the process is stopped mid-run
        return record(digests, **kwargs)

    monkeypatch.setattr(alerts, "_digests_record", killed_before_the_second_batch)
    with pytest.raises(KeyboardInterrupt):
        alerts.job_alerts_send(now=now)
    assert len(_digests()) == 2
    assert JobAlertRun.objects.count() == 2

    monkeypatch.setattr(alerts, "_digests_record", record)
    rerun = alerts.job_alerts_send(now=now + timedelta(minutes=5))
    assert rerun.due == 2 and rerun.sent == 2
    assert sorted(m.to[0] for m in _digests()) == [f"reader{n}@example.org" for n in range(4)]


def test_a_digest_already_recorded_for_the_day_is_not_sent_again(search, now):
    """Two runs at once: the second finds the first's row for the period, and sends nothing
    for that alert (the others in its batch go)."""
    done = _alert(search, email="done@example.org")
    other = _alert(search, email="other@example.org")
    vacancy = _published(at=now - timedelta(hours=3))
    found = alerts._search(done.query, published_after=done.covered_until, now=now)
    JobAlertRun.objects.create(alert=done, period=timezone.localdate(now))

    recorded = alerts._digests_record(
        [alerts._Digest(alert, found, [vacancy]) for alert in (done, other)],
        period=timezone.localdate(now),
        now=now,
    )
    assert (recorded.sent, recorded.already_done) == (1, 1)
    assert [m.to for m in _digests()] == [["other@example.org"]]
    done.refresh_from_db()
    assert done.covered_until != now


def test_weekly_alerts_go_on_their_day_only(search, now):
    alert = _alert(search, frequency="weekly", since=now - timedelta(days=8))
    JobAlert.objects.filter(pk=alert.pk).update(weekday=(now.weekday() + 1) % 7)
    _published(at=now - timedelta(hours=3))

    assert alerts.job_alerts_send(now=now).due == 0
    JobAlert.objects.filter(pk=alert.pk).update(weekday=timezone.localdate(now).weekday())
    assert alerts.job_alerts_send(now=now).sent == 1


def test_nothing_goes_before_the_morning_hour(search, settings):
    settings.JOB_ALERTS_HOUR = 7
    _alert(search)
    early = timezone.make_aware(
        datetime.datetime.combine(timezone.localdate(), datetime.time(6, 30))
    )
    run = alerts.job_alerts_send(now=early)
    assert run.before_the_hour and run.due == 0 and not JobAlertRun.objects.exists()


def test_an_alert_confirmed_today_waits_for_tomorrow(search, now):
    alert, token = alerts.alert_create(search=search, frequency="daily", email="new@example.org")
    alerts.alert_confirm(token=token)
    _published(at=timezone.now() + timedelta(seconds=1))
    assert alerts.job_alerts_send(now=timezone.now() + timedelta(seconds=2)).due == 0


def test_unconfirmed_and_stopped_alerts_get_no_digest(search, now):
    alerts.alert_create(search=search, frequency="daily", email="unconfirmed@example.org")
    stopped = _alert(search, email="stopped@example.org")
    alerts.alert_unsubscribe(token=alerts.unsubscribe_token(stopped))
    _published(at=now - timedelta(hours=3))

    run = alerts.job_alerts_send(now=now)
    assert run.due == 0 and _digests() == []


def test_a_dry_run_counts_and_changes_nothing(search, now):
    _alert(search)
    _published(at=now - timedelta(hours=3))
    out = __import__("io").StringIO()
    call_command("send_job_alerts", "--dry-run", "--now", now.isoformat(), stdout=out)
    assert "1 digest(s) would send" in out.getvalue()
    assert _digests() == [] and not JobAlertRun.objects.exists()


def test_a_long_digest_lists_twenty_and_links_to_the_rest(search, now):
    _alert(search)
    for number in range(alerts.DIGEST_LISTS + 3):
        _published(f"Carer {number}", at=now - timedelta(minutes=30 + number))
    alerts.job_alerts_send(now=now)
    [digest] = _digests()
    assert "23 new jobs" in digest.subject
    assert "And 3 more" in digest.body and "/jobs/?" in digest.body


def test_the_command_is_in_the_periodic_commands(settings):
    assert "send_job_alerts" in settings.PERIODIC_COMMANDS


# Unsubscribing ----------------------------------------------------------------------------


def test_one_click_unsubscribe_needs_no_csrf_token_or_session(search, now):
    alert = _alert(search)
    mail_program = Client(enforce_csrf_checks=True)
    url = alerts.unsubscribe_url(alert).removeprefix("http://testserver")

    response = mail_program.post(
        url, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )

    assert response.status_code == 200
    alert.refresh_from_db()
    assert alert.status == JobAlert.Status.STOPPED
    assert _events(alert, "jobs.alert.stopped").get().data == {"how": "link"}
    # A second POST (mail programs retry) is answered the same and changes nothing.
    assert mail_program.post(url).status_code == 200
    assert _events(alert, "jobs.alert.stopped").count() == 1


def test_opening_the_link_only_shows_the_button(client, search):
    alert = _alert(search)
    url = alerts.unsubscribe_url(alert).removeprefix("http://testserver")
    page = client.get(url)
    assert page.status_code == 200 and "Unsubscribe</button>" in page.content.decode()
    alert.refresh_from_db()
    assert alert.status == JobAlert.Status.ACTIVE


def test_a_wrong_unsubscribe_link_is_not_found(client, search):
    _alert(search)
    assert client.post(reverse("jobs:alert-unsubscribe", args=["0" * 64])).status_code == 404
    assert JobAlert.objects.get().status == JobAlert.Status.ACTIVE


def test_other_pages_keep_their_csrf_check(search, worker):
    alert = _alert(search)
    JobAlert.objects.filter(pk=alert.pk).update(user=worker)
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(worker)
    assert browser.post(reverse("jobs:alert-stop", args=[alert.pk])).status_code == 403
    confirm = browser.post(reverse("jobs:alert-confirm", args=["token"]))
    assert confirm.status_code == 403


# The pages --------------------------------------------------------------------------------


def test_saving_a_search_through_the_page_when_signed_in(client, search, worker):
    client.force_login(worker)
    page = client.get(reverse("jobs:alert-new") + "?" + search.query)
    assert page.status_code == 200 and search.description in page.content.decode()

    saved = client.post(
        reverse("jobs:alert-new"), {"query": search.query, "frequency": "daily"}, follow=True
    )
    assert saved.redirect_chain[-1][0] == reverse("jobs:alerts")
    assert "Your job alert is set up" in saved.content.decode()
    assert search.description in saved.content.decode()
    assert JobAlert.objects.get().status == JobAlert.Status.ACTIVE


def test_saving_a_search_without_an_account(client, search):
    empty = client.post(reverse("jobs:alert-new"), {"query": search.query})
    assert empty.status_code == 400
    assert "Choose how often" in empty.content.decode()
    assert "Enter an email address" in empty.content.decode()
    assert not JobAlert.objects.exists()

    sent = client.post(
        reverse("jobs:alert-new"),
        {"query": search.query, "frequency": "weekly", "email": "anyone@example.org"},
        follow=True,
    )
    assert sent.redirect_chain[-1][0] == reverse("jobs:alert-check-email")
    assert "a•••••@example.org" in sent.content.decode()
    assert JobAlert.objects.get().status == JobAlert.Status.UNCONFIRMED


def test_a_search_with_a_problem_says_so(client, db):
    page = client.get(reverse("jobs:alert-new") + "?miles=7")
    assert page.status_code == 400 and "The search has a problem" in page.content.decode()


def test_confirming_by_the_page(client, search):
    alert, token = alerts.alert_create(search=search, frequency="daily", email="a@example.org")
    url = reverse("jobs:alert-confirm", args=[token])
    assert "Confirm the job alert" in client.get(url).content.decode()
    assert JobAlert.objects.get().status == JobAlert.Status.UNCONFIRMED
    done = client.post(url)
    assert done.status_code == 200 and "Your job alert is set up" in done.content.decode()
    assert JobAlert.objects.get().status == JobAlert.Status.ACTIVE
    assert client.get(url).status_code == 404


def test_the_manage_page_lists_and_stops_only_your_own_alerts(client, search, worker, outsider):
    mine, _ = alerts.alert_create(search=search, frequency="daily", user=worker)
    theirs, _ = alerts.alert_create(search=search, frequency="daily", user=outsider)

    client.force_login(worker)
    page = client.get(reverse("jobs:alerts")).content.decode()
    assert search.description in page and worker.email in page
    assert reverse("jobs:alert-stop", args=[theirs.pk]) not in page
    assert client.post(reverse("jobs:alert-stop", args=[theirs.pk])).status_code == 404
    assert client.post(reverse("jobs:alert-stop", args=[mine.pk])).status_code == 302
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert mine.status == JobAlert.Status.STOPPED and theirs.status == JobAlert.Status.ACTIVE
    assert _events(mine, "jobs.alert.stopped").get().data == {"how": "manage page"}
    assert search.description not in client.get(reverse("jobs:alerts")).content.decode()


def test_who_may_open_the_alert_pages(client, personas, search):
    alert, _ = alerts.alert_create(search=search, frequency="daily", user=personas["worker"])
    token = alerts.unsubscribe_token(alert)
    expected = {
        reverse("jobs:alerts"): {"anonymous": 302, "signed_in": 200},
        reverse("jobs:alert-new"): {"anonymous": 200, "signed_in": 200},
        reverse("jobs:alert-unsubscribe", args=[token]): {"anonymous": 200, "signed_in": 200},
        reverse("jobs:alert-stop", args=[alert.pk]): {"anonymous": 302, "signed_in": 405},
    }
    for url, codes in expected.items():
        for name, user in personas.items():
            client.logout()
            if user is not None:
                client.force_login(user)
            want = codes["anonymous"] if user is None else codes["signed_in"]
            assert client.get(url).status_code == want, (url, name)
    EmailAddress.objects.all()  # the personas' addresses are confirmed by their factory
