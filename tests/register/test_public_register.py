"""The public register: search by number or name, the entry page, who is listed, and what is
never shown."""

import datetime
import json

import pytest
from django.db import connection
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from register.models import Annotation, ConcernCategory, IdentityCheck, NameWord, RegisterEntry
from register.registration_numbers import format_number
from register.selectors import public as public_register
from tests.factories import PathwayRoleFactory, RegisterEntryFactory

Status = RegisterEntry.Status
ONE_DAY = datetime.timedelta(days=1)

pytestmark = pytest.mark.django_db


def entry_named(full_name: str, town: str = "Leeds", **kwargs) -> RegisterEntry:
    return RegisterEntryFactory(application__legal_name=full_name, application__town=town, **kwargs)


def search(client, **params):
    return client.get(reverse("register:public-search"), params)


def names_in(response) -> list[str]:
    return [entry["full_name"] for entry in response.context["result"].results]


def names_in_search(query: str) -> list[str]:
    return [
        entry["full_name"] for entry in public_register.public_register_search(query=query).results
    ]


# --- Search by registration number ----------------------------------------------------------


def test_it_finds_a_worker_by_their_registration_number(client):
    wanted = entry_named("Joanne Smithson")
    entry_named("Joanne Smith")

    response = search(client, q=wanted.registration_number)

    assert response.status_code == 200
    assert names_in(response) == ["Joanne Smithson"]
    assert reverse("register:public-entry", args=[wanted.registration_number]) in (
        response.content.decode()
    )


def test_it_finds_a_number_typed_in_lower_case_with_spaces_and_dashes(client):
    wanted = entry_named("Joanne Smithson")
    number = wanted.registration_number
    typed = f" {number[:2].lower()} {number[2:6]}-{number[6:9]} {number[9].lower()} "

    response = search(client, q=typed)

    assert names_in(response) == ["Joanne Smithson"]


def test_it_says_plainly_when_a_registration_number_has_a_typo(client):
    wanted = entry_named("Joanne Smithson")
    number = wanted.registration_number
    last_digit = number[8]
    typo = number[:8] + ("1" if last_digit != "1" else "2") + number[9]

    response = search(client, q=typo.lower())

    assert response.status_code == 400
    assert response.context["result"] is None
    content = response.content.decode()
    assert f"{typo} is not a valid registration number: check it for typos." in content
    assert 'class="error-summary"' in content
    assert 'href="#id_q"' in content
    assert "Joanne Smithson" not in content


def test_a_valid_number_nobody_holds_finds_nobody_and_says_so(client):
    entry_named("Joanne Smithson")
    number = format_number(9_999_999)

    response = search(client, q=number)

    assert response.status_code == 200
    assert names_in(response) == []
    assert f"No one on the register has the registration number {number}" in (
        response.content.decode()
    )


# --- Search by name ---------------------------------------------------------------------------


def test_it_finds_a_worker_by_the_start_of_each_part_of_their_name(client):
    entry_named("Joanne Smithson")
    entry_named("Joanne Jones")
    entry_named("Anna Smith")

    assert names_in(search(client, q="jo smi")) == ["Joanne Smithson"]
    # Each word typed is the start of a word of the name, not any part of it: "ann" is the
    # start of Anna, but only inside Joanne (before the name-word table, it found both).
    assert names_in(search(client, q="ann smi")) == ["Anna Smith"]


def test_a_word_typed_must_start_a_word_of_the_name_not_sit_inside_one(client):
    entry_named("Goldie Goldsmith")
    entry_named("Smita Patel")

    assert names_in(search(client, q="smith")) == []
    assert names_in(search(client, q="smi")) == ["Smita Patel"]
    assert names_in(search(client, q="gold")) == ["Goldie Goldsmith"]


def test_the_words_typed_can_come_in_any_order(client):
    entry_named("Sarah Jane Smith")
    entry_named("Jane Sarah Brown")

    assert names_in(search(client, q="smith sarah")) == ["Sarah Jane Smith"]
    assert names_in(search(client, q="jane sar")) == ["Jane Sarah Brown", "Sarah Jane Smith"]


def test_a_word_typed_twice_or_inside_another_one_typed_changes_nothing(client):
    entry_named("John Jones")
    entry_named("Joan Smith")

    assert names_in(search(client, q="jo john")) == ["John Jones"]
    assert names_in(search(client, q="jones jones")) == ["John Jones"]


