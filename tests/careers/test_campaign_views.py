# ruff: noqa: F811  (pytest fixtures imported from tests/careers/*_fixtures.py)
"""Campaigns, the pages: who may open each (an access table per role), the public page and its
search by distance, the tracked link counting a visit through to an application, booking an
open day, the funnel and its CSV, and the toolkit's poster (PDF) and share image (PNG)."""

import io

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from PIL import Image
from pypdf import PdfReader

from careers.campaigns_middleware import SESSION_KEY
from careers.models import Campaign, CampaignApplication, CampaignCount, CampaignEventBooking
from careers.services import campaigns
from jobs.models import Application, Vacancy
from tests.careers.campaign_fixtures import (  # noqa: F401  (fixtures)
    campaign,
    campaign_draft,
    joined,
    open_day,
    tagged,
    vacancy,
)
from tests.factories import VacancyFactory, place_make

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "worker", "employer", "employer_member", "association_admin", "outsider"]


@pytest.fixture
def as_role(request):
    def client_for(role):
        client = Client()
        if role != "anonymous":
            client.force_login(request.getfixturevalue(role))
        return client

    return client_for


def _counts(campaign) -> dict[str, int]:
    totals: dict[str, int] = {}
    for row in CampaignCount.objects.filter(campaign=campaign):
        totals[row.stage] = totals.get(row.stage, 0) + row.count
    return totals


# The access table: for each GET page, what each role gets, in ROLES order.
PAGES = {
    "careers:campaign-link": ("code", "302 302 302 302 302 302"),
    "careers:campaign-vacancy-link": ("code+vacancy", "302 302 302 302 302 302"),
    "careers:campaign": ("code", "200 200 200 200 200 200"),
    "careers:event": ("event", "200 200 200 200 200 200"),
    "careers:association-campaigns": ("association", "302 404 404 404 200 404"),
    "careers:campaign-new": ("association", "302 404 404 404 200 404"),
    "careers:campaign-manage": ("reference", "302 404 404 404 200 404"),
    "careers:campaign-funnel": ("reference", "302 404 404 404 200 404"),
    "careers:campaign-funnel-csv": ("reference", "302 404 404 404 200 404"),
    "careers:employer-campaigns": ("employer", "302 404 200 200 404 404"),
    "careers:employer-campaign": ("employer+code", "302 404 200 200 404 404"),
    "careers:event-new": ("employer+code", "302 404 200 200 404 404"),
    "careers:campaign-poster": ("employer+code", "302 404 200 200 404 404"),
    "careers:campaign-share-image": ("employer+code", "302 404 200 200 404 404"),
}


@pytest.mark.parametrize("name", sorted(PAGES))
def test_each_page_answers_each_role_as_the_table_says(
    name, as_role, campaign, tagged, open_day, employer_organisation, association
):
    kind, expected = PAGES[name]
    args = {
        "code": [campaign.code],
        "code+vacancy": [campaign.code, tagged.reference],
        "event": [open_day.reference],
        "association": [association.pk],
        "reference": [campaign.reference],
        "employer": [employer_organisation.pk],
        "employer+code": [employer_organisation.pk, campaign.code],
    }[kind]
    url = reverse(name, args=args)

    got = " ".join(str(as_role(role).get(url).status_code) for role in ROLES)

    assert got == expected


# The POST-only actions: who may do them.
ACTIONS = {
    "careers:campaign-publish": ("draft", "302 404 404 404 302 404"),
    "careers:campaign-end": ("reference", "302 404 404 404 302 404"),
    "careers:employer-campaign-join": ("employer+code", "302 404 302 302 404 404"),
    "careers:event-cancel": ("event", "302 404 302 302 404 404"),
}


@pytest.mark.parametrize("name", sorted(ACTIONS))
def test_each_action_answers_each_role_as_the_table_says(
    name, as_role, campaign, open_day, employer_organisation, association, association_admin
):
    kind, expected = ACTIONS[name]
    draft = campaigns.campaign_create(
        organisation=association,
        user=association_admin,
        details=campaigns.CampaignDetails(
            name="Another",
            starts_on=campaign.starts_on,
            ends_on=campaign.ends_on,
            area="Leeds",
            message="Hello.",
        ),
    )
    args = {
        "draft": [draft.reference],
        "reference": [campaign.reference],
        "employer+code": [employer_organisation.pk, campaign.code],
        "event": [open_day.reference],
    }[kind]
    url = reverse(name, args=args)
    got = []
    for role in ROLES:
        got.append(str(as_role(role).post(url).status_code))
    # Only the first allowed role changes anything; later ones are redirected with a message.
    assert " ".join(got) == expected


