"""The jobs pages, one module a part of the service, all in the `jobs` namespace."""

from django.urls import include, path

app_name = "jobs"

urlpatterns = [
    # Finding a job: /jobs/ and the alerts people save from it.
    path("", include("jobs.urls.search")),
    path("", include("jobs.urls.alerts")),
    # A vacancy's public page, and the employer's pages to write and publish it.
    path("", include("jobs.urls.vacancies")),
    # Asking the employer a question about a vacancy.
    path("", include("jobs.urls.questions")),
    # Applying, and the applicant's own pages (/my-applications/).
    path("", include("jobs.urls.applications")),
    # The employer's pipeline of applicants, interviews and the pre-employment checks.
    path("", include("jobs.urls.pipeline")),
    path("", include("jobs.urls.checks")),
    # Paid job trials on an application (issue 21, part 1).
    path("", include("jobs.urls.trials")),
]