def test_a_name_with_two_words_starting_as_the_word_typed_is_found_once(client):
    entry_named("John Johnson")
    entry_named("Joy Jones")

    result = search(client, q="jo").context["result"]

    assert [entry["full_name"] for entry in result.results] == ["John Johnson", "Joy Jones"]
    assert result.count == 2


@pytest.mark.parametrize("leading", [0, -1], ids=["first word", "last word"])
def test_a_search_of_several_words_finds_the_same_whichever_word_it_reads_first(
    client, monkeypatch, leading
):
    # The search reads the word typed that is rarest, by the statistics it has; either way
    # round must find the same people.
    monkeypatch.setattr(public_register, "_leading_word", lambda words, shares: words[leading])
    entry_named("Amy Smith")
    entry_named("Amy Smithson", town="York")
    entry_named("Amelia Jones")
    entry_named("Bob Smith")

    assert names_in(search(client, q="am smith")) == ["Amy Smith", "Amy Smithson"]
    assert names_in(search(client, q="smith am", town="York")) == ["Amy Smithson"]
    assert names_in(search(client, q="am smithy")) == []


def test_every_word_of_the_name_must_match(client):
    entry_named("Joanne Smithson")
    entry_named("Joanne Jones")

    response = search(client, q="Joanne Smithson")

    assert names_in(response) == ["Joanne Smithson"]


def test_a_name_search_ignores_case_accents_and_punctuation(client):
    entry_named("Zoë O'Brien-Smith")

    # "obrien" used to find nobody: the apostrophe split the name in two (issue 18, item 8)
    assert names_in(search(client, q="ZOE obrien")) == ["Zoë O'Brien-Smith"]
    assert names_in(search(client, q="zoe obriensmith")) == ["Zoë O'Brien-Smith"]
    assert names_in(search(client, q="ZOE obrian")) == []
    assert names_in(search(client, q="zoë o'brien smith")) == ["Zoë O'Brien-Smith"]
    assert names_in(search(client, q="BRIEN-SMI")) == ["Zoë O'Brien-Smith"]


def test_the_town_filter_narrows_a_name_search(client):
    entry_named("Joanne Smith", town="Leeds")
    entry_named("Joanna Smith", town="Hebden Bridge")

    response = search(client, q="smith", town="  hebden-BRIDGE ")

    assert names_in(response) == ["Joanna Smith"]
    assert names_in(search(client, q="smith", town="York")) == []
    assert names_in(search(client, q="smith", town="")) == ["Joanna Smith", "Joanne Smith"]


def test_results_are_paged_with_previous_and_next_links(client, settings):
    settings.REGISTER_PAGE_SIZE = 2
    for first_name in ["Amy", "Beth", "Cara", "Dina", "Evie"]:
        entry_named(f"{first_name} Smith", town="York")

    response = search(client, q="smith", town="York", page=2)

    assert names_in(response) == ["Cara Smith", "Dina Smith"]
    content = response.content.decode()
    assert "5 results" in content
    assert "Page 2 of 3" in content
    assert 'href="/register/?q=smith&amp;town=York&amp;page=1" rel="prev">Previous' in content
    assert 'href="/register/?q=smith&amp;town=York&amp;page=3" rel="next">Next' in content

    last_page = search(client, q="smith", town="York", page=3)
    assert names_in(last_page) == ["Evie Smith"]
    assert 'rel="next"' not in last_page.content.decode()


def test_a_page_past_the_end_or_not_a_number_shows_a_real_page(client, settings):
    settings.REGISTER_PAGE_SIZE = 2
    for first_name in ["Amy", "Beth", "Cara"]:
        entry_named(f"{first_name} Smith")

    assert names_in(search(client, q="smith", page=99)) == ["Cara Smith"]
    assert names_in(search(client, q="smith", page="two")) == ["Amy Smith", "Beth Smith"]


def test_a_very_common_name_says_there_are_more_than_it_counted(client, settings, monkeypatch):
    monkeypatch.setattr(public_register, "COUNT_LIMIT", 3)
    settings.REGISTER_PAGE_SIZE = 2
    for first_name in ["Amy", "Beth", "Cara", "Dina", "Evie"]:
        entry_named(f"{first_name} Smith")

    response = search(client, q="smith", page=5)

    result = response.context["result"]
    assert (result.count, result.count_is_capped, result.num_pages, result.page) == (3, True, 2, 2)
    content = response.content.decode()
    assert "More than 3 results" in content
    assert "Add a town or more of the name" in content
    assert "Page 2 of 2" in content


