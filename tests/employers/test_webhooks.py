"""Signed webhooks, delivered to a real HTTP server on 127.0.0.1 started by the test."""

import hashlib
import hmac
import json
import threading
import time
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from register.models import AuditEvent, WebhookDelivery, WebhookEndpoint
from register.services import entries, staff, webhooks

pytestmark = pytest.mark.django_db


class Receiver:
    """An HTTP server in a thread that records every request and answers with `status`."""

    def __init__(self, statuses=(200,)):
        self.requests = []
        self.statuses = list(statuses)
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 (the standard library's name)
                body = self.rfile.read(int(self.headers["Content-Length"]))
                # Header names are case-insensitive: keep the message, which looks them up so.
                receiver.requests.append((self.headers, body))
                status = (
                    receiver.statuses.pop(0)
                    if len(receiver.statuses) > 1
                    else (receiver.statuses[0])
                )
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hooks"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


def independent_signature_check(secret: str, header: str, body: bytes) -> bool:
    """What an employer's receiver does, written from docs/webhooks.md, not from our code."""
    parts = dict(item.split("=", 1) for item in header.split(","))
    expected = hmac.new(
        secret.encode(), parts["t"].encode() + b"." + body, hashlib.sha256
    ).hexdigest()
    fresh = abs(time.time() - int(parts["t"])) <= 300
    return fresh and hmac.compare_digest(expected, parts["v1"])


def test_the_signature_is_hmac_sha256_over_the_timestamp_and_body():
    header = webhooks.webhook_signature(secret="whsec_test", timestamp=1700000000, body=b'{"a":1}')

    expected = hmac.new(b"whsec_test", b'1700000000.{"a":1}', hashlib.sha256).hexdigest()
    assert header == f"t=1700000000,v1={expected}"


def test_an_owner_sets_a_webhook_and_sees_its_secret_once(employer, employer_organisation):
    endpoint, secret = webhooks.webhook_endpoint_set(
        organisation=employer_organisation, user=employer, url="https://hr.example.org/hooks"
    )

    assert secret.startswith("whsec_") and len(secret) > 40
    assert WebhookEndpoint.objects.get().secret == secret  # readable only through the key
    assert AuditEvent.objects.get(action="register.webhook.created").data["url"] == (
        "https://hr.example.org/hooks"
    )
    _, second = webhooks.webhook_endpoint_set(
        organisation=employer_organisation, user=employer, url="https://hr.example.org/v2"
    )
    assert second != secret and WebhookEndpoint.objects.get().secret == second


def test_a_member_who_is_not_an_owner_cannot_set_a_webhook(employer_member, employer_organisation):
    with pytest.raises(PermissionDenied):
        webhooks.webhook_endpoint_set(
            organisation=employer_organisation, user=employer_member, url="https://x.example.org"
        )


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("not a url", "Enter a full web address"),
        ("http://hr.example.org/", "must start with https"),
    ],
)
def test_a_bad_address_is_refused(employer, employer_organisation, settings, url, message):
    settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = False

    with pytest.raises(webhooks.WebhookError, match=message):
        webhooks.webhook_endpoint_set(organisation=employer_organisation, user=employer, url=url)
    assert not WebhookEndpoint.objects.exists()


def test_turning_the_webhook_off_stops_events(employer, employer_organisation):
    webhooks.webhook_endpoint_set(
        organisation=employer_organisation, user=employer, url="https://hr.example.org/hooks"
    )

    webhooks.webhook_endpoint_remove(organisation=employer_organisation, user=employer)

    assert (
        webhooks.webhook_event_send(
            organisation=employer_organisation, event_type="test.event", data={}
        )
        is None
    )
    with pytest.raises(webhooks.WebhookError, match="no webhook to turn off"):
        webhooks.webhook_endpoint_remove(organisation=employer_organisation, user=employer)


def test_turning_the_webhook_off_stops_deliveries_still_waiting_for_a_retry(
    employer, employer_organisation
):
    with Receiver() as receiver:
        webhooks.webhook_endpoint_set(
            organisation=employer_organisation, user=employer, url=receiver.url
        )
        delivery = webhooks.webhook_event_send(
            organisation=employer_organisation, event_type="test.event", data={"n": 1}
        )
        webhooks.webhook_endpoint_remove(organisation=employer_organisation, user=employer)

        attempt = webhooks.webhook_attempt(delivery_id=delivery.pk)

    assert receiver.requests == []
    assert (attempt.status, attempt.attempts, attempt.next_attempt_at) == ("failed", 0, None)
    assert attempt.last_error == "the webhook was turned off"


