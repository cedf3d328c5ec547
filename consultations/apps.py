from django.apps import AppConfig


class ConsultationsConfig(AppConfig):
    """Sector consultations run by the associations (built in the consultations issue)."""

    name = "consultations"
    default_auto_field = "django.db.models.BigAutoField"