@pytest.fixture(params=["merged ranges", "merged in batches", "one range"])
def read_as(request, monkeypatch):
    """On PostgreSQL, a word typed that starts few name words is read as one ordered range per
    name word, merged, a batch of them at a time; one that starts very many, as one range,
    sorted. Elsewhere, always the last."""
    if request.param == "merged in batches":
        monkeypatch.setattr(public_register, "MERGE_BATCH", 1)
    if request.param == "one range":
        monkeypatch.setattr(public_register, "MAX_MERGED_WORDS", 0)
    return request.param


def test_a_capped_search_pages_in_name_order(client, settings, monkeypatch, read_as):
    monkeypatch.setattr(public_register, "COUNT_LIMIT", 4)
    settings.REGISTER_PAGE_SIZE = 2
    # Smiths and Smithsons interleave in name order: the merge must keep them so.
    for full_name in ["Evie Smith", "Cara Smithson", "Amy Smith", "Dina Smith", "Beth Smithson"]:
        entry_named(full_name)
    entry_named("Fay Smith")
    entry_named(
        "Abel Smith", status=Status.REMOVED, removal_kind=RegisterEntry.RemovalKind.VOLUNTARY
    )

    pages = [names_in(search(client, q="smith", page=page)) for page in (1, 2, 3)]

    assert pages == [
        ["Amy Smith", "Beth Smithson"],
        ["Cara Smithson", "Dina Smith"],
        ["Cara Smithson", "Dina Smith"],  # page 3 is past the last page of the first 4
    ]
    result = search(client, q="smith").context["result"]
    assert (result.count, result.count_is_capped, result.num_pages) == (4, True, 2)


def test_a_capped_search_in_a_town_skips_namesakes_elsewhere(
    client, settings, monkeypatch, read_as
):
    monkeypatch.setattr(public_register, "COUNT_LIMIT", 3)
    settings.REGISTER_PAGE_SIZE = 2
    # Namesakes in Leeds come first in name order: a search in York must look past them.
    for first_name in ["Ada", "Bea", "Cal", "Dee", "Eve", "Fin", "Gus", "Hal", "Ian", "Jo"]:
        entry_named(f"{first_name} Smith", town="Leeds")
    for first_name in ["Xena", "Yara", "Zack", "Zoe"]:
        entry_named(f"{first_name} Smith", town="York")

    response = search(client, q="smith", town="York")

    result = response.context["result"]
    assert (result.count, result.count_is_capped) == (3, True)
    assert names_in(response) == ["Xena Smith", "Yara Smith"]
    assert names_in(search(client, q="smith", town="York", page=2)) == ["Zack Smith"]


def test_a_name_with_many_words_starting_as_the_word_typed_counts_once(
    client, monkeypatch, read_as
):
    monkeypatch.setattr(public_register, "COUNT_LIMIT", 1)
    entry_named("Jo Joe Joel Jon Jonah Jones Josh")
    entry_named("Joy Smith")

    response = search(client, q="jo")

    result = response.context["result"]
    assert (result.count, result.count_is_capped) == (1, True)
    assert names_in(response) == ["Jo Joe Joel Jon Jonah Jones Josh"]


def test_an_entry_is_found_by_every_reading_of_the_words_typed(client, read_as):
    entry_named("Joanne Smithson", town="York")
    entry_named("John Smith", town="York")
    entry_named("Joanna Smith", town="Leeds")

    assert names_in(search(client, q="jo smi", town="york")) == ["Joanne Smithson", "John Smith"]
    assert names_in(search(client, q="smith jo")) == [
        "Joanna Smith",
        "Joanne Smithson",
        "John Smith",
    ]
    assert names_in(search(client, q="zz")) == []
    assert names_in(search(client, q="jo", town="Bath")) == []


def test_an_empty_search_asks_for_a_name_or_number(client):
    response = search(client, q="  ")

    assert response.status_code == 400
    assert "Enter a name or a registration number" in response.content.decode()


def test_a_single_letter_is_not_enough_to_search_by(client):
    entry_named("Anna Smith")

    response = search(client, q="a")

    assert response.status_code == 400
    assert "Enter at least 2 letters of the name" in response.content.decode()


