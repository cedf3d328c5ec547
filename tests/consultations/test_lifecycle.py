"""Draft, scheduled, open, closed, analysing: by the association, and by the clock."""

from datetime import datetime, time, timedelta
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.utils import timezone

from consultations.models import Consultation
from consultations.selectors import consultation_effective_status
from consultations.services import lifecycle
from consultations.services.lifecycle import ConsultationStatusError
from core.models import AuditEvent
from tests.factories import ConsultationFactory

pytestmark = pytest.mark.django_db
Status = Consultation.Status
MICROSECOND = timedelta(microseconds=1)
LONDON = ZoneInfo("Europe/London")


@pytest.fixture
def scheduled_for_later(association_admin, association):
    # 9 am London time a week ahead, closing at 23:59 four weeks after that: the hours a
    # consultation is given, on whatever day the suite runs (a fixed date went stale).
    week_ahead = timezone.localtime(timezone.now(), LONDON).date() + timedelta(days=7)
    return ConsultationFactory(
        created_by=association_admin,
        organisation=association,
        opens_at=datetime.combine(week_ahead, time(9, 0), tzinfo=LONDON),
        closes_at=datetime.combine(week_ahead + timedelta(days=28), time(23, 59), tzinfo=LONDON),
        status="scheduled",
    )


def test_scheduling_fixes_the_questions_and_writes_an_audit_event(scheduled_for_later):
    assert scheduled_for_later.status == Status.SCHEDULED
    event = AuditEvent.objects.get(action="consultations.consultation.scheduled")
    assert (event.old_status, event.new_status) == ("draft", "scheduled")


def test_scheduling_opens_it_at_once_when_the_opening_time_has_passed(draft, association_admin):
    lifecycle.consultation_schedule(consultation=draft, user=association_admin)

    draft.refresh_from_db()
    assert draft.status == Status.OPEN
    opened = AuditEvent.objects.get(action="consultations.consultation.open")
    assert opened.actor_label == "system"


def test_scheduling_needs_a_question_of_its_own(association_admin, association):
    from consultations.services.building import consultation_create

    now = timezone.now()
    consultation = consultation_create(
        organisation=association,
        user=association_admin,
        title="Empty",
        summary="Nothing yet.",
        privacy_notice="None.",
        opens_at=now,
        closes_at=now + timedelta(days=1),
    )

    with pytest.raises(ConsultationStatusError, match="at least one question of your own"):
        lifecycle.consultation_schedule(consultation=consultation, user=association_admin)
    consultation.refresh_from_db()
    assert consultation.status == Status.DRAFT


def test_scheduling_needs_both_times(draft, association_admin):
    Consultation.objects.filter(pk=draft.pk).update(opens_at=None)

    with pytest.raises(ConsultationStatusError, match="Set the opening and closing times"):
        lifecycle.consultation_schedule(consultation=draft, user=association_admin)


def test_scheduling_refuses_a_closing_time_in_the_past(draft, association_admin):
    past = timezone.now() - timedelta(hours=1)
    Consultation.objects.filter(pk=draft.pk).update(
        opens_at=past - timedelta(days=1), closes_at=past
    )

    with pytest.raises(ConsultationStatusError, match="closing time has already passed"):
        lifecycle.consultation_schedule(consultation=draft, user=association_admin)


def test_scheduling_twice_is_refused(scheduled_for_later, association_admin):
    with pytest.raises(ConsultationStatusError, match="Only a draft can be scheduled"):
        lifecycle.consultation_schedule(consultation=scheduled_for_later, user=association_admin)


def test_it_opens_by_the_clock_at_the_opening_second(scheduled_for_later):
    opens = scheduled_for_later.opens_at

    assert (
        consultation_effective_status(consultation=scheduled_for_later, now=opens - MICROSECOND)
        == Status.SCHEDULED
    )
    assert consultation_effective_status(consultation=scheduled_for_later, now=opens) == Status.OPEN


def test_it_closes_by_the_clock_at_the_closing_second(scheduled_for_later):
    closes = scheduled_for_later.closes_at

    assert scheduled_for_later.effective_status(closes - MICROSECOND) == Status.OPEN
    assert scheduled_for_later.effective_status(closes) == Status.CLOSED


