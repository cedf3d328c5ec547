"""Finding vacancies: one search for the /jobs/ page, job alerts and the API.

The interface other parts build on:

- `VacancySearchForm(data)` reads GET parameters (a QueryDict, or a plain dict whose values
  are strings, or lists of strings for `contract`):

  ============  ============================================================================
  keyword       words to find in the title, workplace, town, employer, role and setting;
                every word must start a word there, in any case, with or without accents and
                apostrophes ("lodz" finds "Łódź", "obrien" and "o'brien" find "O'Brien")
  where         a full postcode, a postcode district or a town (jobs.places.place_find)
  miles         5, 10, 25 or 50; 10 when `where` is given without it
  role          a Care Workforce Pathway role, by its code ("care-worker") or its id
  setting       one of Vacancy.Setting ("home_care")
  contract      one or more of Vacancy.Contract; repeat the parameter for more than one
  min_pay       the lowest hourly pay in pounds ("12.50", "£12.50"), compared with the
                hourly rate a worker can count on (`Vacancy.search_hourly_pay`)
  hours         full_time (30 or more typical hours a week), part_time (fewer than 30), or
                guaranteed_full_time (30 or more hours a week guaranteed by the contract)
  no_driving    true: only jobs that need no driving licence and car
  travel_paid   true: no home care job whose travel time between visits is unpaid
  paid_trial    true: only jobs with a paid trial
  sponsorship   true: only jobs that offer an in-country visa switch
  sort          distance (the default with `where`), newest (the default without) or pay
  ============  ============================================================================

  Bad input gives form errors in words, field by field; a place that cannot be found says so.
  When a town's name is shared, `form.place_note` says which one was used. `form.criteria()`
  is the cleaned search, for `vacancy_search`: the same keys, with `where` a `Place`, `role` a
  `PathwayRole`, `contract` a list, `min_pay` a Decimal, `miles` an int, the flags booleans.

- `vacancy_search(*, criteria, published_after=None)` is a QuerySet of live vacancies (published,
  closing date not passed) that match, in the order asked, each annotated with
  `distance_miles` (a float, or None when no place was given). A QuerySet rather than a list,
  so that a page or the API paginates it in SQL and job alerts can count or slice it;
  `published_after` keeps only vacancies published after that moment (an alert's new matches).

- `VacancyPool(vacancies)` (or `VacancyPool.read(...)`, the live vacancies published in a span)
  searches vacancies already read, in Python: `pool.search(criteria)` is what `vacancy_search`
  gives over them, as a list. Job alerts read the day's new vacancies once and search them so
  for each saved search, instead of one query each; tests/jobs/test_search_pool.py holds the
  two to the same answers.

- `vacancy_search_columns(vacancy)` works out the columns search reads from a vacancy's terms.

- `criteria_params(criteria)` turns criteria back into GET parameters (to save a search, or to
  link to a page of results), and `criteria_describe(criteria)` says them in a sentence
  ("Care worker jobs within 10 miles of LS1, paying at least £12.50 an hour").

Distance is jobs.geo.within_miles: a bounding box on the indexed (status, latitude, longitude)
and then the equirectangular distance, all in SQL, the same on SQLite and PostgreSQL. Filters
and sorts on pay and words read the columns jobs/services/vacancies.py keeps
(`search_hourly_pay`, `search_text`), so nothing is worked out row by row in Python.
"""

import bisect
import copy
import datetime
import math
import re
from collections.abc import Callable, Iterable
from decimal import Decimal, InvalidOperation

from django import forms
from django.db.models import F, FloatField, Q, QuerySet, Value
from django.utils import timezone

from core.names import name_search_form, normalise_name
from jobs.geo import MILES_PER_DEGREE, _scales, within_miles
from jobs.models import Place, Vacancy
from jobs.pay import vacancy_effective_hourly_rate
from jobs.places import place_find
from register.models import PathwayRole

MILES = (5, 10, 25, 50)
DEFAULT_MILES = 10
FULL_TIME_HOURS = 30


class Hours:
    FULL_TIME = "full_time"
    PART_TIME = "part_time"
    GUARANTEED_FULL_TIME = "guaranteed_full_time"
    CHOICES = [
        (FULL_TIME, "Full time: 30 hours a week or more"),
        (PART_TIME, "Part time: under 30 hours a week"),
        (GUARANTEED_FULL_TIME, "30 hours a week or more, guaranteed by the contract"),
    ]


