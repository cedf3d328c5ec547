"""CPD, renewal and a registrar's decision: the services' rules, and the pages on top of them."""

import threading
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.db import connection, connections
from django.urls import reverse
from django.utils import timezone

from core.models import AuditEvent
from register.models import CpdActivity, RegisterEntry, Renewal, StatusChange
from register.services import renewals
from tests.dates import typed_date
from tests.factories import RegisterEntryFactory, UserFactory

Status = RegisterEntry.Status
NO_TO_EVERYTHING = {
    "has_criminal_record": False,
    "criminal_record_details": "",
    "has_health_condition": False,
    "health_condition_details": "",
    "has_fitness_to_practise_history": False,
    "fitness_to_practise_details": "",
}


def today():
    return timezone.localdate()


def long_date(value):
    return f"{value.day} {value:%B %Y}"


def log_cpd(entry, hours="12", days_ago=10):
    return CpdActivity.objects.create(
        entry=entry,
        completed_on=today() - timedelta(days=days_ago),
        title="Safeguarding adults refresher",
        hours=Decimal(hours),
        reflection="I know who to tell, and how quickly.",
    )


def entry_due_in(days, **fields):
    """An entry a year old whose renewal date is `days` away (negative: already passed)."""
    fields.setdefault("registered_from", today() + timedelta(days=days) - timedelta(days=365))
    return RegisterEntryFactory(renewal_due=today() + timedelta(days=days), **fields)


@pytest.fixture
def entry_due_for_renewal(worker):
    """The worker's entry, 30 days from its renewal date, with enough CPD to renew."""
    entry = entry_due_in(30, application__worker=worker)
    log_cpd(entry)
    return entry


@pytest.fixture
def other_worker_due_for_renewal(db):
    """Omar, another worker whose entry is due for renewal, with 3 hours of CPD."""
    other = UserFactory(email="other@example.org", full_name="Omar Other", is_care_worker=True)
    log_cpd(entry_due_in(30, application__worker=other), hours="3")
    return other


def submit(entry, **answers):
    return renewals.renewal_submit(
        entry=entry, worker=entry.worker, **{**NO_TO_EVERYTHING, **answers}
    )


def referred_renewal(entry):
    return submit(entry, has_health_condition=True, health_condition_details="Epilepsy.")


# --- CPD -------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_worker_logs_cpd_on_their_own_entry_and_it_is_audited(entry_due_for_renewal):
    activity = renewals.cpd_log(
        entry=entry_due_for_renewal,
        worker=entry_due_for_renewal.worker,
        completed_on=today(),
        title="  Moving and handling  ",
        hours=Decimal("3.5"),
        reflection="Using the hoist with two people.",
    )

    activity.refresh_from_db()
    assert (activity.title, activity.hours, activity.entry) == (
        "Moving and handling",
        Decimal("3.5"),
        entry_due_for_renewal,
    )
    event = AuditEvent.objects.get(action="register.cpd.logged")
    assert event.actor_id == entry_due_for_renewal.worker.pk
    assert event.data["cpd_id"] == activity.pk
    assert "reflection" not in event.data


@pytest.mark.django_db
def test_a_worker_cannot_log_cpd_on_someone_elses_entry(
    entry_due_for_renewal, other_worker_due_for_renewal
):
    with pytest.raises(renewals.RenewalError, match="only log CPD on your own registration"):
        renewals.cpd_log(
            entry=entry_due_for_renewal,
            worker=other_worker_due_for_renewal,
            completed_on=today(),
            title="Anything",
            hours=Decimal("1"),
            reflection="Anything.",
        )

    assert entry_due_for_renewal.cpd.count() == 1
    assert not AuditEvent.objects.filter(action="register.cpd.logged").exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"title": "  "}, "title", "Enter the title of the activity"),
        ({"completed_on": None}, "completed_on", "Enter the date you completed it"),
        ({"completed_on": 1}, "completed_on", "must be today or in the past"),
        (
            {"completed_on": -1},
            "completed_on",
            "the day you joined the register: only CPD done since then counts towards your "
            "next renewal",
        ),
        ({"hours": Decimal("0")}, "hours", "more than 0"),
        ({"hours": Decimal("-2")}, "hours", "more than 0"),
        ({"hours": Decimal("100.1")}, "hours", "at most 100 hours"),
        ({"hours": Decimal("1.25")}, "hours", "one decimal place"),
        ({"reflection": ""}, "reflection", "Write what you learned"),
    ],
)
def test_cpd_that_breaks_a_rule_is_refused_with_its_reason(
    entry_due_for_renewal, change, field, message
):
    values = {
        "completed_on": today(),
        "title": "Dementia awareness",
        "hours": Decimal("2"),
        "reflection": "Reflection.",
        **change,
    }
    # Day offsets for completed_on count from today, or from the day the entry joined.
    if isinstance(values["completed_on"], int):
        offset = values["completed_on"]
        base = today() if offset > 0 else entry_due_for_renewal.registered_from
        values["completed_on"] = base + timedelta(days=offset)

    with pytest.raises(renewals.RenewalError, match=message) as refused:
        renewals.cpd_log(entry=entry_due_for_renewal, worker=entry_due_for_renewal.worker, **values)

    assert refused.value.field == field
    assert entry_due_for_renewal.cpd.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("on", "hours"), [("today", "100"), ("the day of joining", "0.1")], ids=["today", "earliest"]
)
def test_cpd_at_the_edges_of_the_rules_is_accepted_and_counts(entry_due_for_renewal, on, hours):
    renewals.cpd_log(
        entry=entry_due_for_renewal,
        worker=entry_due_for_renewal.worker,
        completed_on=today() if on == "today" else entry_due_for_renewal.registered_from,
        title="Edge",
        hours=Decimal(hours),
        reflection="Edge.",
    )

    assert entry_due_for_renewal.cpd.count() == 2
    assert renewals.cpd_hours_since(entry_due_for_renewal) == Decimal("12") + Decimal(hours)


