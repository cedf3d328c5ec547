"""The code of conduct's services: the first version, publishing the next, accepting it, who
must accept it, and the tick that accepts it when applying and renewing."""

import pytest
from django.core.exceptions import PermissionDenied

from core.models import AuditEvent
from register.models import Application, CodeAcceptance, CodeOfConduct, RegisterEntry, Renewal
from register.services import applications, conduct, renewals
from tests.factories import ApplicationFactory, RegisterEntryFactory
from tests.register.test_renewals import NO_TO_EVERYTHING, entry_due_in, log_cpd

How = CodeAcceptance.How
pytestmark = pytest.mark.django_db

PRINCIPLES = [
    {"heading": "Be accountable", "statements": ["You will answer for what you do."]},
    {"heading": "Keep learning", "statements": ["You will keep your training up to date."]},
]


def publish(by, **changes):
    """Publish the next version of the code through the service, as the page does."""
    details = {
        "title": "Code of conduct for adult social care workers",
        "summary": "Principle 1 now says what to do when something goes wrong.",
        "principles": PRINCIPLES,
        **changes,
    }
    return conduct.code_publish(by=by, **details)


# --- The first version ---------------------------------------------------------------------------


def test_the_first_version_is_present_and_current():
    current = conduct.code_current()

    assert current.version == 1
    assert current.published_by is None
    assert [principle["heading"] for principle in current.principles] == [
        "Be accountable for what you do",
        "Protect people's privacy, dignity, rights, health and wellbeing",
        "Work well with your colleagues",
        "Communicate openly and clearly",
        "Keep people's information private",
        "Keep learning and improving",
        "Treat everyone fairly",
    ]


def test_each_principle_of_the_first_version_says_what_a_care_worker_will_do():
    for principle in conduct.code_current().principles:
        assert 3 <= len(principle["statements"]) <= 5, principle["heading"]
        for statement in principle["statements"]:
            assert statement.startswith("You will "), statement
            assert statement.endswith("."), statement


# --- Publishing ----------------------------------------------------------------------------------


def test_publishing_makes_the_next_version_current_and_is_audited(association_admin):
    code = publish(association_admin)

    assert code.version == 2
    assert conduct.code_current() == code
    assert code.published_by == association_admin
    assert code.principles == PRINCIPLES
    event = AuditEvent.objects.get(action="register.code.published")
    assert event.actor_id == association_admin.pk
    assert event.target_id == str(code.pk)
    assert event.data == {
        "version": 2,
        "title": "Code of conduct for adult social care workers",
        "principles": 2,
    }


def test_a_registrar_may_publish_a_version_too(registrar):
    assert publish(registrar).version == 2


def test_versions_follow_one_another(association_admin):
    publish(association_admin)
    third = publish(association_admin, principles=PRINCIPLES[:1])

    assert third.version == 3
    assert list(CodeOfConduct.objects.values_list("version", flat=True)) == [3, 2, 1]


@pytest.mark.parametrize(
    "persona", ["worker", "employer", "provider", "outsider", "registrar_without_mfa"]
)
def test_only_an_association_or_a_registrar_may_publish(request, persona):
    with pytest.raises(PermissionDenied):
        publish(request.getfixturevalue(persona))

    assert conduct.code_current().version == 1


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"title": "  "}, "Enter a title for the code."),
        ({"summary": ""}, "Say what has changed"),
        ({"principles": []}, "Write at least one principle."),
        (
            {"principles": [{"heading": "", "statements": ["You will."]}]},
            "Principle 1 has no heading.",
        ),
        (
            {"principles": [*PRINCIPLES, {"heading": "Be kind", "statements": ["  "]}]},
            'Principle 3, "Be kind", has no statements.',
        ),
        (
            {"principles": [{"heading": "Be kind", "statements": ["You will " + "x" * 600]}]},
            "longer than 600 characters",
        ),
        (
            {"principles": [{"heading": "x", "statements": ["You will."]}] * 21},
            "at most 20 principles",
        ),
    ],
)
def test_publishing_refuses_a_version_that_is_not_complete(association_admin, changes, message):
    with pytest.raises(conduct.CodeOfConductError, match=message):
        publish(association_admin, **changes)

    assert conduct.code_current().version == 1
    assert not AuditEvent.objects.filter(action="register.code.published").exists()


def test_publishing_the_same_code_again_is_refused(association_admin):
    publish(association_admin)

    with pytest.raises(conduct.CodeOfConductError, match="the same code as version 2"):
        publish(association_admin, summary="Nothing, really.")

    assert conduct.code_current().version == 2


