"""What the worker sees after sending a renewal: the registrar's decision and reason on their
dashboard, what to do after a refusal, and a history with renewals and changes of name."""

import re
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from register.selectors.register import entry_history
from register.services import details, renewals
from register.services.evidence import evidence_upload
from tests.register.test_renewals import entry_due_in, log_cpd, long_date, referred_renewal, submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def entry(worker):
    """The worker's entry, 30 days from its renewal date, with enough CPD to renew."""
    entry = entry_due_in(30, application__worker=worker)
    log_cpd(entry)
    return entry


def dashboard(client, entry):
    client.force_login(entry.worker)
    return client.get(reverse("register:worker-dashboard")).content.decode()


def text(page):
    """The page's words as a reader meets them: inline tags dropped, other tags a space."""
    inline_dropped = re.sub(r"</?(strong|a|span)\b[^>]*>", "", page)
    return " ".join(re.sub(r"<[^>]+>", " ", inline_dropped).split())


def test_before_renewing_the_dashboard_says_renew_before_the_date(client, entry):
    page = text(dashboard(client, entry))

    assert f"Renew before {long_date(entry.renewal_due)}" in page
    assert "not accepted" not in page


def test_while_a_registrar_decides_the_dashboard_says_so_not_renew_before(client, entry):
    referred_renewal(entry)

    page = text(dashboard(client, entry))

    assert "is with a registrar. Your registration does not lapse while they decide." in page
    assert "Renew before" not in page


def test_after_a_refusal_the_dashboard_shows_the_reason_and_what_to_do_next(
    client, entry, registrar
):
    renewals.renewal_decide(
        renewal=referred_renewal(entry),
        registrar=registrar,
        accept=False,
        reason="Tell us how you manage your condition at work.",
    )

    page = text(dashboard(client, entry))

    assert "Your renewal was not accepted" in page
    assert "Their reason: Tell us how you manage your condition at work." in page
    assert f"It lapses after {long_date(entry.renewal_due)} unless a renewal is accepted" in page
    assert "send your renewal again" in page
    assert "contact the register's staff" in page
    assert "Renew before" not in page


def test_after_a_refusal_the_renewal_page_offers_the_form_again_and_says_a_registrar_looks(
    client, entry, registrar
):
    renewals.renewal_decide(
        renewal=referred_renewal(entry), registrar=registrar, accept=False, reason="Not yet."
    )
    client.force_login(entry.worker)

    page = text(client.get(reverse("register:renewals-renew")).content.decode())

    assert "A registrar did not accept your last renewal" in page
    assert "a registrar looks at it before anything changes, whatever your answers" in page
    assert "The registrar's reason: Not yet." in page
    assert "Renew my registration" in page


def test_after_an_acceptance_the_dashboard_shows_the_registrars_reason_and_the_next_date(
    client, entry, registrar
):
    renewals.renewal_decide(
        renewal=referred_renewal(entry),
        registrar=registrar,
        accept=True,
        reason="Your condition is well managed.",
    )
    entry.refresh_from_db()

    page = text(dashboard(client, entry))

    assert "A registrar accepted it on" in page
    assert "Their reason: Your condition is well managed." in page
    assert f"Renew before {long_date(entry.renewal_due)}" in page


def test_the_history_shows_renewals_with_their_decisions_and_changes_of_name(
    client, entry, registrar
):
    renewals.renewal_decide(
        renewal=referred_renewal(entry), registrar=registrar, accept=False, reason="First no."
    )
    renewals.renewal_decide(
        renewal=submit(entry), registrar=registrar, accept=True, reason="Second yes."
    )
    worker = entry.worker
    evidence = evidence_upload(
        owner=worker, uploaded_by=worker, upload=SimpleUploadedFile("deed.pdf", b"%PDF-1.4 x")
    )
    refused_name = details.name_change_request(
        entry=entry, worker=worker, new_name="Wendy Wrong", evidence=evidence
    )
    details.name_change_decide(
        request=refused_name, registrar=registrar, approve=False, reason="Deed poll unreadable."
    )
    approved_name = details.name_change_request(
        entry=entry, worker=worker, new_name="Wendy Married", evidence=evidence
    )
    details.name_change_decide(request=approved_name, registrar=registrar, approve=True)

    page = text(dashboard(client, entry))
    history = page[page.index("History") :]

    for line in [
        "You sent your renewal. 12 hours of CPD",
        "A registrar did not accept your renewal. Their reason: First no.",
        "A registrar accepted your renewal. Their reason: Second yes.",
        "You asked to change your name to Wendy Wrong",
        "A registrar did not change your name to Wendy Wrong. Their reason: Deed poll unreadable.",
        "You asked to change your name to Wendy Married",
        "Your name on the register became Wendy Married",
    ]:
        assert line in history
    # Newest first.
    assert history.index("became Wendy Married") < history.index("Second yes.")
    assert history.index("Second yes.") < history.index("First no.")


def test_a_renewal_renewed_at_once_shows_in_the_history(client, entry):
    submit(entry)

    history = text(dashboard(client, entry)).split("History", 1)[1]

    assert "Your renewal was accepted. 12 hours of CPD, for the renewal date of" in history


def test_a_restoration_shows_as_a_restoration(client, worker):
    entry = entry_due_in(-40, application__worker=worker, status="lapsed")
    log_cpd(entry)
    submit(entry)

    history = text(dashboard(client, entry)).split("History", 1)[1]

    assert "Your restoration was accepted" in history
    assert "Status: Registered. Restored on renewal" in history


def test_nobody_else_reads_a_workers_history(entry, registered_worker, registrar):
    for someone in (registered_worker, registrar):
        with pytest.raises(PermissionDenied):
            entry_history(user=someone, entry=entry)


def test_the_history_is_the_newest_fifty_events(entry):
    for _ in range(30):
        renewals.Renewal.objects.create(
            entry=entry,
            status=renewals.Renewal.Status.REFUSED,
            renewal_due_before=entry.renewal_due,
            has_criminal_record=False,
            has_health_condition=False,
            has_fitness_to_practise_history=False,
            cpd_hours=12,
            submitted_at=timezone.now() - timedelta(days=1),
            decided_at=timezone.now(),
            decision_reason="No.",
        )

    assert len(entry_history(user=entry.worker, entry=entry)) == 50
