"""Settings for Care Register, read from the environment.

Every variable is listed in `.env.example` and in the README. Local development needs none of
them: the defaults give SQLite under `var/`, email printed to the console and debug on. With
`DJANGO_ENV=production` the defaults stop being safe, so the secrets become mandatory and the
HTTPS settings are switched on.
"""

import ipaddress
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
# A developer may keep their own values in .env; the process environment always wins.
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DJANGO_ENV = env.str("DJANGO_ENV", default="development")
if DJANGO_ENV not in {"development", "production"}:
    raise ImproperlyConfigured("DJANGO_ENV must be 'development' or 'production'.")
PRODUCTION = DJANGO_ENV == "production"

ALLOWED_HOSTS = env.list(
    "ALLOWED_HOSTS", default=[] if PRODUCTION else ["127.0.0.1", "localhost", "[::1]"]
)


def _is_local_host(host: str) -> bool:
    """Whether a host name in ALLOWED_HOSTS can only be this machine (a wildcard never is)."""
    host = host.strip().lower().rstrip(".")
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host.removeprefix("[").removesuffix("]")).is_loopback
    except ValueError:
        return False


# Only a developer's own machine: every allowed host is this one. Anything else is a deployment,
# whatever DJANGO_ENV says, and the development defaults below stop being safe.
LOCAL_ONLY = all(_is_local_host(host) for host in ALLOWED_HOSTS)

DEBUG = env.bool("DEBUG", default=not PRODUCTION and LOCAL_ONLY)

# Development keys: published in the repository, so useless anywhere real. Production refuses
# to start while any of them is still in use (see _require_real_secrets below).
_DEV_SECRET_KEY = "dev-only-insecure-secret-key-for-local-use-never-in-production-0123456789"
_DEV_FIELD_ENCRYPTION_KEY = "ZGV2LW9ubHktZmllbGQta2V5LW5vdC1mb3ItcHJvZCE="
_DEV_BLIND_INDEX_KEY = "dev-only-blind-index-key-not-for-production"
_DEV_SIGNING_KEY_PASSPHRASE = "dev-only-signing-passphrase"
_DEV_CONSULTATION_RESPONDENT_KEY = "dev-only-consultation-respondent-key-not-for-production"

SECRET_KEY = env.str("SECRET_KEY", default="" if PRODUCTION else _DEV_SECRET_KEY)
# Several comma-separated Fernet keys: the first encrypts, all of them decrypt, so a new key can
# be put first and `manage.py rotate_field_keys` re-encrypts the old rows.
FIELD_ENCRYPTION_KEYS = env.list(
    "FIELD_ENCRYPTION_KEYS", default=[] if PRODUCTION else [_DEV_FIELD_ENCRYPTION_KEY]
)
BLIND_INDEX_KEY = env.str("BLIND_INDEX_KEY", default="" if PRODUCTION else _DEV_BLIND_INDEX_KEY)
SIGNING_KEY_PASSPHRASE = env.str(
    "SIGNING_KEY_PASSPHRASE", default="" if PRODUCTION else _DEV_SIGNING_KEY_PASSPHRASE
)
# Recognises a signed-in person within one open consultation, and binds anonymous API
# idempotency keys to their client (ADR 0018). Its own secret, not BLIND_INDEX_KEY, which
# more processes hold and which lives as long as the data it indexes.
CONSULTATION_RESPONDENT_KEY = env.str(
    "CONSULTATION_RESPONDENT_KEY",
    default="" if PRODUCTION else _DEV_CONSULTATION_RESPONDENT_KEY,
)


