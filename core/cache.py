"""Rate-limit counters in the shared cache, one round trip each on Redis.

config/settings.py names django-redis's backend whenever `CACHE_URL` names Redis. It keeps one
client per server, and its `get_redis_connection` gives that client for the pipelines below.
"""

from django.core.cache import caches
from django_redis import get_redis_connection
from django_redis.cache import RedisCache


def _redis_count(
    alias: str, key: str, timeout: int, *, also_read: str | None = None
) -> tuple[int, int]:
    """INCR `key`, give it `timeout` seconds if it has no expiry yet, and GET `also_read`, in
    one pipelined round trip."""
    cache = caches[alias]
    counted = cache.make_and_validate_key(key)
    pipeline = get_redis_connection(alias).pipeline(transaction=False)
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
    if isinstance(cache, RedisCache):
        return _redis_count(alias, current, timeout, also_read=previous)
    return counter_add(current, timeout, alias), int(cache.get(previous) or 0)


def counter_add(key: str, timeout: int, alias: str = "default") -> int:
    """Add one to the counter `key`, kept `timeout` seconds from its first use, and give its new
    value: atomic, and one round trip on Redis."""
    cache = caches[alias]
    if isinstance(cache, RedisCache):
        return _redis_count(alias, key, timeout)[0]
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
