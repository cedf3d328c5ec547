"""Consultations: answering them (public), building them (associations), and the analysis
and outcome pages."""

from django.urls import path

from consultations.views import analysis, building, responding

urlpatterns = [
    path("consultations/", responding.consultation_list, name="consultation-list"),
    # Building, for the association's people.
    path("consultations/manage/", building.manage_list, name="consultation-manage-list"),
    path("consultations/manage/new/", building.manage_create, name="consultation-create"),
    path("consultations/manage/<int:pk>/", building.manage_detail, name="consultation-manage"),
    path("consultations/manage/<int:pk>/edit/", building.manage_edit, name="consultation-edit"),
    path(
        "consultations/manage/<int:pk>/pages/add/",
        building.manage_page_add,
        name="consultation-page-add",
    ),
    path(
        "consultations/manage/pages/<int:pk>/delete/",
        building.manage_page_delete,
        name="consultation-page-delete",
    ),
    path(
        "consultations/manage/pages/<int:pk>/questions/add/",
        building.manage_question_add,
        name="consultation-question-add",
    ),
    path(
        "consultations/manage/questions/<int:pk>/delete/",
        building.manage_question_delete,
        name="consultation-question-delete",
    ),
    *[
        path(
            f"consultations/manage/<int:pk>/{action}/",
            building.manage_status,
            {"action": action},
            name=f"consultation-{action}",
        )
        for action in ("schedule", "unschedule", "start-analysis")
    ],
    # Answering.
    path("consultations/<slug:slug>/", responding.consultation_detail, name="consultation-detail"),
    path(
        "consultations/<slug:slug>/page/<int:number>/",
        responding.consultation_page,
        name="consultation-page",
    ),
    path(
        "consultations/<slug:slug>/check/", responding.consultation_check, name="consultation-check"
    ),
    path("consultations/<slug:slug>/done/", responding.consultation_done, name="consultation-done"),
    path("consultations/<slug:slug>/save/", responding.consultation_save, name="consultation-save"),
    path(
        "consultations/<slug:slug>/resume/<str:token>/",
        responding.consultation_resume,
        name="consultation-resume",
    ),
    # Analysis and outcome: the association's results pages, and the public outcome page.
    path(
        "consultations/manage/<int:pk>/analysis/",
        analysis.results,
        name="consultation-analysis",
    ),
    path(
        "consultations/manage/<int:pk>/analysis/answers/",
        analysis.answers,
        name="consultation-analysis-answers",
    ),
    path(
        "consultations/manage/<int:pk>/analysis/themes/",
        analysis.theme_create,
        name="consultation-theme-create",
    ),
    path(
        "consultations/manage/themes/<int:pk>/rename/",
        analysis.theme_rename,
        name="consultation-theme-rename",
    ),
    path(
        "consultations/manage/themes/<int:pk>/delete/",
        analysis.theme_delete,
        name="consultation-theme-delete",
    ),
    path(
        "consultations/manage/answers/<int:pk>/tag/",
        analysis.answer_tag,
        name="consultation-answer-tag",
    ),
    path(
        "consultations/manage/answers/<int:pk>/untag/",
        analysis.answer_untag,
        name="consultation-answer-untag",
    ),
    path(
        "consultations/manage/<int:pk>/analysis/responses.csv",
        analysis.responses_csv,
        name="consultation-responses-csv",
    ),
    path(
        "consultations/manage/<int:pk>/analysis/report.pdf",
        analysis.report_pdf,
        name="consultation-report-pdf",
    ),
    path(
        "consultations/manage/<int:pk>/publish/",
        analysis.publish,
        name="consultation-publish",
    ),
    path("consultations/<slug:slug>/outcome/", analysis.outcome_page, name="consultation-outcome"),
    path(
        "consultations/<slug:slug>/outcome/report.pdf",
        analysis.outcome_pdf,
        name="consultation-outcome-pdf",
    ),
]
