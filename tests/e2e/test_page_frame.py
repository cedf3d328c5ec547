"""The frame round every page: the beta banner inside a landmark and the favicon served
(issue 18, item 19)."""

from axe_playwright_python.sync_playwright import Axe


def test_the_beta_banner_is_inside_a_landmark_and_the_favicon_loads(page):
    icons = []
    page.on("response", lambda response: "favicon" in response.url and icons.append(response))
    page.goto("/")
    page.wait_for_load_state("networkidle")
    results = Axe().run(page, options={"runOnly": ["region"]})
    assert results.response["violations"] == []
    banner = page.get_by_text("This is a new, voluntary register")
    assert banner.evaluate("el => el.closest('header') !== null")
    assert icons and all(response.status == 200 for response in icons)
