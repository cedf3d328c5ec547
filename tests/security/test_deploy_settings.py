"""Production's security settings, read from a fresh interpreter started as a deployment is
(tests/config/test_settings.py runs `check --deploy` itself), and the headers a page sends."""

import json

from tests.config.test_settings import REAL_SECRETS, _manage

READ_SETTINGS = """
import json
from django.conf import settings
print(json.dumps({
    "hsts": settings.SECURE_HSTS_SECONDS,
    "hsts_subdomains": settings.SECURE_HSTS_INCLUDE_SUBDOMAINS,
    "ssl_redirect": settings.SECURE_SSL_REDIRECT,
    "session_secure": settings.SESSION_COOKIE_SECURE,
    "session_httponly": settings.SESSION_COOKIE_HTTPONLY,
    "csrf_secure": settings.CSRF_COOKIE_SECURE,
    "frame": settings.X_FRAME_OPTIONS,
    "nosniff": settings.SECURE_CONTENT_TYPE_NOSNIFF,
    "csp": settings.CONTENT_SECURITY_POLICY["DIRECTIVES"],
    "debug": settings.DEBUG,
}))
"""


def test_production_turns_on_hsts_secure_cookies_frame_denial_and_a_strict_csp():
    result = _manage("shell", "-c", READ_SETTINGS, **REAL_SECRETS)
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout.strip().splitlines()[-1])

    assert values["debug"] is False
    assert values["hsts"] >= 31536000 and values["hsts_subdomains"] is True
    assert values["ssl_redirect"] is True
    assert values["session_secure"] and values["session_httponly"] and values["csrf_secure"]
    assert values["frame"] == "DENY" and values["nosniff"] is True
    assert values["csp"]["default-src"] == ["'self'"]
    assert values["csp"]["frame-ancestors"] == ["'none'"]
    assert values["csp"]["object-src"] == ["'none'"]
    assert "'unsafe-inline'" not in json.dumps(values["csp"])


def test_every_page_sends_the_csp_frame_denial_and_nosniff_headers(client, db):
    response = client.get("/register/")

    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