def test_a_draft_campaign_has_no_public_page(campaign_draft):
    assert Client().get(reverse("careers:campaign", args=[campaign_draft.code])).status_code == 404
    assert (
        Client().get(reverse("careers:campaign-link", args=[campaign_draft.code])).status_code
        == 404
    )


def test_an_association_member_starts_and_publishes_a_campaign_through_the_pages(
    as_role, association
):
    place_make("town", "leeds", "Leeds", 53.79648, -1.54785)
    client = as_role("association_admin")
    response = client.post(
        reverse("careers:campaign-new", args=[association.pk]),
        {
            "name": "Good Care Month, January 2027",
            "starts_on_0": "1",
            "starts_on_1": "1",
            "starts_on_2": "2027",
            "ends_on_0": "31",
            "ends_on_1": "1",
            "ends_on_2": "2027",
            "area": "Leeds",
            "message": "Come and meet care workers.",
            "hashtags": "#GoodCareMonth",
        },
    )
    campaign = Campaign.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("careers:campaign-manage", args=[campaign.reference])
    client.post(reverse("careers:campaign-publish", args=[campaign.reference]))
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.PUBLISHED


def test_the_campaign_form_says_what_is_wrong(as_role, association):
    response = as_role("association_admin").post(
        reverse("careers:campaign-new", args=[association.pk]),
        {"name": "", "area": "Atlantis", "message": ""},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Enter the campaign&#x27;s name" in page or "Enter the campaign's name" in page
    assert not Campaign.objects.exists()


def test_the_public_page_shows_tagged_jobs_open_days_and_searches_by_distance(
    campaign, tagged, open_day, employer_organisation, employer
):
    untagged = VacancyFactory(
        organisation=employer_organisation, status=Vacancy.Status.PUBLISHED, title="Cook"
    )
    page = Client().get(reverse("careers:campaign", args=[campaign.code])).content.decode()
    assert tagged.title in page and open_day.title in page
    assert untagged.title not in page

    near = Client().get(
        reverse("careers:campaign", args=[campaign.code]), {"where": "LS1", "miles": "5"}
    )
    assert near.status_code == 200
    assert "within 5 miles of LS1" in near.content.decode()
    assert "1 job" in near.content.decode()
    place_make("town", "york", "York", 53.959, -1.0815)
    far = Client().get(
        reverse("careers:campaign", args=[campaign.code]), {"where": "York", "miles": "5"}
    )
    assert "0 jobs" in far.content.decode()


def test_the_employer_tags_a_vacancy_through_its_page(
    as_role, campaign, joined, vacancy, employer_organisation
):
    url = reverse("careers:employer-campaign", args=[employer_organisation.pk, campaign.code])
    response = as_role("employer").post(url, {"vacancies": [str(vacancy.pk)]})
    assert response.status_code == 302
    assert campaign.vacancy_tags.filter(vacancy=vacancy).exists()


def test_the_tracked_link_counts_an_arrival_a_view_and_an_application_without_a_name(
    as_role, campaign, tagged, worker
):
    client = as_role("worker")
    response = client.get(
        reverse("careers:campaign-vacancy-link", args=[campaign.code, tagged.reference])
    )
    assert response["Location"] == reverse("jobs:vacancy", args=[tagged.reference])
    assert client.session[SESSION_KEY]["id"] == campaign.pk
    client.get(response["Location"])
    client.get(response["Location"])  # a second look is not a second person
    client.get(reverse("careers:campaign-link", args=[campaign.code]))  # nor a second arrival
    assert _counts(campaign) == {"arrived": 1, "viewed": 1}

    # The application is sent through jobs' own three screens.
    client.post(
        reverse("jobs:apply", args=[tagged.reference]),
        {"statement": "I want to care.", "availability": "Nights."},
    )
    client.post(
        reverse("jobs:apply-questions", args=[tagged.reference]),
        {"shares_identity_checks": "False"},
    )
    sent = client.post(reverse("jobs:apply-check", args=[tagged.reference]), {})
    assert sent.status_code == 302, sent.content.decode()
    application = Application.objects.get(applicant=worker)
    assert _counts(campaign) == {"arrived": 1, "viewed": 1, "applied": 1}
    assert CampaignApplication.objects.get().application == application
    # A second Send finds the first application and counts nothing more.
    client.post(reverse("jobs:apply-check", args=[tagged.reference]), {})
    assert _counts(campaign)["applied"] == 1
    # No count names a person: the rows hold a campaign, an employer, a stage, a day and a count.
    assert all(
        row.organisation_id == tagged.organisation_id or row.organisation_id is None
        for row in CampaignCount.objects.all()
    )


def test_a_code_on_any_link_is_kept_as_well(campaign, tagged):
    client = Client()
    client.get(reverse("jobs:vacancy", args=[tagged.reference]), {"c": campaign.code})
    assert client.session[SESSION_KEY]["id"] == campaign.pk
    assert _counts(campaign) == {"arrived": 1, "viewed": 1}


def test_an_ended_campaigns_link_counts_nobody(campaign, association_admin):
    campaigns.campaign_end(campaign=campaign, user=association_admin)
    Client().get(reverse("careers:campaign-link", args=[campaign.code]))
    assert _counts(campaign) == {}


def test_people_book_and_cancel_a_place_at_an_open_day(as_role, open_day):
    client = as_role("worker")
    client.post(reverse("careers:event-book", args=[open_day.reference]))
    booking = CampaignEventBooking.objects.get()
    assert booking.is_active
    page = client.get(reverse("careers:event", args=[open_day.reference])).content.decode()
    assert "You have a place" in page
    client.post(reverse("careers:event-booking-cancel", args=[open_day.reference]))
    booking.refresh_from_db()
    assert not booking.is_active


def test_booking_needs_an_account(open_day):
    response = Client().post(reverse("careers:event-book", args=[open_day.reference]))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    assert not CampaignEventBooking.objects.exists()


def test_the_funnel_page_and_csv_show_suppressed_counts(as_role, campaign, employer_organisation):
    for _ in range(7):
        campaigns.campaign_count_add(
            campaign_id=campaign.pk, organisation_id=employer_organisation.pk, stage="viewed"
        )
    campaigns.campaign_count_add(
        campaign_id=campaign.pk, organisation_id=employer_organisation.pk, stage="applied"
    )
    client = as_role("association_admin")
    page = client.get(
        reverse("careers:campaign-funnel", args=[campaign.reference])
    ).content.decode()
    assert "fewer than 5" in page and ">7<" in page
    csv = client.get(reverse("careers:campaign-funnel-csv", args=[campaign.reference]))
    assert csv["Content-Type"].startswith("text/csv")
    text = csv.content.decode("utf-8-sig")
    assert "By employer,Sunrise Care Homes,0,7,fewer than 5,0,0" in text


def test_the_poster_is_an_a4_pdf_with_the_tracked_link_in_its_qr_code(
    as_role, campaign, tagged, employer_organisation
):
    url = reverse("careers:campaign-poster", args=[employer_organisation.pk, campaign.code])
    response = as_role("employer").get(url, {"vacancy": tagged.reference})
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    page = reader.pages[0]
    assert [round(float(side)) for side in page.mediabox[2:]] == [595, 842]
    link = f"{settings.SITE_URL}/c/{campaign.code}/{tagged.reference}/"
    text = page.extract_text()
    assert campaign.name in text.replace("\n", " ") and tagged.title in text
    assert link in text
    assert [annotation.get_object()["/A"]["/URI"] for annotation in page["/Annots"]] == [link]


def test_a_poster_for_a_vacancy_not_in_the_campaign_is_not_found(
    as_role, campaign, joined, employer_organisation
):
    other = VacancyFactory(organisation=employer_organisation, status=Vacancy.Status.PUBLISHED)
    url = reverse("careers:campaign-poster", args=[employer_organisation.pk, campaign.code])
    assert as_role("employer").get(url, {"vacancy": other.reference}).status_code == 404


def test_the_share_image_is_a_png_pillow_opens(as_role, campaign, joined, employer_organisation):
    url = reverse("careers:campaign-share-image", args=[employer_organisation.pk, campaign.code])
    response = as_role("employer").get(url)
    assert response["Content-Type"] == "image/png"
    with Image.open(io.BytesIO(response.content)) as image:
        assert image.format == "PNG" and image.size == (1200, 630)


def test_the_poster_prints_what_people_typed_as_text_not_markup():
    from careers.campaign_toolkit import CampaignPosterRenderer, PosterContent

    pdf = CampaignPosterRenderer().render(
        PosterContent(
            campaign_name="Care <b>Month</b> & more",
            message="<font color='red'>Come</font>",
            hashtags="#Care",
            employer="O'Brien & Daughters <Care>",
            dates="1 January 2027 to 31 January 2027",
            link="https://careregister.example/c/abc2345/",
        )
    )
    text = " ".join(PdfReader(io.BytesIO(pdf)).pages[0].extract_text().split())
    assert "Care <b>Month</b> & more" in text
    assert "<font color='red'>Come</font>" in text
    assert "O'Brien & Daughters <Care>" in text


def test_the_session_keeps_the_campaign_and_the_vacancies_opened_and_no_time(campaign, tagged):
    client = Client()
    client.get(reverse("careers:campaign-vacancy-link", args=[campaign.code, tagged.reference]))
    client.get(reverse("jobs:vacancy", args=[tagged.reference]))
    assert client.session[SESSION_KEY] == {"id": campaign.pk, "viewed": [tagged.reference]}


def test_arrivals_beyond_the_limit_for_an_address_are_served_but_not_counted(
    campaign, tagged, monkeypatch
):
    from django.contrib.sessions.models import Session

    monkeypatch.setattr(campaigns, "ARRIVALS_PER_ADDRESS_PER_HOUR", 2)
    link = reverse("careers:campaign-link", args=[campaign.code])
    for _ in range(2):
        Client().get(link)
    beyond = Client().get(link)
    assert beyond.status_code == 302
    assert beyond["Location"] == reverse("careers:campaign", args=[campaign.code])
    assert settings.SESSION_COOKIE_NAME not in beyond.cookies
    beyond = Client().get(reverse("jobs:vacancy", args=[tagged.reference]), {"c": campaign.code})
    assert beyond.status_code == 200
    assert settings.SESSION_COOKIE_NAME not in beyond.cookies
    assert _counts(campaign) == {"arrived": 2}
    assert Session.objects.count() == 2
    Client(REMOTE_ADDR="192.0.2.9").get(link)
    assert _counts(campaign) == {"arrived": 3}


def test_a_code_on_a_vacancy_the_campaign_does_not_show_credits_no_employer(campaign, tagged):
    elsewhere = VacancyFactory(status=Vacancy.Status.PUBLISHED)
    Client().get(reverse("jobs:vacancy", args=[elsewhere.reference]), {"c": campaign.code})
    assert list(CampaignCount.objects.values_list("stage", "organisation_id")) == [
        ("arrived", None)
    ]
    Client().get(reverse("jobs:vacancy", args=[tagged.reference]), {"c": campaign.code})
    assert CampaignCount.objects.filter(
        stage="arrived", organisation_id=tagged.organisation_id
    ).exists()


def test_an_application_sent_before_the_code_came_is_not_the_campaigns(
    as_role, campaign, tagged, worker
):
    from tests.factories import JobApplicationFactory

    JobApplicationFactory(vacancy=tagged, applicant=worker)
    client = as_role("worker")
    client.get(reverse("careers:campaign-vacancy-link", args=[campaign.code, tagged.reference]))
    client.post(
        reverse("jobs:apply", args=[tagged.reference]),
        {"statement": "I want to care.", "availability": "Nights."},
    )
    client.post(
        reverse("jobs:apply-questions", args=[tagged.reference]),
        {"shares_identity_checks": "False"},
    )
    # Send answers "you have already applied" with the older application.
    sent = client.post(reverse("jobs:apply-check", args=[tagged.reference]), {})
    assert sent.status_code == 302, sent.content.decode()
    assert "applied" not in _counts(campaign)
    assert not CampaignApplication.objects.exists()
