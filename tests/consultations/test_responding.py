"""Submitting answers: once, while open, by the right people, with show-if honoured."""

import threading
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection, connections, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from consultations.models import Answer, Consultation, OutcomeSubscription, Response, ResponseDraft
from consultations.services import responding
from consultations.services.responding import (
    AlreadyAnswered,
    AnswersInvalid,
    AudienceRefused,
    ConsultationNotOpen,
    ResponseRefused,
)
from core.models import AuditEvent
from register.models import RegisterEntry
from tests.factories import ConsultationFactory, answers, question

pytestmark = pytest.mark.django_db
MICROSECOND = timedelta(microseconds=1)


def _submit(consultation, given=None, *, user=None, key="key-1", **kwargs):
    return responding.response_submit(
        consultation=consultation,
        answers=given if given is not None else answers(consultation),
        user=user,
        idempotency_key=key,
        **kwargs,
    )


def test_a_response_stores_one_row_per_chosen_option_and_no_one_s_identity(consultation):
    given = answers(consultation, join="No", stop=["Cost", "Data"], comment="<b>Hi</b>")

    submitted = _submit(consultation, given)

    response = submitted.response
    assert submitted.created
    assert (response.respondent_type, response.verified, response.respondent_hash) == (
        "care_worker",
        False,
        None,
    )
    assert len(response.reference) == 10
    stop = question(consultation, "What would stop you?")
    assert set(Answer.objects.filter(question=stop).values_list("option__label", flat=True)) == {
        "Cost",
        "Data",
    }
    assert Answer.objects.get(question__text="Anything else?").text == "<b>Hi</b>"
    field_names = {field.name for field in Response._meta.get_fields()}
    assert not field_names & {"user", "email", "worker"}


def test_submitting_writes_no_audit_event_that_could_name_the_respondent(consultation, worker):
    before = AuditEvent.objects.count()

    _submit(consultation, user=worker)

    assert AuditEvent.objects.count() == before


def test_an_answer_at_the_closing_instant_is_refused_and_a_microsecond_before_accepted(
    consultation, clock
):
    clock.set(consultation.closes_at - MICROSECOND)
    assert _submit(consultation, key="just-in-time").created

    clock.set(consultation.closes_at)
    with pytest.raises(ConsultationNotOpen, match="closed at"):
        _submit(consultation, key="too-late")
    assert consultation.responses.count() == 1


def test_answers_are_taken_from_the_opening_instant_with_nobody_acting(
    association_admin, association, clock
):
    from django.utils import timezone

    opens = timezone.now() + timedelta(days=1)
    consultation = ConsultationFactory(
        created_by=association_admin,
        organisation=association,
        opens_at=opens,
        closes_at=opens + timedelta(days=1),
        status="scheduled",
    )
    assert consultation.status == "scheduled"

    clock.set(opens - MICROSECOND)
    with pytest.raises(ConsultationNotOpen, match="not open for answers yet"):
        _submit(consultation, key="early")
    clock.set(opens)
    assert _submit(consultation, key="on-time").created


def test_a_draft_takes_no_answers(draft):
    with pytest.raises(ConsultationNotOpen):
        _submit(draft)


def test_the_same_submission_twice_makes_one_response(consultation):
    first = _submit(consultation, key="double-click")
    second = _submit(consultation, key="double-click")

    assert (first.created, second.created) == (True, False)
    assert first.response.pk == second.response.pk
    assert Response.objects.count() == 1
    assert Answer.objects.filter(response=first.response).count() == 3


def test_a_signed_in_person_answers_once(consultation, registered_worker):
    _submit(consultation, user=registered_worker, key="tab-1")

    with pytest.raises(AlreadyAnswered, match="already answered"):
        _submit(consultation, user=registered_worker, key="tab-2")
    assert Response.objects.count() == 1


def test_another_person_s_submission_key_never_gives_back_their_response(
    consultation, registered_worker
):
    anonymous = _submit(consultation, key="shared-key").response

    with pytest.raises(responding.SubmissionKeyUsed, match="already used"):
        _submit(consultation, user=registered_worker, key="shared-key")
    with pytest.raises(responding.SubmissionKeyUsed, match="already used"):
        # Pressed again once the session let go of the answers: still not theirs to see.
        _submit(consultation, {}, user=registered_worker, key="shared-key")
    assert list(Response.objects.all()) == [anonymous]


