"""Fixtures shared by every test: one persona for each kind of person who uses the register,
the objects several apps' tests start from (an entry, a standard, a consultation...), and the
clock. Factories are in tests/factories.py."""

import datetime
import socket
import uuid

import pytest
from allauth.account.internal.flows.login import record_authentication
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from allauth.mfa.utils import is_mfa_enabled
from django.core.cache import cache, caches
from django.test import Client, RequestFactory
from django.utils import timezone

from accounts.models import Membership, Organisation
from accounts.services.organisations import registrars_group
from consultations.services import lifecycle
from passports import keys
from tests.factories import (
    ConsultationFactory,
    MembershipFactory,
    OrganisationFactory,
    PathwayRoleFactory,
    ProviderApprovalFactory,
    RegisterEntryFactory,
    TrainingStandardFactory,
    UserFactory,
)


@pytest.fixture(autouse=True)
def _force_login_includes_the_second_factor(monkeypatch):
    """`client.force_login(user)` stands for the whole sign-in, which for someone with an
    authenticator app includes a code from it: the session records that, as allauth's sign-in
    does, since registrar powers need it (config.middleware). A test of a session that skipped
    the code passes second_factor=False."""
    force_login = Client.force_login

    def force_login_with_the_code(self, user, backend=None, *, second_factor=True):
        force_login(self, user, backend)
        if second_factor and is_mfa_enabled(user):
            session = self.session
            request = RequestFactory().get("/")
            request.session = session
            record_authentication(request, user, "mfa", type="totp")
            session.save()

    monkeypatch.setattr(Client, "force_login", force_login_with_the_code)


@pytest.fixture(autouse=True)
def _fresh_cache():
    # Rate limits live in the cache; each test starts with none used. Each test's signing keys
    # are its own, so the process's copy of the published keys goes too.
    cache.clear()
    keys.published_keys_forget()
    yield
    cache.clear()
    keys.published_keys_forget()


class Clock:
    """Sets the time with time-machine, for the whole process: Django's `timezone.now()` and
    `localdate()`, Python's `datetime` and `time.time()` all read it, so every module (and the
    database cache's expiry) agrees on what time it is. The clock stands still where it is set.
    `time.monotonic()` and `time.perf_counter()` are left alone, so durations stay real."""

    def __init__(self, time_machine):
        self._time_machine = time_machine

    def set(self, moment: datetime.datetime) -> None:
        self._time_machine.move_to(moment, tick=False)

    def advance(self, delta: datetime.timedelta) -> None:
        """Move the clock on by `delta` from where it stands (from the real time, at first)."""
        self.set(timezone.now() + delta)


@pytest.fixture
def clock(time_machine):
    """The one way a test sets the time; it goes back to the real time after the test."""
    return Clock(time_machine)


def _use_the_database_cache(settings) -> None:
    from django.core.management import call_command

    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "test_rate_limit_cache",
        }
    }
    call_command("createcachetable", verbosity=0)


@pytest.fixture
def database_cache(db, settings):
    """The cache the README recommends for several processes (`dbcache://`). Unlike the
    in-memory cache, its incr() writes the value again with the default timeout."""
    _use_the_database_cache(settings)


@pytest.fixture
def database_cache_for_threads(transactional_db, settings):
    """The database cache for a test whose threads each have their own connection: its table
    is committed where they can see it, and emptied afterwards (flushing the database between
    tests leaves it alone)."""
    _use_the_database_cache(settings)
    yield caches["default"]
    caches["default"].clear()


def _redis_answers() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=0.2):
            return True
    except OSError:
        return False


@pytest.fixture
def redis_cache(settings):
    """The Redis cache production uses (django-redis), when a Redis answers on 127.0.0.1:6379
    (CI's machines have one; a fresh laptop may not). Other test runs share that server, so
    the keys carry a prefix of this test's own and are deleted after it, never the whole
    database."""
    if not _redis_answers():
        pytest.skip("No Redis on 127.0.0.1:6379: the Redis half of this test needs one.")
    settings.CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": "redis://127.0.0.1:6379/15",
            "KEY_PREFIX": f"test-{uuid.uuid4().hex}",
        }
    }
    yield caches["default"]
    caches["default"].delete_pattern("*")


