"""The application, registrar and worker pages, driven through the test client."""

from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from register.models import Application, IdentityCheck, NameChangeRequest, RegisterEntry
from register.services import applications
from tests.dates import typed_date
from tests.factories import (
    ApplicationFactory,
    PathwayRoleFactory,
    RegisterEntryFactory,
    code_of_conduct_current,
)
from tests.register.test_applications import record_all_checks


@pytest.fixture
def role(db):
    return PathwayRoleFactory()


@pytest.mark.django_db
def test_a_worker_applies_page_by_page_and_submits(
    client, worker, role, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(worker)
    assert client.post(reverse("register:apply-start")).status_code == 302

    steps = {
        "about-you": {
            "legal_name": "Wendy Ann Worker",
            "previous_names": "Wendy Smith",
            **typed_date("date_of_birth", date(1990, 5, 17)),
        },
        "contact": {
            "phone": "07700 900123",
            "address_line_1": "1 High St",
            "town": "Leeds",
            "postcode": "ls14ap",
        },
        "work": {"pathway_role": role.pk, "employer": ""},
        "referees": {
            "referee-1-name": "Sam Manager",
            "referee-1-email": "sam.manager@example.net",
            "referee-1-relationship": "My manager at Sunrise Care Homes",
            "referee-1-known_for": "4 years",
            "referee-2-name": "Pat Tutor",
            "referee-2-email": "Pat.Tutor@example.net",
            "referee-2-relationship": "My college tutor",
            "referee-2-known_for": "2 years",
        },
        "declarations": {
            "has_criminal_record": "False",
            "has_health_condition": "False",
            "has_fitness_to_practise_history": "False",
            "declares_truth": "on",
            "consents_to_publication": "on",
        },
    }
    slugs = list(steps)
    for index, (step, data) in enumerate(steps.items()):
        response = client.post(reverse("register:apply-step", args=[step]), data)
        assert response.status_code == 302, response.content.decode()[:2000]
        following = slugs[index + 1] if index + 1 < len(slugs) else None
        expected = (
            reverse("register:apply-step", args=[following])
            if following
            else reverse("register:apply-check")
        )
        assert response.url == expected

    application = Application.objects.get(worker=worker)
    assert application.postcode == "LS1 4AP"
    assert [(referee.name, referee.email) for referee in application.referees.all()] == [
        ("Sam Manager", "sam.manager@example.net"),
        ("Pat Tutor", "pat.tutor@example.net"),
    ]
    check_page = client.get(reverse("register:apply-check")).content.decode()
    assert "Sam Manager" in check_page and "My college tutor, for 2 years" in check_page
    assert reverse("register:apply-referees") + "?from=check" in check_page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("register:apply-check"),
            {"accepts_code": "on", "code_version": code_of_conduct_current().version},
        )

    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED
    assert mailoutbox[-1].to == [worker.email]
    assert f"Your application reference is {application.reference}." in mailoutbox[-1].body
    submitted = client.get(reverse("register:apply-submitted")).content.decode()
    assert application.reference in submitted


@pytest.mark.django_db
def test_going_back_shows_the_saved_answers(client, worker):
    client.force_login(worker)
    client.post(reverse("register:apply-start"))
    client.post(
        reverse("register:apply-step", args=["contact"]),
        {
            "phone": "07700 900123",
            "address_line_1": "1 High St",
            "town": "Leeds",
            "postcode": "LS1 4AP",
        },
    )

    page = client.get(reverse("register:apply-step", args=["contact"])).content.decode()

    assert 'value="1 High St"' in page
    assert 'value="LS1 4AP"' in page


@pytest.mark.django_db
def test_change_shows_the_saved_date_of_birth_in_its_boxes_and_saving_it_again_keeps_it(
    client, worker
):
    client.force_login(worker)
    client.post(reverse("register:apply-start"))
    url = reverse("register:apply-step", args=["about-you"])
    client.post(
        url, {"legal_name": "Wendy Worker", **typed_date("date_of_birth", date(1990, 12, 7))}
    )

    page = client.get(url + "?from=check").content.decode()

    assert 'name="date_of_birth_0" value="7"' in page
    assert 'name="date_of_birth_1" value="12"' in page
    assert 'name="date_of_birth_2" value="1990"' in page
    assert 'type="date"' not in page
    # What the page shows is what it sends back: saved unchanged, the date is unchanged.
    again = client.post(
        url + "?from=check",
        {
            "legal_name": "Wendy Worker",
            "date_of_birth_0": "7",
            "date_of_birth_1": "12",
            "date_of_birth_2": "1990",
        },
    )
    assert again.status_code == 302
    assert Application.objects.get().date_of_birth == date(1990, 12, 7)


