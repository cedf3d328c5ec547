"""Signed webhooks, delivered to a real HTTP server on 127.0.0.1 started by the test."""

import hashlib
import hmac
import json
import socket
import socketserver
import ssl
import threading
import time
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from core.models import AuditEvent
from employers.models import WebhookDelivery, WebhookEndpoint
from employers.services import staff, webhooks
from register.services import entries

pytestmark = pytest.mark.django_db


class Receiver:
    """An HTTP server in a thread that records every request and answers with `status`."""

    def __init__(self, statuses=(200,), tls=None, location=None):
        self.requests = []
        self.statuses = list(statuses)
        # The names clients asked for in TLS's server name indication.
        self.server_names = []
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
                if location:
                    self.send_header("Location", location)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.address = self.server.server_address
        self.url = f"http://127.0.0.1:{self.address[1]}/hooks"
        if tls is not None:
            tls.sni_callback = lambda _socket, name, _context: self.server_names.append(name)
            self.server.socket = tls.wrap_socket(self.server.socket, server_side=True)
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
    assert AuditEvent.objects.get(action="employers.webhook.created").data["url"] == (
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
    entry_in_own_role,
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
                entry=entry_in_own_role,
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
    assert payload["data"]["registration_number"] == entry_in_own_role.registration_number
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


def test_a_redirect_is_not_followed_and_counts_as_a_failed_attempt(employer, employer_organisation):
    with Receiver(statuses=[302], location="http://127.0.0.1:9/elsewhere") as receiver:
        webhooks.webhook_endpoint_set(
            organisation=employer_organisation, user=employer, url=receiver.url
        )
        delivery = webhooks.webhook_event_send(
            organisation=employer_organisation, event_type="test.event", data={}
        )
        attempt = webhooks.webhook_attempt(delivery_id=delivery.pk)

    assert len(receiver.requests) == 1
    assert (attempt.status, attempt.attempts, attempt.last_response_status) == ("pending", 1, 302)
    assert attempt.last_error == "the endpoint answered 302"


def test_an_answer_that_is_not_http_is_recorded_as_a_failed_attempt(
    employer, employer_organisation
):
    class Garbage(socketserver.BaseRequestHandler):
        def handle(self):
            self.request.recv(65536)
            self.request.sendall(b"this is not HTTP\r\n\r\n")

    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Garbage)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        webhooks.webhook_endpoint_set(
            organisation=employer_organisation,
            user=employer,
            url=f"http://127.0.0.1:{server.server_address[1]}/hooks",
        )
        delivery = webhooks.webhook_event_send(
            organisation=employer_organisation, event_type="test.event", data={}
        )
        attempt = webhooks.webhook_attempt(delivery_id=delivery.pk)
    finally:
        server.shutdown()
        server.server_close()

    assert (attempt.status, attempt.attempts, attempt.last_response_status) == ("pending", 1, None)
    assert attempt.last_error == "the endpoint's answer was not HTTP (BadStatusLine)"


# DNS rebinding: the name is checked with one answer and dialled with another. These tests play
# a hostile DNS server (socket.getaddrinfo) and the network (socket.create_connection, which
# records the address dialled and routes it to the local receiver); everything between, the
# address check, the pinned connection, TLS and HTTP, is the real code.

PUBLIC_ADDRESS = "93.184.216.34"
PUBLIC_IPV6_ADDRESS = "2606:2800:220:1:248:1893:25c8:1946"
HOOK_URL = "https://hooks.example.org/hooks?source=register"


class HostileResolver:
    """Answers each question with the next list of addresses, repeating the last one."""

    def __init__(self, *answers):
        self.answers = [list(answer) for answer in answers]
        self.questions = []

    def __call__(self, host, port, *args, **kwargs):
        self.questions.append(host)
        addresses = self.answers.pop(0) if len(self.answers) > 1 else self.answers[0]
        return [
            (
                socket.AF_INET6 if ":" in address else socket.AF_INET,
                socket.SOCK_STREAM,
                socket.IPPROTO_TCP,
                "",
                (address, port),
            )
            for address in addresses
        ]


