from django.apps import AppConfig


class ConsultationsConfig(AppConfig):
    """Short sector consultations run by the associations."""

    name = "consultations"
    verbose_name = "Consultations"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Importing these registers their signal receivers and permission rules.
        from consultations import next_steps, rules  # noqa: F401
