from django.urls import path

from jobs.views import pipeline as views

urlpatterns = [
    # The employer's side: members of the vacancy's employer only (404 to anyone else).
    path("vacancies/<str:reference>/applicants/", views.pipeline_page, name="pipeline"),
    path(
        "vacancies/<str:reference>/applicants/not-progressed/",
        views.not_progress,
        name="pipeline-not-progress",
    ),
    path(
        "vacancies/<str:reference>/applicants/applicants.csv",
        views.pipeline_csv,
        name="pipeline-csv",
    ),
    path(
        "vacancies/<str:reference>/applicants/<str:application>/",
        views.applicant,
        name="pipeline-applicant",
    ),
    path(
        "vacancies/<str:reference>/applicants/<str:application>/move/",
        views.applicant_move,
        name="pipeline-move",
    ),
    path("vacancies/<str:reference>/interviews/", views.interview_slots, name="interview-slots"),
    path(
        "vacancies/<str:reference>/interviews/<int:pk>/remove/",
        views.interview_slot_remove,
        name="interview-slot-remove",
    ),
    # The applicant's side: their own application only.
    path("my-applications/<str:reference>/interview/", views.interview_book, name="interview-book"),
    path(
        "my-applications/<str:reference>/interview/cancel/",
        views.interview_cancel,
        name="interview-cancel",
    ),
]
