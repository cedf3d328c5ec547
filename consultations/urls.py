"""Consultations: answering them (public), building them (associations), and the analysis
and outcome pages."""

from django.urls import path

from consultations.views import analysis, building, responding

app_name = "consultations"

urlpatterns = [
    path("consultations/", responding.consultation_list, name="list"),
    # Building, for the association's people.
    path("consultations/manage/", building.manage_list, name="manage-list"),
    path("consultations/manage/new/", building.manage_create, name="create"),
    path("consultations/manage/<int:pk>/", building.manage_detail, name="manage"),
    path("consultations/manage/<int:pk>/edit/", building.manage_edit, name="edit"),
    path(
        "consultations/manage/<int:pk>/pages/add/",
        building.manage_page_add,
        name="page-add",
    ),
    path(
        "consultations/manage/pages/<int:pk>/delete/",
        building.manage_page_delete,
        name="page-delete",
    ),
    path(
        "consultations/manage/pages/<int:pk>/questions/add/",
        building.manage_question_add,
        name="question-add",
    ),
    path(
        "consultations/manage/questions/<int:pk>/delete/",
        building.manage_question_delete,
        name="question-delete",
    ),
    *[
        path(
            f"consultations/manage/<int:pk>/{action}/",
            building.manage_status,
            {"action": action},
            name=action,
        )
        for action in ("schedule", "unschedule", "start-analysis")
    ],
    path(
        "consultations/manage/<int:pk>/close-early/",
        building.manage_close_early,
        name="close-early",
    ),
    path(
        "consultations/manage/<int:pk>/connection-limit/",
        building.manage_connection_limit,
        name="connection-limit",
    ),
    path("consultations/manage/<int:pk>/live/", analysis.live_counts, name="live"),
    # Answering.
    path("consultations/<slug:slug>/", responding.consultation_detail, name="detail"),
    path(
        "consultations/<slug:slug>/page/<int:number>/",
        responding.consultation_page,
        name="page",
    ),
    path("consultations/<slug:slug>/check/", responding.consultation_check, name="check"),
    path("consultations/<slug:slug>/done/", responding.consultation_done, name="done"),
    path("consultations/<slug:slug>/save/", responding.consultation_save, name="save"),
    path(
        "consultations/<slug:slug>/resume/<str:token>/",
        responding.consultation_resume,
        name="resume",
    ),
    # Analysis and outcome: the association's results pages, and the public outcome page.
    path(
        "consultations/manage/<int:pk>/analysis/",
        analysis.results,
        name="analysis",
    ),
    path(
        "consultations/manage/<int:pk>/analysis/answers/",
        analysis.answers,
        name="analysis-answers",
    ),
    path(
        "consultations/manage/<int:pk>/analysis/answers/tag-matching/",
        analysis.answers_tag_matching,
        name="answers-tag-matching",
    ),
    path(
        "consultations/manage/<int:pk>/analysis/themes/",
        analysis.theme_create,
        name="theme-create",
    ),
    path(
        "consultations/manage/themes/<int:pk>/rename/",
        analysis.theme_rename,
        name="theme-rename",
    ),
    path(
        "consultations/manage/themes/<int:pk>/delete/",
        analysis.theme_delete,
        name="theme-delete",
    ),
    path(
        "consultations/manage/answers/<int:pk>/tag/",
        analysis.answer_tag,
        name="answer-tag",
    ),
    path(
        "consultations/manage/answers/<int:pk>/untag/",
        analysis.answer_untag,
        name="answer-untag",
    ),
    path(
        "consultations/manage/<int:pk>/analysis/responses.csv",
        analysis.responses_csv,
        name="responses-csv",
    ),
    path(
        "consultations/manage/<int:pk>/analysis/report.pdf",
        analysis.report_pdf,
        name="report-pdf",
    ),
    path(
        "consultations/manage/<int:pk>/analysis/flagged/",
        analysis.flagged_counting,
        name="flagged-counting",
    ),
    path(
        "consultations/manage/<int:pk>/publish/",
        analysis.publish,
        name="publish",
    ),
    path(
        "consultations/manage/<int:pk>/publish/confirm/",
        analysis.publish_confirm,
        name="publish-confirm",
    ),
    path("consultations/<slug:slug>/outcome/", analysis.outcome_page, name="outcome"),
    path(
        "consultations/<slug:slug>/outcome/report.pdf",
        analysis.outcome_pdf,
        name="outcome-pdf",
    ),
]