def test_a_person_not_signed_in_never_gets_back_a_signed_in_person_s_response(
    consultation, registered_worker
):
    _submit(consultation, user=registered_worker, key="shared-key")

    with pytest.raises(responding.SubmissionKeyUsed, match="already used"):
        _submit(consultation, key="shared-key")
    assert Response.objects.count() == 1


def test_an_edit_with_another_person_s_key_changes_nothing(consultation, registered_worker):
    Consultation.objects.filter(pk=consultation.pk).update(allow_edit_until_close=True)
    consultation.refresh_from_db()
    _submit(consultation, key="someone-else")
    mine = _submit(consultation, user=registered_worker, key="mine").response

    with pytest.raises(responding.SubmissionKeyUsed, match="already used"):
        _submit(
            consultation,
            answers(consultation, who="An employer or manager of a care service"),
            user=registered_worker,
            key="someone-else",
        )
    mine.refresh_from_db()
    assert (mine.idempotency_key, mine.respondent_type) == ("mine", "care_worker")


def test_a_registered_worker_s_answer_is_verified_with_their_register_status(
    consultation, registered_worker
):
    response = _submit(consultation, user=registered_worker).response

    assert (response.verified, response.register_status) == (True, "registered")
    assert response.respondent_hash == responding.respondent_hash(
        consultation=consultation, user=registered_worker
    )


def test_a_suspended_worker_s_answer_is_not_verified(consultation, registered_worker):
    RegisterEntry.objects.filter(worker=registered_worker).update(status="suspended")

    response = _submit(consultation, user=registered_worker).response

    assert (response.verified, response.register_status) == (False, "suspended")


def test_the_same_person_gets_unrelated_hashes_in_two_consultations(
    consultation, association_admin, association, worker
):
    other = ConsultationFactory(created_by=association_admin, organisation=association)

    assert responding.respondent_hash(
        consultation=consultation, user=worker
    ) != responding.respondent_hash(consultation=other, user=worker)


def test_where_allowed_a_signed_in_person_can_change_their_answers_until_the_close(
    consultation, registered_worker, clock
):
    Consultation.objects.filter(pk=consultation.pk).update(allow_edit_until_close=True)
    consultation.refresh_from_db()
    first = _submit(consultation, user=registered_worker, key="first").response

    edited = _submit(
        consultation,
        answers(consultation, who="An employer or manager of a care service"),
        user=registered_worker,
        key="second",
    )

    assert edited.edited and edited.response.pk == first.pk
    first.refresh_from_db()
    assert first.respondent_type == "employer"
    assert Response.objects.count() == 1
    clock.set(consultation.closes_at)
    with pytest.raises(ConsultationNotOpen):
        _submit(consultation, user=registered_worker, key="third")


def test_registered_workers_only_needs_a_practising_register_entry(
    association_admin, association, registered_worker, worker
):
    consultation = ConsultationFactory(
        created_by=association_admin,
        organisation=association,
        audience="registered_workers",
        status="open",
    )

    with pytest.raises(AudienceRefused, match="Only care workers on the register.*Sign in"):
        _submit(consultation, key="anonymous")
    with pytest.raises(AudienceRefused, match="Only care workers on the register"):
        _submit(consultation, user=worker, key="applicant")
    RegisterEntry.objects.filter(worker=registered_worker).update(status="lapsed")
    with pytest.raises(AudienceRefused):
        _submit(consultation, user=registered_worker, key="lapsed")
    RegisterEntry.objects.filter(worker=registered_worker).update(status="registered")
    assert _submit(consultation, user=registered_worker, key="registered").created


def test_organisation_members_needs_membership_of_a_chosen_organisation(
    association_admin, association, employer, employer_organisation, outsider
):
    consultation = ConsultationFactory(
        created_by=association_admin,
        organisation=association,
        audience="organisation_members",
        audience_organisations=[employer_organisation],
        status="open",
    )

    with pytest.raises(AudienceRefused, match="Only members of Sunrise Care Homes"):
        _submit(consultation, user=outsider, key="outsider")
    with pytest.raises(AudienceRefused):
        _submit(consultation, key="anonymous")
    assert _submit(consultation, user=employer, key="member").created


def test_anyone_without_anonymous_answers_needs_a_sign_in(association_admin, association, outsider):
    consultation = ConsultationFactory(
        created_by=association_admin, organisation=association, allow_anonymous=False, status="open"
    )

    with pytest.raises(AudienceRefused, match="Sign in to answer"):
        _submit(consultation, key="anonymous")
    assert _submit(consultation, user=outsider, key="signed-in").created


