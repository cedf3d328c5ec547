"""The second demo worker, whose renewal falls due in 30 days, so a newcomer can try renewing
(README, "Demo logins")."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from register.models import RegisterEntry
from register.services import renewals


@pytest.fixture
def seeded(db):
    call_command("seed_demo", stdout=StringIO())
    return User.objects.get(email="renewing@example.com")


def test_she_signs_in_with_the_demo_password_and_is_due_to_renew_in_30_days(seeded):
    today = timezone.localdate()
    entry = seeded.register_entry

    assert seeded.check_password("demo-register-2026")
    assert seeded.is_care_worker
    assert entry.status == RegisterEntry.Status.REGISTERED
    assert entry.renewal_due == today + timedelta(days=30)
    assert renewals.cpd_hours_since(entry) == 13.5
    # Amira, the first demo worker, joined today: her renewal window is closed.
    amira = RegisterEntry.objects.get(worker__email="worker@example.com")
    assert renewals.renewal_refusal(
        entry=amira, today=today, hours_logged=renewals.cpd_hours_since(amira)
    )


def test_seeding_again_changes_nothing_of_hers(seeded):
    entry = seeded.register_entry
    call_command("seed_demo", stdout=StringIO())

    assert RegisterEntry.objects.filter(worker=seeded).get().renewal_due == entry.renewal_due
    assert entry.cpd.count() == 3


def test_her_renewal_page_offers_the_form_and_renews_her(client, seeded):
    client.force_login(seeded)

    page = client.get(reverse("register:renewals-renew")).content.decode()
    assert "Renew my registration" in page
    assert "You cannot renew yet" not in page

    response = client.post(
        reverse("register:renewals-renew"),
        {
            "has_criminal_record": "no",
            "has_health_condition": "no",
            "has_fitness_to_practise_history": "no",
        },
        follow=True,
    )
    assert "Your registration is renewed until" in response.content.decode()


def test_the_reminder_command_warns_sunrise_care_homes_about_her(
    seeded, django_capture_on_commit_callbacks
):
    # Seeding sends the demo's own emails (applications, trials); only the command's count here.
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_renewal_reminders", stdout=StringIO())

    to_employer = [message for message in mail.outbox if message.to == ["employer@example.com"]]
    assert [message.subject for message in to_employer] == [
        "[Care Register] Registration lapses on "
        f"{renewals.format_day(seeded.register_entry.renewal_due)} unless renewed: Rosa Renewing"
    ]