@pytest.mark.django_db
def test_cpd_done_before_the_last_renewal_is_refused_with_the_date_it_counts_from(
    entry_due_for_renewal, clock
):
    submit(entry_due_for_renewal)
    renewed_on = today()
    clock.advance(timedelta(days=20))

    with pytest.raises(renewals.RenewalError) as refused:
        renewals.cpd_log(
            entry=entry_due_for_renewal,
            worker=entry_due_for_renewal.worker,
            completed_on=renewed_on - timedelta(days=1),
            title="Forgot to log it",
            hours=Decimal("3"),
            reflection="Late.",
        )

    assert str(refused.value) == (
        f"The date you completed it must be on or after {long_date(renewed_on)}, the day of "
        "your last renewal: only CPD done since then counts towards your next renewal"
    )


def test_cpd_cannot_be_logged_on_a_removed_entry(entry_due_for_renewal):
    RegisterEntry.objects.filter(pk=entry_due_for_renewal.pk).update(status=Status.REMOVED)

    with pytest.raises(renewals.RenewalError, match="removed from the register"):
        renewals.cpd_log(
            entry=entry_due_for_renewal,
            worker=entry_due_for_renewal.worker,
            completed_on=today(),
            title="Late",
            hours=Decimal("1"),
            reflection="Late.",
        )


@pytest.mark.django_db
def test_cpd_hours_count_from_joining_until_the_first_renewal(worker):
    entry = entry_due_in(30, application__worker=worker)
    log_cpd(entry, hours="4.5", days_ago=5)
    CpdActivity.objects.create(
        entry=entry,
        completed_on=entry.registered_from - timedelta(days=1),
        title="Before joining",
        hours=Decimal("50"),
        reflection="Counts for the portfolio, not the renewal.",
    )

    assert renewals.cpd_hours_since(entry) == Decimal("4.5")


@pytest.mark.django_db
def test_cpd_hours_count_afresh_after_a_renewal_without_counting_anything_twice(
    entry_due_for_renewal,
):
    log_cpd(entry_due_for_renewal, hours="3", days_ago=0)  # today, before the renewal: used by it
    submit(entry_due_for_renewal)
    entry_due_for_renewal.refresh_from_db()

    assert renewals.cpd_hours_since(entry_due_for_renewal) == 0
    log_cpd(
        entry_due_for_renewal, hours="2", days_ago=0
    )  # today, after the renewal: counts next time
    assert renewals.cpd_hours_since(entry_due_for_renewal) == Decimal("2")


@pytest.mark.django_db
def test_a_refused_renewal_does_not_use_up_the_cpd(entry_due_for_renewal, registrar):
    renewal = referred_renewal(entry_due_for_renewal)
    renewals.renewal_decide(renewal=renewal, registrar=registrar, accept=False, reason="No.")

    assert renewals.cpd_hours_since(entry_due_for_renewal) == Decimal("12")


