"""Passport pages: training records, public verification with the published keys and status
lists, and issuing and downloading a passport. The registrar's pages sit under /registrar/,
where the MFA middleware guards them."""

from django.urls import path, re_path

from passports.views import issue, records, verify

app_name = "passports"

urlpatterns = [
    # Training records: the worker's passport page, provider uploads, registrar checks.
    path("my-registration/passport/", records.passport, name="page"),
    path("my-registration/training/add/", records.record_add, name="record-add"),
    path(
        "provider/<int:org_id>/training/",
        records.provider_records,
        name="provider-records",
    ),
    path(
        "provider/<int:org_id>/training/new/",
        records.provider_record_new,
        name="provider-record-new",
    ),
    path(
        "provider/<int:org_id>/training/template.csv",
        records.provider_template,
        name="provider-template",
    ),
    path(
        "provider/<int:org_id>/training/import/",
        records.provider_import,
        name="provider-import",
    ),
    path(
        "provider/<int:org_id>/training/import/<int:batch_id>/",
        records.provider_import_preview,
        name="provider-import-preview",
    ),
    path(
        "provider/<int:org_id>/training/import/<int:batch_id>/commit/",
        records.provider_import_commit,
        name="provider-import-commit",
    ),
    path(
        "provider/<int:org_id>/training/ask-for-approval/",
        records.provider_approval_request,
        name="provider-approval-request",
    ),
    path(
        "provider/<int:org_id>/training/<int:record_id>/revoke/",
        records.provider_record_revoke,
        name="provider-record-revoke",
    ),
    path("registrar/training/", records.registrar_queue, name="registrar-queue"),
    path(
        "registrar/training-providers/",
        records.registrar_providers,
        name="registrar-providers",
    ),
    path(
        "registrar/training-providers/<int:org_id>/approve/",
        records.registrar_provider_approve,
        name="registrar-provider-approve",
    ),
    path(
        "registrar/training-providers/<int:org_id>/withdraw/",
        records.registrar_provider_withdraw,
        name="registrar-provider-withdraw",
    ),
    path(
        "registrar/training/<int:record_id>/decide/",
        records.registrar_decide,
        name="registrar-decide",
    ),
    # Public verification, the published keys and status lists.
    path("verify/", verify.verify_page, name="verify"),
    path("verify/badges/<slug:public_id>/", verify.verify_badge_link, name="verify-badge-link"),
    path("verify/<slug:public_id>/", verify.verify_link, name="verify-link"),
    path(".well-known/jwks.json", verify.jwks, name="jwks"),
    path(".well-known/did.json", verify.did_document, name="did"),
    re_path(
        r"^credentials/status/(?P<purpose>revocation|suspension|badge-revocation)$",
        verify.status_list,
        name="status-list",
    ),
    path(
        "registrar/passports/<slug:public_id>/",
        verify.registrar_passport,
        name="registrar-passport",
    ),
    # Issuing and downloading a passport.
    path("my-registration/passport/issue/", issue.passport_issue_view, name="issue"),
    path(
        "my-registration/passport/<str:public_id>.pdf",
        issue.passport_pdf,
        name="download-pdf",
    ),
    path(
        "my-registration/passport/<str:public_id>.jwt",
        issue.passport_token,
        name="download-token",
    ),
    path(
        "my-registration/training/<int:pk>/badge.jwt",
        issue.record_badge,
        name="record-badge",
    ),
]
