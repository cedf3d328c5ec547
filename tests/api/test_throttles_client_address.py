"""Finding 3 of issue 17: the API's throttles key a caller on the address the one rule
(core.requests.client_ip) decides, never on the X-Forwarded-For text a client sends, so a new
header on each request is not a new caller."""

import uuid

import pytest
from django.urls import reverse

from api.throttles import PublicRegisterAnonThrottle
from config.middleware import client_ip as client_ip_as_the_middleware_imports_it
from core.requests import client_ip

pytestmark = pytest.mark.django_db


def forged_address(number: int) -> str:
    return f"198.51.{number // 256}.{number % 256}"


@pytest.fixture
def five_a_minute(monkeypatch):
    monkeypatch.setattr(PublicRegisterAnonThrottle, "rate", "5/min")
    return reverse("api:register-entry", args=["CR0000000X"])


def test_without_a_proxy_a_new_forwarded_for_on_each_request_still_hits_the_limit(
    client, settings, five_a_minute
):
    settings.USE_X_FORWARDED_FOR = False

    statuses = [
        client.get(
            five_a_minute, REMOTE_ADDR="203.0.113.7", HTTP_X_FORWARDED_FOR=forged_address(number)
        ).status_code
        for number in range(12)
    ]

    assert statuses == [404] * 5 + [429] * 7


def test_behind_the_proxy_a_forged_address_left_of_the_proxy_s_still_hits_the_limit(
    client, settings, five_a_minute
):
    settings.USE_X_FORWARDED_FOR = True

    statuses = [
        client.get(
            five_a_minute,
            REMOTE_ADDR="10.0.0.2",  # the proxy
            # The client's own header, then the address the proxy saw and appended.
            HTTP_X_FORWARDED_FOR=f"{forged_address(number)}, 203.0.113.7",
        ).status_code
        for number in range(12)
    ]

    assert statuses == [404] * 5 + [429] * 7
    # Another real client behind the same proxy has a count of its own.
    other = client.get(five_a_minute, REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.8")
    assert other.status_code == 404


def test_the_throttle_and_the_audit_log_see_the_same_address(client, settings, monkeypatch):
    settings.USE_X_FORWARDED_FOR = True
    seen = {}
    original = PublicRegisterAnonThrottle.get_ident

    def spy(self, request):
        seen["throttle"] = original(self, request)
        from core.audit import current_request

        seen["audit"] = current_request.get().ip_address
        return seen["throttle"]

    monkeypatch.setattr(PublicRegisterAnonThrottle, "get_ident", spy)

    client.get(
        reverse("api:register-entry", args=["CR0000000X"]),
        REMOTE_ADDR="10.0.0.2",
        HTTP_X_FORWARDED_FOR=f"{uuid.uuid4().hex}, 203.0.113.7",
    )

    assert seen == {"throttle": "203.0.113.7", "audit": "203.0.113.7"}
    assert client_ip_as_the_middleware_imports_it is client_ip


@pytest.mark.parametrize(
    ("use_forwarded_for", "meta", "expected"),
    [
        (False, {"REMOTE_ADDR": "203.0.113.7", "HTTP_X_FORWARDED_FOR": "1.2.3.4"}, "203.0.113.7"),
        (
            True,
            {"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": "1.2.3.4, 203.0.113.7"},
            "203.0.113.7",
        ),
        (True, {"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": "2001:DB8::1"}, "2001:db8::1"),
        (True, {"REMOTE_ADDR": "10.0.0.2"}, "10.0.0.2"),
        (True, {"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": "1.2.3.4, junk"}, "10.0.0.2"),
        (False, {}, None),
    ],
)
def test_the_one_rule_for_the_client_address(rf, settings, use_forwarded_for, meta, expected):
    settings.USE_X_FORWARDED_FOR = use_forwarded_for
    request = rf.get("/")
    request.META.pop("REMOTE_ADDR", None)
    request.META.update(meta)

    assert client_ip(request) == expected
