"""Training records one at a time: recorded by a provider, added by a worker with evidence,
decided by a registrar, revoked by the provider. The services' rules, the pages on top of them,
and who may open which page."""

from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from accounts.models import Membership
from core.models import AuditEvent
from passports.models import MatchFailure, TrainingRecord
from passports.services import records
from register.models import EvidenceFile, RegisterEntry
from register.registration_numbers import format_number
from tests.dates import typed_date
from tests.factories import (
    MembershipFactory,
    RegisterEntryFactory,
    TrainingStandardFactory,
)

Status = TrainingRecord.Status
BORN = date(1990, 5, 17)  # ApplicationFactory's date of birth
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
NO_MATCH = "No registered worker matches that registration number and date of birth"


def today():
    return timezone.localdate()


def pdf_upload(name="certificate.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def record_by_provider(provider, entry, standard, completed_on=None, **changes):
    arguments = {
        "provider": provider.organisations.get(),
        "recorded_by": provider,
        "registration_number": entry.registration_number,
        "date_of_birth": BORN,
        "standard": standard,
        "completed_on": completed_on or today() - timedelta(days=10),
        **changes,
    }
    return records.training_record_create_by_provider(**arguments)


def add_by_worker(entry, standard, completed_on=None, **changes):
    arguments = {
        "entry": entry,
        "worker": entry.worker,
        "standard": standard,
        "completed_on": completed_on or today() - timedelta(days=10),
        "provider_name": "Evening College",
        "upload": pdf_upload(),
        **changes,
    }
    return records.training_record_add_by_worker(**arguments)


def events(action):
    return list(AuditEvent.objects.filter(action=action))


# --- Expiry dates --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2025, 1, 31), 1, date(2025, 2, 28)),
        (date(2024, 1, 31), 1, date(2024, 2, 29)),
        (date(2024, 2, 29), 12, date(2025, 2, 28)),
        (date(2025, 3, 31), 1, date(2025, 4, 30)),
        (date(2025, 12, 15), 1, date(2026, 1, 15)),
        (date(2025, 5, 17), 36, date(2028, 5, 17)),
        (date(2025, 5, 17), 0, date(2025, 5, 17)),
    ],
)
def test_months_are_added_as_calendar_months_clamped_to_the_month_end(start, months, expected):
    assert records.add_months(start, months) == expected


@pytest.mark.django_db
def test_training_without_a_refresher_period_never_expires():
    standard = TrainingStandardFactory(
        code="level-3-diploma-adult-care",
        title="Level 3 Diploma in Adult Care",
        refresher_months=None,
    )
    standard.refresher_months = None

    assert records.expiry_for(standard=standard, completed_on=date(2020, 1, 1)) is None


# --- Recorded by a provider ----------------------------------------------------------------------


@pytest.mark.django_db
def test_an_approved_provider_records_training_that_is_verified_and_audited(
    provider, approved, entry, standard
):
    completed_on = date(today().year - 1, 1, 31)

    record = record_by_provider(provider, entry, standard, completed_on=completed_on)

    assert record.status == Status.VERIFIED
    assert record.entry == entry
    assert record.provider == approved.organisation
    assert record.expires_on == records.add_months(completed_on, 12)
    assert record.decided_by == provider
    assert record.decided_at is not None
    [event] = events("passports.record.recorded")
    assert event.actor_id == provider.pk
    assert event.target_id == str(record.pk)
    assert event.new_status == "verified"
    assert event.data["standard"] == "moving-and-handling"
    assert "1990" not in str(event.data), "the date of birth stays out of the audit log"


@pytest.mark.django_db
@pytest.mark.parametrize("born", [BORN, date(1991, 1, 1)], ids=["right date", "wrong date"])
def test_a_provider_that_is_not_approved_cannot_record_and_learns_nothing_of_the_worker(
    provider, entry, standard, born
):
    with pytest.raises(records.ProviderNotApproved) as refused:
        record_by_provider(provider, entry, standard, date_of_birth=born)

    # The same answer for a right and a wrong date of birth: nothing is matched.
    assert str(refused.value).startswith(
        "Skills Ltd cannot record or upload training yet: a registrar must approve it"
    )
    assert "Ask a registrar to approve" in str(refused.value)
    assert not TrainingRecord.objects.exists()
    assert not MatchFailure.objects.exists()


