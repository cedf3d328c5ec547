from datetime import date

from django.core.management.base import BaseCommand
from django.utils import timezone

from jobs.services.vacancies import vacancies_close_expired


class Command(BaseCommand):
    help = (
        "Close every published vacancy whose closing date has passed: it takes no more "
        "applications. Run daily; safe to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="List what would close.")
        parser.add_argument(
            "--today",
            type=date.fromisoformat,
            help="Act as if today were this date (YYYY-MM-DD). Defaults to today.",
        )

    def handle(self, *args, dry_run, today, **options):
        closed = vacancies_close_expired(today=today or timezone.localdate(), dry_run=dry_run)
        verb = "would close" if dry_run else "closed"
        for reference in closed:
            self.stdout.write(f"{verb} vacancy {reference}")
        self.stdout.write(f"{len(closed)} vacancy(ies) {verb}.")
