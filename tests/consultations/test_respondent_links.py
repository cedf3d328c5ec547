"""Finding 5 of issue 17: a signed-in person's answers are linked to them only while the
consultation is open, by a key of the consultation's own that no database holds; closing it
destroys the link in the closing transaction (docs/decisions/0018)."""

import hashlib
import hmac
import importlib
import io

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db import connection

from accounts.models import User
from consultations.models import Consultation, Response
from consultations.services import lifecycle, responding
from consultations.services.responding import AlreadyAnswered
from core.models import AuditEvent
from tests.factories import ConsultationFactory, answers

pytestmark = pytest.mark.django_db


def old_scheme_hash(consultation, user_id) -> str:
    """The respondent hash as 018bb2d made it: the blind-index key every process holds, the
    salt beside the responses, the bare user id."""
    key = f"{settings.BLIND_INDEX_KEY}:{consultation.salt}".encode()
    return hmac.new(key, str(user_id).encode(), hashlib.sha256).hexdigest()


def raw_links(consultation) -> list[tuple]:
    """What the table itself holds, read past the ORM."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT respondent_hash, idempotency_key FROM {Response._meta.db_table} "  # noqa: S608
            "WHERE consultation_id = %s",
            [consultation.pk],
        )
        return cursor.fetchall()


@pytest.fixture
def answered(consultation, worker, outsider, registered_worker, employer):
    """Four signed-in people and one person not signed in have answered."""
    people = [worker, outsider, registered_worker, employer]
    for number, person in enumerate(people):
        responding.response_submit(
            consultation=consultation,
            answers=answers(consultation, comment=f"Said by {person.full_name}"),
            user=person,
            idempotency_key=f"page-key-{number}",
        )
    responding.response_submit(
        consultation=consultation,
        answers=answers(consultation),
        idempotency_key="api:anon:someone-not-signed-in",
        client_ip="203.0.113.9",
    )
    return people


def test_while_open_each_signed_in_person_still_answers_once(consultation, answered):
    for person in answered:
        with pytest.raises(AlreadyAnswered):
            responding.response_submit(
                consultation=consultation,
                answers=answers(consultation),
                user=person,
                idempotency_key=f"another-key-{person.pk}",
            )
    assert Response.objects.count() == 5
    assert sum(1 for link, _key in raw_links(consultation) if link) == 4


def test_closing_by_the_clock_erases_every_link_from_the_raw_rows(consultation, answered, clock):
    clock.set(consultation.closes_at)

    call_command("advance_consultations", stdout=io.StringIO())

    consultation.refresh_from_db()
    assert consultation.status == Consultation.Status.CLOSED
    rows = raw_links(consultation)
    assert len(rows) == 5
    assert all(link is None for link, _key in rows)
    references = set(Response.objects.values_list("reference", flat=True))
    assert {key for _link, key in rows} == {f"closed:{reference}" for reference in references}
    closed = AuditEvent.objects.get(action="consultations.consultation.closed")
    assert closed.data["responses_unlinked"] == 5


def test_starting_the_analysis_closes_and_erases_in_one_step(
    consultation, answered, association_admin, clock
):
    clock.set(consultation.closes_at)

    lifecycle.consultation_start_analysis(consultation=consultation, user=association_admin)

    assert [link for link, _key in raw_links(consultation)] == [None] * 5


def test_the_old_scheme_recomputed_for_every_user_links_nothing(consultation, answered, clock):
    user_ids = list(User.objects.values_list("pk", flat=True))
    guesses = {old_scheme_hash(consultation, user_id) for user_id in user_ids}

    stored_while_open = {link for link, _key in raw_links(consultation) if link}
    assert len(stored_while_open) == 4
    assert not guesses & stored_while_open

    clock.set(consultation.closes_at)
    lifecycle.consultation_follow_clock(consultation=consultation)
    assert not guesses & {link for link, _key in raw_links(consultation)}


def test_the_key_is_the_consultation_s_own_and_needs_a_secret_no_database_holds(
    consultation, worker, settings, association_admin, association
):
    other = ConsultationFactory(created_by=association_admin, organisation=association)
    made = responding.respondent_hash(consultation=consultation, user=worker)

    assert made != responding.respondent_hash(consultation=other, user=worker)
    settings.BLIND_INDEX_KEY = "another-blind-index-key-of-at-least-32-chars"
    assert responding.respondent_hash(consultation=consultation, user=worker) == made
    settings.CONSULTATION_RESPONDENT_KEY = "another-respondent-key-of-at-least-32-chars"
    assert responding.respondent_hash(consultation=consultation, user=worker) != made


def test_the_migration_erases_closed_links_and_rekeys_open_ones(
    consultation, worker, association_admin, association
):
    closed = ConsultationFactory(
        created_by=association_admin, organisation=association, status="closed"
    )
    Response.objects.create(
        consultation=consultation,
        respondent_hash=old_scheme_hash(consultation, worker.pk),
        idempotency_key="page-key",
    )
    Response.objects.create(
        consultation=closed,
        respondent_hash=old_scheme_hash(closed, worker.pk),
        idempotency_key="api:response-1",
    )
    migration = importlib.import_module(
        "consultations.migrations.0004_erase_closed_respondent_links_and_rekey_open_ones"
    )

    migration.forwards(apps, None)

    rekeyed = Response.objects.get(consultation=consultation)
    assert rekeyed.respondent_hash == responding.respondent_hash(
        consultation=consultation, user=worker
    )
    erased = Response.objects.get(consultation=closed)
    assert erased.respondent_hash is None
    assert erased.idempotency_key == f"closed:{erased.reference}"
    with pytest.raises(AlreadyAnswered):
        responding.response_submit(
            consultation=consultation,
            answers=answers(consultation),
            user=worker,
            idempotency_key="page-key-2",
        )
