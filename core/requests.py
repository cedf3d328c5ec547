"""The client's address, decided by one rule for everything that asks: the audit log, every
rate limit (the API's throttles, consultations, share codes) and allauth's sign-in limits."""

import ipaddress

from django.conf import settings


def client_ip(request) -> str | None:
    """The address of whoever sent this request, as far as our own servers can vouch for it.

    Behind our proxy (`USE_X_FORWARDED_FOR` on), the right-most X-Forwarded-For address is the
    one the proxy appended; anything to its left came from the client and may be forged, so
    it is never read. Without a proxy, X-Forwarded-For is the client's own text and is ignored:
    the address is the connection's. A header whose last entry is not an address (the proxy did
    not set one) falls back to the connection's.
    """
    if settings.USE_X_FORWARDED_FOR:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            try:
                return str(ipaddress.ip_address(forwarded.split(",")[-1].strip()))
            except ValueError:
                pass
    return request.META.get("REMOTE_ADDR") or None