def test_a_conditional_question_is_required_only_when_shown(consultation):
    with pytest.raises(AnswersInvalid) as refused:
        _submit(consultation, answers(consultation, join="No"))
    stop = question(consultation, "What would stop you?")
    assert refused.value.errors == {stop.pk: "Select at least one answer to “What would stop you?”"}

    assert _submit(consultation, answers(consultation, join="Yes")).created


def test_answers_to_hidden_questions_are_discarded(consultation):
    response = _submit(consultation, answers(consultation, join="Yes", stop=["Cost"])).response

    assert not response.answers.filter(question__text="What would stop you?").exists()


def test_choices_are_checked_against_the_question(consultation):
    given = answers(consultation, join="No", stop=["Cost", "Time", "Data"])
    with pytest.raises(AnswersInvalid) as too_many:
        _submit(consultation, given)
    assert "no more than 2" in next(iter(too_many.value.errors.values()))

    given = answers(consultation, join="No", other=" ")
    given[str(question(consultation, "What would stop you?").pk)]["other"] = True
    with pytest.raises(AnswersInvalid) as unspecified:
        _submit(consultation, given)
    assert "say what you mean" in next(iter(unspecified.value.errors.values()))

    given = answers(consultation)
    given[str(question(consultation, "Would you join?").pk)]["options"] = [999999]
    with pytest.raises(AnswersInvalid):
        _submit(consultation, given)
    assert not Response.objects.exists()


def test_free_text_has_its_character_limit(consultation):
    with pytest.raises(AnswersInvalid) as refused:
        _submit(consultation, answers(consultation, comment="x" * 51))

    assert "50 characters or fewer. It has 51" in next(iter(refused.value.errors.values()))


def test_other_please_specify_is_stored_as_text(consultation):
    response = _submit(
        consultation, answers(consultation, join="No", other="My manager would not let me")
    ).response

    other = response.answers.get(question__text="What would stop you?")
    assert (other.option_id, other.text) == (None, "My manager would not let me")


def test_a_filled_in_honeypot_is_refused(consultation):
    with pytest.raises(ResponseRefused, match="could not accept"):
        _submit(consultation, honeypot="http://spam.example")

    assert not Response.objects.exists()


def _limit(consultation, number):
    Consultation.objects.filter(pk=consultation.pk).update(anonymous_answers_per_hour=number)
    consultation.refresh_from_db()


def _flags():
    return list(Response.objects.order_by("id").values_list("many_from_one_connection", flat=True))


def test_anonymous_answers_past_the_limit_from_one_connection_are_kept_and_flagged(consultation):
    _limit(consultation, 2)
    _submit(consultation, key="a", client_ip="203.0.113.5")
    _submit(consultation, key="b", client_ip="203.0.113.5")

    third = _submit(consultation, key="c", client_ip="203.0.113.5")
    other_connection = _submit(consultation, key="d", client_ip="203.0.113.6")

    assert third.created and other_connection.created
    assert _flags() == [False, False, True, False]


def test_the_default_limit_is_twenty_an_hour(consultation):
    assert consultation.anonymous_answers_per_hour == 20
    for number in range(21):
        _submit(consultation, key=f"key-{number}", client_ip="203.0.113.5")

    assert _flags() == [False] * 20 + [True]


def test_a_flagged_response_stores_no_address(consultation):
    _limit(consultation, 1)
    _submit(consultation, key="a", client_ip="203.0.113.5")

    flagged = _submit(consultation, key="b", client_ip="203.0.113.5").response

    flagged.refresh_from_db()
    assert flagged.many_from_one_connection
    row = Response.objects.filter(pk=flagged.pk).values().get()
    stored = " ".join(str(value) for value in row.values())
    assert "203.0.113.5" not in stored


def test_signed_in_answers_are_never_counted_against_the_connection(
    consultation, worker, registered_worker
):
    _limit(consultation, 1)

    _submit(consultation, key="a", user=worker, client_ip="203.0.113.5")
    _submit(consultation, key="b", user=registered_worker, client_ip="203.0.113.5")
    _submit(consultation, key="c", client_ip="203.0.113.5")

    assert _flags() == [False, False, False]


def test_only_stored_answers_count_against_the_limit(consultation):
    # A repeat of a stored answer and a refused one (the honeypot) use up nothing.
    _limit(consultation, 2)
    _submit(consultation, key="a", client_ip="203.0.113.5")
    assert not _submit(consultation, key="a", client_ip="203.0.113.5").created
    with pytest.raises(ResponseRefused):
        _submit(consultation, key="x", client_ip="203.0.113.5", honeypot="spam")
    assert _submit(consultation, key="b", client_ip="203.0.113.5").created
    assert _submit(consultation, key="c", client_ip="203.0.113.5").created

    assert _flags() == [False, False, True]
    key = responding._rate_limit_key(consultation, "203.0.113.5")
    assert responding._anonymous_answers_limit(consultation).count(key) == 2


