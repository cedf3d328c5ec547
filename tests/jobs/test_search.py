"""The one search of vacancies (jobs/search.py): its form, every filter and sort, distances from
real places, and the columns the vacancy services keep for it. Run on SQLite and PostgreSQL:
the keyword match and the distance are SQL that must agree on both."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from jobs.geo import MILES_PER_DEGREE, haversine_miles
from jobs.models import Place, Vacancy
from jobs.search import (
    VacancySearchForm,
    criteria_describe,
    criteria_params,
    vacancy_search,
)
from jobs.services.vacancies import VacancyInvalid, vacancy_create, vacancy_publish, vacancy_update
from tests.factories import (
    OrganisationFactory,
    PathwayRoleFactory,
    VacancyFactory,
    place_make,
    places_leeds,
)

pytestmark = pytest.mark.django_db

Status = Vacancy.Status
LEEDS = (53.7969, -1.5470)  # the LS1 district's centroid, where places_leeds() puts it
# Real places around Leeds, and their distance from LS1 in miles (haversine).
AROUND_LEEDS = {
    "Headingley": ((53.8196, -1.5790), 2.04),
    "Otley": ((53.9050, -1.6917), 9.52),
    "Harrogate": ((53.9908, -1.5373), 13.40),
    "York": ((53.9576, -1.0827), 21.93),
    "Sheffield": ((53.3811, -1.4701), 28.90),
    "Hull": ((53.7446, -0.3360), 49.58),
    "Nottingham": ((52.9536, -1.1505), 60.52),
}


@pytest.fixture(autouse=True)
def _places():
    places_leeds()


def published(**terms) -> Vacancy:
    return VacancyFactory(status=Status.PUBLISHED, **terms)


def search(data: dict | None = None, **kwargs) -> list[Vacancy]:
    form = VacancySearchForm(data or {})
    assert form.is_valid(), form.errors
    return list(vacancy_search(criteria=form.criteria(), **kwargs))


def errors(data: dict) -> dict:
    form = VacancySearchForm(data)
    assert not form.is_valid()
    return {name: list(messages) for name, messages in form.errors.items()}


def at(name: str, **terms) -> Vacancy:
    (latitude, longitude), _miles = AROUND_LEEDS[name]
    return published(title=f"Carer in {name}", latitude=latitude, longitude=longitude, **terms)


# --- What is searched at all ------------------------------------------------------------------


def test_only_published_vacancies_before_their_closing_date_are_found():
    live = published()
    VacancyFactory(status=Status.DRAFT)
    VacancyFactory(status=Status.CLOSED)
    VacancyFactory(status=Status.WITHDRAWN)
    VacancyFactory(status=Status.FILLED)
    published(closing_date=timezone.localdate() - datetime.timedelta(days=1))
    today = published(closing_date=timezone.localdate())

    assert set(search()) == {live, today}


def test_without_a_place_there_is_no_distance_and_the_newest_come_first():
    older = published(published_at=timezone.now() - datetime.timedelta(days=2))
    newer = published(published_at=timezone.now() - datetime.timedelta(hours=1))

    found = search()

    assert found == [newer, older]
    assert [vacancy.distance_miles for vacancy in found] == [None, None]


def test_published_after_keeps_only_the_newer_matches_for_an_alert():
    cut = timezone.now() - datetime.timedelta(days=1)
    published(published_at=cut - datetime.timedelta(minutes=1))
    at_the_cut = published(published_at=cut)
    new = published(published_at=cut + datetime.timedelta(minutes=1))

    assert search(published_after=cut) == [new]
    assert at_the_cut not in search(published_after=cut)


# --- Distance ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("miles", "inside"),
    [
        (5, {"Headingley"}),
        (10, {"Headingley", "Otley"}),
        (25, {"Headingley", "Otley", "Harrogate", "York"}),
        (50, {"Headingley", "Otley", "Harrogate", "York", "Sheffield", "Hull"}),
    ],
)
def test_a_distance_keeps_the_real_places_within_it(miles, inside):
    for name in AROUND_LEEDS:
        at(name)

    found = search({"where": "LS1", "miles": str(miles)})

    assert {vacancy.title.removeprefix("Carer in ") for vacancy in found} == inside
    for vacancy in found:
        (latitude, longitude), expected = AROUND_LEEDS[vacancy.title.removeprefix("Carer in ")]
        assert vacancy.distance_miles == pytest.approx(expected, abs=0.02)
        assert vacancy.distance_miles == pytest.approx(
            haversine_miles(*LEEDS, latitude, longitude), abs=0.01
        )


def test_nearest_come_first_when_sorted_by_distance():
    for name in ("York", "Headingley", "Harrogate"):
        at(name)

    found = search({"where": "LS1", "miles": "25"})

    assert [v.title for v in found] == [
        "Carer in Headingley",
        "Carer in Harrogate",
        "Carer in York",
    ]


@pytest.mark.parametrize("direction", ["north", "south", "east", "west"])
def test_the_edge_of_the_circle_is_kept_and_just_past_it_is_not(direction):
    latitude, longitude = LEEDS

    def point(miles: float) -> tuple[float, float]:
        if direction in ("north", "south"):
            sign = 1 if direction == "north" else -1
            return latitude + sign * miles / MILES_PER_DEGREE, longitude
        sign = 1 if direction == "east" else -1
        import math

        degrees = miles / (MILES_PER_DEGREE * math.cos(math.radians(latitude)))
        return latitude, longitude + sign * degrees

    inside = published(title="Inside", latitude=point(9.98)[0], longitude=point(9.98)[1])
    published(title="Outside", latitude=point(10.02)[0], longitude=point(10.02)[1])

    found = search({"where": "LS1", "miles": "10"})

    assert found == [inside]
    assert found[0].distance_miles == pytest.approx(9.98, abs=0.01)


def test_a_vacancy_that_could_not_be_placed_is_not_found_by_distance():
    published(latitude=None, longitude=None)

    assert search({"where": "LS1"}) == []
    assert len(search()) == 1


def test_a_town_and_a_full_postcode_are_searched_from_too():
    place_make(Place.Kind.POSTCODE, "LS14AP", "LS1 4AP", 53.8008, -1.5491)
    headingley = at("Headingley")

    assert search({"where": "ls1 4ap"}) == [headingley]
    assert search({"where": "LEEDS"}) == [headingley]
    # A full postcode not loaded falls back to its district.
    assert search({"where": "LS1 9ZZ"}) == [headingley]


def test_the_distance_is_ten_miles_when_none_is_given():
    at("Otley")
    at("Harrogate")

    form = VacancySearchForm({"where": "LS1"})

    assert form.is_valid()
    assert form.cleaned_data["miles"] == 10
    assert [v.title for v in vacancy_search(criteria=form.criteria())] == ["Carer in Otley"]


# --- Filters ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "keyword"),
    [
        ("Łukasz's care team", "lukasz"),
        ("Łukasz's care team", "ŁUKASZ"),
        ("Senior carer at Søndergård", "sondergard"),
        ("Senior carer at Søndergård", "SØNDERGÅRD"),
        ("O'Brien House night carer", "obrien"),
        ("O'Brien House night carer", "O’Brien"),
        ("O'Brien House night carer", "o'brien night"),
        ("Night Carer", "night CARER"),
        ("Night Carer", "carer jobs"),
    ],
)
def test_a_keyword_finds_titles_as_people_type_them(title, keyword):
    wanted = published(title=title)
    # The same employer, whose made-up name could hold a keyword.
    published(title="Cook", organisation=wanted.organisation)

    assert search({"keyword": keyword}) == [wanted]


def test_a_keyword_finds_the_workplace_the_employer_and_the_town():
    wanted = published(title="Carer", workplace_name="Hólar Ørchard")
    published(title="Carer", workplace_name="Elm Lodge", organisation=wanted.organisation)

    other = published(title="Carer", organisation=OrganisationFactory(name="Zebedee Cåre"))

    assert search({"keyword": "holar orchard"}) == [wanted]
    assert search({"keyword": "zebedee care"}) == [other]


def test_a_keyword_word_must_start_a_word():
    published(title="Scarer", organisation=OrganisationFactory(name="Acme"))

    assert search({"keyword": "carer"}) == []
    assert search({"keyword": "scar"}) != []


def test_the_role_list_is_read_when_the_form_is_drawn_and_only_once(
    django_assert_num_queries,
):
    role = PathwayRoleFactory()
    with django_assert_num_queries(0):
        # Job alerts read thousands of saved searches with this form and never draw it.
        form = VacancySearchForm({"keyword": "carer"})
        assert form.is_valid()
    with django_assert_num_queries(1):
        drawn = str(form["role"])
        assert str(form["role"]) == drawn
    assert f'<option value="{role.code}">{role.title}</option>' in drawn
    assert '<option value="" selected>Any role</option>' in drawn


def test_the_role_is_found_by_its_code_or_its_id():
    role = PathwayRoleFactory(code="lead-practitioner", title="Lead practitioner")
    wanted = published(pathway_role=role)
    published()

    assert search({"role": "lead-practitioner"}) == [wanted]
    assert search({"role": str(role.pk)}) == [wanted]
    assert errors({"role": "astronaut"}) == {"role": ["Choose a role from the list."]}


def test_the_setting_filter():
    home = published(home_care=True)
    published()

    assert search({"setting": "home_care"}) == [home]


def test_more_than_one_contract_may_be_chosen():
    bank = published(contract=Vacancy.Contract.BANK, guaranteed_hours=Decimal("0"))
    zero = published(contract=Vacancy.Contract.NO_GUARANTEED_HOURS, guaranteed_hours=Decimal("0"))
    published(contract=Vacancy.Contract.PERMANENT)

    assert set(search({"contract": ["bank", "no_guaranteed_hours"]})) == {bank, zero}


def test_the_lowest_pay_is_compared_with_the_rate_a_worker_can_count_on():
    # £15.00 with 10 unpaid travel minutes an hour is £12.85 an hour for each hour given.
    home = published(home_care=True)
    band = published(
        pay_kind=Vacancy.PayKind.HOURLY_BAND,
        pay_amount=Decimal("13.00"),
        pay_amount_to=Decimal("16"),
    )
    # £28,000 for 37.5 hours a week × 52.14 weeks is £14.32 an hour.
    annual = published(pay_kind=Vacancy.PayKind.ANNUAL, pay_amount=Decimal("28000"))

    assert (home.search_hourly_pay, band.search_hourly_pay, annual.search_hourly_pay) == (
        Decimal("12.85"),
        Decimal("13.00"),
        Decimal("14.32"),
    )
    assert set(search({"min_pay": "12.85"})) == {home, band, annual}
    assert set(search({"min_pay": "£12.86"})) == {band, annual}
    assert search({"min_pay": "13.01"}) == [annual]
    assert search({"min_pay": "14.33"}) == []


@pytest.mark.parametrize(
    ("hours", "kept"),
    [("full_time", {"full", "zero"}), ("part_time", {"part"}), ("guaranteed_full_time", {"full"})],
)
def test_the_hours_filter(hours, kept):
    made = {
        "full": published(typical_hours=Decimal("37.5"), guaranteed_hours=Decimal("30")),
        "part": published(typical_hours=Decimal("20"), guaranteed_hours=Decimal("16")),
        "zero": published(
            contract=Vacancy.Contract.NO_GUARANTEED_HOURS,
            typical_hours=Decimal("35"),
            guaranteed_hours=Decimal("0"),
        ),
    }

    assert set(search({"hours": hours})) == {made[name] for name in kept}


def test_no_driving_needed():
    walking = published(driving_needed=False)
    published(driving_needed=True, mileage_pence_per_mile=Decimal("45"))

    assert search({"no_driving": "true"}) == [walking]
    assert len(search({"no_driving": "false"})) == 2


def test_travel_paid_leaves_out_home_care_with_unpaid_travel_only():
    care_home = published()
    paid = published(home_care=True, travel_time_paid=True, unpaid_travel_minutes_per_hour=None)
    published(home_care=True)

    assert set(search({"travel_paid": "on"})) == {care_home, paid}


def test_paid_trial_and_sponsorship():
    trial = published(paid_trial_offered=True)
    sponsor = published(
        paid_trial_offered=False, visa_sponsorship=Vacancy.VisaSponsorship.IN_COUNTRY_SWITCH
    )

    assert search({"paid_trial": "1"}) == [trial]
    assert search({"sponsorship": "yes"}) == [sponsor]


# --- Sorts ------------------------------------------------------------------------------------


def test_sorted_by_pay_the_highest_hourly_rate_comes_first():
    low = published(pay_amount=Decimal("12.80"))
    high = published(pay_amount=Decimal("16.00"))
    home = published(home_care=True)  # £12.85 effective

    assert search({"sort": "pay"}) == [high, home, low]


def test_sorted_by_newest_even_with_a_place():
    near_old = at("Headingley", published_at=timezone.now() - datetime.timedelta(days=3))
    far_new = at("Otley", published_at=timezone.now())

    assert search({"where": "LS1", "sort": "newest"}) == [far_new, near_old]
    assert search({"where": "LS1"}) == [near_old, far_new]


# --- What the form says -----------------------------------------------------------------------


def test_a_place_that_cannot_be_found_says_so():
    assert errors({"where": "Atlantis"}) == {
        "where": ["We could not find Atlantis. Try a full postcode or a town name."]
    }


def test_a_town_with_namesakes_says_which_one_was_used():
    newport = place_make(Place.Kind.TOWN, "newport", "Newport", 51.5877, -2.9984, "Wales")
    Place.objects.filter(pk=newport.pk).update(namesakes=2)

    form = VacancySearchForm({"where": "newport"})

    assert form.is_valid()
    assert form.place_note == (
        "Showing jobs near Newport, Wales. There are 2 other places called Newport: type a "
        "postcode to search near another."
    )


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"miles": "7", "where": "LS1"}, "miles", "Choose a distance of 5, 10, 25 or 50 miles."),
        ({"min_pay": "lots"}, "min_pay", "Enter the lowest hourly pay in pounds"),
        ({"min_pay": "0"}, "min_pay", "Enter the lowest hourly pay in pounds"),
        ({"min_pay": "-3"}, "min_pay", "Enter the lowest hourly pay in pounds"),
        ({"setting": "moon_base"}, "setting", "Choose a setting from the list."),
        ({"contract": ["forever"]}, "contract", "Choose contracts from the list"),
        ({"hours": "some"}, "hours", "Choose hours from the list."),
        ({"sort": "random"}, "sort", "Sort by distance, newest or pay."),
        ({"sort": "distance"}, "sort", "Enter a postcode or town to sort by distance."),
        ({"keyword": "x" * 101}, "keyword", "Ensure this value has at most 100 characters"),
    ],
)
def test_bad_input_is_named_in_words(data, field, message):
    assert errors(data)[field][0].startswith(message)


def test_criteria_go_back_to_parameters_and_into_words():
    role = PathwayRoleFactory(code="care-worker-x", title="Care worker")
    data = {
        "keyword": "night",
        "where": "ls1",
        "miles": "25",
        "role": "care-worker-x",
        "contract": ["bank", "permanent"],
        "min_pay": "12.5",
        "travel_paid": "true",
    }
    form = VacancySearchForm(data)
    assert form.is_valid()
    criteria = form.criteria()

    params = criteria_params(criteria)
    again = VacancySearchForm(params)

    assert again.is_valid()
    assert again.criteria() == criteria
    assert params["role"] == role.code
    assert criteria_describe(criteria) == (
        "Care worker jobs matching “night” within 25 miles of LS1, bank or permanent, paying "
        "at least £12.50 an hour, travel time between visits paid (or no travel)"
    )


# --- The columns the services keep -------------------------------------------------------------


def test_creating_a_vacancy_places_it_and_keeps_its_pay_and_words(employer, employer_organisation):
    vacancy = vacancy_create(
        organisation=employer_organisation,
        user=employer,
        data={
            "title": "Nøtt carer",
            "postcode": "ls1 4ap",
            "pay_kind": "hourly",
            "pay_amount": Decimal("14"),
        },
    )

    vacancy.refresh_from_db()
    assert (vacancy.latitude, vacancy.longitude) == LEEDS
    assert vacancy.search_hourly_pay == Decimal("14.00")
    assert vacancy.search_text.startswith("nott carer")


def test_updating_a_vacancy_keeps_its_columns_in_step(employer, employer_organisation):
    vacancy = VacancyFactory(organisation=employer_organisation, created_by=employer)
    place_make(Place.Kind.TOWN, "york", "York", 53.9576, -1.0827, "England")

    vacancy_update(
        vacancy=vacancy,
        user=employer,
        data={"postcode": "YO1 7HH", "town": "York", "pay_amount": Decimal("13.50")},
    )

    vacancy.refresh_from_db()
    # YO1 is not loaded, so the town places it.
    assert (vacancy.latitude, vacancy.longitude) == (53.9576, -1.0827)
    assert vacancy.search_hourly_pay == Decimal("13.50")


def test_publishing_a_vacancy_that_cannot_be_placed_is_refused_on_its_postcode(
    employer, employer_organisation
):
    vacancy = VacancyFactory(
        organisation=employer_organisation, created_by=employer, postcode="ZE1 0AA", town="Lerwick"
    )

    with pytest.raises(VacancyInvalid) as refused:
        vacancy_publish(vacancy=vacancy, user=employer)

    assert set(refused.value.problems) == {"postcode"}
    assert refused.value.problems["postcode"].startswith(
        "We could not find ZE1 0AA or Lerwick on a map"
    )
    vacancy.refresh_from_db()
    assert vacancy.status == Status.DRAFT


def test_a_draft_placed_after_places_were_loaded_is_published(employer, employer_organisation):
    vacancy = VacancyFactory(
        organisation=employer_organisation, created_by=employer, postcode="ZE1 0AA", town="Lerwick"
    )
    place_make(Place.Kind.DISTRICT, "ZE1", "ZE1", 60.1546, -1.1494)

    vacancy_publish(vacancy=vacancy, user=employer)

    vacancy.refresh_from_db()
    assert (vacancy.status, vacancy.latitude) == (Status.PUBLISHED, 60.1546)
    assert search({"where": "ZE1"}) == [vacancy]
