"""An applicant names two referees on a phone; a registrar emails each a reference request; a
referee answers through the emailed link on a phone; the registrar reads the answer and
records it as the reference check; the applicant sees in plain English where things stand."""

import re

import pytest
from django.core import mail

from register.models import Application, IdentityCheck
from tests.e2e.accessibility import assert_fits_width, assert_no_axe_violations
from tests.e2e.conftest import sign_in
from tests.factories import ApplicationFactory

LINK = re.compile(r"https?://[^/\s]+(/reference/[A-Za-z0-9_-]+/)")


@pytest.mark.django_db(transaction=True)
def test_an_applicant_names_referees_and_a_referee_answers_by_the_emailed_link(
    new_page, worker, registrar
):
    # Everything but the referees is answered already: the worker carries on from there.
    ApplicationFactory(worker=worker, legal_name="Wendy Ann Worker", referees=False)
    applicant = new_page("applicant", phone=True)
    sign_in(applicant, worker)
    applicant.goto("/apply/")
    applicant.get_by_role("button", name="Continue your application").click()
    applicant.get_by_role("heading", name="Your referees").wait_for()
    assert_no_axe_violations(applicant)
    assert_fits_width(applicant, 360)

    referees = [
        ("First referee", "Sam Manager", "sam.manager@example.net", "My manager", "4 years"),
        ("Second referee", "Pat Tutor", "pat.tutor@example.net", "My college tutor", "2 years"),
    ]
    for heading, name, email, relationship, known_for in referees:
        section = applicant.get_by_role("region", name=heading)
        section.get_by_label("Full name").press_sequentially(name)
        section.get_by_label("Email address").press_sequentially(email)
        section.get_by_label("How do they know you?").press_sequentially(relationship)
        section.get_by_label("How long have they known you?").press_sequentially(known_for)
    applicant.get_by_role("button", name="Save and continue").click()
    # The declarations were answered before: they are kept as they were.
    applicant.get_by_role("heading", name="Declarations").wait_for()
    applicant.get_by_role("button", name="Save and continue").click()

    applicant.get_by_role(
        "heading", name="Check your answers before sending your application"
    ).wait_for()
    assert "My college tutor, for 2 years" in applicant.content()
    assert_no_axe_violations(applicant)
    assert_fits_width(applicant, 360)
    applicant.get_by_label("I have read the code of conduct").check()
    applicant.get_by_role("button", name="Send application").click()
    applicant.get_by_role("heading", name="Application sent").wait_for()
    application = Application.objects.get(worker=worker)
    assert application.reference in applicant.content()

    # The registrar asks both referees.
    desk = new_page("registrar")
    sign_in(desk, registrar)
    desk.goto(f"/registrar/applications/{application.pk}/")
    for name in ("Sam Manager", "Pat Tutor"):
        desk.get_by_role("button", name=f"Send a reference request to {name}").click()
        assert f"A reference request has been emailed to {name}." in desk.content()
    assert_no_axe_violations(desk)

    # Sam answers on his phone, from the link in his email.
    email = next(message for message in mail.outbox if message.to == ["sam.manager@example.net"])
    referee = new_page("referee", phone=True)
    referee.goto(LINK.search(email.body).group(1))
    referee.get_by_role("heading", name="A reference for Wendy Ann Worker").wait_for()
    assert_no_axe_violations(referee)
    assert_fits_width(referee, 360)
    referee.get_by_role("button", name="Send your reference").click()  # nothing answered yet
    assert "There is a problem" in referee.get_by_role("alert").inner_text()
    assert_no_axe_violations(referee)
    referee.get_by_role("group", name="Do you know Wendy Ann Worker?").get_by_label("Yes").check()
    referee.get_by_label("If yes, how do you know them").press_sequentially(
        "I have managed her at Sunrise Care Homes for four years."
    )
    referee.get_by_role("group", name=re.compile("any reason Wendy Ann Worker")).get_by_label(
        "No"
    ).check()
    referee.get_by_label("I confirm that what I have said is true").check()
    referee.get_by_role("button", name="Send your reference").click()
    referee.get_by_role("heading", name="Thank you: your reference has been sent").wait_for()
    assert_no_axe_violations(referee)
    assert_fits_width(referee, 360)

    # The applicant sees where things stand, in plain English.
    applicant.goto("/my-registration/")
    progress = applicant.content()
    assert "We are checking your references." in progress
    assert "Sam Manager has sent their reference." in progress
    assert "We have emailed Pat Tutor and are waiting for their reply." in progress
    assert_no_axe_violations(applicant)
    assert_fits_width(applicant, 360)

    # The registrar reads Sam's answer and records it as the reference check.
    desk.reload()
    sam = desk.get_by_role("region", name="Sam Manager")
    assert "I have managed her at Sunrise Care Homes for four years." in sam.inner_text()
    assert "Send the request again" in desk.get_by_role("region", name="Pat Tutor").inner_text()
    sam.get_by_label("Passed").check()
    sam.get_by_role("button", name="Record the reference from Sam Manager").click()
    assert "The reference from Sam Manager has been recorded." in desk.content()
    assert (
        "Recorded as a reference check"
        in desk.get_by_role("region", name="Sam Manager").inner_text()
    )
    assert_no_axe_violations(desk)
    check = IdentityCheck.objects.get(check_type="reference")
    assert (check.outcome, check.referee_name) == ("passed", "Sam Manager")
