"""The nightly export to DWP Find a Job (ADR 0032): the files are parsed as Find a Job would
read them, and every mandatory field, the 30-day reposts, the expiries, the safeguarding text
and the escaping of what employers type are checked in them."""

import datetime
import xml.etree.ElementTree as ET
from decimal import Decimal
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import CommandError, call_command

from core.models import AuditEvent
from jobs.models import FindAJobAdvert, FindAJobExport, FindAJobExportRow, Vacancy
from jobs.services.findajob import findajob_export
from jobs.services.vacancies import vacancies_close_expired, vacancy_close, vacancy_update
from tests.factories import VacancyFactory

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
DAY = datetime.date(2026, 12, 1)
Status = Vacancy.Status


def _day(n: int) -> datetime.date:
    return DAY + datetime.timedelta(days=n)


@pytest.fixture
def on_day(clock):
    """Set the clock to noon on DAY + n, as the nightly run sees it."""

    def set_day(n: int) -> datetime.date:
        clock.set(datetime.datetime.combine(_day(n), datetime.time(12), tzinfo=LONDON))
        return _day(n)

    set_day(0)
    return set_day


@pytest.fixture
def published(employer, employer_organisation, on_day):
    """A published care home vacancy of the employer's, closing in 20 days."""
    return VacancyFactory(
        organisation=employer_organisation,
        created_by=employer,
        status=Status.PUBLISHED,
        closing_date=_day(20),
        start_date=_day(40),
    )


def _export(day: datetime.date):
    return findajob_export(today=day)


def _adverts(run) -> dict[str, ET.Element]:
    root = ET.fromstring(run.adverts_xml)
    assert root.tag == "Vacancies"
    return {element.get("vacancyRefCode"): element for element in root.findall("Vacancy")}


def _expiries(run) -> list[str]:
    root = ET.fromstring(run.expiries_xml)
    assert root.tag == "ExpireVacancies"
    return [element.get("vacancyRefCode") for element in root.findall("ExpireVacancy")]


# --- What an advert holds ------------------------------------------------------------------


def test_a_published_vacancy_goes_out_with_every_mandatory_field(published, settings):
    settings.SITE_URL = "https://register.example.org"

    run = _export(DAY)

    advert = _adverts(run)[published.reference]
    assert advert.findtext("Title") == "Care assistant"
    assert advert.findtext("Description").startswith("Sunrise Care Homes is hiring for")
    assert advert.findtext("Location/StreetAddress") == "1 High Street"
    assert advert.findtext("Location/City") == "Leeds"
    assert advert.findtext("Location/PostalCode") == "LS1 4AP"
    # The closing date, within the 30 days Find a Job keeps an advert.
    assert advert.findtext("VacancyExpiry") == _day(20).isoformat()
    assert advert.find("VacancyType").get("id") == "1"  # permanent
    assert advert.find("VacancyStatus").get("id") == "1"  # 30 guaranteed hours: full time
    assert advert.find("VacancyCategory").get("id") == "12"
    assert advert.find("ApplyMethod").get("id") == "2"
    assert advert.findtext("ApplyUrl") == (
        f"https://register.example.org/jobs/{published.reference}/"
    )
    assert run.posted == [published.reference]
    assert _expiries(run) == []


def test_every_term_is_in_the_description_in_words(published):
    description = _adverts(_export(DAY))[published.reference].findtext("Description")

    for words in (
        "Pay: £13.00 an hour.",
        "Contract: Permanent.",
        "Hours: 30 hours a week guaranteed; typically 37.5 hours.",
        "Shifts: days and weekends, of 12 hours.",
        "No driving licence or car is needed.",
        "Sick pay: Statutory Sick Pay only.",
        "DBS check: The employer pays for your DBS check.",
        "Visa sponsorship: none.",
        "A paid trial is offered.",
        "Closing date: 21 December 2026.",
        "Support the people who live at Sunrise House with their day.",
    ):
        assert words in description


