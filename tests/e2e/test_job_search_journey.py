"""A person looks for a care job near them, on a phone and on a desktop: by postcode district
or town and distance, with filters, sorted, and on to a vacancy's page from its result. Each
result says the hourly rate a worker can count on. axe-core checks every page, and every page
fits a 360-pixel screen. (The vacancy's own page is another part of the jobs service: the
journey stops at the link to it.)"""

from decimal import Decimal

import pytest

from jobs.models import Place, Vacancy
from tests.e2e.accessibility import assert_accessible, assert_fits_width
from tests.factories import OrganisationFactory, VacancyFactory, place_make, places_leeds

# Real places: Headingley is 2 miles from LS1, Otley 9.5, York 22.
HEADINGLEY = (53.8196, -1.5790)
OTLEY = (53.9050, -1.6917)
YORK = (53.9576, -1.0827)


def _vacancies() -> dict[str, Vacancy]:
    places_leeds()
    place_make(Place.Kind.TOWN, "york", "York", *YORK, "England")
    employer = OrganisationFactory(name="Sunrise Care")
    made = {
        "home": VacancyFactory(
            status=Vacancy.Status.PUBLISHED,
            organisation=employer,
            title="Home carer, north Leeds",
            home_care=True,
            latitude=HEADINGLEY[0],
            longitude=HEADINGLEY[1],
        ),
        "otley": VacancyFactory(
            status=Vacancy.Status.PUBLISHED,
            organisation=employer,
            title="Senior carer at Søndergård House",
            pay_amount=Decimal("14.00"),
            latitude=OTLEY[0],
            longitude=OTLEY[1],
        ),
        "york": VacancyFactory(
            status=Vacancy.Status.PUBLISHED,
            organisation=employer,
            title="Night carer, York",
            pay_amount=Decimal("15.50"),
            latitude=YORK[0],
            longitude=YORK[1],
        ),
    }
    return made


def _checked(page) -> None:
    assert_accessible(page)
    assert_fits_width(page, 360)


def _titles(page) -> list[str]:
    return page.locator(".card h3").all_inner_texts()


@pytest.mark.django_db(transaction=True)
def test_a_person_finds_a_job_by_postcode_district_on_a_phone(new_page):
    made = _vacancies()
    phone = new_page("phone", phone=True)

    phone.goto("/jobs/")
    phone.get_by_role("heading", name="Find a job in care").wait_for()
    _checked(phone)

    # A postcode district and a distance, typed and sent from the keyboard.
    phone.get_by_label("Postcode or town").fill("ls1")
    phone.get_by_label("Distance").select_option("10")
    phone.get_by_label("Postcode or town").press("Enter")
    phone.get_by_role("heading", name="2 jobs within 10 miles of LS1").wait_for()
    assert _titles(phone) == ["Home carer, north Leeds", "Senior carer at Søndergård House"]
    home = phone.locator(".card").first
    assert "2.0 miles away" in home.inner_text()
    assert "£12.85 an hour, counting unpaid travel" in home.inner_text()
    _checked(phone)

    # A filter: travel time paid leaves out the home care round whose travel is unpaid.
    phone.get_by_text("Filters").click()
    phone.get_by_label("Travel time between visits paid (or no travel)").check()
    phone.get_by_role("button", name="Search").click()
    phone.get_by_role("heading", name="1 job within 10 miles of LS1").wait_for()
    assert _titles(phone) == ["Senior carer at Søndergård House"]
    _checked(phone)

    # Too narrow: nothing within 5 miles, and the page offers a wider search.
    phone.get_by_label("Distance").select_option("5")
    phone.get_by_role("button", name="Search").click()
    phone.get_by_text("No jobs match your search.").wait_for()
    _checked(phone)
    phone.get_by_role("link", name="Search within 10 miles").click()
    phone.get_by_role("heading", name="1 job within 10 miles of LS1").wait_for()

    link = phone.get_by_role("link", name="Senior carer at Søndergård House")
    assert link.get_attribute("href") == f"/jobs/{made['otley'].reference}/"


@pytest.mark.django_db(transaction=True)
def test_a_person_finds_a_job_by_town_sorts_by_pay_and_opens_it_on_a_desktop(new_page):
    made = _vacancies()
    desktop = new_page("desktop")

    desktop.goto("/jobs/")
    desktop.get_by_label("Keywords").fill("carer")
    desktop.get_by_label("Postcode or town").fill("Leeds")
    desktop.get_by_label("Distance").select_option("25")
    desktop.get_by_role("button", name="Search").click()
    desktop.get_by_role("heading", name="3 jobs within 25 miles of Leeds").wait_for()
    assert _titles(desktop)[0] == "Home carer, north Leeds"
    assert_accessible(desktop)

    desktop.get_by_label("Sort by").select_option("pay")
    desktop.get_by_role("button", name="Search").click()
    desktop.get_by_text("Sorted by hourly pay, highest first.").wait_for()
    assert _titles(desktop) == [
        "Night carer, York",
        "Senior carer at Søndergård House",
        "Home carer, north Leeds",
    ]
    assert_accessible(desktop)

    # A keyword typed without its letters still finds the name.
    desktop.get_by_label("Keywords").fill("sondergard")
    desktop.get_by_role("button", name="Search").click()
    desktop.get_by_role("heading", name="1 job within 25 miles of Leeds").wait_for()

    # The result opens its vacancy's page.
    with desktop.expect_navigation():
        desktop.get_by_role("link", name="Senior carer at Søndergård House").click()
    assert desktop.url.endswith(f"/jobs/{made['otley'].reference}/")
    desktop.get_by_role("heading", name="Senior carer at Søndergård House").wait_for()
    assert_accessible(desktop)
