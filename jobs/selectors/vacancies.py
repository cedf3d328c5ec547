"""Reads of vacancies that depend on who asks: an employer's own, whatever their status, and
the public page, where drafts and withdrawn vacancies exist only for the employer's members."""

from collections import Counter
from dataclasses import dataclass

from django.db.models import Count
from django.http import Http404
from django.utils import timezone

from accounts.models import Organisation, User
from accounts.permissions import can
from employers.selectors import employer_organisation_get
from employers.services.verification import employer_is_verified
from jobs.models import Vacancy

Status = Vacancy.Status

# The order of the employer's list: what needs them first.
LIST_ORDER = [Status.DRAFT, Status.PUBLISHED, Status.CLOSED, Status.FILLED, Status.WITHDRAWN]


@dataclass(frozen=True)
class EmployerVacancies:
    organisation: Organisation
    verified: bool
    # (status, label, vacancies with `application_count`), in LIST_ORDER, empty ones left out.
    groups: list[tuple[str, str, list[Vacancy]]]
    counts: Counter


def organisation_for_vacancies(*, user: User, organisation_pk: int) -> Organisation:
    """An employer organisation whose vacancies the user manages; to anyone else it does not
    exist."""
    return employer_organisation_get(user=user, pk=organisation_pk, action="vacancy.manage")


def employer_vacancies(*, user: User, organisation_pk: int) -> EmployerVacancies:
    """The organisation's vacancies by status, each with its number of applications."""
    organisation = organisation_for_vacancies(user=user, organisation_pk=organisation_pk)
    vacancies = (
        Vacancy.objects.filter(organisation=organisation)
        .annotate(application_count=Count("applications"))
        .order_by("closing_date", "-created_at", "-pk")
    )
    by_status: dict[str, list[Vacancy]] = {status: [] for status in LIST_ORDER}
    for vacancy in vacancies:
        by_status[vacancy.status].append(vacancy)
    groups = [(status, status.label, by_status[status]) for status in LIST_ORDER]
    return EmployerVacancies(
        organisation=organisation,
        verified=employer_is_verified(organisation),
        groups=[group for group in groups if group[2]],
        counts=Counter({status: len(items) for status, items in by_status.items()}),
    )


def vacancy_for_employer(*, user: User, organisation_pk: int, reference: str) -> Vacancy:
    """One of the organisation's vacancies, for its members; to anyone else it does not exist."""
    organisation = organisation_for_vacancies(user=user, organisation_pk=organisation_pk)
    vacancy = (
        Vacancy.objects.select_related("organisation", "pathway_role")
        .filter(organisation=organisation, reference=reference)
        .first()
    )
    if vacancy is None:
        raise Http404("No such vacancy.")
    return vacancy


@dataclass(frozen=True)
class VacancyPage:
    vacancy: Vacancy
    # The person manages the vacancy: a draft or withdrawn one is shown to them as a preview.
    is_member: bool
    # The vacancy takes applications now.
    open_for_applications: bool


# Shown to anyone; the others only to the employer's members.
PUBLIC_STATUSES = {Status.PUBLISHED, Status.CLOSED, Status.FILLED}


def vacancy_page(*, user: User, reference: str) -> VacancyPage:
    """The public vacancy page: published, closed and filled vacancies for everyone; drafts
    and withdrawn ones for the organisation's members alone, and 404 for anyone else."""
    vacancy = (
        Vacancy.objects.select_related("organisation", "pathway_role")
        .filter(reference=reference)
        .first()
    )
    if vacancy is None:
        raise Http404("No such vacancy.")
    is_member = can(user, "vacancy.manage", vacancy.organisation)
    if vacancy.status not in PUBLIC_STATUSES and not is_member:
        raise Http404("No such vacancy.")
    # The clock closes a vacancy the night after its closing date; until it runs, the date
    # alone says the vacancy has closed.
    open_now = (
        vacancy.status == Status.PUBLISHED
        and vacancy.closing_date is not None
        and vacancy.closing_date >= timezone.localdate()
    )
    return VacancyPage(vacancy=vacancy, is_member=is_member, open_for_applications=open_now)
