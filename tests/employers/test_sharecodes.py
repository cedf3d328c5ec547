"""Share codes: made by a worker, checked by an employer, revealing nothing when wrong."""

import datetime
import re
import threading
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection, connections
from django.utils import timezone

from core.audit import RequestContext, current_request
from core.models import AuditEvent
from employers.models import ShareCode, ShareCodeCheck
from employers.services import sharecodes
from register.models import RegisterEntry
from tests.factories import (
    DATE_OF_BIRTH,
    MembershipFactory,
    RegisterEntryFactory,
    TrainingRecordFactory,
)

pytestmark = pytest.mark.django_db
Outcome = ShareCodeCheck.Outcome


def check(organisation, user, code, date_of_birth=DATE_OF_BIRTH):
    return sharecodes.share_code_check(
        organisation=organisation, user=user, code=code, date_of_birth=date_of_birth
    )


def refused_message(organisation, user, code, date_of_birth=DATE_OF_BIRTH):
    with pytest.raises(sharecodes.ShareCodeError) as refusal:
        check(organisation, user, code, date_of_birth)
    return type(refusal.value), str(refusal.value)


# --- Making and revoking --------------------------------------------------------------------


def test_a_code_has_nine_characters_from_an_alphabet_without_confusable_ones():
    codes = {sharecodes.share_code_generate() for _ in range(200)}

    assert len(codes) == 200
    for code in codes:
        assert re.fullmatch(r"[A-Z2-9]{9}", code)
        assert not set(code) & set("0O1ILU")
    assert set(sharecodes.ALPHABET).isdisjoint("0O1ILU") and len(sharecodes.ALPHABET) == 30


def test_a_code_is_shown_in_threes_and_read_back_whatever_its_spacing_or_case():
    assert sharecodes.share_code_format("abcdefghj") == "ABC-DEF-GHJ"
    assert sharecodes.share_code_hash("ABC-DEF-GHJ") == sharecodes.share_code_hash(" abc def ghj")
    assert sharecodes.share_code_hash("ABCDEFGHJ") != sharecodes.share_code_hash("ABCDEFGHK")


def test_a_worker_makes_a_code_that_is_stored_only_as_a_keyed_hash(
    worker, entry_in_own_role, settings
):
    settings.SHARE_CODE_VALID_DAYS = 30

    share_code, code = sharecodes.share_code_create(
        worker=worker, entry=entry_in_own_role, shares_identity_checks=True, label="For Sunrise"
    )

    stored = ShareCode.objects.get()
    assert code not in stored.code_hash and len(stored.code_hash) == 64
    assert stored.code_hash == sharecodes.share_code_hash(code)
    assert stored.hint == code[-3:] and stored.masked.endswith(code[-3:])
    assert (stored.label, stored.shares_identity_checks) == ("For Sunrise", True)
    assert stored.expires_at - stored.created_at == timedelta(days=30)
    event = AuditEvent.objects.get(action="employers.share_code.created")
    assert event.target_id == str(share_code.pk) and event.actor_id == worker.pk
    assert code not in event.canonical_content().decode()


def test_nobody_makes_a_code_for_someone_elses_entry(employer, entry_in_own_role):
    with pytest.raises(PermissionDenied):
        sharecodes.share_code_create(
            worker=employer, entry=entry_in_own_role, shares_identity_checks=False
        )


def test_a_removed_worker_cannot_make_a_code(worker, entry_in_own_role):
    entry_in_own_role.status = RegisterEntry.Status.REMOVED
    entry_in_own_role.save()

    with pytest.raises(sharecodes.ShareCodeError, match="no longer on the register"):
        sharecodes.share_code_create(
            worker=worker, entry=entry_in_own_role, shares_identity_checks=False
        )


def test_a_worker_may_have_ten_live_codes_at_most(worker, entry_in_own_role):
    for _ in range(sharecodes.MAX_LIVE_CODES):
        sharecodes.share_code_create(
            worker=worker, entry=entry_in_own_role, shares_identity_checks=False
        )

    with pytest.raises(sharecodes.ShareCodeError, match="already have 10 codes"):
        sharecodes.share_code_create(
            worker=worker, entry=entry_in_own_role, shares_identity_checks=False
        )


