"""Public pages kept rendered in the shared cache for visitors who are not signed in, so that a
page everyone looks up costs one cache round trip instead of its queries and its template. The
register's entry and search pages (register/page_cache.py) and the vacancy pages
(jobs/page_cache.py) use it; each says which versions its pages depend on and bumps them.

A change shows at once. Each stored page records the versions it was rendered at, and is served
only while they are all still current. A change bumps the versions it affects twice: at once,
and again when its transaction commits (`transaction.on_commit`). A page rendered from data read
before the commit therefore carries an old version and is never served. The order that makes
this safe: the versions are read before the database is, and a missing version is created
before the database is read.

What a page shows can also change with the date alone (a warning shown through its last day, a
vacancy open until its closing date), so no page is kept past the midnight after it was
rendered.

`PUBLIC_PAGE_CACHE_SECONDS` bounds how long a page is kept whatever else happens (a change made
by a path that sends no signal, a bump lost because the cache could not be reached, a page read
from a replica that had not yet caught up with the change). It is 0, meaning off, when the
cache is one process's memory: a change made in one gunicorn worker or the task worker could
not reach another worker's pages. See docs/performance.md.
"""

import logging
import math
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

logger = logging.getLogger(__name__)

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


def request_holds_nothing_of_its_own(request: HttpRequest) -> bool:
    """A visitor whose page can hold nothing of their own: not signed in, and with no session
    or message waiting (a signed-out visitor's session can still carry a message)."""
    # The cookies first: with no session cookie, asking for the user costs no query.
    return (
        settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "messages" not in request.COOKIES
        and not request.user.is_authenticated
    )


def request_may_use_cache(request: HttpRequest) -> bool:
    """Only such a visitor, and only while pages are kept in a shared cache."""
    return cache_seconds() > 0 and request_holds_nothing_of_its_own(request)


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


def page_get(page_key: str, version_keys: list[str]) -> CachedPage:
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


def cached_response(
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
    if response.status_code == 200 and not response.has_header("Cache-Control"):
        try:
            cached.store(response.content)
        except Exception:
            logger.exception("public page cache unreachable: page not kept")
    return response


def _bump(keys: tuple[str, ...]) -> None:
    cache.set_many({key: secrets.token_hex(8) for key in keys}, timeout=None)


def bump_now_and_on_commit(*keys: str) -> None:
    """Mark the pages that depend on `keys` as changed: at once, and again when the
    transaction commits."""
    # A change must not fail because the cache is unreachable. The pages it holds are then
    # unreachable too; if the cache comes back with them, they last at most
    # PUBLIC_PAGE_CACHE_SECONDS.
    try:
        _bump(keys)
    except Exception:
        logger.exception("public page cache: could not mark %s as changed", ", ".join(keys))
    transaction.on_commit(lambda: _bump(keys), robust=True)
