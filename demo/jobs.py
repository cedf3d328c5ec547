"""Demo vacancies for `manage.py seed_demo`: about forty published by the two demo employers
across English towns, so that search by distance, the vacancy pages and applying show
something real. Made through the vacancy services, as an employer would, so every rule of
publishing holds. Safe to run again: a vacancy already seeded (same employer, title and
workplace) is left alone."""

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from accounts.models import Organisation, User
from jobs.models import Place, ScreeningQuestion, Vacancy
from jobs.places import place_find, places_load_package_towns
from jobs.services.vacancies import vacancy_create, vacancy_publish
from register.models import PathwayRole

Setting, Contract, PayKind = Vacancy.Setting, Vacancy.Contract, Vacancy.PayKind

SUNRISE = "Sunrise Care Homes"
BRIGHTPATH = "Brightpath Home Care"

# Where each employer works: town, postcode, workplace, street.
SUNRISE_HOMES = [
    ("Leeds", "LS6 2QT", "Sunrise House", "14 Headingley Lane"),
    ("Bradford", "BD9 4LR", "Heaton Lodge", "3 Toller Lane"),
    ("York", "YO24 1BD", "Ouse View", "27 Tadcaster Road"),
    ("Sheffield", "S10 2HN", "Endcliffe Court", "8 Ecclesall Road"),
    ("Manchester", "M20 2RN", "Didsbury Gardens", "51 Wilmslow Road"),
    ("Norwich", "NR2 3AY", "Eaton Park House", "110 Unthank Road"),
    ("Ipswich", "IP4 2QS", "Christchurch Lodge", "6 Tuddenham Road"),
    ("Exeter", "EX4 4QJ", "St Leonard's House", "19 Topsham Road"),
    ("Bristol", "BS6 6TU", "Redland Grove", "33 Cotham Hill"),
    ("Plymouth", "PL3 4HG", "Mannamead House", "2 Compton Avenue"),
]
BRIGHTPATH_BRANCHES = [
    ("Leeds", "LS11 5AE", "Brightpath Leeds South", "Unit 4, Dewsbury Road"),
    ("Wakefield", "WF1 2SR", "Brightpath Wakefield", "22 Westgate"),
    ("Manchester", "M14 5TP", "Brightpath Manchester", "90 Wilmslow Road"),
    ("Bristol", "BS3 4LY", "Brightpath Bristol", "15 North Street"),
    ("Norwich", "NR3 1HG", "Brightpath Norwich", "4 Magdalen Street"),
    ("Exeter", "EX2 4JU", "Brightpath Devon", "7 Cowick Street"),
    ("Lincoln", "LN2 5DY", "Brightpath Lincoln", "31 Newport"),
    ("Derby", "DE1 1SU", "Brightpath Derby", "12 Friar Gate"),
]

_CARE_HOME_TERMS = {
    "setting": Setting.CARE_HOME,
    "pay_kind": PayKind.HOURLY,
    "pay_amount": Decimal("13.10"),
    "contract": Contract.PERMANENT,
    "guaranteed_hours": Decimal("30"),
    "typical_hours": Decimal("36"),
    "works_days": True,
    "works_weekends": True,
    "shift_length_hours": Decimal("12"),
    "driving_needed": False,
    "sick_pay_beyond_statutory": False,
    "dbs_paid_by": Vacancy.DbsPaidBy.EMPLOYER,
    "visa_sponsorship": Vacancy.VisaSponsorship.NONE,
    "paid_trial_offered": False,
    "description": (
        "Help the people who live with us get up, wash, dress, eat and take part in the day "
        "as they choose. Full induction and the Care Certificate in your first twelve weeks, "
        "with a named buddy on every shift until you are ready."
    ),
}
_HOME_CARE_TERMS = {
    **_CARE_HOME_TERMS,
    "setting": Setting.HOME_CARE,
    "pay_amount": Decimal("15.20"),
    "guaranteed_hours": Decimal("20"),
    "typical_hours": Decimal("30"),
    "works_weekends": True,
    "shift_length_hours": Decimal("7"),
    "driving_needed": True,
    "mileage_pence_per_mile": Decimal("30"),
    "travel_time_paid": False,
    "unpaid_travel_minutes_per_hour": 10,
    "description": (
        "Visit people in their own homes across the area: personal care, meals, medicines "
        "and company. Rounds are planned so visits are close together, and you meet each "
        "person with a colleague before you visit them alone."
    ),
}