def test_home_care_with_unpaid_travel_says_the_effective_rate(employer_organisation, on_day):
    vacancy = VacancyFactory(
        organisation=employer_organisation,
        status=Status.PUBLISHED,
        home_care=True,
        closing_date=_day(20),
    )

    description = _adverts(_export(DAY))[vacancy.reference].findtext("Description")

    assert "Pay: £15.00 an hour." in description
    assert (
        "Travel time between visits is not paid: about 10 minutes for every paid hour, so the "
        "pay is about £12.85 for each hour you work." in description
    )
    assert "Mileage is paid at 30p a mile." in description


def test_no_guaranteed_hours_is_said_in_those_words_and_counts_as_part_time(
    employer_organisation, on_day
):
    vacancy = VacancyFactory(
        organisation=employer_organisation,
        status=Status.PUBLISHED,
        contract=Vacancy.Contract.NO_GUARANTEED_HOURS,
        guaranteed_hours=Decimal("0"),
        typical_hours=Decimal("20"),
        closing_date=_day(20),
    )

    advert = _adverts(_export(DAY))[vacancy.reference]

    assert advert.find("VacancyType").get("id") == "3"
    assert advert.find("VacancyStatus").get("id") == "2"
    description = advert.findtext("Description")
    assert "Contract: No guaranteed hours." in description
    assert "No hours are guaranteed; typically 20 hours a week." in description


def test_every_description_ends_with_the_employers_safeguarding_commitment(
    employer_organisation, on_day
):
    commitment = "We check everyone who works with the people we support, every time."
    ours = VacancyFactory(
        organisation=employer_organisation,
        status=Status.PUBLISHED,
        safeguarding_commitment=commitment,
        closing_date=_day(20),
    )
    default = VacancyFactory(
        organisation=employer_organisation, status=Status.PUBLISHED, closing_date=_day(20)
    )

    adverts = _adverts(_export(DAY))

    assert (
        adverts[ours.reference]
        .findtext("Description")
        .endswith(f"Our commitment to safeguarding\n\n{commitment}")
    )
    assert (
        adverts[default.reference].findtext("Description").endswith(default.safeguarding_commitment)
    )


def test_hostile_text_is_escaped_and_characters_xml_forbids_are_dropped(
    employer_organisation, on_day
):
    vacancy = VacancyFactory(
        organisation=employer_organisation,
        status=Status.PUBLISHED,
        title='Carer <b>now</b> & "more"',
        description=(
            # (No NUL: PostgreSQL cannot store it, and Django's forms refuse it.)
            "Bring\x01 your\x07 own\x1b tea & cake.\r\n"
            "</Description><Title>Injected</Title>]]><![CDATA[ &amp; \ufffe\x85ok"
        ),
        address_line="1 <High> & Low Street",
        closing_date=_day(20),
    )

    run = _export(DAY)

    # It parses at all: one forbidden character would make the whole file unreadable.
    advert = _adverts(run)[vacancy.reference]
    assert advert.findtext("Title") == 'Carer <b>now</b> & "more"'
    assert advert.findtext("Location/StreetAddress") == "1 <High> & Low Street"
    description = advert.findtext("Description")
    assert "Bring your own tea & cake.\n</Description><Title>Injected</Title>" in description
    assert "]]><![CDATA[ &amp; \x85ok" in description
    assert not any(character in description for character in "\x01\x07\x1b\r\ufffe")
    assert len(advert.findall("Title")) == 1
    assert b"&lt;/Description&gt;" in run.adverts_xml


def test_drafts_never_go_out(employer_organisation, on_day):
    draft = VacancyFactory(organisation=employer_organisation, closing_date=_day(20))
    withdrawn_draft = VacancyFactory(
        organisation=employer_organisation, status=Status.WITHDRAWN, closing_date=_day(20)
    )

    run = _export(DAY)

    assert _adverts(run) == {}
    assert _expiries(run) == []
    assert not FindAJobAdvert.objects.filter(vacancy__in=[draft, withdrawn_draft]).exists()


