"""Before the close: the association's live counts (choice questions only, suppressed) and
closing early through a confirm page (issue 18: 10)."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from consultations.models import Consultation, Response, ResponseDraft
from consultations.services import lifecycle, responding
from core.models import AuditEvent
from tests.factories import ConsultationFactory, ResponseFactory, answers

pytestmark = pytest.mark.django_db
PERSONAS = ["anonymous", "worker", "other_association_admin", "association_admin", "registrar"]


@pytest.fixture
def open_one(association_admin, association):
    consultation = ConsultationFactory(
        created_by=association_admin, organisation=association, status="open"
    )
    for _ in range(7):
        ResponseFactory(consultation=consultation, support="Agree", comment="Secret words here")
    ResponseFactory(consultation=consultation, respondent_type="employer", support="Disagree")
    return consultation


def _signed_in_response(consultation, worker):
    return responding.response_submit(
        consultation=consultation, answers=answers(consultation), user=worker, idempotency_key="k"
    ).response


# --- The service ---------------------------------------------------------------------------


def test_closing_early_closes_now_erases_the_links_and_is_audited(
    open_one, association_admin, worker, clock
):
    response = _signed_in_response(open_one, worker)
    assert response.respondent_hash
    responding.response_draft_save(
        consultation=open_one, answers={}, page_reached=1, email="me@example.org"
    )
    planned = open_one.closes_at
    clock.set(timezone.now())
    now = timezone.now()

    assert lifecycle.consultation_close_early(consultation=open_one, user=association_admin)

    open_one.refresh_from_db()
    response.refresh_from_db()
    assert open_one.status == Consultation.Status.CLOSED
    assert open_one.closes_at == now
    assert response.respondent_hash is None
    assert response.idempotency_key == f"closed:{response.reference}"
    assert ResponseDraft.objects.get().expires_at == now
    event = AuditEvent.objects.get(action="consultations.consultation.closed")
    assert event.actor_id == association_admin.pk
    assert event.data["by"] == "association"
    assert event.data["responses_unlinked"] == 9
    assert event.data["saved_answers_unsent"] == 1
    assert event.data["planned_closes_at"].startswith(planned.date().isoformat())


def test_closing_early_twice_changes_nothing_the_second_time(open_one, association_admin):
    lifecycle.consultation_close_early(consultation=open_one, user=association_admin)
    open_one.refresh_from_db()
    closed_at = open_one.closes_at

    assert not lifecycle.consultation_close_early(consultation=open_one, user=association_admin)

    open_one.refresh_from_db()
    assert open_one.closes_at == closed_at
    assert AuditEvent.objects.filter(action="consultations.consultation.closed").count() == 1


@pytest.mark.parametrize("status", ["draft", "scheduled"])
def test_a_consultation_that_has_not_opened_cannot_be_closed_early(
    association_admin, association, status
):
    consultation = ConsultationFactory(
        created_by=association_admin,
        organisation=association,
        opens_at=timezone.now() + timedelta(days=1),
        status=status,
    )

    with pytest.raises(lifecycle.ConsultationStatusError, match="Only an open consultation"):
        lifecycle.consultation_close_early(consultation=consultation, user=association_admin)

    consultation.refresh_from_db()
    assert consultation.status == status


def test_another_association_cannot_close_it(open_one, other_association_admin):
    with pytest.raises(PermissionDenied):
        lifecycle.consultation_close_early(consultation=open_one, user=other_association_admin)

    open_one.refresh_from_db()
    assert open_one.status == Consultation.Status.OPEN


def test_an_answer_sent_after_an_early_close_is_refused_even_with_the_page_loaded_before(
    open_one, association_admin
):
    loaded_before = Consultation.objects.get(pk=open_one.pk)
    lifecycle.consultation_close_early(consultation=open_one, user=association_admin)

    with pytest.raises(responding.ConsultationNotOpen):
        responding.response_submit(
            consultation=loaded_before,
            answers=answers(loaded_before),
            idempotency_key="late",
        )

    assert not Response.objects.filter(idempotency_key="late").exists()


# --- The pages -------------------------------------------------------------------------------

# persona -> status: anonymous goes to sign in; outsiders learn nothing (404).
ACCESS = {
    "GET consultations:close-early": [302, 404, 404, 200, 404],
    "POST consultations:close-early": [302, 404, 404, 302, 404],
    "GET consultations:live": [302, 404, 404, 200, 404],
}


@pytest.mark.parametrize(
    ("action", "persona", "expected"),
    [
        (action, persona, statuses[index])
        for action, statuses in ACCESS.items()
        for index, persona in enumerate(PERSONAS)
    ],
)
def test_access_table(client, request, open_one, action, persona, expected):
    if persona != "anonymous":
        client.force_login(request.getfixturevalue(persona))
    method, name = action.split()
    url = reverse(name, args=[open_one.pk])

    response = client.get(url) if method == "GET" else client.post(url)

    assert response.status_code == expected
    if persona == "anonymous":
        assert response["Location"].startswith(reverse("account_login"))
    open_one.refresh_from_db()
    closed = method == "POST" and persona == "association_admin"
    assert (open_one.status == Consultation.Status.CLOSED) is closed


def test_the_confirm_page_says_what_will_happen_and_changes_nothing(
    client, open_one, association_admin
):
    responding.response_draft_save(
        consultation=open_one, answers={}, page_reached=1, email="me@example.org"
    )
    responding.outcome_subscribe(consultation=open_one, email="hear@example.org")
    client.force_login(association_admin)
    events = AuditEvent.objects.count()

    html = client.get(reverse("consultations:close-early", args=[open_one.pk])).content.decode()

    assert "8 people have answered." in html
    assert "1 person has saved answers to finish later and not sent them." in html
    assert "Nobody is emailed now." in html
    assert "The 1 person who asked to hear the outcome will be emailed when you publish" in html
    assert "You cannot open it again." in html
    open_one.refresh_from_db()
    assert open_one.status == Consultation.Status.OPEN
    assert AuditEvent.objects.count() == events


def test_closing_through_the_page_says_it_is_closed_and_a_second_press_says_it_already_was(
    client, open_one, association_admin
):
    client.force_login(association_admin)
    url = reverse("consultations:close-early", args=[open_one.pk])

    first = client.post(url, follow=True).content.decode()
    second = client.post(url, follow=True).content.decode()

    assert "Closed. No more answers are accepted." in first
    assert mail.outbox == []
    assert "It had already closed. Nothing has changed." in second
    assert client.get(url).status_code == 302
    public = client.get(reverse("consultations:detail", args=[open_one.slug])).content.decode()
    assert "This consultation has closed." in public


def test_a_scheduled_consultation_cannot_be_closed_through_the_page(
    client, association_admin, association
):
    scheduled = ConsultationFactory(
        created_by=association_admin,
        organisation=association,
        opens_at=timezone.now() + timedelta(days=1),
        status="scheduled",
    )
    client.force_login(association_admin)

    response = client.post(reverse("consultations:close-early", args=[scheduled.pk]), follow=True)

    assert "Only an open consultation can be closed early." in response.content.decode()
    scheduled.refresh_from_db()
    assert scheduled.status == Consultation.Status.SCHEDULED


def test_live_counts_show_choice_questions_suppressed_and_no_written_answers(
    client, open_one, association_admin
):
    client.force_login(association_admin)

    response = client.get(reverse("consultations:live", args=[open_one.pk]))

    html = response.content.decode()
    assert "Responses so far</dt><dd>8</dd>" in html
    assert "Secret words here" not in html
    assert "Anything else?" not in html
    assert "There should be a register." in html
    # The employer's one "Disagree" is published as "fewer than 5", never as 1.
    disagree = html.split('<th scope="row">Disagree</th>')[1].split("</tr>")[0]
    assert "fewer than 5" in disagree
    assert "<td>1" not in disagree
    # The "about you" question repeats the table of who answered: left out, as when published.
    assert "Which of these best describes you?" not in html


def test_live_counts_go_to_the_results_once_it_has_closed(client, open_one, association_admin):
    lifecycle.consultation_close_early(consultation=open_one, user=association_admin)
    client.force_login(association_admin)

    response = client.get(reverse("consultations:live", args=[open_one.pk]))

    assert response["Location"] == reverse("consultations:analysis", args=[open_one.pk])


def test_the_manage_page_offers_live_counts_and_closing_early_while_open(
    client, open_one, association_admin
):
    client.force_login(association_admin)

    html = client.get(reverse("consultations:manage", args=[open_one.pk])).content.decode()

    assert reverse("consultations:live", args=[open_one.pk]) in html
    assert reverse("consultations:close-early", args=[open_one.pk]) in html


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the one-statement write")
def test_the_one_statement_write_refuses_after_an_early_close(open_one, association_admin):
    loaded_before = Consultation.objects.get(pk=open_one.pk)
    lifecycle.consultation_close_early(consultation=open_one, user=association_admin)

    with pytest.raises(responding.ConsultationNotOpen):
        responding._store(
            consultation=loaded_before,
            questions=list(loaded_before.questions.all()),
            checked=responding.check_answers(
                responding.questions_for(loaded_before), answers(loaded_before)
            ),
            answer_hash=None,
            verified=False,
            register_status="",
            many_from_one_connection=False,
            idempotency_key="late-statement",
            started_at=None,
            on_stored=None,
        )

    assert not Response.objects.filter(idempotency_key="late-statement").exists()
