"""The one rate limiter. Every limit on how often something may happen counts here: the API's
throttles (api/throttles.py), answers to a consultation from people not signed in, the emails a
consultation sends when anyone asks (resume links and receipts), wrong share codes, concerns
raised, job applications and job alerts made (jobs), and the campaign arrivals and quiz
completions careers counts for people not signed in. (allauth counts its own sign-in limits.)
Each keys a client on core.requests.client_ip, or a person on their account or address.

Count first, then compare. A hit adds one to its counter with an atomic increment and only
then compares the new count with the limit, so each of N concurrent hits gets a count of its
own and at most `limit` of them find themselves within it. Reading the count and adding to it
afterwards, as the share-code check once did, let all N read the same count and all pass. A
refused hit is taken back before `hit()` returns, so refusals use up nothing; a hit that was let
through but whose action did not happen after all is given back with `Hit.take_back()`. A take
back only undoes an increment, so the count of hits let through and not taken back never
exceeds the limit. Until it is taken back, a refused hit can make a concurrent one be refused
as well: the limiter errs towards refusing.

A sliding window. The period is cut into `slices` fixed slices, and a hit counts in its own
slice. The count compared is the current slice's, plus the whole slices within one period of
now, plus the oldest slice's weighted by how much of it still lies within the period, as if its
hits were spread evenly over it. With one slice (the default) that is the usual two-window
estimate: a burst across a window's edge is still refused, where a fixed window would let twice
the limit through. More slices follow the true count more closely, for a read of one counter
per slice. A counter is named by its slice's number, so its expiry is only clean-up, the same
on every backend: it lasts until the window has passed its slice, whenever it was last changed.

The counters live in the shared cache (`CACHES`), and each backend counts atomically its own way:

- Redis (django-redis): INCR, PEXPIRE NX and an MGET of the earlier slices, in one pipelined
  round trip; django-redis's decr() to take back, which leaves an expired counter alone.
- The database cache: Django's incr() there is a read and then a write, and two hits could read
  the same count. Each count is read and written in a transaction that holds a lock for the
  counter: a PostgreSQL advisory lock, or on SQLite the write lock the settings take at BEGIN.
- Any other backend (the per-process memory cache in tests and development): add() and incr().
  Atomic within one process, which is all that cache serves. The file cache's incr() is a read
  and a write, so across processes it can lose a count under load.
"""

import hashlib
import math
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.cache import BaseCache, caches
from django.core.cache.backends.db import BaseDatabaseCache
from django.db import connections, router, transaction
from django.utils import timezone
from django_redis import get_redis_connection
from django_redis.cache import RedisCache


