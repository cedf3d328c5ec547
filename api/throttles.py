"""Rate limits for the open endpoints. The rate lives on the class, not in settings, so each
endpoint group states its own limit next to its scope."""

from rest_framework.throttling import AnonRateThrottle, UserRateThrottle


class PublicRegisterAnonThrottle(AnonRateThrottle):
    # Generous for a person or an employer's checks, low enough that copying the whole
    # register one page at a time takes months rather than an afternoon.
    scope = "public_register_anon"
    rate = "120/min"


class PublicRegisterUserThrottle(UserRateThrottle):
    # A separate scope: for an anonymous caller both throttles key on the address, and a
    # shared scope would count each request twice.
    scope = "public_register_user"
    rate = "120/min"


PUBLIC_REGISTER_THROTTLES = [PublicRegisterAnonThrottle, PublicRegisterUserThrottle]


class TrainingRecordsThrottle(UserRateThrottle):
    # Signed-in callers only. Enough for a provider's system recording a day's courses one by
    # one; a whole cohort at once is what the CSV import is for.
    scope = "training_records"
    rate = "600/min"
