from datetime import date

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accounts.models import Membership, Organisation, User
from accounts.services.organisations import registrars_group
from demo.careers_campaigns import seed_demo_campaign
from demo.careers_quizzes import seed_demo_quizzes
from demo.careers_stories import seed_demo_stories
from demo.consultations import seed_example_consultation
from demo.jobs import demo_vacancies, seed_demo_applications, seed_demo_vacancies
from demo.trials import seed_demo_trials

DEMO_PASSWORD = "demo-register-2026"

DEMO_PEOPLE = [
    # email, full name, what they are, organisation they belong to
    ("worker@example.com", "Amira Care-Worker", "care worker", None),
    ("applicant@example.com", "Tom Applicant", "care worker", None),
    # Her renewal falls due in 30 days, so a newcomer can try renewing (Amira joined today).
    ("renewing@example.com", "Rosa Renewing", "care worker", None),
    ("employer@example.com", "Ben Employer", "employer owner", "Sunrise Care Homes"),
    ("homecare@example.com", "Hana Home-Care", "employer owner", "Brightpath Home Care"),
    ("provider@example.com", "Chloe Trainer", "training provider owner", "Skills for Caring Ltd"),
    ("registrar@example.com", "Dev Registrar", "registrar (sets up MFA at first visit)", None),
    # Four-eyes approval: the second approval comes from a registrar who recorded no check.
    ("registrar2@example.com", "Sam Second-Registrar", "registrar (second approvals)", None),
    # A concern needs a screener, two others to decide it and two more for an appeal.
    ("registrar3@example.com", "Dee Decider", "registrar (decides concerns)", None),
    ("registrar4@example.com", "Dan Decider", "registrar (decides concerns)", None),
    ("registrar5@example.com", "Abe Appeals", "registrar (decides appeals)", None),
    (
        "association@example.com",
        "Ellen Association",
        "association admin",
        "Care Workers' Association",
    ),
]

# In the README's table of demo logins: an employer checking a share code asks for it.
DEMO_DATES_OF_BIRTH = {
    "worker@example.com": date(1990, 5, 17),
    "applicant@example.com": date(1994, 11, 3),
}

DEMO_REFEREES = [
    # name, email, how they know the worker, for how long
    ("Sam Manager", "sam.manager@example.net", "Manager at Sunrise Care Homes", "4 years"),
    ("Pat Tutor", "pat.tutor@example.net", "Tutor at Leeds City College", "2 years"),
]

DEMO_ORGANISATIONS = {
    "Sunrise Care Homes": Organisation.Kind.EMPLOYER,
    "Brightpath Home Care": Organisation.Kind.EMPLOYER,
    "Skills for Caring Ltd": Organisation.Kind.TRAINING_PROVIDER,
    "Care Workers' Association": Organisation.Kind.ASSOCIATION,
}


