"""An employer raises a concern from its staff list, with its separate duty to refer to the DBS
shown first; and taking a worker off the list for their conduct leads straight there."""

from datetime import timedelta

import pytest
from django.urls import reverse

from accounts.models import Organisation
from concerns.models import Case, Document
from employers.models import StaffMembership
from employers.services import sharecodes, staff
from tests.concerns.conftest import pdf
from tests.factories import (
    DATE_OF_BIRTH,
    MembershipFactory,
    OrganisationFactory,
    RegisterEntryFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

DBS_GUIDANCE = "https://www.gov.uk/guidance/making-barring-referrals-to-the-dbs"


def put_on_staff_list(entry, organisation, user) -> StaffMembership:
    """As an employer does: the worker shares a code, the employer checks it and adds them."""
    _, code = sharecodes.share_code_create(
        worker=entry.worker, entry=entry, shares_identity_checks=False
    )
    check = sharecodes.share_code_check(
        organisation=organisation, user=user, code=code, date_of_birth=DATE_OF_BIRTH
    ).check
    return staff.staff_add(organisation=organisation, user=user, check=check)


@pytest.fixture
def membership(entry, employer_organisation, employer):
    """Wendy (the worker persona) on the staff list of Sunrise Care Homes."""
    return put_on_staff_list(entry, employer_organisation, employer)


@pytest.fixture
def employer_elsewhere(db):
    """A member of another employer, which has nobody on its staff list."""
    return MembershipFactory(
        user__email="elsewhere@example.org", organisation=OrganisationFactory(name="Oak House")
    ).user


@pytest.fixture
def other_worker_entry(other_worker):
    return RegisterEntryFactory(application__worker=other_worker)


def _url(membership) -> str:
    return reverse(
        "concerns:employer-raise",
        kwargs={"organisation_pk": membership.organisation_id, "entry_pk": membership.entry_id},
    )


ANSWERS = {
    "category": "theft",
    "what_happened": "Took £40 from a resident's purse; seen on camera.",
    "when_happened": "3 November",
    "phone": "0113 496 0000",
    "worker_may_know": "True",
}

PERSONAS = [
    "anonymous",
    "worker",
    "other_worker",
    "employer",
    "employer_member",
    "employer_elsewhere",
    "registrar",
    "association_admin",
]

# Only the members of the employer whose staff list holds the worker; to anyone else the page
# does not exist. 302 from anonymous is the redirect to sign in.
PAGES = {
    "get": [302, 404, 404, 200, 200, 404, 404, 404],
    "post": [302, 404, 404, 400, 400, 404, 404, 404],
}


@pytest.mark.parametrize(
    ("method", "persona", "expected"),
    [
        (method, persona, statuses[index])
        for method, statuses in PAGES.items()
        for index, persona in enumerate(PERSONAS)
    ],
)
def test_page_access_table(
    client, request, membership, other_worker_entry, method, persona, expected
):
    if persona != "anonymous":
        client.force_login(request.getfixturevalue(persona))

    response = getattr(client, method)(_url(membership), {})

    assert response.status_code == expected
    assert not Case.objects.exists()


def test_the_dbs_duty_is_shown_before_the_form(client, employer, membership):
    client.force_login(employer)

    page = client.get(_url(membership)).content.decode()

    assert f"Raise a concern about {membership.entry.full_name}" in page
    assert "Safeguarding Vulnerable Groups Act 2006" in page
    assert page.index(f'href="{DBS_GUIDANCE}"') < page.index('enctype="multipart/form-data"')
    assert page.index("You may also have to refer them to the DBS") < page.index(
        'enctype="multipart/form-data"'
    )


def test_an_employer_s_concern_is_received_at_once_and_names_the_employer(
    client, employer, membership, django_capture_on_commit_callbacks
):
    client.force_login(employer)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_url(membership), {**ANSWERS, "documents": [pdf()]}, follow=True)

    case = Case.objects.get()
    assert response.redirect_chain == [(reverse("concerns:received"), 302)]
    assert (case.status, case.source, case.category) == ("received", "employer", "theft")
    assert (case.entry, case.raiser_organisation, case.raiser_user) == (
        membership.entry,
        membership.organisation,
        employer,
    )
    assert case.identity_withheld is False
    assert case.raiser_phone == "0113 496 0000"
    assert Document.objects.filter(case=case).count() == 1
    page = response.content.decode()
    assert case.reference in page
    assert f'href="{reverse("employers:staff", args=[membership.organisation_id])}"' in page


