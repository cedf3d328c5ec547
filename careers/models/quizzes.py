"""The quizzes part's models."""

__all__: list[str] = []
