import datetime

import factory
from allauth.account.models import EmailAddress
from django.utils import timezone

from accounts.models import Membership, Organisation, User
from core.names import normalise_name, normalise_town
from passports.models import ProviderApproval, TrainingRecord, TrainingStandard
from passports.services.records import expiry_for
from register.models import Application, PathwayRole, RegisterEntry
from register.registration_numbers import format_number
from register.services.name_words import entry_name_words_update

PASSWORD = "correct-horse-battery-staple"
# Every applicant's date of birth, unless a test gives another.
DATE_OF_BIRTH = datetime.date(1990, 5, 17)


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
    class Meta:
        model = Organisation

    name = factory.Faker("company", locale="en_GB")
    kind = Organisation.Kind.EMPLOYER


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
    """A complete application, ready to submit, still a draft unless told otherwise."""

    class Meta:
        model = Application

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


class RegisterEntryFactory(factory.django.DjangoModelFactory):
    """An entry made directly, as if approved today; for tests that start after approval."""

    class Meta:
        model = RegisterEntry
        skip_postgeneration_save = True

    application = factory.SubFactory(ApplicationFactory, status=Application.Status.APPROVED)
    worker = factory.LazyAttribute(lambda entry: entry.application.worker)
    registration_number = factory.Sequence(lambda n: format_number(2_000_000 + n))
    full_name = factory.LazyAttribute(lambda entry: entry.application.legal_name)
    search_name = factory.LazyAttribute(lambda entry: normalise_name(entry.full_name))
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