def test_the_search_page_opens_with_an_empty_form_and_no_errors(client):
    response = client.get(reverse("register:public-search"))

    content = response.content.decode()
    assert response.status_code == 200
    assert 'role="search"' in content
    assert '<label for="id_q">Name or registration number</label>' in content
    assert '<label for="id_town">Town (optional)</label>' in content
    assert "The start of each name is enough: jan smi finds Jane Smith" in content
    assert "error-summary" not in content
    assert "csrfmiddlewaretoken" not in content


# --- Who is listed --------------------------------------------------------------------------


def test_a_worker_who_left_the_register_voluntarily_is_not_listed(client):
    gone = entry_named(
        "Vera Leaver", status=Status.REMOVED, removal_kind=RegisterEntry.RemovalKind.VOLUNTARY
    )

    assert names_in(search(client, q="vera leaver")) == []
    assert names_in(search(client, q=gone.registration_number)) == []
    entry_page = client.get(reverse("register:public-entry", args=[gone.registration_number]))
    assert entry_page.status_code == 404
    assert "Vera Leaver" not in entry_page.content.decode()


def test_a_worker_removed_on_fitness_to_practise_grounds_is_listed_as_removed(client):
    removed = entry_named(
        "Fred Struckoff",
        status=Status.REMOVED,
        removal_kind=RegisterEntry.RemovalKind.FITNESS_TO_PRACTISE,
    )

    assert names_in(search(client, q="struckoff")) == ["Fred Struckoff"]
    content = client.get(
        reverse("register:public-entry", args=[removed.registration_number])
    ).content.decode()
    assert "Removed from the register" in content
    assert "Removed on fitness to practise grounds" in content


def test_a_suspended_worker_is_listed_with_the_end_of_their_suspension(client):
    until = timezone.localdate() + datetime.timedelta(days=90)
    suspended = entry_named(
        "Sam Paused",
        status=Status.SUSPENDED,
        suspension_kind=RegisterEntry.SuspensionKind.INTERIM,
        suspended_until=until,
    )
    shown_until = f"{until.day} {until:%B %Y}"

    search_page = search(client, q="sam paused").content.decode()
    assert f"Suspended until {shown_until}" in search_page
    entry_page = client.get(
        reverse("register:public-entry", args=[suspended.registration_number])
    ).content.decode()
    assert f"may not practise until {shown_until}" in entry_page
    assert f"Interim order, until {shown_until}" in entry_page


def test_a_lapsed_worker_is_listed_as_lapsed(client):
    lapsed = entry_named("Larry Late", status=Status.LAPSED)

    response = client.get(reverse("register:public-entry", args=[lapsed.registration_number]))

    assert response.status_code == 200
    assert "<dd>Lapsed</dd>" in response.content.decode()


# --- The entry page ---------------------------------------------------------------------------


def test_the_entry_page_shows_the_public_record(client, registrar):
    role = PathwayRoleFactory(
        code="lead-care-or-support-worker", title="Lead care or support worker"
    )
    entry = entry_named(
        "Priya Patel",
        status=Status.REGISTERED_WITH_CONDITIONS,
        registered_from=datetime.date(2024, 4, 1),
        renewal_due=datetime.date(2027, 3, 31),
        application__pathway_role=role,
    )
    Annotation.objects.create(
        entry=entry,
        kind=Annotation.Kind.CONDITION,
        public_text="Must not give medication without supervision.",
        created_by=registrar,
    )
    Annotation.objects.create(
        entry=entry,
        kind=Annotation.Kind.ANNOTATION,
        public_text="Level 3 Diploma in Adult Care.",
        created_by=registrar,
    )

    response = client.get(reverse("register:public-entry", args=[entry.registration_number]))

    content = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Priya Patel</h1>" in content
    for shown in [
        f'<dd><span class="registration-number">{entry.registration_number}</span></dd>',
        "<dd>Registered with conditions</dd>",
        "<dd>1 April 2024</dd>",
        "<dd>31 March 2027</dd>",
        "<dd>Lead care or support worker</dd>",
        "<li>Must not give medication without supervision.</li>",
        "<li>Level 3 Diploma in Adult Care.</li>",
    ]:
        assert shown in content


def test_a_number_typed_in_lower_case_redirects_to_the_entry_page(client):
    entry = entry_named("Joanne Smithson")
    number = entry.registration_number

    response = client.get(f"/register/{number.lower()[:5]}-{number.lower()[5:]}/")

    assert response.status_code == 301
    assert response["Location"] == reverse("register:public-entry", args=[number])


