"""Share codes, employers' staff lists, API keys and webhooks."""

from django.urls import path

from employers import views as views

app_name = "employers"

urlpatterns = [
    path("my-registration/share-codes/", views.share_codes, name="share-codes"),
    path(
        "my-registration/share-codes/<int:pk>/revoke/",
        views.share_code_revoke,
        name="share-code-revoke",
    ),
    path(
        "my-registration/staff-lists/<int:pk>/leave/",
        views.staff_leave,
        name="staff-leave",
    ),
    path("employer/<int:org_id>/check/", views.share_code_check, name="check"),
    path("employer/<int:org_id>/staff/", views.staff_dashboard, name="staff"),
    path("employer/<int:org_id>/staff.csv", views.staff_csv, name="staff-csv"),
    path("employer/<int:org_id>/staff/add/", views.staff_add, name="staff-add"),
    path(
        "employer/<int:org_id>/staff/<int:pk>/remove/",
        views.staff_remove,
        name="staff-remove",
    ),
    path("employer/<int:org_id>/webhook/", views.webhook_settings, name="webhook"),
    path("organisations/<int:org_id>/api-keys/", views.api_key_list, name="api-keys"),
    path(
        "organisations/api-keys/<int:pk>/revoke/",
        views.api_key_revoke,
        name="api-key-revoke",
    ),
    # Under /registrar/, where the second-factor middleware guards every page.
    path("registrar/employers/", views.registrar_employers, name="registrar-employers"),
    path(
        "registrar/employers/<int:pk>/verification/",
        views.registrar_employer_verify,
        name="registrar-employer-verify",
    ),
]
