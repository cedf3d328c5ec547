"""A concern from the public to the register, end to end (issue 19's first journey).

A member of the public, on a 360-pixel phone, finds a registered worker on the public register
and raises a concern about her; they confirm it from the emailed link. A registrar, also on a
phone, screens it, records a serious risk, opens an investigation and suspends her at once.
While the suspension lasts her passport fails verification as suspended, and her employer's
webhook hears of it. She answers the suspension and the allegation on her phone; a second
registrar reviews the suspension. Two other registrars decide on conditions: the public
register shows them with their category, the passport verifies again, and the employer's
webhook hears of the change. axe-core checks every page the public, the worker and the
screening registrar see."""

import json
import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from concerns.models import Case
from employers.services import sharecodes, staff, webhooks
from passports import keys
from passports.services import passports as passport_services
from register.models import RegisterEntry
from tests.concerns.conftest import make_registrar
from tests.e2e.accessibility import assert_fits_width, assert_no_axe_violations
from tests.e2e.conftest import sign_in
from tests.employers.test_webhooks import Receiver
from tests.factories import DATE_OF_BIRTH, TrainingRecordFactory

pytestmark = pytest.mark.filterwarnings("ignore:EdDSA is deprecated:joserfc.errors.SecurityWarning")
LINK = re.compile(r"https?://[^/\s]+(/concerns/confirm/[A-Za-z0-9_-]+/)")


def _phone_checked(page) -> None:
    assert_no_axe_violations(page)
    assert_fits_width(page, 360)


def _verify(desk, token: str) -> str:
    desk.goto("/verify/")
    desk.get_by_label("Passport link or token").fill(token)
    desk.get_by_role("button", name="Check the passport").click()
    desk.locator("[data-verdict]").wait_for()
    assert_no_axe_violations(desk)
    return desk.locator("[data-verdict]").get_attribute("data-verdict")


def _statuses(receiver) -> list[tuple[str, str]]:
    events = [json.loads(body) for _headers, body in receiver.requests]
    return [
        (event["data"]["old_status"], event["data"]["new_status"])
        for event in events
        if event["type"] == "registration.status_changed"
    ]


