"""A vacancy as a schema.org JobPosting in JSON-LD, with the properties Google's job search
asks for (title, description, datePosted, validThrough, employmentType, hiringOrganization,
jobLocation with a full PostalAddress, baseSalary, directApply, identifier), built as a dict
here and written into the vacancy page by `job_posting_script`."""

import datetime
import json
from decimal import Decimal

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape, format_html, format_html_join, linebreaks
from django.utils.safestring import SafeString, mark_safe

from jobs.models import Place, Vacancy
from jobs.terms import vacancy_terms

# The Office for National Statistics counts more than 30 paid hours a week as full time.
FULL_TIME_ABOVE_HOURS = Decimal("30")

# Inside <script>, the HTML parser ends the element at the first "</script" whatever the JSON
# around it says, and "<!--" changes how it reads on: "<", ">" and "&" are written as JSON
# escapes, which every JSON reader turns back into the same characters.
_SCRIPT_SAFE = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def _number(amount: Decimal) -> int | float:
    return int(amount) if amount == amount.to_integral_value() else float(amount)


def employment_types(vacancy: Vacancy) -> list[str]:
    """Google's employment types for the contract and hours. Bank work and contracts with no
    guaranteed hours are work offered as it comes (PER_DIEM); with no hours promised, "no
    guaranteed hours" is also OTHER, never FULL_TIME or PART_TIME. A permanent or fixed-term
    contract is full or part time by the hours it guarantees."""
    contract = vacancy.contract
    if contract == Vacancy.Contract.BANK:
        return ["PER_DIEM"]
    if contract == Vacancy.Contract.NO_GUARANTEED_HOURS:
        return ["PER_DIEM", "OTHER"]
    if contract not in (Vacancy.Contract.PERMANENT, Vacancy.Contract.FIXED_TERM):
        return ["OTHER"]
    hours = vacancy.guaranteed_hours
    if hours is None:
        hours = vacancy.typical_hours or Decimal(0)
    types = ["FULL_TIME" if hours > FULL_TIME_ABOVE_HOURS else "PART_TIME"]
    if contract == Vacancy.Contract.FIXED_TERM:
        types.append("TEMPORARY")
    return types


def _base_salary(vacancy: Vacancy) -> dict | None:
    if vacancy.pay_amount is None or not vacancy.pay_kind:
        return None
    unit = "YEAR" if vacancy.pay_kind == Vacancy.PayKind.ANNUAL else "HOUR"
    value: dict = {"@type": "QuantitativeValue", "unitText": unit}
    if vacancy.pay_amount_to is not None:
        value["minValue"] = _number(vacancy.pay_amount)
        value["maxValue"] = _number(vacancy.pay_amount_to)
    else:
        value["value"] = _number(vacancy.pay_amount)
    return {"@type": "MonetaryAmount", "currency": "GBP", "value": value}


def _region(vacancy: Vacancy) -> str:
    """The county or country of the workplace's town, when the places table knows it."""
    if not vacancy.town:
        return ""
    place = Place.objects.filter(kind=Place.Kind.TOWN, key=vacancy.town.strip().lower()).first()
    return place.area if place is not None else ""


def _location(vacancy: Vacancy) -> dict:
    address = {
        "@type": "PostalAddress",
        "streetAddress": vacancy.address_line,
        "addressLocality": vacancy.town,
        "postalCode": vacancy.postcode,
        "addressCountry": "GB",
    }
    region = _region(vacancy)
    if region:
        address["addressRegion"] = region
    place = {"@type": "Place", "name": vacancy.workplace_name, "address": address}
    if vacancy.latitude is not None and vacancy.longitude is not None:
        place["geo"] = {
            "@type": "GeoCoordinates",
            "latitude": vacancy.latitude,
            "longitude": vacancy.longitude,
        }
    return place


def description_html(vacancy: Vacancy) -> str:
    """The terms first, then the employer's description, then its safeguarding commitment,
    as the page shows them. Google reads HTML in a JobPosting's description; every piece of
    text the employer wrote is escaped."""
    terms = format_html_join(
        "", "<li><strong>{}:</strong> {}</li>", ((t.label, t.text) for t in vacancy_terms(vacancy))
    )
    return format_html(
        "<ul>{}</ul>{}<h2>Our safeguarding commitment</h2>{}",
        terms,
        mark_safe(linebreaks(escape(vacancy.description))),  # noqa: S308 (escaped first)
        mark_safe(linebreaks(escape(vacancy.safeguarding_commitment))),  # noqa: S308
    )


def _valid_through(vacancy: Vacancy) -> str:
    """The last moment of the closing day in UK time, with its offset from UTC; or, for a
    vacancy filled or withdrawn before then, the moment it stopped taking applications, so
    that a search engine drops the advert."""
    end = datetime.datetime.combine(vacancy.closing_date, datetime.time(23, 59, 59))
    end = timezone.make_aware(end, timezone.get_current_timezone())
    if vacancy.closed_at is not None and vacancy.closed_at < end:
        end = timezone.localtime(vacancy.closed_at).replace(microsecond=0)
    return end.isoformat()


def job_posting(vacancy: Vacancy) -> dict:
    """The vacancy as a schema.org JobPosting."""
    posted = vacancy.published_at or vacancy.created_at
    data = {
        "@context": "https://schema.org/",
        "@type": "JobPosting",
        "title": vacancy.title,
        "description": description_html(vacancy),
        "datePosted": timezone.localtime(posted).date().isoformat(),
        "employmentType": employment_types(vacancy),
        "hiringOrganization": {"@type": "Organization", "name": vacancy.organisation.name},
        "jobLocation": _location(vacancy),
        "directApply": True,
        "identifier": {
            "@type": "PropertyValue",
            "name": vacancy.organisation.name,
            "value": vacancy.reference,
        },
        "url": settings.SITE_URL.rstrip("/")
        + reverse("jobs:vacancy", kwargs={"reference": vacancy.reference}),
    }
    if vacancy.closing_date:
        data["validThrough"] = _valid_through(vacancy)
    if vacancy.start_date:
        data["jobStartDate"] = vacancy.start_date.isoformat()
    salary = _base_salary(vacancy)
    if salary:
        data["baseSalary"] = salary
    if vacancy.pathway_role_id:
        data["occupationalCategory"] = vacancy.pathway_role.title
    return data


def job_posting_script(vacancy: Vacancy) -> SafeString:
    """The <script type="application/ld+json"> element for the vacancy page."""
    text = json.dumps(job_posting(vacancy), ensure_ascii=False).translate(_SCRIPT_SAFE)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))  # noqa: S308
