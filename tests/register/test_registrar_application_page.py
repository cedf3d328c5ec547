"""The registrar's application page (issue 18, item 14): one form for each type of check with
only its own fields, the way back to the check just recorded, why Approve is not yet possible,
and a queue that links each applicant by name."""

import re
from datetime import date, timedelta

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.urls import reverse
from django.utils import timezone

from core.models import AuditEvent
from register.models import Application, IdentityCheck
from register.services import applications
from tests.dates import typed_date
from tests.factories import UserFactory
from tests.register.test_applications import record_all_checks
from tests.register.test_four_eyes import record_failed_dbs_check

TODAY = timezone.localdate

# What a registrar types into each type's form, and what each field holds once recorded.
CHECKS = {
    "photo_id": {
        "document_type": "passport",
        "document_number": "925665416",
        "document_expires_on": TODAY() + timedelta(days=400),
    },
    "dbs": {
        "certificate_number": "001234567890",
        "certificate_issued_on": TODAY() - timedelta(days=100),
    },
    "right_to_work": {"right_to_work_route": "british_or_irish"},
    "reference": {"referee_name": "Sam Manager", "referee_relationship": "Line manager"},
}
TYPE_FIELDS = {
    "photo_id": {"document_type", "document_number", "document_expires_on"},
    "dbs": {
        "certificate_number",
        "certificate_issued_on",
        "update_service_checked_on",
        "update_service_result",
    },
    "right_to_work": {"right_to_work_route"},
    "reference": {"referee_name", "referee_relationship"},
}
# Something for every field of every type: what a form must ignore when it is not its own.
EVERY_FIELD = {
    "document_type": "national_id",
    "document_number": "SMUGGLED1",
    "document_expires_on": TODAY() + timedelta(days=10),
    "certificate_number": "SMUGGLED2",
    "certificate_issued_on": TODAY() - timedelta(days=10),
    "update_service_checked_on": TODAY() - timedelta(days=5),
    "update_service_result": "no_change",
    "right_to_work_route": "share_code",
    "referee_name": "Smuggled Referee",
    "referee_relationship": "Smuggled",
}
EMPTY = {
    "document_type": "",
    "document_number": "",
    "document_expires_on": None,
    "certificate_number": "",
    "certificate_issued_on": None,
    "update_service_checked_on": None,
    "update_service_result": "",
    "right_to_work_route": "",
    "referee_name": "",
    "referee_relationship": "",
}


def _page(application) -> str:
    return reverse("register:registrar-application", args=[application.pk])


def _typed(data: dict) -> dict:
    """The form data a registrar's typing sends: each date in its day, month and year boxes."""
    sent = {}
    for name, value in data.items():
        sent.update(typed_date(name, value) if isinstance(value, date) else {name: value})
    return sent


def _record(client, application, check_type, data, outcome="passed"):
    return client.post(
        _page(application),
        {"action": "record_check", "check_type": check_type, "outcome": outcome, **_typed(data)},
    )


def _form_of(page: str, check_type: str) -> str:
    """The HTML of one type's <details>, form and all."""
    start = page.index(f'id="record-{check_type}"')
    return page[start : page.index("</details>", start)]


def _field_names(html: str) -> set[str]:
    # A date's boxes are <name>_0, _1 and _2: one field.
    return set(re.findall(r'name="([a-z_]+?)(?:_[0-3])?"', html)) - {
        "csrfmiddlewaretoken",
        "action",
        "check_type",
        "outcome",
        "evidence_reference",
        "evidence_file",
        "notes",
    }


# --- One form for each type of check ----------------------------------------------------------


@pytest.mark.django_db
def test_each_type_of_check_has_a_form_with_only_its_own_fields(registrar_client, submitted):
    page = registrar_client.get(_page(submitted)).content.decode()

    for check_type, fields in TYPE_FIELDS.items():
        form = _form_of(page, check_type)
        assert _field_names(form) == fields, check_type
        assert f'name="check_type" value="{check_type}"' in form
        assert 'name="outcome"' in form
        # Closed until the registrar chooses it: the page shows four titles, not 14 fields.
        assert f'id="record-{check_type}" open' not in page


@pytest.mark.django_db
@pytest.mark.parametrize("check_type", list(CHECKS))
def test_each_type_of_check_is_recorded_from_its_own_form(
    registrar_client, registrar, submitted, check_type
):
    response = _record(registrar_client, submitted, check_type, CHECKS[check_type])

    check = IdentityCheck.objects.get()
    assert response.status_code == 302
    assert (check.check_type, check.outcome, check.checked_by) == (check_type, "passed", registrar)
    for name, value in CHECKS[check_type].items():
        assert (
            getattr(check, name) == value
            if isinstance(value, date)
            else str(getattr(check, name)) == value
        )
    event = AuditEvent.objects.get(action="register.identity_check.recorded")
    assert event.data["check_id"] == check.pk