@pytest.mark.django_db
def test_a_withdrawn_approval_stops_recording(provider, approved, entry, standard):
    approved.withdrawn_at = timezone.now()
    approved.save()

    with pytest.raises(records.ProviderNotApproved):
        record_by_provider(provider, entry, standard)
    assert not TrainingRecord.objects.exists()


@pytest.mark.django_db
def test_the_registration_number_is_matched_however_it_is_typed(
    provider, approved, entry, standard
):
    typed = f" {entry.registration_number[:4].lower()} {entry.registration_number[4:]} "

    record = record_by_provider(provider, entry, standard, registration_number=typed)

    assert record.entry == entry


@pytest.mark.django_db
@pytest.mark.parametrize("status", [RegisterEntry.Status.LAPSED, RegisterEntry.Status.SUSPENDED])
def test_a_lapsed_or_suspended_worker_can_still_receive_training_records(
    provider, approved, entry, standard, status
):
    entry.status = status
    entry.save()

    assert record_by_provider(provider, entry, standard).status == Status.VERIFIED


@pytest.mark.django_db
def test_a_provider_member_recording_their_own_training_does_not_verify_it(
    provider, approved, standard
):
    own_entry = RegisterEntryFactory(application__worker=provider)

    record = record_by_provider(provider, own_entry, standard)

    assert record.status == Status.UNVERIFIED


@pytest.mark.django_db
@pytest.mark.parametrize(
    "changes",
    [
        pytest.param({"date_of_birth": date(1990, 5, 18)}, id="wrong date of birth"),
        pytest.param(
            {"registration_number": format_number(9_999_999)}, id="number not on the register"
        ),
    ],
)
def test_a_worker_who_does_not_match_gets_one_answer_that_reveals_nothing(
    provider, approved, entry, standard, changes
):
    with pytest.raises(records.TrainingRecordError) as refused:
        record_by_provider(provider, entry, standard, **changes)

    assert str(refused.value) == NO_MATCH
    assert refused.value.field is None
    assert not TrainingRecord.objects.exists()


@pytest.mark.django_db
def test_a_removed_entry_cannot_receive_records_and_looks_like_no_match(
    provider, approved, entry, standard
):
    entry.status = RegisterEntry.Status.REMOVED
    entry.save()

    with pytest.raises(records.TrainingRecordError, match=NO_MATCH):
        record_by_provider(provider, entry, standard)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        (
            {"registration_number": "CR2000000X"},
            "registration_number",
            "Enter a registration number like CR1000001H",
        ),
        (
            {"completed_on": date.today() + timedelta(days=2)},
            "completed_on",
            "The completion date must be today or in the past",
        ),
        (
            {"completed_on": date(1969, 12, 31)},
            "completed_on",
            "The completion date must be on or after 1 January 1970",
        ),
    ],
)
def test_a_provider_record_that_breaks_a_rule_is_refused_with_its_reason(
    provider, approved, entry, standard, changes, field, message
):
    with pytest.raises(records.TrainingRecordError) as refused:
        record_by_provider(provider, entry, standard, **changes)

    assert str(refused.value).startswith(message)
    assert refused.value.field == field
    assert not TrainingRecord.objects.exists()


@pytest.mark.django_db
def test_a_standard_no_longer_in_use_cannot_be_recorded(provider, approved, entry, standard):
    standard.is_active = False
    standard.save()

    with pytest.raises(records.TrainingRecordError, match="is no longer in use"):
        record_by_provider(provider, entry, standard)


@pytest.mark.django_db
def test_the_same_training_cannot_be_recorded_twice(provider, approved, entry, standard):
    first = record_by_provider(provider, entry, standard)

    with pytest.raises(records.TrainingRecordError, match="already recorded"):
        record_by_provider(provider, entry, standard, completed_on=first.completed_on)

    assert TrainingRecord.objects.count() == 1


