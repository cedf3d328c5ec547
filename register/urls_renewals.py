"""Renewal pages. The registrar's pages sit under /registrar/, where the MFA middleware guards
them."""

from django.urls import path

from register.views import renewals as views

urlpatterns = [
    path("my-registration/cpd/", views.cpd, name="renewals-cpd"),
    path("my-registration/renew/", views.renew, name="renewals-renew"),
    path("registrar/renewals/", views.referred, name="renewals-referred"),
    path("registrar/renewals/<int:pk>/", views.decide, name="renewals-decide"),
]
