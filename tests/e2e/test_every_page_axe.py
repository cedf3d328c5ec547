"""Every HTML page in the URLconf, opened in Chromium and checked with axe-core, and again on a
360-pixel phone to see that nothing scrolls sideways.

Which pages, and as whom, comes from the security walk rather than a list kept here:
tests/security/access_table.py says what each persona gets for a GET of every URL, and
tests/security/test_url_walk.py proves it against the objects of tests/security/world.py. Each
URL that answers 200 to someone is opened as the first persona in PERSONAS order who gets 200.

Not opened:
- 200 answers that are not HTML, told apart by their Content-Type. A browser shows these raw
  or downloads them; there is no page for axe-core to read. Today they are JSON (/healthz, the
  REST API, its OpenAPI schema, the FHIR Practitioner, the JWKS, the DID document), JWTs (the
  status lists, the passport token, the Open Badge), CSV (the staff list, consultation
  responses, the import template), PDF (the passport, the consultation report), the evidence
  file (an image) and the admin's JavaScript translation catalogue.
- URLs that nobody gets a 200 for by a plain GET. Each is either POST-only, the JSON API, an
  admin page beyond the registrars group, or named in NOT_OPENED_BY_GET with the reason and the
  journey that checks it instead. test_every_url_nobody_can_open_is_explained fails for a new
  one, so an HTML URL cannot be added without the walk opening it or a reason here. A few
  (PART_WAY) the walk reaches by going part of the way through a journey.

Failures are gathered across the whole walk and reported together, each with the URL, the
persona and the rule, with a screenshot of the page in tests/e2e/failures/.

To walk only some pages while fixing them: AXE_WALK_ONLY=<regex on the URL name>.
"""

import os
import re
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.test import Client
from django.urls import resolve, reverse

from register.views.applications import STEP_SLUGS
from tests.e2e.accessibility import axe_violations, elements_wider_than, page_width
from tests.e2e.conftest import FAILURES
from tests.factories import PASSWORD, ApplicationFactory
from tests.security.access_table import ACCESS
from tests.security.urlwalk import PERSONAS, all_routes, url_for

PHONE_WIDTH = 360
ONLY = re.compile(os.environ.get("AXE_WALK_ONLY", ""))

# Pages nobody opens by a plain GET in the test world, which the walk reaches part-way through a
# journey instead: see _walk_part_way_pages.
PART_WAY = {
    "register:apply-step",
    "register:apply-referees",
    "register:apply-documents",
    "register:apply-check",
    "register:apply-submitted",
    "mfa_authenticate",
}

# URLs no persona opens with a plain GET in the test world, though a person does reach them.
NOT_OPENED_BY_GET = {
    "account_confirm_login_code": "sign-in by emailed code is off; it redirects to sign in",
    "account_set_password": "only for an account with no password; every persona has one",
    "concerns:received": "only just after a concern is sent or confirmed: "
    "test_concern_raise_journey and test_employer_concern_journey",
    "consultations:done": "only just after sending a response: test_consultation_journey",
    "register:code-of-conduct-accept": "only when a new version waits for the person: "
    "test_code_of_conduct_journey",
    "consultations:resume": "loads the saved answers and redirects to the page they reached",
    "consultations:outcome": "only once published: test_consultation_outcome_journey",
    "consultations:outcome-pdf": "a PDF, and only once published",
    "consultations:publish-confirm": "only once an outcome is written: "
    "test_consultation_close_early_journey and test_consultation_whole_journey",
    "mfa_activate_totp": "asks for the password again first: test_account_journey",
    "mfa_deactivate_totp": "asks for the password again first",
    "mfa_generate_recovery_codes": "asks for the password again first",
    "mfa_view_recovery_codes": "only once recovery codes exist; asks for the password first",
    "mfa_download_recovery_codes": "a text file, once recovery codes exist",
    "admin:login": "the site sends everyone to its own sign-in page instead",
    "admin:view_on_site": "redirects to the object's page on the site",
    # The world has no task result, so this redirects to the index.
    "admin:django_tasks_database_dbtaskresult_history": "no task result in the test world",
    # Paid job trials: the world's trial has not been worked, so it has no pay yet.
    "admin:jobs_trialpay_history": "no trial pay in the test world",
    # Applying's later screens need the answers of the ones before, kept in the session.
    "jobs:apply-questions": "only part-way through applying: test_apply_journey",
    "jobs:apply-check": "only part-way through applying: test_apply_journey",
    # Careers' quizzes: a reflection or the result shows answers kept in the session.
    "careers:quiz-reflection": "only after answering a question: test_quiz_journey",
    "careers:quiz-result": "only after answering every question: test_quiz_journey",
    # Careers' campaigns: a tracked link counts the visit and redirects.
    "careers:campaign-link": "a tracked link: redirects to the campaign's page",
    "careers:campaign-vacancy-link": "a tracked link: redirects to the vacancy's page "
    "(test_campaign_journey follows one from a poster's QR code)",
}


