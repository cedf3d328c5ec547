"""Reading one vacancy by its reference: as anyone may (the advertised ones), or as the employer
that wrote it (every one of its own, drafts included)."""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from accounts.models import Organisation, User
from accounts.permissions import can
from jobs.models import Vacancy

# Vacancies anyone may read by reference: advertised now, or once. A draft was never public,
# and a withdrawn advert was taken down by its employer.
PUBLIC_STATUSES = (Vacancy.Status.PUBLISHED, Vacancy.Status.CLOSED, Vacancy.Status.FILLED)


def vacancy_public_get(*, reference: str) -> Vacancy:
    """A published, closed or filled vacancy; anything else is a 404."""
    vacancy = (
        Vacancy.objects.select_related("organisation", "pathway_role")
        .filter(reference=reference.strip().upper(), status__in=PUBLIC_STATUSES)
        .first()
    )
    if vacancy is None:
        raise Http404("No vacancy is advertised with that reference.")
    return vacancy


def vacancy_for_organisation_get(
    *, user: User, organisation: Organisation, reference: str
) -> Vacancy:
    """One of `organisation`'s own vacancies, in any status, for a member who manages them.
    Another organisation's vacancy is a 404, so nobody learns which references exist."""
    if not can(user, "vacancy.manage", organisation):
        raise PermissionDenied
    vacancy = (
        Vacancy.objects.select_related("organisation", "pathway_role")
        .filter(reference=reference.strip().upper(), organisation=organisation)
        .first()
    )
    if vacancy is None:
        raise Http404("Your organisation has no vacancy with that reference.")
    return vacancy