def test_an_unknown_registration_number_is_not_found(client):
    response = client.get(reverse("register:public-entry", args=[format_number(9_999_999)]))

    assert response.status_code == 404


# --- What is never shown ------------------------------------------------------------------------

DATE_OF_BIRTH = datetime.date(1961, 2, 3)
PRIVATE_VALUES = [
    # Date of birth, in every way a date could be rendered.
    "1961",
    "3 February",
    "February 3",
    "Feb. 3",
    "03/02",
    "3/2/",
    # Address and contact.
    "7 Quiet Close",
    "FLAT-MARKER",
    "ZZ9 9ZZ",
    "Marsden",
    "07700 900999",
    "07700900999",
    "private.person@example.org",
    # What the application declared.
    "FORMER-NAME-MARKER",
    "CRIMINAL-RECORD-MARKER",
    "HEALTH-DECLARATION-MARKER",
    "FITNESS-HISTORY-MARKER",
    # Notes and conditions that are not public.
    "PRIVATE-NOTE-MARKER",
    "HEALTH-MARKER",
    "ENDED-MARKER",
    # Identity checks.
    "PASSPORT-MARKER-123",
    "DBS-MARKER-456",
    "REFEREE-MARKER",
]


@pytest.fixture
def entry_with_private_details(registrar):
    entry = RegisterEntryFactory(
        application__worker__email="private.person@example.org",
        application__legal_name="Petra Private",
        application__previous_names="Petra FORMER-NAME-MARKER",
        application__date_of_birth=DATE_OF_BIRTH,
        application__phone="07700 900999",
        application__address_line_1="7 Quiet Close",
        application__address_line_2="FLAT-MARKER",
        application__town="Marsden",
        application__postcode="ZZ9 9ZZ",
        application__has_criminal_record=True,
        application__criminal_record_details="CRIMINAL-RECORD-MARKER",
        application__has_health_condition=True,
        application__health_condition_details="HEALTH-DECLARATION-MARKER",
        application__has_fitness_to_practise_history=True,
        application__fitness_to_practise_details="FITNESS-HISTORY-MARKER",
        status=Status.REGISTERED_WITH_CONDITIONS,
    )
    Annotation.objects.create(
        entry=entry,
        kind=Annotation.Kind.CONDITION,
        public_text="Must work under supervision.",
        private_notes="PRIVATE-NOTE-MARKER",
        created_by=registrar,
    )
    Annotation.objects.create(
        entry=entry,
        kind=Annotation.Kind.CONDITION,
        public_text="HEALTH-MARKER",
        private_notes="PRIVATE-NOTE-MARKER",
        is_health_related=True,
        created_by=registrar,
    )
    Annotation.objects.create(
        entry=entry,
        kind=Annotation.Kind.ANNOTATION,
        public_text="ENDED-MARKER",
        created_by=registrar,
        ended_at=timezone.now(),
    )
    for check_type, fields in [
        (
            IdentityCheck.Type.PHOTO_ID,
            {"document_type": "passport", "document_number": "PASSPORT-MARKER-123"},
        ),
        (IdentityCheck.Type.DBS, {"certificate_number": "DBS-MARKER-456"}),
        (IdentityCheck.Type.REFERENCE, {"referee_name": "REFEREE-MARKER"}),
    ]:
        IdentityCheck.objects.create(
            application=entry.application,
            check_type=check_type,
            outcome=IdentityCheck.Outcome.PASSED,
            checked_by=registrar,
            **fields,
        )
    return entry


def _public_views_of(client, entry) -> dict[str, str]:
    number = entry.registration_number
    return {
        "entry page": client.get(reverse("register:public-entry", args=[number])),
        "search by number": search(client, q=number),
        "search by name": search(client, q="petra private"),
        "api entry": client.get(reverse("api:register-entry", args=[number])),
        "api search by number": client.get(reverse("api:register-search"), {"q": number}),
        "api search by name": client.get(reverse("api:register-search"), {"q": "petra"}),
    }


def test_the_public_pages_and_json_never_show_private_details(client, entry_with_private_details):
    for name, response in _public_views_of(client, entry_with_private_details).items():
        assert response.status_code == 200, name
        content = response.content.decode()
        assert "Petra Private" in content, name
        if not name.startswith("search"):
            # The test would pass on an empty page: show that the public condition is there.
            assert "Must work under supervision." in content, name
        for private in PRIVATE_VALUES:
            assert private not in content, (name, private)


