import io
import shlex
import time
import traceback

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import close_old_connections
from django.utils import timezone


class Command(BaseCommand):
    help = (
        "Run the scheduled commands (settings.PERIODIC_COMMANDS: the consultation clock, "
        "renewal reminders, lapsing...) now, then again every --every seconds until stopped. "
        "A command that fails is reported and the others still run. `make run` runs this "
        "beside the task worker; in production use cron or your scheduler instead."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--every",
            type=int,
            default=60,
            metavar="SECONDS",
            help="Seconds to wait between rounds (default 60).",
        )
        parser.add_argument(
            "--once",
            action="store_true",
            help="Run one round and stop; exit non-zero if any command failed.",
        )

    def handle(self, *args, every, once, verbosity, **options):
        if every < 1:
            raise CommandError("--every must be at least 1 second.")
        while True:
            failed = self.run_round(verbosity=verbosity)
            if once:
                if failed:
                    raise CommandError(f"Failed: {', '.join(failed)}.")
                return
            # The loop lives for hours: a connection the database dropped between rounds would
            # fail every later one. (Not in --once, which may run inside a test's transaction.)
            close_old_connections()
            try:
                time.sleep(every)
            except KeyboardInterrupt:
                return

    def run_round(self, *, verbosity: int) -> list[str]:
        """Run each command once; the names of those that failed."""
        failed = []
        for line in settings.PERIODIC_COMMANDS:
            name, *arguments = shlex.split(line)
            output = io.StringIO()
            try:
                call_command(name, *arguments, stdout=output, stderr=output)
            except Exception:  # noqa: BLE001 - one failing command must not stop the others
                failed.append(name)
                self.stderr.write(f"{self._now()} {name} failed:\n{traceback.format_exc()}")
                continue
            lines = output.getvalue().strip().splitlines()
            # Each command ends with one summary line; more than that means it did something.
            if verbosity >= 2 or (verbosity >= 1 and len(lines) > 1):
                for text in lines:
                    self.stdout.write(f"{self._now()} {name}: {text}")
        return failed

    @staticmethod
    def _now() -> str:
        return timezone.localtime().strftime("%H:%M:%S")
