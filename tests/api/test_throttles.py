"""The API's window-counted throttles (api/throttles.py), thin adapters of DRF onto
core.ratelimit, on each cache the limiter counts in: the per-process cache the suite uses, the
database cache, and a real Redis when one answers on 127.0.0.1:6379."""

import pytest
from django.core.cache import caches
from django.urls import reverse
from django_redis import get_redis_connection
from django_redis.cache import RedisCache
from rest_framework.test import APIRequestFactory
from rest_framework.views import APIView

from api.throttles import AnonWindowRateThrottle, PublicRegisterAnonThrottle


@pytest.fixture(params=["memory", "database", "redis"])
def shared_cache(request):
    if request.param == "database":
        request.getfixturevalue("database_cache")
    elif request.param == "redis":
        request.getfixturevalue("redis_cache")
    return caches["default"]


class ThreeAMinute(AnonWindowRateThrottle):
    scope = "test_three"
    rate = "3/min"


def throttle_at(now: float) -> ThreeAMinute:
    throttle = ThreeAMinute()
    throttle.timer = lambda: now
    return throttle


def request_from(address: str):
    request = APIView().initialize_request(APIRequestFactory().get("/", REMOTE_ADDR=address))
    return request


def test_three_a_minute_lets_three_through_and_refuses_the_fourth(shared_cache):
    start = 6_000_000.0  # the start of a minute
    answers = [
        throttle_at(start + second).allow_request(request_from("10.0.0.1"), None)
        for second in (1, 2, 3, 4)
    ]

    assert answers == [True, True, True, False]
    # Another address has its own count.
    assert throttle_at(start + 5).allow_request(request_from("10.0.0.2"), None)


def test_a_refused_request_does_not_count_and_the_wait_is_until_the_window_ends(shared_cache):
    start = 6_000_000.0
    for second in (1, 2, 3):
        throttle_at(start + second).allow_request(request_from("10.0.0.1"), None)
    refused = throttle_at(start + 50)
    assert not refused.allow_request(request_from("10.0.0.1"), None)
    assert refused.wait() == pytest.approx(10)
    for _ in range(5):
        throttle_at(start + 51).allow_request(request_from("10.0.0.1"), None)

    # Three counted, not nine: half a minute into the next window half of them still count.
    assert throttle_at(start + 90).allow_request(request_from("10.0.0.1"), None)
    assert not throttle_at(start + 91).allow_request(request_from("10.0.0.1"), None)


def test_a_burst_across_the_window_boundary_is_still_refused(shared_cache):
    # A fixed window alone would allow 3 at 0:59 and 3 more at 1:00.
    start = 6_000_000.0
    assert all(
        throttle_at(start + 59).allow_request(request_from("10.0.0.1"), None) for _ in range(3)
    )

    assert not throttle_at(start + 60.5).allow_request(request_from("10.0.0.1"), None)


def test_the_redis_backend_reuses_one_client(shared_cache):
    if not isinstance(shared_cache, RedisCache):
        pytest.skip("Only the Redis backend has clients to reuse.")

    assert get_redis_connection() is get_redis_connection()
    shared_cache.set("reuse", {"a": 1})
    assert shared_cache.get("reuse") == {"a": 1}


def test_a_refused_request_is_a_429_whose_retry_after_is_the_rest_of_the_window(
    client, db, monkeypatch, shared_cache
):
    monkeypatch.setattr(PublicRegisterAnonThrottle, "rate", "2/min")
    monkeypatch.setattr(PublicRegisterAnonThrottle, "timer", staticmethod(lambda: 6_000_050.0))
    url = reverse("api:register-entry", args=["CR0000000X"])

    responses = [client.get(url) for _ in range(3)]

    assert [response.status_code for response in responses] == [404, 404, 429]
    assert responses[2]["Retry-After"] == "10"
    assert responses[2].json()["error"]["code"] == "throttled"
