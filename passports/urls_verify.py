"""Public verification, the published keys and status lists, and the registrar's passport page
(under /registrar/, where the MFA middleware guards it)."""

from django.urls import path, re_path

from passports.views import verify as views

urlpatterns = [
    path("verify/", views.verify_page, name="passports-verify"),
    path("verify/<slug:public_id>/", views.verify_link, name="passports-verify-link"),
    path(".well-known/jwks.json", views.jwks, name="passports-jwks"),
    path(".well-known/did.json", views.did_document, name="passports-did"),
    re_path(
        r"^credentials/status/(?P<purpose>revocation|suspension)$",
        views.status_list,
        name="passports-status-list",
    ),
    path(
        "registrar/passports/<slug:public_id>/",
        views.registrar_passport,
        name="passports-registrar-passport",
    ),
]
