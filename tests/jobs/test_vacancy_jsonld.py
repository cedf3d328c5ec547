"""Every vacancy page carries a schema.org JobPosting in JSON-LD with the properties Google's
job search asks for, and text the employer typed cannot break out of its <script>."""

import datetime
import json
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from django.utils import timezone

from jobs.jsonld import employment_types
from jobs.models import Place, Vacancy
from tests.factories import VacancyFactory

pytestmark = pytest.mark.django_db


class _Scripts(HTMLParser):
    """The text of every <script> element, by its type, as a browser's parser splits them."""

    def __init__(self):
        super().__init__()
        self.scripts: list[tuple[str, str]] = []
        self._type = None

    def handle_starttag(self, tag, attrs):
        if tag == "script":
            self._type = dict(attrs).get("type", "")
            self.scripts.append((self._type, ""))

    def handle_data(self, data):
        if self._type is not None:
            kind, text = self.scripts[-1]
            self.scripts[-1] = (kind, text + data)

    def handle_endtag(self, tag):
        if tag == "script":
            self._type = None


def _scripts(client, vacancy) -> list[tuple[str, str]]:
    parser = _Scripts()
    parser.feed(client.get(f"/jobs/{vacancy.reference}/").content.decode())
    return parser.scripts


def _job_posting(client, vacancy) -> dict:
    scripts = _scripts(client, vacancy)
    assert [kind for kind, _ in scripts] == ["application/ld+json"]
    return json.loads(scripts[0][1])


def test_the_page_carries_a_job_posting_with_every_property(client, settings):
    settings.SITE_URL = "https://register.example.org"
    Place.objects.create(
        kind=Place.Kind.TOWN,
        key="leeds",
        name="Leeds",
        latitude=53.8,
        longitude=-1.55,
        source="test",
        area="West Yorkshire",
    )
    vacancy = VacancyFactory(
        status=Vacancy.Status.PUBLISHED,
        organisation__name="Sunrise Care Homes",
        title="Care assistant",
        closing_date=datetime.date(2027, 7, 30),
        start_date=datetime.date(2027, 9, 1),
        published_at=datetime.datetime(2027, 6, 1, 9, 0, tzinfo=datetime.UTC),
        latitude=53.79,
        longitude=-1.54,
    )

    posting = _job_posting(client, vacancy)

    assert posting["@context"] == "https://schema.org/"
    assert posting["@type"] == "JobPosting"
    assert posting["title"] == "Care assistant"
    assert posting["datePosted"] == "2027-06-01"
    # The end of the closing day in UK time, British Summer Time in July.
    assert posting["validThrough"] == "2027-07-30T23:59:59+01:00"
    assert posting["employmentType"] == ["PART_TIME"]
    assert posting["hiringOrganization"] == {
        "@type": "Organization",
        "name": "Sunrise Care Homes",
    }
    assert posting["jobLocation"] == {
        "@type": "Place",
        "name": "Sunrise House",
        "address": {
            "@type": "PostalAddress",
            "streetAddress": "1 High Street",
            "addressLocality": "Leeds",
            "postalCode": "LS1 4AP",
            "addressCountry": "GB",
            "addressRegion": "West Yorkshire",
        },
        "geo": {"@type": "GeoCoordinates", "latitude": 53.79, "longitude": -1.54},
    }
    assert posting["baseSalary"] == {
        "@type": "MonetaryAmount",
        "currency": "GBP",
        "value": {"@type": "QuantitativeValue", "value": 13, "unitText": "HOUR"},
    }
    assert posting["directApply"] is True
    assert posting["identifier"] == {
        "@type": "PropertyValue",
        "name": "Sunrise Care Homes",
        "value": vacancy.reference,
    }
    assert posting["url"] == f"https://register.example.org/jobs/{vacancy.reference}/"
    assert posting["jobStartDate"] == "2027-09-01"
    # The description is HTML: the terms first, then the description, then safeguarding.
    description = posting["description"]
    assert description.startswith("<ul><li><strong>Pay:</strong> £13.00 an hour</li>")
    assert "<li><strong>Contract:</strong> Permanent</li>" in description
    terms_end = description.index("</ul>")
    assert terms_end < description.index("Support the people who live at Sunrise House")
    assert description.index("Support the people") < description.index(
        "We are committed to safeguarding"
    )


