"""The public register, applying, the worker's own pages, the registrar's pages, renewals and
the code of conduct. The registrar's pages sit under /registrar/, where the MFA middleware
guards them."""

from django.urls import path, re_path

from register.views import (
    applications,
    conduct,
    public,
    references,
    registrar,
    renewals,
    worker,
)

app_name = "register"

urlpatterns = [
    path("register/", public.public_register_search, name="public-search"),
    # Only what could be a registration number, in any case and with spaces or dashes, so that
    # other pages under /register/ are never taken for one.
    re_path(
        r"^register/(?P<registration_number>[Cc][Rr][0-9A-Za-z -]{1,20})/$",
        public.public_register_entry,
        name="public-entry",
    ),
    path("registrar/applications/", registrar.application_queue, name="registrar-queue"),
    path(
        "registrar/applications/<int:pk>/",
        registrar.application_detail,
        name="registrar-application",
    ),
    path(
        "registrar/applications/<int:pk>/referees/<int:position>/request/",
        references.reference_request_send,
        name="registrar-reference-send",
    ),
    path(
        "registrar/applications/<int:pk>/referees/<int:position>/decide/",
        references.reference_decide,
        name="registrar-reference-decide",
    ),
    path(
        "registrar/entries/<str:registration_number>/",
        registrar.entry_manage,
        name="registrar-entry",
    ),
    path("registrar/name-changes/", registrar.name_change_list, name="registrar-name-changes"),
    path(
        "registrar/name-changes/<int:pk>/decide/",
        registrar.name_change_decide,
        name="registrar-name-change-decide",
    ),
    path("apply/", applications.apply_start, name="apply-start"),
    path("apply/documents/", applications.apply_documents, name="apply-documents"),
    path("apply/check/", applications.apply_check, name="apply-check"),
    path("apply/submitted/", applications.apply_submitted, name="apply-submitted"),
    path("apply/withdraw/", applications.apply_withdraw, name="apply-withdraw"),
    # Before the steps' pattern, which would take "referees" for a step of its own.
    path("apply/referees/", applications.apply_referees, name="apply-referees"),
    path("apply/<slug:step>/", applications.apply_step, name="apply-step"),
    path("reference/thanks/", references.reference_thanks, name="reference-thanks"),
    path("reference/<str:token>/", references.reference_answer, name="reference-answer"),
    path("my-registration/", worker.dashboard, name="worker-dashboard"),
    path("my-registration/details/", worker.contact_details, name="worker-contact"),
    path("my-registration/name/", worker.name_change, name="worker-name-change"),
    path("my-registration/leave/", worker.leave_register, name="worker-leave"),
    path("evidence/<int:pk>/", worker.evidence_download, name="evidence-download"),
    path("my-registration/cpd/", renewals.cpd, name="renewals-cpd"),
    path("my-registration/cpd/<int:pk>/edit/", renewals.cpd_edit, name="renewals-cpd-edit"),
    path("my-registration/cpd/<int:pk>/delete/", renewals.cpd_delete, name="renewals-cpd-delete"),
    path("my-registration/renew/", renewals.renew, name="renewals-renew"),
    path("registrar/renewals/", renewals.referred, name="renewals-referred"),
    path("registrar/renewals/<int:pk>/", renewals.decide, name="renewals-decide"),
    path("code-of-conduct/", conduct.code_of_conduct, name="code-of-conduct"),
    path("code-of-conduct/accept/", conduct.code_of_conduct_accept, name="code-of-conduct-accept"),
    path("code-of-conduct/new/", conduct.code_of_conduct_new, name="code-of-conduct-new"),
    path(
        "code-of-conduct/<int:version>/",
        conduct.code_of_conduct_version,
        name="code-of-conduct-version",
    ),
    path(
        "registrar/code-of-conduct/",
        conduct.registrar_code_acceptances,
        name="registrar-code-of-conduct",
    ),
]
