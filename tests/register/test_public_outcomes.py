"""Published fitness to practise outcomes: the public entry page and the JSON API show current
conditions, warnings, suspensions and removals with their category of concern, never a health
one; an ended or run-out warning is gone, on the very next visit of a page kept in the cache."""

from datetime import datetime, time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from register.models import Annotation, RegisterEntry
from register.services import entries
from tests.factories import RegisterEntryFactory

pytestmark = pytest.mark.django_db

Status = RegisterEntry.Status


def today():
    return timezone.localdate()


def shown_day(day) -> str:
    return f"{day.day} {day:%B %Y}"


@pytest.fixture
def entry_of_wanda():
    return RegisterEntryFactory(application__legal_name="Wanda Warned")


def page(client, entry) -> str:
    response = client.get(reverse("register:public-entry", args=[entry.registration_number]))
    assert response.status_code == 200
    return response.content.decode()


def api(client, entry) -> dict:
    response = client.get(reverse("api:register-entry", args=[entry.registration_number]))
    assert response.status_code == 200
    return response.json()


def warn(entry, registrar, *, ends_on, category="", text="Recorded visits that never happened."):
    return entries.entry_add_annotation(
        entry=entry,
        registrar=registrar,
        kind="warning",
        public_text=text,
        reason="Panel decision.",
        ends_on=ends_on,
        category=category,
    )


def test_a_warning_is_shown_with_its_last_day_and_category(client, entry_of_wanda, registrar):
    until = today() + timedelta(days=180)
    warn(entry_of_wanda, registrar, ends_on=until, category="dishonesty")

    html = page(client, entry_of_wanda)
    data = api(client, entry_of_wanda)

    assert "<h2>Warnings</h2>" in html
    assert (
        '<li>Recorded visits that never happened.<br><span class="hint">Category of concern: '
        f"Dishonesty. Until {shown_day(until)}.</span></li>"
    ) in html
    assert data["warnings"] == [
        {
            "text": "Recorded visits that never happened.",
            "until": until.isoformat(),
            "category": "Dishonesty",
        }
    ]
    # A warning changes no status.
    assert data["status"] == "registered"
    assert "On the register and may practise." in html


def test_a_condition_is_shown_with_its_category_and_end(client, entry_of_wanda, registrar):
    until = today() + timedelta(days=365)
    entries.entry_add_annotation(
        entry=entry_of_wanda,
        registrar=registrar,
        kind="condition",
        public_text="Must not give medicines unsupervised.",
        reason="Panel decision.",
        ends_on=until,
        category="poor_practice",
    )

    html = page(client, entry_of_wanda)

    assert (
        '<li>Must not give medicines unsupervised.<br><span class="hint">Category of concern: '
        f"Poor practice. Until {shown_day(until)}.</span></li>"
    ) in html
    assert api(client, entry_of_wanda)["conditions"] == [
        {
            "text": "Must not give medicines unsupervised.",
            "until": until.isoformat(),
            "category": "Poor practice",
        }
    ]


def test_a_sanction_suspension_is_shown_with_its_category(client, entry_of_wanda, registrar):
    until = today() + timedelta(days=90)
    entries.entry_suspend(
        entry=entry_of_wanda,
        registrar=registrar,
        kind="sanction",
        until=until,
        reason="Private detail of the hearing.",
        category="theft",
    )

    html = page(client, entry_of_wanda)
    data = api(client, entry_of_wanda)

    assert f"<dd>Sanction, until {shown_day(until)}</dd>" in html
    assert "<dt>Category of concern</dt>\n  <dd>Theft</dd>" in html
    assert (data["suspension_kind"], data["sanction_category"]) == ("Sanction", "Theft")
    assert "Private detail" not in html


def test_a_removal_on_fitness_to_practise_grounds_is_shown_with_its_category(
    client, entry_of_wanda, registrar
):
    entries.entry_remove(
        entry=entry_of_wanda,
        registrar=registrar,
        kind="fitness_to_practise",
        reason="Struck off.",
        category="abuse_or_neglect",
    )

    html = page(client, entry_of_wanda)

    assert "<dd>Removed on fitness to practise grounds</dd>" in html
    assert "<dd>Abuse or neglect</dd>" in html
    assert api(client, entry_of_wanda)["sanction_category"] == "Abuse or neglect"