# --- Running again, and edits --------------------------------------------------------------


def test_running_again_the_same_day_changes_nothing(published, on_day):
    first = _export(DAY)
    on_day(0)
    second = _export(DAY)

    assert second.adverts_xml == first.adverts_xml
    assert second.expiries_xml == first.expiries_xml
    assert not second.changed
    assert FindAJobAdvert.objects.count() == 1
    assert FindAJobExportRow.objects.count() == 1
    assert AuditEvent.objects.filter(action="jobs.findajob.exported").count() == 1


def test_nothing_changed_sends_nothing_the_next_day(published, on_day):
    _export(DAY)
    on_day(1)

    run = _export(_day(1))

    assert not run.changed
    assert _adverts(run) == {}


def test_an_edit_after_an_export_is_sent_again_under_the_same_reference(
    published, employer, on_day
):
    _export(DAY)
    on_day(1)
    vacancy_update(vacancy=published, user=employer, data={"title": "Senior care assistant"})

    run = _export(_day(1))

    assert run.updated == [published.reference]
    advert = _adverts(run)[published.reference]
    assert advert.findtext("Title") == "Senior care assistant"
    assert advert.findtext("VacancyExpiry") == _day(20).isoformat()
    on_day(2)
    assert not _export(_day(2)).changed


def test_an_edit_later_the_same_day_joins_that_days_file(published, employer, clock):
    _export(DAY)
    clock.advance(datetime.timedelta(hours=3))
    other = VacancyFactory(
        organisation=published.organisation, status=Status.PUBLISHED, closing_date=_day(20)
    )
    vacancy_update(vacancy=published, user=employer, data={"title": "Night carer"})

    run = _export(DAY)

    assert run.posted == [other.reference]
    assert run.updated == [published.reference]
    adverts = _adverts(run)
    assert set(adverts) == {published.reference, other.reference}
    assert adverts[published.reference].findtext("Title") == "Night carer"


# --- Find a Job's 30 days ------------------------------------------------------------------


def test_a_vacancy_open_longer_than_30_days_is_reposted_with_a_versioned_reference(
    employer_organisation, on_day
):
    vacancy = VacancyFactory(
        organisation=employer_organisation, status=Status.PUBLISHED, closing_date=_day(70)
    )
    reference = vacancy.reference

    first = _export(DAY)
    assert _adverts(first)[reference].findtext("VacancyExpiry") == _day(30).isoformat()
    on_day(29)
    assert not _export(_day(29)).changed

    on_day(30)
    second = _export(_day(30))

    assert _expiries(second) == [reference]
    assert list(_adverts(second)) == [f"{reference}-2"]
    assert _adverts(second)[f"{reference}-2"].findtext("VacancyExpiry") == _day(60).isoformat()
    vacancy.refresh_from_db()
    assert vacancy.findajob_version == 2

    on_day(60)
    third = _export(_day(60))

    assert _expiries(third) == [f"{reference}-2"]
    # The last advert ends with the vacancy's closing date.
    assert _adverts(third)[f"{reference}-3"].findtext("VacancyExpiry") == _day(70).isoformat()
    vacancy.refresh_from_db()
    assert vacancy.findajob_version == 3
    assert list(
        FindAJobAdvert.objects.filter(vacancy=vacancy).values_list("reference", "expired_on")
    ) == [(reference, _day(30)), (f"{reference}-2", _day(60)), (f"{reference}-3", None)]


def test_a_day_the_export_did_not_run_is_caught_up(employer_organisation, on_day):
    vacancy = VacancyFactory(
        organisation=employer_organisation, status=Status.PUBLISHED, closing_date=_day(70)
    )
    _export(DAY)
    on_day(33)

    run = _export(_day(33))

    # The first advert lapsed by itself on day 30: nothing to take down, the next goes up.
    assert _expiries(run) == []
    assert list(_adverts(run)) == [f"{vacancy.reference}-2"]
    assert _adverts(run)[f"{vacancy.reference}-2"].findtext("VacancyExpiry") == (
        _day(63).isoformat()
    )


