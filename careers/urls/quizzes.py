"""The values quizzes' urls (/careers/...)."""

from django.urls import path

from careers.views import quizzes

urlpatterns = [
    path("careers/", quizzes.index, name="quizzes"),
    path("careers/quizzes/<slug:slug>/", quizzes.start, name="quiz-start"),
    path("careers/quizzes/<slug:slug>/<int:number>/", quizzes.question, name="quiz-question"),
    path(
        "careers/quizzes/<slug:slug>/<int:number>/reflection/",
        quizzes.reflection,
        name="quiz-reflection",
    ),
    path("careers/quizzes/<slug:slug>/result/", quizzes.result, name="quiz-result"),
    path("careers/quizzes/<slug:slug>/restart/", quizzes.restart, name="quiz-restart"),
    path("careers/quizzes/<slug:slug>/save/", quizzes.save, name="quiz-save"),
    path("careers/my-quiz-results/", quizzes.saved_list, name="quiz-saved-list"),
    path("careers/my-quiz-results/<int:pk>/", quizzes.saved, name="quiz-saved"),
    path(
        "careers/my-quiz-results/<int:pk>/delete/", quizzes.saved_delete, name="quiz-saved-delete"
    ),
    path("careers/my-quiz-results/<int:pk>/share/", quizzes.share, name="quiz-share"),
    path("careers/quiz-shares/<int:pk>/stop/", quizzes.share_stop, name="quiz-share-stop"),
    path("careers/quiz-admin/", quizzes.manage, name="quiz-manage"),
    path("careers/quiz-admin/<slug:slug>/", quizzes.versions, name="quiz-versions"),
    path("careers/quiz-admin/<slug:slug>/new/", quizzes.draft_start, name="quiz-draft-start"),
    path(
        "careers/quiz-admin/<slug:slug>/versions/<int:number>/",
        quizzes.version,
        name="quiz-version",
    ),
    path(
        "careers/quiz-admin/<slug:slug>/versions/<int:number>/publish/",
        quizzes.publish,
        name="quiz-publish",
    ),
    path("careers/quiz-admin/<slug:slug>/figures/", quizzes.figures, name="quiz-figures"),
]
