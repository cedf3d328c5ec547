from django.apps import AppConfig


class ConcernsConfig(AppConfig):
    """Concerns about registrants: raised by anyone, decided fairly, published on the register."""

    name = "concerns"
    verbose_name = "Concerns"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Importing these registers their permission rules and their next steps.
        from concerns import next_steps, rules  # noqa: F401
