"""A vacancy's life: drafts by members of verified employers, publishing only with every term
stated and pay at least the pay floor in force, closing by the clock, filled or withdrawn by
the employer; every change audited (ADR 0031)."""

import datetime
from decimal import Decimal
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.utils import timezone

from core.models import AuditEvent
from employers.services.verification import EmployerNotVerified, employer_verification_withdraw
from jobs.models import Vacancy
from jobs.services import vacancies
from jobs.services.vacancies import (
    VacancyInvalid,
    VacancyPayTooLow,
    VacancyStatusError,
    vacancies_close_expired,
    vacancy_close,
    vacancy_create,
    vacancy_publish,
    vacancy_update,
)
from tests.factories import MembershipFactory, OrganisationFactory, VacancyFactory

pytestmark = pytest.mark.django_db

Status = Vacancy.Status
LONDON = ZoneInfo("Europe/London")


def _actions(vacancy) -> list[str]:
    return list(
        AuditEvent.objects.filter(target_type="jobs.vacancy", target_id=str(vacancy.pk))
        .order_by("pk")
        .values_list("action", flat=True)
    )


@pytest.fixture
def vacancy(employer, employer_organisation):
    """A complete draft of the employer's, ready to publish."""
    return VacancyFactory(organisation=employer_organisation, created_by=employer)


@pytest.fixture
def other_employer(db):
    """The owner of another verified employer."""
    return MembershipFactory(
        user__email="other-employer@example.org",
        organisation=OrganisationFactory(name="Elsewhere Care"),
        role="owner",
    ).user


def _set_day(clock, day: datetime.date) -> None:
    clock.set(datetime.datetime.combine(day, datetime.time(12), tzinfo=LONDON))


# --- Drafts --------------------------------------------------------------------------------


def test_a_member_starts_a_draft_with_some_of_the_terms(employer_member, employer_organisation):
    vacancy = vacancy_create(
        organisation=employer_organisation,
        user=employer_member,
        data={"title": "  Night care assistant ", "postcode": "ls14ap"},
    )

    vacancy.refresh_from_db()
    assert vacancy.status == Status.DRAFT
    assert vacancy.title == "Night care assistant"
    assert vacancy.postcode == "LS1 4AP"
    assert len(vacancy.reference) == 10
    assert vacancy.created_by == employer_member
    event = AuditEvent.objects.get(action="jobs.vacancy.created")
    assert event.target_id == str(vacancy.pk)
    assert event.actor_id == employer_member.pk
    assert event.data == {"fields": ["postcode", "title"]}


def test_an_unverified_employer_cannot_write_vacancies(employer, employer_organisation, registrar):
    employer_verification_withdraw(organisation=employer_organisation, registrar=registrar)

    with pytest.raises(
        EmployerNotVerified, match="A registrar has not verified Sunrise Care Homes"
    ):
        vacancy_create(organisation=employer_organisation, user=employer, data={"title": "Carer"})
    assert not Vacancy.objects.exists()


@pytest.mark.parametrize("who", ["other_employer", "outsider", "worker", "provider"])
def test_nobody_outside_the_employer_writes_its_vacancies(request, who, vacancy):
    user = request.getfixturevalue(who)

    with pytest.raises(PermissionDenied):
        vacancy_create(organisation=vacancy.organisation, user=user, data={"title": "Carer"})
    with pytest.raises(PermissionDenied):
        vacancy_update(vacancy=vacancy, user=user, data={"title": "Changed"})
    with pytest.raises(PermissionDenied):
        vacancy_publish(vacancy=vacancy, user=user)
    with pytest.raises(PermissionDenied):
        vacancy_close(vacancy=vacancy, user=user, outcome=Status.WITHDRAWN)

    vacancy.refresh_from_db()
    assert (vacancy.title, vacancy.status) == ("Care assistant", Status.DRAFT)
    assert Vacancy.objects.count() == 1


