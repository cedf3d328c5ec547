from django.apps import AppConfig


class CareersConfig(AppConfig):
    """Paid job trials' neighbours: values quizzes with no pass or fail, workers' stories, and
    local campaigns that count hires. It sits above jobs (docs/architecture.md)."""

    name = "careers"
    verbose_name = "Careers"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Importing the rules registers them with the permission engine.
        from careers import receivers, rules  # noqa: F401
