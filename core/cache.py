"""The shared cache: Django's Redis backend made cheaper per call, and a rate-limit counter that
costs one round trip.

Django's Redis client builds a new `redis.Redis` object for every call. With redis-py 8 that
object sets up some 170 response callbacks, which cost about as much as the round trip itself
(docs/performance.md, "Verify"). A `redis.Redis` is safe to share between threads (each
command takes a connection from the pool), so one is kept per pool and reused.

config/settings.py swaps this backend in for Django's whenever `CACHE_URL` names Redis.
"""

from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient


class ReusingRedisCacheClient(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class RedisCache(DjangoRedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusingRedisCacheClient


def _redis_count(cache, key: str, timeout: int, *, also_read: str | None = None) -> tuple[int, int]:
    """INCR `key`, give it `timeout` seconds if it has no expiry yet, and GET `also_read`, in
    one pipelined round trip."""
    counted = cache.make_and_validate_key(key)
    pipeline = cache._cache.get_client(counted, write=True).pipeline(transaction=False)
    pipeline.incr(counted)
    pipeline.expire(counted, timeout, nx=True)
    if also_read is not None:
        pipeline.get(cache.make_and_validate_key(also_read))
    count, _, *read = pipeline.execute()
    return int(count), int(read[0] or 0) if read else 0


def window_count(
    current: str, previous: str, timeout: int, alias: str = "default"
) -> tuple[int, int]:
    """Add one to the counter `current` (kept `timeout` seconds from its first use) and read the
    counter `previous`: one round trip on Redis, a few on other caches."""
    cache = caches[alias]
    if isinstance(cache, DjangoRedisCache):
        return _redis_count(cache, current, timeout, also_read=previous)
    return counter_add(current, timeout, alias), int(cache.get(previous) or 0)


def counter_add(key: str, timeout: int, alias: str = "default") -> int:
    """Add one to the counter `key`, kept `timeout` seconds from its first use, and give its new
    value: atomic, and one round trip on Redis."""
    cache = caches[alias]
    if isinstance(cache, DjangoRedisCache):
        return _redis_count(cache, key, timeout)[0]
    if cache.add(key, 1, timeout):
        return 1
    try:
        count = cache.incr(key)
    except ValueError:
        # Expired between the two calls.
        cache.add(key, 1, timeout)
        return 1
    # The database and file caches' incr() writes the value again with the default timeout
    # (five minutes): give the count back its own. (Redis's INCR keeps the key's expiry.)
    cache.touch(key, timeout)
    return count


def counter_take_back(key: str, alias: str = "default") -> None:
    """Take one back off the counter `key` (what was counted did not happen after all)."""
    try:
        caches[alias].decr(key)
    except ValueError:
        pass