def test_a_category_of_health_is_never_shown_nor_a_health_outcome(
    client, entry_of_wanda, registrar
):
    entries.entry_add_annotation(
        entry=entry_of_wanda,
        registrar=registrar,
        kind="condition",
        public_text="Must attend occupational health every month.",
        reason="Panel decision.",
        category="health",
    )
    warn(
        entry_of_wanda,
        registrar,
        ends_on=today() + timedelta(days=30),
        category="health",
        text="A health matter.",
    )
    entries.entry_suspend(
        entry=entry_of_wanda,
        registrar=registrar,
        kind="sanction",
        until=today() + timedelta(days=30),
        reason="Health.",
        category="health",
    )

    html = page(client, entry_of_wanda)
    data = api(client, entry_of_wanda)

    for hidden in ["occupational health", "A health matter", "Health", "Category of concern"]:
        assert hidden not in html, hidden
    assert (data["conditions"], data["warnings"], data["sanction_category"]) == ([], [], None)
    # The suspension itself is shown: only its category is not.
    assert data["status"] == "suspended"
    assert data["suspension_kind"] == "Sanction"


def test_conditions_about_health_are_not_pointed_to_as_if_they_were_shown(
    client, entry_of_wanda, registrar
):
    entries.entry_add_annotation(
        entry=entry_of_wanda,
        registrar=registrar,
        kind="condition",
        public_text="Must attend occupational health every month.",
        reason="Panel decision.",
        category="health",
    )
    assert RegisterEntry.objects.get(pk=entry_of_wanda.pk).status == "registered_with_conditions"

    html = page(client, entry_of_wanda)

    assert "conditions below" not in html
    assert "may practise within conditions set by the register" in html


def test_an_interim_order_shows_no_category_whatever_is_stored(client):
    # The services never store one; a category left by a hand-made change stays unshown.
    entry = RegisterEntryFactory(
        status=Status.SUSPENDED,
        suspension_kind=RegisterEntry.SuspensionKind.INTERIM,
        suspended_until=today() + timedelta(days=30),
        sanction_category="theft",
    )

    assert api(client, entry)["sanction_category"] is None
    assert "Theft" not in page(client, entry)


def test_an_ended_warning_is_gone_from_the_next_visit(client, entry_of_wanda, registrar):
    warning = warn(entry_of_wanda, registrar, ends_on=today() + timedelta(days=30))
    assert "Recorded visits that never happened." in page(client, entry_of_wanda)  # now kept

    entries.entry_end_annotation(annotation=warning, registrar=registrar, reason="Appeal.")

    assert "Warnings" not in page(client, entry_of_wanda)
    assert api(client, entry_of_wanda)["warnings"] == []


def test_a_warning_past_its_last_day_is_not_shown_even_before_the_command_ends_it(
    client, entry_of_wanda, registrar, clock
):
    warn(entry_of_wanda, registrar, ends_on=today() + timedelta(days=30))

    clock.advance(timedelta(days=31))

    assert Annotation.objects.get().ended_at is None
    assert api(client, entry_of_wanda)["warnings"] == []
    assert "Recorded visits" not in page(client, entry_of_wanda)


def test_a_new_warning_shows_on_the_next_visit_of_a_kept_page(
    client, entry_of_wanda, registrar, django_capture_on_commit_callbacks
):
    page(client, entry_of_wanda)

    with django_capture_on_commit_callbacks(execute=True):
        warn(entry_of_wanda, registrar, ends_on=today() + timedelta(days=30))

    assert "Recorded visits that never happened." in page(client, entry_of_wanda)


def test_the_daily_command_ending_a_suspension_shows_on_the_next_visit(
    client, entry_of_wanda, registrar, django_capture_on_commit_callbacks
):
    until = today() + timedelta(days=10)
    entries.entry_suspend(
        entry=entry_of_wanda,
        registrar=registrar,
        kind="sanction",
        until=until,
        reason="Panel decision.",
        category="theft",
    )
    assert "<dd>Theft</dd>" in page(client, entry_of_wanda)  # now kept

    with django_capture_on_commit_callbacks(execute=True):
        entries.sanctions_end_expired(today=until + timedelta(days=1))

    html = page(client, entry_of_wanda)
    assert "On the register and may practise." in html
    assert "Theft" not in html


def test_a_page_kept_late_in_the_day_is_not_served_after_midnight(
    client, entry_of_wanda, registrar, clock
):
    # A warning's last day passing changes the page with no change to any row: so no page is
    # kept past midnight.
    last_day = today() + timedelta(days=3)
    warn(entry_of_wanda, registrar, ends_on=last_day)
    clock.set(timezone.make_aware(datetime.combine(last_day, time(23, 59))))
    assert "Recorded visits that never happened." in page(client, entry_of_wanda)  # now kept

    clock.advance(timedelta(minutes=2))

    assert "Recorded visits that never happened." not in page(client, entry_of_wanda)
