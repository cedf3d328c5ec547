"""Dates for people (core.dates and the `dates` template library): "7 December 2026" and
"14:30 on 7 December 2026" in UK time, whatever the process locale or the active language."""

import io
import locale
import shutil
import subprocess
from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from django.core import mail
from django.template import Context, Template, TemplateSyntaxError
from django.test import Client
from django.urls import reverse
from django.utils import dateformat, translation
from pypdf import PdfReader

from core.dates import format_clock, format_day, format_moment, format_utc_timestamp
from employers.services.staff import training_expiry_notify
from passports import keys
from passports.models import TrainingRecord, TrainingStandard
from passports.services.passports import passport_issue
from tests.factories import RegisterEntryFactory, TrainingRecordFactory


@pytest.fixture(scope="session")
def german_locale_path(tmp_path_factory):
    """A folder holding a compiled de_DE.UTF-8 locale, made with localedef: the machine need not
    have it installed, and nothing outside the test's own folder is touched."""
    if shutil.which("localedef") is None:
        pytest.skip("localedef not found: cannot make a German locale to test against")
    folder = tmp_path_factory.mktemp("locales")
    made = subprocess.run(
        ["localedef", "-i", "de_DE", "-f", "UTF-8", str(folder / "de_DE.UTF-8")],
        capture_output=True,
        check=False,
    )
    if not (folder / "de_DE.UTF-8").exists():
        pytest.skip(f"localedef could not make de_DE.UTF-8: {made.stderr.decode()[:200]}")
    return folder


@pytest.fixture
def german_process_locale(german_locale_path, monkeypatch):
    """The process's LC_TIME set to German, as on a server set up in Germany; put back after."""
    monkeypatch.setenv("LOCPATH", str(german_locale_path))
    before = locale.setlocale(locale.LC_TIME)
    locale.setlocale(locale.LC_TIME, "de_DE.UTF-8")
    try:
        # The test means something only if strftime would now write German.
        assert f"{date(2026, 12, 7):%B}" == "Dezember"
        yield
    finally:
        locale.setlocale(locale.LC_TIME, before)


@pytest.fixture
def german_language():
    """Django's active language set to German: its own `date` filter would say "Dezember"."""
    with translation.override("de"):
        assert dateformat.format(date(2026, 12, 7), "F") == "Dezember"
        yield


def render(source: str, **context) -> str:
    return Template("{% load dates %}" + source).render(Context(context))


# --- The formatters ---------------------------------------------------------------------------


def test_it_writes_a_day_as_gov_uk_does():
    assert format_day(date(2026, 12, 7)) == "7 December 2026"
    assert format_day(date(2027, 1, 31)) == "31 January 2027"


def test_it_abbreviates_the_month_only_when_asked():
    assert format_day(date(2026, 12, 7), short=True) == "7 Dec 2026"
    assert format_day(date(2026, 9, 23), short=True) == "23 Sep 2026"


def test_a_time_comes_before_its_day():
    assert format_moment(datetime(2026, 12, 7, 14, 30, tzinfo=UTC)) == "14:30 on 7 December 2026"
    assert format_moment(datetime(2026, 12, 7, 9, 5, 7, tzinfo=UTC), short=True, seconds=True) == (
        "09:05:07 on 7 Dec 2026"
    )


def test_times_are_shown_in_uk_time():
    # 13:05 UTC in July is 14:05 in London (BST); in December London is on UTC.
    assert format_moment(datetime(2026, 7, 1, 13, 5, tzinfo=UTC)) == "14:05 on 1 July 2026"
    assert format_clock(datetime(2026, 7, 1, 13, 5, tzinfo=UTC)) == "14:05"
    assert format_clock(datetime(2026, 12, 7, 13, 5, tzinfo=UTC)) == "13:05"


def test_the_day_of_a_time_is_its_day_in_the_uk():
    # 23:30 UTC on 30 June is 00:30 on 1 July in London.
    assert format_day(datetime(2026, 6, 30, 23, 30, tzinfo=UTC)) == "1 July 2026"
    assert format_moment(datetime(2026, 6, 30, 23, 30, tzinfo=UTC)) == "00:30 on 1 July 2026"


def test_it_refuses_a_time_without_a_time_zone():
    for formatter in (format_day, format_clock, format_moment, format_utc_timestamp):
        with pytest.raises(ValueError, match="timezone-aware"):
            formatter(datetime(2026, 12, 7, 14, 30))


def test_the_machine_timestamp_is_utc_to_the_second_with_a_z():
    in_paris = timezone(timedelta(hours=1))

    assert format_utc_timestamp(datetime(2026, 7, 1, 10, 30, 15, 999, tzinfo=UTC)) == (
        "2026-07-01T10:30:15Z"
    )
    assert format_utc_timestamp(datetime(2026, 12, 7, 15, 30, tzinfo=in_paris)) == (
        "2026-12-07T14:30:00Z"
    )


def test_the_process_locale_changes_nothing(german_process_locale):
    assert format_day(date(2026, 12, 7)) == "7 December 2026"
    assert format_day(date(2026, 3, 1), short=True) == "1 Mar 2026"
    assert format_moment(datetime(2026, 12, 7, 14, 30, tzinfo=UTC)) == "14:30 on 7 December 2026"


