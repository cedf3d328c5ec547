from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path

from register.views import accounts as views

# The admin's own login form would skip email verification, rate limits and the second
# factor; send everyone through allauth's login instead.
admin.site.login = secure_admin_login(admin.site.login)
admin.site.site_header = "Care Register administration"
admin.site.site_title = "Care Register"

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
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
        "invitations/<str:token>/",
        views.invitation_accept,
        name="organisation-invitation-accept",
    ),
    path("registrar/", views.registrar_home, name="registrar-home"),
    path("", include("register.urls_public")),
    path("", include("register.urls_renewals")),
    path("api/v1/", include("api.urls")),
    path("admin/", admin.site.urls),
]