def test_a_draft_is_updated_with_the_changed_fields_audited(vacancy, employer):
    vacancy_update(vacancy=vacancy, user=employer, data={"title": "Senior carer", "town": "Leeds"})

    vacancy.refresh_from_db()
    assert vacancy.title == "Senior carer"
    assert _actions(vacancy) == ["jobs.vacancy.updated"]
    assert AuditEvent.objects.get(action="jobs.vacancy.updated").data == {"fields": ["title"]}


def test_an_update_that_changes_nothing_writes_no_event(vacancy, employer):
    vacancy_update(vacancy=vacancy, user=employer, data={"title": "Care assistant"})

    assert _actions(vacancy) == []


def test_it_refuses_a_postcode_that_is_not_one_and_changes_nothing(vacancy, employer):
    with pytest.raises(VacancyInvalid, match="Enter a real UK postcode") as refused:
        vacancy_update(
            vacancy=vacancy, user=employer, data={"postcode": "NOT A CODE", "title": "X"}
        )

    assert refused.value.field == "postcode"
    vacancy.refresh_from_db()
    assert (vacancy.postcode, vacancy.title) == ("LS1 4AP", "Care assistant")


@pytest.mark.parametrize(
    "data, field, message",
    [
        (
            {"pay_amount_to": Decimal("14.00")},
            "pay_amount_to",
            "An exact hourly rate has no top rate.",
        ),
        (
            {
                "pay_kind": "hourly_band",
                "pay_amount": Decimal("13"),
                "pay_amount_to": Decimal("13"),
            },
            "pay_amount_to",
            "The top of the pay range must be more than its lowest pay.",
        ),
        (
            {"guaranteed_hours": Decimal("40"), "typical_hours": Decimal("37.5")},
            "guaranteed_hours",
            "The guaranteed hours cannot be more than the typical hours a week.",
        ),
        (
            {"contract": "no_guaranteed_hours", "guaranteed_hours": Decimal("10")},
            "guaranteed_hours",
            'A contract with "no guaranteed hours" guarantees 0 hours a week.',
        ),
        (
            {"contract": "permanent", "guaranteed_hours": Decimal("0")},
            "contract",
            'A contract that guarantees 0 hours a week is a contract with "no guaranteed hours"',
        ),
        (
            {"contract": "fixed_term", "guaranteed_hours": Decimal("0")},
            "contract",
            'is a contract with "no guaranteed hours"',
        ),
        (
            {"travel_time_paid": False, "unpaid_travel_minutes_per_hour": 10},
            "travel_time_paid",
            "Travel time between visits is asked only of home care.",
        ),
        (
            {"setting": "home_care", "travel_time_paid": True, "unpaid_travel_minutes_per_hour": 5},
            "unpaid_travel_minutes_per_hour",
            "Travel time is paid, so there are no unpaid travel minutes.",
        ),
        (
            {"dbs_stay_months": 12},
            "dbs_stay_months",
            "Give the months someone must stay only when the employer pays",
        ),
        (
            {
                "setting": "home_care",
                "travel_time_paid": False,
                "unpaid_travel_minutes_per_hour": 61,
            },
            "unpaid_travel_minutes_per_hour",
            "less than or equal to 60",
        ),
        ({"setting": "a palace"}, "setting", "is not a valid choice"),
    ],
)
def test_terms_that_do_not_fit_together_are_refused_even_in_a_draft(
    vacancy, employer, data, field, message
):
    with pytest.raises(VacancyInvalid, match=message) as refused:
        vacancy_update(vacancy=vacancy, user=employer, data=data)

    assert field in refused.value.problems
    assert _actions(vacancy) == []
    assert Vacancy.objects.get(pk=vacancy.pk).guaranteed_hours == Decimal("30")


def test_a_contract_with_no_guaranteed_hours_says_0(vacancy, employer):
    vacancy_update(
        vacancy=vacancy,
        user=employer,
        data={"contract": "no_guaranteed_hours", "guaranteed_hours": Decimal("0")},
    )
    vacancy_publish(vacancy=vacancy, user=employer)

    assert Vacancy.objects.get(pk=vacancy.pk).status == Status.PUBLISHED