def test_a_version_published_meanwhile_refuses_the_page_that_did_not_see_it(association_admin):
    publish(association_admin, expected_version=2)

    with pytest.raises(conduct.CodeOfConductError, match="Version 2 was published while"):
        publish(association_admin, principles=PRINCIPLES[:1], expected_version=2)

    assert conduct.code_current().version == 2


def test_publishing_emails_everyone_on_the_register_from_one_task(
    association_admin, django_capture_on_commit_callbacks, mailoutbox
):
    registered = RegisterEntryFactory(application__worker__email="rae@example.org")
    RegisterEntryFactory(
        application__worker__email="lee@example.org", status=RegisterEntry.Status.LAPSED
    )
    RegisterEntryFactory(
        application__worker__email="removed@example.org", status=RegisterEntry.Status.REMOVED
    )
    ApplicationFactory(worker__email="applicant@example.org", status=Application.Status.SUBMITTED)

    with django_capture_on_commit_callbacks() as queued:
        code = publish(association_admin)
    # The request queues one task, whatever the size of the register.
    assert len(queued) == 1
    with django_capture_on_commit_callbacks(execute=True):
        queued[0]()

    assert sorted(message.to[0] for message in mailoutbox) == [
        "lee@example.org",
        "rae@example.org",
    ]
    message = next(message for message in mailoutbox if message.to == ["rae@example.org"])
    assert message.subject == "[Care Register] A new version of the code of conduct"
    assert f"Dear {registered.full_name}," in message.body
    assert "version 2 of the code of conduct" in message.body
    assert "Principle 1 now says what to do when something goes wrong." in message.body
    assert "http://testserver/code-of-conduct/" in message.body
    assert code.version == 2


def test_no_email_goes_out_for_a_version_already_replaced(association_admin, mailoutbox):
    RegisterEntryFactory()
    second = publish(association_admin)
    publish(association_admin, principles=PRINCIPLES[:1])

    assert conduct.code_published_emails_send(code_id=second.pk) == 0
    assert mailoutbox == []


# --- Accepting -----------------------------------------------------------------------------------


def test_accepting_records_who_accepted_which_version_when_and_how(worker):
    code = conduct.code_current()

    acceptance = conduct.code_accept(user=worker, code=code, how=How.SIGN_IN)

    assert (acceptance.user, acceptance.code, acceptance.how) == (worker, code, How.SIGN_IN)
    assert acceptance.accepted_at is not None
    event = AuditEvent.objects.get(action="register.code.accepted")
    assert event.actor_id == worker.pk
    assert event.data == {"version": 1, "how": "sign_in", "user_id": worker.pk}


def test_accepting_again_changes_nothing(worker):
    code = conduct.code_current()
    first = conduct.code_accept(user=worker, code=code, how=How.APPLICATION)

    again = conduct.code_accept(user=worker, code=code, how=How.RENEWAL)

    assert again == first
    assert again.how == How.APPLICATION
    assert CodeAcceptance.objects.filter(user=worker).count() == 1
    assert AuditEvent.objects.filter(action="register.code.accepted").count() == 1


def test_a_replaced_version_cannot_be_accepted(worker, association_admin):
    first = conduct.code_current()
    publish(association_admin)

    with pytest.raises(conduct.CodeOfConductError) as refused:
        conduct.code_accept(user=worker, code=first, how=How.SIGN_IN)

    assert str(refused.value) == (
        "Version 1 of the code of conduct has been replaced by version 2. Read version 2 and "
        "accept that."
    )
    assert not CodeAcceptance.objects.filter(user=worker).exists()


# --- Who must accept -----------------------------------------------------------------------------


def test_a_registrant_who_accepted_the_current_version_has_nothing_due(entry):
    assert conduct.code_acceptance_due(entry.worker) is None


def test_a_new_version_is_due_from_everyone_on_the_register(entry, association_admin):
    code = publish(association_admin)

    assert conduct.code_acceptance_due(entry.worker) == code


@pytest.mark.parametrize(
    "status",
    [
        RegisterEntry.Status.REGISTERED_WITH_CONDITIONS,
        RegisterEntry.Status.SUSPENDED,
        RegisterEntry.Status.LAPSED,
    ],
)
def test_a_new_version_is_due_whatever_the_entry_status_short_of_removal(association_admin, status):
    entry = RegisterEntryFactory(status=status)
    publish(association_admin)

    assert conduct.code_acceptance_due(entry.worker).version == 2


