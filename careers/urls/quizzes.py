"""The values quizzes' urls (/careers/...)."""

urlpatterns: list = []
