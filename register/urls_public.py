from django.urls import path, re_path

from register.views import public as views

urlpatterns = [
    path("register/", views.public_register_search, name="public-register-search"),
    # Only what could be a registration number, in any case and with spaces or dashes, so that
    # other pages under /register/ are never taken for one.
    re_path(
        r"^register/(?P<registration_number>[Cc][Rr][0-9A-Za-z -]{1,20})/$",
        views.public_register_entry,
        name="public-register-entry",
    ),
]
