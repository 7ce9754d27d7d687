"""Netra settings: every value comes from the environment (docs/operations.md lists them).

``NETRA_ENV=development`` (the default) runs on a local SQLite file with an
insecure key; ``NETRA_ENV=production`` demands a real secret, hosts and HTTPS,
and passes ``manage.py check --deploy``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import django_stubs_ext
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from netra.config.env import env_bool, env_int, env_like, env_list, env_str, parse_database_url
from netra.social.sources.registry import source_settings

# Lets admin and querysets be subscripted (ModelAdmin[Event]) at run time, as the stubs type them.
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent.parent.parent

NETRA_ENV = env_str("NETRA_ENV", "development")
if NETRA_ENV not in {"development", "production"}:
    raise ImproperlyConfigured(
        f"NETRA_ENV must be 'development' or 'production', not {NETRA_ENV!r}"
    )
PRODUCTION = NETRA_ENV == "production"

# Off unless asked for, in development too: Django's debug pages show settings and list every
# URL pattern on a 404, and the demo is what new users see (docs/operations.md).
DEBUG = env_bool("NETRA_DEBUG", False)
if PRODUCTION and DEBUG:
    raise ImproperlyConfigured("NETRA_DEBUG must be off in production")
# Public (it is in the source), so a production key must be anything else.
DEVELOPMENT_SECRET_KEY = "django-insecure-netra-development-key-never-use-in-production"  # noqa: S105
if PRODUCTION:
    SECRET_KEY = env_str("NETRA_SECRET_KEY")
    if SECRET_KEY == DEVELOPMENT_SECRET_KEY or SECRET_KEY.startswith("django-insecure-"):
        raise ImproperlyConfigured(
            "NETRA_SECRET_KEY must not be the public development key in production"
        )
    if len(SECRET_KEY) < 50:
        raise ImproperlyConfigured("NETRA_SECRET_KEY must be at least 50 characters in production")
else:
    SECRET_KEY = env_str("NETRA_SECRET_KEY", DEVELOPMENT_SECRET_KEY)

VAR_DIR = Path(env_str("NETRA_VAR_DIR", str(BASE_DIR / "var")))
ALLOWED_HOSTS = env_list(
    "NETRA_ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost", "[::1]"]
)
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured(
        "NETRA_ALLOWED_HOSTS must name the public host name(s) in production"
    )
CSRF_TRUSTED_ORIGINS = env_list("NETRA_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    # Before staticfiles, so that runserver leaves static files to WhiteNoise with debug on too.
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_otp",
    # Their own AppConfigs, with Indonesian names (netra/staff/vendor.py).
    "netra.staff.vendor.TOTPConfig",
    "netra.staff.vendor.StaticConfig",
    "netra.staff.vendor.AxesConfig",
    "csp",
    "rules.apps.AutodiscoverRulesConfig",
    "netra.core",
    "netra.geo",
    "netra.law",
    "netra.staff",
    "netra.elections",
    "netra.social",
    "netra.registry",
    "netra.monitor",
    "netra.detection",
    "netra.web",
    "netra.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "netra.staff.middleware.RequireTwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes requires, so it sees the outcome of every login attempt.
    "axes.middleware.AxesMiddleware",
]

# WhiteNoise serves static files everywhere: in production the collected, hashed files; in
# development straight from the apps' folders, re-read on each request, since with debug off
# (the default) Django's development server serves none.
MIDDLEWARE.insert(1, "whitenoise.middleware.WhiteNoiseMiddleware")
WHITENOISE_USE_FINDERS = not PRODUCTION
WHITENOISE_AUTOREFRESH = not PRODUCTION
if not PRODUCTION:
    WHITENOISE_MAX_AGE = 0  # an edited stylesheet shows on the next reload

ROOT_URLCONF = "netra.config.urls"
WSGI_APPLICATION = "netra.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
            ],
        },
    },
]


def _databases() -> dict[str, Any]:
    url = env_str("DATABASE_URL", "")
    if not url:
        url = f"sqlite:///{VAR_DIR / 'netra.sqlite3'}"
    cfg = parse_database_url(url)
    db: dict[str, Any] = {
        "ENGINE": cfg.engine,
        "NAME": cfg.name,
        "USER": cfg.user,
        "PASSWORD": cfg.password,
        "HOST": cfg.host,
        "PORT": cfg.port,
        "CONN_MAX_AGE": env_int("NETRA_DB_CONN_MAX_AGE", 0),
        "OPTIONS": dict(cfg.options),
    }
    if cfg.engine.endswith("sqlite3"):
        db["OPTIONS"] = {
            # WAL lets readers go on while one writer commits; IMMEDIATE takes the write
            # lock at BEGIN, so concurrent writers wait (busy timeout) instead of failing.
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
            ),
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
    return {"default": db}


DATABASES = _databases()
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "staff.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "staff:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "staff:login"

# django-axes: lock the username+IP pair after repeated failures.
AXES_FAILURE_LIMIT = env_int("NETRA_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("NETRA_LOGIN_COOLOFF_MINUTES", 30) / 60
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "staff/lockout.html"
AXES_VERBOSE = False

OTP_TOTP_ISSUER = "Netra"

LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Bahasa Indonesia")), ("en", _("Inggris"))]
LOCALE_PATHS = [BASE_DIR / "netra" / "locale"]
TIME_ZONE = "Asia/Jakarta"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
MEDIA_URL = "media/"
MEDIA_ROOT = VAR_DIR / "media"
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

# Celery: with no broker configured, tasks run in-process (the embedded default); with
# CELERY_BROKER_URL (redis:// or amqp://) set, they go to real workers.
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", "")
# Results go back through Redis itself, or over AMQP replies with RabbitMQ, unless set apart.
CELERY_RESULT_BACKEND = env_str(
    "CELERY_RESULT_BACKEND",
    CELERY_BROKER_URL
    if CELERY_BROKER_URL.startswith(("redis://", "rediss://"))
    else ("rpc://" if CELERY_BROKER_URL else ""),
)
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env_int("NETRA_SESSION_SECONDS", 8 * 3600)
CSRF_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy (django-csp), the same in every environment so that the browser tests
# prove the pages keep to it: scripts, styles, images and requests only from Netra itself, no
# inline script or style (attributes included), no plugins, no framing, forms post back to Netra.
CONTENT_SECURITY_POLICY: dict[str, Any] = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    }
}
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("NETRA_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env_int("NETRA_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("NETRA_HSTS_PRELOAD", True)

LOGGING: dict[str, Any] = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("NETRA_LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}

# Where the reference data of ../shared lives when it sits beside the checkout.
NETRA_SHARED_DIR = Path(env_str("NETRA_SHARED_DIR", str(BASE_DIR.parent / "shared")))

# Records per transaction when loading social media files (netra ingest): larger batches
# load faster, smaller ones hold less memory and lose less work when a run is killed.
NETRA_INGEST_BATCH_SIZE = env_int("NETRA_INGEST_BATCH_SIZE", 8_000)
# Files from this size on are read and prepared by a second process while the first writes.
NETRA_INGEST_PARALLEL_BYTES = env_int("NETRA_INGEST_PARALLEL_BYTES", 32 * 1024 * 1024)

# --- Detection (netra/detection, docs/detection.md) ---
# The campaign model file that judges texts (netra model train writes one); empty: the one
# shipped in netra/detection/data/models/.
NETRA_DETECTION_MODEL = env_str("NETRA_DETECTION_MODEL", "")
# Items judged and stored per transaction by netra detect run and its Celery tasks.
NETRA_DETECTION_BATCH_SIZE = env_int("NETRA_DETECTION_BATCH_SIZE", 5_000)
# A scheduled run with more stale items than this fans the judging out to the workers, one
# task per this many items (with a Redis result backend to join them).
NETRA_DETECTION_TASK_ITEMS = env_int("NETRA_DETECTION_TASK_ITEMS", 50_000)
# Every NETRA_DETECTION_POLL_MINUTES, celery beat looks for elections with items loaded or
# changed since their last detection run and queues one run each; 0 turns it off.
NETRA_DETECTION_POLL_MINUTES = env_int("NETRA_DETECTION_POLL_MINUTES", 5)

# --- Live collection and the collectors' push API (netra/social/collect, docs/collection.md) ---
# Each platform's source folder names its API's settings in its manifest (PlatformSpec.live:
# NETRA_X_API_URL, NETRA_X_BEARER_TOKEN, NETRA_X_POLL_MINUTES…, docs/operations.md); they
# are read here like every other. Credentials may be given as <NAME>_FILE; an empty
# credential leaves that platform unpolled.
for _setting in source_settings():
    if _setting.name in globals():
        raise ImproperlyConfigured(f"{_setting.name}: a source may not redefine a Netra setting")
    globals()[_setting.name] = env_like(_setting.name, _setting.default)
NETRA_COLLECT_TIMEOUT_SECONDS = env_int("NETRA_COLLECT_TIMEOUT_SECONDS", 30)
NETRA_COLLECT_MAX_TRIES = env_int("NETRA_COLLECT_MAX_TRIES", 4)
NETRA_COLLECT_BACKOFF_SECONDS = env_int("NETRA_COLLECT_BACKOFF_SECONDS", 2)
NETRA_COLLECT_MAX_WAIT_SECONDS = env_int("NETRA_COLLECT_MAX_WAIT_SECONDS", 60)
NETRA_COLLECT_MAX_PAGES = env_int("NETRA_COLLECT_MAX_PAGES", 10)
NETRA_COLLECT_RECENT_DAYS = env_int("NETRA_COLLECT_RECENT_DAYS", 7)
NETRA_COLLECT_RECENT_ITEMS = env_int("NETRA_COLLECT_RECENT_ITEMS", 20)
NETRA_PUSH_MAX_MB = env_int("NETRA_PUSH_MAX_MB", 50)
# Every NETRA_COLLECT_POLL_MINUTES, celery beat polls every active watchlist; 0 turns it off.
NETRA_COLLECT_POLL_MINUTES = env_int("NETRA_COLLECT_POLL_MINUTES", 15)
CELERY_BEAT_SCHEDULE: dict[str, Any] = (
    {
        "netra.social.collect_poll": {
            "task": "netra.social.collect_poll",
            "schedule": NETRA_COLLECT_POLL_MINUTES * 60.0,
        }
    }
    if NETRA_COLLECT_POLL_MINUTES > 0
    else {}
) | (
    {
        "netra.detection.detect_pending": {
            "task": "netra.detection.detect_pending",
            "schedule": NETRA_DETECTION_POLL_MINUTES * 60.0,
        }
    }
    if NETRA_DETECTION_POLL_MINUTES > 0
    else {}
)
# django-ninja serves the API docs' own Swagger files (no CDN).
INSTALLED_APPS.append("ninja")
# httpx logs every request URL at INFO: polls would flood the log with one line per page.
LOGGING["loggers"]["httpx"] = {"level": "WARNING"}
# --- end of live collection settings ---