def test_it_refuses_fields_an_employer_does_not_write(vacancy, employer):
    with pytest.raises(ValueError, match="status"):
        vacancy_update(vacancy=vacancy, user=employer, data={"status": Status.PUBLISHED})


# --- Publishing ----------------------------------------------------------------------------


def test_a_complete_draft_is_published_with_what_was_checked(vacancy, employer_member, clock):
    _set_day(clock, datetime.date(2026, 5, 1))
    vacancy.closing_date = datetime.date(2026, 5, 31)
    vacancy.save()

    vacancy_publish(vacancy=vacancy, user=employer_member)

    vacancy.refresh_from_db()
    assert vacancy.status == Status.PUBLISHED
    assert vacancy.published_at == timezone.now()
    assert vacancy.status_changed_at == timezone.now()
    assert vacancy.closed_at is None
    event = AuditEvent.objects.get(action="jobs.vacancy.published")
    assert (event.old_status, event.new_status) == ("draft", "published")
    assert event.data == {
        "hourly_rate": "13.00",
        "effective_hourly_rate": "13.00",
        "pay_floor": "12.71",
        "pay_floor_from": "2026-04-01",
    }


BLANK = [
    ("title", "", "Enter the job title."),
    ("pathway_role", None, "Choose the role category."),
    ("setting", "", "Choose the setting."),
    ("workplace_name", "", "Enter the name of the workplace."),
    ("address_line", "", "Enter the workplace's address."),
    ("town", "", "Enter the workplace's town."),
    ("postcode", "", "Enter the workplace's postcode."),
    (
        "pay_kind",
        "",
        "Choose how the pay is given: an hourly rate, a band of hourly rates or annual pay.",
    ),
    ("pay_amount", None, "Enter the pay."),
    ("contract", "", "Choose the contract."),
    (
        "guaranteed_hours",
        None,
        "Enter the hours a week the contract guarantees (0 if it guarantees none).",
    ),
    ("typical_hours", None, "Enter the typical hours a week."),
    ("shift_length_hours", None, "Enter how long a shift is, in hours."),
    ("driving_needed", None, "Say whether a driving licence and a car are needed."),
    ("sick_pay_beyond_statutory", None, "Say whether you pay sick pay beyond Statutory Sick Pay."),
    ("dbs_paid_by", "", "Say who pays for the DBS check."),
    ("visa_sponsorship", "", "Say whether you sponsor visas."),
    ("paid_trial_offered", None, "Say whether you offer a paid trial."),
    ("closing_date", None, "Enter the closing date."),
    ("start_date", None, "Enter the start date."),
    ("description", "", "Enter a description of the job."),
    ("safeguarding_commitment", "", "Enter your safeguarding commitment."),
]


@pytest.mark.parametrize("field, blank, message", BLANK, ids=[row[0] for row in BLANK])
def test_every_required_term_is_asked_for_before_publishing(
    employer, employer_organisation, field, blank, message
):
    vacancy = VacancyFactory(organisation=employer_organisation, **{field: blank})

    with pytest.raises(VacancyInvalid) as refused:
        vacancy_publish(vacancy=vacancy, user=employer)

    assert refused.value.problems[field] == message
    assert Vacancy.objects.get(pk=vacancy.pk).status == Status.DRAFT
    assert _actions(vacancy) == []


