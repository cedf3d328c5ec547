"""Vacancies to DWP Find a Job: the nightly bulk-upload files (ADR 0032).

Find a Job takes other services' vacancies as XML files put on its SFTP server, which it imports
once a day: one file of new and edited adverts, one of adverts to take down. Its full
specification (findajob.dwp.gov.uk/bulk-upload-specification.html, with an XSD schema in its
appendix 7) could not be read where this was written; the structure below follows what that
page's document history names (vacancyRefCode, VacancyType ids 1-4, VacancyCategory,
VacancyExpiry, expiry files) and the shape DfE's Teaching Vacancies sends every night. ADR 0032
lists what a person must check against the DWP's current specification before going live.

The adverts file:

    <Vacancies>
      <Vacancy vacancyRefCode="REF or REF-2, REF-3...">
        <Title>the job title</Title>
        <Description>plain text: the employer, every structured term in words, the
          employer's description, and last the safeguarding commitment</Description>
        <Location>
          <StreetAddress>the workplace's address line</StreetAddress>
          <City>its town</City>
          <PostalCode>its postcode (mandatory)</PostalCode>
        </Location>
        <VacancyExpiry>YYYY-MM-DD, 1 to 30 days after the advert was first posted</VacancyExpiry>
        <VacancyType id="1 permanent, 2 contract (fixed term), 3 temporary (bank, no
          guaranteed hours)"/>
        <VacancyStatus id="1 full time (30 or more guaranteed hours), 2 part time"/>
        <VacancyCategory id="CATEGORY_ID"/>
        <ApplyMethod id="2: on an external website"/>
        <ApplyUrl>SITE_URL/jobs/REF/</ApplyUrl>
      </Vacancy>
    </Vacancies>

The expiries file:

    <ExpireVacancies>
      <ExpireVacancy vacancyRefCode="REF-2"/>
    </ExpireVacancies>

What goes out each day is worked out from what was sent before (`FindAJobAdvert`), not from a
window of time, so a day the export did not run is caught up the next:
- a published vacancy still open with no live advert is posted;
- one edited since its advert was last sent is sent again under the same reference;
- Find a Job keeps an advert at most ADVERT_DAYS days, so on the 30th day after an advert was
  posted (or once it has lapsed) it is expired and the vacancy posted again under its next
  reference (`Vacancy.findajob_version`);
- an advert whose vacancy closed, was filled or withdrawn is expired, unless its own expiry
  date has already passed (Find a Job has taken it down itself).
Drafts never go out. Each day's rows are kept (`FindAJobExport`), so running again the same
day adds only what changed since, and writes the same day's files again.
"""

import datetime
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from core.audit import audit_log
from core.dates import format_day
from jobs.models import (
    DEFAULT_SAFEGUARDING_COMMITMENT,
    FindAJobAdvert,
    FindAJobExport,
    FindAJobExportRow,
    Vacancy,
)
from jobs.pay import vacancy_counts_unpaid_travel, vacancy_effective_hourly_rate

Action = FindAJobExportRow.Action

# Find a Job takes an advert down at the latest this many days after it was posted, and refuses
# an expiry date further out.
ADVERT_DAYS = 30

# Find a Job's own codes (ADR 0032 says which are confirmed and which to check).
CATEGORY_ID = 12  # "Healthcare & Nursing": inferred from Find a Job's search, to be confirmed.
VACANCY_TYPE_IDS = {
    Vacancy.Contract.PERMANENT: 1,  # Permanent
    Vacancy.Contract.FIXED_TERM: 2,  # Contract
    Vacancy.Contract.BANK: 3,  # Temporary
    # Find a Job has no "zero hours" type; the description says "No guaranteed hours" in words.
    Vacancy.Contract.NO_GUARANTEED_HOURS: 3,
}
FULL_TIME_ID, PART_TIME_ID = 1, 2
# The Office for National Statistics counts more than 30 hours a week as full time; only hours
# the contract guarantees count, since typical hours are not promised.
FULL_TIME_HOURS = Decimal("30")
APPLY_ON_WEBSITE_ID = 2

# Characters XML 1.0 does not allow (C0 controls but tab, newline and carriage return;
# surrogates; U+FFFE and U+FFFF), and the C1 controls it discourages: removed, since one of them
# makes the whole file unreadable.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff]")


def advert_reference(vacancy: Vacancy, version: int) -> str:
    """The reference of a vacancy's advert on Find a Job: its own reference, then "-2", "-3"."""
    return vacancy.reference if version == 1 else f"{vacancy.reference}-{version}"


def _clean(text: str) -> str:
    text = _NOT_XML.sub("", text or "")
    return text.replace("\r\n", "\n").replace("\r", "\n").strip()


def _money(amount: Decimal) -> str:
    return f"£{amount:,.2f}"