def _require_real_secrets() -> None:
    problems = []
    if len(SECRET_KEY) < 50 or SECRET_KEY == _DEV_SECRET_KEY:
        problems.append("SECRET_KEY (at least 50 random characters)")
    if not FIELD_ENCRYPTION_KEYS or _DEV_FIELD_ENCRYPTION_KEY in FIELD_ENCRYPTION_KEYS:
        problems.append("FIELD_ENCRYPTION_KEYS (one or more Fernet keys)")
    if len(BLIND_INDEX_KEY) < 32 or BLIND_INDEX_KEY == _DEV_BLIND_INDEX_KEY:
        problems.append("BLIND_INDEX_KEY (at least 32 random characters)")
    if len(SIGNING_KEY_PASSPHRASE) < 16 or SIGNING_KEY_PASSPHRASE == _DEV_SIGNING_KEY_PASSPHRASE:
        problems.append("SIGNING_KEY_PASSPHRASE (at least 16 characters)")
    if len(CONSULTATION_RESPONDENT_KEY) < 32 or CONSULTATION_RESPONDENT_KEY in {
        _DEV_CONSULTATION_RESPONDENT_KEY,
        BLIND_INDEX_KEY,
    }:
        problems.append(
            "CONSULTATION_RESPONDENT_KEY (at least 32 random characters, not BLIND_INDEX_KEY)"
        )
    if DEBUG:
        problems.append("DEBUG must be off")
    if problems:
        raise ImproperlyConfigured(
            "Production settings refuse to start without real secrets. Set: " + "; ".join(problems)
        )


def _development_keys_in_use() -> list[str]:
    published = [
        ("SECRET_KEY", SECRET_KEY == _DEV_SECRET_KEY),
        ("FIELD_ENCRYPTION_KEYS", _DEV_FIELD_ENCRYPTION_KEY in FIELD_ENCRYPTION_KEYS),
        ("BLIND_INDEX_KEY", BLIND_INDEX_KEY == _DEV_BLIND_INDEX_KEY),
        ("SIGNING_KEY_PASSPHRASE", SIGNING_KEY_PASSPHRASE == _DEV_SIGNING_KEY_PASSPHRASE),
        (
            "CONSULTATION_RESPONDENT_KEY",
            CONSULTATION_RESPONDENT_KEY == _DEV_CONSULTATION_RESPONDENT_KEY,
        ),
    ]
    return [name for name, in_use in published if in_use]


if PRODUCTION:
    _require_real_secrets()
elif not (DEBUG and LOCAL_ONLY) and _development_keys_in_use():
    # DJANGO_ENV unset on a real server used to start with the published keys: anyone could
    # forge sessions and read the encrypted columns. The keys are safe only on a developer's
    # own machine, which is what DEBUG on with local hosts alone says this is.
    raise ImproperlyConfigured(
        "Refusing to start with the published development keys ("
        + ", ".join(_development_keys_in_use())
        + ") because "
        + " and ".join(
            reason
            for reason, applies in (
                ("ALLOWED_HOSTS names a host that is not this machine", not LOCAL_ONLY),
                ("DEBUG is off", not DEBUG),
            )
            if applies
        )
        + ". They are only for a developer's own machine. Set real values for them (see "
        ".env.example), and DJANGO_ENV=production on a server."
    )

CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# Django's own page for pages; the API's error format under /api/.
CSRF_FAILURE_VIEW = "core.views.csrf_failure"
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")
SITE_NAME = "Care Register"
# Where people write when something goes wrong (an email that never came, a locked account):
# every page that says "contact us" gives this address.
SUPPORT_EMAIL = env.str("SUPPORT_EMAIL", default="help@localhost")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_tasks",
    "django_tasks_db",
    "csp",
    # The project's own apps, lowest layer first (docs/architecture.md).
    "core",
    "accounts",
    "register",
    "passports",
    "employers",
    "consultations",
    "concerns",
    "jobs",
    "careers",
    "api",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "config.middleware.RequestContextMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "config.middleware.RequireMfaForStaffMiddleware",
    # After the second factor's check, so a registrar sets that up first.
    "register.code_prompt.CodeOfConductPromptMiddleware",
    # Ticks where people went after a quiz (viewed jobs, applied), for the figures.
    "careers.quizzes_middleware.QuizNextStepsMiddleware",
    # Carries a campaign's tracked-link code in the session and counts its funnel.
    "careers.campaigns_middleware.CampaignAttributionMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "accounts.context_processors.navigation",
            ],
        },
    },
]
# Our own templates for Django's form rendering put an error message next to each field and
# link it to the input, which the default templates do not.
FORM_RENDERER = "core.forms.AccessibleFormRenderer"

VAR_DIR.mkdir(exist_ok=True)
DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=0))
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the task worker and the web server use the file at the same time.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"init_command": "PRAGMA journal_mode=WAL;", "transaction_mode": "IMMEDIATE"}
    )
