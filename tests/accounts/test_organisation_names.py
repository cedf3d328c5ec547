"""Two organisations cannot share a name (whatever its case and spaces) unless a registrar
confirms that they are different organisations."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from accounts.models import Organisation
from accounts.services import organisations as services
from core.models import AuditEvent
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def acorn(db):
    return OrganisationFactory(name="Acorn Lodge Care", kind=Organisation.Kind.EMPLOYER)


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("Acorn Lodge Care", Organisation.Kind.EMPLOYER),
        ("  acorn   LODGE care ", Organisation.Kind.EMPLOYER),
        ("AcornLodgeCare", Organisation.Kind.EMPLOYER),
        ("Acorn Lodge Care", Organisation.Kind.TRAINING_PROVIDER),
    ],
)
def test_a_name_already_taken_is_refused_and_nothing_is_made(acorn, worker, name, kind):
    with pytest.raises(services.ApplicationError, match="Acorn Lodge Care is already on"):
        services.organisation_create(user=worker, name=name, kind=kind)

    assert list(Organisation.objects.all()) == [acorn]
    assert not AuditEvent.objects.filter(action="accounts.organisation.created").exists()


def test_a_different_name_is_made_with_its_spaces_tidied(acorn, worker):
    organisation = services.organisation_create(
        user=worker, name="Acorn  Lodge Care   Leeds", kind=Organisation.Kind.EMPLOYER
    )

    assert organisation.name == "Acorn Lodge Care Leeds"


def test_a_registrar_confirms_a_second_organisation_of_the_same_name(acorn, worker, registrar):
    organisation = services.organisation_create(
        user=worker,
        name="acorn lodge care",
        kind=Organisation.Kind.EMPLOYER,
        name_confirmed_by=registrar,
    )

    assert organisation.memberships.get().user == worker
    event = AuditEvent.objects.get(action="accounts.organisation.created")
    assert event.actor_id == registrar.pk
    assert event.data["same_name_as"] == acorn.pk
    assert event.data["name_confirmed_by"] == registrar.pk


def test_nobody_but_a_registrar_confirms_a_shared_name(acorn, worker, employer):
    with pytest.raises(PermissionDenied):
        services.organisation_create(
            user=worker,
            name="Acorn Lodge Care",
            kind=Organisation.Kind.EMPLOYER,
            name_confirmed_by=employer,
        )
    assert Organisation.objects.filter(name="Acorn Lodge Care").count() == 1


def test_the_organisations_page_explains_a_taken_name(client, acorn, worker):
    client.force_login(worker)

    response = client.post(
        reverse("accounts:organisation-list"),
        {"name": "ACORN lodge care", "kind": Organisation.Kind.EMPLOYER},
    )

    assert response.status_code == 400
    assert "Acorn Lodge Care is already on the register" in response.content.decode()
    assert Organisation.objects.count() == 1


def test_the_registrar_sets_up_an_organisation_of_a_name_in_use_for_its_owner(
    registrar_client, acorn, worker
):
    response = registrar_client.post(
        reverse("employers:registrar-employers"),
        {"name": "Acorn Lodge Care", "kind": "employer", "owner_email": worker.email},
        follow=True,
    )

    assert "is set up, with worker@example.org as its owner" in response.content.decode()
    second = Organisation.objects.exclude(pk=acorn.pk).get()
    assert (second.name, second.memberships.get().user) == ("Acorn Lodge Care", worker)


def test_the_registrar_is_told_when_the_owner_has_no_account(registrar_client, acorn):
    response = registrar_client.post(
        reverse("employers:registrar-employers"),
        {"name": "Acorn Lodge Care", "kind": "employer", "owner_email": "nobody@example.org"},
    )

    assert response.status_code == 400
    assert "No account uses that email address" in response.content.decode()
    assert Organisation.objects.count() == 1
