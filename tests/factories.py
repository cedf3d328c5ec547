import datetime

import factory
from allauth.account.models import EmailAddress
from django.utils import timezone

from accounts.models import Membership, Organisation, User
from core.names import normalise_name, normalise_town
from register.models import Application, PathwayRole, RegisterEntry
from register.registration_numbers import format_number
from register.services.name_words import entry_name_words_update

PASSWORD = "correct-horse-battery-staple"


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
    date_of_birth = datetime.date(1990, 5, 17)
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
