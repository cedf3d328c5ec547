from django.urls import path

from jobs.views import alerts

urlpatterns = [
    path("jobs/alerts/new/", alerts.new, name="alert-new"),
    path("jobs/alerts/check-your-email/", alerts.check_email, name="alert-check-email"),
    path("jobs/alerts/confirm/<str:token>/", alerts.confirm, name="alert-confirm"),
    path("jobs/alerts/unsubscribe/<str:token>/", alerts.unsubscribe, name="alert-unsubscribe"),
    path("my-job-alerts/", alerts.manage, name="alerts"),
    path("my-job-alerts/<int:pk>/stop/", alerts.stop, name="alert-stop"),
]
