"""Demo consultations for `manage.py seed_demo`: one closed (with answers, for the analysis
pages), one open (so answering can be tried). Safe to run again: existing ones are left alone."""

import random
import uuid
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from accounts.models import Organisation, User
from consultations.models import Answer, Consultation, Question, Response
from consultations.services import building, lifecycle

LONDON = ZoneInfo("Europe/London")
REGISTER_SLUG = "proposed-voluntary-register-for-paid-carers"
PASSPORTS_SLUG = "what-should-a-training-passport-show"
Kind = Question.Kind

PRIVACY_NOTICE = (
    "The Care Workers' Association runs this consultation. We keep your answers to understand "
    "what the sector thinks and to publish a summary of them. We do not store your name or "
    "email address with your answers. If you sign in, we keep a code that stops the same "
    "person answering twice, and whether you are on the register. We publish only totals and "
    "short quotes that cannot identify anyone. We delete the answers a year after the "
    "outcome is published."
)


def _page(consultation: Consultation, title: str):
    user = consultation.created_by
    return building.page_add(consultation=consultation, user=user, title=title)


def _seed_register_consultation(association: Organisation, admin: User) -> Consultation:
    year = timezone.localdate().year
    consultation = building.consultation_create(
        organisation=association,
        user=admin,
        slug=REGISTER_SLUG,
        title="Proposed voluntary register for paid carers",
        summary=(
            "We propose a voluntary register for people paid to provide adult social care in "
            "England. Tell us whether you support it, and what it should include: training "
            "passports, quicker and safer recruitment, paid job trials and professional "
            "recognition."
        ),
        body=(
            "About 1.5 million people work in adult social care in England, and there is no "
            "register for them, as there is for nurses and for care workers in Wales, "
            "Scotland and Northern Ireland.\n\nA voluntary register would let care workers "
            "show their training and checks once, to every employer, and be recognised as "
            "professionals."
        ),
        privacy_notice=PRIVACY_NOTICE,
        opens_at=datetime(year, 11, 2, 9, 0, tzinfo=LONDON),
        closes_at=datetime(year, 11, 30, 23, 59, tzinfo=LONDON),
        audience=Consultation.Audience.ANYONE,
        allow_anonymous=True,
    )
    support = _page(consultation, "Support for a register")
    building.question_add(
        page=support,
        user=admin,
        kind=Kind.LIKERT,
        text="There should be a voluntary register for paid care workers in England.",
    )
    join = building.question_add(
        page=support,
        user=admin,
        kind=Kind.SINGLE_CHOICE,
        text="If you are a care worker, would you join it?",
        help_text="If you are not a care worker, choose “Does not apply to me”.",
        options=["Yes", "Maybe", "No", "Does not apply to me"],
    )
    building.question_add(
        page=support,
        user=admin,
        kind=Kind.SHORT_TEXT,
        text="Why do you say that?",
        required=False,
        max_length=300,
    )
    contents = _page(consultation, "What the register should include")
    building.question_add(
        page=contents,
        user=admin,
        kind=Kind.MULTIPLE_CHOICE,
        text="What should the register include?",
        help_text="Choose all that apply.",
        options=[
            "Training passports",
            "Quicker and safer recruitment",
            "Paid job trials",
            "Professional recognition",
        ],
        has_other=True,
    )
    doubtful = [option for option in join.options.all() if option.label in {"Maybe", "No"}]
    building.question_add(
        page=contents,
        user=admin,
        kind=Kind.SINGLE_CHOICE,
        text="What would stop you joining?",
        options=[
            "The cost",
            "I do not see what I would get from it",
            "Worries about my personal data",
        ],
        has_other=True,
        show_if_options=doubtful,
    )
    building.question_add(
        page=contents,
        user=admin,
        kind=Kind.SHORT_TEXT,
        text="Is there anything else the register should do?",
        required=False,
        max_length=500,
    )
    return consultation


