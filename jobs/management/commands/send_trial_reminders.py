from django.core.management.base import BaseCommand
from django.utils import timezone

from jobs.services.trials import trial_reminders_send


class Command(BaseCommand):
    help = (
        "Remind each candidate of an accepted paid job trial that starts tomorrow, once, with "
        "the trial attached as an .ics file. Safe to run again: a reminded trial is not "
        "reminded twice."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="List what would be sent.")

    def handle(self, *args, dry_run, **options):
        reminded = trial_reminders_send(now=timezone.now(), dry_run=dry_run)
        would = "would be " if dry_run else ""
        for reference in reminded:
            self.stdout.write(f"trial on application {reference} {would}reminded")
        self.stdout.write(f"{len(reminded)} trial reminder(s) {would}sent.")