CONDITIONAL = [
    (
        "a band's top rate",
        {"pay_kind": "hourly_band", "pay_amount_to": None},
        "pay_amount_to",
        "Enter the top rate of the pay band.",
    ),
    (
        "day or night",
        {"works_days": False, "works_nights": False},
        "works_days",
        "Say whether the shifts are in the day, at night or both.",
    ),
    (
        "the mileage rate when driving",
        {"driving_needed": True, "mileage_pence_per_mile": None},
        "mileage_pence_per_mile",
        "Enter the mileage rate in pence a mile (0 if mileage is not paid).",
    ),
    (
        "whether home care travel is paid",
        {"setting": "home_care", "travel_time_paid": None},
        "travel_time_paid",
        "Say whether travel time between visits is paid.",
    ),
    (
        "the unpaid travel minutes",
        {"setting": "home_care", "travel_time_paid": False, "unpaid_travel_minutes_per_hour": None},
        "unpaid_travel_minutes_per_hour",
        "Enter the minutes of unpaid travel for every paid hour, on average.",
    ),
    (
        "the sick pay",
        {"sick_pay_beyond_statutory": True, "sick_pay_details": ""},
        "sick_pay_details",
        "Say what sick pay you pay beyond Statutory Sick Pay.",
    ),
    (
        "the months to stay for a paid DBS check",
        {"dbs_paid_by": "employer_if_you_stay", "dbs_stay_months": None},
        "dbs_stay_months",
        "Enter how many months someone must stay for the employer to pay for the DBS check.",
    ),
]


@pytest.mark.parametrize(
    "terms, field, message", [row[1:] for row in CONDITIONAL], ids=[row[0] for row in CONDITIONAL]
)
def test_terms_that_depend_on_another_are_asked_for_before_publishing(
    employer, employer_organisation, terms, field, message
):
    vacancy = VacancyFactory(organisation=employer_organisation, **terms)

    with pytest.raises(VacancyInvalid) as refused:
        vacancy_publish(vacancy=vacancy, user=employer)

    assert refused.value.problems == {field: message}
    assert str(refused.value) == message
    assert Vacancy.objects.get(pk=vacancy.pk).status == Status.DRAFT


def test_every_missing_term_is_named_at_once(employer, employer_organisation):
    vacancy = vacancy_create(organisation=employer_organisation, user=employer, data={})

    with pytest.raises(VacancyInvalid) as refused:
        vacancy_publish(vacancy=vacancy, user=employer)

    assert {"title", "pay_amount", "closing_date", "description"} <= set(refused.value.problems)
    assert refused.value.field == "title"


def test_a_closing_date_in_the_past_is_refused(vacancy, employer, clock):
    _set_day(clock, datetime.date(2026, 5, 1))
    vacancy.closing_date = datetime.date(2026, 4, 30)
    vacancy.save()

    with pytest.raises(VacancyInvalid, match="The closing date has passed. Choose 1 May 2026"):
        vacancy_publish(vacancy=vacancy, user=employer)


def test_a_closing_date_more_than_a_year_away_is_refused(vacancy, employer, clock):
    # 31 December 9999 was accepted, and then every registered worker's application to it
    # failed: the share it makes ends 30 days after the closing date, past the last date
    # there is.
    _set_day(clock, datetime.date(2026, 5, 1))
    vacancy.closing_date = datetime.date(9999, 12, 31)
    vacancy.save()

    with pytest.raises(VacancyInvalid) as refused:
        vacancy_publish(vacancy=vacancy, user=employer)

    assert refused.value.problems == {
        "closing_date": "The closing date is more than a year away. Choose 1 May 2027 or an "
        "earlier date."
    }


def test_a_closing_date_a_year_away_is_accepted(vacancy, employer, clock):
    _set_day(clock, datetime.date(2026, 5, 1))
    vacancy.closing_date = datetime.date(2027, 5, 1)
    vacancy.save()

    vacancy_publish(vacancy=vacancy, user=employer)

    assert Vacancy.objects.get(pk=vacancy.pk).status == Status.PUBLISHED


def test_a_closing_date_of_today_is_accepted(vacancy, employer, clock):
    _set_day(clock, datetime.date(2026, 5, 1))
    vacancy.closing_date = datetime.date(2026, 5, 1)
    vacancy.save()

    vacancy_publish(vacancy=vacancy, user=employer)

    assert Vacancy.objects.get(pk=vacancy.pk).status == Status.PUBLISHED


