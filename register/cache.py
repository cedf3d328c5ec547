"""The shared cache: Django's Redis backend made cheaper per call, and a rate-limit counter that
costs one round trip.

Django's Redis client builds a new `redis.Redis` object for every call. With redis-py 8 that
object sets up some 170 response callbacks, which cost about as much as the round trip itself
(docs/performance.md, "Verify"). A `redis.Redis` is safe to share between threads (each
command takes a connection from the pool), so one is kept per pool and reused.

register/settings.py swaps this backend in for Django's whenever `CACHE_URL` names Redis.
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


def window_count(
    current: str, previous: str, timeout: int, alias: str = "default"
) -> tuple[int, int]:
    """Add one to the counter `current` (kept `timeout` seconds from its first use) and read the
    counter `previous`: one round trip on Redis, a few on other caches."""
    cache = caches[alias]
    if isinstance(cache, DjangoRedisCache):
        current_key = cache.make_and_validate_key(current)
        previous_key = cache.make_and_validate_key(previous)
        pipeline = cache._cache.get_client(current_key, write=True).pipeline(transaction=False)
        pipeline.incr(current_key)
        pipeline.expire(current_key, timeout, nx=True)
        pipeline.get(previous_key)
        count, _, before = pipeline.execute()
        return int(count), int(before or 0)
    if cache.add(current, 1, timeout):
        count = 1
    else:
        try:
            count = cache.incr(current)
        except ValueError:
            # Expired between the two calls.
            cache.add(current, 1, timeout)
            count = 1
    return count, int(cache.get(previous) or 0)


def window_uncount(current: str, alias: str = "default") -> None:
    """Take back one from `current` (a request that was refused does not count)."""
    try:
        caches[alias].decr(current)
    except ValueError:
        pass
