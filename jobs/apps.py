from django.apps import AppConfig


class JobsConfig(AppConfig):
    """Honest vacancies, found by distance, applied for with a verified passport."""

    name = "jobs"
    verbose_name = "Jobs"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Importing these registers the permission rules and the signal receivers.
        from accounts.services.organisations import registrar_permissions_add
        from jobs import page_cache, receivers, rules  # noqa: F401

        # Registrars keep the table of pay floors in the admin (each change is audited) and
        # may look at vacancies there; vacancies change only through jobs/services.
        registrar_permissions_add(
            app_label="jobs",
            codenames=["view_payfloor", "add_payfloor", "change_payfloor", "view_vacancy"],
        )