class Sort:
    DISTANCE = "distance"
    NEWEST = "newest"
    PAY = "pay"
    CHOICES = [(DISTANCE, "Distance"), (NEWEST, "Newest"), (PAY, "Pay")]


# The flags a search can ask for, with what each keeps, as the form and the sentence say them.
FLAGS = {
    "no_driving": "No driving licence or car needed",
    "travel_paid": "Travel time between visits paid (or no travel)",
    "paid_trial": "Paid trial offered",
    "sponsorship": "In-country visa switch offered",
}

# Words people add to a job search that no advert is titled with.
_FILLER_WORDS = {"job", "jobs", "vacancy", "vacancies", "a", "an", "the", "and", "of", "in", "for"}
_MONEY = re.compile(r"^£?\s*([0-9]{1,4}(?:\.[0-9]{1,2})?)$")
_HIGHEST_MIN_PAY = Decimal("1000")


def vacancy_search_text(vacancy: Vacancy) -> str:
    """The words a keyword search matches for this vacancy, folded (core.names)."""
    parts = [
        vacancy.title,
        vacancy.workplace_name,
        vacancy.town,
        vacancy.organisation.name if vacancy.organisation_id else "",
        vacancy.pathway_role.title if vacancy.pathway_role_id else "",
        vacancy.get_setting_display() if vacancy.setting else "",
    ]
    text = " ".join(name_search_form(part) for part in parts if part)
    max_length = Vacancy._meta.get_field("search_text").max_length
    return text[:max_length].rsplit(" ", 1)[0] if len(text) > max_length else text


def vacancy_search_pay(vacancy: Vacancy) -> Decimal | None:
    """The hourly rate search filters and sorts on: what a worker can count on for each hour
    they give (the effective rate after unpaid travel, a band's lowest rate, annual pay over
    typical hours × 52.14 weeks, as jobs.pay says); None while the pay is not given."""
    return vacancy_effective_hourly_rate(vacancy)


def vacancy_search_place(vacancy: Vacancy) -> Place | None:
    """Where the vacancy is on a map: its postcode (or, when the full postcode is not loaded,
    its district), else its town; None when neither can be found."""
    place = place_find(vacancy.postcode) if vacancy.postcode else None
    if place is None and vacancy.town:
        place = place_find(vacancy.town)
    return place


def vacancy_search_columns(vacancy: Vacancy) -> dict:
    """The values of the columns search reads, worked out from the vacancy's terms; kept by
    jobs/services/vacancies.py whenever they change."""
    place = vacancy_search_place(vacancy)
    return {
        "latitude": place.latitude if place else None,
        "longitude": place.longitude if place else None,
        "search_hourly_pay": vacancy_search_pay(vacancy),
        "search_text": vacancy_search_text(vacancy),
    }


def _bool(value) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in ("1", "true", "yes", "on")
    return bool(value)


class _FlagField(forms.BooleanField):
    """A checkbox that also reads "true"/"false", "yes"/"no" and "1"/"0" from the API."""

    def to_python(self, value):
        return _bool(value)


