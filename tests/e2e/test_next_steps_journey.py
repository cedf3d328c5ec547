"""After signing in, the home page's next step is one button away, on a 360-pixel phone
(issue 18, item 6)."""

import re

from tests.e2e.accessibility import assert_accessible
from tests.e2e.conftest import sign_in


def test_a_new_care_worker_starts_an_application_from_the_home_page(page, worker):
    page.set_viewport_size({"width": 360, "height": 740})
    sign_in(page, worker)
    assert_accessible(page)
    assert page.get_by_role("link", name="Organisations", exact=True).count() == 0
    page.get_by_role("link", name="Start your application").click()
    page.wait_for_url(re.compile(r"/apply/$"))
    assert page.get_by_role("heading", level=1).count() == 1


def test_an_employer_reaches_the_share_code_check_in_one_click(
    page, employer, employer_organisation
):
    page.set_viewport_size({"width": 360, "height": 740})
    sign_in(page, employer)
    page.get_by_role("link", name="Check a share code").click()
    page.wait_for_url(re.compile(rf"/employer/{employer_organisation.pk}/check/$"))
    assert_accessible(page)


def test_anyone_reaches_the_passport_check_from_the_navigation(page):
    page.goto("/")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Check a passport").click()
    page.wait_for_url(re.compile(r"/verify/$"))
