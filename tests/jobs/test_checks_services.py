"""Pre-employment checks: an offer opens the checklist, filled in from what the register
verified and the candidate shares; the employer records the rest; a hire waits for every item
and puts a worker on the register on the staff list with the share's consent."""

import datetime
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from core.models import AuditEvent
from employers.models import ShareCodeCheck, StaffMembership
from jobs.models import Application, PreEmploymentCheck, PreEmploymentChecklist, Vacancy
from jobs.services.applications import ApplicationStageError, application_move
from jobs.services.checks import (
    CheckInvalid,
    CheckRecord,
    ChecksError,
    ChecksNotFinished,
    check_record,
    checklist_hire,
)
from register.models import IdentityCheck, RegisterEntry
from tests.factories import (
    JobApplicationFactory,
    MembershipFactory,
    OrganisationFactory,
    TrainingRecordFactory,
    UserFactory,
    VacancyFactory,
    application_share_for,
    register_checks_passed,
)

Item = PreEmploymentCheck.Item
State = PreEmploymentCheck.State
Stage = Application.Stage


@pytest.fixture
def entry(entry_in_own_role):
    """Wendy's entry, in a role that needs no training until a test says it does."""
    return entry_in_own_role


@pytest.fixture
def vacancy(employer, employer_organisation):
    return VacancyFactory(
        organisation=employer_organisation, created_by=employer, status=Vacancy.Status.PUBLISHED
    )


@pytest.fixture
def application(vacancy, worker, entry, registrar):
    """Wendy, on the register with every check passed, applied and shares identity checks."""
    register_checks_passed(entry, registrar=registrar)
    application = JobApplicationFactory(vacancy=vacancy, applicant=worker, entry=entry)
    application_share_for(application, shares_identity_checks=True)
    return application


def offer(application, employer) -> PreEmploymentChecklist:
    application_move(application=application, to=Stage.OFFER, actor=employer)
    return PreEmploymentChecklist.objects.get(application=application)


def items(checklist) -> dict[str, PreEmploymentCheck]:
    return {item.item: item for item in checklist.items.all()}


def done(by="Emma Employer", on=None) -> CheckRecord:
    return CheckRecord(
        state=State.DONE,
        checked_by_name=by,
        checked_on=on or timezone.localdate(),
        notes="Seen in person.",
    )


def finish_the_rest(checklist, employer) -> None:
    for item in checklist.items.all():
        if not item.is_finished:
            check_record(check=item, actor=employer, record=done())


# Opening -------------------------------------------------------------------------------------


def test_an_offer_opens_a_checklist_of_every_schedule_3_item_in_order(application, employer):
    checklist = offer(application, employer)

    assert [item.item for item in checklist.items.all()] == [
        "identity",
        "dbs",
        "right_to_work",
        "employment_history",
        "conduct",
        "health",
        "qualifications",
    ]
    event = AuditEvent.objects.get(action="jobs.checks.opened")
    assert event.data["application"] == application.reference
    assert event.data["filled_from_register"] == ["conduct", "dbs", "identity"]


def test_what_the_register_verified_arrives_filled_in_with_who_checked_it_and_when(
    application, employer, registrar
):
    checklist = offer(application, employer)
    found = items(checklist)

    for item in (Item.IDENTITY, Item.DBS, Item.CONDUCT):
        assert found[item].state == State.DONE
        assert found[item].from_register
        assert found[item].checked_by_name == "Rita Registrar, registrar, Care Register"
        assert found[item].checked_on == timezone.localdate()
        assert found[item].waiting_on == ""
    assert "Passport" in found[Item.IDENTITY].register_summary
    assert "123456789" not in found[Item.IDENTITY].register_summary
    assert "2 references" in found[Item.CONDUCT].register_summary


def test_the_right_to_work_is_shown_but_left_for_the_employers_own_check(application, employer):
    right_to_work = items(offer(application, employer))[Item.RIGHT_TO_WORK]

    assert right_to_work.state == State.TO_DO
    assert right_to_work.waiting_on == PreEmploymentCheck.WaitingOn.EMPLOYER
    assert "Rita Registrar, registrar, Care Register checked" in right_to_work.register_summary
    assert "statutory excuse" in right_to_work.register_summary


def test_it_says_plainly_where_the_register_has_nothing(application, employer):
    found = items(offer(application, employer))

    assert found[Item.EMPLOYMENT_HISTORY].state == State.TO_DO
    assert "does not hold employment histories" in found[Item.EMPLOYMENT_HISTORY].register_summary
    assert found[Item.EMPLOYMENT_HISTORY].waiting_on == "candidate"
    assert "never shares health information" in found[Item.HEALTH].register_summary
    assert "no verified training" in found[Item.QUALIFICATIONS].register_summary
    assert found[Item.HEALTH].request_to_candidate.startswith("Fill in our health declaration")


