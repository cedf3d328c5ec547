"""Rate limits for the open endpoints. The rate lives on the class, not in settings, so each
endpoint group states its own limit next to its scope.

The classes are DRF's (its rates, scopes, cache keys and Retry-After), counted by the project's
one rate limiter, core.ratelimit, rather than with DRF's list of request times, which costs two
cache round trips and a list as long as the rate per request, and reads before it writes: two
requests at once could both find room for one.
"""

from rest_framework.throttling import AnonRateThrottle, SimpleRateThrottle, UserRateThrottle

from core.ratelimit import RateLimit
from core.requests import client_ip


class WindowRateThrottle(SimpleRateThrottle):
    """DRF's rate and cache key, counted in core.ratelimit's sliding window: this minute's
    count plus the last minute's, weighted by how much of it is still within a minute of now.
    One cache round trip per request on Redis. Refused requests are taken back off the count,
    as DRF does not count them either; Retry-After says when the current window ends."""

    def allow_request(self, request, view):
        if self.rate is None:
            return True
        self.key = self.get_cache_key(request, view)
        if self.key is None:
            return True
        self.now = self.timer()
        limit = RateLimit("throttle", limit=self.num_requests, period=self.duration)
        hit = limit.hit(self.key, now=self.now)
        self.retry_after = hit.retry_after
        return hit.allowed

    def wait(self):
        return max(0.0, self.retry_after)

    def get_ident(self, request):
        # DRF's own reads the whole X-Forwarded-For header the client sent unless NUM_PROXIES
        # is set, so a new header on each request was a new caller. The address is decided by
        # the one rule the audit log and every other limit use.
        return client_ip(request)


class AnonWindowRateThrottle(WindowRateThrottle, AnonRateThrottle):
    """AnonRateThrottle's key (the caller's address, signed-out callers only)."""


class UserWindowRateThrottle(WindowRateThrottle, UserRateThrottle):
    """UserRateThrottle's key (the user, or the address when signed out)."""


class PublicRegisterAnonThrottle(AnonWindowRateThrottle):
    # Generous for a person or an employer's checks, low enough that copying the whole
    # register one page at a time takes months rather than an afternoon.
    scope = "public_register_anon"
    rate = "120/min"


class PublicRegisterUserThrottle(UserWindowRateThrottle):
    # A separate scope: for an anonymous caller both throttles key on the address, and a
    # shared scope would count each request twice.
    scope = "public_register_user"
    rate = "120/min"


PUBLIC_REGISTER_THROTTLES = [PublicRegisterAnonThrottle, PublicRegisterUserThrottle]


class TrainingRecordsThrottle(UserWindowRateThrottle):
    # Signed-in callers only. Enough for a provider's system recording a day's courses one by
    # one; a whole cohort at once is what the CSV import is for.
    scope = "training_records"
    rate = "600/min"


class PublicVacanciesAnonThrottle(AnonWindowRateThrottle):
    # As generous as the register's search: a person, a job board or a council's vacancy page
    # reading the vacancies near it. Its own scope, so searching jobs never uses up the
    # register's allowance.
    scope = "public_vacancies_anon"
    rate = "120/min"


class PublicVacanciesUserThrottle(UserWindowRateThrottle):
    scope = "public_vacancies_user"
    rate = "120/min"


PUBLIC_VACANCIES_THROTTLES = [PublicVacanciesAnonThrottle, PublicVacanciesUserThrottle]
