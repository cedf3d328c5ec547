from django.core.management.base import BaseCommand, CommandError

from core.audit import find_chain_breaks
from core.models import AuditEvent


class Command(BaseCommand):
    help = "Check the audit log's hash chain; exit non-zero naming the first broken event."

    def handle(self, *args, **options):
        first_break = next(find_chain_breaks(), None)
        if first_break is not None:
            raise CommandError(
                f"Audit log broken at event {first_break.event_id}: {first_break.reason}."
            )
        self.stdout.write(f"Audit log intact: {AuditEvent.objects.count()} events verified.")