def test_the_clock_is_stored_with_audit_events_and_following_it_again_does_nothing(
    scheduled_for_later,
):
    closes = scheduled_for_later.closes_at

    moved = lifecycle.consultation_follow_clock(consultation=scheduled_for_later, now=closes)
    again = lifecycle.consultation_follow_clock(consultation=scheduled_for_later, now=closes)

    scheduled_for_later.refresh_from_db()
    assert (moved, again) == (["open", "closed"], [])
    assert scheduled_for_later.status == Status.CLOSED
    actions = list(
        AuditEvent.objects.filter(action__startswith="consultations.consultation.")
        .order_by("id")
        .values_list("action", "old_status", "new_status")
    )
    assert actions[-2:] == [
        ("consultations.consultation.open", "scheduled", "open"),
        ("consultations.consultation.closed", "open", "closed"),
    ]


def test_the_command_opens_and_closes_by_the_clock_and_can_dry_run(scheduled_for_later, clock):
    clock.set(scheduled_for_later.opens_at)
    dry = StringIO()
    call_command("advance_consultations", "--dry-run", stdout=dry)
    scheduled_for_later.refresh_from_db()
    assert scheduled_for_later.status == Status.SCHEDULED
    assert "would move proposed-voluntary-register: scheduled -> open" in dry.getvalue()

    out = StringIO()
    call_command("advance_consultations", stdout=out)
    scheduled_for_later.refresh_from_db()
    assert scheduled_for_later.status == Status.OPEN
    assert "1 consultation(s) moved." in out.getvalue()

    clock.set(scheduled_for_later.closes_at - MICROSECOND)
    call_command("advance_consultations", stdout=StringIO())
    scheduled_for_later.refresh_from_db()
    assert scheduled_for_later.status == Status.OPEN

    clock.set(scheduled_for_later.closes_at)
    call_command("advance_consultations", stdout=StringIO())
    again = StringIO()
    call_command("advance_consultations", stdout=again)
    scheduled_for_later.refresh_from_db()
    assert scheduled_for_later.status == Status.CLOSED
    assert "0 consultation(s) moved." in again.getvalue()


def test_going_back_to_draft_is_only_before_it_opens(scheduled_for_later, association_admin, clock):
    lifecycle.consultation_unschedule(consultation=scheduled_for_later, user=association_admin)
    scheduled_for_later.refresh_from_db()
    assert scheduled_for_later.status == Status.DRAFT
    assert AuditEvent.objects.filter(action="consultations.consultation.draft").exists()

    lifecycle.consultation_schedule(consultation=scheduled_for_later, user=association_admin)
    clock.set(scheduled_for_later.opens_at)
    with pytest.raises(ConsultationStatusError, match="has not opened yet"):
        lifecycle.consultation_unschedule(consultation=scheduled_for_later, user=association_admin)


def test_analysis_starts_only_after_the_close(scheduled_for_later, association_admin, clock):
    clock.set(scheduled_for_later.closes_at - MICROSECOND)
    with pytest.raises(ConsultationStatusError, match="only once the consultation has closed"):
        lifecycle.consultation_start_analysis(
            consultation=scheduled_for_later, user=association_admin
        )

    clock.set(scheduled_for_later.closes_at)
    lifecycle.consultation_start_analysis(consultation=scheduled_for_later, user=association_admin)

    scheduled_for_later.refresh_from_db()
    assert scheduled_for_later.status == Status.ANALYSING
    event = AuditEvent.objects.get(action="consultations.consultation.analysing")
    assert (event.actor_id, event.old_status) == (association_admin.pk, "closed")
    with pytest.raises(ConsultationStatusError, match="already started"):
        lifecycle.consultation_start_analysis(
            consultation=scheduled_for_later, user=association_admin
        )


def test_the_transitions_table_allows_publishing_only_after_analysis():
    assert Consultation.TRANSITIONS[Status.ANALYSING] == {Status.PUBLISHED}
    assert all(
        Status.PUBLISHED not in targets
        for status, targets in Consultation.TRANSITIONS.items()
        if status != Status.ANALYSING
    )
