"""Pages of public register search results in the cache (register/page_cache.py, ADR 0013): a
repeated search costs no query, and every change that could alter a page of results shows on
the very next search (on one database; with a read replica, within 10 s), while a change to
names that page could not show leaves it stored."""

from datetime import timedelta
from urllib.parse import urlencode

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from register import page_cache as public_pages
from register.models import RegisterEntry
from register.services import details, entries
from tests.factories import RegisterEntryFactory
from tests.register.test_name_words import _approved_name_change, _contact_values

pytestmark = pytest.mark.django_db


def search_path(q: str, **more) -> str:
    return f"{reverse('register:public-search')}?{urlencode({'q': q, **more})}"


def search(client, q: str, **more) -> str:
    response = client.get(search_path(q, **more))
    assert response.status_code == 200
    return response.content.decode()


def suspend_for_a_month(entry, registrar) -> None:
    entries.entry_suspend(
        entry=entry,
        registrar=registrar,
        kind="interim",
        until=timezone.localdate() + timedelta(days=30),
        reason="Interim order.",
    )


def test_a_repeated_search_by_the_public_runs_no_query(
    client, entry_with_an_accented_name, django_assert_num_queries
):
    first = client.get(search_path("smith"))

    with django_assert_num_queries(0):
        second = client.get(search_path("smith"))

    assert first.status_code == second.status_code == 200
    assert second.content == first.content
    assert "Zoë O&#x27;Brien-Smith" in second.content.decode()


def test_each_address_is_its_own_page_as_the_query_is_repeated_as_typed(
    client, entry_with_an_accented_name
):
    assert 'value="smith"' in search(client, "smith")
    assert 'value="SMITH"' in search(client, "SMITH")
    assert "Page 1" not in search(client, "smith", page=2)


def test_a_suspension_shows_on_the_next_search(
    client, entry_with_an_accented_name, registrar, django_capture_on_commit_callbacks
):
    assert "Suspended" not in search(client, "smith")

    with django_capture_on_commit_callbacks(execute=True):
        suspend_for_a_month(entry_with_an_accented_name, registrar)

    assert "Suspended until" in search(client, "smith")
    assert "Suspended until" in search(client, entry_with_an_accented_name.registration_number)


def test_a_search_by_number_follows_the_entry(
    client, entry_with_an_accented_name, registrar, django_capture_on_commit_callbacks
):
    number = entry_with_an_accented_name.registration_number
    assert "Registered" in search(client, number)

    with django_capture_on_commit_callbacks(execute=True):
        entries.entry_remove(
            entry=entry_with_an_accented_name,
            registrar=registrar,
            kind="fitness_to_practise",
            reason="Panel decision.",
        )

    assert "Removed" in search(client, number)


def test_a_new_entry_shows_in_searches_already_made(client, entry_with_an_accented_name):
    assert "1 result" in search(client, "smith")

    RegisterEntryFactory(application__legal_name="Sam Smithers")

    page = search(client, "smith")
    assert "2 results" in page
    assert "Sam Smithers" in page


def test_a_change_of_name_leaves_the_searches_for_the_old_name(
    client, entry_with_an_accented_name, registrar, django_capture_on_commit_callbacks
):
    # Only the name-word service knows the old name's words: the entry's own save signal
    # sees the new name alone.
    assert "Zoë O&#x27;Brien-Smith" in search(client, "brien")
    assert "No one on the register" in search(client, "newman")

    with django_capture_on_commit_callbacks(execute=True):
        _approved_name_change(entry_with_an_accented_name, registrar, approve=True)

    assert "No one on the register" in search(client, "brien")
    assert "Zoë Newman" in search(client, "newman")


def test_leaving_the_register_voluntarily_leaves_every_search(
    client, entry_with_an_accented_name, django_capture_on_commit_callbacks
):
    assert "Zoë O&#x27;Brien-Smith" in search(client, "zoe bri")

    with django_capture_on_commit_callbacks(execute=True):
        entries.entry_request_voluntary_removal(
            entry=entry_with_an_accented_name,
            worker=entry_with_an_accented_name.worker,
            reason="Retiring.",
        )

    assert "No one on the register" in search(client, "zoe bri")
    assert "No one on the register" in search(client, "smith")


