"""Personas shared by every test: one of each kind of person who uses the register."""

import socket
import uuid

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.core.cache import cache, caches

from accounts.models import Membership, Organisation
from accounts.services.organisations import registrars_group
from passports import keys
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory


@pytest.fixture(autouse=True)
def _fresh_cache():
    # Rate limits live in the cache; each test starts with none used. Each test's signing keys
    # are its own, so the process's copy of the published keys goes too.
    cache.clear()
    keys.published_keys_forget()
    yield
    cache.clear()
    keys.published_keys_forget()


class DatabaseCacheClock:
    """Moves the database cache's own clock, which is the one its timeouts are read by."""

    def __init__(self, monkeypatch):
        self._monkeypatch = monkeypatch

    def advance(self, delta) -> None:
        from django.core.cache.backends import db as database_cache_backend
        from django.utils import timezone

        later = timezone.now() + delta
        self._monkeypatch.setattr(database_cache_backend, "tz_now", lambda: later)


@pytest.fixture
def database_cache(db, settings, monkeypatch):
    """The cache the README recommends for several processes (`dbcache://`). Unlike the
    in-memory cache, its incr() writes the value again with the default timeout."""
    from django.core.management import call_command

    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "test_rate_limit_cache",
        }
    }
    call_command("createcachetable", verbosity=0)
    return DatabaseCacheClock(monkeypatch)


@pytest.fixture
def database_cache_for_threads(transactional_db, settings):
    """The database cache for a test whose threads each have their own connection: its table
    is committed where they can see it, and emptied afterwards (flushing the database between
    tests leaves it alone)."""
    from django.core.management import call_command

    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "test_rate_limit_cache",
        }
    }
    call_command("createcachetable", verbosity=0)
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
