"""The campaigns part's models."""

__all__: list[str] = []
