"""One settings module; everything that differs between machines comes from the environment.

Development defaults just work (SQLite under ./var). With THEODOI_PRODUCTION=true the process
refuses to start without a real secret key and allowed hosts.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
from pathlib import Path
from typing import Any

import dj_database_url
from django.utils.translation import gettext_lazy as _

from theodoi.lib.env import EnvError, env_bool, env_int, env_list, env_str

PACKAGE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(env_str("THEODOI_DATA_DIR", str(Path.cwd() / "var"))).resolve()

PRODUCTION = env_bool("THEODOI_PRODUCTION", False)
DEV_SECRET_KEY = "dev-only-insecure-key-never-use-in-production"
SECRET_KEY = env_str("THEODOI_SECRET_KEY", DEV_SECRET_KEY)
# Off unless asked for: a mis-set server must never show its settings on an error page.
# `theodoi demo` asks for it itself (cli.py).
DEBUG = env_bool("THEODOI_DEBUG", False)
ALLOWED_HOSTS = env_list("THEODOI_ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost"])

if PRODUCTION and (SECRET_KEY == DEV_SECRET_KEY or len(SECRET_KEY) < 40):
    raise EnvError(
        "Khi chạy thật (THEODOI_PRODUCTION=true), THEODOI_SECRET_KEY phải là một chuỗi ngẫu "
        "nhiên dài ít nhất 40 ký tự."
    )
if PRODUCTION and not ALLOWED_HOSTS:
    raise EnvError(
        "Khi chạy thật (THEODOI_PRODUCTION=true), THEODOI_ALLOWED_HOSTS phải liệt kê tên miền "
        "của máy chủ."
    )

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "axes",
    "django_htmx",
    "template_partials",
    "theodoi.units",
    "theodoi.accounts",
    "theodoi.plans",
    "theodoi.importer",
    "theodoi.tracking",
    "theodoi.evidence",
    "theodoi.audit",
    "theodoi.alerts",
    "theodoi.dashboards",
    "theodoi.api",
    "theodoi.reports",
    "theodoi.scorecards",
    "theodoi.web",
    "theodoi.demo",
    "theodoi.ops",
    "theodoi.summaries",
    "theodoi.jobs",
    "django_tasks",
    "django_tasks_db",
]

MIDDLEWARE = [
    # First: one log line per request, whatever answers it.
    "theodoi.lib.requestlog.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "theodoi.lib.security.SecurityHeadersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "theodoi.accounts.middleware.SessionIdleRefreshMiddleware",
    "theodoi.lib.security.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "theodoi.accounts.middleware.PasswordChangeRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, as django-axes asks: it turns a lock-out into the Vietnamese lock-out page.
    "axes.middleware.AxesMiddleware",
]

if PRODUCTION:
    # Static files straight from the app server: no separate web server to configure.
    MIDDLEWARE.insert(2, "whitenoise.middleware.WhiteNoiseMiddleware")

ROOT_URLCONF = "theodoi.urls"
WSGI_APPLICATION = "theodoi.wsgi.application"

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
                "theodoi.alerts.context_processors.notifications",
            ],
        },
    },
]

DATABASE_URL = env_str("DATABASE_URL", "")
if not DATABASE_URL:
    # The embedded default: zero set-up, one file under the data directory.
    try:
        DATA_DIR.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise EnvError(
            f"Không tạo được thư mục dữ liệu {DATA_DIR} ({exc.strerror}): hãy đặt "
            "THEODOI_DATA_DIR là một thư mục mà tài khoản chạy theodoi ghi được."
        ) from None
    DATABASE_URL = f"sqlite:///{DATA_DIR / 'theodoi.sqlite3'}"
DATABASES = {
    "default": dj_database_url.parse(
        DATABASE_URL,
        # Persistent connections in production (checked before reuse): a new PostgreSQL
        # connection costs more than a typical page's queries.
        conn_max_age=env_int("THEODOI_DB_CONN_MAX_AGE", 600 if PRODUCTION else 0),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers work while a writer commits; IMMEDIATE avoids lock upgrades that
    # fail under concurrent writes.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
# Django's rules with Vietnamese messages (theodoi/accounts/validators.py).
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "theodoi.accounts.validators.UserAttributeSimilarityValidator"},
    {
        "NAME": "theodoi.accounts.validators.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "theodoi.accounts.validators.CommonPasswordValidator"},
    {"NAME": "theodoi.accounts.validators.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    # Refuses a locked-out account or address before the password is even checked.
    "theodoi.accounts.lockout.LockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Lock-out after repeated failed sign-ins (django-axes; theodoi/accounts/lockout.py): per
# account after a few failures, per address after more (an office shares one address).
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_FAILURE_LIMIT = env_int("THEODOI_LOGIN_FAILURES_PER_ACCOUNT", 5)
THEODOI_LOGIN_FAILURES_PER_ADDRESS = env_int("THEODOI_LOGIN_FAILURES_PER_ADDRESS", 20)
AXES_COOLOFF_TIME = dt.timedelta(minutes=env_int("THEODOI_LOGIN_LOCKOUT_MINUTES", 15))
AXES_HANDLER = "theodoi.accounts.lockout.LockoutHandler"
AXES_LOCKOUT_CALLABLE = "theodoi.accounts.views.locked_out"
AXES_CLIENT_IP_CALLABLE = "theodoi.accounts.lockout.client_address"
# A later success does not wipe the failures: on a shared address it would wipe others' too.
AXES_RESET_ON_SUCCESS = False
AXES_VERBOSE = False
# The reverse proxies whose X-Forwarded-For is believed for the client's address (addresses
# or networks): nginx on this machine by default. From any other peer the header is ignored,
# so a forged one never moves a sign-in to another address (accounts/lockout.py).
THEODOI_TRUSTED_PROXIES = env_list("THEODOI_TRUSTED_PROXIES", ["127.0.0.1", "::1"])
for _proxy in THEODOI_TRUSTED_PROXIES:
    try:
        ipaddress.ip_network(_proxy, strict=False)
    except ValueError:
        raise EnvError(
            f"THEODOI_TRUSTED_PROXIES chỉ chứa địa chỉ IP hoặc mạng (CIDR), không phải {_proxy!r}."
        ) from None
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Tiếng Việt")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
MEDIA_ROOT = DATA_DIR / "media"
STORAGES: dict[str, dict[str, Any]] = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# Stored files (evidence, uploaded plans) go to S3-compatible object storage when a bucket is
# named (Viettel, VNPT, FPT, MinIO, AWS all speak it), so several web servers share them and
# keep nothing of their own; otherwise to MEDIA_ROOT on this machine's disk.
THEODOI_S3_BUCKET = env_str("THEODOI_S3_BUCKET", "")
if THEODOI_S3_BUCKET:
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": THEODOI_S3_BUCKET,
            "endpoint_url": env_str("THEODOI_S3_ENDPOINT_URL", "") or None,
            "region_name": env_str("THEODOI_S3_REGION", "") or None,
            "access_key": env_str("THEODOI_S3_ACCESS_KEY", "") or None,
            "secret_key": env_str("THEODOI_S3_SECRET_KEY", "") or None,
            # "path" for most providers' own endpoints and MinIO, "virtual" for AWS.
            "addressing_style": env_str("THEODOI_S3_ADDRESSING_STYLE", "path"),
            "location": env_str("THEODOI_S3_PREFIX", ""),
            "signature_version": "s3v4",
            # Evidence is never replaced in place: a name taken gets a new one.
            "file_overwrite": False,
            "default_acl": None,
            # Files are read through the app (permission checks); no public URLs.
            "querystring_auth": True,
        },
    }

# A running job with no sign of life for this long is taken as dead (its worker was killed).
THEODOI_JOB_STALE_MINUTES = env_int("THEODOI_JOB_STALE_MINUTES", 30)
# A plan document is a few MB; the importer refuses anything larger with a clear message.
THEODOI_PLAN_MAX_BYTES = env_int("THEODOI_PLAN_MAX_BYTES", 20 * 1024 * 1024)
# Evidence files (minh chứng): the types accepted (sniffed from the bytes) and the size limit.
THEODOI_EVIDENCE_TYPES = env_list(
    "THEODOI_EVIDENCE_TYPES", ["pdf", "docx", "xlsx", "doc", "xls", "jpg", "png", "heic"]
)
THEODOI_EVIDENCE_MAX_BYTES = env_int("THEODOI_EVIDENCE_MAX_BYTES", 20 * 1024 * 1024)
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Signed out after two hours without a request (each request restarts the clock): long
# enough to type a report's narrative, short enough for a shared office computer.
SESSION_COOKIE_AGE = env_int("THEODOI_SESSION_SECONDS", 2 * 3600)
# The idle sign-out: a session unused for SESSION_COOKIE_AGE ends. Its clock is restarted
# at most every SESSION_REFRESH_SECONDS (accounts.middleware), not by a write on every read.
SESSION_SAVE_EVERY_REQUEST = False
SESSION_REFRESH_SECONDS = env_int("THEODOI_SESSION_REFRESH_SECONDS", 5 * 60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("THEODOI_SSL_REDIRECT", True)
    # The load balancer's probe speaks plain HTTP to the app server.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SECURE_HSTS_SECONDS = env_int("THEODOI_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# E-mail (digests of warnings, reminders): SMTP as soon as a host is given, else the console.
EMAIL_HOST = env_str("THEODOI_EMAIL_HOST", "")
EMAIL_PORT = env_int("THEODOI_EMAIL_PORT", 587)
EMAIL_HOST_USER = env_str("THEODOI_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("THEODOI_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("THEODOI_EMAIL_USE_TLS", True)
EMAIL_TIMEOUT = env_int("THEODOI_EMAIL_TIMEOUT", 30)
EMAIL_BACKEND = env_str(
    "THEODOI_EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend",
)
DEFAULT_FROM_EMAIL = env_str("THEODOI_FROM_EMAIL", "theodoi@localhost")
# The server's public address, for links in e-mails (they are read outside the app).
THEODOI_BASE_URL = env_str("THEODOI_BASE_URL", "http://127.0.0.1:8000")
# LibreOffice's program for DOCX → PDF; empty: look for soffice / libreoffice on the PATH.
THEODOI_SOFFICE = env_str("THEODOI_SOFFICE", "")

# Background work (theodoi/jobs): django-tasks with the database backend (django-tasks-db), so
# the queue lives in the same database as everything else (no Redis); `theodoi worker` runs it.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# Production web server (`theodoi serve`, gunicorn): a 2-core box by default. Threads let a
# worker wait on the database while another request runs; a PDF or export is a job, so the
# timeout only guards against a stuck request.
THEODOI_WEB_WORKERS = env_int("THEODOI_WEB_WORKERS", 3)
THEODOI_WEB_THREADS = env_int("THEODOI_WEB_THREADS", 4)
THEODOI_WEB_TIMEOUT = env_int("THEODOI_WEB_TIMEOUT", 60)
THEODOI_WEB_MAX_REQUESTS = env_int("THEODOI_WEB_MAX_REQUESTS", 2000)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("THEODOI_LOG_LEVEL", "WARNING")},
    "loggers": {
        # pdfminer reports every oddity of a damaged PDF; the importer already says what matters.
        "pdfminer": {"level": "ERROR"},
        # One line per request (lib/requestlog.py); on by default in production.
        "theodoi.requests": {
            "level": env_str("THEODOI_REQUEST_LOG_LEVEL", "INFO" if PRODUCTION else "WARNING")
        },
        # The request log says it once; Django's own "Not Found" lines would say it twice.
        "django.request": {"level": "ERROR"},
    },
}