@pytest.mark.django_db
def test_training_can_be_recorded_again_once_its_record_is_revoked(
    provider, approved, entry, standard
):
    first = record_by_provider(provider, entry, standard)
    records.training_record_revoke(record=first, by=provider, reason="Wrong date.")

    again = record_by_provider(provider, entry, standard, completed_on=first.completed_on)

    assert again.status == Status.VERIFIED


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["employer", "outsider", "worker", "registrar"])
def test_only_members_of_the_provider_record_for_it(
    request, provider_organisation, entry, standard, persona
):
    someone = request.getfixturevalue(persona)

    with pytest.raises(records.TrainingRecordError, match="Only members of this training"):
        records.training_record_create_by_provider(
            provider=provider_organisation,
            recorded_by=someone,
            registration_number=entry.registration_number,
            date_of_birth=BORN,
            standard=standard,
            completed_on=today(),
        )


@pytest.mark.django_db
def test_an_employer_organisation_cannot_record_training(employer, entry, standard):
    with pytest.raises(records.TrainingRecordError, match="Only members of this training"):
        records.training_record_create_by_provider(
            provider=employer.organisations.get(),
            recorded_by=employer,
            registration_number=entry.registration_number,
            date_of_birth=BORN,
            standard=standard,
            completed_on=today(),
        )


# --- Added by the worker -------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_worker_adds_training_with_evidence_and_it_stays_unverified(entry, standard):
    record = add_by_worker(entry, standard)

    assert record.status == Status.UNVERIFIED
    assert record.provider is None
    assert record.provider_name == "Evening College"
    assert record.evidence.owner == entry.worker
    assert record.evidence.content_type == "application/pdf"
    assert record.expires_on == records.add_months(record.completed_on, 12)
    [event] = events("passports.record.added")
    assert event.actor_id == entry.worker_id
    assert event.new_status == "unverified"
    assert event.data["evidence_id"] == record.evidence_id


@pytest.mark.django_db
def test_a_worker_cannot_add_training_to_someone_elses_entry(entry, standard, outsider):
    with pytest.raises(records.TrainingRecordError, match="your own registration"):
        add_by_worker(entry, standard, worker=outsider)


@pytest.mark.django_db
def test_training_cannot_be_added_to_a_removed_entry(entry, standard):
    entry.status = RegisterEntry.Status.REMOVED
    entry.save()

    with pytest.raises(records.TrainingRecordError, match="has been removed from the register"):
        add_by_worker(entry, standard)

    assert not EvidenceFile.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"provider_name": "  "}, "provider_name", "Enter the name of the training provider"),
        (
            {"completed_on": date.today() + timedelta(days=1)},
            "completed_on",
            "The completion date must be today or in the past",
        ),
        (
            {"upload": SimpleUploadedFile("certificate.pdf", b"just text")},
            "upload",
            "The selected file must be a PDF, JPG or PNG.",
        ),
    ],
)
def test_worker_training_that_breaks_a_rule_is_refused_with_its_reason(
    entry, standard, changes, field, message
):
    with pytest.raises(records.TrainingRecordError) as refused:
        add_by_worker(entry, standard, **changes)

    assert str(refused.value) == message
    assert refused.value.field == field
    assert not TrainingRecord.objects.exists()
    assert not EvidenceFile.objects.exists()


@pytest.mark.django_db
def test_a_refused_duplicate_leaves_no_evidence_behind(entry, standard, settings):
    first = add_by_worker(entry, standard)
    stored_files = {path.name for path in (settings.MEDIA_ROOT / "evidence").rglob("*")}

    with pytest.raises(records.TrainingRecordError, match="already recorded"):
        add_by_worker(entry, standard, completed_on=first.completed_on)

    assert EvidenceFile.objects.count() == 1
    assert {path.name for path in (settings.MEDIA_ROOT / "evidence").rglob("*")} == stored_files


