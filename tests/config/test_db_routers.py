"""The read-replica router: public-register reads go to the replica alias, the rest stays on
the primary. The `replica` alias in tests/settings.py mirrors the test database."""

import pytest
from django.db import connections, transaction
from django.test.utils import CaptureQueriesContext

from config.db_routers import PublicRegisterReplicaRouter, public_register_reads
from register.models import NameWord, RegisterEntry
from register.selectors import public as public_register
from tests.factories import RegisterEntryFactory

ROUTER = "config.db_routers.PublicRegisterReplicaRouter"
pytestmark = pytest.mark.django_db(databases=["default", "replica"], transaction=True)


@pytest.fixture
def replica_router(settings):
    settings.DATABASE_ROUTERS = [ROUTER]


def _queries_on_each(call):
    with (
        CaptureQueriesContext(connections["default"]) as on_default,
        CaptureQueriesContext(connections["replica"]) as on_replica,
    ):
        result = call()
    return result, len(on_default), len(on_replica)


def test_the_public_entry_page_reads_from_the_replica(replica_router):
    entry = RegisterEntryFactory()
    found, on_default, on_replica = _queries_on_each(
        lambda: public_register.public_entry_get(registration_number=entry.registration_number)
    )
    assert found["registration_number"] == entry.registration_number
    assert on_replica >= 1
    assert on_default == 0


def test_a_search_by_number_reads_from_the_replica(replica_router):
    entry = RegisterEntryFactory()
    result, on_default, on_replica = _queries_on_each(
        lambda: public_register.public_register_search(query=entry.registration_number)
    )
    assert [row["registration_number"] for row in result.results] == [entry.registration_number]
    assert on_replica >= 1
    assert on_default == 0


def test_a_search_by_name_runs_its_raw_sql_on_the_replica(replica_router):
    entry = RegisterEntryFactory(application__legal_name="Zebedee Quartermaine")
    with (
        CaptureQueriesContext(connections["default"]) as on_default,
        CaptureQueriesContext(connections["replica"]) as on_replica,
    ):
        result = public_register.public_register_search(query="quartermaine")

    assert [row["registration_number"] for row in result.results] == [entry.registration_number]
    words_table = NameWord._meta.db_table
    assert any(words_table in query["sql"] for query in on_replica.captured_queries)
    assert on_default.captured_queries == []


def test_reads_outside_the_public_register_stay_on_the_primary(replica_router):
    entry = RegisterEntryFactory()
    _, on_default, on_replica = _queries_on_each(lambda: RegisterEntry.objects.get(pk=entry.pk))
    assert (on_default, on_replica) == (1, 0)


def test_writes_go_to_the_primary_even_inside_a_public_register_read(replica_router):
    entry = RegisterEntryFactory()
    router = PublicRegisterReplicaRouter()
    with public_register_reads():
        assert router.db_for_write(RegisterEntry) == "default"
        assert router.db_for_read(RegisterEntry) == "replica"
        _, on_default, on_replica = _queries_on_each(
            lambda: RegisterEntry.objects.filter(pk=entry.pk).update(full_name="Renamed Person")
        )
    assert (on_default, on_replica) == (1, 0)


def test_a_read_inside_a_write_transaction_stays_on_the_primary(replica_router):
    entry = RegisterEntryFactory()
    with transaction.atomic():
        _, on_default, on_replica = _queries_on_each(
            lambda: public_register.public_entry_get(registration_number=entry.registration_number)
        )
    assert on_default >= 1
    assert on_replica == 0


def test_only_the_primary_is_migrated():
    router = PublicRegisterReplicaRouter()
    assert router.allow_migrate("default", "register") is True
    assert router.allow_migrate("replica", "register") is False


def test_without_the_router_everything_reads_from_the_primary():
    entry = RegisterEntryFactory()
    _, on_default, on_replica = _queries_on_each(
        lambda: public_register.public_entry_get(registration_number=entry.registration_number)
    )
    assert on_default >= 1
    assert on_replica == 0
