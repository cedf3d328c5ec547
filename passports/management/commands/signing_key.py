from django.core.management.base import BaseCommand, CommandError
from django.db.models import Count

from passports import keys
from passports.models import SigningKey


class Command(BaseCommand):
    help = (
        "Manage the keys passports are signed with: create the first, rotate to a new one "
        "(old passports keep verifying), retire one, revoke a compromised one (every passport "
        "it signed then fails), or list them."
    )

    def add_arguments(self, parser):
        commands = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        create = commands.add_parser("create", help="Make the first active key.")
        rotate = commands.add_parser("rotate", help="Retire the active key, make a new one.")
        retire = commands.add_parser("retire", help="Stop signing with a key.")
        revoke = commands.add_parser("revoke", help="Declare a key compromised.")
        commands.add_parser("list", help="Show every key.")
        for sub in (create, rotate, retire, revoke):
            sub.add_argument("--dry-run", action="store_true", help="Say what would happen.")
        for sub in (retire, revoke):
            sub.add_argument("--kid", required=True, help="The key id, like key-2026-11.")
        revoke.add_argument(
            "--yes", action="store_true", help="Confirm: revoking cannot be undone."
        )

    def handle(self, *args, action, **options):
        try:
            getattr(self, f"_{action}")(**options)
        except keys.SigningKeyError as error:
            raise CommandError(str(error)) from error

    def _create(self, *, dry_run, **options):
        current = keys.active_key()
        if current is not None:
            # Safe to re-run: an existing key is left alone.
            self.stdout.write(
                f"{current.kid} is already active; nothing to do. Use rotate to replace it."
            )
            return
        if dry_run:
            self.stdout.write(f"Would create {keys.next_kid()} as the active key.")
            return
        key = keys.signing_key_create()
        self.stdout.write(self.style.SUCCESS(f"Created {key.kid}; it signs new passports."))

    def _rotate(self, *, dry_run, **options):
        current = keys.active_key()
        if current is None:
            raise CommandError("There is no active key to rotate. Run signing_key create.")
        if dry_run:
            self.stdout.write(f"Would retire {current.kid} and make {keys.next_kid()} active.")
            return
        key = keys.signing_key_rotate()
        self.stdout.write(
            self.style.SUCCESS(
                f"Retired {current.kid}; {key.kid} now signs new passports. Passports signed "
                f"with {current.kid} still verify."
            )
        )

    def _key(self, kid: str) -> SigningKey:
        key = SigningKey.objects.filter(kid=kid).first()
        if key is None:
            raise CommandError(f"There is no key {kid}. Run signing_key list to see them.")
        return key

    def _retire(self, *, kid, dry_run, **options):
        key = self._key(kid)
        if key.status != SigningKey.Status.ACTIVE:
            self.stdout.write(f"{kid} is already {key.status}; nothing to do.")
            return
        if dry_run:
            self.stdout.write(
                f"Would retire {kid}. No passports can be issued until a new key is made."
            )
            return
        keys.signing_key_retire(kid=kid)
        self.stdout.write(
            self.style.SUCCESS(f"Retired {kid}. Run signing_key create before issuing passports.")
        )

    def _revoke(self, *, kid, dry_run, yes, **options):
        key = self._key(kid)
        if key.status == SigningKey.Status.REVOKED:
            self.stdout.write(f"{kid} is already revoked; nothing to do.")
            return
        signed = key.passports.count()
        consequence = f"{signed} passport(s) signed with {kid} will fail verification."
        if dry_run:
            self.stdout.write(f"Would revoke {kid}. {consequence}")
            return
        if not yes:
            raise CommandError(
                f"Revoking {kid} cannot be undone: {consequence} Run again with --yes to go "
                "ahead, or with --dry-run to change nothing."
            )
        keys.signing_key_revoke(kid=kid)
        self.stdout.write(self.style.SUCCESS(f"Revoked {kid}. {consequence}"))
        if key.status == SigningKey.Status.ACTIVE:
            self.stdout.write(
                "No key is active now: run signing_key create before issuing passports."
            )

    def _list(self, **options):
        rows = SigningKey.objects.annotate(signed=Count("passports")).order_by("created_at", "id")
        if not rows:
            self.stdout.write("No keys yet. Run signing_key create.")
        for key in rows:
            self.stdout.write(
                f"{key.kid:<16} {key.status:<8} created {key.created_at:%Y-%m-%d}  "
                f"{key.signed} passport(s)"
            )
