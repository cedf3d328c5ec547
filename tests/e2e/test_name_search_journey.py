"""Someone without Polish or Irish letters on their keyboard looks a worker up by name on a
360-pixel phone, typing the name as they would (issue 18, item 8)."""

from tests.e2e.accessibility import assert_accessible
from tests.factories import RegisterEntryFactory


def test_a_phone_user_finds_lukasz_and_obrien_by_typing_plain_letters(page):
    RegisterEntryFactory(application__legal_name="Łukasz Nowak", application__town="Leeds")
    RegisterEntryFactory(application__legal_name="Siobhán O'Brien", application__town="Leeds")
    RegisterEntryFactory(application__legal_name="Lucas Newman", application__town="Leeds")
    page.set_viewport_size({"width": 360, "height": 740})

    page.goto("/register/")
    search = page.get_by_label("Name or registration number")
    search.click()
    page.keyboard.type("lukasz")
    page.keyboard.press("Enter")
    results = page.get_by_role("link", name="Łukasz Nowak")
    results.wait_for()
    assert page.get_by_role("link", name="Lucas Newman").count() == 0
    assert_accessible(page)

    search = page.get_by_label("Name or registration number")
    search.fill("")
    search.click()
    page.keyboard.type("siobhan obrien")
    page.keyboard.press("Enter")
    page.get_by_role("link", name="Siobhán O'Brien").click()
    assert "Siobhán O'Brien" in page.locator("h1").inner_text()
