from django.apps import AppConfig


class RegisterConfig(AppConfig):
    """Applications, identity checks, entries, statuses, renewals, the public register and the
    code of conduct."""

    name = "register"
    verbose_name = "Register"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Importing these registers their signal receivers and permission rules.
        from register import code_prompt, next_steps, page_cache, rules  # noqa: F401
