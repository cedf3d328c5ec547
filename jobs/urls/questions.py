from django.urls import path

from jobs.views import questions

urlpatterns = [
    path("jobs/<str:reference>/questions/new/", questions.ask, name="question-ask"),
    path("questions/<int:pk>/", questions.thread, name="question-thread"),
    path("questions/<int:pk>/reply/", questions.reply, name="question-reply"),
    path("questions/<int:pk>/close/", questions.close, name="question-close"),
    path("my-questions/", questions.my_questions, name="my-questions"),
    path("employer/<int:org_id>/questions/", questions.inbox, name="question-inbox"),
]