def test_a_status_change_is_delivered_signed_to_the_employers_server(
    entry,
    accepted_check,
    employer,
    employer_organisation,
    registrar,
    django_capture_on_commit_callbacks,
):
    staff.staff_add(organisation=employer_organisation, user=employer, check=accepted_check)
    with Receiver() as receiver:
        _, secret = webhooks.webhook_endpoint_set(
            organisation=employer_organisation, user=employer, url=receiver.url
        )
        with django_capture_on_commit_callbacks(execute=True):
            entries.entry_suspend(
                entry=entry,
                registrar=registrar,
                kind="interim",
                until=timezone.localdate() + timedelta(days=30),
                reason="Private detail.",
            )

    assert len(receiver.requests) == 1
    headers, body = receiver.requests[0]
    assert independent_signature_check(secret, headers["X-CareRegister-Signature"], body)
    assert not independent_signature_check("whsec_wrong", headers["X-CareRegister-Signature"], body)
    payload = json.loads(body)
    assert payload["type"] == "registration.status_changed"
    assert payload["data"]["registration_number"] == entry.registration_number
    assert (payload["data"]["old_status"], payload["data"]["new_status"]) == (
        "registered",
        "suspended",
    )
    assert "Private detail" not in body.decode()
    assert headers["X-CareRegister-Event-Id"] == payload["id"]
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.last_response_status) == (
        "delivered",
        1,
        200,
    )


def test_a_failing_endpoint_is_retried_with_growing_waits_then_given_up(
    employer, employer_organisation, settings, django_capture_on_commit_callbacks
):
    settings.WEBHOOK_MAX_ATTEMPTS = 3
    with Receiver(statuses=[500]) as receiver:
        webhooks.webhook_endpoint_set(
            organisation=employer_organisation, user=employer, url=receiver.url
        )
        delivery = webhooks.webhook_event_send(
            organisation=employer_organisation, event_type="test.event", data={"n": 1}
        )
        first = webhooks.webhook_attempt(delivery_id=delivery.pk)
        first_wait = first.next_attempt_at - timezone.now()
        second = webhooks.webhook_attempt(delivery_id=delivery.pk)
        second_wait = second.next_attempt_at - timezone.now()
        third = webhooks.webhook_attempt(delivery_id=delivery.pk)

    assert len(receiver.requests) == 3
    assert (first.status, first.attempts, first.last_error) == (
        "pending",
        1,
        "the endpoint answered 500",
    )
    assert timedelta(seconds=55) < first_wait <= timedelta(seconds=60)
    assert timedelta(seconds=115) < second_wait <= timedelta(seconds=120)
    assert (third.status, third.attempts, third.next_attempt_at) == ("failed", 3, None)


def test_a_recovering_endpoint_gets_the_event_on_a_later_attempt(
    employer, employer_organisation, django_capture_on_commit_callbacks
):
    with Receiver(statuses=[503, 200]) as receiver:
        webhooks.webhook_endpoint_set(
            organisation=employer_organisation, user=employer, url=receiver.url
        )
        with django_capture_on_commit_callbacks(execute=True):
            delivery = webhooks.webhook_event_send(
                organisation=employer_organisation, event_type="test.event", data={}
            )
        # The immediate test backend cannot defer, so the retry ran straight away.

    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("delivered", 2)
    assert len(receiver.requests) == 2
    assert receiver.requests[0][1] == receiver.requests[1][1]  # the same event, resent


def test_a_private_address_is_never_called_in_production(employer, employer_organisation, settings):
    with Receiver() as receiver:
        webhooks.webhook_endpoint_set(
            organisation=employer_organisation, user=employer, url=receiver.url
        )
        WebhookEndpoint.objects.update(url=receiver.url.replace("http://", "https://"))
        delivery = webhooks.webhook_event_send(
            organisation=employer_organisation, event_type="test.event", data={}
        )
        settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = False
        attempt = webhooks.webhook_attempt(delivery_id=delivery.pk)

    assert receiver.requests == []
    assert "private address" in attempt.last_error


@pytest.mark.django_db(transaction=True)
def test_with_the_database_queue_a_failed_attempt_is_queued_again_for_later(
    employer, employer_organisation, settings
):
    from django_tasks import task_backends
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    task_backends._settings = task_backends.settings = task_backends.configure_settings(None)
    try:
        with Receiver(statuses=[500]) as receiver:
            webhooks.webhook_endpoint_set(
                organisation=employer_organisation, user=employer, url=receiver.url
            )
            delivery = webhooks.webhook_event_send(
                organisation=employer_organisation, event_type="test.event", data={}
            )
            assert DBTaskResult.objects.filter(status="READY").count() == 1

            from django.core.management import call_command

            call_command("db_worker", "--batch", "--no-startup-delay")
    finally:
        settings.TASKS = {
            "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}
        }
        task_backends._settings = task_backends.settings = task_backends.configure_settings(None)

    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("pending", 1)
    assert len(receiver.requests) == 1
    retry = DBTaskResult.objects.get(status="READY")
    assert retry.run_after == delivery.next_attempt_at
    assert timedelta(seconds=50) < retry.run_after - timezone.now() <= timedelta(seconds=60)