@pytest.mark.django_db
@pytest.mark.parametrize("check_type", list(CHECKS))
def test_fields_of_another_type_of_check_are_ignored(registrar_client, submitted, check_type):
    sent = {**EVERY_FIELD, **CHECKS[check_type]}

    response = _record(registrar_client, submitted, check_type, sent)

    assert response.status_code == 302
    check = IdentityCheck.objects.get()
    for name, empty in EMPTY.items():
        if name not in TYPE_FIELDS[check_type]:
            assert getattr(check, name) == empty, name


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("check_type", "messages"),
    [
        (
            "photo_id",
            [
                "Select the type of document",
                "Enter the document number",
                "Enter the document&#x27;s expiry date",
            ],
        ),
        (
            "dbs",
            ["Enter the DBS certificate number", "Enter the certificate&#x27;s issue date"],
        ),
        ("right_to_work", ["Select how the right to work was checked"]),
        (
            "reference",
            ["Enter the referee&#x27;s name", "Enter how the referee knows the worker"],
        ),
    ],
)
def test_an_empty_form_says_what_its_type_needs_and_records_nothing(
    registrar_client, submitted, check_type, messages
):
    response = _record(registrar_client, submitted, check_type, {}, outcome="")

    page = response.content.decode()
    assert response.status_code == 400
    for message in [*messages, "Select the outcome of the check"]:
        assert message in page
    # The form that was sent is open, with its errors; the others stay closed.
    assert f'id="record-{check_type}" open' in page
    assert page.count('<details class="check-type"') == 4
    assert len(re.findall(r'id="record-[a-z_]+" open', page)) == 1
    assert page.startswith("<!DOCTYPE html>") and "<title>Error: " in page
    assert not IdentityCheck.objects.exists()
    assert not AuditEvent.objects.filter(action="register.identity_check.recorded").exists()


@pytest.mark.django_db
def test_a_rule_of_the_check_is_shown_in_its_form_and_records_nothing(registrar_client, submitted):
    expired = {**CHECKS["photo_id"], "document_expires_on": (TODAY() - timedelta(days=1))}

    response = _record(registrar_client, submitted, "photo_id", expired)

    page = response.content.decode()
    assert response.status_code == 400
    assert "An expired document cannot pass the identity check." in _form_of(page, "photo_id")
    assert 'value="925665416"' in _form_of(page, "photo_id")  # what was typed is kept
    assert not IdentityCheck.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("check_type", ["", "address", "photo_id "])
def test_a_check_of_no_known_type_is_refused(registrar_client, submitted, check_type):
    response = _record(registrar_client, submitted, check_type, EVERY_FIELD)

    assert response.status_code == 400
    assert "Choose the type of check." in response.content.decode()
    assert not IdentityCheck.objects.exists()


# --- Back to the check just recorded ------------------------------------------------------------


@pytest.mark.django_db
def test_recording_a_check_returns_to_it_with_the_message_beside_it(registrar_client, submitted):
    response = _record(registrar_client, submitted, "reference", CHECKS["reference"])

    check = IdentityCheck.objects.get()
    assert response["Location"] == f"{_page(submitted)}#check-{check.pk}"
    page = registrar_client.get(_page(submitted)).content.decode()
    row = page[page.index(f'<tr id="check-{check.pk}">') :]
    row = row[: row.index("</tbody>")]
    assert "Check recorded: Reference, passed." in row
    assert "Sam Manager" in row
    # Said once: a second visit shows the check without the message.
    assert "Check recorded" not in registrar_client.get(_page(submitted)).content.decode()


@pytest.mark.django_db
def test_resolving_a_check_returns_to_it(registrar_client, registrar, submitted):
    check = record_failed_dbs_check(submitted, registrar)

    response = registrar_client.post(
        _page(submitted),
        {"action": "resolve_check", "check": check.pk, f"resolve-{check.pk}-reason": "Error."},
    )

    assert response["Location"] == f"{_page(submitted)}#check-{check.pk}"
    page = registrar_client.get(_page(submitted)).content.decode()
    assert "The check is resolved." in page[page.index(f'id="check-{check.pk}"') :]


# --- Why Approve is not yet possible ----------------------------------------------------------


def _approve_button(page: str) -> str:
    start = page.index('value="approve"')
    return page[page.index("<button", start) : page.index("</button>", start)]


