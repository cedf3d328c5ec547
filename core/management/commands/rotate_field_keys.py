from django.core.management.base import BaseCommand
from django.db import connection, transaction

from core import encryption
from core.audit import audit_log


class Command(BaseCommand):
    help = (
        "Re-encrypt every encrypted column, and so every evidence file's own key, under the "
        "first key in FIELD_ENCRYPTION_KEYS. "
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
            if isinstance(field, encryption.EncryptedFileKeyField):
                # Envelope encryption: each file is encrypted with a key of its own, and
                # re-wrapping that key is the whole of rotating the file; files stay as they are.
                self.stdout.write(f"{model._meta.label}: {verb} the key of {rotated} file(s)")
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
        rotated = changed_meanwhile = 0
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
                        break
                    for pk, token in rows:
                        last_pk = pk
                        if not token or encryption.is_encrypted_with_primary_key(token):
                            continue
                        if dry_run:
                            rotated += 1
                            continue
                        # Compare and swap: the row is written only if it still holds the
                        # token read above. A value changed since (a webhook secret replaced
                        # while this runs) was written under the new key already and must win.
                        cursor.execute(
                            f"UPDATE {table} SET {column} = %s "  # noqa: S608
                            f"WHERE {pk_column} = %s AND {column} = %s",
                            [encryption.rotate(token), pk, token],
                        )
                        if cursor.rowcount == 1:
                            rotated += 1
                        else:
                            changed_meanwhile += 1
        if changed_meanwhile:
            self.stdout.write(
                f"{model._meta.label}.{field.name}: {changed_meanwhile} value(s) changed while "
                "this ran and were left as they are now"
            )
        return rotated