# --- Renewal: allowed ------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("status", sorted(RegisterEntry.PRACTISING))
def test_a_practising_entry_with_no_declarations_is_renewed_a_period_from_its_old_date(
    entry_due_for_renewal, status, django_capture_on_commit_callbacks
):
    RegisterEntry.objects.filter(pk=entry_due_for_renewal.pk).update(status=status)
    old_due = entry_due_for_renewal.renewal_due

    with django_capture_on_commit_callbacks(execute=True):
        renewal = submit(entry_due_for_renewal)

    entry_due_for_renewal.refresh_from_db()
    assert renewal.status == Renewal.Status.RENEWED
    assert (renewal.renewal_due_before, renewal.cpd_hours) == (old_due, Decimal("12"))
    assert entry_due_for_renewal.status == status
    assert entry_due_for_renewal.renewal_due == old_due + timedelta(days=365)
    assert not StatusChange.objects.filter(entry=entry_due_for_renewal).exists()
    actions = list(
        AuditEvent.objects.filter(action__startswith="register.renewal.")
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == ["register.renewal.submitted", "register.renewal.renewed"]
    renewed = AuditEvent.objects.get(action="register.renewal.renewed")
    assert renewed.data["renewal_due"] == entry_due_for_renewal.renewal_due.isoformat()
    assert [message.to for message in mail.outbox] == [[entry_due_for_renewal.worker.email]]
    assert long_date(entry_due_for_renewal.renewal_due) in mail.outbox[0].body


@pytest.mark.django_db
@pytest.mark.parametrize("days_before_due", [90, 0], ids=["window-opens", "renewal-date"])
def test_renewal_is_open_from_the_first_day_of_the_window_to_the_renewal_date(
    worker, days_before_due
):
    entry = entry_due_in(days_before_due, application__worker=worker)
    log_cpd(entry)

    assert submit(entry).status == Renewal.Status.RENEWED


@pytest.mark.django_db
def test_a_lapsed_entry_is_restored_through_the_short_path_at_any_time(
    worker, employer, employer_organisation, django_capture_on_commit_callbacks
):
    entry = entry_due_in(-200, application__worker=worker, status=Status.LAPSED)
    entry.employers.add(employer_organisation)
    log_cpd(entry)
    old_due = entry.renewal_due

    with django_capture_on_commit_callbacks(execute=True):
        renewal = submit(entry)

    entry.refresh_from_db()
    assert renewal.status == Renewal.Status.RENEWED
    assert renewal.renewal_due_before == old_due
    assert entry.status == Status.REGISTERED
    assert entry.renewal_due == today() + timedelta(days=365)
    change = StatusChange.objects.get(entry=entry)
    assert (change.old_status, change.new_status, change.changed_by) == (
        "lapsed",
        "registered",
        worker,
    )
    assert AuditEvent.objects.filter(action="register.entry.restored").count() == 1
    assert AuditEvent.objects.get(action="register.renewal.renewed").data["restored"] is True
    recipients = sorted(message.to[0] for message in mail.outbox)
    assert recipients == [employer.email, worker.email]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("flag", "details"),
    [
        ("has_criminal_record", "criminal_record_details"),
        ("has_health_condition", "health_condition_details"),
        ("has_fitness_to_practise_history", "fitness_to_practise_details"),
    ],
)
def test_any_yes_refers_the_renewal_to_a_registrar_and_changes_nothing_else(
    entry_due_for_renewal, flag, details, django_capture_on_commit_callbacks
):
    old_due = entry_due_for_renewal.renewal_due

    with django_capture_on_commit_callbacks(execute=True):
        renewal = submit(entry_due_for_renewal, **{flag: True, details: "  What happened.  "})

    entry_due_for_renewal.refresh_from_db()
    renewal.refresh_from_db()
    assert renewal.status == Renewal.Status.REFERRED
    assert getattr(renewal, details) == "What happened."
    assert (entry_due_for_renewal.status, entry_due_for_renewal.renewal_due) == (
        Status.REGISTERED,
        old_due,
    )
    event = AuditEvent.objects.get(action="register.renewal.referred")
    assert (event.new_status, event.data) == (
        "referred",
        {"renewal_id": renewal.pk, "after_refusal": False},
    )
    assert not AuditEvent.objects.filter(action="register.renewal.renewed").exists()
    assert len(mail.outbox) == 1
    assert "a registrar will look at your answer" in mail.outbox[0].body


@pytest.mark.django_db
def test_details_given_with_a_no_are_not_kept(entry_due_for_renewal):
    renewal = submit(entry_due_for_renewal, criminal_record_details="Typed, then answered no.")

    assert renewal.criminal_record_details == ""


# --- Renewal: refused ------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_worker_cannot_renew_someone_elses_entry(
    entry_due_for_renewal, other_worker_due_for_renewal
):
    with pytest.raises(renewals.RenewalError, match="only renew your own registration"):
        renewals.renewal_submit(
            entry=entry_due_for_renewal, worker=other_worker_due_for_renewal, **NO_TO_EVERYTHING
        )

    assert not Renewal.objects.exists()


@pytest.mark.django_db
def test_renewal_before_the_window_opens_says_when_it_opens(worker):
    entry = entry_due_in(91, application__worker=worker)
    log_cpd(entry)
    opens = entry.renewal_due - timedelta(days=90)

    with pytest.raises(renewals.RenewalError) as refused:
        submit(entry)

    assert str(refused.value) == (
        f"You can renew from {long_date(opens)}, 90 days before your renewal date of "
        f"{long_date(entry.renewal_due)}."
    )
    assert not Renewal.objects.exists()


@pytest.mark.django_db
def test_renewal_after_the_renewal_date_waits_for_the_lapse_and_restoration(worker):
    entry = entry_due_in(-1, application__worker=worker)
    log_cpd(entry)

    with pytest.raises(renewals.RenewalError, match="has passed, so your registration is about"):
        submit(entry)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("status", "message"),
    [
        (Status.SUSPENDED, "cannot renew while your registration is suspended"),
        (Status.REMOVED, "removed from the register, so it cannot be renewed"),
    ],
)
def test_a_suspended_or_removed_entry_cannot_be_renewed(entry_due_for_renewal, status, message):
    RegisterEntry.objects.filter(pk=entry_due_for_renewal.pk).update(status=status)

    with pytest.raises(renewals.RenewalError, match=message):
        submit(entry_due_for_renewal)

    assert not Renewal.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("flag", "details", "message"),
    [
        ("has_criminal_record", "criminal_record_details", "Give details of your criminal record"),
        ("has_health_condition", "health_condition_details", "Give details of your health"),
        (
            "has_fitness_to_practise_history",
            "fitness_to_practise_details",
            "Give details of the fitness to practise",
        ),
    ],
)
def test_a_yes_without_details_is_refused(entry_due_for_renewal, flag, details, message):
    with pytest.raises(renewals.RenewalError, match=message) as refused:
        submit(entry_due_for_renewal, **{flag: True, details: "   "})

    assert refused.value.field == details
    assert not Renewal.objects.exists()


