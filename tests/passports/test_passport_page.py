"""The worker's passport page: each record's state today, what does not count, and what the
worker's role still needs."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from passports import selectors
from passports.models import TrainingRecord, TrainingStandard
from passports.services.passports import passport_issue
from register.models import PathwayRole, RegisterEntry
from tests.factories import (
    RegisterEntryFactory,
    TrainingRecordFactory,
    TrainingStandardFactory,
    UserFactory,
)

Status = TrainingRecord.Status
TODAY = date(2025, 6, 1)
COMPLETED = TODAY - timedelta(days=100)  # when each record's training was done, unless told


def long_date(value):
    return f"{value.day} {value:%B %Y}"


@pytest.fixture
def moving(own_role):
    return TrainingStandardFactory(
        code="moving-and-handling", title="Moving and handling", required_for=[own_role]
    )


@pytest.fixture
def fire(own_role):
    return TrainingStandardFactory(code="fire-safety", title="Fire safety", required_for=[own_role])


@pytest.fixture
def food(own_role):
    return TrainingStandardFactory(
        code="food-hygiene", title="Food hygiene", refresher_months=36, required_for=[own_role]
    )


# --- A record's state on a day -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("expires_on", "state", "label"),
    [
        (None, "valid", "Valid"),
        (TODAY + timedelta(days=61), "valid", "Valid"),
        (TODAY + timedelta(days=60), "due", "Due for renewal within 60 days"),
        (TODAY + timedelta(days=1), "due", "Due for renewal within 60 days"),
        (TODAY, "expired", "Expired on 1 June 2025"),
        (date(2024, 3, 9), "expired", "Expired on 9 March 2024"),
    ],
)
def test_a_verified_record_is_valid_due_soon_or_expired_on_a_date(expires_on, state, label):
    training = TrainingRecord(status=Status.VERIFIED, expires_on=expires_on)

    result = selectors.record_state(training, today=TODAY)

    assert (result.state, result.label) == (state, label)
    assert result.is_current is (state != "expired")


# --- What the role still needs -------------------------------------------------------------------


@pytest.mark.django_db
def test_a_role_needs_every_required_standard_without_current_verified_training(
    entry_in_own_role, moving, fire, food
):
    TrainingStandardFactory(code="dementia-awareness", title="Dementia awareness", required_for=[])
    retired = TrainingStandardFactory(
        code="retired-course", title="Retired course", is_active=False, required_for=[]
    )
    retired.required_for.add(entry_in_own_role.pathway_role)
    TrainingRecordFactory(
        entry=entry_in_own_role,
        standard=moving,
        expires_on=TODAY + timedelta(days=30),  # due soon: still counts
        completed_on=COMPLETED,
    )
    TrainingRecordFactory(
        entry=entry_in_own_role,
        standard=fire,
        expires_on=TODAY - timedelta(days=1),  # expired
        completed_on=COMPLETED,
    )
    TrainingRecordFactory(
        entry=entry_in_own_role,
        standard=food,
        unverified=True,
        expires_on=TODAY + timedelta(days=900),
        completed_on=COMPLETED,
    )

    states = selectors.training_states(entry=entry_in_own_role, today=TODAY)

    assert [(item.standard.code, item.reason) for item in states.needed] == [
        ("fire-safety", f"Expired on {long_date(TODAY - timedelta(days=1))}"),
        ("food-hygiene", "A record is waiting for a registrar to check it"),
    ]
    assert {standard.code for standard in states.required} == {
        "moving-and-handling",
        "fire-safety",
        "food-hygiene",
    }


@pytest.mark.django_db
def test_a_newer_record_replaces_an_expired_one(entry_in_own_role, moving):
    TrainingRecordFactory(
        entry=entry_in_own_role,
        standard=moving,
        completed_on=date(2023, 5, 1),
        expires_on=date(2024, 5, 1),
    )
    TrainingRecordFactory(
        entry=entry_in_own_role,
        standard=moving,
        completed_on=date(2025, 5, 1),
        expires_on=date(2026, 5, 1),
    )

    states = selectors.training_states(entry=entry_in_own_role, today=TODAY)

    assert states.needed == []
    assert [state.state for state in states.counted] == ["valid", "expired"]


@pytest.mark.django_db
@pytest.mark.parametrize("status", [Status.UNVERIFIED, Status.REJECTED, Status.REVOKED])
def test_records_that_are_not_verified_never_count(entry_in_own_role, moving, status):
    TrainingRecordFactory(
        entry=entry_in_own_role,
        standard=moving,
        status=status,
        expires_on=TODAY + timedelta(days=300),
        completed_on=COMPLETED,
    )

    states = selectors.training_states(entry=entry_in_own_role, today=TODAY)

    assert states.counted == []
    assert [training.status for training in states.not_counted] == [status]
    assert [item.standard for item in states.needed] == [moving]


@pytest.mark.django_db
def test_a_standard_never_recorded_is_needed_as_not_recorded_yet(entry_in_own_role, moving):
    [item] = selectors.training_states(entry=entry_in_own_role, today=TODAY).needed

    assert (item.standard, item.reason) == (moving, "Not recorded yet")


@pytest.mark.django_db
def test_an_entry_without_a_role_needs_nothing_listed(worker, moving):
    entry = RegisterEntryFactory(application__worker=worker, application__pathway_role=None)

    states = selectors.training_states(entry=entry, today=TODAY)

    assert states.required == [] and states.needed == []


# --- The page ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_page_shows_the_registration_each_records_state_and_what_is_needed(
    client, worker, entry_in_own_role, moving, fire, food
):
    today = timezone.localdate()
    due = today + timedelta(days=20)
    expired = today - timedelta(days=3)
    TrainingRecordFactory(
        entry=entry_in_own_role,
        standard=moving,
        expires_on=today + timedelta(days=200),
        provider_name="Skills Ltd",
        completed_on=COMPLETED,
    )
    TrainingRecordFactory(
        entry=entry_in_own_role, standard=fire, expires_on=due, completed_on=COMPLETED
    )
    TrainingRecordFactory(
        entry=entry_in_own_role,
        standard=food,
        expires_on=expired,
        completed_on=today - timedelta(days=800),
    )
    third = TrainingStandardFactory(
        code="basic-life-support", title="Basic life support", required_for=[]
    )
    TrainingRecordFactory(
        entry=entry_in_own_role,
        standard=third,
        revoked=True,
        status_reason="The trainer was not qualified.",
        completed_on=COMPLETED,
        expires_on=None,
    )
    client.force_login(worker)

    response = client.get(reverse("passports:page"))

    assert response.status_code == 200
    page = response.content.decode()
    assert "Registration status: <strong>Registered</strong>" in page
    assert entry_in_own_role.registration_number in page
    counted = {
        state.record.standard.code: state.label
        for state in response.context["page"].training.counted
    }
    assert counted == {
        "moving-and-handling": "Valid",
        "fire-safety": "Due for renewal within 60 days",
        "food-hygiene": f"Expired on {long_date(expired)}",
    }
    for label in counted.values():
        assert label in page
    assert "Skills Ltd" in page
    assert "Revoked: The trainer was not qualified." in page
    needed = response.context["page"].training.needed
    assert [(item.standard.title, item.reason) for item in needed] == [
        ("Food hygiene", f"Expired on {long_date(expired)}")
    ]
    assert f"<td>Food hygiene</td><td>Expired on {long_date(expired)}</td>" in page
    assert "As test role, you need 3 training standards. 1 is not covered" in page


@pytest.mark.django_db
def test_the_page_says_when_everything_the_role_needs_is_covered(
    client, worker, entry_in_own_role, moving
):
    TrainingRecordFactory(
        entry=entry_in_own_role,
        standard=moving,
        expires_on=timezone.localdate() + timedelta(days=300),
        completed_on=COMPLETED,
    )
    client.force_login(worker)

    page = client.get(reverse("passports:page")).content.decode()

    assert "Your verified training covers everything your role needs today." in page


@pytest.mark.django_db
def test_a_removed_worker_still_sees_their_training_but_cannot_add_more(
    client, worker, entry_in_own_role
):
    entry_in_own_role.status = RegisterEntry.Status.REMOVED
    entry_in_own_role.save()
    client.force_login(worker)

    page = client.get(reverse("passports:page")).content.decode()

    assert "Registration status: <strong>Removed</strong>" in page
    assert reverse("passports:record-add") not in page


@pytest.mark.django_db
def test_the_page_shows_only_the_workers_own_records(client, worker, entry_in_own_role, moving):
    other = RegisterEntryFactory(application__worker=UserFactory(is_care_worker=True))
    TrainingRecordFactory(
        entry=other,
        standard=moving,
        provider_name="Someone Else's College",
        completed_on=COMPLETED,
        expires_on=None,
    )
    client.force_login(worker)

    page = client.get(reverse("passports:page")).content.decode()

    assert "Someone Else&#x27;s College" not in page
    assert "Someone Else's College" not in page


@pytest.mark.django_db
def test_the_seeded_catalogue_makes_the_mandatory_subjects_needed_by_every_role():
    role = PathwayRole.objects.filter(code="care-or-support-worker").first()
    if role is None or not TrainingStandard.objects.filter(code="fire-safety").exists():
        pytest.skip("The seeded data was flushed by an earlier transactional test.")
    entry = RegisterEntryFactory(application__pathway_role=role)

    needed = {
        item.standard.code for item in selectors.training_states(entry=entry, today=TODAY).needed
    }

    assert {"moving-and-handling", "fire-safety", "safeguarding-adults"} <= needed


def test_the_page_links_each_valid_passport_to_its_accessible_web_page(
    client, worker, entry_with_training, signing_key
):
    passport = passport_issue(entry=entry_with_training, requested_by=worker)
    client.force_login(worker)

    page = client.get(reverse("passports:page")).content.decode()

    assert f'href="{reverse("passports:verify-link", args=[passport.public_id])}">web page' in page
    assert "the version that works with screen readers" in page
