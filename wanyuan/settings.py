"""Settings, read from the environment only (django-environ).

With nothing set the portal runs on the embedded default: SQLite under ./var/, Celery tasks
eagerly in-process, DEBUG on and a local secret. See the configuration table in README.md.
"""

from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from wanyuan.observability import init_sentry, logging_config

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
_REQUIRED = object()


def env_verbatim(name, default=_REQUIRED):
    """Secrets as written: django-environ reads a value starting with "$" as the name of another variable,
    and a random secret or password may well start with one."""
    import os

    if name in os.environ:
        return os.environ[name]
    if default is _REQUIRED:
        raise ImproperlyConfigured(f"Set the {name} environment variable")
    return default


DJANGO_ENV = env.str("DJANGO_ENV", default="development")
PRODUCTION = DJANGO_ENV == "production"

DEBUG = env.bool("DJANGO_DEBUG", default=not PRODUCTION)
if PRODUCTION and DEBUG:
    raise ImproperlyConfigured("DJANGO_DEBUG cannot be on when DJANGO_ENV=production")

if PRODUCTION:
    # No fallback: production refuses to start without a real secret and real hosts.
    SECRET_KEY = env_verbatim("DJANGO_SECRET_KEY")
    ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS")
    if SECRET_KEY.startswith("change-me"):
        raise ImproperlyConfigured("DJANGO_SECRET_KEY is still the .env.example placeholder: generate a real one.")
    if len(SECRET_KEY) < 50 or not ALLOWED_HOSTS:
        raise ImproperlyConfigured("Production needs DJANGO_SECRET_KEY (50+ characters) and DJANGO_ALLOWED_HOSTS.")
else:
    SECRET_KEY = env_verbatim("DJANGO_SECRET_KEY", "local-development-secret-not-for-production-use-0123456789")
    ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver", "[::1]"])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "django_filters",
    "django_tables2",
    "django_htmx",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    # Project apps, lowest first: each may import only those above it in this list.
    "core",
    "accounts",
    "regions",
    "industries",
    "workshops",
    "labor",
    "loans",
    "subsidies",
    "dashboard",
]

MIDDLEWARE = [
    # First: decides whether X-Forwarded-* and X-Request-ID can be believed before anything reads them.
    "accounts.middleware.ProxyHeadersMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Content-Security-Policy and Permissions-Policy on every answer, static files included.
    "accounts.headers.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # NUL bytes and oversized API bodies answered with a 400 before any view or query sees them.
    "accounts.input_guard.InputGuardMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "accounts.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # After an administrator's reset, every page leads to the change-password page.
    "accounts.forced_change.PasswordChangeRequiredMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "accounts.middleware.RequestContextMiddleware",
]

ROOT_URLCONF = "wanyuan.urls"
WSGI_APPLICATION = "wanyuan.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "accounts.context_processors.navigation",
            ],
        },
    },
]
# Every form's text boxes and drop-downs written in Python: the HTML of Django's widget templates, character
# for character (tests/core/test_widget_renderer.py), at a third of a form page's CPU.
FORM_RENDERER = "core.forms.WidgetRenderer"


def _database():
    """DATABASE_URL (percent-encode special characters in its password), or PostgreSQL from POSTGRES_HOST and
    its siblings, which need no encoding: compose passes the password on its own so any password works."""
    if env.str("DATABASE_URL", default=""):
        return env.db("DATABASE_URL")
    if env.str("POSTGRES_HOST", default=""):
        config = {
            "ENGINE": "django.db.backends.postgresql",
            "HOST": env.str("POSTGRES_HOST"),
            "PORT": env.int("POSTGRES_PORT", default=5432),
            "NAME": env.str("POSTGRES_DB", default="wanyuan"),
            "USER": env.str("POSTGRES_USER", default="wanyuan"),
            "PASSWORD": env_verbatim("POSTGRES_PASSWORD", ""),
        }
        if PRODUCTION and config["PASSWORD"].startswith("change-me"):
            raise ImproperlyConfigured("POSTGRES_PASSWORD is still the .env.example placeholder: set a real one.")
        return config
    if PRODUCTION:
        # Commands that need no database (collectstatic at image build) still run; every other command and
        # the servers are refused by core.checks.database_configured, and any query fails.
        return {"ENGINE": "django.db.backends.dummy"}
    return env.db_url_config(f"sqlite:///{VAR_DIR / 'db.sqlite3'}")


