"""The signed-in home page offers each person the next step for their state, one click away
(issue 18, item 6)."""

import pytest
from django.urls import reverse

from accounts.next_steps import next_steps_for
from register.models import Application
from register.services.applications import application_start
from tests.factories import ApplicationFactory

pytestmark = pytest.mark.django_db


def buttons(user) -> list[tuple[str, str]]:
    return [(step.label, step.url) for step in next_steps_for(user)]


def test_a_new_care_worker_is_asked_to_start_an_application(worker):
    assert buttons(worker) == [("Start your application", reverse("register:apply-start"))]


def test_a_care_worker_with_a_draft_continues_it(worker):
    application_start(worker=worker)
    assert buttons(worker) == [("Continue your application", reverse("register:apply-start"))]


@pytest.mark.parametrize(
    ("status", "label", "says"),
    [
        (Application.Status.SUBMITTED, "See your application", "We are checking"),
        (Application.Status.AWAITING_SECOND_APPROVAL, "See your application", "second registrar"),
        (Application.Status.INFORMATION_REQUESTED, "Answer the registrar", "more information"),
    ],
)
def test_a_care_worker_waiting_on_a_decision_is_told_what_is_happening(worker, status, label, says):
    ApplicationFactory(worker=worker, status=status)
    (step,) = next_steps_for(worker)
    assert step.label == label
    assert says in step.text


def test_a_registered_care_worker_sees_their_passport_share_codes_and_registration(entry):
    assert buttons(entry.worker) == [
        ("See your passport", reverse("passports:page")),
        ("Make a share code", reverse("employers:share-codes")),
        ("See your registration", reverse("register:worker-dashboard")),
    ]


def test_an_employer_checks_a_share_code_in_one_click(employer, employer_organisation):
    org = {"org_id": employer_organisation.pk}
    assert buttons(employer) == [
        ("Check a share code", reverse("employers:check", kwargs=org)),
        ("Open the staff list", reverse("employers:staff", kwargs=org)),
    ]


def test_an_employer_waiting_for_verification_is_told_so(employer, employer_organisation):
    employer_organisation.employer_verification.delete()
    (step,) = next_steps_for(employer)
    assert "waiting to be verified" in step.title
    assert step.url == reverse(
        "accounts:organisation-detail", kwargs={"pk": employer_organisation.pk}
    )


def test_a_provider_records_training(provider, provider_organisation):
    assert buttons(provider) == [
        (
            "Record training",
            reverse("passports:provider-records", kwargs={"org_id": provider_organisation.pk}),
        )
    ]


def test_an_association_runs_a_consultation(association_admin, association):
    assert buttons(association_admin) == [
        ("Run a consultation", reverse("consultations:manage-list"))
    ]


def test_a_registrar_opens_the_registrar_pages_first(registrar):
    assert buttons(registrar)[0] == ("Open the registrar pages", reverse("accounts:registrar-home"))


def test_the_home_page_shows_each_step_as_a_button(client, employer, employer_organisation):
    client.force_login(employer)
    page = client.get(reverse("accounts:home")).content.decode()
    check = reverse("employers:check", kwargs={"org_id": employer_organisation.pk})
    assert f'<a class="button" href="{check}">Check a share code</a>' in page


def navigation(client, user) -> list[str]:
    client.force_login(user)
    return [label for label, _ in client.get(reverse("accounts:home")).context["navigation_links"]]


def test_a_care_worker_is_not_offered_organisations(client, worker):
    assert "Organisations" not in navigation(client, worker)
    assert "Check a passport" in navigation(client, worker)


def test_someone_with_no_role_yet_can_set_up_an_organisation(client, outsider):
    assert "Organisations" in navigation(client, outsider)


def test_everyone_can_reach_the_passport_check_from_the_navigation(client):
    page = client.get(reverse("accounts:home"))
    assert ("Check a passport", reverse("passports:verify")) in page.context["navigation_links"]


def test_everyone_can_find_a_job_from_the_navigation(client):
    page = client.get(reverse("accounts:home"))
    assert ("Find a job", reverse("jobs:search")) in page.context["navigation_links"]


def test_a_care_worker_finds_their_job_applications_in_the_navigation(client, worker):
    assert "Your applications" in navigation(client, worker)


def test_a_registrar_is_not_offered_job_applications(client, registrar):
    assert "Your applications" not in navigation(client, registrar)