# A read replica for the public register's searches and entry pages (docs/scaling.md). Off
# unless DATABASE_REPLICA_URL is set; config/db_routers.py says what goes where.
if env.str("DATABASE_REPLICA_URL", default=""):
    DATABASES["replica"] = env.db_url("DATABASE_REPLICA_URL")
    DATABASES["replica"].setdefault("CONN_MAX_AGE", DATABASES["default"]["CONN_MAX_AGE"])
    # Tests have no second server: the alias reads the test database itself.
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["config.db_routers.PublicRegisterReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

_CACHE_URL = env.str("CACHE_URL", default="locmemcache://")
# Redis through django-redis, which keeps one client per server where Django's own backend
# builds one per call, and lets the rate limiter count in one round trip
# (docs/decisions/0015). Named here rather than left to django-environ, which picks the backend
# by what is installed and writes the URL's options in capitals for django-redis but in lower
# case for Django's: "?key_prefix=ci" was once silently ignored that way, and two sites sharing
# one Redis shared their keys.
_REDIS_SCHEMES = ("redis", "rediss", "rediscache", "valkey", "valkeys")
CACHES = {
    "default": env.cache_url_config(
        _CACHE_URL,
        backend="django_redis.cache.RedisCache"
        if _CACHE_URL.split("://", 1)[0] in _REDIS_SCHEMES
        else None,
    )
}
# Seconds a rendered public entry page is kept for visitors who are not signed in (see
# register/page_cache.py). Unset: 300, 10 with a read replica, off with a per-process cache.
PUBLIC_PAGE_CACHE_SECONDS = env.int("PUBLIC_PAGE_CACHE_SECONDS", default=None)

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "accounts:home"

# django-allauth: email is the login, and it must be verified before the first login.
ACCOUNT_ADAPTER = "accounts.adapters.AccountAdapter"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_FORMS = {
    "signup": "accounts.forms.SignupForm",
    "login": "accounts.forms.LoginForm",
    "reset_password": "accounts.forms.ResetPasswordForm",
    "add_email": "accounts.forms.AddEmailForm",
    "change_password": "accounts.forms.ChangePasswordForm",
    "set_password": "accounts.forms.SetPasswordForm",
    "reset_password_from_key": "accounts.forms.ResetPasswordKeyForm",
    "reauthenticate": "accounts.forms.ReauthenticateForm",
}
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
# Confirming the address in the browser that signed up signs the person in and sends them on
# (to the page they were going to, or home); allauth only does so while the sign-up is still in
# that session, so a leaked link never signs anyone in. Elsewhere they are asked to sign in.
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_PRESERVE_USERNAME_CASING = False
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Care Register] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if PRODUCTION else "http"
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "confirm_email": "1/3m/key",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "change_password": "5/m/user",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = SITE_NAME
MFA_RECOVERY_CODE_COUNT = 10
# Accept the code from the previous 30-second step as well: a code typed as the step turns over
# is otherwise refused, as RFC 6238 section 5.2 warns.
MFA_TOTP_TOLERANCE = 1

# Email: printed to the console unless EMAIL_URL names a server. Sending runs as a background
# task, so a slow mail server never holds up a page.
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Care Register <no-reply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
_email = env.email_url("EMAIL_URL", default="consolemail://")
EMAIL_BACKEND = _email["EMAIL_BACKEND"]
for _name in ("EMAIL_HOST", "EMAIL_PORT", "EMAIL_HOST_USER", "EMAIL_HOST_PASSWORD"):
    if _email.get(_name):
        globals()[_name] = _email[_name]
EMAIL_USE_TLS = _email.get("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = _email.get("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=20)

TASKS = {
    "default": {
        "BACKEND": env.str("TASKS_BACKEND", default="django_tasks_db.DatabaseBackend"),
    }
}

