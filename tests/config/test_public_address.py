"""One setting, SITE_URL, decides the public address; `make run` sets it from PORT (issue 18,
item 3: with PORT=18801 the emails, the passport's QR code and the credential addresses all
pointed at :8000)."""

import base64
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core import mail
from django.urls import reverse

from passports import credentials, documents, keys
from passports.services.passports import passport_issue
from tests.factories import TrainingRecordFactory

ROOT = Path(__file__).resolve().parents[2]

# Stands in for .venv/bin/python in the Makefile's recipes: it records the SITE_URL each
# command was started with, and ends at once (the server and worker would run for ever). The
# server, in the foreground, first waits for the two commands started beside it to record
# themselves: when it ends, make stops them, and one not yet started would go unrecorded.
RECORDER = """
import os, sys, time
record = os.environ["RECORD_TO"]
with open(record, "a") as out:
    out.write(" ".join(sys.argv[1:3]) + " SITE_URL=" + os.environ.get("SITE_URL", "") + "\\n")
if sys.argv[2:3] == ["runserver"]:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        started = open(record).read()
        if "db_worker" in started and "run_periodic" in started:
            break
        time.sleep(0.05)
"""


def commands_make_run_starts(tmp_path, **env) -> list[str]:
    recorder = tmp_path / "recorder.py"
    recorder.write_text(RECORDER)
    stamp = tmp_path / "installed"
    stamp.touch()
    record = tmp_path / "commands.txt"
    environment = {
        key: value for key, value in os.environ.items() if key not in {"SITE_URL", "PORT"}
    }
    environment.update(env, RECORD_TO=str(record))
    subprocess.run(
        [
            "make",
            "--no-print-directory",
            "run",
            f"PY={sys.executable} {recorder}",
            f"STAMP={stamp}",
        ],
        cwd=ROOT,
        env=environment,
        check=True,
        capture_output=True,
        timeout=60,
    )
    return sorted(record.read_text().splitlines())


def test_make_run_starts_every_command_with_the_address_of_its_port(tmp_path):
    assert commands_make_run_starts(tmp_path, PORT="18801") == [
        "manage.py db_worker SITE_URL=http://127.0.0.1:18801",
        "manage.py migrate SITE_URL=http://127.0.0.1:18801",
        "manage.py run_periodic SITE_URL=http://127.0.0.1:18801",
        "manage.py runserver SITE_URL=http://127.0.0.1:18801",
        "manage.py seed_demo SITE_URL=http://127.0.0.1:18801",
    ]


def test_make_run_keeps_a_site_url_that_is_set(tmp_path):
    commands = commands_make_run_starts(
        tmp_path, PORT="18801", SITE_URL="https://register.example.org"
    )
    assert {command.split(" SITE_URL=")[1] for command in commands} == {
        "https://register.example.org"
    }


@pytest.mark.django_db
def test_allauth_emails_name_the_service_and_the_public_host_not_the_requests(
    client, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "http://127.0.0.1:18801"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("account_signup"),
            {
                "full_name": "Ada Port",
                "email": "ada.port@example.org",
                "password1": "a-long-enough-passphrase-1",
                "password2": "a-long-enough-passphrase-1",
                "joining_as": "care_worker",
            },
            HTTP_HOST="localhost",
        )
    (message,) = [m for m in mail.outbox if "ada.port@example.org" in m.to]
    assert "an account on 127.0.0.1:18801" in message.body
    assert "The Care Register team\n127.0.0.1:18801" in message.body
    assert "an account on localhost" not in message.body


@pytest.mark.django_db
def test_the_passport_its_qr_code_and_its_credential_carry_the_public_address(settings, entry):
    settings.SITE_URL = "http://127.0.0.1:18801"
    keys.signing_key_create()
    TrainingRecordFactory(entry=entry)
    passport = passport_issue(entry=entry, requested_by=entry.worker)

    # The PDF's QR code and the link printed under it
    assert documents.passport_document(passport).verify_url.startswith("http://127.0.0.1:18801/")
    # The signed credential: its id, its issuer and its status lists
    payload = passport.token.split(".")[1]
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    text = json.dumps(claims)
    assert "8000" not in text
    assert claims["id"] == credentials.passport_url(passport.public_id)
    assert claims["id"].startswith("http://127.0.0.1:18801/")
    assert "did:web:127.0.0.1%3A18801" in text
    assert "http://127.0.0.1:18801/credentials/status/revocation" in text
