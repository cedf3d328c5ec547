"""Rendered public register pages, kept in the shared cache (core/page_cache.py says how a
stored page is kept current) for visitors who are not signed in: each entry's page, so that the
page everyone looks up costs one cache round trip instead of two queries and a template, and
each page of name search results.

Every save or delete of an entry, or of one of its annotations, bumps the entry's version. A
change to a pathway role's title (which every page can show) bumps one version shared by all
pages.

Search results have a version for each first letter and each first two letters of a name word
(ADR 0013). A name matches a search only if it has a word starting with each word typed, so
every page of results for "jane smith" is rendered from the names with a word starting "sm",
and only a change to one of those can change it. Every save or delete of an entry bumps the
versions of the words of its name; a change to which words an entry is found by (a new name, a
new town, leaving the public register) bumps those of the old words and the new
(`register.services.name_words`). A search by registration number reads that entry's version.

What a page shows can also change with the date alone: a warning or a condition is shown
through its last day and not after it; core/page_cache.py keeps no page past midnight.

Running the migrations (every release does) bumps the version all pages share.
"""

import hashlib
from collections.abc import Callable

from django.db.models.signals import post_delete, post_migrate, post_save
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse

from core.names import normalise_name
from core.page_cache import CachedPage, bump_now_and_on_commit, cached_response, page_get
from register import registration_numbers
from register.models import Annotation, PathwayRole, RegisterEntry

_GLOBAL_VERSION = "public-page:all"


def _version_key(registration_number: str) -> str:
    return f"public-page:version:{registration_number}"


def _page_key(registration_number: str) -> str:
    return f"public-page:entry:{registration_number}"


def entry_page_get(registration_number: str) -> CachedPage:
    return page_get(
        _page_key(registration_number), [_GLOBAL_VERSION, _version_key(registration_number)]
    )


def entry_page_response(
    request: HttpRequest, registration_number: str, render_page: Callable[[], HttpResponse]
) -> HttpResponse:
    return cached_response(request, lambda: entry_page_get(registration_number), render_page)


def _word_version_key(start: str) -> str:
    return f"public-page:search-version:{start}"


def _word_version_keys(words) -> list[str]:
    """The versions of the first letter and the first two letters of each word: those a change
    to a name with these words bumps."""
    starts = {word[:1] for word in words} | {word[:2] for word in words}
    return sorted(_word_version_key(start) for start in starts)


def search_version_keys(query: str) -> list[str] | None:
    """The versions a page of results for `query` (as typed) depends on: the entry's, for a
    registration number; for a name, those of the names with a word starting as the longest
    word typed does. None when the query holds no word, and so no results."""
    query = query.strip()
    if registration_numbers.looks_like_registration_number(query):
        number = registration_numbers.normalise(query)
        return [_GLOBAL_VERSION, _version_key(number)]
    words = normalise_name(query).split()
    if not words:
        return None
    longest = max(words, key=len)
    return [_GLOBAL_VERSION, _word_version_key(longest[:2])]


def search_page_get(full_path: str, version_keys: list[str]) -> CachedPage:
    digest = hashlib.sha256(full_path.encode()).hexdigest()
    return page_get(f"public-page:search:{digest}", version_keys)


def search_page_response(
    request: HttpRequest, render_page: Callable[[], HttpResponse]
) -> HttpResponse:
    """A page of search results, keyed by the whole address: the page repeats the query as
    typed, so "Smith" and "smith" are two pages."""
    version_keys = search_version_keys(request.GET.get("q", ""))
    if version_keys is None:
        return render_page()
    full_path = request.get_full_path()
    return cached_response(request, lambda: search_page_get(full_path, version_keys), render_page)


def search_words_changed(words) -> None:
    """Results for any search that finds a name with one of these words may have changed."""
    bump_now_and_on_commit(*_word_version_keys(words))


@receiver(post_save, sender=RegisterEntry)
@receiver(post_delete, sender=RegisterEntry)
def _entry_changed(sender, instance: RegisterEntry, **kwargs) -> None:
    keys = [_version_key(instance.registration_number)] if instance.registration_number else []
    # What a page of results shows of the entry: its name, status and role.
    keys += _word_version_keys(instance.search_name.split())
    if keys:
        bump_now_and_on_commit(*keys)


@receiver(post_save, sender=Annotation)
@receiver(post_delete, sender=Annotation)
def _annotation_changed(sender, instance: Annotation, **kwargs) -> None:
    number = (
        RegisterEntry.objects.filter(pk=instance.entry_id)
        .values_list("registration_number", flat=True)
        .first()
    )
    if number:
        bump_now_and_on_commit(_version_key(number))


@receiver(post_save, sender=PathwayRole)
@receiver(post_delete, sender=PathwayRole)
def _role_changed(sender, **kwargs) -> None:
    bump_now_and_on_commit(_GLOBAL_VERSION)


@receiver(post_migrate)
def _migrated(sender, **kwargs) -> None:
    # A release runs its migrations before it serves: whatever they changed with historical
    # models (which send no signal to the receivers above) or with SQL, and whatever its new
    # templates show, no page kept by the last release is served after it.
    if sender.name == "register":
        bump_now_and_on_commit(_GLOBAL_VERSION)