@pytest.mark.django_db(transaction=True)
def test_a_public_concern_leads_to_conditions_on_the_register(
    new_page, worker, entry_in_own_role, standard, employer, employer_organisation
):
    entry = entry_in_own_role
    sam, ada, dee, dan = (
        make_registrar(f"{name.lower()}@register.example", name)
        for name in ("Sam", "Ada", "Dee", "Dan")
    )
    # Wendy's passport, and Sunrise Care Homes with her on its staff list and a webhook.
    keys.signing_key_create()
    today = timezone.localdate()
    TrainingRecordFactory(
        entry=entry,
        standard=standard,
        completed_on=today - timedelta(days=30),
        expires_on=today + timedelta(days=335),
    )
    passport = passport_services.passport_issue(entry=entry, requested_by=worker)
    _share, code = sharecodes.share_code_create(
        worker=worker, entry=entry, shares_identity_checks=False
    )
    check = sharecodes.share_code_check(
        organisation=employer_organisation,
        user=employer,
        code=sharecodes.share_code_format(code),
        date_of_birth=DATE_OF_BIRTH,
    ).check
    staff.staff_add(organisation=employer_organisation, user=employer, check=check)

    with Receiver() as receiver:
        webhooks.webhook_endpoint_set(
            organisation=employer_organisation, user=employer, url=receiver.url
        )

        # A member of the public finds Wendy on the register and raises a concern on a phone.
        public = new_page("public", phone=True)
        public.goto(f"/register/{entry.registration_number}/")
        public.get_by_role("link", name="raise a concern about Wendy Worker").click()
        _phone_checked(public)
        public.get_by_role("group", name="What is the concern about?").get_by_label(
            "Poor practice"
        ).check()
        public.get_by_role("button", name="Continue").click()
        public.get_by_role("heading", name="Tell us about the concern").wait_for()
        assert public.get_by_label(re.compile("registration number")).input_value() == (
            entry.registration_number
        )
        public.get_by_label("What happened?").fill(
            "My mother missed her evening medicines on two visits; the notes say she had them."
        )
        public.get_by_label("Roughly when did it happen?").fill("The last week of November")
        public.get_by_role("group", name=re.compile("How do you know")).get_by_label(
            re.compile("member of the public", re.I)
        ).first.check()
        public.get_by_role("group", name=re.compile("stay anonymous")).get_by_label("No").check()
        public.get_by_label("Your name").fill("Priya Public")
        public.get_by_label(re.compile("^Your email")).fill("priya@example.org")
        public.get_by_role("group", name=re.compile("May the worker be told")).get_by_label(
            "No"
        ).check()
        _phone_checked(public)
        public.get_by_role("button", name=re.compile("^Send")).click()
        public.get_by_role("heading", name=re.compile("Check your email")).wait_for()
        _phone_checked(public)
        link = LINK.search(mail.outbox[-1].body).group(1)
        public.goto(link)
        _phone_checked(public)
        public.get_by_role("button", name=re.compile("^Confirm")).click()
        case = Case.objects.get(entry=entry)
        expect(public.get_by_text(case.reference).first).to_be_visible()
        _phone_checked(public)
        assert case.status == Case.Status.RECEIVED

        # Sam, on a phone, screens it: serious risk, an investigation, a suspension now.
        phone = new_page("sam", phone=True)
        sign_in(phone, sam)
        phone.goto("/registrar/concerns/")
        _phone_checked(phone)
        phone.get_by_role("link", name=case.reference).click()
        _phone_checked(phone)
        phone.get_by_role("link", name="Screen this case").click()
        phone.get_by_role("radio", name="Serious").check()
        phone.get_by_role("radio", name=re.compile("^Open an investigation")).check()
        phone.get_by_label("Your reasons").fill("Missed medicines for a frail person.")
        phone.get_by_label(re.compile("^The allegation")).fill(
            "On two evening visits in late November 2026 you did not give a person their "
            "medicines, and recorded that you had."
        )
        _phone_checked(phone)
        phone.get_by_role("button", name="Save the screening").click()
        expect(phone.get_by_text("The investigation is open")).to_be_visible()
        phone.get_by_role("link", name="Impose an interim suspension").click()
        phone.get_by_label("Why the worker must be suspended now").fill(
            "Until the records are checked, people could miss their medicines."
        )
        phone.get_by_role("button", name="Suspend the worker now").click()
        expect(
            phone.get_by_text("The worker is suspended while the case is looked into.")
        ).to_be_visible()
        _phone_checked(phone)

        # While the suspension lasts, the passport fails as suspended and the employer knows.
        desk = new_page("employer")
        assert _verify(desk, passport.token) == "not_valid"
        assert "suspended" in desk.locator("[data-verdict]").inner_text().lower()
        assert ("registered", "suspended") in _statuses(receiver)

        # Wendy, on her phone, reads the case and answers the suspension and the allegation.
        mine = new_page("wendy", phone=True)
        sign_in(mine, worker)
        mine.goto("/my-registration/concerns/")
        mine.get_by_role("link", name=case.reference).click()
        mine.get_by_role("heading", name="A concern about you", level=1).wait_for()
        page_text = mine.locator("main").inner_text()
        assert "you did not give a person their medicines" in page_text
        assert "Priya" not in page_text and "priya@example.org" not in mine.content()
        _phone_checked(mine)
        mine.get_by_label("Your response to the suspension").fill(
            "I was on the morning rota that week; the evening visits were not mine."
        )
        mine.get_by_role("button", name=re.compile("Send your response to the suspension")).click()
        mine.get_by_label("Your response", exact=True).fill(
            "The rota shows I worked mornings only in the last week of November."
        )
        mine.get_by_role("button", name="Send your response", exact=True).click()
        mine.get_by_text("Your response has been added to the case.").wait_for()
        _phone_checked(mine)

    # Ada, who had no part, reviews the suspension and keeps it for now.
    review = new_page("ada")
    sign_in(review, ada)
    review.goto(f"/registrar/concerns/{case.reference}/")
    review.get_by_role("link", name="Review the interim suspension").click()
    review.get_by_role("radio", name="Continue the suspension").check()
    review.get_by_label("Your reasons").fill("Keep it until the panel has read the rota.")
    review.get_by_role("button", name="Save the review").click()
    expect(review.get_by_text("Reviewed: continue the suspension.")).to_be_visible()

    with Receiver() as receiver:
        webhooks.webhook_endpoint_set(
            organisation=employer_organisation, user=employer, url=receiver.url
        )
        # Dee and Dan, who did not screen it, decide on conditions.
        dee_page = new_page("dee")
        sign_in(dee_page, dee)
        dee_page.goto("/registrar/concerns/")
        dee_page.get_by_role("button", name=re.compile("^Join the decision panel")).click()
        dan_page = new_page("dan")
        sign_in(dan_page, dan)
        dan_page.goto("/registrar/concerns/")
        dan_page.get_by_role("button", name=re.compile("^Join the decision panel")).click()
        dee_page.goto(f"/registrar/concerns/{case.reference}/")
        dee_page.get_by_role("link", name="Propose a decision").click()
        dee_page.get_by_role("radio", name=re.compile("^Conditions")).check()
        dee_page.get_by_label("Reasons for the decision").fill(
            "One missed dose is shown by the records; the worker needs medicines training."
        )
        dee_page.get_by_label(re.compile("^For a warning or conditions")).fill(
            "Must not give medicines until a medicines course is passed."
        )
        dee_page.get_by_role("button", name="Propose this decision").click()
        dan_page.goto(f"/registrar/concerns/{case.reference}/")
        dan_page.get_by_role("link", name="Agree or not with the proposed decision").click()
        dan_page.get_by_role("button", name="Agree", exact=True).click()
        expect(dan_page.get_by_text("You agreed. The decision is made")).to_be_visible()
        assert ("suspended", "registered_with_conditions") in _statuses(receiver)

    entry.refresh_from_db()
    assert entry.status == RegisterEntry.Status.REGISTERED_WITH_CONDITIONS

    # The public register shows the conditions and their category; never the raiser.
    public.goto(f"/register/{entry.registration_number}/")
    main = public.locator("main").inner_text()
    assert "Must not give medicines until a medicines course is passed." in main
    assert "Poor practice" in main
    assert "Priya" not in main
    _phone_checked(public)

    # With the suspension over, the passport verifies again for the employer.
    assert _verify(desk, passport.token) == "valid"
    # The person who raised it hears the outcome by email.
    assert any(
        message.to == ["priya@example.org"] and case.reference in message.subject
        for message in mail.outbox
        if "outcome" in message.subject.lower()
    )