def test_the_limit_holds_for_the_hour_with_the_database_cache(consultation, database_cache, clock):
    _limit(consultation, 2)
    _submit(consultation, key="a", client_ip="203.0.113.5")
    _submit(consultation, key="b", client_ip="203.0.113.5")

    clock.advance(timedelta(minutes=10))
    _submit(consultation, key="c", client_ip="203.0.113.5")

    assert _flags() == [False, False, True]


def test_the_limit_counts_the_last_hour_not_the_clock_hour(consultation, clock):
    _limit(consultation, 2)
    hour = timezone.now().replace(minute=0, second=0, microsecond=0) + timedelta(hours=2)
    clock.set(hour - timedelta(seconds=30))
    _submit(consultation, key="a", client_ip="203.0.113.5")
    _submit(consultation, key="b", client_ip="203.0.113.5")

    # Counted by the clock hour, the count would start again at the hour.
    clock.set(hour + timedelta(seconds=30))
    _submit(consultation, key="c", client_ip="203.0.113.5")
    # Half an hour on, about half of the previous hour's answers still count.
    clock.set(hour + timedelta(minutes=31))
    _submit(consultation, key="d", client_ip="203.0.113.5")

    assert _flags() == [False, False, True, False]


def test_a_filled_in_honeypot_is_still_refused_past_the_limit(consultation):
    _limit(consultation, 1)
    _submit(consultation, key="a", client_ip="203.0.113.5")

    with pytest.raises(ResponseRefused, match="could not accept"):
        _submit(consultation, key="b", client_ip="203.0.113.5", honeypot="http://spam.example")

    assert Response.objects.count() == 1


def test_a_draft_link_is_emailed_its_token_is_hashed_and_the_address_is_not_kept(
    consultation, django_capture_on_commit_callbacks
):
    given = answers(consultation)

    with django_capture_on_commit_callbacks(execute=True):
        token = responding.response_draft_save(
            consultation=consultation, answers=given, page_reached=2, email="me@example.org"
        ).token

    draft = ResponseDraft.objects.get()
    assert token not in draft.token_hash and len(draft.token_hash) == 64
    assert draft.email == "" and draft.expires_at == consultation.closes_at
    assert mail.outbox[0].to == ["me@example.org"]
    assert f"/consultations/{consultation.slug}/resume/{token}/" in mail.outbox[0].body
    loaded = responding.response_draft_get(consultation=consultation, token=token)
    assert (loaded.answers, loaded.page_reached) == (given, 2)


def test_a_draft_link_stops_working_at_the_close(consultation, clock):
    token = responding.response_draft_save(
        consultation=consultation, answers={}, page_reached=1, email="me@example.org"
    ).token

    clock.set(consultation.closes_at)
    with pytest.raises(ResponseRefused, match="expired"):
        responding.response_draft_get(consultation=consultation, token=token)
    with pytest.raises(ResponseRefused, match="does not work"):
        responding.response_draft_get(consultation=consultation, token="made-up")


def test_a_receipt_is_emailed_and_the_outcome_subscription_kept_apart(
    consultation, django_capture_on_commit_callbacks
):
    response = _submit(consultation).response

    with django_capture_on_commit_callbacks(execute=True):
        responding.response_receipt_send(response=response, email="me@example.org")
    responding.outcome_subscribe(consultation=consultation, email="Me@Example.org")
    responding.outcome_subscribe(consultation=consultation, email="me@example.org")

    assert response.reference in mail.outbox[0].body
    subscription = OutcomeSubscription.objects.get()
    assert subscription.email == "me@example.org"