def test_the_floor_is_the_one_in_force_on_the_publishing_day(
    employer, employer_organisation, clock
):
    _set_day(clock, datetime.date(2026, 3, 31))
    on_the_last_day = VacancyFactory(
        organisation=employer_organisation, pay_amount=Decimal("12.21")
    )
    a_day_late = VacancyFactory(organisation=employer_organisation, pay_amount=Decimal("12.21"))

    vacancy_publish(vacancy=on_the_last_day, user=employer)
    _set_day(clock, datetime.date(2026, 4, 1))
    with pytest.raises(VacancyPayTooLow) as refused:
        vacancy_publish(vacancy=a_day_late, user=employer)

    assert str(refused.value) == (
        "The pay of £12.21 an hour is below the National Living Wage of £12.71 an hour in "
        "force on 1 April 2026. Pay at least £12.71 an hour."
    )
    assert refused.value.field == "pay_amount"
    assert Vacancy.objects.get(pk=on_the_last_day.pk).status == Status.PUBLISHED
    assert Vacancy.objects.get(pk=a_day_late.pk).status == Status.DRAFT
    assert _actions(a_day_late) == []


def test_a_band_is_checked_by_its_lowest_rate(employer, employer_organisation, clock):
    _set_day(clock, datetime.date(2026, 4, 1))
    vacancy = VacancyFactory(
        organisation=employer_organisation,
        pay_kind="hourly_band",
        pay_amount=Decimal("12.50"),
        pay_amount_to=Decimal("14.00"),
    )

    with pytest.raises(
        VacancyPayTooLow,
        match="The band's lowest rate of £12.50 an hour is below the National Living Wage",
    ):
        vacancy_publish(vacancy=vacancy, user=employer)


def test_annual_pay_is_checked_over_the_typical_hours_of_a_year(
    employer, employer_organisation, clock
):
    _set_day(clock, datetime.date(2026, 4, 1))
    vacancy = VacancyFactory(
        organisation=employer_organisation,
        pay_kind="annual",
        pay_amount=Decimal("24000"),
        typical_hours=Decimal("37.5"),
    )

    with pytest.raises(VacancyPayTooLow) as refused:
        vacancy_publish(vacancy=vacancy, user=employer)

    # 24,000 / (37.5 × 52.14) = 12.274...
    assert str(refused.value) == (
        "Annual pay of £24,000.00 for 37.5 hours a week is £12.27 an hour, below the National "
        "Living Wage of £12.71 an hour in force on 1 April 2026. Pay at least £12.71 an hour."
    )
    vacancy_update(vacancy=vacancy, user=employer, data={"pay_amount": Decimal("25000")})
    vacancy_publish(vacancy=vacancy, user=employer)
    assert Vacancy.objects.get(pk=vacancy.pk).status == Status.PUBLISHED


def test_home_care_with_unpaid_travel_is_checked_by_its_effective_rate(
    employer, employer_organisation, clock
):
    _set_day(clock, datetime.date(2026, 4, 1))
    vacancy = VacancyFactory(
        organisation=employer_organisation,
        home_care=True,
        pay_amount=Decimal("15.00"),
        unpaid_travel_minutes_per_hour=20,
    )

    with pytest.raises(VacancyPayTooLow) as refused:
        vacancy_publish(vacancy=vacancy, user=employer)
    # 15.00 × 60 / 80 = 11.25; 12.71 × 80 / 60 = 16.946..., so £16.95 is enough.
    assert str(refused.value) == (
        "With 20 minutes of unpaid travel for every paid hour, the effective hourly rate is "
        "£11.25, below the National Living Wage of £12.71 an hour in force on 1 April 2026. "
        "Pay travel time, or pay at least £16.95 an hour."
    )

    # £16.94 gives 12.705, shown and checked as £12.70.
    vacancy_update(vacancy=vacancy, user=employer, data={"pay_amount": Decimal("16.94")})
    with pytest.raises(VacancyPayTooLow, match="the effective hourly rate is £12.70"):
        vacancy_publish(vacancy=vacancy, user=employer)

    vacancy_update(vacancy=vacancy, user=employer, data={"pay_amount": Decimal("16.95")})
    vacancy_publish(vacancy=vacancy, user=employer)
    event = AuditEvent.objects.get(action="jobs.vacancy.published")
    assert event.data["effective_hourly_rate"] == "12.71"
    assert event.data["hourly_rate"] == "16.95"


