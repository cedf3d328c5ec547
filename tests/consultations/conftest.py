"""Consultations built through the real services."""

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from accounts.models import Organisation
from consultations.models import Consultation, Question
from consultations.services import building, lifecycle
from tests.factories import RegisterEntryFactory

LONDON = ZoneInfo("Europe/London")
Kind = Question.Kind


@pytest.fixture
def association(association_admin):
    return association_admin.organisations.get(kind=Organisation.Kind.ASSOCIATION)


def build_consultation(admin, association, **details) -> Consultation:
    """A draft with two pages of questions after "about you": support (Likert), would you
    join (single choice), why not (shown only for "No", on page 3), and a free-text comment."""
    now = timezone.now()
    defaults = {
        "title": "Proposed voluntary register",
        "summary": "Should there be a register for paid carers?",
        "privacy_notice": "We keep your answers for a year.",
        "opens_at": now - timedelta(days=1),
        "closes_at": now + timedelta(days=10),
    }
    defaults.update(details)
    consultation = building.consultation_create(organisation=association, user=admin, **defaults)
    views = building.page_add(consultation=consultation, user=admin, title="Your views")
    building.question_add(
        page=views,
        user=admin,
        kind=Kind.LIKERT,
        text="There should be a register.",
    )
    join = building.question_add(
        page=views,
        user=admin,
        kind=Kind.SINGLE_CHOICE,
        text="Would you join?",
        options=["Yes", "No"],
    )
    more = building.page_add(consultation=consultation, user=admin, title="More")
    building.question_add(
        page=more,
        user=admin,
        kind=Kind.MULTIPLE_CHOICE,
        text="What would stop you?",
        options=["Cost", "Time", "Data"],
        max_choices=2,
        has_other=True,
        show_if_options=[join.options.get(label="No")],
    )
    building.question_add(
        page=more,
        user=admin,
        kind=Kind.LONG_TEXT,
        text="Anything else?",
        required=False,
        max_length=50,
    )
    return consultation


def open_now(consultation, admin) -> Consultation:
    lifecycle.consultation_schedule(consultation=consultation, user=admin)
    consultation.refresh_from_db()
    return consultation


@pytest.fixture
def draft(association_admin, association):
    return build_consultation(association_admin, association)


@pytest.fixture
def consultation(draft, association_admin):
    """Open now, for anyone, without signing in."""
    return open_now(draft, association_admin)


def question(consultation, text) -> Question:
    return (
        consultation.questions.get(text=text)
        if text != "about you"
        else (consultation.questions.get(is_respondent_type=True))
    )


def option_id(consultation, text, label) -> int:
    return question(consultation, text).options.get(label=label).pk


def answers(consultation, *, join="Yes", who="A care worker", stop=None, other="", comment=""):
    """Answers in the shape the pages and the service use."""
    result = {
        str(question(consultation, "about you").pk): {
            "options": [option_id(consultation, "about you", who)],
            "other": False,
            "other_text": "",
            "text": "",
        },
        str(question(consultation, "There should be a register.").pk): {
            "options": [option_id(consultation, "There should be a register.", "Agree")],
            "other": False,
            "other_text": "",
            "text": "",
        },
        str(question(consultation, "Would you join?").pk): {
            "options": [option_id(consultation, "Would you join?", join)],
            "other": False,
            "other_text": "",
            "text": "",
        },
    }
    if stop is not None or other:
        result[str(question(consultation, "What would stop you?").pk)] = {
            "options": [option_id(consultation, "What would stop you?", s) for s in stop or []],
            "other": bool(other),
            "other_text": other,
            "text": "",
        }
    if comment:
        result[str(question(consultation, "Anything else?").pk)] = {
            "options": [],
            "other": False,
            "other_text": "",
            "text": comment,
        }
    return result


@pytest.fixture
def registered_worker(db):
    return RegisterEntryFactory(
        application__worker__email="registered@example.org", application__legal_name="Rae Reg"
    ).worker