@dataclass(frozen=True)
class RateLimit:
    """At most `limit` hits for each key in any `period` seconds, counted in a sliding window
    of `slices` fixed slices. `name` keeps this limit's counters apart from every other's."""

    name: str
    limit: int
    period: int
    slices: int = 1
    alias: str = "default"

    def __post_init__(self):
        if self.period <= 0 or self.slices <= 0 or self.period % self.slices:
            raise ValueError(
                f"A period of {self.period} seconds does not cut into {self.slices} slices."
            )

    @property
    def slice_seconds(self) -> int:
        return self.period // self.slices

    def hit(self, *keys: str, now: float | None = None) -> "Hit":
        """Count one hit against each key, then compare: the hit is let through only if every
        key is still within the limit. A refused hit is taken back before this returns."""
        now = timezone.now().timestamp() if now is None else now
        index = int(now // self.slice_seconds)
        counted = [self._counter(key, index) for key in keys]
        earlier = [self._earlier(key, index) for key in keys]
        # A slice's counter is read until `slices` more slices have passed, and no longer.
        timeout = (index + self.slices + 1) * self.slice_seconds - now
        counts, read = _count(
            self.alias, counted, timeout, [name for names in earlier for name in names]
        )
        weight = self._oldest_weight(now, index)
        allowed = all(
            self._estimate(count, [read.get(name, 0) for name in names], weight) <= self.limit
            for count, names in zip(counts, earlier, strict=True)
        )
        hit = Hit(
            allowed=allowed,
            retry_after=(index + 1) * self.slice_seconds - now,
            alias=self.alias,
            counters=tuple(counted),
            counter_timeout=timeout,
        )
        if not allowed:
            hit.take_back()
        return hit

    def count(self, key: str, *, now: float | None = None) -> float:
        """How many hits `key` has within the window now, without counting one."""
        now = timezone.now().timestamp() if now is None else now
        index = int(now // self.slice_seconds)
        current, earlier = self._counter(key, index), self._earlier(key, index)
        read = caches[self.alias].get_many([current, *earlier])
        return self._estimate(
            int(read.get(current, 0)),
            [read.get(name, 0) for name in earlier],
            self._oldest_weight(now, index),
        )

    def _counter(self, key: str, index: int) -> str:
        # The slice's length is in the name, so a limit given a new period never reads the
        # counters of its old one.
        return f"ratelimit:{self.name}:{self.slice_seconds}:{key}:{index}"

    def _earlier(self, key: str, index: int) -> list[str]:
        """The counters of the slices before `index` that the window reaches, newest first."""
        return [self._counter(key, index - back) for back in range(1, self.slices + 1)]

    def _oldest_weight(self, now: float, index: int) -> float:
        """How much of the oldest slice counted still lies within one period of now."""
        return 1 - (now - index * self.slice_seconds) / self.slice_seconds

    @staticmethod
    def _estimate(current: int, earlier: list, oldest_weight: float) -> float:
        *whole, oldest = [int(count) for count in earlier]
        return current + sum(whole) + oldest * oldest_weight


@dataclass(eq=False)
class Hit:
    """One hit counted against a limit. `retry_after` is the seconds until the current slice
    ends, what the API's Retry-After header says."""

    allowed: bool
    retry_after: float
    alias: str
    counters: tuple[str, ...]
    counter_timeout: float
    _taken_back: bool = field(default=False, repr=False)

    def take_back(self) -> None:
        """What was counted did not happen after all: give the hit back. Only the first call
        takes anything back."""
        if self._taken_back:
            return
        self._taken_back = True
        _take_back(caches[self.alias], self.counters, self.counter_timeout)


def _count(
    alias: str, counted: list[str], timeout: float, earlier: list[str]
) -> tuple[list[int], dict[str, int]]:
    """Add one to each counter in `counted` and give their new values, and read `earlier`."""
    cache = caches[alias]
    if isinstance(cache, RedisCache):
        return _count_on_redis(alias, cache, counted, timeout, earlier)
    if isinstance(cache, BaseDatabaseCache):
        counts = _adjust_in_database(cache, counted, +1, timeout)
        return [counts[name] for name in counted], cache.get_many(earlier)
    return [_add_one(cache, name, timeout) for name in counted], cache.get_many(earlier)


def _count_on_redis(
    alias: str, cache: RedisCache, counted: list[str], timeout: float, earlier: list[str]
) -> tuple[list[int], dict[str, int]]:
    pipeline = get_redis_connection(alias).pipeline(transaction=False)
    for name in counted:
        key = cache.make_key(name)
        pipeline.incr(key)
        # Set by the slice's first hit; every later one would set the same moment.
        pipeline.pexpire(key, math.ceil(timeout * 1000), nx=True)
    if earlier:
        pipeline.mget([cache.make_key(name) for name in earlier])
    results = pipeline.execute()
    counts = [int(count) for count in results[0 : 2 * len(counted) : 2]]
    values = results[-1] if earlier else []
    read = {
        name: int(value) for name, value in zip(earlier, values, strict=True) if value is not None
    }
    return counts, read


def _add_one(cache: BaseCache, name: str, timeout: float) -> int:
    while True:
        if cache.add(name, 1, timeout):
            return 1
        try:
            count = cache.incr(name)
        except ValueError:
            continue  # It expired between the two calls: start it again.
        # The file cache's incr() writes the value again with the cache's default timeout.
        cache.touch(name, timeout)
        return count


def _take_back(cache: BaseCache, counters: Iterable[str], timeout: float) -> None:
    if isinstance(cache, BaseDatabaseCache):
        _adjust_in_database(cache, counters, -1, timeout)
        return
    for name in counters:
        try:
            cache.decr(name)
        except ValueError:
            continue  # Expired: there is nothing left to take back.
        if not isinstance(cache, RedisCache):
            # As in _add_one: the file cache's decr() writes with the default timeout.
            cache.touch(name, timeout)


def _adjust_in_database(
    cache: BaseDatabaseCache, names: Iterable[str], step: int, timeout: float
) -> dict[str, int]:
    """Add `step` (1, or -1 to take back) to each counter in the database cache, read and written
    under the counters' locks, and give their new values. A counter that is not there is counted
    up from 0, and never taken back below 0 (nor written again: it has expired)."""
    names = list(names)
    database = router.db_for_write(cache.cache_model_class)
    with transaction.atomic(using=database):
        _lock(database, [cache.make_and_validate_key(name) for name in names])
        current = cache.get_many(names)
        if step < 0:
            current = {name: max(0, int(count) + step) for name, count in current.items()}
        else:
            current = {name: int(current.get(name, 0)) + step for name in names}
        cache.set_many(current, timeout)
    return current


def _lock(database: str, keys: list[str]) -> None:
    """Hold a lock for each counter until the transaction ends, so that two hits on one counter
    read and write it one after the other."""
    connection = connections[database]
    if connection.vendor != "postgresql":
        # SQLite: the settings begin every transaction IMMEDIATE, which takes the database's
        # one write lock at BEGIN, so the transaction itself is the lock.
        return
    with connection.cursor() as cursor:
        # In one order, so two hits on the same pair of counters cannot wait for each other.
        for key in sorted(keys):
            digest = hashlib.blake2b(key.encode(), digest_size=8).digest()
            cursor.execute(
                "SELECT pg_advisory_xact_lock(%s)", [int.from_bytes(digest, signed=True)]
            )
