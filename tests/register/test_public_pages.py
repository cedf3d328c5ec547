"""The public entry page cache (register/page_cache.py): a repeat visit costs no query, and a
change to the entry, its public annotations or its role shows on the very next visit."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core import page_cache as core_page_cache
from register import page_cache as public_pages
from register.services import entries
from tests.factories import RegisterEntryFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def entry_of_joanne_smithson():
    return RegisterEntryFactory(application__legal_name="Joanne Smithson")


def page_of(entry):
    return reverse("register:public-entry", args=[entry.registration_number])


def test_a_second_visit_by_the_public_runs_no_query(
    client, entry_of_joanne_smithson, django_assert_num_queries
):
    first = client.get(page_of(entry_of_joanne_smithson))

    with django_assert_num_queries(0):
        second = client.get(page_of(entry_of_joanne_smithson))

    assert first.status_code == second.status_code == 200
    assert second.content == first.content
    assert "Joanne Smithson" in second.content.decode()


def test_a_suspension_shows_on_the_next_visit(
    client, entry_of_joanne_smithson, registrar, django_capture_on_commit_callbacks
):
    assert (
        "On the register and may practise."
        in client.get(page_of(entry_of_joanne_smithson)).content.decode()
    )

    with django_capture_on_commit_callbacks(execute=True):
        entries.entry_suspend(
            entry=entry_of_joanne_smithson,
            registrar=registrar,
            kind="interim",
            until=timezone.localdate() + timedelta(days=30),
            reason="Interim order.",
        )

    assert (
        "Suspended: may not practise until"
        in client.get(page_of(entry_of_joanne_smithson)).content.decode()
    )


def test_a_new_public_condition_shows_on_the_next_visit(
    client, entry_of_joanne_smithson, registrar, django_capture_on_commit_callbacks
):
    client.get(page_of(entry_of_joanne_smithson))

    with django_capture_on_commit_callbacks(execute=True):
        entries.entry_add_annotation(
            entry=entry_of_joanne_smithson,
            registrar=registrar,
            kind="condition",
            public_text="Must not administer medicines.",
            reason="Panel decision.",
        )

    assert (
        "Must not administer medicines."
        in client.get(page_of(entry_of_joanne_smithson)).content.decode()
    )


def test_a_renamed_role_shows_on_every_entry_with_it(client):
    entry = RegisterEntryFactory()
    other = RegisterEntryFactory(pathway_role=entry.pathway_role)
    for each in (entry, other):
        assert entry.pathway_role.title in client.get(page_of(each)).content.decode()

    entry.pathway_role.title = "Care and support worker (adults)"
    entry.pathway_role.save()

    for each in (entry, other):
        assert "Care and support worker (adults)" in client.get(page_of(each)).content.decode()


def test_a_page_rendered_from_data_read_before_a_change_is_never_served(
    client, entry_of_joanne_smithson
):
    # The race the versions exist for: a visit reads the entry, a registrar's change commits,
    # and only then does the visit store what it rendered.
    in_flight = public_pages.entry_page_get(entry_of_joanne_smithson.registration_number)
    old_html = client.get(page_of(entry_of_joanne_smithson)).content
    cache.delete(public_pages._page_key(entry_of_joanne_smithson.registration_number))

    entry_of_joanne_smithson.full_name = "Joanne Smithson-Patel"
    entry_of_joanne_smithson.save()
    in_flight.store(old_html)

    assert public_pages.entry_page_get(entry_of_joanne_smithson.registration_number).html is None
    assert "Joanne Smithson-Patel" in client.get(page_of(entry_of_joanne_smithson)).content.decode()


def test_a_change_shows_even_before_its_transaction_commits_elsewhere(
    client, entry_of_joanne_smithson
):
    # The bump made at once (not only on commit) keeps a page rendered before the change from
    # being served to the process that made it, inside its own transaction.
    client.get(page_of(entry_of_joanne_smithson))

    entry_of_joanne_smithson.full_name = "Jo Smithson"
    entry_of_joanne_smithson.save()

    assert "Jo Smithson" in client.get(page_of(entry_of_joanne_smithson)).content.decode()


def test_signed_in_people_get_their_own_page_never_a_stored_one(
    client, entry_of_joanne_smithson, worker
):
    Client().get(page_of(entry_of_joanne_smithson))
    client.force_login(worker)

    response = client.get(page_of(entry_of_joanne_smithson))

    assert "Sign out" in response.content.decode()
    assert "Joanne Smithson" in response.content.decode()


def test_a_visitor_with_a_session_is_not_served_a_stored_page(
    client, entry_of_joanne_smithson, settings
):
    # A signed-out visitor's session can carry a message for the next page.
    Client().get(page_of(entry_of_joanne_smithson))
    client.cookies[settings.SESSION_COOKIE_NAME] = "a-session"

    with CaptureQueriesContext(connection) as queries:
        response = client.get(page_of(entry_of_joanne_smithson))

    assert response.status_code == 200
    assert queries.captured_queries, "a stored page would have been served with no query"


def test_unknown_numbers_are_not_stored(client):
    missing = "CR9999999X"

    assert client.get(f"/register/{missing}/").status_code == 404
    assert cache.get(public_pages._page_key(missing)) is None


def test_the_cache_is_off_when_it_is_one_process_memory(settings):
    settings.PUBLIC_PAGE_CACHE_SECONDS = None
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

    assert core_page_cache.cache_seconds() == 0


def test_it_is_on_with_a_shared_cache_and_short_with_a_replica(settings):
    settings.PUBLIC_PAGE_CACHE_SECONDS = None
    settings.CACHES = {"default": {"BACKEND": "django_redis.cache.RedisCache"}}
    primary_only = {"default": settings.DATABASES["default"]}
    settings.DATABASES = primary_only
    assert core_page_cache.cache_seconds() == 300

    settings.DATABASES = {**primary_only, "replica": primary_only["default"]}
    assert core_page_cache.cache_seconds() == 10


def test_an_unreachable_cache_costs_speed_not_the_page_or_the_change(
    client, entry_of_joanne_smithson, registrar, settings
):
    # A real Redis client against a port nobody listens on: every cache call fails.
    settings.CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": "redis://127.0.0.1:9/0",
            "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 0.2, "SOCKET_TIMEOUT": 0.2},
        }
    }
    response = client.get(page_of(entry_of_joanne_smithson))
    assert response.status_code == 200
    assert "Joanne Smithson" in response.content.decode()

    entry_of_joanne_smithson.full_name = "Joanne Smithson-Patel"
    entry_of_joanne_smithson.save()
    entry_of_joanne_smithson.refresh_from_db()
    assert entry_of_joanne_smithson.full_name == "Joanne Smithson-Patel"
