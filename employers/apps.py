from django.apps import AppConfig


class EmployersConfig(AppConfig):
    """Share codes, staff lists, alerts, webhooks, API keys and training expiry notices."""

    name = "employers"
    verbose_name = "Employers"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Importing these registers their signal receivers and permission rules.
        from employers import next_steps, receivers, rules  # noqa: F401