# The commands production runs on a schedule (README, "Daily jobs"), in the order
# `manage.py run_periodic` runs them: `make run` runs them every minute beside the worker, so
# a development site opens and closes consultations, reminds and lapses as production does.
# Each is safe to run again and again.
PERIODIC_COMMANDS = [
    "advance_consultations",
    "send_renewal_reminders",
    "lapse_overdue_registrations",
    "end_expired_sanctions",
    "notify_expiring_training",
    "notify_outcome_subscribers",
    "advance_concerns",
    "close_expired_vacancies",
    "chase_applications",
    "send_job_alerts",
    "send_trial_reminders",
    "chase_trial_pay",
    "send_event_reminders",
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
# Its own folder per process that collects static files (the fault scenarios' gunicorn does,
# while the test suite's WhiteNoise scans the default one in another process).
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(VAR_DIR / "static")))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# Uploaded evidence is personal data: kept outside the web root and served only through views
# that check who is asking.
MEDIA_ROOT = env.path("PRIVATE_MEDIA_ROOT", default=VAR_DIR / "private-media")

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.SessionAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "EXCEPTION_HANDLER": "api.errors.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Care Register API",
    "DESCRIPTION": "The public register, training passports and consultations.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # The documentation's scripts and styles come from the drf-spectacular-sidecar package and
    # are served as our own static files, so the CSP ('self' only) holds on /api/v1/docs/.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # No online validator: its badge is an image from another site, which the CSP blocks.
    "SWAGGER_UI_SETTINGS": {"validatorUrl": None},
    # Several models have a field named status; each set of choices gets its own name.
    "ENUM_NAME_OVERRIDES": {
        "RegisterEntryStatusEnum": "register.models.RegisterEntry.Status",
        "TrainingRecordStatusEnum": "passports.models.TrainingRecord.Status",
        "CredentialKindEnum": "passports.verification.CREDENTIAL_KINDS",
        # Named, so that the verification's "kind" beside it does not rename it.
        "KindEnum": "consultations.models.Question.Kind",
        # The vacancies' (api/vacancies.py), named for the model, since "kind" and "status"
        # are taken.
        "VacancyPayKindEnum": "jobs.models.Vacancy.PayKind",
        "VacancyStatusEnum": "jobs.models.Vacancy.Status",
    },
}

# Security headers. Content Security Policy allows only our own scripts and styles.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
if PRODUCTION:
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=63072000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    # /healthz is probed over plain HTTP by load balancers inside the network.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# The client address recorded in the audit log. Only trust X-Forwarded-For behind a proxy that
# sets it, or anyone could write any address into the log.
USE_X_FORWARDED_FOR = env.bool("USE_X_FORWARDED_FOR", default=False)

# Staff and registrars must have a second factor, and have used it in the session, before they
# can open these paths.
MFA_REQUIRED_PATH_PREFIXES = ("/registrar/", "/admin/")
# A registrar's or staff member's session ends after this long without a request (sliding);
# other people's sessions keep Django's default.
REGISTRAR_SESSION_IDLE_MINUTES = 30

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    # Every line passes RedactSecretsFilter: tokens in paths, API keys and email addresses are
    # masked whoever logs them.
    "filters": {"redact_secrets": {"()": "config.log_filters.RedactSecretsFilter"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["redact_secrets"],
        }
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
    },
}

# The register's rules, each a setting so the associations can change them.
REGISTRATION_PERIOD_DAYS = env.int("REGISTRATION_PERIOD_DAYS", default=365)
RENEWAL_WINDOW_DAYS = env.int("RENEWAL_WINDOW_DAYS", default=90)
RENEWAL_REMINDER_DAYS = [60, 30, 7]
# The reminders at which the worker's employers are warned too that the registration will lapse
# unless it is renewed: each must be one of RENEWAL_REMINDER_DAYS.
RENEWAL_EMPLOYER_WARNING_DAYS = [30, 7]
CPD_MINIMUM_HOURS = env.int("CPD_MINIMUM_HOURS", default=12)
# A second registrar, who recorded none of the checks, confirms every approval. Only a
# developer's or a test's environment may turn it off; production refuses to start without it.
FOUR_EYES_APPROVAL = env.bool("FOUR_EYES_APPROVAL", default=True)
if PRODUCTION and not FOUR_EYES_APPROVAL:
    raise ImproperlyConfigured(
        "FOUR_EYES_APPROVAL must be on in production: every approval needs a second registrar."
    )
DBS_CERTIFICATE_MAX_AGE_DAYS = 3 * 365
REFERENCES_REQUIRED = 2
# How long a referee's emailed link works, and how many requests one referee may be sent a day
# (each sends an email to an address the applicant chose).
REFERENCE_REQUEST_VALID_DAYS = env.int("REFERENCE_REQUEST_VALID_DAYS", default=14)

