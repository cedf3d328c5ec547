from datetime import date, datetime, time

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from jobs.services.alerts import job_alerts_send


class Command(BaseCommand):
    help = (
        "Email today's job alert digests: for each confirmed alert due (daily, or weekly on its "
        "day), the new vacancies matching its search, and no email when there are none. Also "
        "deletes alerts whose confirmation link expired. Safe to run again and again, even "
        "after an interruption: a digest is recorded with its email and never sent twice."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Count what would be sent; change nothing."
        )
        parser.add_argument(
            "--today",
            type=date.fromisoformat,
            help="Act as if it were this date (YYYY-MM-DD), at noon UK time.",
        )
        parser.add_argument(
            "--now",
            type=datetime.fromisoformat,
            help="Act as if it were this moment (YYYY-MM-DDTHH:MM, UK time unless it says).",
        )

    def handle(self, *args, dry_run, today, now, **options):
        if today and now:
            raise CommandError("Give --today or --now, not both.")
        if today:
            now = datetime.combine(today, time(12, 0))
        if now is not None and timezone.is_naive(now):
            now = timezone.make_aware(now)
        run = job_alerts_send(now=now, dry_run=dry_run)
        if run.deleted_unconfirmed:
            verb = "would delete" if dry_run else "deleted"
            self.stdout.write(f"{verb} {run.deleted_unconfirmed} unconfirmed alert(s)")
        if run.before_the_hour:
            self.stdout.write(f"Job alerts for {run.period}: not yet, they go out later.")
            return
        verb = "would send" if dry_run else "sent"
        self.stdout.write(
            f"Job alerts for {run.period}: {run.due} due, {run.searches} search(es), "
            f"{run.sent} digest(s) {verb}, {run.empty} with nothing new"
            + (f", {run.already_done} already sent" if run.already_done else "")
            + "."
        )