# --- Expiries ------------------------------------------------------------------------------


@pytest.mark.parametrize("outcome", [Status.FILLED, Status.WITHDRAWN])
def test_a_vacancy_filled_or_withdrawn_is_taken_down(published, employer, on_day, outcome):
    _export(DAY)
    on_day(5)
    vacancy_close(vacancy=published, user=employer, outcome=outcome)

    run = _export(_day(5))

    assert _expiries(run) == [published.reference]
    assert _adverts(run) == {}
    assert FindAJobAdvert.objects.get().expired_on == _day(5)
    on_day(6)
    assert not _export(_day(6)).changed


def test_a_vacancy_past_its_closing_date_is_not_taken_down_again(published, on_day):
    _export(DAY)
    on_day(21)
    vacancies_close_expired(today=_day(21))

    run = _export(_day(21))

    # Its advert expired with the closing date on Find a Job already.
    assert _expiries(run) == []
    assert FindAJobAdvert.objects.get().expired_on == _day(21)


def test_a_published_vacancy_the_clock_has_not_closed_yet_is_not_sent(published, on_day):
    on_day(21)

    run = _export(_day(21))

    assert _adverts(run) == {}
    assert not FindAJobAdvert.objects.exists()


def test_an_advert_posted_and_withdrawn_the_same_day_is_only_taken_down(
    published, employer, on_day
):
    _export(DAY)
    vacancy_close(vacancy=published, user=employer, outcome=Status.WITHDRAWN)

    run = _export(DAY)

    assert _adverts(run) == {}
    assert _expiries(run) == [published.reference]


# --- The record, the audit log and the command --------------------------------------------


def test_an_export_is_recorded_and_audited(published, employer_organisation, on_day):
    run = _export(DAY)

    export = FindAJobExport.objects.get()
    assert export.day == DAY
    assert [(row.advert.reference, row.action) for row in export.rows.all()] == [
        (published.reference, "posted")
    ]
    event = AuditEvent.objects.get(action="jobs.findajob.exported")
    assert event.target_id == str(export.pk)
    assert event.data == {
        "day": DAY.isoformat(),
        "posted": 1,
        "updated": 0,
        "expired": 0,
        "reposted": 0,
    }
    assert run.adverts_in_file == 1


def test_a_dry_run_records_nothing(published, on_day):
    run = findajob_export(today=DAY, dry_run=True)

    assert run.posted == [published.reference]
    assert not FindAJobExport.objects.exists()
    assert not FindAJobAdvert.objects.exists()
    assert not AuditEvent.objects.filter(action="jobs.findajob.exported").exists()


def test_the_command_writes_both_files(published, on_day, tmp_path):
    out = tmp_path / "findajob.xml"
    stdout = StringIO()

    call_command("export_findajob", "--out", str(out), "--today", DAY.isoformat(), stdout=stdout)

    assert ET.parse(out).getroot().find("Vacancy").get("vacancyRefCode") == published.reference
    assert ET.parse(tmp_path / "findajob-expire.xml").getroot().tag == "ExpireVacancies"
    assert f"post {published.reference}" in stdout.getvalue()
    assert "1 posted, 0 updated, 0 expired this run" in stdout.getvalue()


def test_the_command_dry_run_writes_no_file(published, on_day, tmp_path):
    stdout = StringIO()

    call_command("export_findajob", "--dry-run", "--today", DAY.isoformat(), stdout=stdout)

    assert f"would post {published.reference}" in stdout.getvalue()
    assert list(tmp_path.iterdir()) == []
    assert not FindAJobAdvert.objects.exists()


def test_the_command_needs_a_file_to_write():
    with pytest.raises(CommandError, match="--out"):
        call_command("export_findajob", stdout=StringIO())
