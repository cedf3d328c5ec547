"""The one rate limiter (core/ratelimit.py) on each cache it counts in: the per-process memory
cache the suite uses, the database cache, and Redis through django-redis when one answers."""

import threading
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from django.core.cache import caches
from django.db import connection, connections

from core.ratelimit import RateLimit

# The start of a minute and of an hour, far from now, so the counters are this test's own.
START = 3600.0 * 1_000_000


@pytest.fixture(params=["memory", "database", "redis"])
def counting_cache(request):
    """Each backend the limiter supports, as the default cache."""
    if request.param == "database":
        request.getfixturevalue("database_cache")
    elif request.param == "redis":
        request.getfixturevalue("redis_cache")
    return caches["default"]


def a_limit(limit=3, period=60, slices=1) -> RateLimit:
    return RateLimit(f"test-{uuid.uuid4().hex}", limit=limit, period=period, slices=slices)


def test_it_lets_the_limit_through_and_refuses_the_next(counting_cache):
    three_a_minute = a_limit()

    answers = [
        three_a_minute.hit("10.0.0.1", now=START + second).allowed for second in (1, 2, 3, 4)
    ]

    assert answers == [True, True, True, False]
    # Another key has its own count.
    assert three_a_minute.hit("10.0.0.2", now=START + 5).allowed


def test_a_refused_hit_is_taken_back_before_it_returns(counting_cache):
    three_a_minute = a_limit()
    for second in (1, 2, 3):
        three_a_minute.hit("10.0.0.1", now=START + second)

    for _ in range(5):
        assert not three_a_minute.hit("10.0.0.1", now=START + 4).allowed

    assert three_a_minute.count("10.0.0.1", now=START + 4) == 3


def test_a_hit_taken_back_gives_its_place_to_the_next_once(counting_cache):
    three_a_minute = a_limit()
    first = three_a_minute.hit("10.0.0.1", now=START + 1)
    three_a_minute.hit("10.0.0.1", now=START + 2)
    three_a_minute.hit("10.0.0.1", now=START + 3)

    first.take_back()
    first.take_back()  # the second call takes nothing more

    assert three_a_minute.count("10.0.0.1", now=START + 4) == 2
    assert three_a_minute.hit("10.0.0.1", now=START + 4).allowed
    assert not three_a_minute.hit("10.0.0.1", now=START + 5).allowed


def test_a_hit_on_two_keys_is_refused_when_either_is_full_and_counts_on_neither(
    counting_cache,
):
    twice_a_minute = a_limit(limit=2)
    twice_a_minute.hit("user:1", "ip:10.0.0.1", now=START + 1)
    twice_a_minute.hit("user:2", "ip:10.0.0.1", now=START + 2)

    refused = twice_a_minute.hit("user:1", "ip:10.0.0.1", now=START + 3)

    assert not refused.allowed
    assert twice_a_minute.count("user:1", now=START + 3) == 1
    assert twice_a_minute.count("ip:10.0.0.1", now=START + 3) == 2
    # The same user from another address is within both limits.
    assert twice_a_minute.hit("user:1", "ip:10.0.0.2", now=START + 4).allowed


def test_the_window_slides_across_the_edge_of_a_minute(counting_cache):
    three_a_minute = a_limit()
    for _ in range(3):
        assert three_a_minute.hit("10.0.0.1", now=START + 59).allowed

    # A fixed window would start again at 1:00 and let three more through at once.
    refused = three_a_minute.hit("10.0.0.1", now=START + 60.5)
    assert not refused.allowed
    assert refused.retry_after == pytest.approx(59.5)
    # Half a minute into the next minute, half of the previous minute's hits still count.
    assert three_a_minute.count("10.0.0.1", now=START + 90) == pytest.approx(1.5)
    assert three_a_minute.hit("10.0.0.1", now=START + 90).allowed
    assert not three_a_minute.hit("10.0.0.1", now=START + 91).allowed
    # Two minutes on, the first minute's hits count no more.
    assert three_a_minute.count("10.0.0.1", now=START + 150) == pytest.approx(1 * (30 / 60))