@pytest.mark.django_db
def test_approve_is_disabled_with_the_reasons_until_the_checks_allow_it(
    registrar_client, registrar, submitted
):
    _record(registrar_client, submitted, "reference", CHECKS["reference"])

    page = registrar_client.get(_page(submitted)).content.decode()

    assert "disabled" in _approve_button(page)
    assert 'aria-describedby="approval-blockers"' in _approve_button(page)
    blockers = page[page.index('id="approval-blockers"') :]
    assert "You cannot approve this application yet" in blockers
    for reason in (
        "Needs a photo identity document check that passed.",
        "Needs an enhanced DBS check that passed.",
        "Needs a right to work check that passed.",
        "Needs 2 references that passed: 1 so far.",
    ):
        assert reason in blockers

    record_all_checks(submitted, registrar, references=1)
    page = registrar_client.get(_page(submitted)).content.decode()
    assert "disabled" not in _approve_button(page)
    assert "approval-blockers" not in page


@pytest.mark.django_db
def test_the_server_refuses_an_approval_the_page_showed_as_not_yet_possible(
    registrar_client, submitted
):
    response = registrar_client.post(
        _page(submitted),
        {"action": "approve", "reviewed": applications.application_review_state(submitted)},
    )

    assert response.status_code == 400
    assert "cannot be approved yet" in response.content.decode()
    assert Application.objects.get(pk=submitted.pk).status == Application.Status.SUBMITTED


@pytest.mark.django_db
def test_the_first_approver_is_told_a_different_registrar_must_confirm(
    settings, client, registrar, submitted
):
    settings.FOUR_EYES_APPROVAL = True
    record_all_checks(submitted, registrar)
    applications.application_approve(application=submitted, registrar=registrar)
    client.force_login(registrar)

    page = client.get(_page(submitted)).content.decode()

    assert "disabled" in _approve_button(page)
    assert "You gave the first approval. A different registrar must confirm it." in page


# --- application_approval_blockers, the rules the page shows --------------------------------


@pytest.mark.django_db
def test_no_blockers_once_every_check_has_passed(submitted, registrar):
    record_all_checks(submitted, registrar)

    assert (
        applications.application_approval_blockers(application=submitted, registrar=registrar) == []
    )


@pytest.mark.django_db
def test_an_unresolved_failed_check_is_a_blocker(submitted, registrar):
    record_all_checks(submitted, registrar)
    record_failed_dbs_check(submitted, registrar)

    (blocker,) = applications.application_approval_blockers(
        application=submitted, registrar=registrar
    )

    assert blocker.startswith('Needs the failed check "Enhanced DBS certificate')
    assert blocker.endswith("resolved, with a reason.")


@pytest.mark.django_db
def test_a_registrar_who_recorded_checks_is_told_they_cannot_give_the_second_approval(
    settings, submitted, registrar
):
    settings.FOUR_EYES_APPROVAL = True
    record_all_checks(submitted, registrar)
    first = UserFactory(is_registrar=True, is_staff=True)
    TOTP.activate(first, generate_totp_secret())
    applications.application_approve(application=submitted, registrar=first)
    submitted.refresh_from_db()

    assert applications.application_approval_blockers(
        application=submitted, registrar=registrar
    ) == [
        "You recorded or resolved a check on this application. A registrar who recorded none "
        "of its checks must give the second approval."
    ]


@pytest.mark.django_db
def test_an_application_not_waiting_for_a_decision_cannot_be_approved(application, registrar):
    (blocker,) = applications.application_approval_blockers(
        application=application, registrar=registrar
    )

    assert blocker == (
        "Only an application waiting for a decision can be approved; this one's status is draft."
    )


# --- The queue ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_queue_links_each_application_by_the_applicant_s_name(registrar_client, submitted):
    page = registrar_client.get(reverse("register:registrar-queue")).content.decode()

    link = re.search(rf'<a href="{_page(submitted)}">(.*?)</a>', page).group(1)
    assert link == (
        f'Wendy Worker<span class="visually-hidden">, application {submitted.reference}</span>'
    )
    # The reference the applicant was given, never the row's number.
    assert f'<td data-label="Reference">{submitted.reference}</td>' in page


# --- Who may use the page -----------------------------------------------------------------------

PERSONAS = ["anonymous", "worker", "employer", "registrar_without_mfa", "registrar"]
# status per persona, in PERSONAS order; the worker is the applicant herself.
ACCESS = {
    "queue": [302, 403, 403, 302, 200],
    "application": [302, 404, 404, 302, 200],
    "record_check": [302, 404, 404, 302, 302],
}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("what", "persona", "expected"),
    [
        (what, persona, codes[i])
        for what, codes in ACCESS.items()
        for i, persona in enumerate(PERSONAS)
    ],
)
def test_access_table(client, request, submitted, what, persona, expected):
    if persona != "anonymous":
        client.force_login(request.getfixturevalue(persona))

    if what == "queue":
        response = client.get(reverse("register:registrar-queue"))
    elif what == "application":
        response = client.get(_page(submitted))
    else:
        response = _record(client, submitted, "reference", CHECKS["reference"])

    assert response.status_code == expected
    if what == "record_check":
        assert IdentityCheck.objects.exists() == (persona == "registrar")
