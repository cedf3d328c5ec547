"""Pre-employment checks: the employer's checklist of an application and the candidate's view."""

from django.urls import path

from jobs.views import checks

urlpatterns = [
    path(
        "employer/job-applications/<str:reference>/checks/",
        checks.checklist,
        name="checks",
    ),
    path(
        "employer/job-applications/<str:reference>/checks/pack.pdf",
        checks.checks_pdf,
        name="checks-pdf",
    ),
    path(
        "employer/job-applications/<str:reference>/checks/<slug:item>/",
        checks.check_record,
        name="check-record",
    ),
    path(
        "employer/job-applications/<str:reference>/hire/",
        checks.hire,
        name="checks-hire",
    ),
    path("my-applications/<str:reference>/checks/", checks.my_checks, name="my-checks"),
]
