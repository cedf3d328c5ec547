"""Consultations: answering them (public) and building them (associations). Part 2's analysis
and outcome URLs sit in their own list below."""

from django.urls import path

from consultations.views import building, responding

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
]