def test_nothing_is_due_from_someone_removed_from_the_register(association_admin):
    entry = RegisterEntryFactory(status=RegisterEntry.Status.REMOVED)
    publish(association_admin)

    assert conduct.code_acceptance_due(entry.worker) is None


@pytest.mark.parametrize(
    "status",
    [
        Application.Status.SUBMITTED,
        Application.Status.INFORMATION_REQUESTED,
        Application.Status.AWAITING_SECOND_APPROVAL,
    ],
)
def test_a_new_version_is_due_from_an_applicant_waiting_for_a_decision(association_admin, status):
    application = ApplicationFactory(status=status)
    publish(association_admin)

    assert conduct.code_acceptance_due(application.worker).version == 2


@pytest.mark.parametrize(
    "status",
    [Application.Status.DRAFT, Application.Status.REJECTED, Application.Status.WITHDRAWN],
)
def test_nothing_is_due_from_an_applicant_who_has_not_sent_or_whose_application_ended(
    association_admin, status
):
    application = ApplicationFactory(status=status)
    publish(association_admin)

    assert conduct.code_acceptance_due(application.worker) is None


def test_nothing_is_due_from_someone_with_no_entry_or_application(worker, employer):
    assert conduct.code_acceptance_due(worker) is None
    assert conduct.code_acceptance_due(employer) is None


def test_a_registrant_who_never_accepted_has_the_current_version_due(db):
    entry = RegisterEntryFactory(code_of_conduct=False, application__code_of_conduct=False)

    assert conduct.code_acceptance_due(entry.worker).version == 1


# --- Accepting when applying ---------------------------------------------------------------------


def test_sending_an_application_accepts_the_code_in_the_same_step(application):
    code = conduct.code_current()

    applications.application_submit(application=application, worker=application.worker, code=code)

    acceptance = CodeAcceptance.objects.get(user=application.worker)
    assert (acceptance.code, acceptance.how) == (code, How.APPLICATION)
    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED


def test_an_application_without_the_tick_is_refused_and_nothing_changes(application):
    with pytest.raises(applications.ApplicationStateError) as refused:
        applications.application_submit(
            application=application, worker=application.worker, code=None
        )

    assert str(refused.value) == (
        "Tick the box to say you have read the code of conduct (version 1) and will keep to it."
    )
    assert refused.value.field == "accepts_code"
    application.refresh_from_db()
    assert application.status == Application.Status.DRAFT
    assert application.submitted_at is None
    assert not CodeAcceptance.objects.exists()
    assert not AuditEvent.objects.filter(action="register.application.submitted").exists()


def test_an_application_that_accepted_a_replaced_version_is_refused(application, association_admin):
    first = conduct.code_current()
    publish(association_admin)

    with pytest.raises(conduct.CodeOfConductError, match="replaced by version 2"):
        applications.application_submit(
            application=application, worker=application.worker, code=first
        )

    application.refresh_from_db()
    assert application.status == Application.Status.DRAFT
    assert not CodeAcceptance.objects.filter(user=application.worker).exists()


# --- Accepting when renewing ---------------------------------------------------------------------


@pytest.fixture
def due_for_renewal(worker):
    entry = entry_due_in(30, application__worker=worker)
    log_cpd(entry)
    return entry


def test_a_renewal_asks_for_a_version_not_yet_accepted_and_changes_nothing_without_it(
    due_for_renewal, association_admin
):
    publish(association_admin)

    with pytest.raises(renewals.RenewalError) as refused:
        renewals.renewal_submit(
            entry=due_for_renewal, worker=due_for_renewal.worker, **NO_TO_EVERYTHING
        )

    assert str(refused.value) == (
        "Tick the box to say you have read the code of conduct (version 2) and will keep to it."
    )
    assert refused.value.field == "accepts_code"
    assert not Renewal.objects.exists()


def test_a_renewal_with_the_tick_records_the_acceptance_with_the_renewal(
    due_for_renewal, association_admin
):
    code = publish(association_admin)

    renewal = renewals.renewal_submit(
        entry=due_for_renewal, worker=due_for_renewal.worker, code=code, **NO_TO_EVERYTHING
    )

    assert renewal.status == Renewal.Status.RENEWED
    acceptance = CodeAcceptance.objects.get(user=due_for_renewal.worker, code=code)
    assert acceptance.how == How.RENEWAL


def test_a_renewal_needs_no_tick_when_the_current_version_is_accepted(due_for_renewal):
    renewal = renewals.renewal_submit(
        entry=due_for_renewal, worker=due_for_renewal.worker, **NO_TO_EVERYTHING
    )

    assert renewal.status == Renewal.Status.RENEWED
