"""The demo's campaign for `manage.py seed_demo`: the Care Workers' Association runs "Good Care
Month, January 2027" in Leeds; Sunrise Care Homes joins it, tags its published vacancies in
Leeds and its published stories (demo/careers_stories.py), and posts an open day at Sunrise
House. Made through the services, as the people would. Safe to run again: a campaign already
seeded is left as it is.

Seeded after January 2027 has begun, the open day moves to tomorrow; seeded after it ended,
the campaign is the next January's, so a newcomer always sees one running."""

import datetime

from django.utils import timezone

from accounts.models import Organisation, User
from careers.models import Campaign
from careers.selectors.stories import stories_published_of_organisation
from careers.services import campaigns
from jobs.models import Vacancy

ASSOCIATION_ADMIN = "association@example.com"
SUNRISE, SUNRISE_OWNER = "Sunrise Care Homes", "employer@example.com"
MESSAGE = (
    "Care work in Leeds is skilled work that matters. This January, employers across the city "
    "open their doors: meet the people who do it, ask anything, and see whether it is for you. "
    "No experience needed, and every job here says its pay as an hourly rate."
)


def _january(today: datetime.date) -> int:
    return 2027 if today <= datetime.date(2027, 1, 31) else today.year + (today.month > 1)


def demo_campaign_name(today: datetime.date | None = None) -> str:
    return f"Good Care Month, January {_january(today or timezone.localdate())}"


def seed_demo_campaign() -> Campaign | None:
    """The demo's campaign, published and joined; None if it was seeded already."""
    today = timezone.localdate()
    name = demo_campaign_name(today)
    if Campaign.objects.filter(name=name).exists():
        return None
    year = _january(today)
    admin = User.objects.get(email=ASSOCIATION_ADMIN)
    association = admin.organisations.get(kind=Organisation.Kind.ASSOCIATION)
    campaign = campaigns.campaign_create(
        organisation=association,
        user=admin,
        details=campaigns.CampaignDetails(
            name=name,
            starts_on=datetime.date(year, 1, 1),
            ends_on=datetime.date(year, 1, 31),
            area="Leeds",
            message=MESSAGE,
            hashtags="#GoodCareMonth #CareJobsLeeds",
        ),
    )
    campaigns.campaign_publish(campaign=campaign, user=admin)
    sunrise = Organisation.objects.get(name=SUNRISE)
    owner = User.objects.get(email=SUNRISE_OWNER)
    campaigns.campaign_join(campaign=campaign, organisation=sunrise, user=owner)
    in_leeds = [
        vacancy.pk
        for vacancy in Vacancy.objects.filter(organisation=sunrise, status=Vacancy.Status.PUBLISHED)
        if campaigns.campaign_area_matches(campaign, town=vacancy.town, postcode=vacancy.postcode)
    ]
    campaigns.campaign_tags_set(
        campaign=campaign,
        organisation=sunrise,
        user=owner,
        vacancy_ids=in_leeds,
        story_ids=list(
            stories_published_of_organisation(organisation_id=sunrise.pk).values_list(
                "pk", flat=True
            )
        ),
    )
    day = min(max(datetime.date(year, 1, 14), today + datetime.timedelta(days=1)), campaign.ends_on)
    campaigns.event_create(
        campaign=campaign,
        organisation=sunrise,
        user=owner,
        details=campaigns.EventDetails(
            title="Open day at Sunrise House",
            day=day,
            starts_at=datetime.time(10, 0),
            ends_at=datetime.time(14, 0),
            place="Sunrise House, 14 Headingley Lane, Leeds",
            postcode="LS6 2QT",
            capacity=30,
            description=(
                "Meet the team and some of the people who live here, see a day's work, and ask "
                "about training, shifts and pay. Tea and cake provided."
            ),
        ),
    )
    return campaign
