from datetime import date

from django.core.management.base import BaseCommand
from django.utils import timezone

from register.services.renewals import renewal_reminder_send, renewal_reminders_due


class Command(BaseCommand):
    help = (
        "Email the renewal reminders due today (60, 30 and 7 days before the renewal date). "
        "Run daily; a reminder is never sent twice."
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
        verb = "would remind" if dry_run else "reminded"
        count = 0
        for entry in renewal_reminders_due(today=today).iterator(chunk_size=500):
            if dry_run or renewal_reminder_send(
                entry=entry, days_before=entry.reminder_days, today=today
            ):
                count += 1
                self.stdout.write(
                    f"{verb} {entry.registration_number} "
                    f"({entry.reminder_days}-day reminder, due {entry.renewal_due:%Y-%m-%d})"
                )
        self.stdout.write(f"{count} reminder(s) {'would be sent' if dry_run else 'sent'}.")
