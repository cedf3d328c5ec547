"""Referees and references (issue 18, item 7): the applicant names two referees, a registrar
emails each a single-use link, the referee answers once, and the registrar decides."""

import re
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.utils import timezone

from core.models import AuditEvent
from core.references import REFERENCE_ALPHABET
from register.models import Application, IdentityCheck, Referee, ReferenceRequest
from register.selectors.register import application_progress
from register.services import applications, references
from register.services.applications import application_missing_checks
from tests.factories import ApplicationFactory, code_of_conduct_current
from tests.register.test_applications import record_all_checks

LINK = re.compile(r"/reference/(?P<token>[A-Za-z0-9_-]{40,})/")

REFEREES = [
    {
        "name": "Sam Manager",
        "email": "Sam.Manager@example.net",
        "relationship": "My manager",
        "known_for": "4 years",
    },
    {
        "name": "Pat Tutor",
        "email": "pat.tutor@example.net",
        "relationship": "My college tutor",
        "known_for": "2 years",
    },
]

GOOD_ANSWER = {
    "knows_applicant": True,
    "how_known": "I have managed her for four years.",
    "has_concerns": False,
    "concerns_details": "",
    "comments": "Kind and reliable.",
}


@pytest.fixture
def referee(submitted):
    return submitted.referees.get(position=1)


def _send(referee, registrar, mailoutbox, capture) -> tuple[ReferenceRequest, str]:
    with capture(execute=True):
        request, token = references.reference_request_send(referee=referee, registrar=registrar)
    return request, token


def _token_from(message) -> str:
    return LINK.search(message.body)["token"]


# --- The applicant's referees ------------------------------------------------------------------


@pytest.mark.django_db
def test_an_application_needs_two_referees_before_it_can_be_sent(worker):
    application = ApplicationFactory(worker=worker, referees=False)

    assert ("referees", "Give the details of two referees") in (
        applications.application_missing_answers(application)
    )
    with pytest.raises(applications.ApplicationStateError, match="two referees"):
        applications.application_submit(
            application=application, worker=worker, code=code_of_conduct_current()
        )

    references.referees_save(application=application, worker=worker, referees=REFEREES)
    applications.application_submit(
        application=application, worker=worker, code=code_of_conduct_current()
    )
    assert Application.objects.get(pk=application.pk).status == "submitted"


@pytest.mark.django_db
def test_it_saves_the_referees_encrypted_in_order_and_audits_it(worker):
    application = ApplicationFactory(worker=worker, referees=False)

    references.referees_save(application=application, worker=worker, referees=REFEREES)

    saved = list(application.referees.all())
    assert [(item.position, item.name, item.email) for item in saved] == [
        (1, "Sam Manager", "sam.manager@example.net"),
        (2, "Pat Tutor", "pat.tutor@example.net"),
    ]
    with connection.cursor() as cursor:
        cursor.execute("SELECT name, email, relationship, known_for FROM register_referee")
        for row in cursor.fetchall():
            assert not any("Sam" in value or "Pat" in value or "years" in value for value in row)
    event = AuditEvent.objects.get(action="register.referees.saved")
    assert event.data == {"positions": [1, 2]}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("second_email", "message"),
    [
        ("SAM.manager@example.net", "two different referees"),
        ("{own}", "must be someone else"),
    ],
)
def test_it_refuses_the_same_referee_twice_or_the_applicant_as_their_own(
    worker, second_email, message
):
    application = ApplicationFactory(worker=worker, referees=False)
    second = {**REFEREES[1], "email": second_email.format(own=worker.email.upper())}

    with pytest.raises(references.RefereeError, match=message):
        references.referees_save(
            application=application, worker=worker, referees=[REFEREES[0], second]
        )

    assert not Referee.objects.exists()


@pytest.mark.django_db
def test_nobody_else_saves_an_applicants_referees(worker, outsider):
    application = ApplicationFactory(worker=worker, referees=False)

    with pytest.raises(PermissionDenied):
        references.referees_save(application=application, worker=outsider, referees=REFEREES)


@pytest.mark.django_db
def test_referees_cannot_be_changed_once_the_application_is_sent(submitted):
    with pytest.raises(applications.ApplicationStateError, match="can no longer be changed"):
        references.referees_save(application=submitted, worker=submitted.worker, referees=REFEREES)


@pytest.mark.django_db
def test_changing_a_referee_stops_the_link_sent_to_the_old_one(
    submitted, referee, registrar, mailoutbox, django_capture_on_commit_callbacks
):
    request, token = _send(referee, registrar, mailoutbox, django_capture_on_commit_callbacks)
    applications.application_request_information(
        application=submitted, registrar=registrar, message="Please change your first referee."
    )

    references.referees_save(application=submitted, worker=submitted.worker, referees=REFEREES)

    request.refresh_from_db()
    assert request.status == "cancelled"
    with pytest.raises(references.ReferenceRefused, match="replaced by a newer one"):
        references.reference_request_open(token=token, client_ip="192.0.2.1")