def test_an_employer_s_mistake_keeps_nothing(client, employer, membership):
    client.force_login(employer)

    response = client.post(
        _url(membership), {**ANSWERS, "worker_may_know": "", "documents": [pdf()]}
    )

    assert response.status_code == 400
    page = response.content.decode()
    assert "Choose whether the worker may be told who raised the concern" in page
    assert "The files you chose were not kept either: choose them again." in page
    assert not Case.objects.exists()


def test_a_worker_who_came_off_the_list_lately_can_still_be_raised(
    client, employer, membership, clock
):
    staff.staff_remove(membership=membership, user=employer, reason="left")
    client.force_login(employer)
    assert client.get(_url(membership)).status_code == 200

    clock.advance(timedelta(days=91))
    client.force_login(employer)
    assert client.get(_url(membership)).status_code == 404


def test_a_worker_added_in_error_was_never_the_employer_s_to_raise(client, employer, membership):
    staff.staff_remove(membership=membership, user=employer, reason="added_in_error")
    client.force_login(employer)

    assert client.get(_url(membership)).status_code == 404


def test_a_member_of_a_provider_cannot_raise_as_an_employer(client, entry, membership):
    provider = OrganisationFactory(kind=Organisation.Kind.TRAINING_PROVIDER)
    person = UserFactory()
    MembershipFactory(organisation=provider, user=person)
    client.force_login(person)
    url = reverse(
        "concerns:employer-raise", kwargs={"organisation_pk": provider.pk, "entry_pk": entry.pk}
    )

    assert client.get(url).status_code == 404


def test_the_staff_list_offers_a_concern_about_each_worker(client, employer, membership):
    client.force_login(employer)

    page = client.get(reverse("employers:staff", args=[membership.organisation_id])).content
    page = page.decode()

    assert f'href="{_url(membership)}"' in page
    name = membership.entry.full_name
    assert f'Raise a concern<span class="visually-hidden"> about {name}' in page


# --- Taking a worker off the list, for their conduct -------------------------------------------


def _remove_url(membership) -> str:
    return reverse("employers:staff-remove", args=[membership.organisation_id, membership.pk])


def test_taking_a_worker_off_the_list_asks_why(client, employer, membership):
    client.force_login(employer)

    page = client.get(_remove_url(membership)).content.decode()

    for label in (
        "They left their job with you",
        "They were dismissed, or left, because of their conduct",
        "They were added to the list in error",
    ):
        assert label in page
    response = client.post(_remove_url(membership), {})
    assert response.status_code == 400
    assert "Choose why they are leaving your staff list" in response.content.decode()
    membership.refresh_from_db()
    assert membership.status == StaffMembership.Status.ACTIVE


def test_a_worker_who_left_goes_back_to_the_staff_list(client, employer, membership):
    client.force_login(employer)

    response = client.post(_remove_url(membership), {"reason": "left"})

    assert response.url == reverse("employers:staff", args=[membership.organisation_id])
    membership.refresh_from_db()
    assert (membership.status, membership.removal_reason) == ("removed", "left")


def test_a_conduct_dismissal_prompts_a_concern_with_the_dbs_duty_first(
    client, employer, membership
):
    client.force_login(employer)

    response = client.post(_remove_url(membership), {"reason": "conduct"}, follow=True)

    assert response.redirect_chain == [(_url(membership), 302)]
    membership.refresh_from_db()
    assert (membership.status, membership.removal_reason) == ("removed", "conduct")
    page = response.content.decode()
    assert "has been removed from your list. Tell the register about their conduct below." in page
    assert page.index("You may also have to refer them to the DBS") < page.index(
        'enctype="multipart/form-data"'
    )
    assert not Case.objects.exists()  # the employer still decides what to tell the register