def test_home_care_with_paid_travel_is_checked_by_its_rate(employer, employer_organisation, clock):
    _set_day(clock, datetime.date(2026, 4, 1))
    vacancy = VacancyFactory(
        organisation=employer_organisation,
        home_care=True,
        pay_amount=Decimal("12.71"),
        travel_time_paid=True,
        unpaid_travel_minutes_per_hour=None,
    )

    vacancy_publish(vacancy=vacancy, user=employer)

    assert Vacancy.objects.get(pk=vacancy.pk).status == Status.PUBLISHED


def test_an_unverified_employer_cannot_publish(vacancy, employer, employer_organisation, registrar):
    employer_verification_withdraw(organisation=employer_organisation, registrar=registrar)

    with pytest.raises(EmployerNotVerified):
        vacancy_publish(vacancy=vacancy, user=employer)
    assert Vacancy.objects.get(pk=vacancy.pk).status == Status.DRAFT


def test_a_published_vacancy_is_changed_only_within_the_rules(vacancy, employer, clock):
    _set_day(clock, datetime.date(2026, 4, 1))
    vacancy.closing_date = datetime.date(2026, 4, 30)
    vacancy.save()
    vacancy_publish(vacancy=vacancy, user=employer)

    with pytest.raises(VacancyPayTooLow, match="Pay at least £12.71 an hour"):
        vacancy_update(vacancy=vacancy, user=employer, data={"pay_amount": Decimal("12.00")})
    with pytest.raises(VacancyInvalid, match="Enter the job title."):
        vacancy_update(vacancy=vacancy, user=employer, data={"title": ""})
    vacancy.refresh_from_db()
    assert (vacancy.pay_amount, vacancy.title) == (Decimal("13.00"), "Care assistant")

    vacancy_update(vacancy=vacancy, user=employer, data={"pay_amount": Decimal("13.50")})
    assert Vacancy.objects.get(pk=vacancy.pk).pay_amount == Decimal("13.50")
    assert _actions(vacancy) == ["jobs.vacancy.published", "jobs.vacancy.updated"]


# --- Transitions ---------------------------------------------------------------------------


def _bring_to(vacancy, status, employer):
    """Move a draft to `status` by the services (and the clock, for closed)."""
    if status == Status.DRAFT:
        return
    if status == Status.WITHDRAWN:
        vacancy_close(vacancy=vacancy, user=employer, outcome=Status.WITHDRAWN)
        return
    vacancy_publish(vacancy=vacancy, user=employer)
    if status == Status.CLOSED:
        vacancies_close_expired(today=vacancy.closing_date + datetime.timedelta(days=1))
    elif status == Status.FILLED:
        vacancy_close(vacancy=vacancy, user=employer, outcome=Status.FILLED)


REFUSED = [
    (old, new)
    for old in Status
    for new in (Status.PUBLISHED, Status.FILLED, Status.WITHDRAWN)
    if new not in Vacancy.TRANSITIONS[old]
]
STATE = {
    Status.DRAFT: "still a draft",
    Status.PUBLISHED: "published",
    Status.CLOSED: "closed",
    Status.FILLED: "filled",
    Status.WITHDRAWN: "withdrawn",
}
CHANGE = {
    Status.PUBLISHED: "published",
    Status.FILLED: "marked as filled",
    Status.WITHDRAWN: "withdrawn",
}


