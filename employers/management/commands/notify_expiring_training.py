from datetime import date

from django.core.management.base import BaseCommand
from django.utils import timezone

from employers.services.staff import (
    EXPIRY_LOOKBACK_DAYS,
    training_expiries_due,
    training_expiry_notify,
)


class Command(BaseCommand):
    help = (
        "Tell employers (by email and webhook) about their workers' training that has expired. "
        f"Run daily; each record is announced once, looking back {EXPIRY_LOOKBACK_DAYS} days."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="List what would be sent.")
        parser.add_argument(
            "--today",
            type=date.fromisoformat,
            help="Act as if today were this date (YYYY-MM-DD). Defaults to today.",
        )

    def handle(self, *args, dry_run, today, **options):
        today = today or timezone.localdate()
        count = 0
        for record in training_expiries_due(today=today).iterator(chunk_size=500):
            label = (
                f"{record.entry.registration_number} {record.standard.code} "
                f"(expired {record.expires_on:%Y-%m-%d})"
            )
            if dry_run:
                self.stdout.write(f"would notify {label}")
                count += 1
                continue
            told = training_expiry_notify(record=record, today=today)
            if told is None:
                continue
            count += 1
            if told:
                self.stdout.write(f"notified {told} employer(s): {label}")
            else:
                self.stdout.write(f"nobody to notify: {label}")
        self.stdout.write(
            f"{count} expired record(s) {'would be handled' if dry_run else 'handled'}."
        )
