from datetime import date

from django.core.management.base import BaseCommand
from django.utils import timezone

from concerns.models import Case, InterimOrder
from concerns.services.cases import cases_close_unappealed, interim_orders_end_run_out
from concerns.services.clock import (
    cases_delete_after_retention,
    cases_due_for_deletion,
    cases_overdue_for_screening,
    screening_chase,
)
from concerns.services.raising import concerns_delete_unconfirmed


class Command(BaseCommand):
    help = (
        "Move concerns on with the clock: close cases whose time to appeal has passed (a "
        "removal takes effect then), chase registrars about cases not screened in time (once "
        "a day), delete concerns whose email was never confirmed, delete cases closed with "
        "no action once their retention period has passed, and end interim suspensions whose "
        "order has run out. Safe to run again and again."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Say what would change.")
        parser.add_argument(
            "--today",
            type=date.fromisoformat,
            metavar="YYYY-MM-DD",
            help="Act as if today were this day (default: today).",
        )

    def handle(self, *args, dry_run, today=None, **options):
        today = today or timezone.localdate()
        if dry_run:
            appeal_over = Case.objects.filter(
                status=Case.Status.APPEAL_WINDOW, appeal_due__lt=today
            ).count()
            unconfirmed = Case.objects.filter(
                status=Case.Status.UNCONFIRMED, confirmation_expires_at__lte=timezone.now()
            ).count()
            run_out = InterimOrder.objects.filter(ended_at__isnull=True, until__lt=today).count()
            self.stdout.write(
                f"Would close {appeal_over} case(s) past their appeal date, chase "
                f"{cases_overdue_for_screening(today).exclude(screening_chased_on=today).count()}"
                f" overdue for screening, delete {unconfirmed} unconfirmed concern(s) and "
                f"{len(cases_due_for_deletion(today))} case(s) past retention, and end "
                f"{run_out} interim suspension(s) past their end."
            )
            return
        closed = cases_close_unappealed(today=today)
        chased = screening_chase(today=today)
        unconfirmed = concerns_delete_unconfirmed()
        deleted = cases_delete_after_retention(today=today)
        run_out = interim_orders_end_run_out(today=today)
        self.stdout.write(
            f"Closed {len(closed)} case(s) past their appeal date, chased {len(chased)} overdue "
            f"for screening, deleted {unconfirmed} unconfirmed concern(s) and {deleted} "
            f"case(s) past retention, and ended {len(run_out)} interim suspension(s) past "
            "their end."
        )
