"""Raising a concern, confirming the email address, and what is kept."""

from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.utils import timezone

from accounts.models import Organisation
from concerns.models import Case, CaseFigures, Document, StepLog
from concerns.services.raising import (
    ConcernError,
    ConfirmationRefused,
    concern_confirm,
    concern_confirmation_check,
    concern_raise,
    concerns_delete_unconfirmed,
)
from core.audit import AuditEvent
from core.dates import add_working_days
from tests.concerns.conftest import pdf, raised
from tests.factories import MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


def _token_from_email() -> str:
    body = mail.outbox[-1].body
    return body.split("/concerns/confirm/")[1].split("/")[0]


def test_a_concern_from_someone_without_an_account_waits_for_their_email(subject, committed):
    with committed(execute=True):
        case, token = concern_raise(raised=raised(subject), documents=[pdf()])
    assert case.status == Case.Status.UNCONFIRMED
    assert case.entry == subject
    assert mail.outbox[-1].to == ["priya@example.org"]
    assert _token_from_email() == token
    # Only a hash of the link is kept.
    assert token not in case.confirmation_hash
    assert not CaseFigures.objects.exists()


def test_confirming_makes_it_a_case_with_a_screening_date_in_working_days(subject, committed):
    _, token = concern_raise(raised=raised(subject), documents=[])
    with committed(execute=True):
        case = concern_confirm(token=token)
    assert case.status == Case.Status.RECEIVED
    assert case.screening_due == add_working_days(timezone.localdate(), 5)
    assert "received your concern" in mail.outbox[-1].body
    assert case.reference in mail.outbox[-1].subject
    figures = CaseFigures.objects.get(case=case)
    assert (figures.category, figures.source) == ("poor_practice", "public")
    assert list(StepLog.objects.filter(case=case).values_list("new_status", flat=True)) == [
        "unconfirmed",
        "received",
    ]
    assert AuditEvent.objects.filter(action="concerns.case.received", target_id=str(case.pk))


def test_a_link_works_once(subject):
    _, token = concern_raise(raised=raised(subject), documents=[])
    concern_confirm(token=token)
    with pytest.raises(ConfirmationRefused, match="already been used"):
        concern_confirm(token=token)


def test_an_expired_link_is_refused_and_the_concern_is_deleted_later(subject, clock):
    case, token = concern_raise(raised=raised(subject), documents=[pdf()])
    stored = Document.objects.get(case=case).file.name
    clock.advance(timedelta(hours=73))
    with pytest.raises(ConfirmationRefused, match="expired"):
        concern_confirm(token=token)
    assert concerns_delete_unconfirmed() == 1
    assert not Case.objects.filter(pk=case.pk).exists()
    assert not Document.objects.filter(file=stored).exists()


def test_an_anonymous_raiser_s_address_is_erased_once_confirmed(subject, committed):
    _, token = concern_raise(
        raised=raised(subject, anonymous=True, name="", identity_withheld=False), documents=[]
    )
    with committed(execute=True):
        case = concern_confirm(token=token)
    assert case.anonymous and case.identity_withheld
    assert case.raiser_email == "" and case.raiser_name == ""
    # Nor a phone number, though one was given: we keep nothing to reach them by.
    assert case.raiser_phone == ""
    # Not even the receipt: the confirmation page shows the reference instead, and a queued
    # email would keep the address in the task table.
    assert mail.outbox == []


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"category": "gossip"}, "Choose what the concern is about"),
        ({"what_happened": "  "}, "Tell us what happened"),
        ({"when_happened": ""}, "when it happened"),
        ({"email": ""}, "Give your email address"),
        ({"name": ""}, "Give your name, or choose to stay anonymous"),
        ({"registration_number": "CR9999999X"}, "No one on the register has that"),
        ({"registration_number": "", "worker_name": "Jo"}, "or their name and where they work"),
    ],
)
def test_bad_input_gets_a_clear_message_and_changes_nothing(subject, changes, message, committed):
    with committed(execute=True), pytest.raises(ConcernError, match=message):
        concern_raise(raised=raised(subject, **changes), documents=[pdf()])
    assert not Case.objects.exists()
    assert not Document.objects.exists()
    assert not mail.outbox


