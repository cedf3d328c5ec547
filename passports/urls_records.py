"""Training record pages. The registrar's pages sit under /registrar/, where the MFA middleware
guards them."""

from django.urls import path

from passports.views import records as views

urlpatterns = [
    path("my-registration/passport/", views.passport, name="passports-page"),
    path("my-registration/training/add/", views.record_add, name="passports-record-add"),
    path(
        "provider/<int:org_id>/training/",
        views.provider_records,
        name="passports-provider-records",
    ),
    path(
        "provider/<int:org_id>/training/new/",
        views.provider_record_new,
        name="passports-provider-record-new",
    ),
    path(
        "provider/<int:org_id>/training/template.csv",
        views.provider_template,
        name="passports-provider-template",
    ),
    path(
        "provider/<int:org_id>/training/import/",
        views.provider_import,
        name="passports-provider-import",
    ),
    path(
        "provider/<int:org_id>/training/import/<int:batch_id>/",
        views.provider_import_preview,
        name="passports-provider-import-preview",
    ),
    path(
        "provider/<int:org_id>/training/import/<int:batch_id>/commit/",
        views.provider_import_commit,
        name="passports-provider-import-commit",
    ),
    path(
        "provider/<int:org_id>/training/<int:record_id>/revoke/",
        views.provider_record_revoke,
        name="passports-provider-record-revoke",
    ),
    path("registrar/training/", views.registrar_queue, name="passports-registrar-queue"),
    path(
        "registrar/training/<int:record_id>/decide/",
        views.registrar_decide,
        name="passports-registrar-decide",
    ),
]
