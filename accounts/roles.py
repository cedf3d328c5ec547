"""The roles a person can hold. One person can hold several: a registered care worker may also
be a member of their employer's organisation."""

from django.db import models

from accounts.models import Organisation


class Role(models.TextChoices):
    CARE_WORKER = "care_worker", "Care worker"
    EMPLOYER_MEMBER = "employer_member", "Employer member"
    TRAINING_PROVIDER_MEMBER = "training_provider_member", "Training provider member"
    REGISTRAR = "registrar", "Registrar"
    ASSOCIATION_ADMIN = "association_admin", "Association admin"


_ROLE_FOR_KIND = {
    Organisation.Kind.EMPLOYER: Role.EMPLOYER_MEMBER,
    Organisation.Kind.TRAINING_PROVIDER: Role.TRAINING_PROVIDER_MEMBER,
    Organisation.Kind.ASSOCIATION: Role.ASSOCIATION_ADMIN,
}


def roles_of(user) -> set[Role]:
    if not user.is_authenticated:
        return set()
    return _roles(user, user.organisations.values_list("kind", flat=True))


def roles_and_memberships(user) -> tuple[set[Role], list]:
    """The person's roles and their memberships with each organisation, in one query: what the
    header and footer of every page show."""
    if not user.is_authenticated:
        return set(), []
    memberships = list(
        user.memberships.select_related("organisation").order_by("organisation__name")
    )
    return _roles(user, [m.organisation.kind for m in memberships]), memberships


def _roles(user, kinds) -> set[Role]:
    roles = {_ROLE_FOR_KIND[kind] for kind in kinds}
    if user.is_care_worker:
        roles.add(Role.CARE_WORKER)
    if user.is_registrar:
        roles.add(Role.REGISTRAR)
    return roles
