from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from register.services.entries import sanctions_end_expired


class Command(BaseCommand):
    help = (
        "End every condition and warning whose end date has passed, and every sanction "
        "suspension whose end date has passed (back to registered, or registered with "
        "conditions), telling the worker and linked employers. Interim suspensions are never "
        "ended by the clock: a registrar ends them. Run daily; safe to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="List what would end.")
        parser.add_argument(
            "--today",
            type=date.fromisoformat,
            help="Act as if today were this date (YYYY-MM-DD). Defaults to today.",
        )

    def handle(self, *args, dry_run, today, **options):
        ended = sanctions_end_expired(today=today or timezone.localdate(), dry_run=dry_run)
        verb = "would end" if dry_run else "ended"
        for line in ended.annotations:
            self.stdout.write(f"{verb} {line}")
        for number in ended.suspensions:
            self.stdout.write(f"{verb} the suspension of {number}")
        self.stdout.write(
            f"{len(ended.annotations)} condition(s) or warning(s) and "
            f"{len(ended.suspensions)} suspension(s) {verb}."
        )
        if ended.failed:
            raise CommandError(f"Could not end: {'; '.join(ended.failed)}. See the log.")