def test_a_move_to_another_town_shows_in_searches_of_both_towns(
    client, entry_with_an_accented_name, django_capture_on_commit_callbacks
):
    assert "No one on the register" in search(client, "smith", town="York")
    assert "1 result" in search(client, "smith", town="Hebden Bridge")

    with django_capture_on_commit_callbacks(execute=True):
        details.contact_details_update(
            entry=entry_with_an_accented_name,
            worker=entry_with_an_accented_name.worker,
            values=_contact_values(entry_with_an_accented_name, town="York"),
        )

    assert "1 result" in search(client, "smith", town="York")
    assert "No one on the register" in search(client, "smith", town="Hebden Bridge")


def test_a_renamed_role_shows_in_every_search(client, entry_with_an_accented_name):
    assert entry_with_an_accented_name.pathway_role.title in search(client, "smith")

    entry_with_an_accented_name.pathway_role.title = "Care and support worker (adults)"
    entry_with_an_accented_name.pathway_role.save()

    assert "Care and support worker (adults)" in search(client, "smith")


def test_a_change_to_a_name_the_page_cannot_show_leaves_it_stored(
    client,
    entry_with_an_accented_name,
    registrar,
    django_assert_num_queries,
    django_capture_on_commit_callbacks,
):
    other = RegisterEntryFactory(application__legal_name="Ann Jones")
    search(client, "smith")

    with django_capture_on_commit_callbacks(execute=True):
        suspend_for_a_month(other, registrar)

    with django_assert_num_queries(0):
        search(client, "smith")
    assert "Suspended until" in search(client, "jones")


def test_a_page_rendered_from_data_read_before_a_change_is_never_served(
    client, entry_with_an_accented_name
):
    # The race the versions exist for: a search reads the register, a change commits, and
    # only then does the search store what it rendered.
    path = search_path("smith")
    keys = public_pages.search_version_keys("smith")
    in_flight = public_pages.search_page_get(path, keys)
    old_html = client.get(path).content
    cache.delete(in_flight.page_key)

    entry_with_an_accented_name.full_name = "Zoë O'Brien-Smith-Patel"
    entry_with_an_accented_name.save()
    in_flight.store(old_html)

    assert public_pages.search_page_get(path, keys).html is None
    assert "Zoë O&#x27;Brien-Smith-Patel" in search(client, "smith")


def test_one_letter_words_have_their_own_versions(client):
    RegisterEntryFactory(application__legal_name="Jo Smith")
    assert "Jo Smith" in search(client, "j s")

    RegisterEntryFactory(application__legal_name="Jay Sandhu")

    assert "Jay Sandhu" in search(client, "j s")


def test_searches_that_fail_are_not_stored(client, entry_with_an_accented_name):
    response = client.get(search_path("a"))
    assert response.status_code == 400

    path = search_path("a")
    assert public_pages.search_page_get(path, public_pages.search_version_keys("a")).html is None
    assert public_pages.search_version_keys("  ") is None
    assert client.get(search_path("  ")).status_code == 400


def test_signed_in_people_get_their_own_page_never_a_stored_one(
    client, entry_with_an_accented_name, worker
):
    Client().get(search_path("smith"))
    client.force_login(worker)

    page = search(client, "smith")

    assert "Sign out" in page
    assert "Zoë O&#x27;Brien-Smith" in page


def test_an_unreachable_cache_costs_speed_not_the_search_or_the_change(
    client, entry_with_an_accented_name, settings
):
    settings.CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": "redis://127.0.0.1:9/0",
            "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 0.2, "SOCKET_TIMEOUT": 0.2},
        }
    }
    assert "Zoë O&#x27;Brien-Smith" in search(client, "smith")

    entry_with_an_accented_name.status = RegisterEntry.Status.LAPSED
    entry_with_an_accented_name.save()
    entry_with_an_accented_name.refresh_from_db()
    assert entry_with_an_accented_name.status == RegisterEntry.Status.LAPSED


def test_running_the_migrations_empties_every_page(client, entry_with_an_accented_name):
    # A release migrates before it serves: a data migration sends no signal, and new templates
    # must show at once.
    from django.core.management import call_command

    client.get(search_path("smith"))
    client.get(
        reverse("register:public-entry", args=[entry_with_an_accented_name.registration_number])
    )
    keys = public_pages.search_version_keys("smith")
    assert public_pages.search_page_get(search_path("smith"), keys).html is not None
    assert (
        public_pages.entry_page_get(entry_with_an_accented_name.registration_number).html
        is not None
    )

    call_command("migrate", verbosity=0)

    assert public_pages.search_page_get(search_path("smith"), keys).html is None
    assert public_pages.entry_page_get(entry_with_an_accented_name.registration_number).html is None
