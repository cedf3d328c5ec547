"""Rate limits for the open endpoints. The rate lives on the class, not in settings, so each
endpoint group states its own limit next to its scope.

Every throttle here counts in windows (`WindowRateThrottle`) rather than with DRF's list of
request times, which costs two cache round trips and a list as long as the rate per request.
"""

from rest_framework.throttling import AnonRateThrottle, SimpleRateThrottle, UserRateThrottle

from core.cache import counter_take_back, window_count


class WindowRateThrottle(SimpleRateThrottle):
    """DRF's rates and cache keys, counted with a sliding window: the count in the current
    fixed window plus the previous window's count, weighted by how much of it still lies
    within one period of now. One cache round trip per request on Redis. Refused requests are
    taken back off the count, as DRF does not count them either."""

    def allow_request(self, request, view):
        if self.rate is None:
            return True
        self.key = self.get_cache_key(request, view)
        if self.key is None:
            return True
        self.now = self.timer()
        window = int(self.now // self.duration)
        self.window_ends = (window + 1) * self.duration
        current_key = f"{self.key}:w{window}"
        current, previous = window_count(
            current_key, f"{self.key}:w{window - 1}", timeout=2 * self.duration + 1
        )
        still_counting = 1 - (self.now - window * self.duration) / self.duration
        if current + previous * still_counting > self.num_requests:
            counter_take_back(current_key)
            return False
        return True

    def wait(self):
        return max(0.0, self.window_ends - self.now)


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
