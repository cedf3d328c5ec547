"""Rendered public register entry pages, kept in the shared cache for visitors who are not
signed in, so that the page everyone looks up costs one cache round trip instead of two queries
and a template.

A change shows at once. Each entry has a version number in the cache and each stored page
records the version it was rendered at. Every save or delete of an entry, or of one of its
annotations, bumps the entry's version twice: at once, and again when the transaction commits
(`transaction.on_commit`). A page rendered from data read before the commit therefore carries
an old version and is never served; the page is read only when the version it was stored with
is still the current one. A change to a pathway role's title (which every entry with that role
shows) bumps one version shared by all pages. The order that makes this safe: the versions are
read before the database is, and a missing version is created before the database is read.

`PUBLIC_PAGE_CACHE_SECONDS` bounds how long a page is kept whatever happens (a deploy with a
new template, a change made by a path that sends no signal). It is 0, meaning off, when the
cache is one process's memory: a change made in one gunicorn worker or the task worker could
not reach another worker's pages. See docs/performance.md.
"""

import logging
import secrets
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse

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
    registration_number: str
    html: bytes | None
    versions: tuple[str, str] | None

    def store(self, html: bytes) -> None:
        if self.versions is not None:
            cache.set(
                _page_key(self.registration_number),
                (self.versions, html),
                timeout=cache_seconds(),
            )


def entry_page_get(registration_number: str) -> CachedPage:
    """The stored page when it is current; otherwise html is None and `store` keeps the page
    about to be rendered, under the versions read now (before the database is)."""
    version_key = _version_key(registration_number)
    page_key = _page_key(registration_number)
    found = cache.get_many([_GLOBAL_VERSION, version_key, page_key])
    current = [found.get(_GLOBAL_VERSION), found.get(version_key)]
    if None in current:
        # Created before the database is read, so that a change committed after the read bumps
        # it. If another request made it first, read theirs.
        for index, key in enumerate((_GLOBAL_VERSION, version_key)):
            if current[index] is None:
                made = secrets.token_hex(8)
                current[index] = made if cache.add(key, made, timeout=None) else cache.get(key)
        if None in current:
            return CachedPage(registration_number, None, None)
    versions = (current[0], current[1])
    stored = found.get(page_key)
    if stored is not None and tuple(stored[0]) == versions:
        return CachedPage(registration_number, stored[1], versions)
    return CachedPage(registration_number, None, versions)


def entry_page_response(
    request: HttpRequest, registration_number: str, render_page: Callable[[], HttpResponse]
) -> HttpResponse:
    """The entry's page from the cache when it may be and is current, else `render_page()`,
    kept for the next visitor when it may be. The cache being unreachable only costs speed."""
    if not request_may_use_cache(request):
        return render_page()
    try:
        cached = entry_page_get(registration_number)
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


def _bump(key: str) -> None:
    cache.set(key, secrets.token_hex(8), timeout=None)


def _bump_now_and_on_commit(key: str) -> None:
    # A change to the register must not fail because the cache is unreachable. The pages it
    # holds are then unreachable too; if the cache comes back with them, they last at most
    # PUBLIC_PAGE_CACHE_SECONDS.
    try:
        _bump(key)
    except Exception:
        logger.exception("public page cache: could not mark %s as changed", key)
    transaction.on_commit(lambda: _bump(key), robust=True)


@receiver(post_save, sender=RegisterEntry)
@receiver(post_delete, sender=RegisterEntry)
def _entry_changed(sender, instance: RegisterEntry, **kwargs) -> None:
    if instance.registration_number:
        _bump_now_and_on_commit(_version_key(instance.registration_number))


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