def _why_nobody_opens(name: str, codes: list[str]) -> str | None:
    if "405" in codes:
        return "POST-only: a GET is refused"
    if name.startswith("api:"):
        return "the REST API answers JSON"
    if name.startswith("admin:<unnamed"):
        return "the admin's redirect from an object's bare URL to its change page"
    if name.startswith("admin:") and codes[PERSONAS.index("registrar")] == "403":
        # Only a superuser opens these; they use the same admin templates the walk checks.
        return "outside the registrars group's permissions"
    if name in PART_WAY:
        return "reached part-way through a journey"
    return NOT_OPENED_BY_GET.get(name)


def test_every_url_nobody_can_open_is_explained():
    unexplained = []
    for route in all_routes():
        codes = ACCESS[route.name].split()
        if "200" not in codes and _why_nobody_opens(route.name, codes) is None:
            unexplained.append(f"{route.name}: {ACCESS[route.name]}")
    stale = [
        name for name in [*NOT_OPENED_BY_GET, *PART_WAY] if "200" in ACCESS.get(name, "200").split()
    ]

    assert not unexplained, (
        "No persona opens these by GET, so the axe walk cannot check them. Make the test "
        "world reach them, or add them to NOT_OPENED_BY_GET with the reason:\n"
        + "\n".join(unexplained)
    )
    assert not stale, f"In NOT_OPENED_BY_GET but now opened by someone (or gone): {stale}"


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", text).strip("_")[:120]


