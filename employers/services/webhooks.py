"""Signed webhooks: an employer's own system hears about its staff as soon as the register
changes. See docs/webhooks.md for the format and how to verify a signature.

Each event is stored as a WebhookDelivery, then sent by a background task after the change
that caused it commits. A failed attempt is tried again later, waiting twice as long each
time, and every attempt's result is kept on the delivery.
"""

import hashlib
import hmac
import http.client
import ipaddress
import json
import secrets
import socket
import ssl
import time
import uuid
from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone

from accounts.models import Organisation, User
from accounts.permissions import require
from core.audit import audit_log
from core.errors import ApplicationError
from employers.models import WebhookDelivery, WebhookEndpoint
from employers.services.verification import employer_is_verified

SIGNATURE_HEADER = "X-CareRegister-Signature"
FIRST_RETRY_SECONDS = 60
# A receiver should refuse a signature older than this, so a captured request cannot be
# replayed later; docs/webhooks.md says so.
SIGNATURE_TOLERANCE_SECONDS = 300


class WebhookError(ApplicationError):
    pass


class WebhookAddressRefused(Exception):
    """The URL resolves to an address the register will not call."""


def webhook_secret_generate() -> str:
    return "whsec_" + secrets.token_urlsafe(32)


def webhook_signature(*, secret: str, timestamp: int, body: bytes) -> str:
    """The signature header's value: `t=<unix time>,v1=<hex HMAC-SHA256 of "t.body">`."""
    signed = f"{timestamp}.".encode() + body
    digest = hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


def _validate_url(url: str) -> str:
    url = (url or "").strip()
    try:
        URLValidator(schemes=["https", "http"])(url)
    except ValidationError as error:
        raise WebhookError(
            "Enter a full web address, like https://example.org/hooks.", field="url"
        ) from error
    if urlsplit(url).scheme != "https" and not settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES:
        raise WebhookError("The address must start with https://.", field="url")
    return url


def webhook_endpoint_set(
    *, organisation: Organisation, user: User, url: str
) -> tuple[WebhookEndpoint, str]:
    """Point the organisation's webhook at `url` with a new secret, returned once here.
    Setting it again replaces the secret: the old one stops working at once."""
    require(user, "webhook.manage", organisation)
    url = _validate_url(url)
    secret = webhook_secret_generate()
    with transaction.atomic():
        Organisation.objects.select_for_update().get(pk=organisation.pk)
        endpoint = WebhookEndpoint.objects.filter(organisation=organisation).first()
        if endpoint is None:
            endpoint = WebhookEndpoint.objects.create(
                organisation=organisation, url=url, secret=secret, created_by=user
            )
            action = "employers.webhook.created"
        else:
            endpoint.url = url
            endpoint.secret = secret
            endpoint.is_active = True
            endpoint.created_by = user
            endpoint.created_at = timezone.now()
            endpoint.save(update_fields=["url", "secret", "is_active", "created_by", "created_at"])
            action = "employers.webhook.replaced"
        audit_log(action=action, actor=user, target=organisation, data={"url": url})
    return endpoint, secret


def webhook_endpoint_remove(*, organisation: Organisation, user: User) -> None:
    require(user, "webhook.manage", organisation)
    with transaction.atomic():
        endpoint = (
            WebhookEndpoint.objects.select_for_update().filter(organisation=organisation).first()
        )
        if endpoint is None or not endpoint.is_active:
            raise WebhookError("This organisation has no webhook to turn off.")
        endpoint.is_active = False
        endpoint.save(update_fields=["is_active"])
        audit_log(action="employers.webhook.removed", actor=user, target=organisation)


def webhook_event_send(
    *, organisation: Organisation, event_type: str, data: dict
) -> WebhookDelivery | None:
    """Store the event for the organisation's webhook, if it has one and a registrar has
    verified the organisation, and send it once the current transaction commits."""
    endpoint = WebhookEndpoint.objects.filter(organisation=organisation, is_active=True).first()
    if endpoint is None or not employer_is_verified(organisation):
        return None
    event_id = f"evt_{uuid.uuid4().hex}"
    body = json.dumps(
        {
            "id": event_id,
            "type": event_type,
            "created": timezone.now().isoformat(timespec="seconds"),
            "organisation": organisation.pk,
            "data": data,
        },
        cls=DjangoJSONEncoder,
        separators=(",", ":"),
        sort_keys=True,
    )
    delivery = WebhookDelivery.objects.create(
        endpoint=endpoint, event_id=event_id, event_type=event_type, body=body
    )
    transaction.on_commit(lambda: _enqueue(delivery.pk))
    return delivery