@pytest.mark.parametrize("old, new", REFUSED, ids=[f"{old}-to-{new}" for old, new in REFUSED])
def test_every_transition_outside_the_table_is_refused(vacancy, employer, old, new):
    _bring_to(vacancy, old, employer)
    before = _actions(vacancy)

    with pytest.raises(VacancyStatusError) as refused:
        if new == Status.PUBLISHED:
            vacancy_publish(vacancy=vacancy, user=employer)
        else:
            vacancy_close(vacancy=vacancy, user=employer, outcome=new)

    assert str(refused.value).startswith(
        f"This vacancy is {STATE[old]}, so it cannot be {CHANGE[new]}."
    )
    assert Vacancy.objects.get(pk=vacancy.pk).status == old
    assert _actions(vacancy) == before


def test_the_refused_transitions_are_exactly_those_the_table_leaves_out():
    # Closed comes only from the clock, which reads published vacancies alone (tested below).
    assert set(REFUSED) == {
        (Status.DRAFT, Status.FILLED),
        (Status.PUBLISHED, Status.PUBLISHED),
        (Status.CLOSED, Status.PUBLISHED),
        (Status.CLOSED, Status.WITHDRAWN),
        (Status.FILLED, Status.PUBLISHED),
        (Status.FILLED, Status.FILLED),
        (Status.FILLED, Status.WITHDRAWN),
        (Status.WITHDRAWN, Status.PUBLISHED),
        (Status.WITHDRAWN, Status.FILLED),
        (Status.WITHDRAWN, Status.WITHDRAWN),
    }


@pytest.mark.parametrize("status", [Status.CLOSED, Status.FILLED, Status.WITHDRAWN])
def test_a_vacancy_that_has_ended_cannot_be_changed(vacancy, employer, status):
    _bring_to(vacancy, status, employer)

    with pytest.raises(VacancyStatusError, match=f"This vacancy is {STATE[status]}, so it cannot"):
        vacancy_update(vacancy=vacancy, user=employer, data={"title": "Changed"})
    assert Vacancy.objects.get(pk=vacancy.pk).title == "Care assistant"


def test_the_employer_marks_a_published_vacancy_filled(vacancy, employer, employer_member):
    vacancy_publish(vacancy=vacancy, user=employer)

    vacancy_close(vacancy=vacancy, user=employer_member, outcome=Status.FILLED)

    vacancy.refresh_from_db()
    assert vacancy.status == Status.FILLED
    assert vacancy.closed_at == vacancy.status_changed_at
    event = AuditEvent.objects.get(action="jobs.vacancy.filled")
    assert (event.actor_id, event.old_status, event.new_status) == (
        employer_member.pk,
        "published",
        "filled",
    )


def test_a_vacancy_filled_after_it_closed_keeps_the_moment_it_closed(vacancy, employer, clock):
    vacancy_publish(vacancy=vacancy, user=employer)
    vacancies_close_expired(today=vacancy.closing_date + datetime.timedelta(days=1))
    closed_at = Vacancy.objects.get(pk=vacancy.pk).closed_at
    clock.advance(datetime.timedelta(days=3))

    vacancy_close(vacancy=vacancy, user=employer, outcome=Status.FILLED)

    vacancy.refresh_from_db()
    assert vacancy.closed_at == closed_at
    assert vacancy.status_changed_at > closed_at
    assert _actions(vacancy) == [
        "jobs.vacancy.published",
        "jobs.vacancy.closed",
        "jobs.vacancy.filled",
    ]


def test_a_draft_can_be_withdrawn(vacancy, employer):
    vacancy_close(vacancy=vacancy, user=employer, outcome=Status.WITHDRAWN)

    assert Vacancy.objects.get(pk=vacancy.pk).status == Status.WITHDRAWN
    assert _actions(vacancy) == ["jobs.vacancy.withdrawn"]


