"""Rendered public register pages, kept in the shared cache for visitors who are not signed in:
each entry's page, so that the page everyone looks up costs one cache round trip instead of two
queries and a template, and each page of name search results.

A change shows at once. Each stored page records the versions it was rendered at, and is
served only while they are all still current. Every save or delete of an entry, or of one of
its annotations, bumps the entry's version twice: at once, and again when the transaction
commits (`transaction.on_commit`). A page rendered from data read before the commit therefore
carries an old version and is never served. The order that makes this safe: the versions are
read before the database is, and a missing version is created before the database is read. A
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
through its last day and not after it. So no page is kept past the midnight after it was
rendered.

Running the migrations (every release does) bumps the version all pages share.
`PUBLIC_PAGE_CACHE_SECONDS` bounds how long a page is kept whatever else happens (a change made
by a path that sends no signal, a bump lost because the cache could not be reached, a page read
from a replica that had not yet caught up with the change). It is 0, meaning off, when the
cache is one process's memory: a change made in one gunicorn worker or the task worker could
not reach another worker's pages. See docs/performance.md.
"""

import hashlib
import logging
import math
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_migrate, post_save
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from core.names import normalise_name
from register import registration_numbers
from register.models import Annotation, PathwayRole, RegisterEntry

logger = logging.getLogger(__name__)

_GLOBAL_VERSION = "public-page:all"
_PROCESS_LOCAL = (
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
)


def cache_seconds() -> int:
    configured = getattr(settings, "PUBLIC_PAGE_CACHE_SECONDS", None)
    if configured is not None:
        return int(configured)
    if settings.CACHES["default"]["BACKEND"] in _PROCESS_LOCAL:
        return 0
    # A replica can lag behind the commit that bumped the version; keep pages briefly then.
    return 10 if "replica" in settings.DATABASES else 300


def _version_key(registration_number: str) -> str:
    return f"public-page:version:{registration_number}"


def _page_key(registration_number: str) -> str:
    return f"public-page:entry:{registration_number}"


def request_may_use_cache(request: HttpRequest) -> bool:
    """Only a visitor whose page can hold nothing of their own: not signed in, and with no
    session or message waiting (a signed-out visitor's session can still carry a message)."""
    # The cookies first: with no session cookie, asking for the user costs no query.
    return (
        cache_seconds() > 0
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "messages" not in request.COOKIES
        and not request.user.is_authenticated
    )


@dataclass
class CachedPage:
    page_key: str
    html: bytes | None
    versions: tuple[str, ...] | None

    def store(self, html: bytes) -> None:
        if self.versions is not None:
            timeout = min(cache_seconds(), _seconds_to_midnight())
            cache.set(self.page_key, (self.versions, html), timeout=timeout)


def _seconds_to_midnight() -> int:
    now = timezone.localtime()
    midnight = datetime.combine(now.date() + timedelta(days=1), time.min, tzinfo=now.tzinfo)
    # By timestamps: subtracting two times of one zone ignores a change of clocks in between.
    return max(1, math.ceil(midnight.timestamp() - now.timestamp()))


def _page_get(page_key: str, version_keys: list[str]) -> CachedPage:
    """The stored page when it is current; otherwise html is None and `store` keeps the page
    about to be rendered, under the versions read now (before the database is)."""
    found = cache.get_many([*version_keys, page_key])
    current = [found.get(key) for key in version_keys]
    if None in current:
        # Created before the database is read, so that a change committed after the read bumps
        # it. If another request made it first, read theirs.
        for index, key in enumerate(version_keys):
            if current[index] is None:
                made = secrets.token_hex(8)
                current[index] = made if cache.add(key, made, timeout=None) else cache.get(key)
        if None in current:
            return CachedPage(page_key, None, None)
    versions = tuple(current)
    stored = found.get(page_key)
    if stored is not None and tuple(stored[0]) == versions:
        return CachedPage(page_key, stored[1], versions)
    return CachedPage(page_key, None, versions)


