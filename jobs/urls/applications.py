"""Applying for a vacancy in three screens, and the applicant's own applications."""

from django.urls import path

from jobs.views import applying

urlpatterns = [
    path("jobs/<str:reference>/apply/", applying.apply, name="apply"),
    path("jobs/<str:reference>/apply/questions/", applying.questions, name="apply-questions"),
    path("jobs/<str:reference>/apply/check/", applying.check, name="apply-check"),
    path("my-applications/", applying.my_applications, name="my-applications"),
    path("my-applications/<str:reference>/", applying.my_application, name="my-application"),
    path(
        "my-applications/<str:reference>/withdraw/",
        applying.withdraw,
        name="my-application-withdraw",
    ),
    path(
        "my-applications/<str:reference>/stop-sharing/",
        applying.stop_sharing,
        name="my-application-stop-sharing",
    ),
]
