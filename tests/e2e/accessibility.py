"""axe-core, run in the page the browser is showing. The script comes inside the
axe-playwright-python package, so nothing is fetched from the network."""

from axe_playwright_python.sync_playwright import Axe

BLOCKING_IMPACTS = {"serious", "critical"}
_axe = Axe()


def assert_accessible(page) -> None:
    """Fail on any serious or critical axe-core violation, naming each rule and element."""
    results = _axe.run(page)
    blocking = [
        violation
        for violation in results.response["violations"]
        if violation.get("impact") in BLOCKING_IMPACTS
    ]
    details = [
        f"{violation['id']} ({violation['impact']}): {violation['help']} -> "
        + ", ".join(str(node["target"]) for node in violation["nodes"][:5])
        for violation in blocking
    ]
    assert not blocking, f"axe-core found on {page.url}:\n" + "\n".join(details)


def assert_fits_width(page, width: int) -> None:
    """Nothing makes the page scroll sideways on a screen `width` pixels wide."""
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= width, f"{page.url} is {scroll_width}px wide on a {width}px screen"