_DRIVING = "Do you have a full driving licence and a car you can use for work?"
_NIGHTS = "Can you work night shifts?"
_RIGHT_TO_WORK = "Do you have the right to work in the UK now?"
_CERTIFICATE = "Have you finished the Care Certificate?"
_MEDICINES = "Have you been trained to give medicines?"


def demo_vacancies() -> list[tuple[str, int, dict, list[str]]]:
    """(employer, place index, terms, screening questions) for each demo vacancy."""
    care_assistant = {**_CARE_HOME_TERMS, "title": "Care assistant"}
    night_carer = {
        **_CARE_HOME_TERMS,
        "title": "Night care assistant",
        "works_days": False,
        "works_nights": True,
        "shift_length_hours": Decimal("10"),
        "pay_amount": Decimal("13.60"),
    }
    nursing = {
        **_CARE_HOME_TERMS,
        "title": "Care assistant (nursing home)",
        "setting": Setting.CARE_HOME_WITH_NURSING,
        "pay_kind": PayKind.HOURLY_BAND,
        "pay_amount": Decimal("13.20"),
        "pay_amount_to": Decimal("14.40"),
        "sick_pay_beyond_statutory": True,
        "sick_pay_details": "Full pay for two weeks a year after six months.",
    }
    senior = {
        **_CARE_HOME_TERMS,
        "title": "Senior care assistant",
        "role": "lead-care-or-support-worker",
        "pay_amount": Decimal("14.25"),
        "guaranteed_hours": Decimal("36"),
        "typical_hours": Decimal("36"),
        "paid_trial_offered": True,
        "visa_sponsorship": Vacancy.VisaSponsorship.IN_COUNTRY_SWITCH,
    }
    bank = {
        **_CARE_HOME_TERMS,
        "title": "Bank care assistant",
        "contract": Contract.BANK,
        "guaranteed_hours": Decimal("0"),
        "typical_hours": Decimal("12"),
        "pay_amount": Decimal("13.40"),
        "dbs_paid_by": Vacancy.DbsPaidBy.EMPLOYER_IF_YOU_STAY,
        "dbs_stay_months": 6,
    }
    deputy = {
        **_CARE_HOME_TERMS,
        "title": "Deputy manager",
        "role": "deputy-manager",
        "pay_kind": PayKind.ANNUAL,
        "pay_amount": Decimal("34000"),
        "guaranteed_hours": Decimal("37.5"),
        "typical_hours": Decimal("37.5"),
        "works_weekends": False,
        "shift_length_hours": Decimal("7.5"),
        "sick_pay_beyond_statutory": True,
        "sick_pay_details": "Full pay for four weeks a year from your first day.",
    }
    extra_care = {
        **_CARE_HOME_TERMS,
        "title": "Extra care support worker",
        "setting": Setting.EXTRA_CARE,
        "shift_length_hours": Decimal("8"),
        "typical_hours": Decimal("30"),
        "guaranteed_hours": Decimal("24"),
    }
    day_service = {
        **_CARE_HOME_TERMS,
        "title": "Day service support worker",
        "setting": Setting.DAY_SERVICE,
        "contract": Contract.FIXED_TERM,
        "guaranteed_hours": Decimal("22.5"),
        "typical_hours": Decimal("22.5"),
        "works_weekends": False,
        "shift_length_hours": Decimal("7.5"),
        "paid_trial_offered": True,
    }
    home_carer = {**_HOME_CARE_TERMS, "title": "Home carer"}
    home_carer_zero = {
        **_HOME_CARE_TERMS,
        "title": "Home carer, flexible hours",
        "contract": Contract.NO_GUARANTEED_HOURS,
        "guaranteed_hours": Decimal("0"),
        "typical_hours": Decimal("16"),
        "pay_amount": Decimal("16.00"),
        "unpaid_travel_minutes_per_hour": 15,
        "dbs_paid_by": Vacancy.DbsPaidBy.WORKER,
    }
    home_carer_paid_travel = {
        **_HOME_CARE_TERMS,
        "title": "Home carer (travel time paid)",
        "pay_amount": Decimal("13.25"),
        "travel_time_paid": True,
        "unpaid_travel_minutes_per_hour": None,
        "mileage_pence_per_mile": Decimal("45"),
        "guaranteed_hours": Decimal("30"),
        "typical_hours": Decimal("35"),
        "paid_trial_offered": True,
    }
    home_carer_town = {
        **_HOME_CARE_TERMS,
        "title": "Home carer, walking rounds",
        "driving_needed": False,
        "mileage_pence_per_mile": None,
        "pay_amount": Decimal("14.20"),
        "unpaid_travel_minutes_per_hour": 5,
    }
    supported_living = {
        **_CARE_HOME_TERMS,
        "title": "Support worker, supported living",
        "setting": Setting.SUPPORTED_LIVING,
        "pay_amount": Decimal("13.00"),
        "works_nights": True,
        "shift_length_hours": Decimal("9"),
        "description": (
            "Support three young adults with learning disabilities in their shared flat: "
            "cooking, budgeting, college and the things they enjoy. Sleep-in nights are paid "
            "at the full hourly rate."
        ),
    }
    shared_lives = {
        **_CARE_HOME_TERMS,
        "title": "Shared Lives carer",
        "setting": Setting.SHARED_LIVES,
        "contract": Contract.NO_GUARANTEED_HOURS,
        "guaranteed_hours": Decimal("0"),
        "typical_hours": Decimal("20"),
        "pay_amount": Decimal("13.50"),
        "shift_length_hours": Decimal("6"),
        "description": (
            "Share your home and family life with an adult who needs support, for short "
            "breaks or day support. We match you carefully and visit regularly."
        ),
    }
    coordinator = {
        **_CARE_HOME_TERMS,
        "title": "Home care co-ordinator",
        "setting": Setting.HOME_CARE,
        "role": "lead-care-or-support-worker",
        "pay_kind": PayKind.ANNUAL,
        "pay_amount": Decimal("27500"),
        "pay_amount_to": Decimal("29500"),
        "guaranteed_hours": Decimal("37.5"),
        "typical_hours": Decimal("37.5"),
        "works_weekends": False,
        "shift_length_hours": Decimal("7.5"),
        "driving_needed": True,
        "mileage_pence_per_mile": Decimal("45"),
        "travel_time_paid": True,
    }
    right_to_work = [_RIGHT_TO_WORK]
    return [
        *[(SUNRISE, index, care_assistant, []) for index in range(10)],
        *[(SUNRISE, index, night_carer, [_NIGHTS]) for index in (0, 2, 4, 6, 8)],
        *[(SUNRISE, index, nursing, [_CERTIFICATE]) for index in (1, 3, 5)],
        *[(SUNRISE, index, senior, [_MEDICINES, _CERTIFICATE]) for index in (0, 4, 8)],
        *[(SUNRISE, index, bank, right_to_work) for index in (3, 7)],
        (SUNRISE, 0, deputy, []),
        (SUNRISE, 9, extra_care, []),
        (SUNRISE, 5, day_service, []),
        *[(BRIGHTPATH, index, home_carer, [_DRIVING]) for index in range(8)],
        *[(BRIGHTPATH, index, home_carer_zero, [_DRIVING]) for index in (0, 2, 4)],
        (BRIGHTPATH, 3, home_carer_paid_travel, [_DRIVING, _RIGHT_TO_WORK]),
        (BRIGHTPATH, 4, home_carer_town, []),
        (BRIGHTPATH, 1, supported_living, [_NIGHTS]),
        (BRIGHTPATH, 6, shared_lives, []),
        (BRIGHTPATH, 2, coordinator, [_DRIVING]),
    ]