class _Personas:
    """A desktop and a phone browser context for each persona, each with one reused page,
    signed in with the session cookie of a Django test client's force_login."""

    def __init__(self, browser, base_url: str, users: dict):
        self.browser = browser
        self.base_url = base_url
        self.users = dict(users)
        self.pages: dict[tuple[str, str], object] = {}
        self.contexts = []

    def _cookies(self, persona: str) -> list[dict]:
        if persona in ("anonymous", "signing-in"):
            return []
        client = Client()
        client.force_login(self.users[persona])
        session = client.cookies[settings.SESSION_COOKIE_NAME].value
        return [{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": self.base_url}]

    def page(self, persona: str, screen: str):
        key = (persona, screen)
        if key not in self.pages:
            desktop = self.pages.get((persona, "desktop"))
            if screen == "desktop":
                context = self.browser.new_context(
                    base_url=self.base_url, viewport={"width": 1024, "height": 800}
                )
            else:
                context = self.browser.new_context(
                    base_url=self.base_url,
                    viewport={"width": PHONE_WIDTH, "height": 740},
                    is_mobile=True,
                )
            context.set_default_timeout(10_000)
            # Both screens share one session, so a persona is signed in only once.
            cookies = desktop.context.cookies() if desktop else self._cookies(persona)
            context.add_cookies(cookies)
            self.contexts.append(context)
            self.pages[key] = context.new_page()
        return self.pages[key]

    def close(self):
        for context in self.contexts:
            context.close()


def _pages_to_walk(world) -> list[tuple[str, str, str, int]]:
    """(URL name, URL, persona, expected status) for every page the walk opens."""
    pages = []
    for route in all_routes():
        if not ONLY.search(route.name):
            continue
        codes = ACCESS[route.name].split()
        if "200" in codes:
            pages.append((route.name, url_for(route, world), PERSONAS[codes.index("200")], 200))
    # The error pages people meet: a URL that does not exist, and one they may not open.
    pages.append(("404 page", "/this-page-does-not-exist/", "anonymous", 404))
    pages.append(("403 page", reverse("accounts:registrar-home"), "worker", 403))
    return pages


def _screenshot(page, name: str) -> str:
    FAILURES.mkdir(exist_ok=True)
    path = FAILURES / f"every-page-{_slug(name)}.png"
    page.screenshot(path=str(path), full_page=True)
    return str(path.relative_to(FAILURES.parent.parent.parent))


def _problems(desktop, phone, persona: str, name: str) -> list[str]:
    """axe-core's findings of every impact on `desktop`, and `phone` if it is wider than
    the phone, each as one line with a screenshot."""
    problems = []
    found = axe_violations(desktop)
    if found:
        shot = _screenshot(desktop, f"{persona}-{name}")
        problems += [f"{desktop.url} as {persona}: {problem} [{shot}]" for problem in found]
    width = page_width(phone)
    if width > PHONE_WIDTH:
        shot = _screenshot(phone, f"{persona}-{name}-phone")
        wide = ", ".join(elements_wider_than(phone, PHONE_WIDTH))
        problems.append(
            f"{phone.url} as {persona}: {width}px wide on a {PHONE_WIDTH}px phone ({wide}) [{shot}]"
        )
    return problems


def _walk_part_way_pages(walker, base_url: str, world) -> list[str]:
    """The PART_WAY pages, each reached the way a person reaches it: an application in
    progress, sent at the end; the second step of a registrar's sign-in."""
    problems = []
    reached = set()

    def check(page, persona: str):
        name = resolve(urlsplit(page.url).path).view_name
        reached.add(name)
        phone = walker.browser.new_context(
            base_url=base_url, viewport={"width": PHONE_WIDTH, "height": 740}, is_mobile=True
        )
        phone.add_cookies(page.context.cookies())
        phone_page = phone.new_page()
        phone_page.goto(page.url)
        problems.extend(_problems(page, phone_page, persona, name + "-" + page.url))
        phone.close()

    applicant = ApplicationFactory(worker__email="amir@example.org").worker
    walker.users["applicant"] = applicant
    page = walker.page("applicant", "desktop")
    for step in STEP_SLUGS:
        page.goto(reverse("register:apply-step", args=[step]))
        check(page, "applicant")
    for name in ("register:apply-documents", "register:apply-check"):
        page.goto(reverse(name))
        check(page, "applicant")
    page.get_by_label("I have read the code of conduct").check()
    page.get_by_role("button", name="Send application").click()
    page.wait_for_url(f"**{reverse('register:apply-submitted')}")
    check(page, "applicant")

    page = walker.page("signing-in", "desktop")
    page.goto(reverse("account_login"))
    page.get_by_label("Email").fill(world.personas["registrar"].email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"**{reverse('mfa_authenticate')}")
    check(page, "registrar")

    assert reached == PART_WAY, f"part-way pages not reached: {PART_WAY - reached}"
    return problems


@pytest.mark.django_db(transaction=True)
def test_every_html_page_passes_axe_and_fits_a_360_pixel_phone(browser, live_server, world):
    walker = _Personas(browser, live_server.url, world.personas)
    failures: list[str] = []
    walked: list[str] = []
    try:
        for name, url, persona, status in _pages_to_walk(world):
            desktop = walker.page(persona, "desktop")
            # Asked first through the context's own request API (same cookies, no navigation),
            # so a PDF or CSV is never opened as a page, where it would start a download.
            answer = desktop.context.request.get(url, max_redirects=0, fail_on_status_code=False)
            answer_status, content_type = answer.status, answer.headers.get("content-type", "")
            answer.dispose()
            if answer_status != status:
                failures.append(f"{url} as {persona}: expected {status}, got {answer_status}")
                continue
            if not content_type.startswith("text/html"):
                continue  # see "Not opened" at the top
            walked.append(name)

            desktop.goto(url)
            phone = walker.page(persona, "phone")
            phone.goto(url)
            failures += _problems(desktop, phone, persona, name)
        if any(ONLY.search(name) for name in PART_WAY):
            failures += _walk_part_way_pages(walker, live_server.url, world)
    finally:
        walker.close()

    assert len(walked) > 60 or os.environ.get("AXE_WALK_ONLY"), (
        f"the walk opened only {len(walked)} pages: {walked}"
    )
    assert not failures, (
        f"{len(failures)} problems on the {len(walked)} HTML pages walked:\n" + "\n".join(failures)
    )