def _number(amount: Decimal) -> str:
    """30.0 as "30", 37.5 as "37.5"."""
    return f"{Decimal(amount).normalize():f}"


def _hours(amount: Decimal) -> str:
    return f"{_number(amount)} hour{'' if amount == 1 else 's'}"


def _pay_terms(vacancy: Vacancy) -> list[str]:
    kind, amount, top = vacancy.pay_kind, vacancy.pay_amount, vacancy.pay_amount_to
    if kind == Vacancy.PayKind.ANNUAL:
        pay = f"{_money(amount)} to {_money(top)} a year" if top else f"{_money(amount)} a year"
    elif kind == Vacancy.PayKind.HOURLY_BAND:
        pay = f"{_money(amount)} to {_money(top)} an hour"
    else:
        pay = f"{_money(amount)} an hour"
    lines = [f"Pay: {pay}."]
    if vacancy.setting == Vacancy.Setting.HOME_CARE:
        if vacancy_counts_unpaid_travel(vacancy):
            minutes = vacancy.unpaid_travel_minutes_per_hour
            effective = vacancy_effective_hourly_rate(vacancy)
            lines.append(
                f"Travel time between visits is not paid: about {minutes} minutes for every "
                f"paid hour, so the pay is about {_money(effective)} for each hour you work."
            )
        elif vacancy.travel_time_paid:
            lines.append("Travel time between visits is paid.")
    return lines


def _hours_terms(vacancy: Vacancy) -> list[str]:
    typical = _hours(vacancy.typical_hours)
    if vacancy.contract == Vacancy.Contract.NO_GUARANTEED_HOURS:
        hours = f"No hours are guaranteed; typically {typical} a week."
    else:
        hours = f"{_hours(vacancy.guaranteed_hours)} a week guaranteed; typically {typical}."
    when = [
        name
        for name, works in (
            ("days", vacancy.works_days),
            ("nights", vacancy.works_nights),
            ("weekends", vacancy.works_weekends),
        )
        if works
    ]
    shifts = " and ".join([", ".join(when[:-1]), when[-1]] if len(when) > 1 else when)
    return [
        f"Contract: {vacancy.get_contract_display()}.",
        f"Hours: {hours}",
        f"Shifts: {shifts}, of {_hours(vacancy.shift_length_hours)}.",
    ]


def _other_terms(vacancy: Vacancy) -> list[str]:
    if vacancy.driving_needed:
        mileage = vacancy.mileage_pence_per_mile
        driving = "A driving licence and a car are needed. " + (
            f"Mileage is paid at {_number(mileage)}p a mile." if mileage else "Mileage is not paid."
        )
    else:
        driving = "No driving licence or car is needed."
    if vacancy.sick_pay_beyond_statutory:
        sick = f"Sick pay beyond Statutory Sick Pay: {vacancy.sick_pay_details}"
    else:
        sick = "Sick pay: Statutory Sick Pay only."
    if vacancy.visa_sponsorship == Vacancy.VisaSponsorship.IN_COUNTRY_SWITCH:
        visa = "Visa sponsorship: only for people already in the UK switching to this job."
    else:
        visa = "Visa sponsorship: none."
    trial = "A paid trial is offered." if vacancy.paid_trial_offered else "No paid trial."
    lines = [driving, sick, f"DBS check: {vacancy.dbs_terms}", visa, trial]
    if vacancy.pathway_role_id:
        lines.append(f"Care Workforce Pathway role: {vacancy.pathway_role.title}.")
    lines.append(
        f"Closing date: {format_day(vacancy.closing_date)}. "
        f"Start date: {format_day(vacancy.start_date)}."
    )
    return lines


def findajob_description(vacancy: Vacancy) -> str:
    """The advert's text: who is hiring, every term in words (Find a Job shows none of them
    otherwise), the employer's description, and last its safeguarding commitment."""
    where = ", ".join(part for part in (vacancy.workplace_name, vacancy.town) if part)
    intro = f"{vacancy.organisation.name} is hiring for {where}."
    terms = [*_pay_terms(vacancy), *_hours_terms(vacancy), *_other_terms(vacancy)]
    safeguarding = _clean(vacancy.safeguarding_commitment) or DEFAULT_SAFEGUARDING_COMMITMENT
    parts = [
        intro,
        "\n".join(terms),
        _clean(vacancy.description),
        f"Our commitment to safeguarding\n\n{safeguarding}",
    ]
    return _clean("\n\n".join(_clean(part) for part in parts if _clean(part)))


def _apply_url(vacancy: Vacancy) -> str:
    # The public vacancy page, where the apply button is.
    return settings.SITE_URL.rstrip("/") + reverse("jobs:vacancy", args=[vacancy.reference])


