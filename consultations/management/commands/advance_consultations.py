from django.core.management.base import BaseCommand

from consultations.services.lifecycle import (
    consultation_follow_clock,
    consultations_due_to_move,
)


class Command(BaseCommand):
    help = (
        "Store the openings and closings the clock has made: scheduled consultations past their "
        "opening time become open, open ones at or past their closing time become closed. Run "
        "every minute; safe to run again. The site already treats them by the clock in between."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="List what would change.")

    def handle(self, *args, dry_run, **options):
        moved = 0
        for consultation in consultations_due_to_move():
            if dry_run:
                target = consultation.effective_status()
                self.stdout.write(
                    f"would move {consultation.slug}: {consultation.status} -> {target}"
                )
                moved += 1
                continue
            statuses = consultation_follow_clock(consultation=consultation)
            if statuses:
                moved += 1
                self.stdout.write(f"{consultation.slug}: now {statuses[-1]}")
        verb = "would move" if dry_run else "moved"
        self.stdout.write(f"{moved} consultation(s) {verb}.")
