"""The stories part's models."""

__all__: list[str] = []
