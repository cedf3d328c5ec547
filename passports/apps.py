from django.apps import AppConfig


class PassportsConfig(AppConfig):
    """Training records and signed, portable training passports."""

    name = "passports"
    verbose_name = "Passports"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Importing these registers their signal receivers and permission rules.
        from accounts.services.organisations import registrar_permissions_add
        from passports import next_steps, receivers, rules  # noqa: F401

        # Registrars keep the training catalogue in the admin. They approve training providers
        # on their own page, which writes audit events; the admin only shows approvals.
        registrar_permissions_add(
            app_label="passports",
            codenames=[
                "view_trainingstandard",
                "add_trainingstandard",
                "change_trainingstandard",
                "view_providerapproval",
                "view_signingkey",
                "view_passport",
            ],
        )
