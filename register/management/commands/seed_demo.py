from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from register.models import Membership, Organisation, User
from register.services import registrars_group

DEMO_PASSWORD = "demo-register-2026"

DEMO_PEOPLE = [
    # email, full name, what they are, organisation they belong to
    ("worker@example.com", "Amira Care-Worker", "care worker", None),
    ("employer@example.com", "Ben Employer", "employer owner", "Sunrise Care Homes"),
    ("provider@example.com", "Chloe Trainer", "training provider owner", "Skills for Caring Ltd"),
    ("registrar@example.com", "Dev Registrar", "registrar (sets up MFA at first visit)", None),
    (
        "association@example.com",
        "Ellen Association",
        "association admin",
        "Care Workers' Association",
    ),
]

DEMO_ORGANISATIONS = {
    "Sunrise Care Homes": Organisation.Kind.EMPLOYER,
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
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
        for email, _name, what, _organisation in DEMO_PEOPLE:
            self.stdout.write(f"  {email:<26} {what}")