DATABASES = {"default": _database()}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
# Production keeps each thread's database connection open between requests (issue 13): a new PostgreSQL
# connection per request cost 9-16 ms of the two cores (a backend forked, its catalog caches filled
# again) before the first query. CONN_HEALTH_CHECKS: a connection the database closed (a restart) is
# replaced at the next request instead of failing it.
DATABASES["default"]["CONN_MAX_AGE"] = 300 if PRODUCTION else 0
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # The portal's data (a county: hundreds of thousands of rows) stays in memory, where an index probe costs
    # about what a sequential read does; PostgreSQL's default (4, for spinning disks) chose a sequential
    # scan of every worker over the township's villages' index (24 ms against 4 ms for a township officer's
    # search). 1.1 is the usual value for SSD or cached data.
    planner = "-c random_page_cost=1.1"
    options = DATABASES["default"].setdefault("OPTIONS", {})
    options["options"] = " ".join(filter(None, [options.get("options", ""), planner]))
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Waits instead of failing when the dev server and an in-process task write at once.
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20
    # labor.Placement's covering index (placement_headcount) INCLUDEs two columns on PostgreSQL; SQLite builds
    # it on its key columns alone, which is all the embedded default needs: not a warning at every start.
    SILENCED_SYSTEM_CHECKS = ["models.W040"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
# Applied wherever a password is set: create_user, services.user_create, the admin's reset, the change page.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Every password login (page, admin, API token) is counted against the login throttle.
AUTHENTICATION_BACKENDS = ["accounts.backends.ThrottledModelBackend"]
# Failed logins, counted in the cache (shared by all processes) per account and per client address
# (REMOTE_ADDR after the trusted-proxy middleware); at the limit every attempt is refused until the
# window, which starts at the first failure, ends.
LOGIN_FAILURE_LIMIT_ACCOUNT = env.int("LOGIN_FAILURE_LIMIT_ACCOUNT", default=10)
LOGIN_FAILURE_LIMIT_IP = env.int("LOGIN_FAILURE_LIMIT_IP", default=30)
LOGIN_FAILURE_WINDOW = env.int("LOGIN_FAILURE_WINDOW_SECONDS", default=15 * 60)
# API tokens of people expire (partner systems' keys last until revoked).
API_TOKEN_TTL_DAYS = env.int("API_TOKEN_TTL_DAYS", default=30)
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["wanyuan.formats"]  # amounts grouped by thousands, as on county vouchers
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / env.str("DJANGO_STATIC_ROOT", default="var/static")
if not PRODUCTION:
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = env.path("DJANGO_MEDIA_ROOT", default=str(VAR_DIR / "media"))
# `make backup` writes <timestamp>/ folders here (database dump, media tarball, manifest.json).
# A pathlib.Path; a relative value is taken from the checkout (the default: var/backups).
BACKUP_DIR = BASE_DIR / env.str("BACKUP_DIR", default="var/backups")
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

CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://")}

# Celery: with no broker configured tasks run eagerly in-process (the embedded default).
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = env.str("CELERY_RESULT_BACKEND", default=CELERY_BROKER_URL or None)
# A message is acknowledged when its task ends, and given back to the queue when the process
# running it dies (SIGKILL, OOM): the redelivered task finds the job's lease and takes over or stops.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
# A job holds a lease renewed as it progresses; the sweeper fails a job whose lease lapsed. Two
# minutes: above the longest gap between two renewals outside a transaction (an import's row checks
# after reading, seconds for 100,000 rows); a calculation and an import's apply write inside one
# transaction holding their row lock, which keeps them alive however long they take. A killed job is
# taken over within the lease (pool process killed) or failed within lease + 1 minute (whole worker).
JOB_LEASE_SECONDS = env.int("JOB_LEASE_SECONDS", default=120)
# Redis gives an unacknowledged message to another worker after this long. It must exceed the
# longest job (else a running job is delivered twice; harmless with leases, but wasted work) and the
# longest retry countdown (a lease, 2 min): the biggest import (100,000 rows) and the county's calculation
# take minutes, so 30 minutes. Recovery of a job whose whole worker died no longer waits for it: the
# lease and the sweeper fail the job first, and the late redelivery finds it failed and does nothing.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=1800),
    "socket_connect_timeout": 3,  # Redis down: a request says so in seconds, not after a TCP timeout
}
# Redis down when a job is queued: try twice quickly, then the caller reports it (503 / a message).
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 2, "interval_start": 0, "interval_step": 0.5,
                                    "interval_max": 1}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# One beat: core.beat sends only while it holds a lock in Redis and keeps last-run times there.
