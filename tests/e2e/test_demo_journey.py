"""The employer demo, finished from the README alone (issue 18, item 5).

`make run` loads the demo with `manage.py seed_demo`. Someone trying it signs in as the demo
worker with the password the README gives, finds her date of birth on her own pages on a
360-pixel phone, and makes a share code that shows her identity checks. The demo employer then
checks that code with the date of birth from the README's table of demo logins, and sees the
checks a registrar recorded before approving her, not "No identity checks are recorded".

The README is read by the test, so what it tells a newcomer is what is tested."""

import importlib
import re
from datetime import datetime
from io import StringIO
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import call_command

from accounts.models import User
from tests.e2e.accessibility import assert_fits_width, assert_no_axe_violations
from tests.e2e.conftest import sign_in
from tests.e2e.dates import type_date
from tests.factories import pay_floors_current

README = Path(__file__).resolve().parents[2] / "README.md"


def readme_demo_logins() -> tuple[str, dict[str, dict[str, str]]]:
    """The password and the rows of the README's "Demo logins" table, by email."""
    text = README.read_text()
    section = text.split("## Demo logins", 1)[1].split("\n## ", 1)[0]
    password = re.search(r"They all use the password `([^`]+)`", section).group(1)
    lines = [line for line in section.splitlines() if line.startswith("|")]
    headings = [cell.strip() for cell in lines[0].strip("|").split("|")]
    rows = {}
    for line in lines[2:]:  # after the headings and the |---| line
        cells = dict(
            zip(headings, (cell.strip() for cell in line.strip("|").split("|")), strict=True)
        )
        rows[cells["Email"].strip("`")] = cells
    return password, rows


def check_phone(page):
    assert_no_axe_violations(page)
    assert_fits_width(page, 360)


def detail(page, term: str) -> str:
    """The value beside `term` in the page's summary list (<dt>term</dt><dd>value</dd>)."""
    term_cell = page.locator("main dt").filter(has_text=re.compile(rf"^{re.escape(term)}$"))
    assert term_cell.count() == 1, f"{page.url} shows no {term!r}"
    return term_cell.locator("xpath=following-sibling::dd[1]").inner_text().strip()


def seed_the_catalogue_again():
    """The pathway roles and training catalogue that the migrations seed, and seed_demo uses:
    a browser test before this one flushed the database, taking them with it. (Serialized
    rollback cannot bring them back: the flush re-creates the content types it would restore.)
    """
    roles = importlib.import_module("register.migrations.0002_pathway_roles_and_trigram_index")
    catalogue = importlib.import_module("passports.migrations.0002_seed_training_catalogue")
    roles.add_pathway_roles(apps, None)
    catalogue.seed(apps, None)
    catalogue.seed_requirements(apps, None)
    # The demo vacancies are published against the pay floors, another migration's rows.
    pay_floors_current()


@pytest.mark.django_db(transaction=True)
def test_the_employer_demo_can_be_finished_from_the_readme(new_page):
    # What `make run` does before the site starts (after the migrations): a person cannot do
    # it in the browser.
    seed_the_catalogue_again()
    call_command("seed_demo", stdout=StringIO())
    password, logins = readme_demo_logins()
    readme_born = logins["worker@example.com"]["Date of birth"]
    assert readme_born, "The README's demo table gives no date of birth for the demo worker"
    born = datetime.strptime(readme_born, "%d %B %Y").date()
    amira = User.objects.get(email="worker@example.com")
    ben = User.objects.get(email="employer@example.com")

    # Amira, on her phone, finds her date of birth on her own registration page.
    phone = new_page("worker", phone=True)
    sign_in(phone, amira, password=password)
    check_phone(phone)
    phone.get_by_text("Menu", exact=True).click()
    phone.get_by_role("link", name="Your registration", exact=True).click()
    phone.wait_for_url(re.compile(r"/my-registration/$"))
    phone.get_by_role("heading", name="Your details").wait_for()
    assert "Registered" in phone.locator("main").inner_text()
    assert detail(phone, "Date of birth") == readme_born
    check_phone(phone)

    # And on her contact details page.
    phone.get_by_role("link", name="Change your contact details or address").click()
    phone.wait_for_url(re.compile(r"/my-registration/details/$"))
    assert detail(phone, "Date of birth") == readme_born
    check_phone(phone)
    phone.get_by_role("link", name="Back", exact=True).click()
    phone.wait_for_url(re.compile(r"/my-registration/$"))

    # She makes a share code that shows her identity checks' outcomes.
    phone.get_by_role("link", name="Share your record with an employer").click()
    phone.wait_for_url(re.compile(r"/my-registration/share-codes/$"))
    check_phone(phone)
    phone.get_by_label("Who is it for? (optional)").press_sequentially("Sunrise Care Homes")
    phone.get_by_label("Also show the outcomes of my identity checks").check()
    phone.get_by_role("button", name="Make a share code").click()
    code = phone.locator("#new-share-code").inner_text().strip()
    assert re.fullmatch(r"[A-Z2-9]{3}-[A-Z2-9]{3}-[A-Z2-9]{3}", code)
    assert "also shows the outcomes of your identity checks" in (
        phone.get_by_role("region", name="Your new share code").inner_text()
    )
    check_phone(phone)

    # Ben, the demo employer, checks the code with the date of birth from the README.
    desk = new_page("employer")
    sign_in(desk, ben, password=password)
    desk.get_by_role("link", name="Your organisations", exact=True).click()
    assert_no_axe_violations(desk)
    desk.get_by_role("link", name="Sunrise Care Homes").click()
    assert_no_axe_violations(desk)
    desk.get_by_role("link", name="Check a share code").first.click()
    assert_no_axe_violations(desk)
    desk.get_by_label("Share code").press_sequentially(code)
    type_date(desk, "The worker's date of birth", born)
    desk.get_by_role("button", name="Check").click()
    desk.get_by_role("heading", name="Amira Care-Worker").wait_for()
    assert detail(desk, "Status") == "Registered"
    assert detail(desk, "May practise") == "Yes"

    # The checks a registrar recorded before approving her: photo ID, DBS, right to work and
    # her two references, each passed.
    desk.get_by_role("heading", name="Identity checks").wait_for()
    assert "No identity checks are recorded" not in desk.content()
    checks = desk.get_by_role("table", name="Identity checks a registrar made")
    rows = [
        [cell.inner_text().strip() for cell in row.get_by_role("cell").all()]
        for row in checks.locator("tbody tr").all()
    ]
    assert sorted((check_type, outcome) for check_type, outcome, _date in rows) == [
        ("Enhanced DBS certificate with barred-list check", "Passed"),
        ("Photo identity document", "Passed"),
        ("Reference", "Passed"),
        ("Reference", "Passed"),
        ("Right to work", "Passed"),
    ]
    assert_no_axe_violations(desk)

    # Amira sees that Ben saw her record.
    phone.goto("/my-registration/share-codes/")
    # One table a code: the one Ben checked just now, and those her employers' staff lists
    # came from (seeded by the stories demo).
    log = phone.get_by_role("table").filter(has_text="Saw your record").last.inner_text()
    assert "Sunrise Care Homes" in log and "Ben Employer" in log and "Saw your record" in log
    check_phone(phone)