@pytest.mark.django_db
def test_evidence_is_deleted_when_the_record_cannot_be_stored(
    entry, standard, settings, monkeypatch
):
    def fail(**kwargs):
        raise RuntimeError("the audit log is unavailable")

    monkeypatch.setattr(records, "audit_log", fail)

    with pytest.raises(RuntimeError):
        add_by_worker(entry, standard)

    assert not EvidenceFile.objects.exists()
    assert not [path for path in settings.MEDIA_ROOT.rglob("*") if path.is_file()]


# --- A registrar's decision ----------------------------------------------------------------------


@pytest.fixture
def unverified(entry, standard):
    return add_by_worker(entry, standard)


@pytest.mark.django_db
def test_a_registrar_verifies_a_record_and_the_worker_is_told(
    unverified, registrar, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        record = records.training_record_decide(record=unverified, registrar=registrar, verify=True)

    assert record.status == Status.VERIFIED
    assert record.decided_by == registrar
    [event] = events("passports.record.verified")
    assert (event.old_status, event.new_status) == ("unverified", "verified")
    assert event.actor_id == registrar.pk
    assert [message.to for message in mail.outbox] == [[unverified.entry.worker.email]]
    assert "now counts on your training passport" in mail.outbox[0].body


@pytest.mark.django_db
def test_a_registrar_rejects_a_record_with_a_reason_the_worker_sees(
    unverified, registrar, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        record = records.training_record_decide(
            record=unverified, registrar=registrar, verify=False, reason="The certificate is blank."
        )

    assert record.status == Status.REJECTED
    assert record.status_reason == "The certificate is blank."
    assert events("passports.record.rejected")[0].data["reason"] == "The certificate is blank."
    assert "Reason: The certificate is blank." in mail.outbox[0].body


@pytest.mark.django_db
def test_rejecting_needs_a_reason(unverified, registrar):
    with pytest.raises(records.TrainingRecordError) as refused:
        records.training_record_decide(record=unverified, registrar=registrar, verify=False)

    assert str(refused.value) == "Give the reason for rejecting the record: the worker will see it"
    assert refused.value.field == "reason"
    unverified.refresh_from_db()
    assert unverified.status == Status.UNVERIFIED


@pytest.mark.django_db
@pytest.mark.parametrize("first", [True, False])
def test_a_record_is_decided_only_once(unverified, registrar, first):
    records.training_record_decide(
        record=unverified, registrar=registrar, verify=first, reason="Checked."
    )

    with pytest.raises(records.TrainingRecordError, match="already been decided"):
        records.training_record_decide(record=unverified, registrar=registrar, verify=True)

    decisions = ["passports.record.verified", "passports.record.rejected"]
    assert AuditEvent.objects.filter(action__in=decisions).count() == 1


@pytest.mark.django_db
def test_a_verified_provider_record_cannot_be_decided(
    provider, approved, entry, standard, registrar
):
    record = record_by_provider(provider, entry, standard)

    with pytest.raises(records.TrainingRecordError, match="already been decided: it is verified"):
        records.training_record_decide(record=record, registrar=registrar, verify=False, reason="x")


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["registrar_without_mfa", "worker", "provider", "outsider"])
def test_only_a_registrar_with_mfa_decides_records(request, unverified, persona):
    someone = request.getfixturevalue(persona)

    with pytest.raises(records.TrainingRecordError, match="Only a registrar"):
        records.training_record_decide(record=unverified, registrar=someone, verify=True)


@pytest.mark.django_db
def test_a_registrar_never_decides_their_own_record(registrar, standard):
    own_entry = RegisterEntryFactory(application__worker=registrar)
    record = add_by_worker(own_entry, standard)

    with pytest.raises(records.TrainingRecordError, match="never their own"):
        records.training_record_decide(record=record, registrar=registrar, verify=True)


# --- Revocation ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_provider_revokes_its_verified_record_and_the_worker_is_told(
    provider, approved, entry, standard, django_capture_on_commit_callbacks
):
    record = record_by_provider(provider, entry, standard)

    with django_capture_on_commit_callbacks(execute=True):
        revoked = records.training_record_revoke(
            record=record, by=provider, reason="The trainer was not qualified."
        )

    assert revoked.status == Status.REVOKED
    assert revoked.status_reason == "The trainer was not qualified."
    [event] = events("passports.record.revoked")
    assert (event.old_status, event.new_status) == ("verified", "revoked")
    assert event.data["reason"] == "The trainer was not qualified."
    assert "Reason: The trainer was not qualified." in mail.outbox[0].body