def _seed_passports_consultation(association: Organisation, admin: User) -> Consultation:
    now = timezone.localtime()
    closes = (now + timedelta(days=60)).replace(hour=23, minute=59, second=0, microsecond=0)
    consultation = building.consultation_create(
        organisation=association,
        user=admin,
        slug=PASSPORTS_SLUG,
        title="What should a training passport show?",
        summary=(
            "Training passports let a care worker show their training to any employer. Help "
            "us decide what a passport shows first, and how employers should check it."
        ),
        body="A short consultation to shape the first version of the training passport.",
        privacy_notice=PRIVACY_NOTICE,
        opens_at=now - timedelta(days=1),
        closes_at=closes,
        audience=Consultation.Audience.ANYONE,
        allow_anonymous=True,
    )
    page = _page(consultation, "Your training passport")
    building.question_add(
        page=page,
        user=admin,
        kind=Kind.MULTIPLE_CHOICE,
        text="What should a passport show first?",
        options=["Mandatory training", "Care Certificate", "Qualifications", "Expiry dates"],
        max_choices=2,
        has_other=True,
    )
    building.question_add(
        page=page,
        user=admin,
        kind=Kind.LIKERT,
        text="Employers should check passports online rather than on paper.",
    )
    building.question_add(
        page=page,
        user=admin,
        kind=Kind.LONG_TEXT,
        text="Anything else we should know?",
        required=False,
        max_length=1000,
    )
    return consultation


def _seed_answers(consultation: Consultation, *, count: int) -> None:
    """Believable answers for the closed consultation, written straight to the tables (the
    service rightly refuses answers to a closed consultation)."""
    rng = random.Random(2026)  # the same demo every time
    questions = list(Question.objects.filter(consultation=consultation).prefetch_related("options"))
    types = [value for value, _ in Response.RespondentType.choices]
    quotes = [
        "It would show we are professionals.",
        "Only if it is free for care workers.",
        "I am tired of doing the same training for every new employer.",
        "Recruitment takes far too long.",
    ]
    start = consultation.opens_at
    for number in range(count):
        submitted = start + timedelta(minutes=rng.randint(60, 40000))
        respondent_type = rng.choices(types, weights=[60, 20, 5, 10, 5])[0]
        response = Response.objects.create(
            consultation=consultation,
            respondent_type=respondent_type,
            verified=respondent_type == "care_worker" and number % 3 == 0,
            register_status="registered"
            if respondent_type == "care_worker" and number % 3 == 0
            else "",
            idempotency_key=f"demo-{uuid.UUID(int=rng.getrandbits(128))}",
            started_at=submitted - timedelta(seconds=200),
            submitted_at=submitted,
            duration_seconds=rng.randint(90, 400),
            updated_at=submitted,
        )
        rows = []
        chosen_join = None
        for question in questions:
            options = list(question.options.all())
            if question.is_respondent_type:
                rows.append(
                    Answer(
                        response=response,
                        question=question,
                        option=next(o for o in options if o.value == respondent_type),
                    )
                )
            elif question.show_if_question_id:
                if chosen_join and chosen_join.label in {"Maybe", "No"}:
                    rows.append(
                        Answer(response=response, question=question, option=rng.choice(options))
                    )
            elif question.kind == Kind.MULTIPLE_CHOICE:
                for option in rng.sample(options, rng.randint(1, len(options))):
                    rows.append(Answer(response=response, question=question, option=option))
            elif question.is_choice:
                option = rng.choices(options, weights=range(len(options), 0, -1))[0]
                if question.text.startswith("If you are a care worker"):
                    chosen_join = option
                rows.append(Answer(response=response, question=question, option=option))
            elif rng.random() < 0.5:
                rows.append(Answer(response=response, question=question, text=rng.choice(quotes)))
        Answer.objects.bulk_create(rows)


def seed_example_consultation() -> None:
    association = Organisation.objects.get(name="Care Workers' Association")
    admin = User.objects.get(email="association@example.com")
    with transaction.atomic():
        if not Consultation.objects.filter(slug=REGISTER_SLUG).exists():
            # Built as it would be through the pages, then let the clock do its work.
            consultation = _seed_register_consultation(association, admin)
            # Its dates are in the past, which scheduling through the pages rightly refuses.
            Consultation.objects.filter(pk=consultation.pk).update(
                status=Consultation.Status.SCHEDULED
            )
            lifecycle.consultation_follow_clock(consultation=consultation)
            consultation.refresh_from_db()
            if not consultation.is_open() and consultation.status != "scheduled":
                _seed_answers(consultation, count=60)
        if not Consultation.objects.filter(slug=PASSPORTS_SLUG).exists():
            consultation = _seed_passports_consultation(association, admin)
            lifecycle.consultation_schedule(consultation=consultation, user=admin)