def test_a_worker_revokes_a_code_once(worker, share_code):
    code = share_code[0]

    sharecodes.share_code_revoke(share_code=code, worker=worker)

    code.refresh_from_db()
    assert code.revoked_at is not None
    assert AuditEvent.objects.filter(action="employers.share_code.revoked").count() == 1
    with pytest.raises(sharecodes.ShareCodeError, match="already been revoked"):
        sharecodes.share_code_revoke(share_code=code, worker=worker)


def test_an_expired_code_cannot_be_revoked(worker, share_code):
    ShareCode.objects.filter(pk=share_code[0].pk).update(expires_at=timezone.now())

    with pytest.raises(sharecodes.ShareCodeError, match="already expired"):
        sharecodes.share_code_revoke(share_code=share_code[0], worker=worker)


def test_only_the_worker_revokes_their_code(employer, share_code):
    with pytest.raises(PermissionDenied):
        sharecodes.share_code_revoke(share_code=share_code[0], worker=employer)


# --- Checking ---------------------------------------------------------------------------------


def test_an_employer_sees_the_live_status_and_training_state_today(
    share_code, employer, employer_organisation, entry_in_own_role, moving, fire
):
    today = timezone.localdate()
    TrainingRecordFactory(
        entry=entry_in_own_role, standard=moving, expires_on=today + timedelta(days=200)
    )
    TrainingRecordFactory(
        entry=entry_in_own_role, standard=fire, expires_on=today - timedelta(days=3)
    )
    entry_in_own_role.status = RegisterEntry.Status.SUSPENDED
    entry_in_own_role.save()

    shared = check(employer_organisation, employer, share_code[1].lower().replace("-", " "))

    assert shared.entry == entry_in_own_role and shared.entry.status == "suspended"
    states = {item.record.standard.code: item.state for item in shared.training.counted}
    assert states == {"moving-and-handling": "valid", "fire-safety": "expired"}
    assert shared.identity_checks is None
    assert shared.check.outcome == Outcome.ACCEPTED
    assert (shared.check.organisation, shared.check.user) == (employer_organisation, employer)
    event = AuditEvent.objects.get(action="employers.share_code.checked")
    assert (event.new_status, event.actor_id) == ("accepted", employer.pk)


def test_identity_check_outcomes_are_shown_only_when_the_worker_chose_and_never_numbers(
    worker, entry_in_own_role, employer, employer_organisation, identity_check
):
    _, code = sharecodes.share_code_create(
        worker=worker, entry=entry_in_own_role, shares_identity_checks=True
    )

    shared = check(employer_organisation, employer, code)

    assert [(item.check_type, item.outcome) for item in shared.identity_checks] == [
        ("Photo identity document", "Passed")
    ]
    assert shared.identity_checks[0].checked_on == timezone.localdate(identity_check.checked_at)
    assert "123456789" not in repr(shared.identity_checks)
    assert not hasattr(shared.identity_checks[0], "document_number")


@pytest.mark.parametrize("persona", ["worker", "provider", "registrar", "outsider"])
def test_only_an_employers_member_may_check_a_code(
    request, persona, share_code, employer_organisation
):
    user = request.getfixturevalue(persona)
    # The provider tries with its own organisation; the others with an employer's.
    organisation = user.organisations.first() or employer_organisation

    with pytest.raises(PermissionDenied):
        check(organisation, user, share_code[1])
    assert not ShareCodeCheck.objects.exists()


