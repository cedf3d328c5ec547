from django.apps import AppConfig


class PassportsConfig(AppConfig):
    """Training records and signed passports (built in the training passports issue)."""

    name = "passports"
    default_auto_field = "django.db.models.BigAutoField"
