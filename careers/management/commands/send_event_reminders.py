from django.core.management.base import BaseCommand
from django.utils import timezone

from careers.services.campaigns import event_reminders_send


class Command(BaseCommand):
    help = (
        "Remind everyone with a place at a campaign's open day tomorrow, once each. Safe to run "
        "again: a reminded booking is not reminded twice."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="List what would be sent.")

    def handle(self, *args, dry_run, **options):
        reminded = event_reminders_send(today=timezone.localdate(), dry_run=dry_run)
        would = "would be " if dry_run else ""
        for reference in reminded:
            self.stdout.write(f"booking {reference} {would}reminded")
        self.stdout.write(f"{len(reminded)} open day reminder(s) {would}sent.")