def _enqueue(delivery_id: int, run_after=None) -> None:
    from employers.tasks import webhook_deliver

    if run_after is not None and webhook_deliver.get_backend().supports_defer:
        webhook_deliver.using(run_after=run_after).enqueue(delivery_id=delivery_id)
    else:
        webhook_deliver.enqueue(delivery_id=delivery_id)


def _checked_addresses(*, scheme: str, host: str | None, port: int) -> list[str]:
    """Resolve the host once and return the addresses that may be dialled, in the resolver's
    order. Without WEBHOOK_ALLOW_PRIVATE_ADDRESSES every one of them must be global."""
    allow_private = settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES
    if allow_private and scheme not in ("https", "http"):
        raise WebhookAddressRefused("only http:// and https:// addresses are called")
    if not allow_private and scheme != "https":
        raise WebhookAddressRefused("only https:// addresses are called")
    if not host:
        raise WebhookAddressRefused("the address has no host name")
    try:
        infos = socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)
    except OSError as error:
        raise WebhookAddressRefused(f"the host name did not resolve: {error}") from error
    addresses = list(dict.fromkeys(info[4][0] for info in infos))
    if not allow_private:
        for address in addresses:
            if not address_may_be_dialled(address):
                raise WebhookAddressRefused("the host resolves to a private address")
    return addresses


# IPv6 addresses that carry an IPv4 address inside them and reach it through a translator or a
# tunnel: to Python's `is_global` most of them look public whatever IPv4 address they carry,
# so 64:ff9b::127.0.0.1 would reach the register's own loopback through a NAT64 gateway.
_NAT64_WELL_KNOWN = ipaddress.ip_network("64:ff9b::/96")
# The embedded address of these cannot be trusted or is not defined, so they are refused whole:
# local-use NAT64 (RFC 8215) translates to whatever its operator chose; IPv4-compatible
# addresses (deprecated, RFC 4291) and Teredo (RFC 4380, its client address obfuscated) tunnel.
_REFUSED_IPV6_NETWORKS = [
    ipaddress.ip_network("64:ff9b:1::/48"),
    ipaddress.ip_network("::/96"),
    ipaddress.ip_network("2001::/32"),
]


def address_may_be_dialled(address: str) -> bool:
    """Whether a webhook may connect to `address`: global, and, for an IPv6 address that embeds
    an IPv4 one (mapped, NAT64, 6to4), global in what it embeds too."""
    ip = ipaddress.ip_address(address)
    if not ip.is_global:
        return False
    if ip.version == 4:
        return True
    if any(ip in network for network in _REFUSED_IPV6_NETWORKS):
        return False
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped.is_global
    if ip in _NAT64_WELL_KNOWN:
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF).is_global
    if ip.sixtofour is not None:
        return ip.sixtofour.is_global
    return True


def _dial(*, addresses: list[str], port: int, timeout: float) -> socket.socket:
    # Only the addresses checked above, tried in order as socket.create_connection would try a
    # host's addresses: the host name is never resolved again, so a DNS server that answers a
    # public address to the check and 127.0.0.1 to the connection (DNS rebinding) gets nowhere.
    last_error: OSError = OSError("the host name resolved to no address")
    for address in addresses:
        try:
            return socket.create_connection((address, port), timeout)
        except OSError as error:
            last_error = error
    raise last_error