# Concerns about registrants (docs/concerns.md). Time limits the associations publish: a new
# case is screened within 5 working days; a worker under an interim suspension may respond
# within 14 days; a worker may answer an allegation within 28 days and appeal a decision
# within 28 days. An unconfirmed concern's link works for 3 days.
CONCERN_SCREENING_WORKING_DAYS = env.int("CONCERN_SCREENING_WORKING_DAYS", default=5)
CONCERN_INTERIM_RESPONSE_DAYS = env.int("CONCERN_INTERIM_RESPONSE_DAYS", default=14)
CONCERN_INTERIM_ORDER_DAYS = env.int("CONCERN_INTERIM_ORDER_DAYS", default=182)
CONCERN_RESPONSE_DAYS = env.int("CONCERN_RESPONSE_DAYS", default=28)
CONCERN_APPEAL_DAYS = env.int("CONCERN_APPEAL_DAYS", default=28)
CONCERN_CONFIRMATION_HOURS = env.int("CONCERN_CONFIRMATION_HOURS", default=72)
# How long a case closed with no action is kept before it is deleted, as the associations set
# it: each row says from which day a period applies, so a change is dated and a case is kept
# for the period in force on the day it closed (concerns/retention.py). Only the audit log's
# record that the case existed, and its anonymous figures for the yearly report, remain.
CONCERN_NO_ACTION_RETENTION = [
    # (in force from, days kept after closing)
    ("2026-01-01", 365),
]
# Fewer cases than this in a cell of the yearly report are shown as "fewer than 5", as in
# consultation results, so that nobody can be recognised from a count.
CONCERN_REPORT_MIN_COUNT = env.int("CONCERN_REPORT_MIN_COUNT", default=5)
REFERENCE_REQUESTS_PER_REFEREE_PER_DAY = 3
EVIDENCE_MAX_BYTES = env.int("EVIDENCE_MAX_BYTES", default=10 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
REGISTER_PAGE_SIZE = 20

# Training providers: registration numbers with dates of birth that match no registered worker,
# allowed per day (until midnight), counted per provider organisation and per member.
TRAINING_MATCH_FAILURES_PER_DAY = env.int("TRAINING_MATCH_FAILURES_PER_DAY", default=5)
# Employers: share codes, staff lists and webhooks.
SHARE_CODE_VALID_DAYS = env.int("SHARE_CODE_VALID_DAYS", default=30)
# Wrong share codes or dates of birth allowed per hour, counted per user and per address.
SHARE_CODE_FAILURES_PER_HOUR = env.int("SHARE_CODE_FAILURES_PER_HOUR", default=10)
# Jobs: applying shares the worker's record with the employer until this many days after the
# vacancy closes; an application left untouched this many days after its vacancy stopped
# taking applications is closed with a kind message; and a person may send this many
# applications an hour.
APPLICATION_SHARE_DAYS_AFTER_CLOSE = env.int("APPLICATION_SHARE_DAYS_AFTER_CLOSE", default=30)
APPLICATION_CHASE_DAYS = env.int("APPLICATION_CHASE_DAYS", default=14)
APPLICATIONS_PER_HOUR = env.int("APPLICATIONS_PER_HOUR", default=20)
# Webhooks may reach plain http:// and private or loopback addresses only when this is on:
# otherwise an employer's URL could make the register call into its own network.
WEBHOOK_ALLOW_PRIVATE_ADDRESSES = env.bool(
    "WEBHOOK_ALLOW_PRIVATE_ADDRESSES", default=not PRODUCTION and LOCAL_ONLY
)
WEBHOOK_TIMEOUT_SECONDS = env.int("WEBHOOK_TIMEOUT_SECONDS", default=10)
# Attempts per delivery; the waits between them double from one minute (1, 2, 4, 8, 16 min).
WEBHOOK_MAX_ATTEMPTS = env.int("WEBHOOK_MAX_ATTEMPTS", default=6)

# Job alerts (jobs/services/alerts.py): digests go out from this hour of the morning, UK time, so
# they arrive with the day's new jobs rather than in the night; a link to confirm an alert made
# without a confirmed address works for this many hours.
JOB_ALERTS_HOUR = env.int("JOB_ALERTS_HOUR", default=7)
JOB_ALERT_CONFIRMATION_HOURS = env.int("JOB_ALERT_CONFIRMATION_HOURS", default=48)