def _vacancy_element(parent: ET.Element, advert: FindAJobAdvert) -> None:
    vacancy = advert.vacancy
    element = ET.SubElement(parent, "Vacancy", vacancyRefCode=advert.reference)
    ET.SubElement(element, "Title").text = _clean(vacancy.title)
    ET.SubElement(element, "Description").text = findajob_description(vacancy)
    location = ET.SubElement(element, "Location")
    for name, value in (
        ("StreetAddress", vacancy.address_line),
        ("City", vacancy.town),
        ("PostalCode", vacancy.postcode),
    ):
        if _clean(value):
            ET.SubElement(location, name).text = _clean(value)
    ET.SubElement(element, "VacancyExpiry").text = advert.expires_on.isoformat()
    ET.SubElement(element, "VacancyType", id=str(VACANCY_TYPE_IDS[vacancy.contract]))
    full_time = (vacancy.guaranteed_hours or 0) >= FULL_TIME_HOURS
    ET.SubElement(element, "VacancyStatus", id=str(FULL_TIME_ID if full_time else PART_TIME_ID))
    ET.SubElement(element, "VacancyCategory", id=str(CATEGORY_ID))
    ET.SubElement(element, "ApplyMethod", id=str(APPLY_ON_WEBSITE_ID))
    ET.SubElement(element, "ApplyUrl").text = _apply_url(vacancy)


def _document(root: ET.Element) -> bytes:
    ET.indent(root)
    return ET.tostring(root, encoding="UTF-8", xml_declaration=True) + b"\n"


def findajob_adverts_xml(adverts: list[FindAJobAdvert]) -> bytes:
    """The file of adverts to post or update."""
    root = ET.Element("Vacancies")
    for advert in adverts:
        _vacancy_element(root, advert)
    return _document(root)


def findajob_expiries_xml(adverts: list[FindAJobAdvert]) -> bytes:
    """The file of adverts to take down."""
    root = ET.Element("ExpireVacancies")
    for advert in adverts:
        ET.SubElement(root, "ExpireVacancy", vacancyRefCode=advert.reference)
    return _document(root)


@dataclass
class FindAJobRun:
    """What one run of the export did (`posted`, `updated`, `expired`: references), and the
    day's two files, which hold everything the day's runs sent."""

    day: datetime.date
    posted: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    expired: list[str] = field(default_factory=list)
    adverts_xml: bytes = b""
    expiries_xml: bytes = b""
    adverts_in_file: int = 0
    expiries_in_file: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.posted or self.updated or self.expired)


def _expiry_date(*, closing_date: datetime.date, posted_on: datetime.date) -> datetime.date:
    """The closing date, within the 1 to 30 days after posting that Find a Job accepts."""
    earliest = posted_on + datetime.timedelta(days=1)
    latest = posted_on + datetime.timedelta(days=ADVERT_DAYS)
    return min(max(closing_date, earliest), latest)


class _Run:
    """The work of one export: the adverts changed and the rows to record."""

    def __init__(self, *, export: FindAJobExport, today: datetime.date, result: FindAJobRun):
        self.export, self.today, self.result = export, today, result
        self.new_adverts: list[FindAJobAdvert] = []
        self.changed_adverts: list[FindAJobAdvert] = []
        self.rows: list[tuple[FindAJobAdvert, str]] = []

    def expire(self, advert: FindAJobAdvert) -> None:
        advert.expired_on = self.today
        self.changed_adverts.append(advert)
        # An advert past its own expiry date is already down; one still up is taken down.
        if advert.expires_on >= self.today:
            self.rows.append((advert, Action.EXPIRED))
            self.result.expired.append(advert.reference)

    def post(self, vacancy: Vacancy, version: int) -> None:
        advert = FindAJobAdvert(
            vacancy=vacancy,
            version=version,
            reference=advert_reference(vacancy, version),
            posted_on=self.today,
            expires_on=_expiry_date(closing_date=vacancy.closing_date, posted_on=self.today),
            sent_at=vacancy.updated_at,
        )
        self.new_adverts.append(advert)
        self.rows.append((advert, Action.POSTED))
        self.result.posted.append(advert.reference)

    def update(self, advert: FindAJobAdvert, vacancy: Vacancy) -> None:
        advert.expires_on = _expiry_date(
            closing_date=vacancy.closing_date, posted_on=advert.posted_on
        )
        # The version of the vacancy sent, not the time it was sent: an edit saved while this
        # export read the vacancy is newer than it, and goes out next time.
        advert.sent_at = vacancy.updated_at
        self.changed_adverts.append(advert)
        self.rows.append((advert, Action.UPDATED))
        self.result.updated.append(advert.reference)

    def save(self, now: datetime.datetime) -> None:
        FindAJobAdvert.objects.bulk_create(self.new_adverts, batch_size=1000)
        FindAJobAdvert.objects.bulk_update(
            self.changed_adverts, ["expires_on", "sent_at", "expired_on"], batch_size=1000
        )
        existing = {
            (row.advert_id, row.action): row
            for row in FindAJobExportRow.objects.filter(export=self.export)
        }
        again = []
        for advert, action in self.rows:
            row = existing.get((advert.pk, action))
            if row is not None:
                row.at = now
                again.append(row)
        FindAJobExportRow.objects.bulk_update(again, ["at"], batch_size=1000)
        FindAJobExportRow.objects.bulk_create(
            [
                FindAJobExportRow(export=self.export, advert=advert, action=action, at=now)
                for advert, action in self.rows
                if (advert.pk, action) not in existing
            ],
            batch_size=1000,
        )