def test_verified_training_fills_in_qualifications(application, employer, entry, standard):
    TrainingRecordFactory(entry=entry, standard=standard)

    qualifications = items(offer(application, employer))[Item.QUALIFICATIONS]

    assert qualifications.state == State.DONE
    assert "Moving and handling: completed on" in qualifications.register_summary
    assert "recorded by Skills Ltd" in qualifications.register_summary
    assert qualifications.checked_by_name.startswith("Care Register training passport")


def test_training_an_approved_provider_recorded_is_credited_to_the_provider_not_a_registrar(
    application, employer, entry, standard, provider, provider_organisation
):
    # An approved provider's record is verified on arrival, so its `decided_by` is the
    # provider's own person: the checklist an inspector reads must not call them a registrar.
    now = timezone.now()
    TrainingRecordFactory(
        entry=entry,
        standard=standard,
        provider=provider_organisation,
        recorded_by=provider,
        decided_by=provider,
        decided_at=now,
    )
    summary = items(offer(application, employer))[Item.QUALIFICATIONS].register_summary

    assert "recorded by Skills Ltd, an approved training provider" in summary
    assert "registrar" not in summary


def test_training_a_registrar_checked_names_the_registrar(
    application, employer, entry, standard, registrar
):
    TrainingRecordFactory(
        entry=entry, standard=standard, decided_by=registrar, decided_at=timezone.now()
    )
    summary = items(offer(application, employer))[Item.QUALIFICATIONS].register_summary

    assert f"checked by {registrar.full_name}, registrar" in summary


def test_training_the_candidate_lacks_is_said_with_the_month_s_capital(
    application, employer, entry, standard
):
    standard.required_for.set([entry.pathway_role])
    TrainingRecordFactory(
        entry=entry,
        standard=standard,
        completed_on=datetime.date(2020, 1, 6),
        expires_on=datetime.date(2021, 1, 6),
    )
    summary = items(offer(application, employer))[Item.QUALIFICATIONS].register_summary

    assert "(expired on 6 January 2021)" in summary


def test_training_the_role_needs_and_the_candidate_lacks_stays_to_do(
    application, employer, entry, standard
):
    standard.required_for.set([entry.pathway_role])

    qualifications = items(offer(application, employer))[Item.QUALIFICATIONS]

    assert qualifications.state == State.TO_DO
    assert "Moving and handling: needed for their role, not held" in (
        qualifications.register_summary
    )


def test_identity_checks_arrive_only_if_the_candidate_shares_them(application, employer):
    application.share.shares_identity_checks = False
    application.share.save()

    found = items(offer(application, employer))

    assert not any(item.from_register for item in found.values())
    assert "chose not to share the outcomes" in found[Item.IDENTITY].register_summary
    assert found[Item.IDENTITY].state == State.TO_DO


def test_nothing_arrives_once_the_candidate_has_revoked_the_share(application, employer):
    application.share.revoked_at = timezone.now()
    application.share.save()

    checklist = offer(application, employer)

    assert not checklist.share_was_live
    assert all(item.state == State.TO_DO for item in checklist.items.all())
    assert "stopped sharing their record" in items(checklist)[Item.DBS].register_summary


def test_someone_not_on_the_register_gets_an_empty_checklist_that_says_why(vacancy, employer):
    application = JobApplicationFactory(vacancy=vacancy, applicant__full_name="Nina New")

    checklist = offer(application, employer)

    assert all(item.state == State.TO_DO for item in checklist.items.all())
    assert "Nina New is not on the register" in items(checklist)[Item.IDENTITY].register_summary


def test_a_dbs_with_new_information_on_the_update_service_stays_open(application, employer, entry):
    IdentityCheck.objects.filter(application=entry.application, check_type="dbs").update(
        update_service_checked_on=timezone.localdate(),
        update_service_result=IdentityCheck.UpdateServiceResult.NEW_INFORMATION,
    )

    dbs = items(offer(application, employer))[Item.DBS]

    assert dbs.state == State.TO_DO
    assert "new information" in dbs.register_summary


def test_a_suspended_worker_has_conduct_left_for_the_employer(application, employer, entry):
    RegisterEntry.objects.filter(pk=entry.pk).update(status=RegisterEntry.Status.SUSPENDED)
    application.entry.refresh_from_db()

    conduct = items(offer(application, employer))[Item.CONDUCT]

    assert conduct.state == State.TO_DO
    assert "suspended on the register" in conduct.register_summary


# Recording -----------------------------------------------------------------------------------


