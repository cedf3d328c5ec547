"""The home page, organisations and their members, and the registrar's home page."""

from django.urls import path

from accounts import views

app_name = "accounts"

urlpatterns = [
    path("", views.home, name="home"),
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
    path(
        "registrar-invitations/<str:token>/",
        views.registrar_invitation,
        name="registrar-invitation",
    ),
]
