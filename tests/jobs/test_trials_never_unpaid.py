# ruff: noqa: F811  (pytest fixtures imported from tests/jobs/trial_fixtures.py)
"""An unpaid or below-minimum-wage trial cannot be created by any path (issue 21, "Must show"):
a service call, the pages, the API, the admin, nor a write straight to the database."""

from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from jobs.models import JobTrial
from jobs.services import trials
from tests.jobs.trial_fixtures import an_offer, pat, tomorrow_at, vacancy  # noqa: F401
from tests.security.urlwalk import all_routes

# £0 (unpaid), a negative rate, and £12.70: a penny under the National Living Wage of £12.71.
BAD_RATES = ["0", "-5", "12.70"]


@pytest.mark.parametrize("rate", BAD_RATES)
def test_a_service_call_refuses_it(pat, employer, rate):
    with pytest.raises(trials.TrialRefused):
        trials.trial_offer(
            application=pat, actor=employer, offer=an_offer(hourly_rate=Decimal(rate))
        )
    assert not JobTrial.objects.exists()


@pytest.mark.parametrize("rate", [*BAD_RATES, ""])
def test_the_offer_page_refuses_it(client, pat, employer, rate):
    start = tomorrow_at(10)
    client.force_login(employer)
    response = client.post(
        reverse("jobs:trial-offer", args=[pat.reference]),
        {
            "kind": "observation",
            "starts_at_0": start.day,
            "starts_at_1": start.month,
            "starts_at_2": start.year,
            "starts_at_3": "10:00",
            "length_hours": "3",
            "induction_minutes": "0",
            "hourly_rate": rate,
            "cancellation_pay_hours": "2",
            "place": "Sunrise House",
            "supervisor_name": "Sue Senior",
            "what_you_will_do": "Meet residents.",
            "what_to_bring": "Nothing.",
            "getting_there": "Bus 42.",
        },
    )
    assert response.status_code == 400
    assert not JobTrial.objects.exists()


def test_the_api_has_no_way_to_write_a_trial():
    # Trials are written on the pages alone; were an endpoint added, it would have to call
    # jobs.services.trials, and this test would name it to be checked here.
    api_routes = [route for route in all_routes() if route.name.startswith("api:")]
    assert api_routes, "the API's routes were not found"
    assert not [route.name for route in api_routes if "trial" in route.pattern.lower()]


def test_the_admin_cannot_add_or_change_a_trial_even_for_a_superuser(
    registrar_client, registrar, pat, employer
):
    trial = trials.trial_offer(application=pat, actor=employer, offer=an_offer())
    # A registrar with a second factor, made a superuser: every model permission is theirs.
    registrar.is_superuser = True
    registrar.save(update_fields=["is_superuser"])
    client = registrar_client

    added = client.post(reverse("admin:jobs_jobtrial_add"), {"hourly_rate": "0"})
    changed = client.post(
        reverse("admin:jobs_jobtrial_change", args=[trial.pk]), {"hourly_rate": "0"}
    )

    assert added.status_code == 403
    assert changed.status_code == 403
    assert client.post(reverse("admin:jobs_trialpay_add"), {"amount": "0"}).status_code == 403
    trial.refresh_from_db()
    assert trial.hourly_rate == Decimal("13.50")
    assert JobTrial.objects.count() == 1


@pytest.mark.parametrize(
    "changes",
    [
        {"hourly_rate": Decimal("0")},
        {"hourly_rate": Decimal("-1"), "pay_floor_rate": Decimal("-2")},
        {"hourly_rate": Decimal("12.70")},
        {"pay_floor_rate": Decimal("0"), "hourly_rate": Decimal("0")},
        {"length_hours": Decimal("0")},
        {"length_hours": Decimal("5")},
        {"cancellation_pay_hours": Decimal("1")},
        {"kind": "supervised", "checks_source": "not_needed"},
    ],
)
def test_the_database_refuses_what_a_constraint_can_say(pat, employer, changes):
    trial = trials.trial_offer(application=pat, actor=employer, offer=an_offer())
    for name, value in changes.items():
        setattr(trial, name, value)
    with pytest.raises(IntegrityError), transaction.atomic():
        trial.save()
    trial.pk = None
    with pytest.raises(IntegrityError), transaction.atomic():
        JobTrial.objects.filter(pk=JobTrial.objects.get().pk).update(**changes)
