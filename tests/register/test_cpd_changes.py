"""Editing and deleting CPD: the worker's own activities only, until a renewal is sent with
them."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse

from core.models import AuditEvent
from register.models import CpdActivity, Renewal
from register.services import renewals
from tests.dates import typed_date
from tests.register.test_renewals import (
    entry_due_in,
    log_cpd,
    referred_renewal,
    submit,
    today,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def entry(worker):
    entry = entry_due_in(30, application__worker=worker)
    log_cpd(entry, hours="6")
    return entry


@pytest.fixture
def activity(entry):
    """Six more hours, logged before any renewal."""
    return log_cpd(entry, hours="6", days_ago=20)


@pytest.fixture
def other_worker(db):
    """Omar, another worker on the register, with CPD of his own."""
    other = entry_due_in(30, application__worker__email="omar@example.org")
    log_cpd(other)
    return other.worker


def edit(activity, worker, **changes):
    values = {
        "completed_on": activity.completed_on,
        "title": activity.title,
        "hours": activity.hours,
        "reflection": activity.reflection,
        **changes,
    }
    return renewals.cpd_update(activity=activity, worker=worker, **values)


# --- Services ----------------------------------------------------------------------------------


def test_a_worker_corrects_their_own_cpd_and_the_hours_and_audit_follow(entry, activity):
    edit(activity, entry.worker, title="Dementia awareness", hours=Decimal("4.5"))

    activity.refresh_from_db()
    assert (activity.title, activity.hours) == ("Dementia awareness", Decimal("4.5"))
    assert renewals.cpd_hours_since(entry) == Decimal("10.5")
    event = AuditEvent.objects.get(action="register.cpd.updated")
    assert event.actor_id == entry.worker.pk
    assert event.data["cpd_id"] == activity.pk
    assert event.data["fields"] == ["title", "hours"]
    assert event.data["old"] == {"title": "Safeguarding adults refresher", "hours": "6.0"}
    assert event.data["new"] == {"title": "Dementia awareness", "hours": "4.5"}


def test_an_edit_that_changes_nothing_writes_no_audit_event(entry, activity):
    edit(activity, entry.worker)

    assert not AuditEvent.objects.filter(action="register.cpd.updated").exists()


def test_the_reflection_is_kept_out_of_the_audit_log(entry, activity):
    edit(activity, entry.worker, reflection="Mrs K's care plan now says so.")

    event = AuditEvent.objects.get(action="register.cpd.updated")
    assert event.data["fields"] == ["reflection"]
    assert "Mrs K" not in str(event.data)


def test_a_worker_deletes_their_own_cpd_and_it_is_audited(entry, activity):
    renewals.cpd_delete(activity=activity, worker=entry.worker)

    assert not CpdActivity.objects.filter(pk=activity.pk).exists()
    assert renewals.cpd_hours_since(entry) == Decimal("6")
    event = AuditEvent.objects.get(action="register.cpd.deleted")
    assert (event.actor_id, event.data["cpd_id"], event.data["hours"]) == (
        entry.worker.pk,
        activity.pk,
        "6.0",
    )


@pytest.mark.parametrize("who", ["other_worker", "registrar", "employer"])
def test_nobody_else_can_edit_or_delete_a_workers_cpd(request, activity, who):
    someone = request.getfixturevalue(who)

    with pytest.raises(renewals.RenewalError, match="your own registration"):
        edit(activity, someone, title="Changed by someone else")
    with pytest.raises(renewals.RenewalError, match="your own registration"):
        renewals.cpd_delete(activity=activity, worker=someone)

    activity.refresh_from_db()
    assert activity.title == "Safeguarding adults refresher"
    assert not AuditEvent.objects.filter(
        action__in=["register.cpd.updated", "register.cpd.deleted"]
    )


@pytest.mark.parametrize("decision", ["renewed at once", "with a registrar", "accepted"])
def test_cpd_sent_with_a_renewal_can_no_longer_be_changed_or_deleted(
    entry, activity, registrar, decision
):
    renewal = submit(entry) if decision == "renewed at once" else referred_renewal(entry)
    if decision == "accepted":
        renewals.renewal_decide(renewal=renewal, registrar=registrar, accept=True, reason="Yes.")
    refusal = "was part of the renewal you sent on"

    with pytest.raises(renewals.RenewalError, match=refusal):
        edit(activity, entry.worker, hours=Decimal("20"))
    with pytest.raises(renewals.RenewalError, match=refusal):
        renewals.cpd_delete(activity=activity, worker=entry.worker)

    activity.refresh_from_db()
    assert activity.hours == Decimal("6")


def test_after_a_refusal_the_cpd_can_be_changed_again(entry, activity, registrar):
    renewals.renewal_decide(
        renewal=referred_renewal(entry), registrar=registrar, accept=False, reason="No."
    )

    edit(activity, entry.worker, hours=Decimal("7"))

    activity.refresh_from_db()
    assert activity.hours == Decimal("7")


def test_cpd_logged_after_a_renewal_can_be_changed(entry, activity):
    submit(entry)
    later = log_cpd(entry, hours="2", days_ago=0)

    renewals.cpd_delete(activity=later, worker=entry.worker)

    assert not CpdActivity.objects.filter(pk=later.pk).exists()


def test_an_edit_that_breaks_a_rule_changes_nothing(entry, activity):
    with pytest.raises(renewals.RenewalError, match="the day you joined the register") as refused:
        edit(activity, entry.worker, completed_on=entry.registered_from - timedelta(days=1))

    assert refused.value.field == "completed_on"
    activity.refresh_from_db()
    assert activity.completed_on == today() - timedelta(days=20)


# --- Pages -------------------------------------------------------------------------------------

PERSONAS = ["anonymous", "worker", "other_worker", "outsider", "employer", "registrar"]
# 302 for anonymous is the redirect to sign in. Anyone's but the worker's own activity is a 404:
# to them it does not exist.
ACCESS_TABLE = {
    ("GET", "register:renewals-cpd-edit"): [302, 200, 404, 404, 404, 404],
    ("POST", "register:renewals-cpd-edit"): [302, 302, 404, 404, 404, 404],
    ("GET", "register:renewals-cpd-delete"): [302, 200, 404, 404, 404, 404],
    ("POST", "register:renewals-cpd-delete"): [302, 302, 404, 404, 404, 404],
}


@pytest.mark.parametrize(
    ("method", "page", "persona", "expected"),
    [
        (method, page, persona, statuses[index])
        for (method, page), statuses in ACCESS_TABLE.items()
        for index, persona in enumerate(PERSONAS)
    ],
)
def test_access_table(client, request, activity, method, page, persona, expected):
    if persona != "anonymous":
        client.force_login(request.getfixturevalue(persona))
    url = reverse(page, args=[activity.pk])
    form = {
        "title": "Changed",
        **typed_date("completed_on", activity.completed_on),
        "hours": "6",
        "reflection": "Changed.",
    }

    response = client.get(url) if method == "GET" else client.post(url, form)

    assert response.status_code == expected
    activity_left = CpdActivity.objects.filter(pk=activity.pk).first()
    if expected != 302 or persona == "anonymous":
        assert activity_left is not None
        assert activity_left.title == "Safeguarding adults refresher"


def test_the_cpd_list_offers_edit_and_delete_only_until_a_renewal_is_sent(client, entry, activity):
    client.force_login(entry.worker)
    edit_url = reverse("register:renewals-cpd-edit", args=[activity.pk])

    assert edit_url in client.get(reverse("register:renewals-cpd")).content.decode()
    submit(entry)
    page = client.get(reverse("register:renewals-cpd")).content.decode()
    assert edit_url not in page
    assert "Part of a renewal you sent" in page


def test_editing_on_the_page_saves_and_returns_to_the_list(client, entry, activity):
    client.force_login(entry.worker)

    response = client.post(
        reverse("register:renewals-cpd-edit", args=[activity.pk]),
        {
            "title": "Safeguarding adults, level 2",
            **typed_date("completed_on", activity.completed_on),
            "hours": "7.5",
            "reflection": "Who to tell.",
        },
        follow=True,
    )

    page = response.content.decode()
    assert "Safeguarding adults, level 2 is updated." in page
    assert "13.5 hours" in page


def test_a_bad_edit_on_the_page_says_why_next_to_the_field_and_changes_nothing(
    client, entry, activity
):
    client.force_login(entry.worker)

    response = client.post(
        reverse("register:renewals-cpd-edit", args=[activity.pk]),
        {
            "title": "Changed",
            **typed_date("completed_on", (entry.registered_from - timedelta(days=3))),
            "hours": "6",
            "reflection": "Changed.",
        },
    )

    assert response.status_code == 400
    page = response.content.decode()
    assert "There is a problem" in page
    assert 'href="#id_completed_on_0"' in page
    assert "only CPD done since then counts towards your next renewal" in page
    activity.refresh_from_db()
    assert activity.title == "Safeguarding adults refresher"


def test_deleting_on_the_page_asks_first_then_deletes(client, entry, activity):
    client.force_login(entry.worker)
    url = reverse("register:renewals-cpd-delete", args=[activity.pk])

    confirm = client.get(url).content.decode()
    assert "Delete this activity" in confirm
    assert CpdActivity.objects.filter(pk=activity.pk).exists()
    page = client.post(url, follow=True).content.decode()
    assert "Safeguarding adults refresher (6 hours) is deleted." in page
    assert not CpdActivity.objects.filter(pk=activity.pk).exists()


def test_deleting_cpd_sent_with_a_renewal_is_refused_on_the_page(client, entry, activity):
    submit(entry)
    client.force_login(entry.worker)
    url = reverse("register:renewals-cpd-delete", args=[activity.pk])

    assert "can no longer be deleted" in client.get(url).content.decode()
    response = client.post(url)

    assert response.status_code == 400
    assert "was part of the renewal you sent on" in response.content.decode()
    assert CpdActivity.objects.filter(pk=activity.pk).exists()
    assert Renewal.objects.count() == 1


def test_the_edit_page_shows_the_activitys_date_in_the_field(client, entry, activity):
    client.force_login(entry.worker)

    page = client.get(reverse("register:renewals-cpd-edit", args=[activity.pk])).content.decode()

    day = activity.completed_on
    for box, value in enumerate((day.day, day.month, day.year)):
        assert f'name="completed_on_{box}" value="{value}"' in page