@pytest.mark.django_db
def test_a_registrar_may_revoke_a_verified_record(provider, approved, entry, standard, registrar):
    record = record_by_provider(provider, entry, standard)

    assert records.training_record_revoke(record=record, by=registrar, reason="Fraud.").status == (
        Status.REVOKED
    )


@pytest.mark.django_db
def test_revoking_needs_a_reason(provider, approved, entry, standard):
    record = record_by_provider(provider, entry, standard)

    with pytest.raises(records.TrainingRecordError, match="Give the reason for revoking"):
        records.training_record_revoke(record=record, by=provider, reason=" ")


@pytest.mark.django_db
def test_only_a_verified_record_can_be_revoked(provider, approved, entry, standard):
    record = record_by_provider(provider, entry, standard)
    record.status = Status.UNVERIFIED
    record.save()

    with pytest.raises(records.TrainingRecordError) as refused:
        records.training_record_revoke(record=record, by=provider, reason="Mistake.")

    assert (
        str(refused.value) == "Only a verified record can be revoked, and this one is unverified."
    )


@pytest.mark.django_db
def test_a_record_is_revoked_only_once(provider, approved, entry, standard):
    record = record_by_provider(provider, entry, standard)
    records.training_record_revoke(record=record, by=provider, reason="Mistake.")

    with pytest.raises(records.TrainingRecordError, match="this one is revoked"):
        records.training_record_revoke(record=record, by=provider, reason="Again.")

    assert len(events("passports.record.revoked")) == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    "persona", ["other_provider", "worker", "employer", "registrar_without_mfa"]
)
def test_nobody_else_revokes_a_providers_record(
    request, provider, approved, entry, standard, persona
):
    record = record_by_provider(provider, entry, standard)
    someone = request.getfixturevalue(persona)

    with pytest.raises(records.TrainingRecordError, match="Only the training provider"):
        records.training_record_revoke(record=record, by=someone, reason="No.")


# --- The pages -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_provider_records_training_through_the_form(
    client, provider, approved, provider_organisation, entry, standard
):
    client.force_login(provider)

    response = client.post(
        reverse("passports:provider-record-new", args=[provider_organisation.pk]),
        {
            "registration_number": entry.registration_number.lower(),
            **typed_date("date_of_birth", BORN),
            "standard": standard.pk,
            **typed_date("completed_on", today() - timedelta(days=3)),
        },
    )

    assert response.status_code == 302
    record = TrainingRecord.objects.get()
    assert record.status == Status.VERIFIED
    page = client.get(response.url).content.decode()
    assert f"is recorded for {entry.registration_number}. It is verified." in page
    assert standard.title in page


@pytest.mark.django_db
def test_the_form_shows_the_same_answer_for_a_wrong_date_of_birth(
    client, provider, provider_organisation, approved, entry, standard
):
    client.force_login(provider)

    response = client.post(
        reverse("passports:provider-record-new", args=[provider_organisation.pk]),
        {
            "registration_number": entry.registration_number,
            **typed_date("date_of_birth", date(1991, 5, 17)),
            "standard": standard.pk,
            **typed_date("completed_on", today()),
        },
    )

    assert response.status_code == 400
    assert NO_MATCH in response.content.decode()
    assert not TrainingRecord.objects.exists()


@pytest.mark.django_db
def test_the_form_puts_a_rule_next_to_its_field(
    client, provider, provider_organisation, approved, entry, standard
):
    client.force_login(provider)

    response = client.post(
        reverse("passports:provider-record-new", args=[provider_organisation.pk]),
        {
            "registration_number": entry.registration_number,
            **typed_date("date_of_birth", BORN),
            "standard": standard.pk,
            **typed_date("completed_on", today() + timedelta(days=5)),
        },
    )

    assert response.status_code == 400
    assert response.context["form"].errors["completed_on"] == [
        "The completion date must be today or in the past"
    ]


