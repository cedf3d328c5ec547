from django.urls import path

from jobs.views import search

urlpatterns = [
    path("jobs/", search.vacancy_search_page, name="search"),
]