def _towns_loaded() -> None:
    """The packaged towns, unless some places are loaded already (the ONS files, or an
    earlier run): about two seconds the first time."""
    if not Place.objects.filter(kind=Place.Kind.TOWN).exists():
        places_load_package_towns()


def _placed(vacancy: Vacancy) -> None:
    # The vacancy services place a vacancy from its postcode when it is saved; until they do,
    # and where they could not, the demo places it by its town, so search by distance works.
    if vacancy.latitude is not None:
        return
    place = place_find(vacancy.postcode) or place_find(vacancy.town)
    if place is not None:
        Vacancy.objects.filter(pk=vacancy.pk).update(
            latitude=place.latitude, longitude=place.longitude
        )


def seed_demo_vacancies() -> int:
    """Publish the demo vacancies not yet seeded; how many were added."""
    _towns_loaded()
    employers = {
        SUNRISE: (
            Organisation.objects.get(name=SUNRISE),
            User.objects.get(email="employer@example.com"),
            SUNRISE_HOMES,
        ),
        BRIGHTPATH: (
            Organisation.objects.get(name=BRIGHTPATH),
            User.objects.get(email="homecare@example.com"),
            BRIGHTPATH_BRANCHES,
        ),
    }
    roles = {role.code: role for role in PathwayRole.objects.all()}
    today = timezone.localdate()
    added = 0
    for number, (employer, index, terms, questions) in enumerate(demo_vacancies()):
        organisation, user, places = employers[employer]
        town, postcode, workplace, street = places[index]
        terms = dict(terms)
        if Vacancy.objects.filter(
            organisation=organisation, title=terms["title"], workplace_name=workplace
        ).exists():
            continue
        role = roles.get(terms.pop("role", "care-or-support-worker"))
        data = {
            **terms,
            "pathway_role": role,
            "workplace_name": workplace,
            "address_line": street,
            "town": town,
            "postcode": postcode,
            # Closing two to eight weeks on, so some are new and some close soon.
            "closing_date": today + datetime.timedelta(days=14 + (number * 5) % 43),
            "start_date": today + datetime.timedelta(days=63),
        }
        with transaction.atomic():
            vacancy = vacancy_create(organisation=organisation, user=user, data=data)
            for position, text in enumerate(questions):
                ScreeningQuestion.objects.create(vacancy=vacancy, position=position, text=text)
            vacancy = vacancy_publish(vacancy=vacancy, user=user)
        _placed(vacancy)
        added += 1
    return added


