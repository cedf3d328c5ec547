from datetime import date

from django.core.management.base import BaseCommand
from django.utils import timezone

from jobs.services.applying import applications_chase


class Command(BaseCommand):
    help = (
        "No silent rejection: once a vacancy stops taking applications, remind its employer "
        "once of the applications still open, and close those left untouched for "
        "APPLICATION_CHASE_DAYS with a kind message to the applicant. Run daily, after "
        "close_expired_vacancies; safe to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="List what would be done.")
        parser.add_argument(
            "--today",
            type=date.fromisoformat,
            help="Act as if today were this date (YYYY-MM-DD). Defaults to today.",
        )

    def handle(self, *args, dry_run, today, **options):
        report = applications_chase(today=today or timezone.localdate(), dry_run=dry_run)
        would = "would be " if dry_run else ""
        for reference in report.closed:
            self.stdout.write(f"application {reference} {would}closed by the clock")
        for reference, count in report.reminded:
            self.stdout.write(
                f"employer of vacancy {reference} {would}reminded of {count} open application(s)"
            )
        self.stdout.write(
            f"{len(report.closed)} application(s) {would}closed, {len(report.reminded)} "
            f"employer(s) {would}reminded, {report.shares_ended} share(s) {would}ended sooner."
        )
