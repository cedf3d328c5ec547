from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from register.services.renewals import LapseIncomplete, registrations_lapse_overdue


class Command(BaseCommand):
    help = (
        "Lapse every practising entry whose renewal date has passed, telling the worker and "
        "linked employers. Run daily; safe to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="List what would lapse.")
        parser.add_argument(
            "--today",
            type=date.fromisoformat,
            help="Act as if today were this date (YYYY-MM-DD). Defaults to today.",
        )

    def handle(self, *args, dry_run, today, **options):
        today = today or timezone.localdate()
        try:
            numbers = registrations_lapse_overdue(today=today, dry_run=dry_run)
        except LapseIncomplete as error:
            self._report(error.lapsed, dry_run=False)
            raise CommandError(str(error)) from error
        self._report(numbers, dry_run=dry_run)

    def _report(self, numbers: list[str], *, dry_run: bool) -> None:
        verb = "would lapse" if dry_run else "lapsed"
        for number in numbers:
            self.stdout.write(f"{verb} {number}")
        self.stdout.write(f"{len(numbers)} registration(s) {verb}.")
