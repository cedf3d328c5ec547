from django.apps import AppConfig


class AccountsConfig(AppConfig):
    """People, organisations, memberships, invitations, roles and the permission engine."""

    name = "accounts"
    verbose_name = "Accounts"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Importing these registers their signal receivers and permission rules.
        from accounts import signals  # noqa: F401
