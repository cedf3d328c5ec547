"""Vacancy pages kept rendered in the shared cache for visitors who are not signed in
(core/page_cache.py says how a stored page is kept current), so that the page a search or an
alert sends everyone to costs one cache round trip instead of its queries, its template and
its JSON-LD.

A page shows the vacancy, its employer's name, its pathway role's title and, in the JSON-LD,
the region of its town from the places table. So:
- every save or delete of a vacancy, and every save of its organisation, bumps that
  vacancy's version;
- every change to a pathway role, a load of places and every release's migrations bump the
  version all vacancy pages share.
Whether a vacancy still takes applications also changes with the date alone (it closes at the
end of its closing date), and core/page_cache.py keeps no page past midnight.

An app above jobs that adds a section to the page (jobs.signals) calls
`organisation_vacancy_pages_changed` or bumps through a vacancy save when what it shows changes.

Drafts and withdrawn vacancies are shown only to the employer's members, who are signed in
and never get a stored page; everyone else gets 404, which is never stored.
"""

from collections.abc import Callable

from django.db.models.signals import post_delete, post_migrate, post_save
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse

from accounts.models import Organisation
from core.page_cache import CachedPage, bump_now_and_on_commit, cached_response, page_get
from jobs.models import Vacancy
from register.models import PathwayRole

_ALL_VACANCY_PAGES = "vacancy-page:all"


def _version_key(reference: str) -> str:
    return f"vacancy-page:version:{reference}"


def _page_key(reference: str) -> str:
    return f"vacancy-page:{reference}"


def vacancy_page_get(reference: str) -> CachedPage:
    return page_get(_page_key(reference), [_ALL_VACANCY_PAGES, _version_key(reference)])


def vacancy_page_response(
    request: HttpRequest, reference: str, render_page: Callable[[], HttpResponse]
) -> HttpResponse:
    return cached_response(request, lambda: vacancy_page_get(reference), render_page)


def all_vacancy_pages_changed() -> None:
    """What every vacancy page can show has changed (the places table, say)."""
    bump_now_and_on_commit(_ALL_VACANCY_PAGES)


@receiver(post_save, sender=Vacancy)
@receiver(post_delete, sender=Vacancy)
def _vacancy_changed(sender, instance: Vacancy, **kwargs) -> None:
    if instance.reference:
        bump_now_and_on_commit(_version_key(instance.reference))


@receiver(post_save, sender=Organisation)
def _organisation_changed(sender, instance: Organisation, created: bool, **kwargs) -> None:
    if not created:
        organisation_vacancy_pages_changed(instance.pk)


@receiver(post_save, sender=PathwayRole)
@receiver(post_delete, sender=PathwayRole)
def _role_changed(sender, **kwargs) -> None:
    all_vacancy_pages_changed()


@receiver(post_migrate)
def _migrated(sender, **kwargs) -> None:
    if sender.name == "jobs":
        all_vacancy_pages_changed()


def organisation_vacancy_pages_changed(organisation_id: int) -> None:
    """What every vacancy page of this employer shows has changed (a story of one of its
    workers was published or taken down, say)."""
    references = list(
        Vacancy.objects.filter(organisation_id=organisation_id).values_list("reference", flat=True)
    )
    if references:
        bump_now_and_on_commit(*(_version_key(reference) for reference in references))
