"""Settings, read from the environment.

DATABASE_URL   database (default: SQLite file ``db.sqlite3`` beside manage.py)
SECRET_KEY     required unless DEBUG is on
DEBUG          "true"/"false" (default false); anything else is an error
ALLOWED_HOSTS  comma-separated host names

Production (DEBUG off) also reads these; docs/deploy.md has the whole env file:
CSRF_TRUSTED_ORIGINS  comma-separated origins (https://plan.example.se), if not the host itself
SECURE_SSL_REDIRECT   redirect http to https (default: true unless DEBUG)
SECURE_HSTS_SECONDS   Strict-Transport-Security max-age (default: one year unless DEBUG, else 0)
CACHE_URL             locmem:// (default), db:// (table django_cache) or redis://host:6379/0
LOG_LEVEL             level of our own loggers (default INFO)
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_bool(name: str, default: bool = False) -> bool:
    """Return the boolean in ``name``. A value that is not clearly a boolean is an error."""
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}")


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_int(name: str, default: int) -> int:
    """Return the integer in ``name``. A value that is not a whole number is an error."""
    raw = os.environ.get(name)
    if raw is None or not raw.strip():
        return default
    try:
        return int(raw.strip())
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}") from None


def cache_from_url(url: str) -> dict[str, object]:
    """Return the CACHES entry for ``url``: ``locmem://``, ``db://`` or ``redis://…``."""
    if url.startswith(("redis://", "rediss://")):
        return {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}
    if url == "db://":
        return {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "django_cache",
        }
    if url == "locmem://":
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    raise ImproperlyConfigured(f"CACHE_URL must be locmem://, db:// or redis://…, not {url!r}")


DEBUG = env_bool("DEBUG", default=False)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off")
    SECRET_KEY = "insecure-development-key-only-for-debug"  # noqa: S105 - DEBUG only

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1" if DEBUG else "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "csp",
    "djmoney",
    "rest_framework",
    "django_filters",
    "knox",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "finsam",
    "plans",
    "budget",
    "goals",
]

MIDDLEWARE = [
    "finsam.middleware.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Audit context (user, door, address) of the request's writes; idle sessions; login lockout.
    "plans.middleware.AuditContextMiddleware",
    "plans.middleware.IdleSessionMiddleware",
    "plans.middleware.LoginLockoutMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "finsam.middleware.ContentSecurityPolicyMiddleware",
]

ROOT_URLCONF = "finsam.urls"

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
            ],
        },
    },
]

WSGI_APPLICATION = "finsam.wsgi.application"

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "0")),
    )
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Passwords: Argon2 for new and changed passwords; the others only read older hashes (and Django
# rehashes them with Argon2 at the next login). finsam/settings_test.py uses MD5 for speed.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
# Five failed logins with one user name lock it out for 15 minutes (plans/audit/doors.py).
AUTHENTICATION_BACKENDS = ["plans.audit.doors.LockoutModelBackend"]
LOGIN_FAILURE_LIMIT = 5
LOGIN_LOCKOUT_SECONDS = 15 * 60
# A session ends on logout, when the browser closes, and after 30 minutes without a request; it is
# prolonged at most every 5 minutes (plans.middleware.IdleSessionMiddleware).
SESSION_COOKIE_AGE = 30 * 60
SESSION_REFRESH_SECONDS = 5 * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", "Svenska"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
# Whitenoise serves the collected, hashed and compressed files (run collectstatic at deploy);
# finsam/settings_test.py swaps in the plain storage so tests need no collectstatic.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

LOGIN_URL = "editor:login"
LOGIN_REDIRECT_URL = "editor:start"
LOGOUT_REDIRECT_URL = "editor:login"
# The budget grid posts a dozen fields per line; a 300-line budget needs ~4 000 (Django's default
# limit is 1 000).
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

CURRENCIES = ("SEK",)
CURRENCY_CHOICES = [("SEK", "Svensk krona")]
DEFAULT_CURRENCY = "SEK"

REST_FRAMEWORK = {
    "COERCE_DECIMAL_TO_STRING": True,
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first: its WWW-Authenticate header makes an anonymous call a 401, not a 403.
        "knox.auth.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "finsam.api.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_THROTTLE_CLASSES": [
        "finsam.api.throttles.UserThrottle",
        "finsam.api.throttles.AnonThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "user": os.environ.get("API_THROTTLE_USER", "3000/hour"),
        "anon": os.environ.get("API_THROTTLE_ANON", "60/hour"),
    },
    "DEFAULT_SCHEMA_CLASS": "finsam.api.schema.AutoSchema",
    "EXCEPTION_HANDLER": "finsam.api.exceptions.exception_handler",
}

# Personal API tokens: stored as SHA-512 digests, valid for 90 days unless chosen otherwise.
REST_KNOX = {
    "TOKEN_TTL": timedelta(days=90),
    "TOKEN_LIMIT_PER_USER": 20,
    "AUTO_REFRESH": False,
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Finsam planer – API",
    "DESCRIPTION": "Verksamhetsplaner och budgetar för samordningsförbund. Se docs/api.md.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Several models have a "kind" or a "status"; each set of choices gets its own name.
    "ENUM_NAME_OVERRIDES": {
        "MemberKindEnum": "plans.models.MemberKind",
        "PlanStatusEnum": "plans.models.PlanStatus",
        "DisplayUnitEnum": "plans.models.DisplayUnit",
        "SeatRoleEnum": "plans.models.SeatRole",
        "SeatPositionEnum": "plans.models.SeatPosition",
        "GroupKindEnum": "plans.models.GroupKind",
        "ProjectKindEnum": "plans.models.ProjectKind",
        "ProjectStatusEnum": "plans.models.ProjectStatus",
        "ColumnKindEnum": "budget.models.ColumnKind",
        "BudgetGroupKindEnum": "budget.models.GroupKind",
        "TargetKindEnum": "goals.models.TargetKind",
    },
}

# --- Production: security headers, cache, logs (docs/deploy.md) ---

# nginx terminates TLS and sets X-Forwarded-Proto; gunicorn listens only on a local socket, so
# no client can claim https by sending the header itself.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=not DEBUG)
# The load balancer may poll the health check over plain http from inside the network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

# Content security policy (django-csp): our own files only, no inline script or style.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}
# Additions to the policy per path prefix (finsam.middleware.ContentSecurityPolicyMiddleware).
# The API docs pages (Swagger UI, Redoc) ship inline styles and Redoc runs a blob: worker.
CSP_PATH_UPDATES: dict[str, dict[str, list[str]]] = {
    "/api/v1/docs/": {"style-src": ["'unsafe-inline'"], "worker-src": ["'self'", "blob:"]},
}

# API throttle counters live here: with several gunicorn workers use db:// (one server) or
# redis:// (several), never the per-process locmem://.
CACHES = {"default": cache_from_url(os.environ.get("CACHE_URL", "locmem://"))}

# Everything to stdout, one JSON object per line (finsam/logging.py).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "finsam.logging.JsonFormatter"}},
    "handlers": {
        "stdout": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": "json",
        },
    },
    "root": {"handlers": ["stdout"], "level": "WARNING"},
    "loggers": {
        "finsam": {"level": os.environ.get("LOG_LEVEL", "INFO").upper()},
        "django": {"handlers": [], "level": "WARNING"},
        # finsam.request already has a line for every 4xx; Django's own is kept for 5xx tracebacks.
        "django.request": {"handlers": [], "level": "ERROR"},
    },
}