@pytest.mark.django_db
def test_an_unanswered_declaration_is_refused(entry_due_for_renewal):
    with pytest.raises(renewals.RenewalError, match="Answer every declaration"):
        submit(entry_due_for_renewal, has_health_condition=None)


@pytest.mark.django_db
def test_renewal_without_enough_cpd_says_how_many_hours_are_logged_and_needed(worker):
    entry = entry_due_in(30, application__worker=worker)
    log_cpd(entry, hours="11.5")

    with pytest.raises(renewals.RenewalError) as refused:
        submit(entry)

    assert str(refused.value) == (
        "You have logged 11.5 hours of CPD since your last renewal and need at least 12. "
        "Log the rest before you renew."
    )
    assert not Renewal.objects.exists()


@pytest.mark.django_db
def test_the_cpd_minimum_comes_from_the_setting(entry_due_for_renewal, settings):
    settings.CPD_MINIMUM_HOURS = 20

    with pytest.raises(renewals.RenewalError, match="logged 12 hours .* need at least 20"):
        submit(entry_due_for_renewal)


@pytest.mark.django_db
def test_a_renewal_cannot_be_sent_twice_for_one_period(entry_due_for_renewal):
    referred_renewal(entry_due_for_renewal)

    with pytest.raises(renewals.RenewalError) as refused:
        submit(entry_due_for_renewal)

    assert str(refused.value) == (
        "You have already sent your renewal for this period (referred to a registrar)."
    )
    assert Renewal.objects.count() == 1


@pytest.mark.django_db
def test_a_duplicate_that_slips_past_the_check_is_caught_by_the_constraint(
    entry_due_for_renewal, monkeypatch
):
    """Two requests at once: the second checked before the first had committed."""
    referred_renewal(entry_due_for_renewal)
    monkeypatch.setattr(renewals, "renewal_for_current_period", lambda entry: None)

    with pytest.raises(renewals.RenewalError, match="already sent your renewal"):
        submit(entry_due_for_renewal)

    assert Renewal.objects.count() == 1


@pytest.mark.django_db
def test_a_renewed_entry_cannot_renew_again_until_its_next_window(entry_due_for_renewal):
    submit(entry_due_for_renewal)
    entry_due_for_renewal.refresh_from_db()
    log_cpd(entry_due_for_renewal, days_ago=0)

    with pytest.raises(renewals.RenewalError, match="You can renew from"):
        submit(entry_due_for_renewal)


@pytest.mark.django_db(transaction=True)
def test_two_renewals_sent_at_once_give_one_renewal_and_one_clear_refusal():
    """On PostgreSQL the threads really race; SQLite serialises writers, which is also safe."""
    if connection.vendor == "sqlite":
        pytest.skip("SQLite allows one writer at a time; the race needs PostgreSQL.")
    entry = entry_due_in(30)
    log_cpd(entry)
    outcomes = []
    barrier = threading.Barrier(2)

    def send():
        try:
            barrier.wait()
            outcomes.append(submit(entry).status)
        except renewals.RenewalError as error:
            outcomes.append(str(error))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    entry.refresh_from_db()
    assert len(outcomes) == 2
    assert Renewal.Status.RENEWED in outcomes
    # The second waited for the first's lock, then found the window had moved on.
    assert any(str(outcome).startswith("You can renew from") for outcome in outcomes)
    assert Renewal.objects.count() == 1
    assert entry.renewal_due == today() + timedelta(days=30 + 365)


# --- A registrar's decision ------------------------------------------------------------------


@pytest.mark.django_db
def test_accepting_a_referred_renewal_renews_the_entry(
    entry_due_for_renewal, registrar, django_capture_on_commit_callbacks
):
    renewal = referred_renewal(entry_due_for_renewal)
    old_due = entry_due_for_renewal.renewal_due

    with django_capture_on_commit_callbacks(execute=True):
        renewals.renewal_decide(
            renewal=renewal, registrar=registrar, accept=True, reason="Well managed."
        )

    renewal.refresh_from_db()
    entry_due_for_renewal.refresh_from_db()
    assert (renewal.status, renewal.decided_by) == (Renewal.Status.RENEWED, registrar)
    assert entry_due_for_renewal.renewal_due == old_due + timedelta(days=365)
    event = AuditEvent.objects.get(action="register.renewal.renewed")
    assert (event.actor_id, event.old_status, event.new_status) == (
        registrar.pk,
        "referred",
        "renewed",
    )
    assert event.data["reason"] == "Well managed."
    assert mail.outbox[-1].subject.endswith("Your registration is renewed")


