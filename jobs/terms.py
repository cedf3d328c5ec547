"""A vacancy's structured terms as plain sentences, in the order applicants read them: the one
wording shared by the vacancy page, the employer's preview and the JobPosting description
(jobs/jsonld.py), so that what is published is said the same way everywhere."""

from dataclasses import dataclass
from decimal import Decimal

from core.dates import format_day
from jobs.models import Vacancy
from jobs.pay import (
    vacancy_counts_unpaid_travel,
    vacancy_effective_hourly_rate,
    vacancy_hourly_rate,
)

NOT_GIVEN = "Not given yet"


@dataclass(frozen=True)
class Term:
    key: str
    label: str
    text: str


def money(amount: Decimal) -> str:
    """£12.71 for an hourly rate, £25,000 for a whole number of pounds a year."""
    if amount == amount.to_integral_value() and amount >= 1000:
        return f"£{amount:,.0f}"
    return f"£{amount:,.2f}"


def number(value: Decimal) -> str:
    """25 for 25.0 as the database returns it, 7.5 for 7.50: no trailing zeros."""
    return f"{Decimal(value).normalize():f}"


def _hours(hours: Decimal) -> str:
    return f"{number(hours)} hour{'' if hours == 1 else 's'}"


def pay_text(vacancy: Vacancy) -> str:
    """The pay as applicants read it; for home care with unpaid travel, with the effective
    hourly rate once the travel is counted (ADR 0031)."""
    v = vacancy
    if v.pay_amount is None or not v.pay_kind:
        return NOT_GIVEN
    if v.pay_kind == Vacancy.PayKind.ANNUAL:
        text = f"{money(v.pay_amount)} a year"
        if v.pay_amount_to is not None:
            text = f"{money(v.pay_amount)} to {money(v.pay_amount_to)} a year"
        rate = vacancy_hourly_rate(v)
        if rate is not None:
            text += f" (about {money(rate)} an hour for {_hours(v.typical_hours)} a week)"
        return text
    band = v.pay_kind == Vacancy.PayKind.HOURLY_BAND and v.pay_amount_to is not None
    if band:
        text = f"{money(v.pay_amount)} to {money(v.pay_amount_to)} an hour"
    else:
        text = f"{money(v.pay_amount)} an hour"
    if vacancy_counts_unpaid_travel(v):
        effective = money(vacancy_effective_hourly_rate(v))
        at = " at the lowest rate" if band else ""
        text += f" paid, about {effective} an hour{at} once unpaid travel between visits is counted"
    return text


def _hours_text(v: Vacancy) -> str:
    if v.guaranteed_hours is None and v.typical_hours is None:
        return NOT_GIVEN
    parts = []
    if v.guaranteed_hours is not None:
        if v.guaranteed_hours == 0:
            parts.append("No hours a week are guaranteed")
        else:
            parts.append(f"{_hours(v.guaranteed_hours)} a week guaranteed")
    if v.typical_hours is not None:
        parts.append(f"typically {_hours(v.typical_hours)} a week")
    text = ", ".join(parts)
    return text[:1].upper() + text[1:]


def _shifts_text(v: Vacancy) -> str:
    when = [word for word, works in (("days", v.works_days), ("nights", v.works_nights)) if works]
    if v.works_weekends:
        when.append("weekends")
    if not when and v.shift_length_hours is None:
        return NOT_GIVEN
    text = ", ".join(when[:-1]) + (" and " if len(when) > 1 else "") + (when[-1] if when else "")
    text = text[:1].upper() + text[1:]
    if v.shift_length_hours is not None:
        length = f"{number(v.shift_length_hours)}-hour shifts"
        text = f"{text}, {length}" if text else length[:1].upper() + length[1:]
    return text


def _driving_text(v: Vacancy) -> str:
    if v.driving_needed is None:
        return NOT_GIVEN
    if not v.driving_needed:
        return "No driving licence or car needed"
    text = "A driving licence and a car are needed"
    if v.mileage_pence_per_mile is None:
        return text
    if v.mileage_pence_per_mile == 0:
        return f"{text}. Mileage is not paid"
    return f"{text}. Mileage is paid at {number(v.mileage_pence_per_mile)}p a mile"


def _travel_text(v: Vacancy) -> str:
    if v.travel_time_paid is None:
        return NOT_GIVEN
    if v.travel_time_paid:
        return "Paid"
    if v.unpaid_travel_minutes_per_hour:
        minutes = v.unpaid_travel_minutes_per_hour
        return (
            f"Unpaid: about {minutes} minute{'' if minutes == 1 else 's'} of unpaid travel "
            "for every paid hour"
        )
    return "Unpaid"


def _sick_pay_text(v: Vacancy) -> str:
    if v.sick_pay_beyond_statutory is None:
        return NOT_GIVEN
    if not v.sick_pay_beyond_statutory:
        return "Statutory Sick Pay only"
    return (
        f"More than Statutory Sick Pay: {v.sick_pay_details}"
        if v.sick_pay_details
        else ("More than Statutory Sick Pay")
    )


def _yes_no(value: bool | None, yes: str, no: str) -> str:
    if value is None:
        return NOT_GIVEN
    return yes if value else no


def workplace_text(v: Vacancy) -> str:
    parts = [part for part in (v.workplace_name, v.address_line, v.town) if part]
    text = ", ".join(parts)
    if v.postcode:
        text = f"{text} {v.postcode}".strip()
    return text or NOT_GIVEN


def vacancy_terms(vacancy: Vacancy) -> list[Term]:
    """Every term of the vacancy, as a label and a sentence; "Not given yet" for a draft's
    missing ones. Travel time between visits only for home care, where it is asked."""
    v = vacancy
    terms = [
        Term("pay", "Pay", pay_text(v)),
        Term("contract", "Contract", v.get_contract_display() if v.contract else NOT_GIVEN),
        Term("hours", "Hours", _hours_text(v)),
        Term("shifts", "Shifts", _shifts_text(v)),
        Term("driving", "Driving", _driving_text(v)),
    ]
    if v.setting == Vacancy.Setting.HOME_CARE:
        terms.append(Term("travel", "Travel time between visits", _travel_text(v)))
    terms += [
        Term("sick_pay", "Sick pay", _sick_pay_text(v)),
        Term("dbs", "DBS check", v.dbs_terms or NOT_GIVEN),
        Term(
            "visa",
            "Visa sponsorship",
            v.get_visa_sponsorship_display() if v.visa_sponsorship else NOT_GIVEN,
        ),
        Term(
            "trial",
            "Paid trial",
            _yes_no(v.paid_trial_offered, "A paid trial is offered", "No paid trial"),
        ),
        Term(
            "closing",
            "Closing date",
            f"Applications close at the end of {format_day(v.closing_date)}"
            if v.closing_date
            else NOT_GIVEN,
        ),
        Term("start", "Start date", format_day(v.start_date) if v.start_date else NOT_GIVEN),
        Term("workplace", "Workplace", workplace_text(v)),
        Term("setting", "Setting", v.get_setting_display() if v.setting else NOT_GIVEN),
        Term(
            "role",
            "Care Workforce Pathway role",
            v.pathway_role.title if v.pathway_role_id else NOT_GIVEN,
        ),
    ]
    return terms