def test_with_a_slice_a_minute_hits_leave_the_window_an_hour_later(counting_cache):
    twice_an_hour = a_limit(limit=2, period=3600, slices=60)
    twice_an_hour.hit("user:1", now=START + 1)
    twice_an_hour.hit("user:1", now=START + 2)

    assert not twice_an_hour.hit("user:1", now=START + 59 * 60).allowed
    assert twice_an_hour.count("user:1", now=START + 59 * 60) == 2
    assert twice_an_hour.count("user:1", now=START + 61 * 60) == 0
    assert twice_an_hour.hit("user:1", now=START + 61 * 60).allowed


def test_it_reads_the_project_s_clock_when_given_no_time(counting_cache, clock):
    once_a_minute = a_limit(limit=1)
    clock.set(datetime.fromtimestamp(START + 10, tz=UTC))
    assert once_a_minute.hit("10.0.0.1").allowed
    assert not once_a_minute.hit("10.0.0.1").allowed

    clock.set(datetime.fromtimestamp(START + 130, tz=UTC))
    assert once_a_minute.hit("10.0.0.1").allowed


def test_a_period_the_slices_do_not_cut_evenly_is_refused():
    with pytest.raises(ValueError, match="does not cut into 7 slices"):
        RateLimit("uneven", limit=1, period=60, slices=7)


def test_the_database_cache_keeps_the_counters_for_the_window_not_its_default(
    database_cache, clock
):
    # Django's own incr() on the database cache writes the value again with the cache's default
    # timeout, five minutes: an hour's limit would have been forgotten after five.
    twice_an_hour = a_limit(limit=2, period=3600)
    twice_an_hour.hit("10.0.0.1", now=START + 1)
    twice_an_hour.hit("10.0.0.1", now=START + 2).take_back()
    twice_an_hour.hit("10.0.0.1", now=START + 3)

    clock.advance(timedelta(minutes=10))
    assert not twice_an_hour.hit("10.0.0.1", now=START + 4).allowed

    # Once the window has passed the hour of the hits (two hours from START), it is gone.
    clock.advance(timedelta(hours=2))
    assert twice_an_hour.count("10.0.0.1", now=START + 5) == 0


def test_on_redis_a_counter_expires_when_the_window_has_passed_its_slice(redis_cache):
    twice_an_hour = a_limit(limit=2, period=3600, slices=60)
    hit = twice_an_hour.hit("10.0.0.1", now=START + 1)
    twice_an_hour.hit("10.0.0.1", now=START + 2)

    # The minute from START is read until 61 minutes from START have passed: 3,659 seconds
    # after its first hit (a stalled machine may take a second or two off).
    (counter,) = hit.counters
    assert 3600 < redis_cache.ttl(counter) <= 61 * 60 - 1
    hit.take_back()
    assert redis_cache.get(counter) == 1
    assert 3600 < redis_cache.ttl(counter) <= 61 * 60 - 1


def _hit_at_once(limit: RateLimit, hitters: int, *, close_connections: bool) -> list[bool]:
    """`hitters` threads hit the same key at the same moment; what each was told."""
    answers, errors = [], []
    barrier = threading.Barrier(hitters)

    def hit():
        try:
            barrier.wait()
            answers.append(limit.hit("10.0.0.1", now=START + 1).allowed)
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            if close_connections:
                connections.close_all()

    threads = [threading.Thread(target=hit) for _ in range(hitters)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    return answers


@pytest.mark.parametrize("backend", ["memory", "redis"])
def test_of_many_concurrent_hits_exactly_the_limit_get_through(request, backend):
    if backend == "redis":
        request.getfixturevalue("redis_cache")
    five_a_minute = a_limit(limit=5)

    answers = _hit_at_once(five_a_minute, 24, close_connections=False)

    assert answers.count(True) == 5
    assert answers.count(False) == 19
    assert five_a_minute.count("10.0.0.1", now=START + 1) == 5


def test_of_many_concurrent_hits_exactly_the_limit_get_through_the_database_cache(
    database_cache_for_threads,
):
    if connection.vendor == "sqlite":
        pytest.skip("SQLite allows one writer at a time; the race needs PostgreSQL.")
    five_a_minute = a_limit(limit=5)

    answers = _hit_at_once(five_a_minute, 24, close_connections=True)

    assert answers.count(True) == 5
    assert answers.count(False) == 19
    assert five_a_minute.count("10.0.0.1", now=START + 1) == 5
