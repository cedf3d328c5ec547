"""Every page reads a consultation's status from the clock, so the association's list and the
public list agree even before `advance_consultations` has stored the change (issue 18: 10)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from consultations.models import Consultation
from tests.factories import ConsultationFactory

pytestmark = pytest.mark.django_db


def _section(html: str, heading: str) -> str:
    """The part of the public list under one heading, up to the next."""
    return html.split(f"<h2>{heading}</h2>")[1].split("<h2>")[0]


def _manage_row(html: str, title: str) -> str:
    return html.split(title)[1].split("</tr>")[0]


@pytest.fixture
def stale_open(association_admin, association, clock):
    """Scheduled to open in an hour; the clock then moves two hours on, and nothing has stored
    the opening: the row still says scheduled."""
    consultation = ConsultationFactory(
        created_by=association_admin,
        organisation=association,
        title="Opened by the clock",
        opens_at=timezone.now() + timedelta(hours=1),
        status="scheduled",
    )
    clock.advance(timedelta(hours=2))
    return consultation


def test_an_opening_the_row_has_not_stored_shows_as_open_on_both_lists(
    client, stale_open, association_admin
):
    assert Consultation.objects.get().status == Consultation.Status.SCHEDULED

    public = client.get(reverse("consultations:list")).content.decode()
    client.force_login(association_admin)
    manage = client.get(reverse("consultations:manage-list")).content.decode()
    detail = client.get(reverse("consultations:manage", args=[stale_open.pk])).content.decode()

    assert "Opened by the clock" in _section(public, "Open now")
    assert '<td data-label="Status">Open</td>' in _manage_row(manage, "Opened by the clock")
    assert "<dt>Status</dt><dd>Open</dd>" in detail


def test_a_closing_the_row_has_not_stored_shows_as_closed_on_both_lists(
    client, stale_open, association_admin, clock
):
    Consultation.objects.filter(pk=stale_open.pk).update(status=Consultation.Status.OPEN)
    clock.set(stale_open.closes_at + timedelta(minutes=1))

    public = client.get(reverse("consultations:list")).content.decode()
    client.force_login(association_admin)
    manage = client.get(reverse("consultations:manage-list")).content.decode()

    assert Consultation.objects.get().status == Consultation.Status.OPEN
    assert "Opened by the clock" in _section(public, "Closed")
    assert "Opened by the clock" not in public.split("<h2>Closed</h2>")[0]
    assert '<td data-label="Status">Closed</td>' in _manage_row(manage, "Opened by the clock")


def test_the_label_is_the_clock_s_status(stale_open):
    assert stale_open.get_effective_status_display() == "Open"
    assert stale_open.get_effective_status_display(stale_open.closes_at) == "Closed"
    assert stale_open.get_effective_status_display(stale_open.opens_at - timedelta(seconds=1)) == (
        "Scheduled"
    )
