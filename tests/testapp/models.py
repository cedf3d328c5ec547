from django.db import models

from core.encryption import EncryptedTextField


class SecretNote(models.Model):
    """Stands in for identity-document numbers until the register models arrive."""

    number = EncryptedTextField(blank=True)
    number_index = models.CharField(max_length=64, blank=True, db_index=True)

    def __str__(self):
        return f"Secret note {self.pk}"
