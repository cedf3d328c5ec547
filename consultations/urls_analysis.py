"""Analysis and outcome: the association's results pages, and the public outcome page."""

from django.urls import path

from consultations.views import analysis

urlpatterns = [
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
