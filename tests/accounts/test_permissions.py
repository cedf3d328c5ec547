import pytest

from accounts.models import Organisation
from accounts.permissions import can, known_actions
from accounts.roles import Role, roles_of


@pytest.mark.django_db
def test_each_persona_holds_the_roles_it_should(
    worker, employer, provider, association_admin, registrar, outsider
):
    assert roles_of(worker) == {Role.CARE_WORKER}
    assert roles_of(employer) == {Role.EMPLOYER_MEMBER}
    assert roles_of(provider) == {Role.TRAINING_PROVIDER_MEMBER}
    assert roles_of(association_admin) == {Role.ASSOCIATION_ADMIN}
    assert roles_of(registrar) == {Role.REGISTRAR}
    assert roles_of(outsider) == set()


@pytest.mark.django_db
def test_only_association_members_manage_its_consultations(association_admin, employer):
    association = association_admin.organisations.get()
    employer_organisation = employer.organisations.get()

    assert can(association_admin, "consultation.manage", association)
    assert not can(employer, "consultation.manage", association)
    assert not can(employer, "consultation.manage", employer_organisation)


@pytest.mark.django_db
def test_an_inactive_user_may_do_nothing(employer):
    organisation = employer.organisations.get()
    employer.is_active = False

    assert not can(employer, "organisation.view", organisation)
    assert not can(employer, "organisation.invite", organisation)


def test_an_unknown_action_is_a_programming_error():
    with pytest.raises(ValueError, match="No permission rule"):
        can(None, "register.nothing")


def test_every_rule_is_listed():
    assert {"registrar.access", "audit.view", "organisation.invite"} <= set(known_actions())
    assert Organisation.Kind.ASSOCIATION == "association"