def test_the_json_holds_exactly_the_public_fields(client, entry_with_private_details):
    number = entry_with_private_details.registration_number

    data = json.loads(client.get(reverse("api:register-entry", args=[number])).content)

    assert data == {
        "registration_number": number,
        "full_name": "Petra Private",
        "status": "registered_with_conditions",
        "status_label": "Registered with conditions",
        "registered_from": entry_with_private_details.registered_from.isoformat(),
        "renewal_due": entry_with_private_details.renewal_due.isoformat(),
        "role": "Care or support worker",
        "suspended_until": None,
        "suspension_kind": None,
        "removal_kind": None,
        "sanction_category": None,
        "conditions": [{"text": "Must work under supervision.", "until": None, "category": None}],
        "warnings": [],
        "annotations": [],
    }


def test_stale_suspension_details_are_not_shown_once_the_suspension_is_over(client):
    entry = entry_named(
        "Olive Over",
        status=Status.REGISTERED,
        suspension_kind=RegisterEntry.SuspensionKind.SANCTION,
        suspended_until=timezone.localdate() + datetime.timedelta(days=30),
    )

    representation = public_register.public_entry_get(registration_number=entry.registration_number)

    assert (representation["suspended_until"], representation["suspension_kind"]) == (None, None)


# --- Who may open what ------------------------------------------------------------------------

PERSONAS = ["anonymous", "worker", "employer", "registrar", "outsider"]

# page -> expected status per persona, in PERSONAS order. The public register is open to all,
# signed in or not; an entry that is not public is a 404 for everyone, registrars included.
ACCESS_TABLE = {
    "search form": [200, 200, 200, 200, 200],
    "search by name": [200, 200, 200, 200, 200],
    "search by number": [200, 200, 200, 200, 200],
    "search posted": [405, 405, 405, 405, 405],
    "entry page": [200, 200, 200, 200, 200],
    "entry page, lower case": [301, 301, 301, 301, 301],
    "entry page, left voluntarily": [404, 404, 404, 404, 404],
    "entry page, unknown": [404, 404, 404, 404, 404],
    "api search": [200, 200, 200, 200, 200],
    "api search without a query": [400, 400, 400, 400, 400],
    "api search posted": [405, 405, 405, 405, 405],
    "api entry": [200, 200, 200, 200, 200],
    "api entry, left voluntarily": [404, 404, 404, 404, 404],
    "api entry, unknown": [404, 404, 404, 404, 404],
}


@pytest.fixture
def listed_and_unlisted_entries():
    listed = entry_named("Listed Person")
    unlisted = entry_named(
        "Unlisted Person",
        status=Status.REMOVED,
        removal_kind=RegisterEntry.RemovalKind.VOLUNTARY,
    )
    return listed.registration_number, unlisted.registration_number


def _request(client, page, listed, unlisted):
    unknown = format_number(9_999_999)
    search_url = reverse("register:public-search")
    api_search_url = reverse("api:register-search")
    requests = {
        "search form": lambda: client.get(search_url),
        "search by name": lambda: client.get(search_url, {"q": "listed person"}),
        "search by number": lambda: client.get(search_url, {"q": listed}),
        "search posted": lambda: client.post(search_url, {"q": "listed person"}),
        "entry page": lambda: client.get(reverse("register:public-entry", args=[listed])),
        "entry page, lower case": lambda: client.get(f"/register/{listed.lower()}/"),
        "entry page, left voluntarily": lambda: client.get(
            reverse("register:public-entry", args=[unlisted])
        ),
        "entry page, unknown": lambda: client.get(reverse("register:public-entry", args=[unknown])),
        "api search": lambda: client.get(api_search_url, {"q": "listed"}),
        "api search without a query": lambda: client.get(api_search_url),
        "api search posted": lambda: client.post(api_search_url, {"q": "listed"}),
        "api entry": lambda: client.get(reverse("api:register-entry", args=[listed])),
        "api entry, left voluntarily": lambda: client.get(
            reverse("api:register-entry", args=[unlisted])
        ),
        "api entry, unknown": lambda: client.get(reverse("api:register-entry", args=[unknown])),
    }
    return requests[page]()


