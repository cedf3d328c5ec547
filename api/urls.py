from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView

from api import views

# The documentation (api/docs.py) is served from local assets: the default Swagger UI loads
# scripts from a CDN, which the CSP rightly blocks.
app_name = "api"

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("register/", views.RegisterSearchApi.as_view(), name="register-search"),
    path(
        "register/<str:registration_number>/",
        views.RegisterEntryApi.as_view(),
        name="register-entry",
    ),
    path("", include("api.passports")),
    path("", include("api.sharecodes")),
    path("", include("api.staff")),
    path("", include("api.training")),
    path("", include("api.fhir")),
    path("", include("api.consultations")),
    path("", include("api.vacancies")),
    path("", include("api.docs")),
]