@pytest.mark.django_db
def test_accepting_a_referred_restoration_restores_the_lapsed_entry(worker, registrar):
    entry = entry_due_in(-40, application__worker=worker, status=Status.LAPSED)
    log_cpd(entry)
    renewal = referred_renewal(entry)

    renewals.renewal_decide(renewal=renewal, registrar=registrar, accept=True, reason="Fine.")

    entry.refresh_from_db()
    assert (entry.status, entry.renewal_due) == (
        Status.REGISTERED,
        today() + timedelta(days=365),
    )
    assert StatusChange.objects.get(entry=entry).changed_by == registrar


@pytest.mark.django_db
def test_refusing_a_referred_renewal_leaves_the_entry_and_tells_the_worker_why(
    entry_due_for_renewal, registrar, django_capture_on_commit_callbacks
):
    renewal = referred_renewal(entry_due_for_renewal)
    old_due = entry_due_for_renewal.renewal_due

    with django_capture_on_commit_callbacks(execute=True):
        renewals.renewal_decide(
            renewal=renewal, registrar=registrar, accept=False, reason="Undisclosed conviction."
        )

    renewal.refresh_from_db()
    entry_due_for_renewal.refresh_from_db()
    assert (renewal.status, renewal.decided_by) == (Renewal.Status.REFUSED, registrar)
    assert (entry_due_for_renewal.status, entry_due_for_renewal.renewal_due) == (
        Status.REGISTERED,
        old_due,
    )
    event = AuditEvent.objects.get(action="register.renewal.refused")
    assert (event.old_status, event.new_status, event.data["reason"]) == (
        "referred",
        "refused",
        "Undisclosed conviction.",
    )
    assert "Reason: Undisclosed conviction." in mail.outbox[-1].body


@pytest.mark.django_db
def test_the_registrars_reason_for_accepting_is_emailed_to_the_worker(
    entry_due_for_renewal, registrar, django_capture_on_commit_callbacks
):
    renewal = referred_renewal(entry_due_for_renewal)

    with django_capture_on_commit_callbacks(execute=True):
        renewals.renewal_decide(
            renewal=renewal, registrar=registrar, accept=True, reason="Well managed at work."
        )

    message = mail.outbox[-1]
    assert message.to == [entry_due_for_renewal.worker.email]
    assert "A registrar looked at your renewal and accepted it." in message.body
    assert "Their reason: Well managed at work." in message.body