CELERY_BEAT_SCHEDULER = "core.beat:LockedScheduler"
CELERY_BEAT_MAX_LOOP_INTERVAL = 30  # the heartbeat is at most this old while beat is alive
from celery.schedules import crontab  # noqa: E402  (used by CELERY_BEAT_SCHEDULE only)

CELERY_BEAT_SCHEDULE = {
    # Jobs whose worker died end `failed` with a reason, within a minute of their lease lapsing.
    "core-sweep-expired-leases": {"task": "core.tasks.sweep_expired_leases", "schedule": 60,
                                  "options": {"expires": 55}},
    # 我的下载: exports are kept 7 days, then deleted with their files.
    "core-prune-expired-downloads": {"task": "core.tasks.prune_expired_downloads", "schedule": 3600},
    # The dashboard's monthly facts take the payroll written and the runs paid (dashboard.facts).
    "dashboard-refresh-facts": {"task": "dashboard.tasks.refresh_facts", "schedule": 60, "options": {"expires": 55}},
    "prune-idempotency-records": {"task": "accounts.tasks.prune_idempotency_records", "schedule": 24 * 3600},
    # Uploaded spreadsheets hold personal data: kept 30 days after their import ends, then deleted.
    "prune-import-files": {"task": "labor.tasks.prune_import_files", "schedule": 24 * 3600},
    # The previous month's subsidies at 02:00 on the 3rd (its payroll is in by then).
    "subsidies-calculate-previous-month": {"task": "subsidies.tasks.calculate_previous_month",
                                           "schedule": crontab(minute=0, hour=2, day_of_month=3)},
    # Guarantee loans: a repayment more than 30 days late makes the loan overdue (checked at 01:00).
    "loans-refresh-overdue": {"task": "loans.tasks.refresh_overdue_loans", "schedule": crontab(minute=0, hour=1)},
}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.api.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["core.api_permissions.NamedPermission"],
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "accounts.api.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "accounts.api.schema.ErrorDocumentingAutoSchema",
    "EXCEPTION_HANDLER": "accounts.api.errors.exception_handler",
    # JSON with NUL bytes or nested absurdly deep is a 400 (accounts/api/parsers.py).
    "DEFAULT_PARSER_CLASSES": [
        "accounts.api.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    # Throttles identify a client by REMOTE_ADDR, which ProxyHeadersMiddleware already took from a trusted
    # proxy's X-Forwarded-For; DRF's own reading of that header would trust what a client wrote in it.
    "NUM_PROXIES": 0,
    "DEFAULT_THROTTLE_CLASSES": [
        # Redis (the cache) down: requests pass unthrottled with a warning, not a 500.
        "accounts.throttling.AnonRateThrottle",
        "accounts.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env.str("API_THROTTLE_ANON", default="60/minute"),
        "user": env.str("API_THROTTLE_USER", default="2000/minute"),
    },
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
    "COERCE_DECIMAL_TO_STRING": True,
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Wanyuan workshops portal API",
    "DESCRIPTION": "Five-colour industries + assistance workshops: registry, labour, subsidies.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Local and east referrals share their outcome and their decision's choices: one enum each.
    "ENUM_NAME_OVERRIDES": {"ReferralOutcomeEnum": "labor.choices.ReferralOutcome",
                            "ReferralDecisionEnum": ["hired", "declined"]},
}

