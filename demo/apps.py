from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo data of every app, loaded by `manage.py seed_demo`."""

    name = "demo"
    verbose_name = "Demo"
    default_auto_field = "django.db.models.BigAutoField"