@pytest.mark.django_db(transaction=True)
def test_concurrent_duplicate_submits_make_exactly_one_response(association_admin):
    """Eight threads press Send at once with the same key, and eight more as the same
    signed-in worker with different keys. On PostgreSQL they really race."""
    if connection.vendor == "sqlite":
        pytest.skip("SQLite allows one writer at a time; the race needs PostgreSQL.")
    from tests.factories import RegisterEntryFactory

    association = association_admin.organisations.get()
    consultation = ConsultationFactory(
        created_by=association_admin, organisation=association, status="open"
    )
    worker = RegisterEntryFactory().worker
    given = answers(consultation)
    results, errors = [], []
    barrier = threading.Barrier(16)

    def press(key, user):
        try:
            barrier.wait()
            results.append(_submit(consultation, given, key=key, user=user))
        except AlreadyAnswered:
            results.append("already answered")
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=press, args=("same-key", None)) for _ in range(8)]
    threads += [threading.Thread(target=press, args=(f"tab-{n}", worker)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    anonymous = Response.objects.filter(idempotency_key="same-key")
    assert anonymous.count() == 1
    assert Response.objects.filter(respondent_hash__isnull=False).count() == 1
    assert Response.objects.count() == 2
    assert Answer.objects.filter(response=anonymous.get()).count() == 3
    created = [r for r in results if r != "already answered" and r.created]
    assert len(created) == 2


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("backend", ["memory", "database", "redis"])
def test_of_concurrent_anonymous_answers_from_one_address_all_past_the_limit_are_flagged(
    association_admin, monkeypatch, request, backend
):
    """Twelve people behind one address press Send at once, against a limit of four."""
    if connection.vendor == "sqlite":
        pytest.skip("SQLite allows one writer at a time; the race needs PostgreSQL.")
    if backend == "database":
        request.getfixturevalue("database_cache_for_threads")
    elif backend == "redis":
        request.getfixturevalue("redis_cache")
    association = association_admin.organisations.get()
    consultation = ConsultationFactory(
        created_by=association_admin, organisation=association, status="open"
    )
    _limit(consultation, 4)
    given = answers(consultation)
    stored, errors = [], []
    barrier = threading.Barrier(12)

    def press(number):
        try:
            barrier.wait()
            sent = _submit(consultation, given, key=f"person-{number}", client_ip="203.0.113.5")
            stored.append(sent)
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=press, args=(number,)) for number in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert len(stored) == 12
    flags = Response.objects.filter(consultation=consultation).values_list(
        "many_from_one_connection", flat=True
    )
    assert sorted(flags) == [False] * 4 + [True] * 8


def _written(response):
    kept = ("respondent_type", "verified", "register_status", "respondent_hash", "duration_seconds")
    answers_written = Answer.objects.filter(response=response).order_by("id")
    return (
        {name: getattr(response, name) for name in kept},
        list(
            answers_written.values_list(
                "question_id",
                "option_id",
                "text",
                "respondent_type",
                "verified",
                "first_for_question",
            )
        ),
    )


def test_on_postgresql_one_statement_writes_what_the_orm_writes(consultation):
    if connection.vendor != "postgresql":
        pytest.skip("The one-statement write is PostgreSQL's; SQLite uses the ORM's.")
    given = answers(consultation, join="No", stop=["Cost"], other="Rota", comment="Hi")
    started = timezone.now() - timedelta(minutes=3)

    with CaptureQueriesContext(connection) as one_statement:
        quick = _submit(consultation, given, key="quick", started_at=started).response
    orm = _submit(consultation, given, key="orm", started_at=started, on_stored=lambda _: None)

    inserts = [q["sql"] for q in one_statement.captured_queries if "INSERT" in q["sql"]]
    assert len(inserts) == 1
    assert _written(Response.objects.get(pk=quick.pk)) == _written(orm.response)
    assert Response.objects.get(pk=quick.pk).reference == quick.reference
    assert Response.objects.get(pk=quick.pk).submitted_at == quick.submitted_at
    assert len(_written(orm.response)[1]) == 6


def test_a_double_click_inside_a_caller_s_transaction_leaves_it_usable(consultation):
    with transaction.atomic():
        first = _submit(consultation, key="double")
        second = _submit(consultation, key="double")
        assert Response.objects.count() == 1

    assert (first.created, second.created) == (True, False)
    assert second.response.pk == first.response.pk


def test_on_stored_runs_inside_the_submit_s_transaction_and_its_failure_stores_nothing(
    consultation,
):
    seen = []

    def on_stored(submitted):
        seen.append((submitted.response.reference, connection.in_atomic_block))
        raise RuntimeError("the caller's own write failed")

    with pytest.raises(RuntimeError):
        _submit(consultation, on_stored=on_stored)

    assert len(seen) == 1 and seen[0][1] is True
    assert Response.objects.count() == 0 and Answer.objects.count() == 0


def test_on_stored_is_not_called_for_a_repeat_of_a_stored_submission(consultation):
    calls = []
    first = _submit(consultation, on_stored=calls.append)

    again = _submit(consultation, on_stored=calls.append)

    assert [call.response.pk for call in calls] == [first.response.pk]
    assert (again.created, again.response.pk) == (False, first.response.pk)