@pytest.mark.django_db
def test_a_worker_adds_training_through_the_form(client, worker, entry, standard):
    client.force_login(worker)

    response = client.post(
        reverse("passports:record-add"),
        {
            "standard": standard.pk,
            **typed_date("completed_on", today() - timedelta(days=30)),
            "provider_name": "Evening College",
            "upload": pdf_upload(),
        },
    )

    assert response.status_code == 302
    assert response.url == reverse("passports:page")
    assert TrainingRecord.objects.get().status == Status.UNVERIFIED


@pytest.mark.django_db
def test_the_registrar_queue_lists_unverified_records_with_their_evidence(
    client, registrar, unverified
):
    client.force_login(registrar)

    page = client.get(reverse("passports:registrar-queue")).content.decode()

    assert unverified.entry.registration_number in page
    assert reverse("register:evidence-download", args=[unverified.evidence_id]) in page
    assert reverse("passports:registrar-decide", args=[unverified.pk]) in page


@pytest.mark.django_db
def test_the_registrar_queue_leaves_out_the_registrars_own_records(client, registrar, standard):
    own = add_by_worker(RegisterEntryFactory(application__worker=registrar), standard)
    client.force_login(registrar)

    response = client.get(reverse("passports:registrar-queue"))

    assert own not in response.context["records"]
    assert client.get(reverse("passports:registrar-decide", args=[own.pk])).status_code == 403


@pytest.mark.django_db
def test_a_registrar_verifies_through_the_page(client, registrar, unverified):
    client.force_login(registrar)

    response = client.post(
        reverse("passports:registrar-decide", args=[unverified.pk]), {"decision": "verify"}
    )

    assert response.status_code == 302
    unverified.refresh_from_db()
    assert unverified.status == Status.VERIFIED


@pytest.mark.django_db
def test_rejecting_through_the_page_without_a_reason_shows_the_error_by_the_field(
    client, registrar, unverified
):
    client.force_login(registrar)

    response = client.post(
        reverse("passports:registrar-decide", args=[unverified.pk]), {"decision": "reject"}
    )

    assert response.status_code == 400
    assert response.context["form"].errors["reason"] == [
        "Give the reason for rejecting the record: the worker will see it"
    ]
    unverified.refresh_from_db()
    assert unverified.status == Status.UNVERIFIED


@pytest.mark.django_db
def test_a_provider_revokes_through_the_page(
    client, provider, approved, provider_organisation, entry, standard
):
    record = record_by_provider(provider, entry, standard)
    client.force_login(provider)
    url = reverse("passports:provider-record-revoke", args=[provider_organisation.pk, record.pk])

    response = client.post(url, {"reason": "Recorded for the wrong person."})

    assert response.status_code == 302
    record.refresh_from_db()
    assert record.status == Status.REVOKED


@pytest.mark.django_db
def test_a_provider_cannot_reach_another_providers_record(
    client, provider, approved, entry, standard, other_provider
):
    record = record_by_provider(provider, entry, standard)
    client.force_login(other_provider)
    other_organisation = other_provider.organisations.get()

    response = client.post(
        reverse("passports:provider-record-revoke", args=[other_organisation.pk, record.pk]),
        {"reason": "Not ours, but let us try."},
    )

    assert response.status_code == 404
    record.refresh_from_db()
    assert record.status == Status.VERIFIED


@pytest.mark.django_db
def test_a_person_not_on_the_register_is_told_so_kindly(client, employer):
    client.force_login(employer)

    response = client.get(reverse("passports:page"))

    assert response.status_code == 404
    assert "You are not on the register" in response.content.decode()


# --- Who may open what ---------------------------------------------------------------------------

PERSONAS = [
    "anonymous",
    "worker",
    "employer",
    "provider",
    "other_provider",
    "registrar_without_mfa",
    "registrar",
    "outsider",
]

