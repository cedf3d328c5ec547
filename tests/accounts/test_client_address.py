"""Issue 17, finding 3: allauth's sign-in limits count against the address the one rule
decides (core.requests.client_ip), as the API's throttles and the audit log do."""

import pytest
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
TOO_MANY = "Too many attempts to sign in"


def fail_logins(client, count: int, forwarded_for, *, start: int = 0) -> list[str]:
    # A new account each time, so only the limit per address can refuse.
    pages = []
    for number in range(start, start + count):
        UserFactory(email=f"person{number}@example.org")
        pages.append(
            client.post(
                reverse("account_login"),
                {"login": f"person{number}@example.org", "password": "wrong-guess"},
                REMOTE_ADDR="10.0.0.2",  # the proxy
                HTTP_X_FORWARDED_FOR=forwarded_for(number),
            ).content.decode()
        )
    return pages


def test_behind_the_proxy_failed_logins_count_per_client_not_per_proxy_or_forged_header(
    client, settings
):
    settings.USE_X_FORWARDED_FOR = True

    # One client, forging a new address left of the proxy's each time: still one client.
    first = fail_logins(client, 11, lambda number: f"198.51.100.{number}, 203.0.113.7")
    # Another client behind the same proxy is not locked out by the first.
    second = fail_logins(client, 1, lambda number: "203.0.113.8", start=100)

    assert [TOO_MANY in page for page in first] == [False] * 10 + [True]
    assert TOO_MANY not in second[0]
