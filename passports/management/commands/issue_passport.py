from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core.errors import ApplicationError
from passports import documents
from passports.services.passports import passport_issue
from register import registration_numbers
from register.models import RegisterEntry


class Command(BaseCommand):
    help = (
        "Issue a signed passport for a registered worker and write it to FILE: a .jwt file holds "
        "the token, a .pdf file the printable passport with the token attached."
    )

    def add_arguments(self, parser):
        parser.add_argument("registration_number")
        parser.add_argument("--out", required=True, help="Where to write it: a .jwt or .pdf file.")

    def handle(self, *args, registration_number, out, **options):
        path = Path(out)
        if path.suffix.lower() not in {".jwt", ".pdf"}:
            raise CommandError("--out must end in .jwt or .pdf, which says what to write.")
        number = registration_numbers.normalise(registration_number)
        entry = RegisterEntry.objects.filter(registration_number=number).first()
        if entry is None:
            raise CommandError(f"No register entry {number}.")
        try:
            # Run by an operator on the server, on the worker's behalf: the worker is recorded
            # as the requester, as if they had pressed the button.
            passport = passport_issue(entry=entry, requested_by=entry.worker)
        except ApplicationError as error:
            raise CommandError(str(error)) from None
        if path.suffix.lower() == ".pdf":
            path.write_bytes(documents.passport_pdf(passport))
        else:
            path.write_text(passport.token + "\n")
        self.stdout.write(
            f"Issued passport {passport.public_id} for {entry.registration_number}; wrote {path}."
        )