@pytest.mark.parametrize(
    ("page", "persona", "expected"),
    [
        (page, persona, statuses[index])
        for page, statuses in ACCESS_TABLE.items()
        for index, persona in enumerate(PERSONAS)
    ],
)
def test_access_table(client, request, listed_and_unlisted_entries, page, persona, expected):
    if persona != "anonymous":
        client.force_login(request.getfixturevalue(persona))
    listed, unlisted = listed_and_unlisted_entries

    response = _request(client, page, listed, unlisted)

    assert response.status_code == expected
    if expected == 200 and page != "search form" and page != "api search without a query":
        assert "Listed Person" in response.content.decode()
        assert "Unlisted Person" not in response.content.decode()


def test_signed_in_people_see_exactly_what_anonymous_visitors_see(client, registrar):
    entry = entry_named("Same For All")
    url = reverse("register:public-entry", args=[entry.registration_number])
    anonymous_view = client.get(url).context["entry"]

    client.force_login(registrar)

    assert client.get(url).context["entry"] == anonymous_view


def test_the_api_and_the_html_page_show_the_same_representation(client):
    entry = entry_named("Same Both Ways")

    html_entry = client.get(
        reverse("register:public-entry", args=[entry.registration_number])
    ).context["entry"]
    api_entry = client.get(reverse("api:register-entry", args=[entry.registration_number])).json()

    assert set(api_entry) == set(html_entry)
    assert api_entry["full_name"] == html_entry["full_name"] == "Same Both Ways"


def test_a_worker_with_no_role_recorded_still_has_a_page(client):
    entry = entry_named("Nora Norole", application__pathway_role=None)

    response = client.get(reverse("register:public-entry", args=[entry.registration_number]))

    assert "<dd>Not recorded</dd>" in response.content.decode()


def test_a_search_of_several_words_starts_from_the_rarest(monkeypatch):
    for first_name in ["Amy", "Beth", "Cara", "Dina", "Evie", "Fay"]:
        entry_named(f"{first_name} Sam Smith")
    entry_named("Sam Zedd")
    if connection.vendor == "postgresql":
        # The statistics the choice reads; inside the test's transaction, so they go with it.
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {NameWord._meta.db_table}")
    monkeypatch.setattr(public_register, "_statistics_read", None)  # read them afresh
    chosen = []
    choose = public_register._leading_word
    monkeypatch.setattr(
        public_register,
        "_leading_word",
        lambda words, shares: chosen.append(choose(words, shares=shares)) or chosen[-1],
    )

    assert names_in_search("sam smith") == [
        f"{name} Sam Smith" for name in ["Amy", "Beth", "Cara", "Dina", "Evie", "Fay"]
    ]
    assert names_in_search("sam zedd") == ["Sam Zedd"]
    # On PostgreSQL by the statistics (Smith is rarer than Sam, Zedd rarer still); elsewhere
    # the longer word, which here is the same.
    assert chosen == ["smith", "zedd"]


def test_a_page_of_twenty_results_costs_the_same_few_queries_as_one(
    client, registrar, django_assert_max_num_queries
):
    # No query a row: the results table shows no conditions, so none are read, and each link
    # is built from one path, not by a URL lookup a row.
    for number in range(25):
        entry_named(f"Sam Okafor{'x' * (number % 3)} {number}")
    Annotation.objects.create(
        entry=RegisterEntry.objects.first(),
        kind=Annotation.Kind.CONDITION,
        public_text="Must work under supervision.",
        created_by=registrar,
    )

    # The name-word statistics, the matches (and on PostgreSQL the word expansions), the entries.
    with django_assert_max_num_queries(4):
        response = search(client, q="sam")

    assert response.status_code == 200
    assert len(names_in(response)) == 20
    assert all("conditions" not in entry for entry in response.context["result"].results)
    first = response.context["result"].results[0]["registration_number"]
    assert f'href="/register/{first}/"' in response.content.decode()


# --- The entries as SQL: the same as the ORM would read them -------------------------------


def _as_the_orm_reads_it(number: str, *, annotations: bool = True) -> dict | None:
    from django.db.models import Prefetch

    entry = (
        public_register.public_entries()
        .select_related("pathway_role")
        .prefetch_related(Prefetch("annotations", queryset=Annotation.objects.order_by("id")))
        .filter(registration_number=number)
        .first()
    )
    if entry is None:
        return None
    return public_register.entry_public_representation(entry, annotations=annotations)