@pytest.mark.django_db
def test_a_referee_who_has_answered_cannot_be_swapped_for_someone_else(
    submitted, referee, registrar, mailoutbox, django_capture_on_commit_callbacks
):
    _, token = _send(referee, registrar, mailoutbox, django_capture_on_commit_callbacks)
    references.reference_answer(token=token, client_ip=None, **GOOD_ANSWER)
    applications.application_request_information(
        application=submitted, registrar=registrar, message="Check your answers."
    )
    before = referee.name

    with pytest.raises(references.RefereeError, match="already given a reference"):
        references.referees_save(application=submitted, worker=submitted.worker, referees=REFEREES)

    assert Referee.objects.get(pk=referee.pk).name == before


# --- Sending a request ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_registrar_emails_the_referee_a_link_and_only_its_hash_is_kept(
    submitted, referee, registrar, mailoutbox, django_capture_on_commit_callbacks
):
    request, token = _send(referee, registrar, mailoutbox, django_capture_on_commit_callbacks)

    message = mailoutbox[-1]
    assert message.to == [referee.email]
    assert submitted.legal_name in message.subject
    assert _token_from(message) == token
    assert submitted.reference in message.body
    assert request.token_hash == references.reference_token_hash(token)
    assert not ReferenceRequest.objects.filter(token_hash=token).exists()
    assert request.expires_at - request.sent_at == timedelta(days=14)
    event = AuditEvent.objects.get(action="register.reference_request.sent")
    assert event.data["request_id"] == request.pk and token not in str(event.data)


@pytest.mark.django_db
def test_sending_again_replaces_the_link_sent_before(
    referee, registrar, mailoutbox, django_capture_on_commit_callbacks
):
    first, old_token = _send(referee, registrar, mailoutbox, django_capture_on_commit_callbacks)
    second, new_token = _send(referee, registrar, mailoutbox, django_capture_on_commit_callbacks)

    first.refresh_from_db()
    assert first.status == "cancelled" and second.status == "sent"
    with pytest.raises(references.ReferenceRefused, match="replaced by a newer one"):
        references.reference_request_open(token=old_token, client_ip=None)
    assert references.reference_request_open(token=new_token, client_ip=None) == second


@pytest.mark.django_db
def test_a_referee_is_sent_at_most_three_requests_a_day(
    referee, registrar, mailoutbox, django_capture_on_commit_callbacks
):
    for _ in range(3):
        _send(referee, registrar, mailoutbox, django_capture_on_commit_callbacks)
    sent = len(mailoutbox)

    with pytest.raises(references.RefereeError, match="Wait before sending another"):
        _send(referee, registrar, mailoutbox, django_capture_on_commit_callbacks)

    assert len(mailoutbox) == sent
    assert ReferenceRequest.objects.count() == 3


@pytest.mark.django_db
def test_no_request_goes_out_for_a_draft_or_from_someone_not_a_registrar(
    worker, registrar, outsider, mailoutbox
):
    draft = ApplicationFactory(worker=worker)
    with pytest.raises(applications.ApplicationStateError, match="submitted application"):
        references.reference_request_send(referee=draft.referees.first(), registrar=registrar)
    applications.application_submit(
        application=draft, worker=worker, code=code_of_conduct_current()
    )
    with pytest.raises(PermissionDenied):
        references.reference_request_send(referee=draft.referees.first(), registrar=outsider)

    assert not ReferenceRequest.objects.exists()
    assert mailoutbox == []


# --- The referee's answer ------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_referee_answers_once_and_the_link_is_spent(
    referee, registrar, mailoutbox, django_capture_on_commit_callbacks
):
    _, token = _send(referee, registrar, mailoutbox, django_capture_on_commit_callbacks)

    request = references.reference_answer(token=token, client_ip="192.0.2.1", **GOOD_ANSWER)

    assert request.status == "answered" and request.answered_at is not None
    assert request.how_known == GOOD_ANSWER["how_known"]
    assert request.knows_applicant is True and request.has_concerns is False
    assert AuditEvent.objects.filter(action="register.reference_request.answered").count() == 1
    with pytest.raises(references.ReferenceRefused, match="already sent this reference"):
        references.reference_answer(
            token=token, client_ip=None, **{**GOOD_ANSWER, "comments": "Changed"}
        )
    assert ReferenceRequest.objects.get(pk=request.pk).comments == "Kind and reliable."