class Network:
    """Records every address dialled; routes it to `receiver`, or refuses it."""

    def __init__(self, receiver=None, refuse=()):
        self.receiver = receiver
        self.refuse = set(refuse)
        self.dialled = []

    def create_connection(self, address, timeout=None, *args, **kwargs):
        self.dialled.append(address)
        if self.receiver is None or address[0] in self.refuse:
            raise ConnectionRefusedError(111, "Connection refused")
        # A plain socket: socket.create_connection would ask the (hostile) resolver again.
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.settimeout(timeout)
        sock.connect(self.receiver.address)
        return sock


def server_tls_for(name, tmp_path, monkeypatch):
    """A TLS context for a server certificate naming `name`, issued by a test CA that the
    register's default TLS context trusts through SSL_CERT_FILE, as an operator would add one."""
    now = datetime.now(UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Webhook test CA")])
    ca_certificate = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=False,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), False)
        .sign(ca_key, hashes.SHA256())
    )
    server_key = ec.generate_private_key(ec.SECP256R1())
    server_certificate = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)]))
        .issuer_name(ca_name)
        .public_key(server_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(name)]), critical=False)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), False
        )
        .sign(ca_key, hashes.SHA256())
    )
    ca_file = tmp_path / "ca.pem"
    ca_file.write_bytes(ca_certificate.public_bytes(serialization.Encoding.PEM))
    chain_file = tmp_path / "server.pem"
    chain_file.write_bytes(
        server_key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        + server_certificate.public_bytes(serialization.Encoding.PEM)
    )
    monkeypatch.setenv("SSL_CERT_FILE", str(ca_file))
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(chain_file)
    return context


def production_webhook(organisation, user, settings):
    webhooks.webhook_endpoint_set(organisation=organisation, user=user, url=HOOK_URL)
    settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = False
    return webhooks.webhook_event_send(organisation=organisation, event_type="test.event", data={})


def test_the_connection_goes_to_the_checked_address_even_if_the_name_now_resolves_to_loopback(
    employer, employer_organisation, settings, monkeypatch, tmp_path
):
    resolver = HostileResolver([PUBLIC_ADDRESS], ["127.0.0.1"])
    with Receiver(tls=server_tls_for("hooks.example.org", tmp_path, monkeypatch)) as receiver:
        network = Network(receiver)
        delivery = production_webhook(employer_organisation, employer, settings)
        monkeypatch.setattr(webhooks.socket, "getaddrinfo", resolver)
        monkeypatch.setattr(webhooks.socket, "create_connection", network.create_connection)

        attempt = webhooks.webhook_attempt(delivery_id=delivery.pk)

    assert resolver.questions == ["hooks.example.org"]
    assert network.dialled == [(PUBLIC_ADDRESS, 443)]
    assert (attempt.status, attempt.attempts, attempt.last_response_status) == (
        "delivered",
        1,
        200,
    )
    # TLS and HTTP still speak to the name, not to the address dialled.
    assert receiver.server_names == ["hooks.example.org"]
    headers, body = receiver.requests[0]
    assert headers["Host"] == "hooks.example.org"
    assert json.loads(body)["id"] == delivery.event_id


def test_the_certificate_is_checked_against_the_host_name(
    employer, employer_organisation, settings, monkeypatch, tmp_path
):
    resolver = HostileResolver([PUBLIC_ADDRESS])
    with Receiver(tls=server_tls_for("other.example.org", tmp_path, monkeypatch)) as receiver:
        network = Network(receiver)
        delivery = production_webhook(employer_organisation, employer, settings)
        monkeypatch.setattr(webhooks.socket, "getaddrinfo", resolver)
        monkeypatch.setattr(webhooks.socket, "create_connection", network.create_connection)

        attempt = webhooks.webhook_attempt(delivery_id=delivery.pk)

    assert network.dialled == [(PUBLIC_ADDRESS, 443)]
    assert receiver.server_names == ["hooks.example.org"]
    assert receiver.requests == []
    assert (attempt.status, attempt.attempts, attempt.last_response_status) == ("pending", 1, None)
    assert "certificate verify failed" in attempt.last_error
    assert "hooks.example.org" in attempt.last_error


