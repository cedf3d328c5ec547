"""Distance in the database (jobs/geo.py): the bounding box an index serves, then the
equirectangular distance, held to the haversine formula within its stated bound."""

import math

import pytest
from django.db import connection

from jobs.geo import EARTH_RADIUS_MILES, haversine_miles, within_miles
from jobs.models import Place

pytestmark = pytest.mark.django_db

LEEDS = (53.7997, -1.5492)
YORK = (53.9590, -1.0815)
MANCHESTER = (53.4808, -2.2426)
LONDON = (51.5074, -0.1278)


def town(name, latitude, longitude):
    return Place.objects.create(
        kind="town", key=name.lower(), name=name, latitude=latitude, longitude=longitude,
        source="test",
    )  # fmt: skip


@pytest.fixture
def towns():
    for name, (latitude, longitude) in {
        "Leeds": LEEDS, "York": YORK, "Manchester": MANCHESTER, "London": LONDON,
    }.items():  # fmt: skip
        town(name, latitude, longitude)


def near_leeds(miles, **kwargs):
    rows = within_miles(
        Place.objects.all(), latitude=LEEDS[0], longitude=LEEDS[1], miles=miles, **kwargs
    )
    return {place.name: place.distance_miles for place in rows}


def test_york_is_about_22_miles_from_leeds_and_manchester_about_36(towns):
    found = near_leeds(50)

    assert set(found) == {"Leeds", "York", "Manchester"}
    assert found["Leeds"] == pytest.approx(0, abs=1e-9)
    assert found["York"] == pytest.approx(21.6, abs=0.5)
    assert found["Manchester"] == pytest.approx(35.9, abs=0.5)
    assert found["York"] == pytest.approx(haversine_miles(*LEEDS, *YORK), abs=0.01)
    assert found["Manchester"] == pytest.approx(haversine_miles(*LEEDS, *MANCHESTER), abs=0.01)


@pytest.mark.parametrize(
    ("miles", "expected"),
    [(5, {"Leeds"}), (25, {"Leeds", "York"}), (50, {"Leeds", "York", "Manchester"})],
)
def test_only_places_within_the_distance_are_kept(towns, miles, expected):
    assert set(near_leeds(miles)) == expected


def test_results_come_nearest_first_when_asked(towns):
    assert list(near_leeds(200, order=True)) == ["Leeds", "York", "Manchester", "London"]


def test_it_keeps_the_querysets_own_filters_and_takes_the_coordinate_fields_by_name(towns):
    rows = within_miles(
        Place.objects.exclude(name="Leeds"),
        latitude=YORK[0],
        longitude=YORK[1],
        miles=25,
        lat_field="latitude",
        lon_field="longitude",
    )
    assert [place.name for place in rows] == ["York"]


def test_a_distance_that_is_not_positive_is_refused():
    with pytest.raises(ValueError, match="miles must be more than 0"):
        within_miles(Place.objects.all(), latitude=LEEDS[0], longitude=LEEDS[1], miles=0)


def destination(latitude, longitude, miles, bearing_degrees):
    """The point `miles` from the start along a bearing, on the haversine's sphere."""
    phi1, lambda1 = math.radians(latitude), math.radians(longitude)
    bearing, angle = math.radians(bearing_degrees), miles / EARTH_RADIUS_MILES
    phi2 = math.asin(
        math.sin(phi1) * math.cos(angle) + math.cos(phi1) * math.sin(angle) * math.cos(bearing)
    )
    lambda2 = lambda1 + math.atan2(
        math.sin(bearing) * math.sin(angle) * math.cos(phi1),
        math.cos(angle) - math.sin(phi1) * math.sin(phi2),
    )
    return math.degrees(phi2), math.degrees(lambda2)


@pytest.mark.parametrize("latitude", [49.9, 52.5, 55.0, 58.6, 60.9])
def test_at_50_miles_the_distance_is_within_a_hundredth_of_a_mile_of_the_haversine(latitude):
    """The bound the module's docstring states, from the south of Cornwall to Shetland, in
    every direction; the points sit just inside 50 miles, so the box must not cut any off."""
    longitude = -2.0
    for bearing in range(0, 360, 10):
        town(f"b{bearing}", *destination(latitude, longitude, 49.99, bearing))

    rows = list(within_miles(Place.objects.all(), latitude=latitude, longitude=longitude, miles=50))

    assert len(rows) == 36
    for place in rows:
        exact = haversine_miles(latitude, longitude, place.latitude, place.longitude)
        assert place.distance_miles == pytest.approx(exact, abs=0.01)


def test_the_bounding_box_leaves_out_a_point_just_beyond_the_distance_in_any_direction():
    for bearing in range(0, 360, 45):
        town(f"b{bearing}", *destination(*LEEDS, 50.05, bearing))

    assert not within_miles(Place.objects.all(), latitude=LEEDS[0], longitude=LEEDS[1], miles=50)


def test_the_query_has_a_bounding_box_on_the_coordinates_that_the_index_serves(towns):
    rows = within_miles(Place.objects.all(), latitude=LEEDS[0], longitude=LEEDS[1], miles=25)
    sql = str(rows.query)

    assert '"jobs_place"."latitude" BETWEEN' in sql
    assert '"jobs_place"."longitude" BETWEEN' in sql
    if connection.vendor == "postgresql":
        # A handful of rows is cheaper to scan; forbid that to see the index is usable.
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")
    plan = rows.explain()
    assert "jobs_place_lat_lon_idx" in plan