@pytest.mark.django_db
def test_an_expired_link_is_refused_and_says_what_to_do(
    referee, registrar, mailoutbox, django_capture_on_commit_callbacks, clock
):
    request, token = _send(referee, registrar, mailoutbox, django_capture_on_commit_callbacks)
    clock.set(request.expires_at + timedelta(seconds=1))

    with pytest.raises(references.ReferenceRefused, match="expired.*reply to the email"):
        references.reference_answer(token=token, client_ip=None, **GOOD_ANSWER)

    request.refresh_from_db()
    assert request.status == "sent" and request.state_label == "Expired"


@pytest.mark.django_db
def test_the_link_stops_working_once_the_application_is_decided(
    submitted, referee, registrar, mailoutbox, django_capture_on_commit_callbacks
):
    _, token = _send(referee, registrar, mailoutbox, django_capture_on_commit_callbacks)
    applications.application_reject(application=submitted, registrar=registrar, reason="No.")

    with pytest.raises(references.ReferenceRefused, match="no longer needed"):
        references.reference_answer(token=token, client_ip=None, **GOOD_ANSWER)


@pytest.mark.django_db
def test_a_concern_without_its_reason_is_refused_and_nothing_is_saved(
    referee, registrar, mailoutbox, django_capture_on_commit_callbacks
):
    request, token = _send(referee, registrar, mailoutbox, django_capture_on_commit_callbacks)

    with pytest.raises(references.ReferenceRefused, match="Tell us the reason"):
        references.reference_answer(
            token=token, client_ip=None, **{**GOOD_ANSWER, "has_concerns": True}
        )

    request.refresh_from_db()
    assert request.status == "sent" and request.has_concerns is None


@pytest.mark.django_db
def test_links_that_match_nothing_are_counted_and_lock_the_address_out_for_the_hour(
    referee, registrar, mailoutbox, django_capture_on_commit_callbacks
):
    _, token = _send(referee, registrar, mailoutbox, django_capture_on_commit_callbacks)
    for number in range(references.UNKNOWN_LINKS_PER_HOUR):
        with pytest.raises(references.ReferenceRefused, match="not valid"):
            references.reference_request_open(token=f"guess-{number}", client_ip="192.0.2.9")

    with pytest.raises(references.ReferenceRefused, match="Too many links"):
        references.reference_request_open(token=token, client_ip="192.0.2.9")
    # Another address is not affected.
    assert references.reference_request_open(token=token, client_ip="192.0.2.10")


# --- The registrar decides -----------------------------------------------------------------------


def _answered(referee, registrar, mailoutbox, capture, **answer) -> ReferenceRequest:
    _, token = _send(referee, registrar, mailoutbox, capture)
    return references.reference_answer(token=token, client_ip=None, **{**GOOD_ANSWER, **answer})


@pytest.mark.django_db
def test_an_answer_counts_towards_approval_only_once_a_registrar_decides_it(
    submitted, registrar, mailoutbox, django_capture_on_commit_callbacks
):
    record_all_checks(submitted, registrar, references=0)
    answers = [
        _answered(referee, registrar, mailoutbox, django_capture_on_commit_callbacks)
        for referee in submitted.referees.all()
    ]
    assert "2 references that passed: 0 so far" in application_missing_checks(submitted)

    for answer in answers:
        check = references.reference_decide(
            reference_request=answer, registrar=registrar, outcome="passed"
        )
        assert check.check_type == "reference" and check.checked_by == registrar
        assert check.referee_name == answer.referee.name

    assert application_missing_checks(submitted) == []
    assert ReferenceRequest.objects.get(pk=answers[0].pk).identity_check is not None
    assert AuditEvent.objects.filter(action="register.reference_request.decided").count() == 2


@pytest.mark.django_db
@pytest.mark.parametrize(
    "answer",
    [
        {"knows_applicant": False, "how_known": "", "has_concerns": None},
        {"has_concerns": True, "concerns_details": "She was dismissed for theft."},
    ],
)
def test_a_doubtful_reference_passes_only_with_a_note_saying_why(
    referee, registrar, mailoutbox, django_capture_on_commit_callbacks, answer
):
    request = _answered(
        referee, registrar, mailoutbox, django_capture_on_commit_callbacks, **answer
    )

    with pytest.raises(references.RefereeError, match="Say in the notes why"):
        references.reference_decide(
            reference_request=request, registrar=registrar, outcome="passed"
        )
    assert not IdentityCheck.objects.exists()

    references.reference_decide(
        reference_request=request,
        registrar=registrar,
        outcome="passed",
        notes="Spoke to the referee: the dismissal was overturned on appeal.",
    )
    assert IdentityCheck.objects.get().outcome == "passed"