def _codes_in_every_state(worker, entry_in_own_role):
    """Four codes that open nothing, and the date of birth to send with each."""
    other = RegisterEntryFactory(application__date_of_birth=datetime.date(1970, 1, 1))
    _, wrong_dob_code = sharecodes.share_code_create(
        worker=other.worker, entry=other, shares_identity_checks=False
    )
    expired, expired_code = sharecodes.share_code_create(
        worker=worker, entry=entry_in_own_role, shares_identity_checks=False
    )
    ShareCode.objects.filter(pk=expired.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    revoked, revoked_code = sharecodes.share_code_create(
        worker=worker, entry=entry_in_own_role, shares_identity_checks=False
    )
    sharecodes.share_code_revoke(share_code=revoked, worker=worker)
    return {
        Outcome.UNKNOWN_CODE: "ZZZ-ZZZ-ZZZ",
        Outcome.WRONG_DATE_OF_BIRTH: wrong_dob_code,
        Outcome.EXPIRED: expired_code,
        Outcome.REVOKED: revoked_code,
    }


def test_unknown_wrong_date_expired_and_revoked_all_get_the_same_answer(
    worker, entry_in_own_role, employer, employer_organisation
):
    codes = _codes_in_every_state(worker, entry_in_own_role)

    answers = {
        outcome: refused_message(employer_organisation, employer, code)
        for outcome, code in codes.items()
    }

    assert set(answers.values()) == {
        (sharecodes.ShareCodeNotAccepted, sharecodes.NOT_ACCEPTED_MESSAGE)
    }
    assert "check the code and date of birth, or ask" in sharecodes.NOT_ACCEPTED_MESSAGE.lower()
    # The employer learns nothing; the record knows why.
    assert sorted(ShareCodeCheck.objects.values_list("outcome", flat=True)) == sorted(codes)


def test_a_wrong_date_of_birth_on_a_real_code_is_refused_and_logged_for_the_worker(
    share_code, employer, employer_organisation
):
    kind, message = refused_message(
        employer_organisation, employer, share_code[1], datetime.date(1990, 5, 18)
    )

    assert (kind, message) == (sharecodes.ShareCodeNotAccepted, sharecodes.NOT_ACCEPTED_MESSAGE)
    logged = share_code[0].checks.get()
    assert (logged.outcome, logged.organisation, logged.user) == (
        Outcome.WRONG_DATE_OF_BIRTH,
        employer_organisation,
        employer,
    )


def test_a_code_stops_working_when_it_expires(
    share_code, employer, employer_organisation, settings
):
    ShareCode.objects.filter(pk=share_code[0].pk).update(
        expires_at=timezone.now() + timedelta(seconds=60)
    )
    check(employer_organisation, employer, share_code[1])  # still live

    ShareCode.objects.filter(pk=share_code[0].pk).update(expires_at=timezone.now())

    assert refused_message(employer_organisation, employer, share_code[1])[0] is (
        sharecodes.ShareCodeNotAccepted
    )


def test_ten_failures_an_hour_lock_the_user_out_even_with_the_right_code(
    share_code, employer, employer_organisation, settings
):
    settings.SHARE_CODE_FAILURES_PER_HOUR = 10
    for _ in range(10):
        refused_message(employer_organisation, employer, "ZZZ-ZZZ-ZZZ")

    kind, message = refused_message(employer_organisation, employer, share_code[1])

    assert (kind, message) == (sharecodes.ShareCodeRateLimited, sharecodes.RATE_LIMITED_MESSAGE)
    assert ShareCodeCheck.objects.filter(outcome=Outcome.RATE_LIMITED).count() == 1
    assert not ShareCodeCheck.objects.filter(outcome=Outcome.ACCEPTED).exists()


def test_failures_from_one_address_lock_out_other_users_at_that_address(
    share_code, employer, employer_member, employer_organisation, settings
):
    settings.SHARE_CODE_FAILURES_PER_HOUR = 3
    token = current_request.set(RequestContext("req-1234567", "203.0.113.9"))
    try:
        for _ in range(3):
            refused_message(employer_organisation, employer, "ZZZ-ZZZ-ZZZ")
        kind, _ = refused_message(employer_organisation, employer_member, share_code[1])
    finally:
        current_request.reset(token)

    assert kind is sharecodes.ShareCodeRateLimited
    # From another address, the colleague is not held up by someone else's mistakes.
    assert check(employer_organisation, employer_member, share_code[1]).check.accepted


def test_the_lock_out_ends_after_an_hour(
    share_code, employer, employer_organisation, settings, clock
):
    settings.SHARE_CODE_FAILURES_PER_HOUR = 2
    failed_at = timezone.now()
    clock.set(failed_at)
    for _ in range(2):
        refused_message(employer_organisation, employer, "ZZZ-ZZZ-ZZZ")
    assert refused_message(employer_organisation, employer, share_code[1])[0] is (
        sharecodes.ShareCodeRateLimited
    )

    clock.set(failed_at + timedelta(minutes=59))
    assert refused_message(employer_organisation, employer, share_code[1])[0] is (
        sharecodes.ShareCodeRateLimited
    )
    clock.set(failed_at + timedelta(minutes=61))
    assert check(employer_organisation, employer, share_code[1]).check.accepted


def test_the_lock_out_lasts_the_hour_with_the_database_cache(
    share_code, employer, employer_organisation, settings, database_cache, clock
):
    settings.SHARE_CODE_FAILURES_PER_HOUR = 2
    for _ in range(2):
        refused_message(employer_organisation, employer, "ZZZ-ZZZ-ZZZ")

    clock.advance(timedelta(minutes=10))
    assert refused_message(employer_organisation, employer, share_code[1])[0] is (
        sharecodes.ShareCodeRateLimited
    )
    clock.advance(timedelta(minutes=51))  # 61 minutes after the failures
    assert check(employer_organisation, employer, share_code[1]).check.accepted


def test_an_accepted_check_between_failures_uses_up_none_of_the_limit(
    share_code, employer, employer_organisation, settings
):
    settings.SHARE_CODE_FAILURES_PER_HOUR = 2
    refused_message(employer_organisation, employer, "ZZZ-ZZZ-ZZZ")
    for _ in range(3):
        check(employer_organisation, employer, share_code[1])
    refused_message(employer_organisation, employer, "ZZZ-ZZZ-ZZZ")

    assert refused_message(employer_organisation, employer, share_code[1])[0] is (
        sharecodes.ShareCodeRateLimited
    )
    assert ShareCodeCheck.objects.filter(outcome=Outcome.ACCEPTED).count() == 3


def test_accepted_checks_do_not_count_towards_the_limit(
    share_code, employer, employer_organisation, settings
):
    settings.SHARE_CODE_FAILURES_PER_HOUR = 2
    for _ in range(5):
        check(employer_organisation, employer, share_code[1])

    assert ShareCodeCheck.objects.filter(outcome=Outcome.ACCEPTED).count() == 5


def test_a_code_works_for_several_employers_and_the_worker_sees_each(
    share_code, employer, employer_organisation
):
    other = MembershipFactory(organisation__kind="employer", organisation__name="Other Care").user

    check(employer_organisation, employer, share_code[1])
    check(other.organisations.get(), other, share_code[1])

    assert [item.organisation.name for item in share_code[0].checks.order_by("id")] == [
        "Sunrise Care Homes",
        "Other Care",
    ]


def test_every_refusal_takes_the_same_path_through_the_database(
    worker, entry_in_own_role, employer, employer_organisation
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    codes = _codes_in_every_state(worker, entry_in_own_role)
    shapes = {}
    for outcome, code in codes.items():
        with CaptureQueriesContext(connection) as queries:
            refused_message(employer_organisation, employer, code)
        # The same statements in the same order, whatever the reason; only values differ.
        shapes[outcome] = [
            re.sub(
                r'"s\d+_x\d+"', "<savepoint>", re.split(r" WHERE | SET | VALUES ", query["sql"])[0]
            )
            for query in queries
        ]

    assert len({tuple(shape) for shape in shapes.values()}) == 1, shapes


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("backend", ["memory", "database", "redis"])
def test_of_wrong_codes_sent_at_once_only_the_limit_are_tried(
    employer, employer_organisation, settings, request, backend
):
    """Twelve wrong codes from one employer at the same moment, against three failures an
    hour: three are looked up and refused, nine are rate limited without being looked up."""
    if connection.vendor == "sqlite":
        pytest.skip("SQLite allows one writer at a time; the race needs PostgreSQL.")
    if backend == "database":
        request.getfixturevalue("database_cache_for_threads")
    elif backend == "redis":
        request.getfixturevalue("redis_cache")
    settings.SHARE_CODE_FAILURES_PER_HOUR = 3
    refusals, errors = [], []
    barrier = threading.Barrier(12)

    def guess(number):
        try:
            barrier.wait()
            refusals.append(
                refused_message(employer_organisation, employer, f"ZZZ-ZZZ-ZZ{number}")[0]
            )
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=guess, args=(number % 8 + 2,)) for number in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert refusals.count(sharecodes.ShareCodeNotAccepted) == 3
    assert refusals.count(sharecodes.ShareCodeRateLimited) == 9
    outcomes = list(ShareCodeCheck.objects.values_list("outcome", flat=True))
    assert sorted(outcomes) == sorted([Outcome.UNKNOWN_CODE] * 3 + [Outcome.RATE_LIMITED] * 9)
