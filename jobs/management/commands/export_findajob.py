from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from jobs.services.findajob import findajob_export


def _expiries_path(out: Path) -> Path:
    return out.with_name(f"{out.stem}-expire{out.suffix or '.xml'}")


class Command(BaseCommand):
    help = (
        "Write the day's bulk-upload files for DWP Find a Job: --out FILE gets the new and "
        "edited adverts, and FILE-expire.xml beside it the adverts to take down (ADR 0032). "
        "Run nightly, then upload both to Find a Job's SFTP server; safe to run again the same "
        "day, when it writes the same files with anything changed since."
    )

    def add_arguments(self, parser):
        parser.add_argument("--out", type=Path, help="Where to write the adverts file.")
        parser.add_argument(
            "--expiries-out",
            type=Path,
            help="Where to write the expiries file (default: beside --out, ending -expire).",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Say what would be sent; record nothing and write no file.",
        )
        parser.add_argument(
            "--today",
            type=date.fromisoformat,
            help="Act as if today were this date (YYYY-MM-DD). Defaults to today.",
        )

    def handle(self, *args, out, expiries_out, dry_run, today, **options):
        if out is None and not dry_run:
            raise CommandError("Give --out FILE (or --dry-run to only see what would be sent).")
        run = findajob_export(today=today or timezone.localdate(), dry_run=dry_run)
        verb = "would " if dry_run else ""
        for label, references in (
            ("post", run.posted),
            ("update", run.updated),
            ("expire", run.expired),
        ):
            for reference in references:
                self.stdout.write(f"{verb}{label} {reference}")
        if not dry_run:
            expiries_out = expiries_out or _expiries_path(out)
            out.write_bytes(run.adverts_xml)
            expiries_out.write_bytes(run.expiries_xml)
            self.stdout.write(
                f"Wrote {run.adverts_in_file} advert(s) to {out} and "
                f"{run.expiries_in_file} expiry(ies) to {expiries_out}."
            )
        self.stdout.write(
            f"{len(run.posted)} posted, {len(run.updated)} updated, {len(run.expired)} expired "
            f"{'would be sent' if dry_run else 'this run'} for {run.day.isoformat()}."
        )