@pytest.fixture(autouse=True)
def _private_media_in_a_temporary_folder(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "private-media"


@pytest.fixture
def worker(db):
    return UserFactory(email="worker@example.org", full_name="Wendy Worker", is_care_worker=True)


@pytest.fixture
def outsider(db):
    return UserFactory(email="outsider@example.org", full_name="Oscar Outsider")


@pytest.fixture
def employer_organisation(db):
    return OrganisationFactory(name="Sunrise Care Homes", kind=Organisation.Kind.EMPLOYER)


@pytest.fixture
def employer(employer_organisation):
    """The owner of an employer organisation."""
    return MembershipFactory(
        user__email="employer@example.org",
        user__full_name="Emma Employer",
        organisation=employer_organisation,
        role=Membership.Role.OWNER,
    ).user


@pytest.fixture
def employer_member(employer_organisation):
    return MembershipFactory(
        user__email="member@example.org",
        user__full_name="Mo Member",
        organisation=employer_organisation,
        role=Membership.Role.MEMBER,
    ).user


@pytest.fixture
def provider(db):
    organisation = OrganisationFactory(name="Skills Ltd", kind=Organisation.Kind.TRAINING_PROVIDER)
    return MembershipFactory(
        user__email="provider@example.org", organisation=organisation, role=Membership.Role.OWNER
    ).user


@pytest.fixture
def association_admin(db):
    organisation = OrganisationFactory(
        name="Care Workers' Association", kind=Organisation.Kind.ASSOCIATION
    )
    return MembershipFactory(
        user__email="association@example.org",
        organisation=organisation,
        role=Membership.Role.OWNER,
    ).user


@pytest.fixture
def registrar_without_mfa(db):
    user = UserFactory(
        email="registrar@example.org", full_name="Rita Registrar", is_registrar=True, is_staff=True
    )
    user.groups.add(registrars_group())
    return user


@pytest.fixture
def registrar(registrar_without_mfa):
    """A registrar who has set up an authenticator app."""
    TOTP.activate(registrar_without_mfa, generate_totp_secret())
    return registrar_without_mfa


@pytest.fixture
def registrar_client(client, registrar):
    client.force_login(registrar)
    return client


@pytest.fixture
def entry(worker):
    """The worker's entry on the register, as if approved today."""
    return RegisterEntryFactory(application__worker=worker)


@pytest.fixture
def own_role(db):
    """A pathway role of its own ("Test role"), so the seeded requirements of the real roles
    do not interfere."""
    return PathwayRoleFactory(code="test-role", title="Test role")


@pytest.fixture
def entry_in_own_role(worker, own_role):
    """The worker's entry, in a role that needs no training until a test says it does."""
    return RegisterEntryFactory(application__worker=worker, application__pathway_role=own_role)


@pytest.fixture
def standard(db):
    """Moving and handling, from the seeded catalogue."""
    return TrainingStandardFactory(code="moving-and-handling", title="Moving and handling")


@pytest.fixture
def provider_organisation(provider):
    return provider.organisations.get()


@pytest.fixture
def approved(provider_organisation):
    """The provider's approval: its records are verified on arrival."""
    return ProviderApprovalFactory(organisation=provider_organisation)


@pytest.fixture
def other_provider(db):
    """The owner of a second training provider."""
    organisation = OrganisationFactory(
        name="Other Training Ltd", kind=Organisation.Kind.TRAINING_PROVIDER
    )
    return MembershipFactory(
        user__email="other-provider@example.org",
        organisation=organisation,
        role=Membership.Role.OWNER,
    ).user


@pytest.fixture
def association(association_admin):
    return association_admin.organisations.get(kind=Organisation.Kind.ASSOCIATION)


@pytest.fixture
def draft(association_admin, association):
    """The tests' consultation (see ConsultationFactory), still a draft."""
    return ConsultationFactory(created_by=association_admin, organisation=association)


@pytest.fixture
def consultation(draft, association_admin):
    """The tests' consultation, open now, for anyone, without signing in."""
    lifecycle.consultation_schedule(consultation=draft, user=association_admin)
    draft.refresh_from_db()
    return draft


@pytest.fixture
def registered_worker(db):
    """A care worker on the register, who is no other persona."""
    return RegisterEntryFactory(
        application__worker__email="registered@example.org", application__legal_name="Rae Reg"
    ).worker


@pytest.fixture
def other_worker(db):
    """A second care worker, Olive: the security world gives her an entry of her own and
    nothing of Wendy's."""
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
    """Every persona by name, for the walks over every URL (tests/security, and the browser's
    in tests/e2e): anonymous is None, and the registrar is a second one, with a second factor,
    beside the one without."""
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
    """One of every object a URL can name, each owned by one persona (tests/security/world.py)."""
    from tests.security.world import build_world

    return build_world(personas)
