"""core.pagination.page_with_count: the same page as Django's Paginator.get_page gives, with the
count from the page's own query."""

import pytest
from django.core.paginator import Paginator

from accounts.models import User
from core.pagination import page_with_count
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    UserFactory.create_batch(23)
    return User.objects.order_by("pk")


def _shown(page):
    return (page.number, page.paginator.count, page.paginator.num_pages, list(page.object_list))


@pytest.mark.parametrize("asked", [1, 2, 3, "3", "4", 99, 0, -1, "two", None, ""])
def test_every_page_is_the_one_paginator_gives(people, asked):
    assert _shown(page_with_count(people, asked, 10)) == _shown(
        Paginator(people, 10).get_page(asked)
    )


def test_a_page_with_rows_costs_one_query(people, django_assert_num_queries):
    with django_assert_num_queries(1):
        page = page_with_count(people, 2, 10)
        assert page.paginator.count == 23
        assert page.paginator.num_pages == 3
        assert len(page.object_list) == 10
        assert page.has_next() and page.has_previous()


def test_past_the_end_shows_the_last_page(people):
    page = page_with_count(people, 7, 10)

    assert page.number == 3
    assert [person.pk for person in page.object_list] == list(
        people.values_list("pk", flat=True)[20:]
    )


def test_nothing_found_is_one_empty_first_page(db, django_assert_num_queries):
    nobody = User.objects.filter(email="nobody@example.org").order_by("pk")
    with django_assert_num_queries(1):
        page = page_with_count(nobody, 1, 10)
    assert (page.number, page.paginator.count, list(page.object_list)) == (1, 0, [])
    assert page_with_count(User.objects.none().order_by("pk"), 5, 10).number == 1
