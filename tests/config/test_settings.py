"""Production settings, checked in a fresh interpreter as a deployment would start them."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

ROOT = Path(__file__).resolve().parents[2]

REAL_SECRETS = {
    "DJANGO_ENV": "production",
    "SECRET_KEY": "k" * 20 + "7f3c9a1e5b2d8f4a6c0e9b3d7f1a5c8e2b6d0f4a9c3e7b1d5f",
    "FIELD_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
    "BLIND_INDEX_KEY": "b" * 10 + "2c7e9f1a4b6d8e0f3a5c7b9d1e3f5a7c",
    "SIGNING_KEY_PASSPHRASE": "a-real-passphrase-for-signing",
    "CONSULTATION_RESPONDENT_KEY": "c" * 10 + "9d1e3f5a7c2c7e9f1a4b6d8e0f3a5c7b",
    "ALLOWED_HOSTS": "register.example.org",
    "DATABASE_URL": "sqlite:////tmp/care-register-settings-test.sqlite3",
}


def _manage(*args, **env_overrides):
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in REAL_SECRETS
        and key
        not in {
            "DJANGO_SETTINGS_MODULE",
            "DJANGO_ALLOW_ASYNC_UNSAFE",
            "DEBUG",
            "FOUR_EYES_APPROVAL",
        }
    }
    env.update({key: value for key, value in env_overrides.items() if value is not None})
    env["DJANGO_SETTINGS_MODULE"] = "config.settings"
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_production_refuses_a_missing_secret_key():
    result = _manage("check", **{**REAL_SECRETS, "SECRET_KEY": None})

    assert result.returncode != 0
    assert "refuse to start without real secrets" in result.stderr
    assert "SECRET_KEY" in result.stderr


def test_production_refuses_the_development_keys():
    result = _manage(
        "check",
        **{
            **REAL_SECRETS,
            "FIELD_ENCRYPTION_KEYS": "ZGV2LW9ubHktZmllbGQta2V5LW5vdC1mb3ItcHJvZCE=",
        },
    )

    assert result.returncode != 0
    assert "FIELD_ENCRYPTION_KEYS" in result.stderr


@pytest.mark.parametrize(
    "respondent_key",
    [
        None,
        "dev-only-consultation-respondent-key-not-for-production",
        REAL_SECRETS["BLIND_INDEX_KEY"],
    ],
)
def test_production_refuses_a_missing_shared_or_development_consultation_respondent_key(
    respondent_key,
):
    result = _manage("check", **{**REAL_SECRETS, "CONSULTATION_RESPONDENT_KEY": respondent_key})

    assert result.returncode != 0
    assert "CONSULTATION_RESPONDENT_KEY" in result.stderr


def test_production_refuses_debug():
    result = _manage("check", **REAL_SECRETS, DEBUG="true")

    assert result.returncode != 0
    assert "DEBUG must be off" in result.stderr


def test_production_passes_check_deploy_with_no_warnings():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", **REAL_SECRETS)

    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_development_needs_no_configuration_at_all():
    result = _manage("check", DATABASE_URL="sqlite:////tmp/care-register-settings-test.sqlite3")

    assert result.returncode == 0, result.stderr


def test_seed_demo_refuses_to_run_in_production():
    result = _manage("seed_demo", **REAL_SECRETS)

    assert result.returncode != 0
    assert "never loaded in production" in result.stderr


def test_loading_the_wsgi_application_imports_every_view_before_the_first_request():
    # So that gunicorn --preload forks workers that answer at once after a restart.
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in REAL_SECRETS and key not in {"DJANGO_SETTINGS_MODULE", "DEBUG"}
    }
    env.update({**REAL_SECRETS, "DJANGO_SETTINGS_MODULE": "config.settings"})
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys, config.wsgi; "
            "print(all(m in sys.modules for m in "
            "('config.urls', 'api.consultations', 'consultations.views.responding', "
            "'employers.views')))",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "True"


def test_the_cache_url_s_key_prefix_and_timeout_reach_django():
    shown = _manage(
        "shell",
        "-c",
        "from django.conf import settings; from django.core.cache import cache; "
        "print(settings.CACHES['default']['KEY_PREFIX'], cache.default_timeout, "
        "cache.make_key('entry'))",
        DATABASE_URL="sqlite:////tmp/care-register-settings-test.sqlite3",
        CACHE_URL="redis://127.0.0.1:6379/0?key_prefix=site-b&timeout=60",
    )

    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.splitlines()[-1].split() == ["site-b", "60", "site-b:1:entry"]


def test_a_redis_cache_url_is_served_by_django_redis_with_its_options():
    shown = _manage(
        "shell",
        "-c",
        "from django.conf import settings; cache = settings.CACHES['default']; "
        "print(cache['BACKEND'], cache['LOCATION'], cache['OPTIONS'])",
        DATABASE_URL="sqlite:////tmp/care-register-settings-test.sqlite3",
        CACHE_URL="rediss://cache.internal:6380/2?socket_connect_timeout=0.5",
    )

    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.splitlines()[-1] == (
        "django_redis.cache.RedisCache rediss://cache.internal:6380/2 "
        "{'SOCKET_CONNECT_TIMEOUT': 0.5}"
    )


# Finding 14: with DJANGO_ENV unset the settings used to fail open on a real server.
DEVELOPMENT_DATABASE = "sqlite:////tmp/care-register-settings-test.sqlite3"


def _shown(expression: str, **env_overrides) -> list[str]:
    shown = _manage(
        "shell",
        "-c",
        f"from django.conf import settings; print({expression})",
        **{"DATABASE_URL": DEVELOPMENT_DATABASE, **env_overrides},
    )
    assert shown.returncode == 0, shown.stderr
    return shown.stdout.splitlines()[-1].split()


def test_an_unset_django_env_refuses_the_development_keys_for_a_public_host():
    result = _manage(
        "check", DATABASE_URL=DEVELOPMENT_DATABASE, ALLOWED_HOSTS="register.example.org"
    )

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "published development keys" in result.stderr
    assert "ALLOWED_HOSTS names a host that is not this machine" in result.stderr
    for name in (
        "SECRET_KEY",
        "FIELD_ENCRYPTION_KEYS",
        "BLIND_INDEX_KEY",
        "SIGNING_KEY_PASSPHRASE",
        "CONSULTATION_RESPONDENT_KEY",
    ):
        assert name in result.stderr


def test_an_unset_django_env_refuses_the_development_keys_with_debug_off():
    result = _manage("check", DATABASE_URL=DEVELOPMENT_DATABASE, DEBUG="false")

    assert result.returncode != 0
    assert "published development keys" in result.stderr
    assert "DEBUG is off" in result.stderr


def test_one_development_key_left_in_place_is_enough_to_refuse():
    real_keys = {
        name: REAL_SECRETS[name]
        for name in (
            "SECRET_KEY",
            "FIELD_ENCRYPTION_KEYS",
            "SIGNING_KEY_PASSPHRASE",
            "CONSULTATION_RESPONDENT_KEY",
        )
    }
    result = _manage(
        "check", DATABASE_URL=DEVELOPMENT_DATABASE, ALLOWED_HOSTS="0.0.0.0", **real_keys
    )

    assert result.returncode != 0
    assert "published development keys (BLIND_INDEX_KEY)" in result.stderr


def test_a_wildcard_host_is_not_this_machine():
    result = _manage("check", DATABASE_URL=DEVELOPMENT_DATABASE, ALLOWED_HOSTS="*")

    assert result.returncode != 0
    assert "published development keys" in result.stderr


def test_real_keys_for_a_public_host_start_with_debug_and_private_webhooks_off():
    real_keys = {
        name: REAL_SECRETS[name]
        for name in (
            "SECRET_KEY",
            "FIELD_ENCRYPTION_KEYS",
            "BLIND_INDEX_KEY",
            "SIGNING_KEY_PASSPHRASE",
            "CONSULTATION_RESPONDENT_KEY",
        )
    }

    shown = _shown(
        "settings.DEBUG, settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES",
        ALLOWED_HOSTS="register.example.org",
        **real_keys,
    )

    assert shown == ["False", "False"]


def test_development_on_this_machine_keeps_its_debug_pages_and_local_webhooks():
    shown = _shown(
        "settings.DEBUG, settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES",
        ALLOWED_HOSTS="localhost,127.0.0.1,[::1],app.localhost",
    )

    assert shown == ["True", "True"]


# Finding 8: four-eyes approval is on unless a developer turns it off, and never off in production.
def test_four_eyes_approval_is_on_by_default_in_development_and_production():
    assert _shown("settings.FOUR_EYES_APPROVAL") == ["True"]
    assert _shown("settings.FOUR_EYES_APPROVAL", **REAL_SECRETS) == ["True"]


def test_production_refuses_to_turn_four_eyes_approval_off():
    result = _manage("check", **REAL_SECRETS, FOUR_EYES_APPROVAL="false")

    assert result.returncode != 0
    assert "FOUR_EYES_APPROVAL must be on in production" in result.stderr


def test_a_developer_may_turn_four_eyes_approval_off():
    assert _shown("settings.FOUR_EYES_APPROVAL", FOUR_EYES_APPROVAL="false") == ["False"]
