import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from passports import verification

LABELS = {"pass": "PASS", "warn": "WARNING", "fail": "FAIL", "skip": "NOT CHECKED"}


class Command(BaseCommand):
    help = (
        "Verify a passport (.jwt or .pdf) or a single-record badge (.jwt) offline against a "
        "saved copy of the register's JWKS (/.well-known/jwks.json). Never touches the "
        "database. Exits 0 when valid, 1 when not."
    )
    # Offline means offline: no system checks, which could reach for the database.
    requires_system_checks: list = []

    def add_arguments(self, parser):
        parser.add_argument("file", help="The passport: a .jwt text file or the passport PDF.")
        parser.add_argument(
            "--jwks", required=True, help="A JWKS file saved from /.well-known/jwks.json."
        )

    def handle(self, *args, file, jwks, **options):
        jwks_document = self._read_jwks(Path(jwks))
        path = Path(file)
        try:
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror}.") from error
        if path.suffix.lower() == ".pdf" or data.startswith(b"%PDF-"):
            try:
                result = verification.verify_pdf(data, jwks=jwks_document)
            except verification.PdfUploadUnavailable as error:
                raise CommandError(str(error)) from error
        else:
            result = verification.verify(data.decode("utf-8", errors="replace"), jwks=jwks_document)

        self.stdout.write(
            self.style.SUCCESS("VALID (checked offline)")
            if result.valid
            else self.style.ERROR("NOT VALID")
        )
        if result.passport:
            summary = result.passport
            self.stdout.write(
                f"{summary['name']}, {summary['registrationNumber']}, issued {summary['issuedOn']}"
            )
        elif result.badge:
            summary = result.badge
            self.stdout.write(
                f"Badge: {summary['training']}, for {summary['name']}, "
                f"{summary['registrationNumber']}"
            )
        for check in result.checks:
            self.stdout.write(f"{LABELS[check.status]:<12} {check.name:<13} {check.message}")
            for record in check.records or []:
                self.stdout.write(f"{'':<12} {'':<13}   {record['name']}: {record['message']}")
        if not result.valid:
            raise SystemExit(1)

    def _read_jwks(self, path: Path) -> dict:
        try:
            document = json.loads(path.read_text())
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror}.") from error
        except ValueError as error:
            raise CommandError(f"{path} is not JSON, so it is not a JWKS.") from error
        if not verification.keys_from_jwks(document):
            raise CommandError(f"{path} holds no Ed25519 keys: is it the register's JWKS?")
        return document
