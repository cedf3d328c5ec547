"""Fitness to practise outcomes on the register: warnings published until a day, categories of
concern on conditions, warnings, sanction suspensions and removals (never shown when health),
and the daily command that ends what has run its course."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command
from django.utils import timezone

from core.models import AuditEvent
from register.models import Annotation, ConcernCategory, RegisterEntry, StatusChange
from register.services import entries
from tests.factories import RegisterEntryFactory

pytestmark = pytest.mark.django_db

Status = RegisterEntry.Status
ONE_DAY = timedelta(days=1)


def today():
    return timezone.localdate()


def warn(entry, registrar, *, ends_on=None, category="", text="Recorded visits never made."):
    return entries.entry_add_annotation(
        entry=entry,
        registrar=registrar,
        kind="warning",
        public_text=text,
        reason="Panel decision.",
        ends_on=ends_on if ends_on is not None else today() + timedelta(days=365),
        category=category,
    )


def condition(entry, registrar, *, ends_on=None, category="", text="Supervised practice only."):
    return entries.entry_add_annotation(
        entry=entry,
        registrar=registrar,
        kind="condition",
        public_text=text,
        reason="Panel decision.",
        ends_on=ends_on,
        category=category,
    )


def suspend(entry, registrar, *, kind="sanction", until=None, category=""):
    return entries.entry_suspend(
        entry=entry,
        registrar=registrar,
        kind=kind,
        until=until or today() + timedelta(days=90),
        reason="Panel decision.",
        category=category,
    )


# --- Warnings ---------------------------------------------------------------------------------


def test_a_warning_is_published_until_its_day_and_changes_no_status(entry, registrar):
    until = today() + timedelta(days=180)

    warning = warn(entry, registrar, ends_on=until, category="dishonesty")

    warning.refresh_from_db()
    assert (warning.kind, warning.ends_on, warning.category) == ("warning", until, "dishonesty")
    assert warning.is_public
    assert warning.public_category == "Dishonesty"
    assert RegisterEntry.objects.get(pk=entry.pk).status == Status.REGISTERED
    assert not StatusChange.objects.filter(entry=entry).exists()
    event = AuditEvent.objects.get(action="register.warning.added")
    assert event.actor_id == registrar.pk
    assert event.data == {
        "annotation_id": warning.pk,
        "health_related": False,
        "ends_on": until.isoformat(),
        "category": "dishonesty",
    }


@pytest.mark.parametrize(
    ("ends_on", "message"),
    [
        (None, "Give the date the warning is published until."),
        (0, "The date the warning ends must be in the future."),
        (-30, "The date the warning ends must be in the future."),
    ],
)
def test_a_warning_needs_an_end_date_in_the_future(entry, registrar, ends_on, message):
    with pytest.raises(entries.EntryStatusError) as refused:
        entries.entry_add_annotation(
            entry=entry,
            registrar=registrar,
            kind="warning",
            public_text="Late to visits.",
            reason="Panel.",
            ends_on=None if ends_on is None else today() + timedelta(days=ends_on),
        )

    assert str(refused.value) == message
    assert not Annotation.objects.exists()
    assert not AuditEvent.objects.exists()


def test_a_warning_on_a_suspended_entry_leaves_it_suspended(entry, registrar):
    suspend(entry, registrar)

    warn(entry, registrar)

    assert RegisterEntry.objects.get(pk=entry.pk).status == Status.SUSPENDED


def test_a_warning_stops_being_public_the_day_after_its_last_day(entry, registrar, clock):
    warning = warn(entry, registrar, ends_on=today() + timedelta(days=10))

    clock.advance(timedelta(days=10))
    assert warning.is_public

    clock.advance(ONE_DAY)
    assert warning.has_run_out
    assert not warning.is_public


# --- Conditions with an end and a category ----------------------------------------------------


def test_a_condition_may_have_an_end_date_and_a_category(entry, registrar):
    until = today() + timedelta(days=365)

    imposed = condition(entry, registrar, ends_on=until, category="poor_practice")

    assert (imposed.ends_on, imposed.category, imposed.is_public) == (until, "poor_practice", True)
    assert RegisterEntry.objects.get(pk=entry.pk).status == Status.REGISTERED_WITH_CONDITIONS


def test_a_condition_that_ends_in_the_past_is_refused(entry, registrar):
    with pytest.raises(entries.EntryStatusError, match="The date the condition ends must be"):
        condition(entry, registrar, ends_on=today())

    assert RegisterEntry.objects.get(pk=entry.pk).status == Status.REGISTERED
    assert not Annotation.objects.exists()


def test_an_annotation_has_neither_an_end_date_nor_a_category(entry, registrar):
    for extra, message in [
        ({"ends_on": today() + ONE_DAY}, "Only a condition or a warning has an end date."),
        ({"category": "theft"}, "Only a condition or a warning has a category of concern."),
    ]:
        with pytest.raises(entries.EntryStatusError) as refused:
            entries.entry_add_annotation(
                entry=entry,
                registrar=registrar,
                kind="annotation",
                public_text="Level 3 Diploma in Adult Care.",
                reason="Qualification.",
                **extra,
            )
        assert str(refused.value) == message
    assert not Annotation.objects.exists()


def test_a_category_not_on_the_list_is_refused_everywhere(entry, registrar):
    attempts = [
        lambda: condition(entry, registrar, category="rudeness"),
        lambda: warn(entry, registrar, category="rudeness"),
        lambda: suspend(entry, registrar, category="rudeness"),
        lambda: entries.entry_remove(
            entry=entry,
            registrar=registrar,
            kind="fitness_to_practise",
            reason="Struck off.",
            category="rudeness",
        ),
    ]
    for attempt in attempts:
        with pytest.raises(entries.EntryStatusError) as refused:
            attempt()
        assert str(refused.value) == "Choose the category of the concern from the list."

    entry.refresh_from_db()
    assert (entry.status, entry.sanction_category) == (Status.REGISTERED, "")
    assert not Annotation.objects.exists()
    assert not AuditEvent.objects.exists()


def test_the_categories_are_the_six_of_the_issue():
    assert ConcernCategory.values == [
        "poor_practice",
        "dishonesty",
        "theft",
        "abuse_or_neglect",
        "health",
        "other",
    ]


# --- Health -----------------------------------------------------------------------------------


def test_an_outcome_about_health_is_never_public_and_needs_no_public_text(entry, registrar):
    for kind in ["condition", "warning"]:
        added = entries.entry_add_annotation(
            entry=entry,
            registrar=registrar,
            kind=kind,
            public_text="",
            reason="Occupational health advice.",
            ends_on=today() + timedelta(days=30),
            category="health",
        )
        added.refresh_from_db()
        assert (added.category, added.is_health_related) == ("health", True)
        assert not added.is_public
        assert added.public_category is None


def test_the_category_health_hides_an_outcome_even_with_public_text(entry, registrar):
    annotation = Annotation(
        entry=entry,
        kind="condition",
        public_text="Must attend occupational health.",
        category="health",
        created_by=registrar,
    )

    assert not annotation.is_public
    assert ConcernCategory.public_label("health") is None
    assert ConcernCategory.public_label("") is None
    assert ConcernCategory.public_label("abuse_or_neglect") == "Abuse or neglect"


# --- Sanction suspensions and removals --------------------------------------------------------


def test_a_sanction_suspension_keeps_its_category_until_it_ends(entry, registrar):
    suspend(entry, registrar, category="theft")

    entry.refresh_from_db()
    assert (entry.status, entry.suspension_kind, entry.sanction_category) == (
        Status.SUSPENDED,
        "sanction",
        "theft",
    )
    assert AuditEvent.objects.get(action="register.entry.suspended").data["sanction_category"] == (
        "theft"
    )

    entries.entry_end_suspension(entry=entry, registrar=registrar, reason="Served.")

    entry.refresh_from_db()
    assert (entry.status, entry.suspension_kind, entry.sanction_category) == (
        Status.REGISTERED,
        "",
        "",
    )


def test_an_interim_order_has_no_category(entry, registrar):
    with pytest.raises(entries.EntryStatusError) as refused:
        suspend(entry, registrar, kind="interim", category="theft")

    assert str(refused.value) == (
        "Only a sanction has a category of concern: an interim order is made before the concern "
        "is decided."
    )
    assert RegisterEntry.objects.get(pk=entry.pk).status == Status.REGISTERED


def test_a_removal_on_fitness_to_practise_grounds_keeps_its_category(entry, registrar):
    suspend(entry, registrar, category="theft")

    entries.entry_remove(
        entry=entry,
        registrar=registrar,
        kind="fitness_to_practise",
        reason="Struck off.",
        category="abuse_or_neglect",
    )

    entry.refresh_from_db()
    assert (entry.status, entry.removal_kind, entry.sanction_category) == (
        Status.REMOVED,
        "fitness_to_practise",
        "abuse_or_neglect",
    )
    event = AuditEvent.objects.get(action="register.entry.removed")
    assert event.data["sanction_category"] == "abuse_or_neglect"


def test_a_voluntary_removal_has_no_category(entry, registrar):
    with pytest.raises(entries.EntryStatusError) as refused:
        entries.entry_remove(
            entry=entry, registrar=registrar, kind="voluntary", reason="Left.", category="other"
        )

    assert str(refused.value) == (
        "Only a removal on fitness to practise grounds has a category of concern."
    )
    assert RegisterEntry.objects.get(pk=entry.pk).status == Status.REGISTERED


def test_existing_callers_that_give_no_category_still_work(entry, registrar):
    entries.entry_suspend(
        entry=entry, registrar=registrar, kind="interim", until=today() + ONE_DAY, reason="Order."
    )
    entries.entry_remove(
        entry=entry, registrar=registrar, kind="fitness_to_practise", reason="Struck off."
    )

    entry.refresh_from_db()
    assert (entry.status, entry.sanction_category) == (Status.REMOVED, "")


def test_nobody_but_a_registrar_ends_a_suspension_or_a_warning(entry, registrar, worker):
    suspend(entry, registrar)
    warning = warn(entry, registrar)

    # The system's own path (no one signed in) is the daily command's, never a service's.
    for someone in [None, worker]:
        with pytest.raises(PermissionDenied):
            entries.entry_end_suspension(entry=entry, registrar=someone, reason="Ended.")
        with pytest.raises(PermissionDenied):
            entries.entry_end_annotation(annotation=warning, registrar=someone, reason="Ended.")

    assert RegisterEntry.objects.get(pk=entry.pk).status == Status.SUSPENDED
    assert Annotation.objects.get(pk=warning.pk).ended_at is None


# --- The daily command ------------------------------------------------------------------------


def run(*args) -> str:
    out = StringIO()
    call_command("end_expired_sanctions", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def sanctions(registrar):
    """Entries whose outcomes end on different days, all made through the services."""
    in_ten_days = today() + timedelta(days=10)
    in_twenty_days = today() + timedelta(days=20)
    made = {}

    made["warned"] = RegisterEntryFactory(application__legal_name="Wanda Warned")
    made["warning"] = warn(made["warned"], registrar, ends_on=in_ten_days, category="dishonesty")
    made["later warning"] = warn(made["warned"], registrar, ends_on=in_twenty_days)

    made["conditioned"] = RegisterEntryFactory(application__legal_name="Connie Conditioned")
    made["condition"] = condition(made["conditioned"], registrar, ends_on=in_ten_days)

    made["served"] = RegisterEntryFactory(application__legal_name="Sid Served")
    suspend(made["served"], registrar, until=in_ten_days, category="theft")

    made["served with a condition"] = RegisterEntryFactory(application__legal_name="Cal Kept")
    made["lasting condition"] = condition(made["served with a condition"], registrar)
    suspend(made["served with a condition"], registrar, until=in_ten_days)

    # Both run out together: the condition ends first, so the entry goes straight back.
    made["both"] = RegisterEntryFactory(application__legal_name="Bo Both")
    made["both condition"] = condition(made["both"], registrar, ends_on=in_ten_days)
    suspend(made["both"], registrar, until=in_ten_days)

    made["interim"] = RegisterEntryFactory(application__legal_name="Ian Interim")
    suspend(made["interim"], registrar, kind="interim", until=in_ten_days)

    made["still serving"] = RegisterEntryFactory(application__legal_name="Stu Still")
    suspend(made["still serving"], registrar, until=in_twenty_days)
    mail.outbox.clear()
    return made


def status_of(entry) -> str:
    return RegisterEntry.objects.get(pk=entry.pk).status


def test_nothing_ends_before_its_last_day_has_passed(sanctions):
    output = run("--today", (today() + timedelta(days=10)).isoformat())

    assert output == "0 condition(s) or warning(s) and 0 suspension(s) ended.\n"
    assert not Annotation.objects.filter(ended_at__isnull=False).exists()


def test_it_ends_exactly_what_has_run_its_course(sanctions):
    day_after = (today() + timedelta(days=11)).isoformat()

    output = run("--today", day_after)

    ended = set(Annotation.objects.filter(ended_at__isnull=False))
    assert ended == {sanctions["warning"], sanctions["condition"], sanctions["both condition"]}
    assert status_of(sanctions["warned"]) == Status.REGISTERED
    assert status_of(sanctions["conditioned"]) == Status.REGISTERED
    assert status_of(sanctions["served"]) == Status.REGISTERED
    assert status_of(sanctions["served with a condition"]) == Status.REGISTERED_WITH_CONDITIONS
    assert status_of(sanctions["both"]) == Status.REGISTERED
    # An interim order waits for a registrar, whatever its date says.
    assert status_of(sanctions["interim"]) == Status.SUSPENDED
    assert status_of(sanctions["still serving"]) == Status.SUSPENDED
    served = RegisterEntry.objects.get(pk=sanctions["served"].pk)
    assert (served.suspension_kind, served.suspended_until, served.sanction_category) == (
        "",
        None,
        "",
    )
    assert output.endswith("3 condition(s) or warning(s) and 3 suspension(s) ended.\n")
    assert f"ended the suspension of {served.registration_number}\n" in output


def test_what_it_ends_is_logged_as_the_systems_doing_and_told_to_the_worker(
    sanctions, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        run("--today", (today() + timedelta(days=11)).isoformat())

    ended_warning = AuditEvent.objects.get(action="register.warning.ended")
    assert (ended_warning.actor_id, ended_warning.actor_label) == (None, "system")
    assert ended_warning.data["annotation_id"] == sanctions["warning"].pk
    suspension_ended = AuditEvent.objects.filter(action="register.entry.suspension_ended")
    assert {event.actor_label for event in suspension_ended} == {"system"}
    assert suspension_ended.count() == 3
    change = StatusChange.objects.filter(entry=sanctions["served"]).first()
    assert (change.old_status, change.new_status, change.changed_by) == (
        "suspended",
        "registered",
        None,
    )
    until = today() + timedelta(days=10)
    assert change.reason == f"The suspension ran until {until.day} {until:%B %Y}."
    to_served = [m for m in mail.outbox if m.to == [sanctions["served"].worker.email]]
    assert len(to_served) == 1
    assert f"The suspension ran until {until.day} {until:%B %Y}." in to_served[0].body


def test_running_it_again_changes_nothing(sanctions):
    day_after = (today() + timedelta(days=11)).isoformat()
    run("--today", day_after)
    events = AuditEvent.objects.count()
    changes = StatusChange.objects.count()

    output = run("--today", day_after)

    assert output == "0 condition(s) or warning(s) and 0 suspension(s) ended.\n"
    assert (AuditEvent.objects.count(), StatusChange.objects.count()) == (events, changes)


def test_a_dry_run_lists_what_would_end_and_changes_nothing(
    sanctions, django_capture_on_commit_callbacks
):
    events = AuditEvent.objects.count()

    with django_capture_on_commit_callbacks(execute=True):
        output = run("--dry-run", "--today", (today() + timedelta(days=11)).isoformat())

    assert output.endswith("3 condition(s) or warning(s) and 3 suspension(s) would end.\n")
    assert f"would end warning {sanctions['warning'].pk} on " in output
    assert "would end the suspension of " + sanctions["served"].registration_number in output
    assert not Annotation.objects.filter(ended_at__isnull=False).exists()
    assert status_of(sanctions["served"]) == Status.SUSPENDED
    assert AuditEvent.objects.count() == events
    assert mail.outbox == []


def test_it_runs_with_the_other_daily_commands(settings):
    assert "end_expired_sanctions" in settings.PERIODIC_COMMANDS


def test_its_help_says_interim_orders_are_left_to_a_registrar():
    from register.management.commands.end_expired_sanctions import Command

    assert "Interim suspensions are never ended by the clock: a registrar ends them." in (
        Command.help
    )


def test_one_that_cannot_be_ended_leaves_the_others_ended_and_fails_the_run(sanctions, monkeypatch):
    end_annotation = entries._end_annotation

    def fail_for_the_warning(*, annotation, by, reason):
        if annotation.pk == sanctions["warning"].pk:
            raise RuntimeError("the database went away")
        return end_annotation(annotation=annotation, by=by, reason=reason)

    monkeypatch.setattr(entries, "_end_annotation", fail_for_the_warning)

    with pytest.raises(CommandError, match=f"Could not end: warning {sanctions['warning'].pk} on"):
        run("--today", (today() + timedelta(days=11)).isoformat())

    assert Annotation.objects.get(pk=sanctions["warning"].pk).ended_at is None
    assert Annotation.objects.get(pk=sanctions["condition"].pk).ended_at is not None
    assert status_of(sanctions["served"]) == Status.REGISTERED