class _PinnedHTTPConnection(http.client.HTTPConnection):
    """Plain HTTP to addresses already resolved; only reachable with
    WEBHOOK_ALLOW_PRIVATE_ADDRESSES on (development and tests)."""

    def __init__(self, host: str, port: int, *, addresses: list[str], timeout: float):
        super().__init__(host, port, timeout=timeout)
        self.addresses = addresses

    def connect(self) -> None:
        self.sock = _dial(addresses=self.addresses, port=self.port, timeout=self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    """HTTPS whose TCP connection goes to an address already checked, while TLS (SNI and the
    certificate's name check) and the Host header still use the host name."""

    def __init__(self, host: str, port: int, *, addresses: list[str], timeout: float):
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self.addresses = addresses

    def connect(self) -> None:
        sock = _dial(addresses=self.addresses, port=self.port, timeout=self.timeout)
        try:
            self.sock = self._context.wrap_socket(sock, server_hostname=self.host)
        except BaseException:
            sock.close()
            raise


def _post(*, url: str, body: bytes, signature: str, event_id: str) -> int:
    """POST the event and return the status code. Redirects are not followed: one could lead to
    an address the check never saw, so a 3xx is just another status that is not a success."""
    parts = urlsplit(url)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    addresses = _checked_addresses(scheme=parts.scheme, host=parts.hostname, port=port)
    connection_class = _PinnedHTTPSConnection if parts.scheme == "https" else _PinnedHTTPConnection
    connection = connection_class(
        parts.hostname, port, addresses=addresses, timeout=settings.WEBHOOK_TIMEOUT_SECONDS
    )
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    try:
        connection.request(
            "POST",
            path,
            body=body,
            headers={
                "Content-Type": "application/json",
                "User-Agent": "CareRegister-Webhooks/1",
                "Connection": "close",
                SIGNATURE_HEADER: signature,
                "X-CareRegister-Event-Id": event_id,
            },
        )
        return connection.getresponse().status
    finally:
        connection.close()


def webhook_attempt(*, delivery_id: int) -> WebhookDelivery:
    """Make one attempt at a pending delivery and record its result. A failure schedules the
    next attempt, until WEBHOOK_MAX_ATTEMPTS have been made."""
    delivery = WebhookDelivery.objects.select_related("endpoint__organisation").get(pk=delivery_id)
    if delivery.status != WebhookDelivery.Status.PENDING:
        return delivery
    endpoint = delivery.endpoint
    # Turned off, or the organisation's verification withdrawn, after the event was stored: the
    # body names workers, and nothing more may be sent there.
    if not endpoint.is_active:
        stopped = "the webhook was turned off"
    elif not employer_is_verified(endpoint.organisation):
        stopped = "the organisation is not verified by a registrar"
    else:
        stopped = ""
    if stopped:
        with transaction.atomic():
            delivery = WebhookDelivery.objects.select_for_update().get(pk=delivery_id)
            if delivery.status == WebhookDelivery.Status.PENDING:
                delivery.status = WebhookDelivery.Status.FAILED
                delivery.next_attempt_at = None
                delivery.last_error = stopped
                delivery.save(update_fields=["status", "next_attempt_at", "last_error"])
        return delivery
    body = delivery.body.encode()
    # Signed with the secret as it is now, so a replaced secret takes effect for retries too.
    signature = webhook_signature(secret=endpoint.secret, timestamp=int(time.time()), body=body)
    status_code = None
    error = ""
    try:
        status_code = _post(
            url=endpoint.url, body=body, signature=signature, event_id=delivery.event_id
        )
    except (OSError, WebhookAddressRefused, ValueError) as other:
        # OSError covers refused connections, timeouts and TLS failures (ssl.SSLError).
        error = str(other)[:300]
    except http.client.HTTPException as not_http:
        # Its message is the raw line that was not HTTP, which says nothing to the reader.
        error = f"the endpoint's answer was not HTTP ({type(not_http).__name__})"
    delivered = status_code is not None and 200 <= status_code < 300
    with transaction.atomic():
        delivery = WebhookDelivery.objects.select_for_update().get(pk=delivery_id)
        delivery.attempts += 1
        delivery.last_response_status = status_code
        delivery.last_error = "" if delivered else (error or f"the endpoint answered {status_code}")
        if delivered:
            delivery.status = WebhookDelivery.Status.DELIVERED
            delivery.delivered_at = timezone.now()
            delivery.next_attempt_at = None
        elif delivery.attempts >= settings.WEBHOOK_MAX_ATTEMPTS or not endpoint.is_active:
            delivery.status = WebhookDelivery.Status.FAILED
            delivery.next_attempt_at = None
        else:
            wait = FIRST_RETRY_SECONDS * 2 ** (delivery.attempts - 1)
            delivery.next_attempt_at = timezone.now() + timedelta(seconds=wait)
        delivery.save()
    if delivery.status == WebhookDelivery.Status.PENDING:
        transaction.on_commit(lambda: _enqueue(delivery.pk, run_after=delivery.next_attempt_at))
    return delivery