@pytest.mark.django_db
def test_a_date_of_birth_with_a_box_left_empty_names_it_and_saves_nothing(client, worker):
    client.force_login(worker)
    client.post(reverse("register:apply-start"))

    response = client.post(
        reverse("register:apply-step", args=["about-you"]),
        {"legal_name": "Wendy Ann Worker", "date_of_birth_0": "14", "date_of_birth_2": "1990"},
    )

    page = response.content.decode()
    assert response.status_code == 400
    assert response.context["form"].errors == {
        "date_of_birth": ["Date of birth must include a month"]
    }
    assert '<a href="#id_date_of_birth_1">Date of birth must include a month</a>' in page
    saved = Application.objects.get()
    assert saved.date_of_birth is None and saved.legal_name != "Wendy Ann Worker"


@pytest.mark.django_db
def test_a_bad_postcode_is_shown_next_to_the_field_and_saves_nothing(client, worker):
    client.force_login(worker)
    client.post(reverse("register:apply-start"))

    response = client.post(
        reverse("register:apply-step", args=["contact"]),
        {
            "phone": "07700 900123",
            "address_line_1": "1 High St",
            "town": "Leeds",
            "postcode": "ABC 123",
        },
    )

    assert response.status_code == 400
    assert "Enter a real UK postcode" in response.content.decode()
    assert 'id="id_postcode_error"' in response.content.decode()
    assert Application.objects.get(worker=worker).postcode == ""


@pytest.mark.django_db
def test_declaring_yes_without_details_is_refused(client, worker):
    client.force_login(worker)
    client.post(reverse("register:apply-start"))

    response = client.post(
        reverse("register:apply-step", args=["declarations"]),
        {
            "has_criminal_record": "True",
            "has_health_condition": "False",
            "has_fitness_to_practise_history": "False",
            "declares_truth": "on",
            "consents_to_publication": "on",
        },
    )

    assert response.status_code == 400
    assert "Give details, because you answered yes" in response.content.decode()


@pytest.mark.django_db
def test_the_queue_shows_how_long_each_application_has_waited(registrar_client, submitted):
    Application.objects.filter(pk=submitted.pk).update(
        submitted_at=timezone.now() - timedelta(days=6)
    )

    page = registrar_client.get(reverse("register:registrar-queue")).content.decode()

    assert submitted.legal_name in page
    assert '<td data-label="Days waited">6</td>' in page
    queue = reverse("register:registrar-queue")
    filtered = registrar_client.get(f"{queue}?waited=7").content.decode()
    assert submitted.legal_name not in filtered


def reviewed(application) -> str:
    """What the registrar's page showed, sent back with Approve."""
    return applications.application_review_state(application)


@pytest.mark.django_db
def test_a_registrar_records_checks_and_approves_through_the_page(
    registrar_client, registrar, submitted
):
    url = reverse("register:registrar-application", args=[submitted.pk])
    response = registrar_client.post(
        url,
        {
            "action": "record_check",
            "check_type": "photo_id",
            "outcome": "passed",
            "document_type": "passport",
            "document_number": "925665416",
            **typed_date("document_expires_on", timezone.localdate() + timedelta(days=100)),
        },
    )
    assert response.status_code == 302
    assert IdentityCheck.objects.get().document_number == "925665416"

    refused = registrar_client.post(url, {"action": "approve", "reviewed": reviewed(submitted)})
    assert refused.status_code == 400
    assert "cannot be approved yet" in refused.content.decode()

    record_all_checks(submitted, registrar)
    approve = {"action": "approve", "reviewed": reviewed(submitted)}
    assert registrar_client.post(url, approve).status_code == 302
    assert RegisterEntry.objects.get(worker=submitted.worker).status == "registered"


@pytest.mark.django_db
def test_a_check_form_with_errors_keeps_everything_unchanged(registrar_client, submitted):
    url = reverse("register:registrar-application", args=[submitted.pk])

    response = registrar_client.post(
        url, {"action": "record_check", "check_type": "dbs", "outcome": "passed"}
    )

    assert response.status_code == 400
    assert "Enter the DBS certificate number" in response.content.decode()
    assert "Enter the certificate&#x27;s issue date" in response.content.decode()
    assert not IdentityCheck.objects.exists()


