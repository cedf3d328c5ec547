"""Publishing an outcome cannot be undone, so it happens on a confirm page that says who will
be emailed; the publish page only saves the words (issue 18: 13)."""

import pytest
from django.core import mail
from django.urls import reverse

from consultations.models import Consultation
from consultations.services import outcome, responding
from core.models import AuditEvent
from tests.factories import (
    ConsultationFactory,
    ResponseFactory,
    close_by_the_clock,
    start_analysis,
)

pytestmark = pytest.mark.django_db
PERSONAS = ["anonymous", "worker", "other_association_admin", "association_admin", "registrar"]


@pytest.fixture
def analysing(association_admin, association):
    consultation = ConsultationFactory(
        created_by=association_admin, organisation=association, status="open"
    )
    ResponseFactory(consultation=consultation)
    for email in ("a@example.org", "b@example.org", "c@example.org"):
        responding.outcome_subscribe(consultation=consultation, email=email)
    return start_analysis(close_by_the_clock(consultation), association_admin)


@pytest.fixture
def written(analysing, association_admin):
    outcome.consultation_outcome_draft_save(
        consultation=analysing, user=association_admin, outcome_summary="We will make it free."
    )
    analysing.refresh_from_db()
    return analysing


def test_the_publish_page_saves_the_words_and_publishes_nothing(
    client, analysing, association_admin
):
    client.force_login(association_admin)

    response = client.post(
        reverse("consultations:publish", args=[analysing.pk]),
        {"outcome_summary": "We will make it free."},
    )

    assert response["Location"] == reverse("consultations:publish-confirm", args=[analysing.pk])
    analysing.refresh_from_db()
    assert analysing.status == Consultation.Status.ANALYSING
    assert analysing.outcome_summary == "We will make it free."
    assert AuditEvent.objects.filter(action="consultations.outcome.drafted").count() == 1
    assert not AuditEvent.objects.filter(action="consultations.consultation.published").exists()


def test_the_confirm_page_says_who_is_emailed_and_that_it_cannot_be_undone_and_changes_nothing(
    client, written, association_admin, django_capture_on_commit_callbacks
):
    client.force_login(association_admin)
    events = AuditEvent.objects.count()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(reverse("consultations:publish-confirm", args=[written.pk]))

    html = response.content.decode()
    assert response.status_code == 200
    assert "We email 3 people who asked to hear about the outcome, once each" in html
    assert "You cannot take it back." in html
    assert "We will make it free." in html
    written.refresh_from_db()
    assert written.status == Consultation.Status.ANALYSING
    assert AuditEvent.objects.count() == events
    assert mail.outbox == []


def test_confirming_publishes_and_emails_each_subscriber_once(
    client, written, association_admin, django_capture_on_commit_callbacks
):
    client.force_login(association_admin)
    url = reverse("consultations:publish-confirm", args=[written.pk])

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)
    with django_capture_on_commit_callbacks(execute=True):
        again = client.post(url, follow=True)

    assert response["Location"] == reverse("consultations:outcome", args=[written.slug])
    assert "The outcome has already been published." in again.content.decode()
    written.refresh_from_db()
    assert written.status == Consultation.Status.PUBLISHED
    assert sorted(message.to[0] for message in mail.outbox) == [
        "a@example.org",
        "b@example.org",
        "c@example.org",
    ]


def test_the_confirm_page_with_no_words_yet_sends_you_to_write_them(
    client, analysing, association_admin
):
    client.force_login(association_admin)

    response = client.post(reverse("consultations:publish-confirm", args=[analysing.pk]))

    assert response["Location"] == reverse("consultations:publish", args=[analysing.pk])
    analysing.refresh_from_db()
    assert analysing.status == Consultation.Status.ANALYSING


def test_the_confirm_page_says_nobody_is_emailed_when_nobody_asked(
    client, association_admin, association
):
    consultation = ConsultationFactory(
        created_by=association_admin, organisation=association, status="analysing"
    )
    outcome.consultation_outcome_draft_save(
        consultation=consultation, user=association_admin, outcome_summary="Done."
    )
    client.force_login(association_admin)

    html = client.get(
        reverse("consultations:publish-confirm", args=[consultation.pk])
    ).content.decode()

    assert "Nobody has asked to hear about the outcome, so nobody is emailed now." in html


def test_saving_the_words_is_refused_once_published(written, association_admin):
    outcome.consultation_publish_outcome(
        consultation=written, user=association_admin, outcome_summary=written.outcome_summary
    )

    with pytest.raises(outcome.OutcomeError, match="already been published"):
        outcome.consultation_outcome_draft_save(
            consultation=written, user=association_admin, outcome_summary="Changed."
        )
    written.refresh_from_db()
    assert written.outcome_summary == "We will make it free."


ACCESS = {
    "GET": [302, 404, 404, 200, 404],
    "POST": [302, 404, 404, 302, 404],
}


@pytest.mark.parametrize(
    ("method", "persona", "expected"),
    [
        (method, persona, statuses[index])
        for method, statuses in ACCESS.items()
        for index, persona in enumerate(PERSONAS)
    ],
)
def test_access_table(client, request, written, method, persona, expected):
    if persona != "anonymous":
        client.force_login(request.getfixturevalue(persona))
    url = reverse("consultations:publish-confirm", args=[written.pk])

    response = client.get(url) if method == "GET" else client.post(url)

    assert response.status_code == expected
    written.refresh_from_db()
    published = method == "POST" and persona == "association_admin"
    assert (written.status == Consultation.Status.PUBLISHED) is published
