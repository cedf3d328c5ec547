from django.urls import include, path

urlpatterns = [
    path("", include("passports.urls_records")),
    path("", include("passports.urls_verify")),
    path("", include("passports.urls_issue")),
]