def test_a_band_and_annual_pay_are_given_as_ranges_and_years(client):
    band = VacancyFactory(
        status=Vacancy.Status.PUBLISHED,
        pay_kind=Vacancy.PayKind.HOURLY_BAND,
        pay_amount=Decimal("13.00"),
        pay_amount_to=Decimal("14.50"),
    )
    annual = VacancyFactory(
        status=Vacancy.Status.PUBLISHED,
        pay_kind=Vacancy.PayKind.ANNUAL,
        pay_amount=Decimal("28000"),
    )

    assert _job_posting(client, band)["baseSalary"]["value"] == {
        "@type": "QuantitativeValue",
        "minValue": 13,
        "maxValue": 14.5,
        "unitText": "HOUR",
    }
    assert _job_posting(client, annual)["baseSalary"]["value"] == {
        "@type": "QuantitativeValue",
        "value": 28000,
        "unitText": "YEAR",
    }


def test_the_home_care_description_gives_the_effective_rate(client):
    vacancy = VacancyFactory(status=Vacancy.Status.PUBLISHED, home_care=True)

    description = _job_posting(client, vacancy)["description"]

    assert (
        "£15.00 an hour paid, about £12.85 an hour once unpaid travel between visits is "
        "counted" in description
    )


def test_a_filled_vacancy_is_valid_only_until_it_was_filled(client, clock):
    clock.set(datetime.datetime(2027, 6, 10, 12, 0, tzinfo=datetime.UTC))
    vacancy = VacancyFactory(
        status=Vacancy.Status.FILLED,
        closing_date=datetime.date(2027, 7, 30),
        closed_at=timezone.now(),
    )

    assert _job_posting(client, vacancy)["validThrough"] == "2027-06-10T13:00:00+01:00"


def test_a_title_cannot_end_the_script_early(client):
    attack = "</script><script>alert(1)</script>"
    vacancy = VacancyFactory(
        status=Vacancy.Status.PUBLISHED,
        title=f"Carer {attack}",
        description=f"Nice job <!-- {attack}",
    )

    response = client.get(f"/jobs/{vacancy.reference}/")
    scripts = _scripts(client, vacancy)

    assert "<script>alert(1)" not in response.content.decode()
    assert [kind for kind, _ in scripts] == ["application/ld+json"]
    posting = json.loads(scripts[0][1])
    assert posting["title"] == f"Carer {attack}"
    # In the HTML description the typed text is escaped as well.
    assert "&lt;/script&gt;&lt;script&gt;alert(1)" in posting["description"]


@pytest.mark.parametrize(
    "contract, guaranteed, typical, expected",
    [
        ("permanent", "37.5", "37.5", ["FULL_TIME"]),
        ("permanent", "16", "30", ["PART_TIME"]),
        ("fixed_term", "35", "35", ["FULL_TIME", "TEMPORARY"]),
        ("fixed_term", "20", "20", ["PART_TIME", "TEMPORARY"]),
        ("bank", "0", "20", ["PER_DIEM"]),
        ("no_guaranteed_hours", "0", "40", ["PER_DIEM", "OTHER"]),
    ],
)
def test_employment_types_follow_the_contract_and_its_guaranteed_hours(
    contract, guaranteed, typical, expected
):
    vacancy = Vacancy(
        contract=contract, guaranteed_hours=Decimal(guaranteed), typical_hours=Decimal(typical)
    )

    assert employment_types(vacancy) == expected
