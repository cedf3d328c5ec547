from django.apps import AppConfig


class CoreConfig(AppConfig):
    """Helpers that know no domain: the audit log, field encryption, CSV safety, email tasks."""

    name = "core"
    verbose_name = "Core"
    default_auto_field = "django.db.models.BigAutoField"
