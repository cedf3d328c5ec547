"""Browser journeys: Playwright drives the system's Chromium (Debian's `chromium` package),
never a browser that Playwright downloads.

With no Chromium on the machine the journeys are skipped, and pytest says so in its summary.
CI sets REQUIRE_BROWSER_TESTS=1, which turns that skip into a failure.

The people in the journeys are the personas of tests/conftest.py (`worker`, with `entry` when
she is on the register, `employer`, `provider`, `association_admin`, `registrar` with an
authenticator app, ...), each signed in through the sign-in page with `sign_in(page, user)`.
"""

import os
import re
import shutil
import time
from pathlib import Path

import pytest
from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from allauth.mfa.utils import decrypt

from tests.factories import PASSWORD, code_of_conduct_current, pay_floors_current

# Playwright's sync API keeps an event loop running in the test process for the whole session,
# while the tests (and pytest-django's database set-up) use the ORM synchronously; Django refuses
# that unless told otherwise. The project has no async code for the check to protect, and the
# settings tests scrub the variable before starting a real server process.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

FAILURES = Path(__file__).parent / "failures"
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


HOME = re.compile(r"^https?://[^/]+/$")


def totp_code(secret: str) -> str:
    """The code an authenticator app with `secret` shows now."""
    counter = int(time.time()) // mfa_settings.TOTP_PERIOD
    return format_hotp_value(hotp_value(secret, counter))


def sign_in(page, user, *, password: str = PASSWORD) -> None:
    """Sign `user` in through the sign-in page, with a code from their authenticator app when
    they have one, and wait for the home page."""
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    app = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
    if app is not None:
        page.wait_for_url(re.compile(r"/accounts/2fa/authenticate/"))
        page.get_by_label("Code").fill(totp_code(decrypt(app.data["secret"])))
        page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(HOME)


def sign_out(page) -> None:
    page.get_by_role("button", name="Sign out").click()
    page.get_by_role("link", name="Sign in").first.wait_for()


def find_chromium() -> str | None:
    for candidate in (
        os.environ.get("CHROMIUM_PATH"),
        shutil.which("chromium"),
        shutil.which("chromium-browser"),
        "/usr/bin/chromium",
    ):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    return None


def pytest_collection_modifyitems(config, items):
    browser_items = [item for item in items if "tests/e2e/" in item.nodeid]
    for item in browser_items:
        item.add_marker(pytest.mark.browser)
    if not browser_items or find_chromium():
        return
    reason = (
        "Chromium not found (looked for $CHROMIUM_PATH, chromium on PATH, /usr/bin/chromium): "
        "browser journeys skipped. Install Debian's 'chromium' package to run them."
    )
    if os.environ.get("REQUIRE_BROWSER_TESTS") == "1":
        raise pytest.UsageError("REQUIRE_BROWSER_TESTS=1 but " + reason)
    for item in browser_items:
        item.add_marker(pytest.mark.skip(reason=reason))


@pytest.hookimpl(tryfirst=True, hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"report_{report.when}", report)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=find_chromium(), args=CHROMIUM_ARGS, headless=True
        )
        yield chromium
        chromium.close()


def _keep_evidence(request, label: str, page) -> None:
    """A screenshot and the HTML of what `page` showed when the test failed."""
    if page.is_closed():
        return
    FAILURES.mkdir(exist_ok=True)
    name = re.sub(r"[^A-Za-z0-9_.-]+", "_", f"{request.node.nodeid}-{label}")
    page.screenshot(path=str(FAILURES / f"{name}.png"), full_page=True)
    (FAILURES / f"{name}.html").write_text(page.content())


@pytest.fixture(autouse=True)
def _links_point_at_the_live_server(request, settings):
    """Every link the service writes (emails, QR codes, credential addresses) starts with
    SITE_URL, as `make run` sets it from PORT: here, the live server's own address, on a port
    that is never 8000, so a journey that follows an emailed link as it is proves the link
    works (issue 18, item 3)."""
    if "live_server" in request.fixturenames or "new_page" in request.fixturenames:
        settings.SITE_URL = request.getfixturevalue("live_server").url


@pytest.fixture(autouse=True)
def _the_code_of_conduct(request):
    """The code of conduct's first version comes from a migration, and a browser test's
    database is emptied after each test, taking it along: every journey starts with it, as
    the register always has it."""
    if "live_server" in request.fixturenames:
        request.getfixturevalue("transactional_db")
        code_of_conduct_current()


@pytest.fixture(autouse=True)
def _the_pay_floors(request):
    """The National Living Wage's rates come from a migration too, and go with the emptied
    database: every journey starts with them."""
    if "live_server" in request.fixturenames:
        request.getfixturevalue("transactional_db")
        pay_floors_current()


@pytest.fixture
def new_page(request, browser, live_server):
    """Open a page in a browser context of its own (its own cookies: a separate person).

    `new_page("public", phone=True)` gives a 360-pixel phone. Every page opened is kept as a
    screenshot and its HTML in tests/e2e/failures/ if the test fails, named after the test and
    the label.
    """
    opened = []

    def open_page(label: str, *, phone: bool = False):
        if phone:
            context = browser.new_context(
                base_url=live_server.url, viewport={"width": 360, "height": 740}, is_mobile=True
            )
        else:
            context = browser.new_context(
                base_url=live_server.url, viewport={"width": 1024, "height": 800}
            )
        context.set_default_timeout(10_000)
        page = context.new_page()
        opened.append((label, page))
        return page

    yield open_page
    report = getattr(request.node, "report_call", None)
    for label, page in opened:
        if report is not None and report.failed:
            _keep_evidence(request, label, page)
        page.context.close()


@pytest.fixture
def page(new_page):
    return new_page("desktop")


@pytest.fixture
def phone_page(new_page):
    """A 360-pixel-wide phone screen."""
    return new_page("phone", phone=True)