@pytest.mark.django_db
def test_a_renewal_renewed_at_once_sends_no_registrars_reason(
    entry_due_for_renewal, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        submit(entry_due_for_renewal)

    assert "A registrar" not in mail.outbox[-1].body


@pytest.mark.django_db
def test_the_registrars_reason_for_accepting_a_restoration_reaches_the_worker(
    worker, registrar, django_capture_on_commit_callbacks
):
    entry = entry_due_in(-40, application__worker=worker, status=Status.LAPSED)
    log_cpd(entry)
    renewal = referred_renewal(entry)

    with django_capture_on_commit_callbacks(execute=True):
        renewals.renewal_decide(
            renewal=renewal, registrar=registrar, accept=True, reason="Condition well managed."
        )

    change = StatusChange.objects.get(entry=entry)
    assert change.reason == (
        "Restored on renewal: a registrar accepted it. Their reason: Condition well managed."
    )
    assert "Condition well managed." in mail.outbox[-1].body


@pytest.mark.django_db
def test_after_a_refusal_the_worker_may_renew_again_and_a_registrar_always_looks(
    entry_due_for_renewal, registrar, django_capture_on_commit_callbacks
):
    renewals.renewal_decide(
        renewal=referred_renewal(entry_due_for_renewal),
        registrar=registrar,
        accept=False,
        reason="Tell us how you manage it.",
    )
    old_due = entry_due_for_renewal.renewal_due

    with django_capture_on_commit_callbacks(execute=True):
        # Every answer "no" this time: without the rule it would renew at once.
        second = submit(entry_due_for_renewal)

    entry_due_for_renewal.refresh_from_db()
    assert second.status == Renewal.Status.REFERRED
    assert entry_due_for_renewal.renewal_due == old_due
    event = AuditEvent.objects.filter(action="register.renewal.referred").latest("id")
    assert event.data == {"renewal_id": second.pk, "after_refusal": True}
    assert "did not accept your last renewal for this period" in mail.outbox[-1].body
    renewals.renewal_decide(renewal=second, registrar=registrar, accept=True, reason="Thank you.")
    entry_due_for_renewal.refresh_from_db()
    assert entry_due_for_renewal.renewal_due == old_due + timedelta(days=365)


@pytest.mark.django_db
def test_a_refused_worker_whose_registration_lapsed_can_ask_to_restore_it(worker, registrar):
    entry = entry_due_in(10, application__worker=worker)
    log_cpd(entry)
    renewals.renewal_decide(
        renewal=referred_renewal(entry), registrar=registrar, accept=False, reason="No."
    )
    RegisterEntry.objects.filter(pk=entry.pk).update(
        status=Status.LAPSED, renewal_due=today() - timedelta(days=1)
    )
    Renewal.objects.filter(entry=entry).update(renewal_due_before=today() - timedelta(days=1))
    entry.refresh_from_db()

    restoration = submit(entry)

    assert restoration.status == Renewal.Status.REFERRED


@pytest.mark.django_db
def test_the_refusal_email_says_what_the_worker_can_do_next(
    entry_due_for_renewal, registrar, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        renewals.renewal_decide(
            renewal=referred_renewal(entry_due_for_renewal),
            registrar=registrar,
            accept=False,
            reason="Tell us how you manage it.",
        )

    body = mail.outbox[-1].body
    assert "What you can do next:" in body
    assert "send your renewal again: http://testserver/my-registration/renew/" in body
    assert f"(before {long_date(entry_due_for_renewal.renewal_due)})" in body
    assert "reply to this email or contact the register's staff" in body


@pytest.mark.django_db
@pytest.mark.parametrize("first_decision", [True, False], ids=["accepted", "refused"])
@pytest.mark.parametrize("second_decision", [True, False], ids=["accept", "refuse"])
def test_a_renewal_is_decided_only_once(
    entry_due_for_renewal, registrar, first_decision, second_decision
):
    renewal = referred_renewal(entry_due_for_renewal)
    renewals.renewal_decide(
        renewal=renewal, registrar=registrar, accept=first_decision, reason="First."
    )
    events = AuditEvent.objects.count()

    with pytest.raises(renewals.RenewalError, match="already been decided"):
        renewals.renewal_decide(
            renewal=renewal, registrar=registrar, accept=second_decision, reason="Again."
        )

    assert AuditEvent.objects.count() == events


@pytest.mark.django_db
def test_a_renewal_accepted_at_once_cannot_be_decided(entry_due_for_renewal, registrar):
    renewal = submit(entry_due_for_renewal)

    with pytest.raises(renewals.RenewalError, match="already been decided: renewed"):
        renewals.renewal_decide(renewal=renewal, registrar=registrar, accept=False, reason="x")


@pytest.mark.django_db
@pytest.mark.parametrize("decider", ["registrar_without_mfa", "worker", "employer"])
def test_only_a_registrar_with_two_factor_authentication_decides(
    entry_due_for_renewal, request, decider
):
    renewal = referred_renewal(entry_due_for_renewal)

    with pytest.raises(renewals.RenewalError, match="Only a registrar"):
        renewals.renewal_decide(
            renewal=renewal, registrar=request.getfixturevalue(decider), accept=True, reason="x"
        )

    renewal.refresh_from_db()
    assert renewal.status == Renewal.Status.REFERRED


@pytest.mark.django_db
def test_a_registrar_on_the_register_cannot_decide_their_own_renewal(client, registrar):
    entry = entry_due_in(30, application__worker=registrar)
    log_cpd(entry)
    renewal = referred_renewal(entry)
    client.force_login(registrar)

    with pytest.raises(renewals.RenewalError, match="Only a registrar"):
        renewals.renewal_decide(renewal=renewal, registrar=registrar, accept=True, reason="Mine.")
    response = client.get(reverse("register:renewals-decide", args=[renewal.pk]))

    assert response.status_code == 403


@pytest.mark.django_db
def test_a_decision_needs_a_reason(entry_due_for_renewal, registrar):
    renewal = referred_renewal(entry_due_for_renewal)

    with pytest.raises(renewals.RenewalError, match="Give a reason") as refused:
        renewals.renewal_decide(renewal=renewal, registrar=registrar, accept=True, reason=" ")

    assert refused.value.field == "reason"


@pytest.mark.django_db
def test_a_renewal_cannot_be_accepted_for_an_entry_suspended_since(
    entry_due_for_renewal, registrar
):
    renewal = referred_renewal(entry_due_for_renewal)
    RegisterEntry.objects.filter(pk=entry_due_for_renewal.pk).update(status=Status.SUSPENDED)

    with pytest.raises(renewals.RenewalError, match="entry is suspended"):
        renewals.renewal_decide(renewal=renewal, registrar=registrar, accept=True, reason="x")

    renewals.renewal_decide(renewal=renewal, registrar=registrar, accept=False, reason="x")
    renewal.refresh_from_db()
    assert renewal.status == Renewal.Status.REFUSED


@pytest.mark.django_db
def test_a_renewal_cannot_be_accepted_once_the_renewal_date_has_moved_on(
    entry_due_for_renewal, registrar
):
    renewal = referred_renewal(entry_due_for_renewal)
    RegisterEntry.objects.filter(pk=entry_due_for_renewal.pk).update(
        renewal_due=entry_due_for_renewal.renewal_due + timedelta(days=365)
    )

    with pytest.raises(renewals.RenewalError, match="renewal date has changed"):
        renewals.renewal_decide(renewal=renewal, registrar=registrar, accept=True, reason="x")


# --- Pages -----------------------------------------------------------------------------------

PERSONAS = [
    "anonymous",
    "worker",
    "other_worker_due_for_renewal",
    "outsider",
    "employer",
    "registrar_without_mfa",
    "registrar",
]
# 302 for anonymous is the redirect to sign in; for a registrar without MFA, to MFA set-up.
# 404 on the worker pages is the friendly "you are not on the register" page.
ACCESS_TABLE = {
    "register:renewals-cpd": [302, 200, 200, 404, 404, 404, 404],
    "register:renewals-renew": [302, 200, 200, 404, 404, 404, 404],
    "register:renewals-referred": [302, 403, 403, 403, 403, 302, 200],
    "register:renewals-decide": [302, 403, 403, 403, 403, 302, 200],
}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("page", "persona", "expected"),
    [
        (page, persona, statuses[index])
        for page, statuses in ACCESS_TABLE.items()
        for index, persona in enumerate(PERSONAS)
    ],
)
def test_access_table(client, request, entry_due_for_renewal, page, persona, expected):
    renewal = referred_renewal(entry_due_for_renewal)
    if persona != "anonymous":
        client.force_login(request.getfixturevalue(persona))
    url = reverse(page, args=[renewal.pk] if page == "register:renewals-decide" else [])

    response = client.get(url)

    assert response.status_code == expected


@pytest.mark.django_db
@pytest.mark.parametrize("page", ["register:renewals-cpd", "register:renewals-renew"])
def test_someone_not_on_the_register_is_told_so_kindly(client, employer, page):
    client.force_login(employer)

    response = client.get(reverse(page))

    assert response.status_code == 404
    assert "You are not on the register" in response.content.decode()


@pytest.mark.django_db
def test_a_worker_sees_only_their_own_cpd(
    client, entry_due_for_renewal, other_worker_due_for_renewal
):
    CpdActivity.objects.filter(entry__worker=other_worker_due_for_renewal).update(
        title="Somebody else's course"
    )
    client.force_login(entry_due_for_renewal.worker)

    page = client.get(reverse("register:renewals-cpd")).content.decode()

    assert "Safeguarding adults refresher" in page
    assert "Somebody else" not in page
    assert "12 hours" in page


@pytest.mark.django_db
def test_logging_cpd_on_the_page_saves_it_and_returns_to_the_list(client, entry_due_for_renewal):
    client.force_login(entry_due_for_renewal.worker)

    response = client.post(
        reverse("register:renewals-cpd"),
        {
            "title": "Medication awareness",
            **typed_date("completed_on", today()),
            "hours": "2.5",
            "reflection": "Checking the chart twice.",
        },
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("register:renewals-cpd")
    assert entry_due_for_renewal.cpd.filter(
        title="Medication awareness", hours=Decimal("2.5")
    ).exists()
    assert "14.5 hours" in client.get(reverse("register:renewals-cpd")).content.decode()


@pytest.mark.django_db
def test_an_empty_cpd_form_says_what_to_fill_in_next_to_each_field(client, entry_due_for_renewal):
    client.force_login(entry_due_for_renewal.worker)

    response = client.post(reverse("register:renewals-cpd"), {})

    page = response.content.decode()
    assert response.status_code == 400
    assert "<title>Error: Your CPD" in page
    for message in [
        "Enter the title of the activity",
        "Enter the date you completed it",
        "Enter the hours it took",
        "Write what you learned and how it changes your practice",
    ]:
        # Once in the error summary, once next to the field.
        assert page.count(message) == 2, message
    assert 'id="id_completed_on_error"' in page
    assert entry_due_for_renewal.cpd.count() == 1


@pytest.mark.django_db
def test_a_rule_the_service_enforces_shows_next_to_its_field(client, entry_due_for_renewal):
    client.force_login(entry_due_for_renewal.worker)

    response = client.post(
        reverse("register:renewals-cpd"),
        {
            "title": "From the future",
            **typed_date("completed_on", today() + timedelta(days=3)),
            "hours": "1",
            "reflection": "x",
        },
    )

    page = response.content.decode()
    assert response.status_code == 400
    assert 'id="id_completed_on_error"' in page
    assert "must be today or in the past" in page


@pytest.mark.django_db
def test_the_renewal_page_shows_the_window_and_cpd_and_renews(client, entry_due_for_renewal):
    client.force_login(entry_due_for_renewal.worker)
    old_due = entry_due_for_renewal.renewal_due

    page = client.get(reverse("register:renewals-renew")).content.decode()
    assert "<h1>Renew your registration</h1>" in page
    assert "12 hours logged, 12 needed" in page
    assert long_date(old_due - timedelta(days=90)) in page
    assert 'type="radio"' in page and "csrfmiddlewaretoken" in page

    response = client.post(
        reverse("register:renewals-renew"),
        {
            "has_criminal_record": "no",
            "has_health_condition": "no",
            "has_fitness_to_practise_history": "no",
        },
        follow=True,
    )

    entry_due_for_renewal.refresh_from_db()
    assert entry_due_for_renewal.renewal_due == old_due + timedelta(days=365)
    assert (
        f"renewed until {long_date(entry_due_for_renewal.renewal_due)}" in response.content.decode()
    )


@pytest.mark.django_db
def test_an_unanswered_renewal_form_says_what_to_answer(client, entry_due_for_renewal):
    client.force_login(entry_due_for_renewal.worker)

    response = client.post(reverse("register:renewals-renew"), {})

    page = response.content.decode()
    assert response.status_code == 400
    assert "Select yes if you have a criminal record, or no if you do not" in page
    assert "Select yes if you have a health condition" in page
    assert "Select yes if you have been investigated or sanctioned" in page
    assert not Renewal.objects.exists()


@pytest.mark.django_db
def test_a_yes_without_details_on_the_page_asks_for_them_next_to_the_box(
    client, entry_due_for_renewal
):
    client.force_login(entry_due_for_renewal.worker)

    response = client.post(
        reverse("register:renewals-renew"),
        {
            "has_criminal_record": "yes",
            "has_health_condition": "no",
            "has_fitness_to_practise_history": "no",
        },
    )

    page = response.content.decode()
    assert response.status_code == 400
    assert 'id="id_criminal_record_details_error"' in page
    assert "Give details of your criminal record" in page


@pytest.mark.django_db
def test_a_lapsed_worker_sees_restore_your_registration(client, worker):
    entry = entry_due_in(-10, application__worker=worker, status=Status.LAPSED)
    log_cpd(entry)
    client.force_login(worker)

    page = client.get(reverse("register:renewals-renew")).content.decode()

    assert "<title>Restore your registration" in page
    assert "<h1>Restore your registration</h1>" in page
    assert "Restore my registration" in page


@pytest.mark.django_db
def test_outside_the_window_the_page_says_when_it_opens_instead_of_the_form(client, worker):
    entry = entry_due_in(200, application__worker=worker)
    client.force_login(worker)

    page = client.get(reverse("register:renewals-renew")).content.decode()

    opens = entry.renewal_due - timedelta(days=90)
    assert f"You can renew from {long_date(opens)}" in page
    assert 'name="has_criminal_record"' not in page


@pytest.mark.django_db
def test_the_registrar_sees_referred_renewals_and_their_declarations(
    client, registrar, entry_due_for_renewal
):
    renewal = referred_renewal(entry_due_for_renewal)
    renewed_at_once = entry_due_in(5)
    log_cpd(renewed_at_once)
    submit(renewed_at_once)
    client.force_login(registrar)

    listing = client.get(reverse("register:renewals-referred")).content.decode()
    detail = client.get(reverse("register:renewals-decide", args=[renewal.pk])).content.decode()

    assert entry_due_for_renewal.registration_number in listing
    assert renewed_at_once.registration_number not in listing
    assert "Epilepsy." in detail
    assert "csrfmiddlewaretoken" in detail


@pytest.mark.django_db
def test_the_registrar_decides_on_the_page(client, registrar, entry_due_for_renewal):
    renewal = referred_renewal(entry_due_for_renewal)
    client.force_login(registrar)

    response = client.post(
        reverse("register:renewals-decide", args=[renewal.pk]),
        {"decision": "refuse", "reason": "Not safe to practise."},
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("register:renewals-referred")
    renewal.refresh_from_db()
    assert renewal.status == Renewal.Status.REFUSED


@pytest.mark.django_db
def test_an_empty_decision_form_says_what_to_fill_in(client, registrar, entry_due_for_renewal):
    renewal = referred_renewal(entry_due_for_renewal)
    client.force_login(registrar)

    response = client.post(reverse("register:renewals-decide", args=[renewal.pk]), {})

    page = response.content.decode()
    assert response.status_code == 400
    assert "Select whether to accept or refuse the renewal" in page
    assert "Give a reason for your decision: the worker will see it" in page


@pytest.mark.django_db
def test_a_decided_renewal_shows_no_form_and_refuses_a_second_decision(
    client, registrar, entry_due_for_renewal
):
    renewal = referred_renewal(entry_due_for_renewal)
    renewals.renewal_decide(renewal=renewal, registrar=registrar, accept=True, reason="Fine.")
    client.force_login(registrar)

    page = client.get(reverse("register:renewals-decide", args=[renewal.pk])).content.decode()
    response = client.post(
        reverse("register:renewals-decide", args=[renewal.pk]),
        {"decision": "refuse", "reason": "No."},
    )

    assert 'name="decision"' not in page
    assert response.status_code == 400
    assert "already been decided: renewed" in response.content.decode()
    renewal.refresh_from_db()
    assert renewal.status == Renewal.Status.RENEWED


@pytest.mark.django_db
def test_a_worker_cannot_post_a_decision(client, entry_due_for_renewal):
    renewal = referred_renewal(entry_due_for_renewal)
    client.force_login(entry_due_for_renewal.worker)

    response = client.post(
        reverse("register:renewals-decide", args=[renewal.pk]),
        {"decision": "accept", "reason": "Me."},
    )

    assert response.status_code == 403
    renewal.refresh_from_db()
    assert renewal.status == Renewal.Status.REFERRED