class VacancySearchForm(forms.Form):
    """The search's parameters, as GET sends them; see the module's docstring."""

    keyword = forms.CharField(
        label="Keywords", max_length=100, required=False, help_text="For example, night carer"
    )
    where = forms.CharField(
        label="Postcode or town",
        max_length=100,
        required=False,
        help_text="A full postcode, the first half of one (like LS1), or a town",
    )
    miles = forms.TypedChoiceField(
        label="Distance",
        choices=[(str(m), f"Within {m} miles") for m in MILES],
        coerce=int,
        empty_value=None,
        required=False,
    )
    role = forms.CharField(label="Role", required=False, widget=forms.Select)
    setting = forms.ChoiceField(
        label="Setting",
        choices=[("", "Any setting"), *Vacancy.Setting.choices],
        required=False,
    )
    contract = forms.MultipleChoiceField(
        label="Contract",
        choices=Vacancy.Contract.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    min_pay = forms.CharField(
        label="Lowest hourly pay",
        max_length=10,
        required=False,
        help_text="In pounds, for example 12.50",
    )
    hours = forms.ChoiceField(
        label="Hours", choices=[("", "Any hours"), *Hours.CHOICES], required=False
    )
    no_driving = _FlagField(label=FLAGS["no_driving"], required=False)
    travel_paid = _FlagField(label=FLAGS["travel_paid"], required=False)
    paid_trial = _FlagField(label=FLAGS["paid_trial"], required=False)
    sponsorship = _FlagField(label=FLAGS["sponsorship"], required=False)
    sort = forms.ChoiceField(label="Sort by", choices=Sort.CHOICES, required=False)

    def __init__(self, data=None, *args, **kwargs):
        if data is not None and not data.get("miles"):
            # Shown as chosen, so the page says the distance it searched.
            data = data.copy()
            data["miles"] = str(DEFAULT_MILES)
        super().__init__(data, *args, **kwargs)
        self.place_note = ""
        self.fields["miles"].error_messages["invalid_choice"] = (
            "Choose a distance of 5, 10, 25 or 50 miles."
        )
        self.fields["setting"].error_messages["invalid_choice"] = "Choose a setting from the list."
        self.fields["contract"].error_messages["invalid_choice"] = (
            "Choose contracts from the list: permanent, fixed term, bank or no guaranteed hours."
        )
        self.fields["hours"].error_messages["invalid_choice"] = "Choose hours from the list."
        self.fields["sort"].error_messages["invalid_choice"] = "Sort by distance, newest or pay."
        roles = []

        def role_choices():
            # Read when the form is drawn, and once: a form that is only read (job alerts parse
            # thousands of saved searches a run) never needs the list.
            if not roles:
                roles.append(("", "Any role"))
                roles.extend(
                    (role.code, role.title) for role in PathwayRole.objects.filter(is_active=True)
                )
            return roles

        self.fields["role"].widget.choices = role_choices

    def clean_keyword(self) -> str:
        return " ".join(self.cleaned_data["keyword"].split())

    def clean_where(self) -> Place | None:
        text = " ".join(self.cleaned_data["where"].split())
        if not text:
            return None
        place = place_find(text)
        if place is None:
            raise forms.ValidationError(
                f"We could not find {text}. Try a full postcode or a town name."
            )
        if place.kind == Place.Kind.TOWN and place.namesakes:
            others = place.namesakes
            where = f"{place.name}, {place.area}" if place.area else place.name
            self.place_note = (
                f"Showing jobs near {where}. There {'is' if others == 1 else 'are'} {others} "
                f"other place{'' if others == 1 else 's'} called {place.name}: type a postcode "
                "to search near another."
            )
        return place

    def clean_role(self) -> PathwayRole | None:
        text = self.cleaned_data["role"].strip()
        if not text:
            return None
        roles = PathwayRole.objects.all()
        role = roles.filter(pk=int(text)).first() if text.isdigit() else None
        role = role or roles.filter(code=text.lower()).first()
        if role is None:
            raise forms.ValidationError("Choose a role from the list.")
        return role

    def clean_min_pay(self) -> Decimal | None:
        text = self.cleaned_data["min_pay"].replace(",", "").strip()
        if not text:
            return None
        match = _MONEY.match(text)
        try:
            amount = Decimal(match.group(1)) if match else None
        except InvalidOperation:
            amount = None
        if amount is None or amount <= 0 or amount >= _HIGHEST_MIN_PAY:
            raise forms.ValidationError(
                "Enter the lowest hourly pay in pounds, like 12.50, or leave it empty."
            )
        return amount

    def clean(self):
        cleaned = super().clean()
        place = cleaned.get("where")
        if place is not None and not cleaned.get("miles"):
            cleaned["miles"] = DEFAULT_MILES
        if place is None:
            cleaned["miles"] = None
        sort = cleaned.get("sort")
        if sort == Sort.DISTANCE and place is None and "where" not in self.errors:
            self.add_error("sort", "Enter a postcode or town to sort by distance.")
        elif not sort:
            cleaned["sort"] = Sort.DISTANCE if place is not None else Sort.NEWEST
        return cleaned

    def criteria(self) -> dict:
        """The cleaned search for `vacancy_search`; only for a valid form."""
        if not self.is_valid():
            raise ValueError("A search with errors has no criteria.")
        return dict(self.cleaned_data)


def _keyword_words(keyword: str) -> list[str]:
    words = [word for word in normalise_name(keyword).split() if word not in _FILLER_WORDS]
    return list(dict.fromkeys(words))


def vacancy_search(*, criteria: dict, published_after: datetime.datetime | None = None) -> QuerySet:
    """The live vacancies matching `criteria` (from `VacancySearchForm.criteria()`), in its
    order, each with `distance_miles`; only those published after `published_after` if given."""
    rows = Vacancy.objects.filter(
        status=Vacancy.Status.PUBLISHED, closing_date__gte=timezone.localdate()
    ).select_related("organisation", "pathway_role")
    if published_after is not None:
        rows = rows.filter(published_at__gt=published_after)

    for word in _keyword_words(criteria.get("keyword") or ""):
        # The folded text is lower-case letters, digits and spaces only, so this is the same
        # match on SQLite (whose LIKE folds only ASCII) and PostgreSQL (whose LIKE folds none).
        rows = rows.filter(Q(search_text__startswith=word) | Q(search_text__contains=f" {word}"))
    if criteria.get("role"):
        rows = rows.filter(pathway_role=criteria["role"])
    if criteria.get("setting"):
        rows = rows.filter(setting=criteria["setting"])
    if criteria.get("contract"):
        rows = rows.filter(contract__in=criteria["contract"])
    if criteria.get("min_pay") is not None:
        rows = rows.filter(search_hourly_pay__gte=criteria["min_pay"])
    hours = criteria.get("hours")
    if hours == Hours.FULL_TIME:
        rows = rows.filter(typical_hours__gte=FULL_TIME_HOURS)
    elif hours == Hours.PART_TIME:
        rows = rows.filter(typical_hours__lt=FULL_TIME_HOURS)
    elif hours == Hours.GUARANTEED_FULL_TIME:
        rows = rows.filter(guaranteed_hours__gte=FULL_TIME_HOURS)
    if criteria.get("no_driving"):
        rows = rows.filter(driving_needed=False)
    if criteria.get("travel_paid"):
        # Travel is asked only of home care: every other setting has none to be unpaid.
        rows = rows.exclude(setting=Vacancy.Setting.HOME_CARE, travel_time_paid=False)
    if criteria.get("paid_trial"):
        rows = rows.filter(paid_trial_offered=True)
    if criteria.get("sponsorship"):
        rows = rows.filter(visa_sponsorship=Vacancy.VisaSponsorship.IN_COUNTRY_SWITCH)

    place = criteria.get("where")
    if place is not None:
        rows = within_miles(
            rows,
            latitude=place.latitude,
            longitude=place.longitude,
            miles=criteria.get("miles") or DEFAULT_MILES,
        )
    else:
        rows = rows.annotate(distance_miles=Value(None, output_field=FloatField()))

    sort = criteria.get("sort") or (Sort.DISTANCE if place is not None else Sort.NEWEST)
    newest = [F("published_at").desc(nulls_last=True), "-id"]
    if sort == Sort.DISTANCE and place is not None:
        return rows.order_by("distance_miles", *newest)
    if sort == Sort.PAY:
        return rows.order_by(F("search_hourly_pay").desc(nulls_last=True), *newest)
    return rows.order_by(*newest)


# What VacancyPool reads of a vacancy: the columns vacancy_search matches and orders on, and
# those a job alert's digest shows (templates/emails/jobs/alert_digest_body.txt).
POOL_COLUMNS = (
    "id",
    "reference",
    "status",
    "closing_date",
    "published_at",
    "title",
    "workplace_name",
    "town",
    "contract",
    "setting",
    "pathway_role",
    "search_text",
    "search_hourly_pay",
    "typical_hours",
    "guaranteed_hours",
    "driving_needed",
    "travel_time_paid",
    "paid_trial_offered",
    "visa_sponsorship",
    "latitude",
    "longitude",
)


def _checks(criteria: dict) -> list[Callable[[Vacancy], bool]]:
    """vacancy_search's filters, each as a test of one vacancy, in the same words: a column
    that is NULL matches no comparison, as in SQL."""
    checks = []
    if criteria.get("setting"):
        setting = criteria["setting"]
        checks.append(lambda row: row.setting == setting)
    if criteria.get("role"):
        role_id = criteria["role"].pk
        checks.append(lambda row: row.pathway_role_id == role_id)
    if criteria.get("contract"):
        contracts = frozenset(criteria["contract"])
        checks.append(lambda row: row.contract in contracts)
    if criteria.get("min_pay") is not None:
        least = criteria["min_pay"]
        checks.append(
            lambda row: row.search_hourly_pay is not None and row.search_hourly_pay >= least
        )
    hours = criteria.get("hours")
    if hours == Hours.FULL_TIME:
        checks.append(
            lambda row: row.typical_hours is not None and row.typical_hours >= FULL_TIME_HOURS
        )
    elif hours == Hours.PART_TIME:
        checks.append(
            lambda row: row.typical_hours is not None and row.typical_hours < FULL_TIME_HOURS
        )
    elif hours == Hours.GUARANTEED_FULL_TIME:
        checks.append(
            lambda row: row.guaranteed_hours is not None and row.guaranteed_hours >= FULL_TIME_HOURS
        )
    if criteria.get("no_driving"):
        checks.append(lambda row: row.driving_needed is False)
    if criteria.get("travel_paid"):
        # SQL's exclude keeps a NULL travel_time_paid: only a home care job saying False goes.
        checks.append(
            lambda row: (
                not (row.setting == Vacancy.Setting.HOME_CARE and row.travel_time_paid is False)
            )
        )
    if criteria.get("paid_trial"):
        checks.append(lambda row: row.paid_trial_offered is True)
    if criteria.get("sponsorship"):
        checks.append(lambda row: row.visa_sponsorship == Vacancy.VisaSponsorship.IN_COUNTRY_SWITCH)
    for word in _keyword_words(criteria.get("keyword") or ""):
        spaced = f" {word}"
        checks.append(
            lambda row, word=word, spaced=spaced: (
                row.search_text.startswith(word) or spaced in row.search_text
            )
        )
    return checks


def _in_order(rows: list[Vacancy], *, sort: str, by_distance: bool) -> list[Vacancy]:
    """vacancy_search's order: Python's sort is stable, so the last key is sorted first."""
    rows.sort(key=lambda row: row.pk, reverse=True)
    # Newest first with the unpublished last, as NULLS LAST does.
    rows.sort(key=lambda row: (row.published_at is not None, row.published_at or 0), reverse=True)
    if sort == Sort.DISTANCE and by_distance:
        rows.sort(key=lambda row: row.distance_miles)
    elif sort == Sort.PAY:
        rows.sort(
            key=lambda row: (row.search_hourly_pay is not None, row.search_hourly_pay or 0),
            reverse=True,
        )
    return rows


class VacancyPool:
    """Vacancies read once, then searched many times in Python: `pool.search(criteria)` is what
    `vacancy_search(criteria=criteria)` gives over these vacancies (the same matches, each a
    copy with its `distance_miles`, in the same order) without a query. Job alerts search the
    day's new vacancies so for thousands of saved searches a run;
    tests/jobs/test_search_pool.py holds the two to the same answers on random searches.

    Distance is jobs.geo's equirectangular formula, worked out in the same steps as its SQL so
    that the same floating-point numbers come out. Its bounding box is left out: it only ever
    keeps more than the circle, and the circle is tested here exactly."""

    def __init__(
        self,
        vacancies: Iterable[Vacancy],
        *,
        today: datetime.date | None = None,
        published_after: datetime.datetime | None = None,
    ):
        today = today or timezone.localdate()
        # Read by `read`: every live vacancy published after this moment is in the pool.
        self.published_after = published_after
        self.live = [
            row
            for row in vacancies
            if row.status == Vacancy.Status.PUBLISHED
            and row.closing_date is not None
            and row.closing_date >= today
        ]
        # By latitude, so a search near a place looks only at the band a circle can reach.
        self._by_latitude = sorted(
            (row for row in self.live if row.latitude is not None and row.longitude is not None),
            key=lambda row: row.latitude,
        )
        self._latitudes = [row.latitude for row in self._by_latitude]
        self._near: dict[tuple[float, float, int] | None, list[Vacancy]] = {}

    @classmethod
    def read(
        cls,
        *,
        published_after: datetime.datetime,
        published_before: datetime.datetime,
        most: int,
    ) -> "VacancyPool":
        """The live vacancies published after one moment and not after another, with only the
        columns search and a digest read. When more than `most` were, only the newest: the pool's
        `published_after` then says from when it holds them all."""
        rows = list(
            Vacancy.objects.filter(
                status=Vacancy.Status.PUBLISHED,
                closing_date__gte=timezone.localdate(),
                published_at__gt=published_after,
                published_at__lte=published_before,
            )
            .only(*POOL_COLUMNS)
            .order_by("-published_at", "-id")[: most + 1]
        )
        if len(rows) <= most:
            return cls(rows, published_after=published_after)
        # Every vacancy left unread was published at or before the first one not kept, and so
        # may be some of the same moment: the pool holds those published after it, all of them.
        cut = rows[most].published_at
        return cls([row for row in rows if row.published_at > cut], published_after=cut)

    def _within(self, *, latitude: float, longitude: float, miles: int) -> list[Vacancy]:
        """The live vacancies within `miles` of the point, each a copy with `distance_miles`,
        as jobs.geo.within_miles finds them in SQL; kept for the searches that follow."""
        key = (latitude, longitude, miles)
        if key in self._near:
            return self._near[key]
        cos0, sin0 = _scales(latitude=latitude)
        midpoint_slope = sin0 * math.pi / 360
        band = miles / MILES_PER_DEGREE * 1.001
        first = bisect.bisect_left(self._latitudes, latitude - band)
        last = bisect.bisect_right(self._latitudes, latitude + band)
        limit = miles * miles
        found = []
        for row in self._by_latitude[first:last]:
            # The same operations, in the same order, as jobs.geo's SQL expression.
            north_south = (row.latitude - latitude) * MILES_PER_DEGREE
            midpoint_cosine = cos0 - midpoint_slope * (row.latitude - latitude)
            east_west = (row.longitude - longitude) * MILES_PER_DEGREE * midpoint_cosine
            squared = north_south * north_south + east_west * east_west
            if squared <= limit:
                near = copy.copy(row)
                near.distance_miles = math.sqrt(squared)
                found.append(near)
        self._near[key] = found
        return found

    def _anywhere(self) -> list[Vacancy]:
        if None not in self._near:
            anywhere = []
            for row in self.live:
                row = copy.copy(row)
                row.distance_miles = None
                anywhere.append(row)
            self._near[None] = anywhere
        return self._near[None]

    def search(
        self, criteria: dict, *, published_after: datetime.datetime | None = None
    ) -> list[Vacancy]:
        """What vacancy_search(criteria=criteria, published_after=published_after) gives over
        the pool's vacancies, as a list."""
        place = criteria.get("where")
        if place is not None:
            rows = self._within(
                latitude=place.latitude,
                longitude=place.longitude,
                miles=criteria.get("miles") or DEFAULT_MILES,
            )
        else:
            rows = self._anywhere()
        if published_after is not None:
            rows = [
                row
                for row in rows
                if row.published_at is not None and row.published_at > published_after
            ]
        for check in _checks(criteria):
            rows = [row for row in rows if check(row)]
        sort = criteria.get("sort") or (Sort.DISTANCE if place is not None else Sort.NEWEST)
        return _in_order(list(rows), sort=sort, by_distance=place is not None)


def criteria_params(criteria: dict) -> dict[str, str | list[str]]:
    """The GET parameters that give `criteria` again (for a saved search, or a page link);
    empty ones left out. A place is written as it was found (its postcode, district or town)."""
    params: dict[str, str | list[str]] = {}
    if criteria.get("keyword"):
        params["keyword"] = criteria["keyword"]
    place = criteria.get("where")
    if place is not None:
        params["where"] = place.name
        params["miles"] = str(criteria.get("miles") or DEFAULT_MILES)
    if criteria.get("role"):
        params["role"] = criteria["role"].code
    for name in ("setting", "hours", "sort"):
        if criteria.get(name):
            params[name] = criteria[name]
    if criteria.get("contract"):
        params["contract"] = list(criteria["contract"])
    if criteria.get("min_pay") is not None:
        params["min_pay"] = f"{criteria['min_pay']:.2f}"
    for flag in FLAGS:
        if criteria.get(flag):
            params[flag] = "true"
    return params


def criteria_describe(criteria: dict) -> str:
    """The search in a sentence, for a saved search or an alert's email."""
    role = criteria.get("role")
    what = f"{role.title} jobs" if role else "Jobs"
    if criteria.get("keyword"):
        what += f" matching “{criteria['keyword']}”"
    place = criteria.get("where")
    if place is not None:
        what += f" within {criteria.get('miles') or DEFAULT_MILES} miles of {place.name}"
    terms = []
    if criteria.get("setting"):
        terms.append(Vacancy.Setting(criteria["setting"]).label.lower())
    if criteria.get("contract"):
        terms.append(" or ".join(Vacancy.Contract(c).label.lower() for c in criteria["contract"]))
    if criteria.get("min_pay") is not None:
        terms.append(f"paying at least £{criteria['min_pay']:.2f} an hour")
    if criteria.get("hours"):
        terms.append(dict(Hours.CHOICES)[criteria["hours"]].lower())
    terms += [label.lower() for flag, label in FLAGS.items() if criteria.get(flag)]
    return ", ".join([what, *terms])
