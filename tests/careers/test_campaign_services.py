# ruff: noqa: F811  (pytest fixtures imported from tests/careers/*_fixtures.py)
"""Campaigns, the services: an association writes, publishes and ends a campaign; employers
join and tag their vacancies in the area and their published stories; open days are booked,
reminded and cancelled; the funnel counts stages without keeping anyone."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.utils import timezone

from careers.models import (
    Campaign,
    CampaignApplication,
    CampaignCount,
    CampaignEventBooking,
    CampaignVacancy,
)
from careers.selectors.campaigns import (
    campaign_funnel,
    campaign_funnel_csv_rows,
    campaign_stories,
    campaign_vacancies,
)
from careers.services import campaigns
from careers.services import stories as story_services
from core.audit import AuditEvent
from jobs.models import Application, Vacancy
from jobs.services.applications import application_move
from tests.careers.campaign_fixtures import (  # noqa: F401  (fixtures)
    campaign,
    campaign_draft,
    details,
    event_details,
    joined,
    open_day,
    tagged,
    vacancy,
)
from tests.careers.stories_fixtures import (  # noqa: F401  (fixtures)
    consented,
    published,
    staff_membership,
    story,
)
from tests.factories import (
    JobApplicationFactory,
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
    VacancyFactory,
    place_make,
)

pytestmark = pytest.mark.django_db
Status = Campaign.Status


def _audited(target, action) -> bool:
    return AuditEvent.objects.filter(target_id=str(target.pk), action=action).exists()


# Writing, publishing, ending ---------------------------------------------------------------------


def test_an_association_member_starts_a_draft_campaign_with_its_area(campaign_draft):
    assert campaign_draft.status == Status.DRAFT
    assert sorted(place.name for place in campaign_draft.places.all()) == ["LS1", "Leeds"]
    assert campaign_draft.hashtag_list() == ["#GoodCareMonth", "#CareJobsLeeds"]
    assert _audited(campaign_draft, "careers.campaign.created")


def test_only_an_association_member_starts_a_campaign(association, employer, employer_organisation):
    with pytest.raises(PermissionDenied):
        campaigns.campaign_create(organisation=association, user=employer, details=details())
    with pytest.raises(PermissionDenied):
        campaigns.campaign_create(
            organisation=employer_organisation, user=employer, details=details()
        )


@pytest.mark.parametrize(
    ("overrides", "field", "words"),
    [
        ({"name": ""}, "name", "Enter the campaign's name"),
        ({"starts_on": None}, "starts_on", "Enter the day the campaign starts"),
        ({"ends_on": datetime.date(2020, 1, 1)}, "ends_on", "on or after"),
        ({"area": ""}, "area", "Enter the towns or postcode districts"),
        ({"area": "Atlantis"}, "area", "We could not find Atlantis"),
        ({"area": "LS1 4AP"}, "area", "full postcode"),
        ({"message": ""}, "message", "Write the campaign's message"),
        ({"hashtags": "GoodCare"}, "hashtags", "starting with #"),
    ],
)
def test_it_refuses_a_campaign_that_does_not_fit(
    association, association_admin, overrides, field, words
):
    place_make("district", "LS1", "LS1", 53.79, -1.54)
    place_make("town", "leeds", "Leeds", 53.79, -1.54)
    with pytest.raises(campaigns.CampaignInvalid) as refused:
        campaigns.campaign_create(
            organisation=association, user=association_admin, details=details(**overrides)
        )
    assert field in refused.value.problems
    assert words in refused.value.problems[field]
    assert not Campaign.objects.exists()


def test_a_draft_is_changed_but_a_published_campaign_keeps_its_words(
    campaign_draft, association_admin
):
    campaigns.campaign_update(
        campaign=campaign_draft, user=association_admin, details=details(area="LS1")
    )
    assert [place.key for place in campaign_draft.places.all()] == ["LS1"]
    assert _audited(campaign_draft, "careers.campaign.updated")
    campaigns.campaign_publish(campaign=campaign_draft, user=association_admin)
    with pytest.raises(campaigns.CampaignError, match="cannot be changed"):
        campaigns.campaign_update(
            campaign=campaign_draft, user=association_admin, details=details()
        )


def test_publishing_and_ending_are_audited_and_ended_is_final(campaign, association_admin):
    assert campaign.status == Status.PUBLISHED
    assert _audited(campaign, "careers.campaign.published")
    campaigns.campaign_end(campaign=campaign, user=association_admin)
    campaign.refresh_from_db()
    assert campaign.status == Status.ENDED
    assert _audited(campaign, "careers.campaign.ended")
    with pytest.raises(campaigns.CampaignError, match="ended"):
        campaigns.campaign_publish(campaign=campaign, user=association_admin)


def test_another_association_cannot_publish_it(campaign_draft):
    other = MembershipFactory(
        organisation=OrganisationFactory(kind="association"), role="owner"
    ).user
    with pytest.raises(PermissionDenied):
        campaigns.campaign_publish(campaign=campaign_draft, user=other)


# Employers join and tag --------------------------------------------------------------------------


def test_an_employer_joins_a_published_campaign_once(
    joined, campaign, employer_organisation, employer
):
    again = campaigns.campaign_join(
        campaign=campaign, organisation=employer_organisation, user=employer
    )
    assert again.pk == joined.pk
    assert AuditEvent.objects.filter(action="careers.campaign.joined").count() == 1


def test_an_employer_cannot_join_a_draft(campaign_draft, employer_organisation, employer):
    with pytest.raises(campaigns.CampaignError, match="not running"):
        campaigns.campaign_join(
            campaign=campaign_draft, organisation=employer_organisation, user=employer
        )


def test_an_unverified_employer_cannot_join(campaign):
    organisation = OrganisationFactory(verified=False)
    owner = MembershipFactory(organisation=organisation, role="owner").user
    with pytest.raises(campaigns.ApplicationError, match="not verified"):
        campaigns.campaign_join(campaign=campaign, organisation=organisation, user=owner)


def test_a_tagged_vacancy_in_the_area_shows_on_the_campaign(tagged, campaign):
    assert list(campaign_vacancies(campaign)) == [tagged]
    assert _audited(campaign, "careers.campaign.tags_set")


def test_a_vacancy_outside_the_area_or_not_published_is_refused(
    joined, campaign, employer_organisation, employer
):
    york = VacancyFactory(
        organisation=employer_organisation,
        status=Vacancy.Status.PUBLISHED,
        town="York",
        postcode="YO1 7HH",
        title="Night carer",
    )
    with pytest.raises(campaigns.CampaignError, match="Night carer is outside"):
        campaigns.campaign_tags_set(
            campaign=campaign,
            organisation=employer_organisation,
            user=employer,
            vacancy_ids=[york.pk],
            story_ids=[],
        )
    draft = VacancyFactory(organisation=employer_organisation)
    with pytest.raises(campaigns.CampaignError, match="published vacancies"):
        campaigns.campaign_tags_set(
            campaign=campaign,
            organisation=employer_organisation,
            user=employer,
            vacancy_ids=[draft.pk],
            story_ids=[],
        )
    assert not CampaignVacancy.objects.exists()


def test_an_employer_cannot_tag_another_employers_vacancy(
    joined, campaign, employer_organisation, employer
):
    theirs = VacancyFactory(status=Vacancy.Status.PUBLISHED)
    with pytest.raises(campaigns.CampaignError):
        campaigns.campaign_tags_set(
            campaign=campaign,
            organisation=employer_organisation,
            user=employer,
            vacancy_ids=[theirs.pk],
            story_ids=[],
        )


def test_an_employer_that_has_not_joined_cannot_tag(
    campaign, employer_organisation, employer, vacancy
):
    with pytest.raises(campaigns.CampaignError, match="Join the campaign first"):
        campaigns.campaign_tags_set(
            campaign=campaign,
            organisation=employer_organisation,
            user=employer,
            vacancy_ids=[vacancy.pk],
            story_ids=[],
        )


def test_untagging_takes_a_vacancy_off_and_a_closed_vacancy_leaves_by_itself(
    tagged, campaign, employer_organisation, employer
):
    Vacancy.objects.filter(pk=tagged.pk).update(status=Vacancy.Status.CLOSED)
    assert not campaign_vacancies(campaign).exists()
    campaigns.campaign_tags_set(
        campaign=campaign,
        organisation=employer_organisation,
        user=employer,
        vacancy_ids=[],
        story_ids=[],
    )
    assert not CampaignVacancy.objects.exists()


def test_a_tagged_story_leaves_the_campaign_when_consent_is_withdrawn(
    joined, campaign, published, employer_organisation, employer, worker
):
    campaigns.campaign_tags_set(
        campaign=campaign,
        organisation=employer_organisation,
        user=employer,
        vacancy_ids=[],
        story_ids=[published.pk],
    )
    assert list(campaign_stories(campaign)) == [published]
    story_services.story_consent_withdraw(story=published, worker=worker)
    assert not campaign_stories(campaign).exists()


def test_a_story_not_yet_published_cannot_be_tagged(
    joined, campaign, consented, employer_organisation, employer
):
    with pytest.raises(campaigns.CampaignError, match="published stories"):
        campaigns.campaign_tags_set(
            campaign=campaign,
            organisation=employer_organisation,
            user=employer,
            vacancy_ids=[],
            story_ids=[consented.pk],
        )


# Open days ---------------------------------------------------------------------------------------


def test_a_joined_employer_posts_an_open_day_in_the_area(open_day):
    assert open_day.capacity == 2
    assert _audited(open_day, "careers.campaign_event.created")


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"day": datetime.date(2020, 1, 1)}, "day"),
        ({"day": timezone.localdate() + datetime.timedelta(days=300)}, "day"),
        ({"ends_at": datetime.time(9, 0)}, "ends_at"),
        ({"postcode": "YO1 7HH", "place": "1 Minster Yard, York"}, "postcode"),
        ({"capacity": 0}, "capacity"),
        ({"title": ""}, "title"),
    ],
)
def test_it_refuses_an_open_day_that_does_not_fit(
    joined, campaign, employer_organisation, employer, overrides, field
):
    with pytest.raises(campaigns.CampaignInvalid) as refused:
        campaigns.event_create(
            campaign=campaign,
            organisation=employer_organisation,
            user=employer,
            details=event_details(**overrides),
        )
    assert field in refused.value.problems


def test_people_book_until_the_places_are_taken_and_a_cancelled_place_is_given_back(
    open_day, django_capture_on_commit_callbacks
):
    first, second, third = UserFactory(), UserFactory(), UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        booking = campaigns.event_book(event=open_day, user=first)
    assert any("is booked" in message.subject for message in mail.outbox)
    assert campaigns.event_book(event=open_day, user=first).pk == booking.pk
    campaigns.event_book(event=open_day, user=second)
    with pytest.raises(campaigns.CampaignError, match="Every place"):
        campaigns.event_book(event=open_day, user=third)
    campaigns.event_booking_cancel(booking=booking, user=first)
    assert _audited(booking, "careers.campaign_event.booking_cancelled")
    campaigns.event_book(event=open_day, user=third)
    with pytest.raises(campaigns.CampaignError, match="Every place"):
        campaigns.event_book(event=open_day, user=first)


def test_only_the_person_cancels_their_booking(open_day, outsider):
    booking = campaigns.event_book(event=open_day, user=UserFactory())
    with pytest.raises(PermissionDenied):
        campaigns.event_booking_cancel(booking=booking, user=outsider)


def test_a_reminder_goes_the_day_before_once(open_day, django_capture_on_commit_callbacks):
    booking = campaigns.event_book(event=open_day, user=UserFactory())
    mail.outbox.clear()
    day_before = open_day.day - datetime.timedelta(days=1)
    assert campaigns.event_reminders_send(today=day_before - datetime.timedelta(days=1)) == []
    assert campaigns.event_reminders_send(today=day_before, dry_run=True) == [booking.reference]
    with django_capture_on_commit_callbacks(execute=True):
        assert campaigns.event_reminders_send(today=day_before) == [booking.reference]
    assert [message.subject for message in mail.outbox] == [
        f"[Care Register] Tomorrow: {open_day.title}"
    ]
    assert campaigns.event_reminders_send(today=day_before) == []


def test_the_reminder_command_is_a_periodic_command(settings):
    assert "send_event_reminders" in settings.PERIODIC_COMMANDS
    call_command("send_event_reminders", "--dry-run")


def test_cancelling_an_open_day_tells_everyone_booked(
    open_day, employer, django_capture_on_commit_callbacks
):
    campaigns.event_book(event=open_day, user=UserFactory(email="booked@example.org"))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        campaigns.event_cancel(event=open_day, user=employer)
    assert [message.to for message in mail.outbox] == [["booked@example.org"]]
    with pytest.raises(campaigns.CampaignError):
        campaigns.event_book(event=open_day, user=UserFactory())


def test_another_employer_cannot_cancel_the_open_day(open_day):
    other = MembershipFactory(organisation=OrganisationFactory(), role="owner").user
    with pytest.raises(PermissionDenied):
        campaigns.event_cancel(event=open_day, user=other)


# Attribution -------------------------------------------------------------------------------------


def _count(campaign, stage) -> int:
    return sum(
        CampaignCount.objects.filter(campaign=campaign, stage=stage).values_list("count", flat=True)
    )


def test_counts_add_up_per_day_in_one_row(campaign, employer_organisation):
    for _ in range(3):
        campaigns.campaign_count_add(
            campaign_id=campaign.pk, organisation_id=employer_organisation.pk, stage="viewed"
        )
    campaigns.campaign_count_add(campaign_id=campaign.pk, organisation_id=None, stage="arrived")
    campaigns.campaign_count_add(campaign_id=campaign.pk, organisation_id=None, stage="arrived")
    assert CampaignCount.objects.count() == 2
    assert _count(campaign, "viewed") == 3
    assert _count(campaign, "arrived") == 2


def test_an_attributed_application_counts_its_trial_and_hire_then_forgets_the_campaign(
    tagged, campaign, employer
):
    application = JobApplicationFactory(vacancy=tagged)
    assert campaigns.campaign_application_attribute(
        campaign_id=campaign.pk, application=application
    )
    assert not campaigns.campaign_application_attribute(
        campaign_id=campaign.pk, application=application
    )
    assert _count(campaign, "applied") == 1
    application_move(application=application, to=Application.Stage.TRIAL_OFFERED, actor=employer)
    application_move(application=application, to=Application.Stage.INTERVIEW, actor=employer)
    application_move(application=application, to=Application.Stage.TRIAL_OFFERED, actor=employer)
    assert _count(campaign, "trial") == 1
    application_move(
        application=application,
        to=Application.Stage.NOT_PROGRESSED,
        actor=employer,
        message="Thank you for your time.",
    )
    assert not CampaignApplication.objects.exists()
    assert _count(campaign, "hired") == 0


def test_an_application_not_from_a_campaign_counts_nothing(tagged, campaign, employer):
    application = JobApplicationFactory(vacancy=tagged)
    application_move(application=application, to=Application.Stage.TRIAL_OFFERED, actor=employer)
    assert not CampaignCount.objects.exists()


# The funnel --------------------------------------------------------------------------------------


def test_the_funnel_withholds_small_numbers_and_keeps_totals_honest(
    campaign, employer_organisation
):
    other = OrganisationFactory(name="Acorn Home Care")
    monday = campaigns.week_of(timezone.localdate())
    for _ in range(20):
        campaigns.campaign_count_add(
            campaign_id=campaign.pk,
            organisation_id=employer_organisation.pk,
            stage="viewed",
            day=monday,
        )
    for _ in range(2):
        campaigns.campaign_count_add(
            campaign_id=campaign.pk,
            organisation_id=other.pk,
            stage="viewed",
            day=monday,
        )
    campaigns.campaign_count_add(
        campaign_id=campaign.pk, organisation_id=employer_organisation.pk, stage="hired", day=monday
    )
    funnel = campaign_funnel(campaign=campaign)
    viewed = [stage.value for stage in CampaignCount.Stage].index("viewed")
    hired = [stage.value for stage in CampaignCount.Stage].index("hired")
    by_name = dict(funnel.employers)
    assert by_name["Acorn Home Care"][viewed] == "fewer than 5"
    # Secondary suppression: with Acorn's 2 hidden, Sunrise's 20 would give it away.
    assert by_name["Sunrise Care Homes"][viewed] == "withheld"
    assert funnel.totals[viewed] == 22
    assert funnel.totals[hired] == "fewer than 5"
    assert funnel.weeks == [(monday, [0, 22, 0, 0, "fewer than 5"])]
    rows = campaign_funnel_csv_rows(funnel)
    assert rows[0] == [
        "Table",
        "Week beginning or employer",
        "Arrived by the link",
        "Viewed a vacancy",
        "Applied",
        "Offered a trial",
        "Hired",
    ]
    assert ["By week", monday.isoformat(), 0, 22, 0, 0, "fewer than 5"] in rows


def test_no_count_row_names_a_person():
    names = {field.name for field in CampaignCount._meta.get_fields()}
    assert names == {"id", "campaign", "organisation", "stage", "day", "week", "count"}
    assert CampaignEventBooking  # bookings are people's own, kept apart from the funnel


def test_the_week_table_gives_away_no_total_the_employer_table_withholds(
    campaign, employer_organisation
):
    other = OrganisationFactory(name="Acorn Home Care")
    monday = campaigns.week_of(timezone.localdate())
    for organisation, hired in ((other, 1), (employer_organisation, 6)):
        for _ in range(hired):
            campaigns.campaign_count_add(
                campaign_id=campaign.pk, organisation_id=organisation.pk, stage="hired", day=monday
            )
    funnel = campaign_funnel(campaign=campaign)
    hired = [stage.value for stage in CampaignCount.Stage].index("hired")
    by_name = dict(funnel.employers)
    assert by_name["Acorn Home Care"][hired] == "fewer than 5"
    assert by_name["Sunrise Care Homes"][hired] == "withheld"
    # 1 + 6 is less than twice the threshold, so the total is withheld, and with it the week's.
    assert funnel.totals[hired] == "withheld"
    [(week, cells)] = funnel.weeks
    assert cells[hired] == "withheld"
    assert 7 not in [cell for _, cells in funnel.weeks for cell in cells]