def _day_files(export: FindAJobExport, result: FindAJobRun) -> None:
    """The day's two files, from every row the day's runs recorded."""
    rows = list(
        FindAJobExportRow.objects.filter(export=export)
        .select_related("advert__vacancy__organisation", "advert__vacancy__pathway_role")
        .order_by("id")
    )
    expired = {row.advert_id for row in rows if row.action == Action.EXPIRED}
    adverts: dict[int, FindAJobAdvert] = {}
    for row in rows:
        # An advert posted and taken down the same day is left out of the adverts file.
        if row.action != Action.EXPIRED and row.advert_id not in expired:
            adverts.setdefault(row.advert_id, row.advert)
    expiries = [row.advert for row in rows if row.action == Action.EXPIRED]
    result.adverts_xml = findajob_adverts_xml(list(adverts.values()))
    result.expiries_xml = findajob_expiries_xml(expiries)
    result.adverts_in_file, result.expiries_in_file = len(adverts), len(expiries)


def findajob_export(*, today: datetime.date, dry_run: bool = False) -> FindAJobRun:
    """Work out what Find a Job must be told on `today`, record it (unless `dry_run`) and
    return it with the day's files. Safe to run again: a second run the same day adds only
    what changed since the first. Audited as `jobs.findajob.exported` when anything changed."""
    now = timezone.now()
    result = FindAJobRun(day=today)
    with transaction.atomic():
        # One run at a time: a second waits for the first, then finds its work done.
        export, _ = FindAJobExport.objects.select_for_update().get_or_create(
            day=today, defaults={"first_run_at": now, "last_run_at": now}
        )
        run = _Run(export=export, today=today, result=result)
        live = {
            advert.vacancy_id: advert
            for advert in FindAJobAdvert.objects.filter(expired_on__isnull=True).select_related(
                "vacancy"
            )
        }
        open_now = Vacancy.objects.filter(
            status=Vacancy.Status.PUBLISHED, closing_date__gte=today
        ).order_by("pk")
        open_ids = set(open_now.values_list("pk", flat=True))
        for vacancy_id, advert in list(live.items()):
            if vacancy_id not in open_ids:
                run.expire(advert)
                del live[vacancy_id]
        versions = _versions_ended()
        bumped: dict[int, int] = {}
        for vacancy in open_now.iterator(chunk_size=2000):
            advert = live.get(vacancy.pk)
            if advert is None:
                # Never posted, or its last advert ended: the next unused version.
                version = max(vacancy.findajob_version, versions.get(vacancy.pk, 0) + 1)
            elif (
                today >= advert.posted_on + datetime.timedelta(days=ADVERT_DAYS)
                or advert.expires_on < today
            ):
                run.expire(advert)
                version = advert.version + 1
            else:
                if vacancy.updated_at > advert.sent_at:
                    run.update(advert, vacancy)
                continue
            run.post(vacancy, version)
            if version != vacancy.findajob_version:
                bumped[vacancy.pk] = version
        run.save(now)
        for vacancy_id, version in bumped.items():
            # Not through save(): the employer's updated_at is for their edits only.
            Vacancy.objects.filter(pk=vacancy_id).update(findajob_version=version)
        export.last_run_at = now
        export.save(update_fields=["last_run_at"])
        if result.changed:
            audit_log(
                action="jobs.findajob.exported",
                target=export,
                data={
                    "day": today,
                    "posted": len(result.posted),
                    "updated": len(result.updated),
                    "expired": len(result.expired),
                    "reposted": len(bumped),
                },
            )
        _day_files(export, result)
        if dry_run:
            transaction.set_rollback(True)
    return result


def _versions_ended() -> dict[int, int]:
    """The highest version among each vacancy's adverts that have ended."""
    return dict(
        FindAJobAdvert.objects.filter(expired_on__isnull=False)
        .values("vacancy_id")
        .annotate(highest=Max("version"))
        .values_list("vacancy_id", "highest")
    )
