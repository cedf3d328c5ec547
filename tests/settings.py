"""Test settings: the real settings, with tasks run at once and email kept in memory."""

import os

from config.settings import *  # noqa: F403
from config.settings import DATABASES, INSTALLED_APPS, VAR_DIR

# A model that exists only in tests, to exercise the encrypted field and key rotation before
# the register's own encrypted columns arrive.
INSTALLED_APPS = [*INSTALLED_APPS, "tests.testapp"]

TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
SITE_URL = "http://testserver"
# A test environment turns four-eyes approval off explicitly (production refuses to), so that a
# test needs one registrar to approve; the tests of four-eyes approval turn it back on.
FOUR_EYES_APPROVAL = False

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file, not memory: the health check test cuts the database off and reconnects, and an
    # in-memory database would vanish with its last connection.
    # TEST_DB_SUFFIX lets two test runs share a checkout without sharing a database.
    suffix = os.environ.get("TEST_DB_SUFFIX", "")
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / f"test{suffix}.sqlite3")}

# A second alias for the read-replica router's tests (tests/config/test_db_routers.py): a
# mirror of the default test database, so it needs no server of its own. No router uses it
# unless a test turns one on.
DATABASES["replica"] = {**DATABASES["default"], "TEST": {"MIRROR": "default"}}

# The public entry page cache is off by default with a per-process cache; the suite runs in one
# process, where it is safe, so it runs with it on (tests/register/test_public_pages.py).
PUBLIC_PAGE_CACHE_SECONDS = 300
