import pytest

from tests.factories import UserFactory
from tests.security.world import build_world


@pytest.fixture
def other_worker(db):
    """A second registered worker: she owns her own entry and nothing of Wendy's."""
    return UserFactory(email="olive@example.org", full_name="Olive Other", is_care_worker=True)


@pytest.fixture
def personas(
    worker,
    other_worker,
    employer,
    employer_member,
    provider,
    association_admin,
    registrar_without_mfa,
    outsider,
):
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    # A registrar with a second factor, beside the one without.
    registrar = UserFactory(
        email="registrar2@example.org", full_name="Raj Registrar", is_registrar=True, is_staff=True
    )
    registrar.groups.set(registrar_without_mfa.groups.all())
    TOTP.activate(registrar, generate_totp_secret())
    return {
        "anonymous": None,
        "worker": worker,
        "other_worker": other_worker,
        "employer": employer,
        "employer_member": employer_member,
        "provider": provider,
        "association_admin": association_admin,
        "registrar_without_mfa": registrar_without_mfa,
        "registrar": registrar,
        "outsider": outsider,
    }


@pytest.fixture
def world(personas):
    return build_world(personas)
