from django.apps import AppConfig


class ApiConfig(AppConfig):
    """REST transport only: it calls the domain apps' services and selectors."""

    name = "api"
