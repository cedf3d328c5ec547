from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path

from register.views import accounts as views
from register.views import applications, registrar, worker

# The admin's own login form would skip email verification, rate limits and the second
# factor; send everyone through allauth's login instead.
admin.site.login = secure_admin_login(admin.site.login)
# A database that is down answers 503 with Retry-After, not 500 (see server_error).
handler500 = "register.views.common.server_error"
# An unknown address under /api/ answers in the API's error format (see page_not_found).
handler404 = "register.views.common.page_not_found"

admin.site.site_header = "Care Register administration"
admin.site.site_title = "Care Register"

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    # The busiest paths first: Django tries the patterns in order, and reaching the API after
    # every page's pattern cost about 0.3 ms a request (docs/performance.md). No pattern below
    # matches a path under api/v1/ or register/, so the order changes nothing else.
    path("api/v1/", include("api.urls")),
    path("", include("register.urls_public")),
    path("accounts/", include("allauth.urls")),
    path("organisations/", views.organisation_list, name="organisation-list"),
    path("organisations/<int:pk>/", views.organisation_detail, name="organisation-detail"),
    path(
        "organisations/invitations/<int:pk>/revoke/",
        views.invitation_revoke,
        name="organisation-invitation-revoke",
    ),
    path(
        "organisations/members/<int:pk>/remove/",
        views.membership_remove,
        name="organisation-membership-remove",
    ),
    path(
        "organisations/members/<int:pk>/role/",
        views.membership_role_change,
        name="organisation-membership-role",
    ),
    path(
        "invitations/<str:token>/",
        views.invitation_accept,
        name="organisation-invitation-accept",
    ),
    path("registrar/", views.registrar_home, name="registrar-home"),
    path("registrar/applications/", registrar.application_queue, name="registrar-queue"),
    path(
        "registrar/applications/<int:pk>/",
        registrar.application_detail,
        name="registrar-application",
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
    path("apply/<slug:step>/", applications.apply_step, name="apply-step"),
    path("my-registration/", worker.dashboard, name="worker-dashboard"),
    path("my-registration/details/", worker.contact_details, name="worker-contact"),
    path("my-registration/name/", worker.name_change, name="worker-name-change"),
    path("my-registration/leave/", worker.leave_register, name="worker-leave"),
    path("evidence/<int:pk>/", worker.evidence_download, name="evidence-download"),
    path("", include("register.urls_renewals")),
    path("", include("register.urls_employers")),
    path("", include("passports.urls")),
    path("", include("consultations.urls")),
    path("", include("consultations.urls_analysis")),
    path("admin/", admin.site.urls),
]
