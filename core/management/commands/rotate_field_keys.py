from django.core.management.base import BaseCommand
from django.db import connection, transaction

from core import encryption
from core.audit import audit_log


class Command(BaseCommand):
    help = (
        "Re-encrypt every encrypted column under the first key in FIELD_ENCRYPTION_KEYS. "
        "Put the new key first, keep the old ones after it, run this, then drop the old keys."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Count, change nothing.")
        parser.add_argument("--batch-size", type=int, default=500)

    def handle(self, *args, dry_run, batch_size, **options):
        total = 0
        for model, field in encryption.encrypted_fields():
            rotated = self._rotate_column(model, field, dry_run=dry_run, batch_size=batch_size)
            total += rotated
            verb = "would re-encrypt" if dry_run else "re-encrypted"
            self.stdout.write(f"{model._meta.label}.{field.name}: {verb} {rotated} value(s)")
        if not dry_run and total:
            audit_log(action="core.encryption.keys_rotated", data={"values": total})
        self.stdout.write(
            f"Done: {total} value(s) {'to re-encrypt' if dry_run else 're-encrypted'}."
        )

    def _rotate_column(self, model, field, *, dry_run, batch_size) -> int:
        # Raw SQL reads the stored tokens themselves; the ORM would hand back plaintext.
        table = connection.ops.quote_name(model._meta.db_table)
        column = connection.ops.quote_name(field.column)
        pk_column = connection.ops.quote_name(model._meta.pk.column)
        rotated = 0
        last_pk = None
        while True:
            with transaction.atomic():
                with connection.cursor() as cursor:
                    where = f"WHERE {pk_column} > %s " if last_pk is not None else ""
                    params = [last_pk] if last_pk is not None else []
                    cursor.execute(
                        f"SELECT {pk_column}, {column} FROM {table} {where}"  # noqa: S608
                        f"ORDER BY {pk_column} LIMIT %s",
                        [*params, batch_size],
                    )
                    rows = cursor.fetchall()
                    if not rows:
                        return rotated
                    for pk, token in rows:
                        last_pk = pk
                        if not token or encryption.is_encrypted_with_primary_key(token):
                            continue
                        rotated += 1
                        if not dry_run:
                            cursor.execute(
                                f"UPDATE {table} SET {column} = %s WHERE {pk_column} = %s",  # noqa: S608
                                [encryption.rotate(token), pk],
                            )
