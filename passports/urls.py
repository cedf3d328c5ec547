"""Passport pages: training records, public verification with the published keys and status
lists, and issuing and downloading a passport. The registrar's pages sit under /registrar/,
where the MFA middleware guards them."""

from django.urls import path, re_path

from passports.views import issue, records, verify

urlpatterns = [
    # Training records: the worker's passport page, provider uploads, registrar checks.
    path("my-registration/passport/", records.passport, name="passports-page"),
    path("my-registration/training/add/", records.record_add, name="passports-record-add"),
    path(
        "provider/<int:org_id>/training/",
        records.provider_records,
        name="passports-provider-records",
    ),
    path(
        "provider/<int:org_id>/training/new/",
        records.provider_record_new,
        name="passports-provider-record-new",
    ),
    path(
        "provider/<int:org_id>/training/template.csv",
        records.provider_template,
        name="passports-provider-template",
    ),
    path(
        "provider/<int:org_id>/training/import/",
        records.provider_import,
        name="passports-provider-import",
    ),
    path(
        "provider/<int:org_id>/training/import/<int:batch_id>/",
        records.provider_import_preview,
        name="passports-provider-import-preview",
    ),
    path(
        "provider/<int:org_id>/training/import/<int:batch_id>/commit/",
        records.provider_import_commit,
        name="passports-provider-import-commit",
    ),
    path(
        "provider/<int:org_id>/training/<int:record_id>/revoke/",
        records.provider_record_revoke,
        name="passports-provider-record-revoke",
    ),
    path("registrar/training/", records.registrar_queue, name="passports-registrar-queue"),
    path(
        "registrar/training/<int:record_id>/decide/",
        records.registrar_decide,
        name="passports-registrar-decide",
    ),
    # Public verification, the published keys and status lists.
    path("verify/", verify.verify_page, name="passports-verify"),
    path("verify/<slug:public_id>/", verify.verify_link, name="passports-verify-link"),
    path(".well-known/jwks.json", verify.jwks, name="passports-jwks"),
    path(".well-known/did.json", verify.did_document, name="passports-did"),
    re_path(
        r"^credentials/status/(?P<purpose>revocation|suspension)$",
        verify.status_list,
        name="passports-status-list",
    ),
    path(
        "registrar/passports/<slug:public_id>/",
        verify.registrar_passport,
        name="passports-registrar-passport",
    ),
    # Issuing and downloading a passport.
    path("my-registration/passport/issue/", issue.passport_issue_view, name="passports-issue"),
    path(
        "my-registration/passport/<str:public_id>.pdf",
        issue.passport_pdf,
        name="passports-download-pdf",
    ),
    path(
        "my-registration/passport/<str:public_id>.jwt",
        issue.passport_token,
        name="passports-download-token",
    ),
    path(
        "my-registration/training/<int:pk>/badge.jwt",
        issue.record_badge,
        name="passports-record-badge",
    ),
]