def test_an_employer_no_longer_verified_may_still_take_its_adverts_down(
    vacancy, employer, employer_organisation, registrar
):
    # Withdrawing the verification withdraws the published vacancies itself (jobs/receivers.py);
    # a closed one and a draft are left for the employer to close.
    draft = VacancyFactory(organisation=employer_organisation, created_by=employer)
    vacancy_publish(vacancy=vacancy, user=employer)
    Vacancy.objects.filter(pk=vacancy.pk).update(status=Status.CLOSED)
    employer_verification_withdraw(organisation=employer_organisation, registrar=registrar)

    vacancy_close(vacancy=vacancy, user=employer, outcome=Status.FILLED)
    vacancy_close(vacancy=draft, user=employer, outcome=Status.WITHDRAWN)

    assert Vacancy.objects.get(pk=vacancy.pk).status == Status.FILLED
    assert Vacancy.objects.get(pk=draft.pk).status == Status.WITHDRAWN


def test_closing_is_only_as_filled_or_withdrawn(vacancy, employer):
    with pytest.raises(ValueError):
        vacancy_close(vacancy=vacancy, user=employer, outcome=Status.CLOSED)


# --- The clock -----------------------------------------------------------------------------


def test_the_clock_closes_exactly_the_published_vacancies_past_their_closing_date(
    employer, employer_organisation
):
    today = timezone.localdate()
    made = {}
    for name, closes in [("yesterday", -1), ("last week", -7), ("today", 0), ("tomorrow", 1)]:
        made[name] = VacancyFactory(
            organisation=employer_organisation,
            closing_date=today + datetime.timedelta(days=closes + 30),
        )
        vacancy_publish(vacancy=made[name], user=employer)
        Vacancy.objects.filter(pk=made[name].pk).update(
            closing_date=today + datetime.timedelta(days=closes)
        )
    draft = VacancyFactory(
        organisation=employer_organisation, closing_date=today - datetime.timedelta(days=3)
    )

    closed = vacancies_close_expired(today=today)

    assert sorted(closed) == sorted([made["yesterday"].reference, made["last week"].reference])
    statuses = {name: Vacancy.objects.get(pk=v.pk).status for name, v in made.items()}
    assert statuses == {
        "yesterday": Status.CLOSED,
        "last week": Status.CLOSED,
        "today": Status.PUBLISHED,
        "tomorrow": Status.PUBLISHED,
    }
    assert Vacancy.objects.get(pk=draft.pk).status == Status.DRAFT
    event = AuditEvent.objects.get(
        action="jobs.vacancy.closed", target_id=str(made["yesterday"].pk)
    )
    assert (event.actor_id, event.actor_label) == (None, "system")
    assert event.data == {"closing_date": str(today - datetime.timedelta(days=1))}

    assert vacancies_close_expired(today=today) == []
    assert AuditEvent.objects.filter(action="jobs.vacancy.closed").count() == 2


def test_the_command_closes_expired_vacancies_and_can_say_what_it_would_do(vacancy, employer):
    vacancy_publish(vacancy=vacancy, user=employer)
    after = (vacancy.closing_date + datetime.timedelta(days=1)).isoformat()

    out = StringIO()
    call_command("close_expired_vacancies", "--dry-run", "--today", after, stdout=out)
    assert f"would close vacancy {vacancy.reference}" in out.getvalue()
    assert Vacancy.objects.get(pk=vacancy.pk).status == Status.PUBLISHED

    out = StringIO()
    call_command("close_expired_vacancies", "--today", after, stdout=out)
    assert f"closed vacancy {vacancy.reference}" in out.getvalue()
    assert Vacancy.objects.get(pk=vacancy.pk).status == Status.CLOSED

    out = StringIO()
    call_command("close_expired_vacancies", "--today", after, stdout=out)
    assert out.getvalue() == "0 vacancy(ies) closed.\n"


def test_the_clock_runs_on_the_schedule(settings):
    assert "close_expired_vacancies" in settings.PERIODIC_COMMANDS


def test_the_default_safeguarding_commitment_is_set_on_a_new_vacancy(
    employer, employer_organisation
):
    vacancy = vacancy_create(organisation=employer_organisation, user=employer, data={})

    assert (
        vacancy.safeguarding_commitment
        == vacancies.Vacancy._meta.get_field("safeguarding_commitment").default
    )
    assert "safeguarding" in vacancy.safeguarding_commitment