# page -> expected status per persona, in PERSONAS order. 302 from an anonymous visitor is the
# redirect to sign in; 302 for a registrar without MFA is the redirect to MFA set-up. Pages of
# a provider answer 404 to anyone outside it: they do not say whether the provider exists.
ACCESS_TABLE = {
    "passports:page": [302, 200, 404, 404, 404, 404, 404, 404],
    "passports:record-add": [302, 200, 404, 404, 404, 404, 404, 404],
    "passports:provider-records": [302, 404, 404, 200, 404, 404, 404, 404],
    "passports:provider-record-new": [302, 404, 404, 200, 404, 404, 404, 404],
    "passports:provider-template": [302, 404, 404, 200, 404, 404, 404, 404],
    "passports:provider-import": [302, 404, 404, 200, 404, 404, 404, 404],
    "passports:provider-import-preview": [302, 404, 404, 200, 404, 404, 404, 404],
    "passports:provider-record-revoke": [302, 404, 404, 200, 404, 404, 404, 404],
    "passports:registrar-queue": [302, 403, 403, 403, 403, 302, 200, 403],
    "passports:registrar-decide": [302, 403, 403, 403, 403, 302, 200, 403],
    "passports:registrar-providers": [302, 403, 403, 403, 403, 302, 200, 403],
}


@pytest.fixture
def access_objects(worker, provider, approved, provider_organisation, standard):
    from passports.models import ImportBatch

    entry = RegisterEntryFactory(application__worker=worker)
    verified = record_by_provider(provider, entry, standard)
    unverified = add_by_worker(entry, standard, completed_on=today() - timedelta(days=40))
    batch = ImportBatch.objects.create(
        provider=provider_organisation,
        uploaded_by=provider,
        file_name="training.csv",
        sha256="0" * 64,
        content="registration_number,date_of_birth,standard_code,completed_on\r\n",
    )
    organisation = provider_organisation.pk
    return {
        "passports:page": reverse("passports:page"),
        "passports:record-add": reverse("passports:record-add"),
        "passports:provider-records": reverse("passports:provider-records", args=[organisation]),
        "passports:provider-record-new": reverse(
            "passports:provider-record-new", args=[organisation]
        ),
        "passports:provider-template": reverse("passports:provider-template", args=[organisation]),
        "passports:provider-import": reverse("passports:provider-import", args=[organisation]),
        "passports:provider-import-preview": reverse(
            "passports:provider-import-preview", args=[organisation, batch.pk]
        ),
        "passports:provider-record-revoke": reverse(
            "passports:provider-record-revoke", args=[organisation, verified.pk]
        ),
        "passports:registrar-queue": reverse("passports:registrar-queue"),
        "passports:registrar-decide": reverse("passports:registrar-decide", args=[unverified.pk]),
        "passports:registrar-providers": reverse("passports:registrar-providers"),
    }


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("page", "persona", "expected"),
    [
        (page, persona, statuses[index])
        for page, statuses in ACCESS_TABLE.items()
        for index, persona in enumerate(PERSONAS)
    ],
)
def test_access_table(client, request, access_objects, page, persona, expected):
    if persona != "anonymous":
        client.force_login(request.getfixturevalue(persona))

    response = client.get(access_objects[page])

    assert response.status_code == expected


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("persona", "expected"),
    [("anonymous", 302), ("worker", 404), ("other_provider", 404), ("registrar", 404)],
)
def test_nobody_outside_the_provider_records_for_it(
    client, request, provider_organisation, entry, standard, persona, expected
):
    if persona != "anonymous":
        client.force_login(request.getfixturevalue(persona))

    response = client.post(
        reverse("passports:provider-record-new", args=[provider_organisation.pk]),
        {
            "registration_number": entry.registration_number,
            **typed_date("date_of_birth", BORN),
            "standard": standard.pk,
            **typed_date("completed_on", today()),
        },
    )

    assert response.status_code == expected
    assert not TrainingRecord.objects.exists()


@pytest.mark.django_db
def test_an_owner_and_a_plain_member_of_the_provider_both_record(
    client, provider_organisation, approved, entry, standard
):
    member = MembershipFactory(organisation=provider_organisation, role=Membership.Role.MEMBER).user
    client.force_login(member)

    response = client.get(reverse("passports:provider-record-new", args=[provider_organisation.pk]))

    assert response.status_code == 200