# --- Applications, an interview to book, a question and an alert ------------------------------

AMIRA = "worker@example.com"
ROSA = "renewing@example.com"
TOM = "applicant@example.com"

# (applicant, employer, vacancy title, workplace, statement, availability, yes/no answers)
_DEMO_APPLICATIONS = [
    (
        AMIRA,
        SUNRISE,
        "Care assistant",
        "Sunrise House",
        "I have worked in a care home in Leeds for three years, mostly with people living "
        "with dementia. I would like a home nearer where I live, with more day shifts.",
        "Days and weekends, from the start of next month.",
        {},
    ),
    (
        ROSA,
        SUNRISE,
        "Care assistant",
        "Sunrise House",
        "I have been a home carer in Bradford for eleven years and would like to work in one "
        "place with a team around me.",
        "Weekdays, with four weeks' notice to give.",
        {},
    ),
    (
        TOM,
        SUNRISE,
        "Care assistant",
        "Sunrise House",
        "I looked after my grandad for two years and want to make care my job. I have applied "
        "to join the register.",
        "Any time: I can start straight away.",
        {},
    ),
    (
        AMIRA,
        SUNRISE,
        "Night care assistant",
        "Sunrise House",
        "Nights suit my family, and I have covered nights at my current home for a year.",
        "Four nights a week.",
        {_NIGHTS: True},
    ),
    (
        AMIRA,
        BRIGHTPATH,
        "Home carer",
        "Brightpath Leeds South",
        "I enjoy getting to know people in their own homes, and I know south Leeds well.",
        "Weekday mornings and evenings.",
        {_DRIVING: False},
    ),
]

_NOT_PROGRESSED = (
    "Thank you for applying, Amira, and for telling us plainly about driving. These rounds "
    "cover villages with no buses, so we need a driver for them. We would be glad to hear from "
    "you for our walking rounds in Leeds city centre, which we advertise here often."
)
_QUESTION = (
    "Do I need to have finished the Care Certificate before I start as a senior care "
    "assistant, or can I finish it with you?"
)
_ANSWER = (
    "You can finish it with us: we give you paid time for it in your first twelve weeks, and "
    "a senior colleague signs off each standard with you."
)
# Amira's saved search: care jobs within 10 miles of Leeds, emailed once a week.
_ALERT_SEARCH = {"where": "Leeds", "miles": "10"}


