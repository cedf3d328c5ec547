"""axe-core, run in the page the browser is showing. The script comes inside the
axe-playwright-python package, so nothing is fetched from the network.

Every check counts every impact, minor and moderate as well as serious and critical (issue 18):
a "minor" finding such as a page with no level-one heading or a landmark without a name is
still something a screen-reader user trips over."""

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Error as PlaywrightError

_axe = Axe()


def axe_violations(page) -> list[str]:
    """Each axe-core violation on the page, of any impact, as one line naming the rule and up
    to five of the elements it found.

    A journey may check a page just after a click that navigates: axe then runs as the old
    document goes and finds none. It waits for the page to load, and runs once more if the
    document went away under it."""
    page.wait_for_load_state("load")
    try:
        results = _axe.run(page)
    except PlaywrightError as error:
        if "documentElement" not in str(error):
            raise
        page.wait_for_load_state("load")
        results = _axe.run(page)
    return [
        f"{violation['id']} ({violation['impact']}): {violation['help']} -> "
        + ", ".join(str(node["target"]) for node in violation["nodes"][:5])
        for violation in results.response["violations"]
    ]


def assert_no_axe_violations(page) -> None:
    """Fail on any axe-core violation of any impact, naming each rule and element."""
    details = axe_violations(page)
    assert not details, f"axe-core found on {page.url}:\n" + "\n".join(details)


# The journeys' older name for the same check; it once let minor and moderate findings through.
assert_accessible = assert_no_axe_violations


def page_width(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


# The outermost elements whose right edge passes the screen's: where to look for the cause.
_STICKING_OUT = """(width) => {
  const out = [];
  for (const element of document.body.querySelectorAll("*")) {
    if (element.getBoundingClientRect().right <= width + 0.5) continue;
    if (out.some((outer) => outer.contains(element))) continue;
    // Inside a scrolling box the element is clipped, unless it is positioned against
    // something outside that box (a visually hidden label, say), when it widens the page.
    const position = getComputedStyle(element).position;
    let escapes = position === "absolute" || position === "fixed";
    let clipped = false;
    for (let parent = element.parentElement; parent && !clipped; parent = parent.parentElement) {
      const style = getComputedStyle(parent);
      if (position === "absolute" && style.position !== "static") escapes = false;
      const scrolls = style.overflowX !== "visible";
      clipped = !escapes && scrolls && parent.getBoundingClientRect().right <= width + 0.5;
    }
    if (clipped) continue;
    out.push(element);
  }
  return out.slice(0, 5).map((element) => {
    const classes = [...element.classList].map((name) => "." + name).join("");
    return element.tagName.toLowerCase() + (element.id ? "#" + element.id : "") + classes;
  });
}"""


def elements_wider_than(page, width: int) -> list[str]:
    """The outermost elements that reach past `width` pixels, as tag#id.class."""
    return page.evaluate(_STICKING_OUT, width)


def assert_fits_width(page, width: int) -> None:
    """Nothing makes the page scroll sideways on a screen `width` pixels wide."""
    scroll_width = page_width(page)
    assert scroll_width <= width, f"{page.url} is {scroll_width}px wide on a {width}px screen"