def test_the_entries_read_as_sql_are_what_the_orm_reads(registrar, django_assert_num_queries):
    lead = PathwayRoleFactory(code="lead-care-or-support-worker", title="Lead care worker")
    plain = entry_named("Amira Khan")
    with_conditions = entry_named(
        "Priya Patel", status=Status.REGISTERED_WITH_CONDITIONS, application__pathway_role=lead
    )
    no_role = entry_named("Tom Jones")
    RegisterEntry.objects.filter(pk=no_role.pk).update(pathway_role=None)
    suspended = entry_named(
        "Sam Lee",
        status=Status.SUSPENDED,
        suspended_until=datetime.date(2027, 1, 31),
        suspension_kind=RegisterEntry.SuspensionKind.INTERIM,
    )
    sanctioned = entry_named(
        "Kim Cole",
        status=Status.SUSPENDED,
        suspended_until=datetime.date(2027, 2, 28),
        suspension_kind=RegisterEntry.SuspensionKind.SANCTION,
        sanction_category=ConcernCategory.DISHONESTY,
    )
    removed = entry_named(
        "Ann Ward",
        status=Status.REMOVED,
        removal_kind=RegisterEntry.RemovalKind.FITNESS_TO_PRACTISE,
        sanction_category=ConcernCategory.ABUSE_OR_NEGLECT,
    )
    left = entry_named(
        "Joe Bloggs", status=Status.REMOVED, removal_kind=RegisterEntry.RemovalKind.VOLUNTARY
    )
    today = timezone.localdate()
    for kind, text, health, ended, ends_on, category in [
        (Annotation.Kind.CONDITION, "No night shifts alone.", False, None, None, ""),
        (Annotation.Kind.ANNOTATION, "Level 3 Diploma in Adult Care.", False, None, None, ""),
        (Annotation.Kind.CONDITION, "Private: a health matter.", True, None, None, ""),
        (Annotation.Kind.CONDITION, "Ended last year.", False, timezone.now(), None, ""),
        (Annotation.Kind.CONDITION, "Private by its category.", False, None, None, "health"),
        (Annotation.Kind.CONDITION, "Till a day ago.", False, None, today - ONE_DAY, "theft"),
        (Annotation.Kind.WARNING, "Late to visits.", False, None, today, "poor_practice"),
        (Annotation.Kind.WARNING, "Uncategorised.", False, None, today + ONE_DAY, ""),
        (Annotation.Kind.WARNING, "Ran out.", False, None, today - ONE_DAY, "other"),
    ]:
        Annotation.objects.create(
            entry=with_conditions,
            kind=kind,
            public_text=text,
            is_health_related=health,
            ended_at=ended,
            ends_on=ends_on,
            category=category,
            created_by=registrar,
        )
    Annotation.objects.create(
        entry=plain, kind=Annotation.Kind.ANNOTATION, public_text="", created_by=registrar
    )

    shown = {}
    for entry in [plain, with_conditions, no_role, suspended, sanctioned, removed]:
        number = entry.registration_number
        expected = _as_the_orm_reads_it(number)
        # The entry with its role in one query, its annotations in another.
        with django_assert_num_queries(2):
            shown[number] = public_register.public_entry_get(registration_number=number)
        assert shown[number] == expected
        by_number = public_register.public_register_search(query=number, annotations=False)
        assert by_number.results == [_as_the_orm_reads_it(number, annotations=False)]
    assert shown[with_conditions.registration_number]["conditions"] == [
        {"text": "No night shifts alone.", "until": None, "category": None}
    ]
    # Shown through its last day, not after it.
    assert shown[with_conditions.registration_number]["warnings"] == [
        {"text": "Late to visits.", "until": today, "category": "Poor practice"},
        {"text": "Uncategorised.", "until": today + ONE_DAY, "category": None},
    ]
    assert shown[sanctioned.registration_number]["sanction_category"] == "Dishonesty"
    assert shown[removed.registration_number]["sanction_category"] == "Abuse or neglect"
    assert shown[suspended.registration_number]["sanction_category"] is None
    assert shown[with_conditions.registration_number]["role"] == lead.title
    assert shown[no_role.registration_number]["role"] is None
    assert shown[suspended.registration_number]["suspended_until"] == datetime.date(2027, 1, 31)
    with pytest.raises(Http404):
        public_register.public_entry_get(registration_number=left.registration_number)
    assert public_register.public_register_search(query=left.registration_number).results == []
