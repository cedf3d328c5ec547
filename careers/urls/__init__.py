"""The careers pages, one module a part of the service, all in the `careers` namespace."""

from django.urls import include, path

app_name = "careers"

urlpatterns = [
    # The two quizzes for people considering care work, at /careers/.
    path("", include("careers.urls.quizzes")),
    # Stories from care workers.
    path("", include("careers.urls.stories")),
    # Local campaigns, their events, toolkits and funnels.
    path("", include("careers.urls.campaigns")),
]