@pytest.mark.django_db
def test_a_reference_is_decided_once_and_only_once_answered(
    referee, registrar, mailoutbox, django_capture_on_commit_callbacks
):
    request, _ = _send(referee, registrar, mailoutbox, django_capture_on_commit_callbacks)
    with pytest.raises(references.RefereeError, match="Only an answered reference"):
        references.reference_decide(
            reference_request=request, registrar=registrar, outcome="passed"
        )
    answered = _answered(referee, registrar, mailoutbox, django_capture_on_commit_callbacks)
    references.reference_decide(reference_request=answered, registrar=registrar, outcome="failed")

    with pytest.raises(references.RefereeError, match="already been decided"):
        references.reference_decide(
            reference_request=answered, registrar=registrar, outcome="passed"
        )
    assert IdentityCheck.objects.get().outcome == "failed"


@pytest.mark.django_db
def test_a_failed_reference_blocks_approval_until_resolved(
    submitted, registrar, mailoutbox, django_capture_on_commit_callbacks
):
    referee = submitted.referees.get(position=1)
    answered = _answered(referee, registrar, mailoutbox, django_capture_on_commit_callbacks)
    references.reference_decide(reference_request=answered, registrar=registrar, outcome="failed")

    assert any("failed check" in item for item in application_missing_checks(submitted))


# --- Application references and what the applicant is told --------------------------------------


@pytest.mark.django_db
def test_applications_get_random_references_not_sequential_numbers(worker, outsider):
    first = ApplicationFactory(worker=worker)
    second = ApplicationFactory(worker=outsider)

    for application in (first, second):
        assert len(application.reference) == 10
        assert set(application.reference) <= set(REFERENCE_ALPHABET)
    assert first.reference != second.reference
    assert str(first.pk) not in first.reference
    assert Application._meta.get_field("reference").unique


@pytest.mark.django_db
def test_the_applicant_is_told_in_plain_english_what_is_being_checked(
    submitted, registrar, mailoutbox, django_capture_on_commit_callbacks
):
    texts = [item["text"] for item in application_progress(submitted)]
    assert texts == [
        "We are checking your identity.",
        "We are checking your right to work in the UK.",
        "We are checking your DBS certificate.",
        "We are checking your references.",
    ]
    first, second = submitted.referees.all()
    _answered(first, registrar, mailoutbox, django_capture_on_commit_callbacks)
    _send(second, registrar, mailoutbox, django_capture_on_commit_callbacks)
    record_all_checks(submitted, registrar, references=0)

    progress = application_progress(submitted)

    assert progress == [
        {
            "text": "We are checking your references.",
            "details": [
                f"{first.name} has sent their reference.",
                f"We have emailed {second.name} and are waiting for their reply.",
            ],
        }
    ]
    for referee_request in ReferenceRequest.objects.filter(status="answered"):
        references.reference_decide(
            reference_request=referee_request, registrar=registrar, outcome="passed"
        )
    applications.identity_check_record(
        application=submitted,
        registrar=registrar,
        check_type="reference",
        outcome="passed",
        referee_name="Phoned",
        referee_relationship="Former employer",
    )
    assert application_progress(submitted) == [
        {"text": "Your checks are complete. A registrar will decide on your application soon."}
    ]


@pytest.mark.django_db
def test_the_applicant_is_told_when_a_referee_has_not_answered_in_time(
    submitted, registrar, mailoutbox, django_capture_on_commit_callbacks, clock
):
    first = submitted.referees.get(position=1)
    request, _ = _send(first, registrar, mailoutbox, django_capture_on_commit_callbacks)
    clock.set(request.expires_at + timedelta(hours=1))

    details = application_progress(submitted)[-1]["details"]

    assert details[0].startswith(f"{first.name} has not answered our email.")
    assert "junk mail" in details[0]
    assert timezone.now() > request.expires_at


@pytest.mark.django_db
def test_a_reference_decided_after_the_first_approval_sends_the_application_back(
    submitted, registrar, mailoutbox, django_capture_on_commit_callbacks, settings
):
    settings.FOUR_EYES_APPROVAL = True
    record_all_checks(submitted, registrar)
    referee = submitted.referees.get(position=1)
    answered = _answered(referee, registrar, mailoutbox, django_capture_on_commit_callbacks)
    applications.application_approve(application=submitted, registrar=registrar)
    assert Application.objects.get(pk=submitted.pk).status == "awaiting_second_approval"

    references.reference_decide(reference_request=answered, registrar=registrar, outcome="passed")

    submitted.refresh_from_db()
    assert submitted.status == "submitted" and submitted.first_approver is None
    assert "Reference" in submitted.sent_back.get().reason