# --- The template filters ---------------------------------------------------------------------


def test_the_filters_show_what_the_functions_do():
    moment = datetime(2026, 7, 1, 13, 5, 9, tzinfo=UTC)

    assert render("{{ d|day }}", d=date(2026, 12, 7)) == "7 December 2026"
    assert render('{{ d|day:"short" }}', d=date(2026, 12, 7)) == "7 Dec 2026"
    assert render("{{ m|day }}", m=moment) == "1 July 2026"
    assert render("{{ m|moment }}", m=moment) == "14:05 on 1 July 2026"
    assert render('{{ m|moment:"short" }}', m=moment) == "14:05 on 1 Jul 2026"
    assert render('{{ m|moment:"short seconds" }}', m=moment) == "14:05:09 on 1 Jul 2026"
    assert render("{{ m|clock }}", m=moment) == "14:05"


def test_a_missing_value_shows_nothing_so_default_still_works():
    assert render('{{ d|day|default:"Not set" }}', d=None) == "Not set"
    assert render('{{ m|moment|default:"Not set" }}', m=None) == "Not set"
    assert render("[{{ m|clock }}]", m="") == "[]"


def test_a_misspelt_style_fails_loudly():
    with pytest.raises(TemplateSyntaxError, match="Unknown date style"):
        render('{{ d|day:"shrot" }}', d=date(2026, 12, 7))
    with pytest.raises(TemplateSyntaxError, match="Unknown date style"):
        render('{{ m|clock:"short" }}', m=datetime(2026, 12, 7, tzinfo=UTC))


def test_the_filters_ignore_the_active_language_and_the_process_locale(
    german_language, german_process_locale
):
    assert render("{{ d|day }}", d=date(2026, 12, 7)) == "7 December 2026"
    assert render("{{ m|moment }}", m=datetime(2026, 12, 7, 14, 30, tzinfo=UTC)) == (
        "14:30 on 7 December 2026"
    )


# --- Every place that shows a day -------------------------------------------------------------

EXPIRED_ON = date(2025, 12, 7)


@pytest.mark.django_db
def test_pages_an_email_the_pdf_and_the_verification_page_write_a_day_alike(
    german_language,
    german_process_locale,
    worker,
    registrar,
    employer,
    employer_organisation,
    django_capture_on_commit_callbacks,
):
    """One expiry date, 7 December 2025, as five places show it, on a server whose locale and
    active language are German: every one says "7 December 2025", none "Dezember"."""
    keys.signing_key_create()
    entry = RegisterEntryFactory(application__worker=worker, application__legal_name="Wendy Worker")
    entry.employers.add(employer_organisation)
    fire_safety = TrainingRecordFactory(
        entry=entry,
        standard=TrainingStandard.objects.get(code="fire-safety"),
        completed_on=date(2024, 12, 7),
        expires_on=EXPIRED_ON,
    )
    waiting = TrainingRecordFactory(
        entry=entry,
        standard=TrainingStandard.objects.get(code="food-hygiene"),
        completed_on=date(2024, 12, 7),
        expires_on=None,
    )
    TrainingRecord.objects.filter(pk=waiting.pk).update(
        status=TrainingRecord.Status.UNVERIFIED, expires_on=EXPIRED_ON
    )
    passport = passport_issue(entry=entry, requested_by=worker)
    worker_client, registrar_client = Client(), Client()
    worker_client.force_login(worker)
    registrar_client.force_login(registrar)
    with django_capture_on_commit_callbacks(execute=True):
        training_expiry_notify(record=fire_safety, today=EXPIRED_ON + timedelta(days=1))

    pdf = worker_client.get(reverse("passports:download-pdf", args=[passport.public_id]))
    pdf_text = " ".join(PdfReader(io.BytesIO(pdf.content)).pages[0].extract_text().split())
    shown = {
        # core.dates in Python, through a selector's label, and the |day:"short" filter.
        "the worker's passport page": worker_client.get(reverse("passports:page")),
        # The |day filter.
        "the registrar's check page": registrar_client.get(
            reverse("passports:registrar-decide", args=[waiting.pk])
        ),
        "the verification page": Client().get(
            reverse("passports:verify-link", args=[passport.public_id])
        ),
    }
    pages = {where: response.content.decode() for where, response in shown.items()}
    (email,) = [message for message in mail.outbox if employer.email in message.to]

    assert "Expired on 7 December 2025" in pages["the worker's passport page"]
    assert '<td data-label="Expires">7 Dec 2025</td>' in pages["the worker's passport page"]
    assert "<dt>Expires</dt><dd>7 December 2025</dd>" in pages["the registrar's check page"]
    assert "Expired on 7 December 2025." in pages["the verification page"]
    assert "training expired on 7 December 2025," in email.body
    assert "Fire safety 7 December 2024 7 December 2025" in pdf_text
    assert "Expired on 7 December 2025" in pdf_text
    for text in [*pages.values(), email.body, pdf_text]:
        assert "Dezember" not in text and "Dez " not in text