DJANGO_TABLES2_TEMPLATE = "django_tables2/bootstrap5-responsive.html"

# Workshop certification criteria (DOMAIN.md): numbers are settings, not code.
WORKSHOP_CERT_MIN_WORKERS = env.int("WORKSHOP_CERT_MIN_WORKERS", default=10)
WORKSHOP_CERT_MIN_ASSISTED = env.int("WORKSHOP_CERT_MIN_ASSISTED", default=5)
WORKSHOP_CERT_MIN_ASSISTED_SHARE = env.float("WORKSHOP_CERT_MIN_ASSISTED_SHARE", default=0.30)

# Spreadsheet imports.
IMPORT_MAX_BYTES = env.int("IMPORT_MAX_BYTES", default=10 * 1024 * 1024)
IMPORT_MAX_ROWS = env.int("IMPORT_MAX_ROWS", default=100_000)  # every row read counts, empty ones too
# An .xlsx is a zip: what its parts unpack into (a 500 KB file can hold a gigabyte-long string).
IMPORT_MAX_UNPACKED_BYTES = env.int("IMPORT_MAX_UNPACKED_BYTES", default=50 * 1024 * 1024)
# Longer cells are a problem on their row (no field of an import holds more than 200 characters).
IMPORT_MAX_CELL_CHARS = env.int("IMPORT_MAX_CELL_CHARS", default=1000)
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024

# Addresses or networks of the reverse proxies whose X-Forwarded-For/-Proto and X-Request-ID are believed
# (accounts.middleware.ProxyHeadersMiddleware drops those headers from every other peer; gunicorn's
# forwarded_allow_ips reads the same variable). Empty: no proxy is trusted.
TRUSTED_PROXIES = env.list("DJANGO_TRUSTED_PROXIES", default=[])

if PRODUCTION:
    # Safe only because ProxyHeadersMiddleware removes the header unless a trusted proxy sent it.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("DJANGO_HSTS_SECONDS", default=31_536_000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])
X_FRAME_OPTIONS = "DENY"
# Other sites learn nothing of the portal's addresses (they can hold IDs and search terms).
SECURE_REFERRER_POLICY = env.str("DJANGO_REFERRER_POLICY", default="same-origin")
# Browser features no page uses are switched off (accounts.headers).
PERMISSIONS_POLICY = env.str(
    "DJANGO_PERMISSIONS_POLICY",
    default="camera=(), microphone=(), geolocation=(), payment=(), usb=(), magnetometer=(), gyroscope=(), "
            "accelerometer=(), display-capture=()",
)
# No inline script anywhere: pages load their scripts from /static/ (accounts.headers). Inline style
# attributes stay allowed (layout widths, progress bars); they cannot run code.
CONTENT_SECURITY_POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self' 'unsafe-inline'",
    "img-src": "'self' data:",
    "font-src": "'self'",
    "connect-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}

LOGGING = logging_config(level=env.str("DJANGO_LOG_LEVEL", default="INFO"),
                         fmt=env.str("DJANGO_LOG_FORMAT", default="json" if PRODUCTION else "text"))
# The worker and beat keep these handlers instead of installing Celery's own (so their lines are JSON too).
CELERY_WORKER_HIJACK_ROOT_LOGGER = False

# Errors to Sentry only when a DSN is set; sentry_sdk is not even imported otherwise.
SENTRY_DSN = env.str("SENTRY_DSN", default="")
if SENTRY_DSN:
    init_sentry(dsn=SENTRY_DSN, environment=DJANGO_ENV, release=env.str("SENTRY_RELEASE", default=None),
                traces_sample_rate=env.float("SENTRY_TRACES_SAMPLE_RATE", default=0.0))
