"""The API documentation in a real Chromium: Swagger UI renders from our own static files with
no Content Security Policy violation and no console error, and passes axe-core; so does the
plain list of endpoints, on a phone too."""

import pytest

from tests.e2e.accessibility import assert_accessible, assert_fits_width

# Recorded before any of the page's own scripts run: a blocked script or style fires this event.
RECORD_CSP_VIOLATIONS = """
window.cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.cspViolations.push(event.violatedDirective + " " + event.blockedURI);
});
"""


def _watch(page) -> list[str]:
    problems: list[str] = []
    page.add_init_script(RECORD_CSP_VIOLATIONS)
    page.on(
        "console",
        lambda message: problems.append(message.text) if message.type == "error" else None,
    )
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on(
        "requestfailed",
        lambda request: problems.append(f"request failed: {request.url}"),
    )
    # The site has no favicon yet, and Chromium asks for /favicon.ico on every page.
    page.route("**/favicon.ico", lambda route: route.fulfill(status=204))
    return problems


@pytest.mark.django_db(transaction=True)
def test_swagger_ui_renders_from_local_assets_within_the_csp_and_passes_axe(page, live_server):
    problems = _watch(page)
    outside = []
    page.on(
        "request",
        lambda request: (
            outside.append(request.url) if not request.url.startswith(live_server.url) else None
        ),
    )

    response = page.goto("/api/v1/docs/")

    assert "default-src 'self'" in response.headers["content-security-policy"]
    page.locator(".opblock").first.wait_for()
    page.get_by_text("Search the public register").wait_for()
    assert page.locator(".opblock").count() >= 8
    # Open one operation, so its parameters, examples and responses are checked too.
    page.locator("#operations-register-register_search .opblock-summary-control").click()
    page.locator("#operations-register-register_search .responses-table").wait_for()
    assert page.evaluate("window.cspViolations") == []
    assert problems == []
    assert outside == []
    assert_accessible(page)

    # "Try it out" calls the API from the page, which the CSP's connect rule ('self') allows.
    operation = page.locator("#operations-register-register_search")
    operation.get_by_role("button", name="Try it out").click()
    operation.locator("input[placeholder='q']").fill("smith")
    operation.get_by_role("button", name="Execute").click()
    status = operation.locator(".live-responses-table tbody .response-col_status").first
    status.wait_for()
    assert status.inner_text().strip() == "200"
    assert page.evaluate("window.cspViolations") == []
    assert problems == []


@pytest.mark.django_db(transaction=True)
def test_the_plain_list_of_endpoints_is_accessible_on_a_phone(phone_page):
    problems = _watch(phone_page)

    phone_page.goto("/api/v1/")

    phone_page.get_by_role("heading", name="Care Register API").wait_for()
    phone_page.get_by_role("heading", name="GET /api/v1/me/training-records/").wait_for()
    assert phone_page.evaluate("window.cspViolations") == []
    assert problems == []
    assert_accessible(phone_page)
    assert_fits_width(phone_page, 360)