def test_recording_an_item_moves_the_offer_on_to_checks_and_is_audited(
    application, employer, django_capture_on_commit_callbacks
):
    checklist = offer(application, employer)
    mail.outbox.clear()
    history = items(checklist)[Item.EMPLOYMENT_HISTORY]

    with django_capture_on_commit_callbacks(execute=True):
        check_record(
            check=history,
            actor=employer,
            record=done(on=timezone.localdate() - timedelta(days=1)),
        )

    history.refresh_from_db()
    assert (history.state, history.checked_by_name) == (State.DONE, "Emma Employer")
    assert history.checked_on == timezone.localdate() - timedelta(days=1)
    assert history.updated_by == employer
    application.refresh_from_db()
    assert application.stage == Stage.CHECKS
    event = AuditEvent.objects.get(action="jobs.checks.recorded")
    assert (event.old_status, event.new_status) == ("to_do", "done")
    assert event.data["item"] == "employment_history"
    assert AuditEvent.objects.filter(action="jobs.application.checks").exists()
    assert [message.subject for message in mail.outbox] == [
        "[Care Register] Your application for Care assistant: checks"
    ]


def test_a_request_newly_waiting_on_the_candidate_is_emailed_to_them(
    application, employer, django_capture_on_commit_callbacks
):
    checklist = offer(application, employer)
    conduct = items(checklist)[Item.CONDUCT]
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        check_record(
            check=conduct,
            actor=employer,
            record=CheckRecord(
                state=State.TO_DO,
                waiting_on="candidate",
                request_to_candidate="Send us your last manager's email address.",
            ),
        )

    to_candidate = [m for m in mail.outbox if "needs something from you" in m.subject]
    assert len(to_candidate) == 1
    assert "Send us your last manager's email address." in to_candidate[0].body
    assert f"/my-applications/{application.reference}/checks/" in to_candidate[0].body


@pytest.mark.parametrize(
    "record, field",
    [
        (CheckRecord(state="maybe"), "state"),
        (CheckRecord(state=State.TO_DO), "waiting_on"),
        (CheckRecord(state=State.TO_DO, waiting_on="third_party"), "third_party"),
        (CheckRecord(state=State.DONE, checked_on=datetime.date(2026, 1, 5)), "checked_by_name"),
        (CheckRecord(state=State.DONE, checked_by_name="Emma"), "checked_on"),
        (CheckRecord(state=State.NOT_NEEDED), "not_needed_reason"),
        (
            CheckRecord(
                state=State.DONE,
                checked_by_name="Emma",
                checked_on=timezone.localdate() + timedelta(days=1),
            ),
            "checked_on",
        ),
    ],
)
def test_it_refuses_a_record_that_does_not_fit_and_changes_nothing(
    application, employer, record, field
):
    history = items(offer(application, employer))[Item.EMPLOYMENT_HISTORY]
    events = AuditEvent.objects.count()

    with pytest.raises(CheckInvalid) as refused:
        check_record(check=history, actor=employer, record=record)

    assert field in refused.value.problems
    history.refresh_from_db()
    assert history.state == State.TO_DO
    assert AuditEvent.objects.count() == events


def test_only_members_of_the_employer_may_record_a_check(application, employer):
    history = items(offer(application, employer))[Item.EMPLOYMENT_HISTORY]
    someone_else = MembershipFactory(organisation=OrganisationFactory()).user

    for person in (someone_else, application.applicant):
        with pytest.raises(PermissionDenied):
            check_record(check=history, actor=person, record=done())


def test_checks_of_an_application_that_ended_are_closed(application, employer):
    history = items(offer(application, employer))[Item.EMPLOYMENT_HISTORY]
    application_move(
        application=application, to=Stage.NOT_PROGRESSED, actor=employer, message="Sorry."
    )

    with pytest.raises(ChecksError, match="These checks are closed"):
        check_record(check=history, actor=employer, record=done())


# Hiring --------------------------------------------------------------------------------------


def test_a_hire_is_refused_while_any_check_is_unfinished(application, employer):
    offer(application, employer)

    with pytest.raises(ChecksNotFinished) as refused:
        checklist_hire(application=application, actor=employer)

    assert "4 still to do" in str(refused.value)
    assert "health declaration" in str(refused.value)
    application.refresh_from_db()
    assert application.stage == Stage.OFFER
    assert not AuditEvent.objects.filter(action="jobs.application.hired").exists()


def test_the_stage_move_itself_refuses_a_hire_with_unfinished_checks(application, employer):
    checklist = offer(application, employer)
    check_record(check=items(checklist)[Item.HEALTH], actor=employer, record=done())

    with pytest.raises(ChecksNotFinished):
        application_move(application=application, to=Stage.HIRED, actor=employer)


