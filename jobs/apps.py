from django.apps import AppConfig


class JobsConfig(AppConfig):
    """Honest vacancies, found by distance, applied for with a verified passport."""

    name = "jobs"
    verbose_name = "Jobs"
    default_auto_field = "django.db.models.BigAutoField"
