from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from accounts.services.registrars import (
    RegistrarInvitationError,
    registrar_invitation_create,
    registrar_invitation_path,
)
from core.dates import format_moment
from core.notifications import email_from_template


class Command(BaseCommand):
    help = (
        "Invite someone to become a registrar (how the first registrar is set up): makes a "
        "one-time link, emails it to them and prints it. They sign in with that address, set up "
        "an authenticator app and accept. Running it again replaces the earlier link."
    )

    def add_arguments(self, parser):
        parser.add_argument("email", help="The address of the person to invite.")
        parser.add_argument("--dry-run", action="store_true", help="Say what would happen.")

    def handle(self, *args, email, dry_run, **options):
        if dry_run:
            self.stdout.write(f"would invite {email} to become a registrar")
            return
        try:
            invitation, token = registrar_invitation_create(email=email)
        except RegistrarInvitationError as error:
            raise CommandError(str(error)) from None
        link = f"{settings.SITE_URL}{registrar_invitation_path(token)}"
        email_from_template(
            to=[invitation.email],
            template="registrar_invitation",
            context={"invitation": invitation, "link": link},
        )
        self.stdout.write(
            f"Invited {invitation.email}. The link works once, until "
            f"{format_moment(invitation.expires_at)}, and only for someone signed in with that "
            f"address who has used an authenticator app:\n{link}"
        )