def test_a_check_recorded_as_not_needed_with_a_reason_counts_as_finished(application, employer):
    checklist = offer(application, employer)
    check_record(
        check=items(checklist)[Item.HEALTH],
        actor=employer,
        record=CheckRecord(state=State.NOT_NEEDED, not_needed_reason="Office role only."),
    )
    finish_the_rest(checklist, employer)

    checklist_hire(application=application, actor=employer)

    application.refresh_from_db()
    assert application.stage == Stage.HIRED


def test_a_hire_puts_the_worker_on_the_staff_list_with_the_shares_consent(
    application, employer, employer_organisation, entry
):
    checklist = offer(application, employer)
    finish_the_rest(checklist, employer)

    checklist_hire(application=application, actor=employer)

    checklist.refresh_from_db()
    membership = StaffMembership.objects.get(organisation=employer_organisation, entry=entry)
    assert membership.status == StaffMembership.Status.ACTIVE
    assert checklist.staff_membership == membership
    assert checklist.staff_list_outcome == "added"
    assert checklist.consent_check == membership.consent_check
    consent = membership.consent_check
    assert (consent.share_code, consent.outcome, consent.user) == (
        application.share,
        ShareCodeCheck.Outcome.ACCEPTED,
        employer,
    )
    assert consent.pre_employment_checklist == checklist
    carried = AuditEvent.objects.get(action="jobs.checks.consent_carried_over")
    assert carried.data["application"] == application.reference
    assert AuditEvent.objects.filter(action="employers.staff.added").exists()
    hired = AuditEvent.objects.get(action="jobs.checks.hired")
    assert hired.new_status == "added"
    assert hired.data["staff_membership_id"] == membership.pk


def test_someone_not_on_the_register_is_hired_without_a_staff_list_entry(vacancy, employer):
    application = JobApplicationFactory(vacancy=vacancy, applicant__full_name="Nina New")
    checklist = offer(application, employer)
    finish_the_rest(checklist, employer)

    checklist_hire(application=application, actor=employer)

    checklist.refresh_from_db()
    assert checklist.staff_list_outcome == "not_on_register"
    assert "Nina New is not on the register" in checklist.staff_list_note
    assert not StaffMembership.objects.exists()
    assert not ShareCodeCheck.objects.exists()
    assert Application.objects.get(pk=application.pk).stage == Stage.HIRED


def test_a_revoked_share_hires_without_a_staff_list_entry(application, employer):
    checklist = offer(application, employer)
    finish_the_rest(checklist, employer)
    application.share.revoked_at = timezone.now()
    application.share.save()

    checklist_hire(application=application, actor=employer)

    checklist.refresh_from_db()
    assert checklist.staff_list_outcome == "share_ended"
    assert "stopped sharing their record" in checklist.staff_list_note
    assert not StaffMembership.objects.exists()


def test_a_worker_already_on_the_staff_list_stays_there_once(
    application, employer, employer_organisation, entry
):
    checklist = offer(application, employer)
    finish_the_rest(checklist, employer)
    first = ShareCodeCheck.objects.create(
        share_code=application.share,
        organisation=employer_organisation,
        user=employer,
        outcome=ShareCodeCheck.Outcome.ACCEPTED,
    )
    StaffMembership.objects.create(
        organisation=employer_organisation, entry=entry, consent_check=first, added_by=employer
    )

    checklist_hire(application=application, actor=employer)

    checklist.refresh_from_db()
    assert checklist.staff_list_outcome == "already_listed"
    assert StaffMembership.objects.count() == 1


def test_a_worker_removed_from_the_register_is_hired_but_not_listed_and_no_consent_is_kept(
    application, employer, entry
):
    checklist = offer(application, employer)
    finish_the_rest(checklist, employer)
    RegisterEntry.objects.filter(pk=entry.pk).update(status=RegisterEntry.Status.REMOVED)

    checklist_hire(application=application, actor=employer)

    checklist.refresh_from_db()
    assert checklist.staff_list_outcome == "not_added"
    assert "no longer on the register" in checklist.staff_list_note
    assert checklist.consent_check is None
    assert not ShareCodeCheck.objects.exists()
    assert Application.objects.get(pk=application.pk).stage == Stage.HIRED


def test_only_a_member_of_the_employer_may_hire(application, employer):
    checklist = offer(application, employer)
    finish_the_rest(checklist, employer)

    with pytest.raises(PermissionDenied):
        checklist_hire(application=application, actor=UserFactory())


def test_a_hired_application_cannot_be_hired_again(application, employer):
    checklist = offer(application, employer)
    finish_the_rest(checklist, employer)
    checklist_hire(application=application, actor=employer)

    with pytest.raises(ApplicationStageError):
        checklist_hire(application=application, actor=employer)