def _demo_vacancy(employer: str, title: str, workplace: str) -> Vacancy:
    return Vacancy.objects.get(organisation__name=employer, title=title, workplace_name=workplace)


def _answers(vacancy: Vacancy, statement: str, availability: str, yes_no: dict[str, bool]):
    from jobs.services.applying import ApplicationAnswers

    questions = {question.text: question.pk for question in vacancy.questions.all()}
    return ApplicationAnswers(
        statement=statement,
        availability=availability,
        screening={questions[text]: answer for text, answer in yes_no.items()},
        shares_identity_checks=True,
    )


def _interview_times(vacancy: Vacancy, user: User) -> None:
    """Three free times next week, once: a demo seeded long ago may have only past ones."""
    from jobs.models import InterviewSlot
    from jobs.services.interviews import interview_slot_add

    if vacancy.interview_slots.filter(starts_at__gt=timezone.now()).exists():
        return
    day = timezone.localdate() + datetime.timedelta(days=7)
    for hour, kind, location in (
        (10, InterviewSlot.Kind.IN_PERSON, "Sunrise House, 14 Headingley Lane, Leeds LS6 2QT"),
        (11, InterviewSlot.Kind.IN_PERSON, "Sunrise House, 14 Headingley Lane, Leeds LS6 2QT"),
        (14, InterviewSlot.Kind.PHONE, ""),
    ):
        starts_at = timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))
        interview_slot_add(
            vacancy=vacancy,
            user=user,
            starts_at=starts_at,
            minutes=30,
            kind=kind,
            location=location,
        )


def seed_demo_applications() -> int:
    """Applications by the demo care workers, made as they and the employers would through
    the services: three to Sunrise's care assistant post in Leeds, still received (one from
    Tom, who is not on the register yet); Amira's night shift application at interview, with
    times for her to book; her home care one not progressed, with a kind message. Then her
    question to Sunrise, answered, and her weekly job alert. How many applications were
    added; an application already made is left as it is."""
    from jobs.models import Application, JobAlert, QuestionThread
    from jobs.services.alerts import alert_create, saved_search_read
    from jobs.services.applying import application_submit
    from jobs.services.pipeline import applicant_move
    from jobs.services.questions import question_ask, question_reply

    Stage = Application.Stage
    owners = {
        SUNRISE: User.objects.get(email="employer@example.com"),
        BRIGHTPATH: User.objects.get(email="homecare@example.com"),
    }
    added = 0
    for email, employer, title, workplace, statement, availability, yes_no in _DEMO_APPLICATIONS:
        vacancy = _demo_vacancy(employer, title, workplace)
        submitted = application_submit(
            vacancy=vacancy,
            applicant=User.objects.get(email=email),
            answers=_answers(vacancy, statement, availability, yes_no),
        )
        added += submitted.created
        # Moved on from the stage it is at, so a run stopped half-way is finished by the next.
        application, boss = submitted.application, owners[employer]
        if title == "Night care assistant" and application.stage == Stage.RECEIVED:
            application = applicant_move(application=application, to=Stage.SHORTLISTED, user=boss)
        if title == "Night care assistant" and application.stage == Stage.SHORTLISTED:
            _interview_times(vacancy, boss)
            applicant_move(
                application=application,
                to=Stage.INTERVIEW,
                user=boss,
                message="We would like to meet you. Choose whichever time suits you.",
            )
        if title == "Home carer" and application.stage == Stage.RECEIVED:
            applicant_move(
                application=application,
                to=Stage.NOT_PROGRESSED,
                user=boss,
                message=_NOT_PROGRESSED,
            )

    amira = User.objects.get(email=AMIRA)
    senior = _demo_vacancy(SUNRISE, "Senior care assistant", "Sunrise House")
    if not QuestionThread.objects.filter(vacancy=senior, asker=amira).exists():
        thread = question_ask(vacancy=senior, user=amira, text=_QUESTION)
        question_reply(thread=thread, user=owners[SUNRISE], text=_ANSWER)

    search = saved_search_read(_ALERT_SEARCH)
    if not JobAlert.objects.filter(user=amira, query_key=search.key).exists():
        alert_create(search=search, frequency=JobAlert.Frequency.WEEKLY, user=amira)
    return added
