"""Benchmarks: each script runs on its own (see bench/README.md); `make bench` runs them all."""

import json
import os
import secrets
from pathlib import Path

_KEYS_FILE = Path(__file__).resolve().parent.parent / "var" / "bench-keys.json"


def run_without_debug() -> None:
    """Runs a bench script with DEBUG off, as a server would.

    config/settings.py refuses the published development keys with DEBUG off, so the scripts
    use keys of this machine's own, made on the first run and kept in var/bench-keys.json (not
    committed), unless the environment names some. They stay the same from run to run, since
    several scripts reuse what an earlier run seeded (a signing key, encrypted columns)."""
    os.environ.setdefault("DEBUG", "false")
    if os.environ.get("DJANGO_ENV") == "production":
        return
    if not _KEYS_FILE.exists():
        from cryptography.fernet import Fernet

        _KEYS_FILE.parent.mkdir(exist_ok=True)
        made = {
            "SECRET_KEY": secrets.token_urlsafe(50),
            "FIELD_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
            "BLIND_INDEX_KEY": secrets.token_urlsafe(32),
            "SIGNING_KEY_PASSPHRASE": secrets.token_urlsafe(24),
            "CONSULTATION_RESPONDENT_KEY": secrets.token_urlsafe(32),
        }
        descriptor = os.open(_KEYS_FILE, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w") as keys_file:
            json.dump(made, keys_file)
    kept = json.loads(_KEYS_FILE.read_text())
    if "CONSULTATION_RESPONDENT_KEY" not in kept:
        # A keys file made before the consultation respondent key existed: add one, kept like
        # the others so that respondent links stay the same from run to run.
        kept["CONSULTATION_RESPONDENT_KEY"] = secrets.token_urlsafe(32)
        _KEYS_FILE.write_text(json.dumps(kept))
    for name, value in kept.items():
        os.environ.setdefault(name, value)
