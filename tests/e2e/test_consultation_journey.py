"""An association admin builds a consultation and opens it through the pages; a registered
care worker answers it on a 360-pixel phone. axe-core checks every page on the way."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from consultations.models import Consultation, Response
from register.models import Membership, Organisation
from tests.e2e.accessibility import assert_accessible, assert_fits_width
from tests.factories import PASSWORD, MembershipFactory, OrganisationFactory, RegisterEntryFactory


def _sign_in(page, email):
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url(re.compile(r"^https?://[^/]+/$"))


def _check(page, width=None):
    assert_accessible(page)
    if width:
        assert_fits_width(page, width)


@pytest.mark.django_db(transaction=True)
def test_an_association_builds_and_opens_a_consultation_and_a_worker_answers_it_on_a_phone(
    page, phone_page
):
    MembershipFactory(
        user__email="ellen@example.org",
        user__full_name="Ellen Association",
        organisation=OrganisationFactory(
            name="Care Workers' Association", kind=Organisation.Kind.ASSOCIATION
        ),
        role=Membership.Role.OWNER,
    )
    RegisterEntryFactory(
        application__worker__email="amira@example.org", application__legal_name="Amira Worker"
    )
    now = timezone.localtime()

    # The association admin writes it.
    _sign_in(page, "ellen@example.org")
    page.goto("/consultations/")
    page.get_by_role("link", name="Your association's consultations").click()
    _check(page)
    page.get_by_role("link", name="Create a consultation").click()
    _check(page)
    page.get_by_role("button", name="Create the consultation").click()
    assert page.get_by_role("alert").is_visible()
    _check(page)
    page.get_by_label("Title").fill("Pay and conditions for care workers")
    page.get_by_label("Summary").fill("Tell us what fair pay for care work looks like.")
    page.get_by_label("Privacy notice").fill("We keep your answers for a year.")
    page.get_by_label("Opens at (UK time)").fill(
        (now - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    )
    page.get_by_label("Closes at (UK time)").fill(
        (now + timedelta(days=7)).strftime("%Y-%m-%dT%H:%M")
    )
    page.get_by_label("Registered care workers only").check()
    page.get_by_role("button", name="Create the consultation").click()
    page.get_by_text("Consultation created").wait_for()
    _check(page)

    page.get_by_label("Page title").fill("Your pay")
    page.get_by_role("button", name="Add the page").click()
    page.get_by_text("Page added").wait_for()
    page.get_by_role("link", name="Add a question to Your pay").click()
    _check(page)
    page.get_by_label("Agree or disagree scale").check()
    page.get_by_label("Question", exact=True).fill("Care work is paid fairly.")
    page.get_by_role("button", name="Add the question").click()
    page.get_by_text("Question added").wait_for()
    page.get_by_role("link", name="Add a question to Your pay").click()
    page.get_by_label("Choose any").check()
    page.get_by_label("Question", exact=True).fill("What would help most?")
    page.get_by_label("Options, one on each line").fill(
        "A higher hourly rate\nPaid travel time\nSick pay from day one"
    )
    page.get_by_label('Add "Other, please specify"').check()
    page.get_by_label("Most answers a person may choose (optional)").fill("2")
    page.get_by_role("button", name="Add the question").click()
    page.get_by_text("Question added").wait_for()
    assert page.get_by_text("about 2 minutes").is_visible()
    page.get_by_role("button", name="Schedule it").click()
    page.get_by_text("Scheduled.").wait_for()
    _check(page)
    consultation = Consultation.objects.get()
    assert consultation.status == Consultation.Status.OPEN

    # A registered worker answers it on a phone.
    phone = phone_page
    phone.set_default_timeout(10_000)
    _sign_in(phone, "amira@example.org")
    phone.goto("/consultations/")
    _check(phone, 360)
    phone.get_by_role("link", name="Pay and conditions for care workers").click()
    _check(phone, 360)
    phone.get_by_role("button", name="Start now").click()
    assert phone.get_by_text("Page 1 of 2").is_visible()
    phone.get_by_role("button", name="Continue").click()
    phone.get_by_role("alert").wait_for()
    _check(phone, 360)
    phone.get_by_label("A care worker").check()
    phone.get_by_role("button", name="Continue").click()
    phone.get_by_text("Page 2 of 2").wait_for()
    _check(phone, 360)
    phone.get_by_label("Agree", exact=True).check()
    phone.get_by_label("A higher hourly rate").check()
    phone.get_by_role("checkbox", name="Other, please specify").check()
    phone.get_by_label("If you chose Other, please specify").fill("Paid training time")
    phone.get_by_role("button", name="Continue").click()
    phone.get_by_role("heading", name="Check your answers before sending them").wait_for()
    _check(phone, 360)
    assert phone.get_by_text("Other: Paid training time").is_visible()
    phone.get_by_role(
        "link", name="Change your answer to “Which of these best describes you?”"
    ).click()
    assert phone.get_by_label("A care worker").is_checked()
    phone.get_by_role("button", name="Continue").click()
    phone.get_by_role("button", name="Continue").click()
    phone.get_by_role("button", name="Send my answers").click()
    phone.get_by_role("heading", name="Thank you: your answers have been sent").wait_for()
    _check(phone, 360)

    response = Response.objects.get()
    assert phone.get_by_text(response.reference).is_visible()
    assert (response.verified, response.register_status, response.respondent_type) == (
        True,
        "registered",
        "care_worker",
    )
    assert response.answers.count() == 4
