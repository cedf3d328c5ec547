from django.apps import AppConfig


class ConcernsConfig(AppConfig):
    """Concerns about registrants: raised by anyone, decided fairly, published on the register."""

    name = "concerns"
    verbose_name = "Concerns"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Importing these registers their permission rules.
        from concerns import rules  # noqa: F401
