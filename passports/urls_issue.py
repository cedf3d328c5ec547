from django.urls import path

from passports.views import issue

urlpatterns = [
    path("my-registration/passport/issue/", issue.passport_issue_view, name="passports-issue"),
    path(
        "my-registration/passport/<str:public_id>.pdf",
        issue.passport_pdf,
        name="passports-download-pdf",
    ),
    path(
        "my-registration/passport/<str:public_id>.jwt",
        issue.passport_token,
        name="passports-download-token",
    ),
    path(
        "my-registration/training/<int:pk>/badge.jwt",
        issue.record_badge,
        name="passports-record-badge",
    ),
]
