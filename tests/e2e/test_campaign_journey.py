"""A campaign on a 360-pixel phone, end to end: an association writes Good Care Month (dates
typed the GOV.UK way, an area of towns and postcode districts) and publishes it; an employer
joins it, tags its vacancy and downloads the poster; a candidate arrives by the link in the
poster's QR code, signs in and applies; and the association's funnel shows the arrival, the
view and the application, each as "fewer than 5" since small numbers are withheld. axe-core
checks every page, and every page fits the screen."""

import io
import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from careers.models import Campaign, CampaignCount
from jobs.models import Application, Vacancy
from tests.e2e.accessibility import assert_accessible, assert_fits_width
from tests.e2e.conftest import sign_in
from tests.e2e.dates import type_date
from tests.factories import VacancyFactory, places_leeds


def _checked(page) -> None:
    assert_accessible(page)
    assert_fits_width(page, 360)


@pytest.mark.django_db(transaction=True)
def test_a_campaign_poster_brings_a_candidate_who_applies_and_the_funnel_shows_it(
    new_page, association_admin, association, employer, employer_organisation, outsider
):
    places_leeds()
    vacancy = VacancyFactory(
        organisation=employer_organisation,
        created_by=employer,
        status=Vacancy.Status.PUBLISHED,
        title="Care assistant",
    )
    today = timezone.localdate()

    # The association writes the campaign and publishes it.
    runner = new_page("association", phone=True)
    sign_in(runner, association_admin)
    runner.goto(reverse("careers:association-campaigns", args=[association.pk]))
    _checked(runner)
    runner.get_by_role("link", name="Start a campaign").click()
    _checked(runner)
    runner.get_by_label("Campaign name").fill("Good Care Month")
    type_date(runner, "First day", today)
    type_date(runner, "Last day", today + timedelta(days=30))
    runner.get_by_label("Area").fill("Leeds, Atlantis")
    runner.get_by_label("Message").fill("Care work in Leeds: come and meet the people who do it.")
    runner.get_by_label("Hashtags (optional)").fill("#GoodCareMonth")
    runner.get_by_role("button", name="Save the draft").click()
    summary = runner.get_by_role("alert")
    summary.wait_for()
    assert "We could not find Atlantis" in summary.inner_text()
    _checked(runner)
    runner.get_by_label("Area").fill("Leeds, LS1")
    runner.get_by_role("button", name="Save the draft").click()
    runner.wait_for_url(re.compile(r"/careers/manage/campaigns/\w+/$"))
    _checked(runner)
    runner.get_by_role("button", name="Publish the campaign").click()
    runner.get_by_text("The campaign is published.").wait_for()
    _checked(runner)
    campaign = Campaign.objects.get()
    assert campaign.status == Campaign.Status.PUBLISHED

    # The employer joins, tags its vacancy and downloads the vacancy's poster.
    boss = new_page("employer", phone=True)
    sign_in(boss, employer)
    boss.goto(reverse("careers:employer-campaigns", args=[employer_organisation.pk]))
    _checked(boss)
    boss.get_by_role("link", name="Good Care Month").click()
    _checked(boss)
    boss.get_by_role("button", name="Join Good Care Month").click()
    boss.get_by_text("You joined Good Care Month.").wait_for()
    _checked(boss)
    boss.get_by_label(re.compile(r"^Care assistant, Leeds")).check()
    boss.get_by_role("button", name="Save what the campaign shows").click()
    boss.get_by_text("Saved: the campaign shows 1 of your vacancies").wait_for()
    _checked(boss)
    with boss.expect_download() as download:
        boss.get_by_role("link", name="Download a poster for Care assistant (PDF, A4)").click()
    with open(download.value.path(), "rb") as pdf:
        poster = PdfReader(io.BytesIO(pdf.read())).pages[0]
    links = [annotation.get_object()["/A"]["/URI"] for annotation in poster["/Annots"]]
    assert len(links) == 1 and links[0] in poster.extract_text()
    qr_link = links[0]
    assert qr_link.endswith(f"/c/{campaign.code}/{vacancy.reference}/")

    # The public campaign page shows the job.
    public = new_page("public", phone=True)
    public.goto(reverse("careers:campaign", args=[campaign.code]))
    assert "Care assistant" in public.locator("main").inner_text()
    _checked(public)

    # A candidate scans the QR code, lands on the vacancy, signs in and applies.
    candidate = new_page("candidate", phone=True)
    candidate.goto(qr_link)
    candidate.wait_for_url(re.compile(rf"/jobs/{vacancy.reference}/$"))
    _checked(candidate)
    sign_in(candidate, outsider)
    candidate.goto(reverse("jobs:apply", args=[vacancy.reference]))
    candidate.get_by_label("Supporting statement").fill("I saw your poster and want to care.")
    candidate.get_by_label("When are you available?").fill("Weekdays.")
    candidate.get_by_role("button", name="Continue").click()
    candidate.wait_for_url(re.compile(r"/apply/questions/$"))
    candidate.get_by_role("button", name="Continue").click()
    candidate.wait_for_url(re.compile(r"/apply/check/$"))
    candidate.get_by_role("button", name="Send").click()
    candidate.wait_for_url(re.compile(r"/my-applications/[A-Z0-9]+/$"))
    assert Application.objects.filter(vacancy=vacancy, applicant=outsider).exists()

    counts = {row.stage: row.count for row in CampaignCount.objects.filter(campaign=campaign)}
    assert counts == {"arrived": 1, "viewed": 1, "applied": 1}

    # The association's funnel shows it, small numbers withheld, and the CSV says the same.
    runner.goto(reverse("careers:campaign-funnel", args=[campaign.reference]))
    _checked(runner)
    employer_row = runner.locator("#by-employer + .table-wrapper tbody tr").filter(
        has_text="Sunrise Care Homes"
    )
    assert employer_row.inner_text().count("fewer than 5") == 3
    with runner.expect_download() as download:
        runner.get_by_role("link", name=re.compile(r"^Download the funnel")).click()
    with open(download.value.path(), encoding="utf-8-sig") as csv:
        assert "By employer,Sunrise Care Homes,fewer than 5,fewer than 5,fewer than 5,0,0" in (
            csv.read()
        )
