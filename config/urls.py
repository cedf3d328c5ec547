"""The root URLs: each app's own urls.py, in the order Django should try them."""

from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path

from core.views import healthz

# The admin's own login form would skip email verification, rate limits and the second
# factor; send everyone through allauth's login instead.
admin.site.login = secure_admin_login(admin.site.login)
# A database that is down answers 503 with Retry-After, not 500 (see server_error).
handler500 = "core.views.server_error"
# Under /api/ these answer in the API's error format, as DRF's views do (see core/views.py).
handler404 = "core.views.page_not_found"
handler400 = "core.views.bad_request"

admin.site.site_header = "Care Register administration"
admin.site.site_title = "Care Register"

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    # The busiest paths first: Django tries the patterns in order, and reaching the API after
    # every page's pattern cost about 0.3 ms a request (docs/performance.md). The public
    # register's patterns come first in register.urls; no pattern after the API's matches a
    # path under api/v1/.
    path("api/v1/", include("api.urls")),
    path("", include("register.urls")),
    # Setting up two-factor authentication leads on to where the person was going: these
    # take the place of three of allauth's views (accounts/two_factor.py).
    path("accounts/2fa/", include("accounts.two_factor")),
    path("accounts/", include("allauth.urls")),
    path("", include("accounts.urls")),
    path("", include("employers.urls")),
    path("", include("passports.urls")),
    path("", include("consultations.urls")),
    path("", include("concerns.urls")),
    path("", include("jobs.urls")),
    path("", include("careers.urls")),
    path("admin/", admin.site.urls),
]
