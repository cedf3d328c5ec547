from datetime import date

from django.core.management.base import BaseCommand
from django.utils import timezone

from jobs.services.trials import trial_pay_chase


class Command(BaseCommand):
    help = (
        "Chase overdue paid job trial pay: email each employer's owners the payments due before "
        "today that the candidate has not confirmed, once a week while they stay overdue. Safe "
        "to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="List what would be chased.")
        parser.add_argument(
            "--today",
            type=date.fromisoformat,
            help="Act as if today were this date (YYYY-MM-DD). Defaults to today.",
        )

    def handle(self, *args, dry_run, today, **options):
        chased = trial_pay_chase(today=today or timezone.localdate(), dry_run=dry_run)
        would = "would be " if dry_run else ""
        for organisation, count in chased:
            self.stdout.write(f"{organisation} {would}chased for {count} overdue trial payment(s)")
        self.stdout.write(f"{len(chased)} employer(s) {would}chased.")
