"""Distance in the database, the same on SQLite and PostgreSQL.

`within_miles` keeps the rows of a queryset within a number of miles of a point and annotates
each with `distance_miles`. Two steps:

1. A bounding box on the coordinates (`latitude BETWEEN … AND longitude BETWEEN …`), a range a
   composite index on (latitude, longitude) can serve, so only nearby rows are read.
2. Inside the box, the equirectangular distance: east-west degrees are shortened by the cosine of
   the latitude halfway between the two points. That cosine is taken to first order around the
   search point, cos(φ0) − sin(φ0)·(φ − φ0)/2, with cos(φ0) and sin(φ0) worked out here in Python,
   so the SQL is only arithmetic (and a square root, which Django gives SQLite) and no database
   needs trigonometry or an extension such as PostGIS.

Error bound: against the haversine formula on the same sphere (radius 3,958.8 miles), the
distance is within 0.01 miles at 50 miles anywhere in Great Britain (latitudes 49.9° to 60.9°);
tests/jobs/test_geo.py checks it. That is far finer than a postcode district's centroid is.
"""

import math

from django.db.models import F, FloatField, QuerySet, Value
from django.db.models.functions import Sqrt

EARTH_RADIUS_MILES = 3958.8
MILES_PER_DEGREE = EARTH_RADIUS_MILES * math.pi / 180


def _scales(*, latitude: float) -> tuple[float, float]:
    """cos and sin of the search point's latitude, for the first-order midpoint cosine."""
    radians = math.radians(latitude)
    return math.cos(radians), math.sin(radians)


def within_miles(
    queryset: QuerySet,
    *,
    latitude: float,
    longitude: float,
    miles: float,
    lat_field: str = "latitude",
    lon_field: str = "longitude",
    order: bool = False,
) -> QuerySet:
    """The rows of `queryset` at most `miles` from the point, each annotated with
    `distance_miles`; nearest first when `order` is true. Rows without coordinates are left out."""
    if miles <= 0:
        raise ValueError("miles must be more than 0")
    cos0, sin0 = _scales(latitude=latitude)
    lat_span = miles / MILES_PER_DEGREE
    # The east-west extent is widest where the midpoint cosine is smallest: at the box's edge
    # furthest from the equator. A thousandth more keeps rounding from cutting the circle.
    narrowest = cos0 - abs(sin0) * math.radians(lat_span) / 2
    lon_span = min(180.0, miles / (MILES_PER_DEGREE * max(narrowest, 1e-6)) * 1.001)

    north_south = (F(lat_field) - Value(latitude)) * Value(MILES_PER_DEGREE)
    midpoint_cosine = Value(cos0) - Value(sin0 * math.pi / 360) * (F(lat_field) - Value(latitude))
    east_west = (F(lon_field) - Value(longitude)) * Value(MILES_PER_DEGREE) * midpoint_cosine
    squared = north_south * north_south + east_west * east_west

    rows = (
        queryset.filter(
            **{
                f"{lat_field}__range": (latitude - lat_span * 1.001, latitude + lat_span * 1.001),
                f"{lon_field}__range": (longitude - lon_span, longitude + lon_span),
            }
        )
        .alias(_distance_squared=squared)
        .filter(_distance_squared__lte=miles * miles)
        .annotate(distance_miles=Sqrt(squared, output_field=FloatField()))
    )
    return rows.order_by("distance_miles") if order else rows


def haversine_miles(
    latitude: float, longitude: float, other_latitude: float, other_longitude: float
) -> float:
    """The great-circle distance on the same sphere, in Python: the yardstick the tests hold
    `within_miles` to, and a way to show one distance without a query."""
    phi1, phi2 = math.radians(latitude), math.radians(other_latitude)
    half_dphi = (phi2 - phi1) / 2
    half_dlambda = math.radians(other_longitude - longitude) / 2
    h = math.sin(half_dphi) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(half_dlambda) ** 2
    return 2 * EARTH_RADIUS_MILES * math.asin(math.sqrt(min(1.0, h)))