@pytest.mark.django_db
def test_a_registrar_suspends_an_entry_through_the_page(registrar_client):
    entry = RegisterEntryFactory()
    url = reverse("register:registrar-entry", args=[entry.registration_number])

    response = registrar_client.post(
        url,
        {
            "action": "suspend",
            "suspend-kind": "interim",
            **typed_date("suspend-until", timezone.localdate() + timedelta(days=30)),
            "suspend-reason": "Interim order pending a hearing.",
        },
    )

    assert response.status_code == 302
    assert RegisterEntry.objects.get(pk=entry.pk).status == "suspended"


@pytest.mark.django_db
def test_a_worker_updates_their_address_and_asks_for_a_name_change(
    client, django_capture_on_commit_callbacks
):
    entry = RegisterEntryFactory()
    client.force_login(entry.worker)

    response = client.post(
        reverse("register:worker-contact"),
        {
            "phone": "07700 900555",
            "address_line_1": "2 New Road",
            "town": "York",
            "postcode": "YO1 7HH",
        },
    )
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.application.postcode == "YO1 7HH"
    assert entry.search_town == "york"

    evidence = SimpleUploadedFile("deed.pdf", b"%PDF-1.4 deed poll", "application/pdf")
    response = client.post(
        reverse("register:worker-name-change"), {"new_name": "Wendy Newname", "upload": evidence}
    )
    assert response.status_code == 302
    request = NameChangeRequest.objects.get(entry=entry)
    assert RegisterEntry.objects.get(pk=entry.pk).full_name != "Wendy Newname"
    assert request.status == "pending"


@pytest.mark.django_db
def test_a_registrar_approves_a_name_change(registrar_client, django_capture_on_commit_callbacks):
    from register.services.details import name_change_request
    from register.services.evidence import evidence_upload

    entry = RegisterEntryFactory()
    evidence = evidence_upload(
        owner=entry.worker,
        uploaded_by=entry.worker,
        upload=SimpleUploadedFile("deed.pdf", b"%PDF-1.4 x"),
    )
    request = name_change_request(
        entry=entry, worker=entry.worker, new_name="New Name", evidence=evidence
    )

    assert (
        "New Name"
        in registrar_client.get(reverse("register:registrar-name-changes")).content.decode()
    )
    registrar_client.post(
        reverse("register:registrar-name-change-decide", args=[request.pk]), {"decision": "approve"}
    )

    entry.refresh_from_db()
    assert (entry.full_name, entry.search_name) == ("New Name", "new name")


@pytest.mark.django_db
def test_a_worker_leaves_the_register(client):
    entry = RegisterEntryFactory()
    client.force_login(entry.worker)

    assert client.post(reverse("register:worker-leave"), {}).status_code == 400
    response = client.post(reverse("register:worker-leave"), {"confirm": "on"})

    assert response.status_code == 302
    assert RegisterEntry.objects.get(pk=entry.pk).removal_kind == "voluntary"


PERSONAS = ["anonymous", "worker", "employer", "registrar_without_mfa", "registrar", "outsider"]
PAGES = {
    # page: status per persona, in PERSONAS order
    "register:apply-start": [302, 200, 403, 403, 403, 403],
    "register:worker-dashboard": [302, 200, 200, 200, 200, 200],
    "register:worker-contact": [302, 404, 404, 404, 404, 404],
    "register:registrar-queue": [302, 403, 403, 302, 200, 403],
    "register:registrar-application": [302, 404, 404, 302, 200, 404],
    "register:registrar-entry": [302, 404, 404, 302, 200, 404],
    "register:registrar-name-changes": [302, 403, 403, 302, 200, 403],
}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("page", "persona", "expected"),
    [
        (page, persona, codes[i])
        for page, codes in PAGES.items()
        for i, persona in enumerate(PERSONAS)
    ],
)
def test_access_table(client, request, page, persona, expected):
    other = ApplicationFactory()
    applications.application_submit(
        application=other, worker=other.worker, code=code_of_conduct_current()
    )
    entry = RegisterEntryFactory()
    args = {
        "register:registrar-application": [other.pk],
        "register:registrar-entry": [entry.registration_number],
    }.get(page, [])
    if persona != "anonymous":
        client.force_login(request.getfixturevalue(persona))

    assert client.get(reverse(page, args=args)).status_code == expected


@pytest.mark.django_db
def test_the_registrar_entry_page_links_to_each_passport(registrar_client):
    from passports import keys
    from passports.services.passports import passport_issue

    keys.signing_key_create()
    entry = RegisterEntryFactory()
    passport = passport_issue(entry=entry, requested_by=entry.worker)

    page = registrar_client.get(
        reverse("register:registrar-entry", args=[entry.registration_number])
    )

    assert reverse("passports:registrar-passport", args=[passport.public_id]) in (
        page.content.decode()
    )