@pytest.mark.parametrize(
    "private_address",
    [
        "127.0.0.1",
        "10.1.2.3",
        "172.16.0.9",
        "192.168.0.10",
        "169.254.169.254",
        "100.64.0.1",
        "0.0.0.0",
        "::1",
        "fd00::1",
        "fe80::1",
        "::ffff:127.0.0.1",
        # Finding 15: IPv6 forms that carry an internal IPv4 address to a translator or tunnel.
        "64:ff9b::7f00:1",  # NAT64 of 127.0.0.1
        "64:ff9b::a9fe:a9fe",  # NAT64 of 169.254.169.254
        "64:ff9b:1::a00:1",  # local-use NAT64, refused whole
        "2002:7f00:1::1",  # 6to4 of 127.0.0.1
        "2002:a00:1::",  # 6to4 of 10.0.0.1
        "::7f00:1",  # IPv4-compatible 127.0.0.1
        "::a9fe:a9fe",  # IPv4-compatible 169.254.169.254
        "2001:0:4136:e378:8000:63bf:80ff:fffe",  # Teredo, refused whole
    ],
)
def test_a_host_with_any_private_address_is_refused_before_anything_is_dialled(
    employer, employer_organisation, settings, monkeypatch, private_address
):
    resolver = HostileResolver([PUBLIC_ADDRESS, private_address])
    network = Network()
    delivery = production_webhook(employer_organisation, employer, settings)
    monkeypatch.setattr(webhooks.socket, "getaddrinfo", resolver)
    monkeypatch.setattr(webhooks.socket, "create_connection", network.create_connection)

    attempt = webhooks.webhook_attempt(delivery_id=delivery.pk)

    assert network.dialled == []
    assert (attempt.status, attempt.attempts) == ("pending", 1)
    assert attempt.last_error == "the host resolves to a private address"


@pytest.mark.parametrize(
    ("address", "may_be_dialled"),
    [
        ("64:ff9b::808:808", True),  # NAT64 of 8.8.8.8: a DNS64 resolver's answer for it
        ("2002:808:808::1", True),  # 6to4 of 8.8.8.8
        ("2606:4700::1111", True),
        ("8.8.8.8", True),
        ("64:ff9b::c0a8:1", False),  # NAT64 of 192.168.0.1
        ("2002:c0a8:1::1", False),  # 6to4 of 192.168.0.1
        ("64:ff9b:1::808:808", False),  # local-use NAT64, even of a public address
        ("::808:808", False),  # IPv4-compatible, even of a public address
        ("2001:0:4136:e378:8000:63bf:3fff:fdd2", False),  # Teredo, even of a public client
    ],
)
def test_an_address_embedding_ipv4_is_judged_by_what_it_embeds(address, may_be_dialled):
    assert webhooks.address_may_be_dialled(address) is may_be_dialled


def test_when_the_first_checked_address_refuses_the_next_checked_one_is_dialled(
    employer, employer_organisation, settings, monkeypatch, tmp_path
):
    resolver = HostileResolver([PUBLIC_IPV6_ADDRESS, PUBLIC_ADDRESS], ["127.0.0.1"])
    with Receiver(tls=server_tls_for("hooks.example.org", tmp_path, monkeypatch)) as receiver:
        network = Network(receiver, refuse=[PUBLIC_IPV6_ADDRESS])
        delivery = production_webhook(employer_organisation, employer, settings)
        monkeypatch.setattr(webhooks.socket, "getaddrinfo", resolver)
        monkeypatch.setattr(webhooks.socket, "create_connection", network.create_connection)

        attempt = webhooks.webhook_attempt(delivery_id=delivery.pk)

    assert resolver.questions == ["hooks.example.org"]
    assert network.dialled == [(PUBLIC_IPV6_ADDRESS, 443), (PUBLIC_ADDRESS, 443)]
    assert attempt.status == "delivered"
    assert len(receiver.requests) == 1


def test_when_every_checked_address_refuses_the_attempt_records_the_refusal(
    employer, employer_organisation, settings, monkeypatch
):
    resolver = HostileResolver([PUBLIC_ADDRESS], ["127.0.0.1"])
    network = Network()
    delivery = production_webhook(employer_organisation, employer, settings)
    monkeypatch.setattr(webhooks.socket, "getaddrinfo", resolver)
    monkeypatch.setattr(webhooks.socket, "create_connection", network.create_connection)

    attempt = webhooks.webhook_attempt(delivery_id=delivery.pk)

    assert resolver.questions == ["hooks.example.org"]
    assert network.dialled == [(PUBLIC_ADDRESS, 443)]
    assert (attempt.status, attempt.attempts) == ("pending", 1)
    assert attempt.last_error == "[Errno 111] Connection refused"
