"""The worker's side of a concern, on a 360-pixel phone (issue 19).

A member of the public, who asked not to be named, raised a concern about Łukasz; a registrar
screened it, opened an investigation and shared a care plan with him (through the services, as
the registrars' own pages would). Łukasz signs in and his home page tells him he has a case to
respond to by a date. He finds it from his registration too, reads the allegation, downloads
the care plan and responds with a PDF of his own. Two other registrars decide on conditions,
which the public register shows; Łukasz reads the decision and appeals. Two registrars who took
no part in the decision uphold the appeal, replacing the conditions with advice: he reads the
outcome, and the conditions are gone from his public register entry. Nowhere does he learn who
raised the concern. axe-core finds no violation of any impact on any page on the way."""

import pytest

from concerns.models import Case, Document
from concerns.services import cases as case_services
from tests.concerns.conftest import (
    PDF,
    decide,
    investigating_case,
    make_registrar,
    pdf,
    ready_to_decide,
)
from tests.e2e.accessibility import assert_fits_width, assert_no_axe_violations
from tests.e2e.conftest import sign_in
from tests.factories import RegisterEntryFactory

CONDITIONS = "Must not give medicines without a senior colleague checking."


def _check(phone):
    assert_no_axe_violations(phone)
    assert_fits_width(phone, 360)


def _words(locator) -> str:
    return " ".join(locator.inner_text().split())


def _long(day) -> str:
    return f"{day.day} {day:%B %Y}"


@pytest.mark.django_db(transaction=True)
def test_a_worker_reads_a_concern_responds_appeals_and_the_appeal_is_upheld(new_page):
    registrars = {
        name: make_registrar(f"{name.lower()}@register.example", name)
        for name in ("Sam", "Dee", "Dan", "Abe", "Ada")
    }
    entry = RegisterEntryFactory(
        application__worker__email="lukasz@example.org",
        application__legal_name="Łukasz O'Brien",
    )
    case = investigating_case(entry, registrars, risk="medium", identity_withheld=True)
    case_services.document_add(
        case=case, registrar=registrars["Sam"], upload=pdf("care-plan.pdf"), shared_with_worker=True
    )

    # 1. He signs in on his phone: his home page puts the case first, with its date.
    phone = new_page("worker", phone=True)
    sign_in(phone, entry.worker)
    step = phone.locator(".card", has_text="A concern about you")
    assert f"You have a case to respond to by {_long(case.response_due)}." in _words(step)
    _check(phone)

    # 2. His registration links to his cases too.
    phone.goto("/my-registration/")
    phone.get_by_role("link", name="Concerns about you").click()
    phone.get_by_role("heading", name="Concerns about you", level=1).wait_for()
    assert "respond to the concern" in _words(phone.locator("table"))
    _check(phone)
    phone.get_by_role("link", name=case.reference).click()

    # 3. The case: the allegation as the registrar wrote it, never who raised it or their words.
    phone.get_by_role("heading", name="A concern about you", level=1).wait_for()
    page = _words(phone.locator("main"))
    assert "On two days in November 2026 you did not give a person their medicines." in page
    assert "The person who raised this asked not to be named." in page
    for secret in ("Priya", "priya@example.org", "Left my mother", "statement.pdf"):
        assert secret not in page
    how = phone.get_by_role("link", name="How concerns are decided")
    assert how.get_attribute("href") == "/concerns/how-concerns-are-decided/"
    _check(phone)

    # 4. He downloads the evidence shared with him.
    with phone.expect_download() as download:
        phone.get_by_role("link", name="care-plan.pdf").click()
    assert download.value.suggested_filename == "care-plan.pdf"

    # 5. He responds, with a PDF; a box left empty is explained first and changes nothing.
    phone.get_by_role("button", name="Send your response", exact=True).click()
    phone.get_by_role("heading", name="There is a problem").wait_for()
    assert "Write your response to the allegation." in _words(phone.locator(".error-summary"))
    _check(phone)
    phone.get_by_label("Your response", exact=True).fill(
        "I gave the medicines both days; the chart was signed late. The rota is attached."
    )
    phone.get_by_label("Evidence", exact=True).set_input_files(
        files=[{"name": "rota.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    phone.get_by_role("button", name="Send your response", exact=True).click()
    phone.get_by_text("Your response has been added to the case.").wait_for()
    assert "the chart was signed late" in _words(phone.locator("#responses"))
    assert "rota.pdf" in _words(phone.locator("#evidence"))
    _check(phone)
    assert case.documents.filter(given_by=Document.From.WORKER).count() == 1

    # 6. Two registrars who did not screen it decide on conditions; the register shows them.
    decide(ready_to_decide(case, registrars), registrars, "conditions", published_text=CONDITIONS)
    phone.goto(f"/register/{entry.registration_number}/")
    assert CONDITIONS in _words(phone.locator("main"))

    # 7. He reads the decision and appeals within the time allowed.
    phone.goto("/")
    step = phone.locator(".card", has_text="A concern about you")
    assert f"You may appeal against the decision until {_long(case.appeal_due)}." in _words(step)
    step.get_by_role("link", name="Read the decision").click()
    decision = _words(phone.locator("main"))
    assert "Conditions" in decision
    assert CONDITIONS in decision
    assert "The evidence shows it happened twice." in decision
    _check(phone)
    phone.get_by_label("Why you think the decision is wrong").fill(
        "The conditions are out of proportion to a late signature."
    )
    phone.get_by_role("button", name="Send your appeal").click()
    phone.get_by_text("Your appeal has been sent.").wait_for()
    assert "are deciding your appeal" in _words(phone.locator("#appeal"))
    _check(phone)

    # 8. Two registrars who took no part in the decision uphold it: advice replaces conditions.
    for name in ("Abe", "Ada"):
        case_services.panel_join(case=case, registrar=registrars[name], role="appeal_decider")
    upheld = case_services.decision_propose(
        case=case,
        registrar=registrars["Abe"],
        outcome="advice",
        upheld=True,
        reasons="A late signature calls for advice, not conditions.",
    )
    case_services.decision_agree(decision=upheld, registrar=registrars["Ada"])
    case.refresh_from_db()
    assert case.status == Case.Status.CLOSED

    # 9. He reads the outcome, and the conditions are gone from his public register entry.
    phone.reload()
    appeal = _words(phone.locator("#appeal"))
    assert "Your appeal was upheld." in appeal
    assert "The outcome is now: Advice." in appeal
    assert "A late signature calls for advice, not conditions." in appeal
    _check(phone)
    phone.goto(f"/register/{entry.registration_number}/")
    phone.get_by_role("heading", name="Łukasz O'Brien", level=1).wait_for()
    assert CONDITIONS not in _words(phone.locator("main"))
    _check(phone)