def test_a_file_that_is_not_what_it_says_is_refused_whole(subject, settings):
    fake = pdf("photo.png")
    with pytest.raises(ConcernError, match="photo.png: The file's name does not match"):
        concern_raise(raised=raised(subject), documents=[pdf(), fake])
    assert not Case.objects.exists()


def test_a_worker_named_without_a_number_is_kept_for_the_registrar_to_find(subject):
    case, _ = concern_raise(
        raised=raised(
            subject, registration_number="", worker_name="Lukasz", workplace="Elm Lodge, Leeds"
        ),
        documents=[],
    )
    assert case.entry is None
    assert (case.named_worker, case.named_workplace) == ("Lukasz", "Elm Lodge, Leeds")


def test_an_employer_raises_from_its_organisation_and_it_is_received_at_once(subject):
    organisation = OrganisationFactory(name="Elm Lodge", kind=Organisation.Kind.EMPLOYER)
    manager = MembershipFactory(organisation=organisation).user
    case, token = concern_raise(
        raised=raised(subject, email="", name=""),
        documents=[],
        user=manager,
        organisation=organisation,
    )
    assert token is None
    assert case.status == Case.Status.RECEIVED
    assert case.source == Case.Source.EMPLOYER
    assert case.raiser_email == manager.email


def test_nobody_raises_for_an_organisation_they_do_not_belong_to(subject, outsider):
    organisation = OrganisationFactory(kind=Organisation.Kind.EMPLOYER)
    with pytest.raises(ConcernError, match="organisation you belong to"):
        concern_raise(
            raised=raised(subject), documents=[], user=outsider, organisation=organisation
        )


def test_concerns_from_one_address_are_limited(subject):
    for _ in range(5):
        concern_raise(raised=raised(subject), documents=[], client_ip="203.0.113.9")
    with pytest.raises(ConcernError, match="from this email address"):
        concern_raise(raised=raised(subject), documents=[], client_ip="203.0.113.9")


def test_what_the_raiser_said_is_encrypted_in_the_database(subject):
    case, _ = concern_raise(raised=raised(subject), documents=[pdf()])
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT what_happened, raiser_name, raiser_email, raiser_phone FROM concerns_case "
            "WHERE id = %s",
            [case.pk],
        )
        row = cursor.fetchone()
    for stored, plain in zip(
        row, ["medicines", "Priya", "priya@example.org", "07700"], strict=True
    ):
        assert plain not in stored
    document = Document.objects.get(case=case)
    assert b"%PDF" not in document.file.open("rb").read()
    assert document.read().startswith(b"%PDF")


def test_checking_a_link_opens_nothing(subject):
    case, token = concern_raise(raised=raised(subject), documents=[])
    concern_confirmation_check(token=token)
    concern_confirmation_check(token=token)
    case.refresh_from_db()
    assert case.status == Case.Status.UNCONFIRMED
    assert not AuditEvent.objects.filter(action="concerns.case.received").exists()
    with pytest.raises(ConfirmationRefused, match="not valid or has already been used"):
        concern_confirmation_check(token="not-a-real-token")


def test_unknown_links_from_one_address_are_limited_whether_checked_or_used(subject):
    for _ in range(20):
        with pytest.raises(ConfirmationRefused, match="not valid"):
            concern_confirmation_check(token="guess", client_ip="203.0.113.7")
    _, token = concern_raise(raised=raised(subject), documents=[])
    with pytest.raises(ConfirmationRefused, match="Too many links"):
        concern_confirm(token=token, client_ip="203.0.113.7")
    assert concern_confirm(token=token, client_ip="203.0.113.8").status == Case.Status.RECEIVED


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"category": "gossip"}, "category"),
        ({"what_happened": "  "}, "what_happened"),
        ({"when_happened": ""}, "when_happened"),
        ({"email": ""}, "email"),
        ({"name": ""}, "name"),
        ({"registration_number": "CR9999999X"}, "registration_number"),
    ],
)
def test_a_refusal_names_the_field_a_form_shows_it_by(subject, changes, field):
    with pytest.raises(ConcernError) as refused:
        concern_raise(raised=raised(subject, **changes), documents=[])
    assert refused.value.field == field
