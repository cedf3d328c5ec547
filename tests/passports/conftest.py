"""Fixtures of the passports' tests: a signing key, Wendy's entry with training, and the
passport issued from it."""

from datetime import timedelta

import pytest
from django.utils import timezone

from passports import keys
from passports.services import passports as services
from tests.factories import TrainingRecordFactory, TrainingStandardFactory


@pytest.fixture
def signing_key(db):
    return keys.signing_key_create()


@pytest.fixture
def entry_with_training(entry):
    """Wendy's entry with moving and handling in date, fire safety expired 35 days ago, and a
    food hygiene record still waiting for a registrar."""
    today = timezone.localdate()
    TrainingRecordFactory(
        entry=entry,
        standard=TrainingStandardFactory(code="moving-and-handling"),
        completed_on=today - timedelta(days=30),
        expires_on=today + timedelta(days=335),
    )
    TrainingRecordFactory(
        entry=entry,
        standard=TrainingStandardFactory(code="fire-safety", title="Fire safety"),
        completed_on=today - timedelta(days=400),
        expires_on=today - timedelta(days=35),
    )
    TrainingRecordFactory(
        entry=entry,
        standard=TrainingStandardFactory(code="food-hygiene", title="Food hygiene"),
        completed_on=today,
        expires_on=None,
        unverified=True,
    )
    return entry


@pytest.fixture
def passport(entry_with_training, worker, signing_key):
    return services.passport_issue(entry=entry_with_training, requested_by=worker)
