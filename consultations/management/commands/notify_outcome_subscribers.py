from django.core.management.base import BaseCommand

from consultations.models import Consultation, OutcomeSubscription
from consultations.services.outcome import outcome_subscribers_notify


class Command(BaseCommand):
    help = (
        "Email everyone who asked to hear about a published outcome and has not been told yet: "
        "those the publishing step missed (a failed email queue) and those who asked after it "
        "was published. Each person is emailed once; safe to run again and again."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Count, but send nothing.")

    def handle(self, *args, dry_run, **options):
        waiting = (
            OutcomeSubscription.objects.filter(
                notified_at__isnull=True, consultation__status=Consultation.Status.PUBLISHED
            )
            .values_list("consultation_id", flat=True)
            .distinct()
        )
        told = 0
        for consultation in Consultation.objects.filter(pk__in=list(waiting)).order_by("pk"):
            if dry_run:
                count = consultation.outcome_subscriptions.filter(notified_at__isnull=True).count()
                self.stdout.write(f"would email {count} about {consultation.slug}")
                told += count
                continue
            sent = outcome_subscribers_notify(consultation=consultation)
            told += sent
            self.stdout.write(f"{consultation.slug}: emailed {sent}")
        verb = "would be emailed" if dry_run else "emailed"
        self.stdout.write(f"{told} subscriber(s) {verb}.")