def entry_page_get(registration_number: str) -> CachedPage:
    return _page_get(
        _page_key(registration_number), [_GLOBAL_VERSION, _version_key(registration_number)]
    )


def _cached_response(
    request: HttpRequest,
    get: Callable[[], CachedPage],
    render_page: Callable[[], HttpResponse],
) -> HttpResponse:
    """The page from the cache when it may be and is current, else `render_page()`, kept for
    the next visitor when it may be. The cache being unreachable only costs speed."""
    if not request_may_use_cache(request):
        return render_page()
    try:
        cached = get()
    except Exception:
        logger.exception("public page cache unreachable: rendering the page")
        return render_page()
    if cached.html is not None:
        return HttpResponse(cached.html)
    response = render_page()
    if response.status_code == 200:
        try:
            cached.store(response.content)
        except Exception:
            logger.exception("public page cache unreachable: page not kept")
    return response


def entry_page_response(
    request: HttpRequest, registration_number: str, render_page: Callable[[], HttpResponse]
) -> HttpResponse:
    return _cached_response(request, lambda: entry_page_get(registration_number), render_page)


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
    return _page_get(f"public-page:search:{digest}", version_keys)


def search_page_response(
    request: HttpRequest, render_page: Callable[[], HttpResponse]
) -> HttpResponse:
    """A page of search results, keyed by the whole address: the page repeats the query as
    typed, so "Smith" and "smith" are two pages."""
    version_keys = search_version_keys(request.GET.get("q", ""))
    if version_keys is None:
        return render_page()
    full_path = request.get_full_path()
    return _cached_response(request, lambda: search_page_get(full_path, version_keys), render_page)


def _bump(keys: tuple[str, ...]) -> None:
    cache.set_many({key: secrets.token_hex(8) for key in keys}, timeout=None)


def _bump_now_and_on_commit(*keys: str) -> None:
    # A change to the register must not fail because the cache is unreachable. The pages it
    # holds are then unreachable too; if the cache comes back with them, they last at most
    # PUBLIC_PAGE_CACHE_SECONDS.
    try:
        _bump(keys)
    except Exception:
        logger.exception("public page cache: could not mark %s as changed", ", ".join(keys))
    transaction.on_commit(lambda: _bump(keys), robust=True)


def search_words_changed(words) -> None:
    """Results for any search that finds a name with one of these words may have changed."""
    _bump_now_and_on_commit(*_word_version_keys(words))


@receiver(post_save, sender=RegisterEntry)
@receiver(post_delete, sender=RegisterEntry)
def _entry_changed(sender, instance: RegisterEntry, **kwargs) -> None:
    keys = [_version_key(instance.registration_number)] if instance.registration_number else []
    # What a page of results shows of the entry: its name, status and role.
    keys += _word_version_keys(instance.search_name.split())
    if keys:
        _bump_now_and_on_commit(*keys)


@receiver(post_save, sender=Annotation)
@receiver(post_delete, sender=Annotation)
def _annotation_changed(sender, instance: Annotation, **kwargs) -> None:
    number = (
        RegisterEntry.objects.filter(pk=instance.entry_id)
        .values_list("registration_number", flat=True)
        .first()
    )
    if number:
        _bump_now_and_on_commit(_version_key(number))


@receiver(post_save, sender=PathwayRole)
@receiver(post_delete, sender=PathwayRole)
def _role_changed(sender, **kwargs) -> None:
    _bump_now_and_on_commit(_GLOBAL_VERSION)


@receiver(post_migrate)
def _migrated(sender, **kwargs) -> None:
    # A release runs its migrations before it serves: whatever they changed with historical
    # models (which send no signal to the receivers above) or with SQL, and whatever its new
    # templates show, no page kept by the last release is served after it.
    if sender.name == "register":
        _bump_now_and_on_commit(_GLOBAL_VERSION)
