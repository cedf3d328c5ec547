"""Reads for the public register from a read replica, when one is configured.

Off by default. Setting `DATABASE_REPLICA_URL` adds a `replica` database alias and puts
`PublicRegisterReplicaRouter` in `DATABASE_ROUTERS` (see config/settings.py and
docs/scaling.md). The router then sends a read to the replica only while a public-register
selector runs (they are wrapped in `reads_from_replica`): the public search and entry pages
are most of the traffic and can bear a replica's lag of a second or so. Everything else, and
every write, stays on the primary, so a registrar, a worker or an employer always reads what
they have just written.
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import wraps
from typing import ParamSpec, TypeVar

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections, router

REPLICA = "replica"

_public_register_reads: ContextVar[bool] = ContextVar("public_register_reads", default=False)

P = ParamSpec("P")
R = TypeVar("R")


@contextmanager
def public_register_reads() -> Iterator[None]:
    """Reads inside this block may come from the replica."""
    token = _public_register_reads.set(True)
    try:
        yield
    finally:
        _public_register_reads.reset(token)


def reads_from_replica(function: Callable[P, R]) -> Callable[P, R]:
    """Mark a public-register selector: its reads may come from the replica."""

    @wraps(function)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        with public_register_reads():
            return function(*args, **kwargs)

    return wrapper


def read_connection(model):
    """The connection for raw SQL on `model`'s table in a public-register selector: the
    replica's when the router would send the selector's ORM reads there, so both see the same
    copy of the data."""
    return connections[router.db_for_read(model)]


class PublicRegisterReplicaRouter:
    """Public-register reads to `replica`; all other reads and every write to the primary."""

    def db_for_read(self, model, **hints):
        if not _public_register_reads.get() or REPLICA not in settings.DATABASES:
            return None
        if connections[DEFAULT_DB_ALIAS].in_atomic_block:
            # Inside a write's transaction, read what it has written, not the replica's copy.
            return None
        return REPLICA

    def db_for_write(self, model, **hints):
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        # The replica holds the same rows as the primary: objects from either may be related.
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        # The replica copies the primary's schema through replication, never by migrating.
        return db == DEFAULT_DB_ALIAS