class Command(BaseCommand):
    help = "Create the demo people and organisations. Safe to run again; never in production."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="List what would be created.")

    def handle(self, *args, dry_run, **options):
        if settings.PRODUCTION:
            raise CommandError("Demo data is never loaded in production.")
        if dry_run:
            for email, _name, what, _organisation in DEMO_PEOPLE:
                self.stdout.write(f"would ensure {email} ({what})")
            self.stdout.write(f"would ensure {len(demo_vacancies())} published demo vacancies")
            self.stdout.write(
                "would ensure the demo workers' applications, an interview to book, a question "
                "and a job alert"
            )
            return
        with transaction.atomic():
            organisations = {
                name: Organisation.objects.get_or_create(name=name, defaults={"kind": kind})[0]
                for name, kind in DEMO_ORGANISATIONS.items()
            }
            registrars = registrars_group()
            for email, name, what, organisation_name in DEMO_PEOPLE:
                user, created = User.objects.get_or_create(
                    email=email, defaults={"full_name": name}
                )
                if created:
                    user.set_password(DEMO_PASSWORD)
                user.is_care_worker = what == "care worker"
                if what.startswith("registrar"):
                    user.is_registrar = True
                    user.is_staff = True
                user.save()
                if user.is_registrar:
                    user.groups.add(registrars)
                EmailAddress.objects.update_or_create(
                    user=user, email=email, defaults={"verified": True, "primary": True}
                )
                if organisation_name:
                    Membership.objects.get_or_create(
                        user=user,
                        organisation=organisations[organisation_name],
                        defaults={"role": Membership.Role.OWNER},
                    )
        self._seed_register()
        self._seed_worker_due_for_renewal()
        self._seed_code_acceptances()
        self._seed_employer()
        self._seed_training()
        self._seed_concern()
        seed_example_consultation()
        seed_demo_vacancies()
        seed_demo_applications()
        seed_demo_trials()
        seed_demo_stories()
        seed_demo_quizzes()
        seed_demo_campaign()
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
        for email, _name, what, _organisation in DEMO_PEOPLE:
            self.stdout.write(f"  {email:<26} {what}")

    def _seed_register(self):
        """Amira is on the register, with the checks her approval needed; Tom's application,
        with his two referees, waits in the registrar's queue."""
        from register.models import Application, PathwayRole
        from register.services.applications import application_submit
        from register.services.conduct import code_current
        from register.services.entries import entry_create

        role = PathwayRole.objects.order_by("order").filter(code="care-or-support-worker").first()
        employer = Organisation.objects.get(name="Sunrise Care Homes")
        answers = {
            "phone": "07700 900123",
            "address_line_1": "1 High Street",
            "town": "Leeds",
            "postcode": "LS1 4AP",
            "pathway_role": role,
            "employer": employer,
            "has_criminal_record": False,
            "has_health_condition": False,
            "has_fitness_to_practise_history": False,
            "declares_truth": True,
            "consents_to_publication": True,
        }
        worker = User.objects.get(email="worker@example.com")
        registrar = User.objects.get(email="registrar@example.com")
        if not hasattr(worker, "register_entry"):
            with transaction.atomic():
                application = Application.objects.create(
                    worker=worker,
                    legal_name=worker.full_name,
                    status=Application.Status.APPROVED,
                    date_of_birth=DEMO_DATES_OF_BIRTH[worker.email],
                    **answers,
                )
                entry_create(application=application, approved_by=registrar)
        application = User.objects.get(email="worker@example.com").register_entry.application
        if not application.checks.exists():
            self._seed_checks(application=application, registrar=registrar)
        applicant = User.objects.get(email="applicant@example.com")
        if not applicant.applications.exists():
            application = Application.objects.create(
                worker=applicant,
                legal_name=applicant.full_name,
                date_of_birth=DEMO_DATES_OF_BIRTH[applicant.email],
                **answers,
            )
            self._seed_referees(application)
            application_submit(application=application, worker=applicant, code=code_current())
        for application in applicant.applications.filter(referees__isnull=True):
            self._seed_referees(application)

    def _seed_code_acceptances(self):
        """Amira and Rosa accepted the code of conduct when they applied, as everyone on the
        register has: they are asked again only once a new version is published."""
        from register.models import CodeAcceptance
        from register.services.conduct import code_accept, code_current

        code = code_current()
        if code is None:
            return
        for email in ("worker@example.com", "renewing@example.com"):
            code_accept(
                user=User.objects.get(email=email), code=code, how=CodeAcceptance.How.APPLICATION
            )

    def _seed_concern(self):
        """A member of the public's concern about Rosa, confirmed and waiting for a registrar
        to screen it: sign in as a registrar and open Concerns."""
        from concerns.models import Case
        from concerns.services.raising import Raised, concern_confirm, concern_raise

        rosa = User.objects.get(email="renewing@example.com")
        if not hasattr(rosa, "register_entry") or Case.objects.exists():
            return
        with transaction.atomic():
            _case, token = concern_raise(
                raised=Raised(
                    category="poor_practice",
                    what_happened=(
                        "My father waited over an hour for help to the toilet on two evening "
                        "visits, and the visit notes say the visits took the full 30 minutes."
                    ),
                    when_happened="The last two weeks of November",
                    registration_number=rosa.register_entry.registration_number,
                    name="Priya Public",
                    email="priya.public@example.net",
                    identity_withheld=True,
                ),
                documents=[],
            )
            concern_confirm(token=token)

    def _seed_referees(self, application):
        from register.models import Referee

        for position, (name, email, relationship, known_for) in enumerate(DEMO_REFEREES, 1):
            Referee.objects.get_or_create(
                application=application,
                position=position,
                defaults={
                    "name": name,
                    "email": email,
                    "relationship": relationship,
                    "known_for": known_for,
                },
            )

    def _seed_checks(self, *, application, registrar):
        """What approval requires (register.services.applications.application_missing_checks),
        as a registrar recorded it, so an employer shown Amira's checks sees them: photo
        identity, DBS, right to work, and two references given by her referees through the
        emailed form."""
        import secrets
        from datetime import timedelta

        from django.utils import timezone

        from core.encryption import blind_index
        from register.models import IdentityCheck, ReferenceRequest
        from register.services.references import reference_token_hash

        today = timezone.localdate()
        checked_at = timezone.now() - timedelta(days=30)
        Type, Outcome = IdentityCheck.Type, IdentityCheck.Outcome
        with transaction.atomic():
            IdentityCheck.objects.create(
                application=application,
                check_type=Type.PHOTO_ID,
                outcome=Outcome.PASSED,
                checked_by=registrar,
                checked_at=checked_at,
                document_type=IdentityCheck.DocumentType.PASSPORT,
                document_number="925665416",
                document_number_index=blind_index("925665416", purpose="photo_id"),
                document_expires_on=today + timedelta(days=5 * 365),
            )
            IdentityCheck.objects.create(
                application=application,
                check_type=Type.DBS,
                outcome=Outcome.PASSED,
                checked_by=registrar,
                checked_at=checked_at,
                certificate_number="001234567890",
                certificate_number_index=blind_index("001234567890", purpose="dbs"),
                certificate_issued_on=today - timedelta(days=60),
            )
            IdentityCheck.objects.create(
                application=application,
                check_type=Type.RIGHT_TO_WORK,
                outcome=Outcome.PASSED,
                checked_by=registrar,
                checked_at=checked_at,
                right_to_work_route=IdentityCheck.RightToWorkRoute.BRITISH_OR_IRISH,
            )
            self._seed_referees(application)
            for referee in application.referees.all():
                check = IdentityCheck.objects.create(
                    application=application,
                    check_type=Type.REFERENCE,
                    outcome=Outcome.PASSED,
                    checked_by=registrar,
                    checked_at=checked_at,
                    referee_name=referee.name,
                    referee_relationship=referee.relationship,
                )
                ReferenceRequest.objects.create(
                    referee=referee,
                    # A spent link: nobody has its token.
                    token_hash=reference_token_hash(secrets.token_urlsafe(32)),
                    status=ReferenceRequest.Status.ANSWERED,
                    sent_by=registrar,
                    sent_at=checked_at - timedelta(days=5),
                    expires_at=checked_at + timedelta(days=9),
                    answered_at=checked_at - timedelta(days=2),
                    knows_applicant=True,
                    how_known=f"{referee.relationship}, for {referee.known_for}.",
                    has_concerns=False,
                    identity_check=check,
                )

    def _seed_worker_due_for_renewal(self):
        """Rosa joined the register 335 days ago, so her renewal falls due in 30 days: its
        window is open, and she has logged 13.5 hours of CPD, enough to renew. Sunrise Care
        Homes, the employer she named, is warned by send_renewal_reminders."""
        from datetime import date, timedelta

        from django.utils import timezone

        from register.models import (
            Application,
            CpdActivity,
            PathwayRole,
            RegisterEntry,
            StatusChange,
        )
        from register.services.entries import entry_create

        worker = User.objects.get(email="renewing@example.com")
        if hasattr(worker, "register_entry"):
            return
        today = timezone.localdate()
        joined = today - timedelta(days=335)
        with transaction.atomic():
            application = Application.objects.create(
                worker=worker,
                legal_name=worker.full_name,
                status=Application.Status.APPROVED,
                date_of_birth=date(1985, 9, 2),
                phone="07700 900456",
                address_line_1="22 Mill Lane",
                town="Bradford",
                postcode="BD1 1AA",
                pathway_role=PathwayRole.objects.filter(code="care-or-support-worker").first(),
                employer=Organisation.objects.get(name="Sunrise Care Homes"),
                has_criminal_record=False,
                has_health_condition=False,
                has_fitness_to_practise_history=False,
                declares_truth=True,
                consents_to_publication=True,
            )
            entry = entry_create(
                application=application,
                approved_by=User.objects.get(email="registrar@example.com"),
            )
            # As if approved on the day she joined, a year less 30 days ago.
            RegisterEntry.objects.filter(pk=entry.pk).update(
                registered_from=joined, renewal_due=today + timedelta(days=30)
            )
            StatusChange.objects.filter(entry=entry).update(
                changed_at=timezone.now() - timedelta(days=335)
            )
            for days_ago, title, hours, reflection in (
                (300, "Safeguarding adults refresher", "6", "Who to tell, and how quickly."),
                (
                    200,
                    "Dementia awareness workshop",
                    "4.5",
                    "Simpler choices at mealtimes help Mr B eat more.",
                ),
                (
                    60,
                    "Reading: NICE guidance on medicines in care homes",
                    "3",
                    "I now check the medicines record before every round.",
                ),
            ):
                CpdActivity.objects.create(
                    entry=entry,
                    completed_on=today - timedelta(days=days_ago),
                    title=title,
                    hours=hours,
                    reflection=reflection,
                    logged_at=timezone.now() - timedelta(days=days_ago),
                )

    def _seed_employer(self):
        """Sunrise Care Homes and Brightpath Home Care are verified, so their staff lists,
        share-code checks and vacancies work."""
        from employers.models import EmployerVerification

        for name in ("Sunrise Care Homes", "Brightpath Home Care"):
            EmployerVerification.objects.get_or_create(
                organisation=Organisation.objects.get(name=name),
                defaults={"verified_by": User.objects.get(email="registrar@example.com")},
            )

    def _seed_training(self):
        """A signing key, an approved training provider, and some of Amira's training, so a
        passport can be issued and checked straight away."""
        from datetime import timedelta

        from django.utils import timezone

        from passports import keys
        from passports.models import ProviderApproval, TrainingRecord, TrainingStandard
        from passports.services.records import expiry_for

        if keys.active_key() is None:
            keys.signing_key_create()
        provider = Organisation.objects.get(name="Skills for Caring Ltd")
        registrar = User.objects.get(email="registrar@example.com")
        ProviderApproval.objects.get_or_create(
            organisation=provider, defaults={"approved_by": registrar}
        )
        entry = User.objects.get(email="worker@example.com").register_entry
        trainer = User.objects.get(email="provider@example.com")
        today = timezone.localdate()
        for code, days_ago in (
            ("moving-and-handling", 40),
            ("safeguarding-adults", 330),
            ("fire-safety", 400),
            ("care-certificate-01", 700),
        ):
            standard = TrainingStandard.objects.get(code=code)
            completed_on = today - timedelta(days=days_ago)
            TrainingRecord.objects.get_or_create(
                entry=entry,
                standard=standard,
                completed_on=completed_on,
                defaults={
                    "expires_on": expiry_for(standard=standard, completed_on=completed_on),
                    "provider": provider,
                    "status": TrainingRecord.Status.VERIFIED,
                    "recorded_by": trainer,
                    "decided_by": trainer,
                },
            )
