"""Django settings for Heard, all driven by the environment through `heard.conf`."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import dj_database_url
from django.utils.csp import CSP

from heard.conf import MailServer, ObjectStore, SettingError, load_secret_key, read_settings
from heard.core.private import FILE_MODE, FOLDER_MODE, keep_files_private, private_folder
from heard.core.storage import object_store_options

# Personal data lives in the data folder: whatever Heard creates is its account's alone.
keep_files_private()

try:
    ENV = read_settings()
except SettingError as error:
    sys.stderr.write(f"Heard cannot start: {error}\n")
    raise SystemExit(2) from None

BASE_DIR = Path(__file__).resolve().parent
DATA_DIR: Path = ENV["HEARD_DATA_DIR"]
private_folder(DATA_DIR)

SECRET_KEY = load_secret_key(ENV["HEARD_SECRET_KEY"], DATA_DIR)
DEBUG: bool = ENV["HEARD_DEBUG"]
ALLOWED_HOSTS: list[str] = ENV["HEARD_ALLOWED_HOSTS"]
CSRF_TRUSTED_ORIGINS: list[str] = ENV["HEARD_CSRF_TRUSTED_ORIGINS"]
HEARD_BASE_URL: str = ENV["HEARD_BASE_URL"]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.forms",
    "django_htmx",
    "django_tasks_db",
    # The API's interactive docs, served from its own static files (never a CDN).
    "ninja",
    "heard.core",
    "heard.accounts",
    "heard.studies",
    "heard.participants",
    "heard.guides",
    "heard.interviews",
    "heard.followups",
    "heard.synthesis",
    "heard.coach",
    "heard.site",
    "heard.search",
    "heard.privacy",
    "heard.exchange",
    "heard.api",
    "heard.webhooks",
    "heard.demo",
]

MIDDLEWARE = [
    # A body over its route's limit is refused before anything reads it (the ASGI edge does
    # it first; this is for the rest).
    "heard.core.bodylimit.BodyLimitMiddleware",
    # Django's middleware, and WhiteNoise's, as subclasses that also run without threads
    # under ASGI (see heard/core/middleware.py); same order and behaviour.
    "heard.core.middleware.SecurityMiddleware",
    "heard.core.middleware.StaticFilesMiddleware",
    "heard.core.middleware.SessionMiddleware",
    "heard.core.middleware.CommonMiddleware",
    "heard.core.middleware.CsrfViewMiddleware",
    "heard.core.middleware.AuthenticationMiddleware",
    "heard.core.middleware.LoginRequiredMiddleware",
    "heard.core.middleware.MessageMiddleware",
    "heard.core.middleware.XFrameOptionsMiddleware",
    "heard.core.middleware.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "heard.accounts.middleware.FirstRunMiddleware",
    # A busy database answers 503 with Retry-After, keeping what a form sent.
    "heard.core.busy.BusyMiddleware",
]

ROOT_URLCONF = "heard.urls"
ASGI_APPLICATION = "heard.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "heard.core.context_processors.workspace",
                "heard.site.context_processors.choices",
            ],
        },
    },
]

if ENV["DATABASE_URL"]:
    DATABASES = {"default": dj_database_url.parse(ENV["DATABASE_URL"], conn_max_age=0)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "heard.core.sqlite",
            "NAME": str(DATA_DIR / "heard.sqlite3"),
        }
    }
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # A pool per process: under ASGI database work runs in many threads, and each closes
    # its connection (back into the pool) when done, instead of holding one of its own.
    DATABASES["default"]["OPTIONS"] = {
        "pool": {
            "min_size": 2,
            "max_size": ENV["HEARD_DB_POOL_SIZE"],
            "timeout": ENV["HEARD_DB_BUSY_TIMEOUT"],
        },
        # A write waits this long for another's row lock, then the request answers 503.
        "options": f"-c lock_timeout={ENV['HEARD_DB_BUSY_TIMEOUT'] * 1000}",
        # Parameters travel apart from the SQL, so that psycopg prepares the statements a
        # process runs again and again (the live call's): PostgreSQL plans each once.
        "server_side_binding": True,
    }
if DATABASES["default"]["ENGINE"] in ("django.db.backends.sqlite3", "heard.core.sqlite"):
    # Write transactions queue inside the process (see heard/core/sqlite/base.py).
    DATABASES["default"]["ENGINE"] = "heard.core.sqlite"
    DATABASES["default"]["OPTIONS"] = {
        # Reads of a large database (a search through a million transcript lines) go through
        # the operating system's page cache mapped into memory (shared by every connection)
        # rather than a read call per page. What is deleted is overwritten (`secure_delete`),
        # so that an erased person's words do not stay readable in the file's free pages.
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; "
            "PRAGMA mmap_size=1073741824; PRAGMA cache_size=-16384; PRAGMA secure_delete=ON;"
        ),
        "transaction_mode": "IMMEDIATE",
        # SQLite's busy timeout, and the wait of Heard's own writer queue (core/sqlite/):
        # a write that waits longer for the lock answers 503.
        "timeout": ENV["HEARD_DB_BUSY_TIMEOUT"],
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 600
IS_SQLITE = DATABASES["default"]["ENGINE"] == "heard.core.sqlite"
HEARD_DB_THREADS: int = ENV["HEARD_DB_THREADS"]
HEARD_INPROCESS_WORKER: bool = (
    IS_SQLITE if ENV["HEARD_INPROCESS_WORKER"] is None else ENV["HEARD_INPROCESS_WORKER"]
)

FORM_RENDERER = "heard.core.forms.HeardFormRenderer"
# One clock everywhere: the formats a date or time takes when a template names none.
FORMAT_MODULE_PATH = ["heard.core.formats"]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["heard.accounts.backends.EmailBackend"]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "site:home"
LOGOUT_REDIRECT_URL = "accounts:login"

PASSWORD_HASHERS = [
    # Django's argon2, a few at a time per process (HEARD_PASSWORD_CHECKS).
    "heard.accounts.hashers.Argon2PasswordHasher",
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

HEARD_LOGIN_MAX_FAILURES: int = ENV["HEARD_LOGIN_MAX_FAILURES"]
HEARD_LOGIN_LOCKOUT_MINUTES: int = ENV["HEARD_LOGIN_LOCKOUT_MINUTES"]
HEARD_INVITE_DAYS: int = ENV["HEARD_INVITE_DAYS"]
# The audit log (heard/accounts/audit/): 0 keeps its entries for ever.
HEARD_AUDIT_KEEP_DAYS: int = ENV["HEARD_AUDIT_KEEP_DAYS"]
HEARD_IMPORT_MAX_ROWS: int = ENV["HEARD_IMPORT_MAX_ROWS"]
HEARD_IMPORT_MAX_BYTES: int = ENV["HEARD_IMPORT_MAX_MB"] * 1024 * 1024
# The matrix's XLSX of a study with more quotes than this is a task (synthesis/matrix/exports.py).
HEARD_EXPORT_BACKGROUND_QUOTES: int = ENV["HEARD_EXPORT_BACKGROUND_QUOTES"]
HEARD_API_REQUESTS_PER_MINUTE: int = ENV["HEARD_API_REQUESTS_PER_MINUTE"]
# Outgoing webhooks (heard/webhooks/): private targets, and each request's time in seconds.
HEARD_WEBHOOKS_ALLOW_PRIVATE: bool = ENV["HEARD_WEBHOOKS_ALLOW_PRIVATE"]
HEARD_WEBHOOKS_TIMEOUT: float = ENV["HEARD_WEBHOOKS_TIMEOUT"]
# Email goes through heard.core.mail.transports, not Django's mailers.
HEARD_EMAIL_SERVER: MailServer | None = ENV["HEARD_EMAIL_URL"]
HEARD_EMAIL_FROM: str = ENV["HEARD_EMAIL_FROM"]
HEARD_PASSWORD_CHECKS: int = ENV["HEARD_PASSWORD_CHECKS"]
# Request bodies are limited at the ASGI edge (heard/core/bodylimit.py), before Django reads
# them: every route takes HEARD_MAX_BODY_BYTES, but those named here, which take uploads.
# A route that takes files (a recording) adds its URL name and its limit to this table.
HEARD_MAX_BODY_BYTES: int = ENV["HEARD_MAX_BODY_KB"] * 1024
FORM_ROOM = 64 * 1024  # the multipart envelope and the form's other fields, beside a file
# Recordings come in pieces (heard/interviews/recordings/uploads.py): each request carries
# one piece, so the route takes one piece and room for the envelope. Without JavaScript the
# page's plain form sends a whole file, up to HEARD_RECORDING_FORM_MAX_BYTES.
MEGABYTE = 1024 * 1024
HEARD_RECORDING_MAX_BYTES: int = ENV["HEARD_RECORDING_MAX_MB"] * MEGABYTE
HEARD_RECORDING_CHUNK_BYTES = 8 * MEGABYTE
HEARD_RECORDING_FORM_MAX_BYTES = min(HEARD_RECORDING_MAX_BYTES, 512 * MEGABYTE)
# A transcript file imported from another tool: as large as the importers read
# (heard/interviews/transcripts/formats/base.py, MAX_BYTES; a test keeps the two equal).
HEARD_TRANSCRIPT_IMPORT_MAX_BYTES = 50 * MEGABYTE
# A REFI-QDA project coded in another program (heard/exchange/archive.py, MAX_UPLOAD; a test
# keeps the two equal).
HEARD_QDPX_IMPORT_MAX_BYTES = 50 * MEGABYTE
HEARD_BODY_LIMITS: dict[str, int] = {
    "participants:import": HEARD_IMPORT_MAX_BYTES + FORM_ROOM,
    "transcripts:import": HEARD_TRANSCRIPT_IMPORT_MAX_BYTES + FORM_ROOM,
    "recordings:chunk": HEARD_RECORDING_CHUNK_BYTES + FORM_ROOM,
    "recordings:upload": HEARD_RECORDING_FORM_MAX_BYTES + FORM_ROOM,
    "exchange:import": HEARD_QDPX_IMPORT_MAX_BYTES + FORM_ROOM,
}
# Django's own limits agree: an ordinary body is read in memory, never into a temporary file,
# and nothing but an upload route's file is larger than that.
DATA_UPLOAD_MAX_MEMORY_SIZE = HEARD_MAX_BODY_BYTES
FILE_UPLOAD_MAX_MEMORY_SIZE = HEARD_MAX_BODY_BYTES

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

LANGUAGE_CODE = "en"
TIME_ZONE: str = ENV["HEARD_TIME_ZONE"]
USE_I18N = False
USE_TZ = True

STATIC_URL = "static/"
# No STATIC_ROOT: WhiteNoise serves the files straight from the package (through the finders),
# and there is no collect step whose folder it would look for.
STATICFILES_DIRS = [BASE_DIR / "static"]
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
MEDIA_ROOT = DATA_DIR / "media"
# No MEDIA_URL: stored files (recordings) are served only by views that check access first.
# Uploads in progress, a piece at a time, before they are whole (never backed up).
HEARD_UPLOAD_DIR: Path = DATA_DIR / "uploads"
# Stored files: the data folder (MEDIA_ROOT), or an S3-compatible object store.
HEARD_OBJECT_STORE: ObjectStore | None = ENV["HEARD_STORAGE_URL"]
HEARD_STORAGE_REDIRECT_SECONDS: int = ENV["HEARD_STORAGE_REDIRECT_SECONDS"]
STORAGES: dict[str, dict[str, Any]] = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
if HEARD_OBJECT_STORE is not None:
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": object_store_options(
            HEARD_OBJECT_STORE,
            access_key=ENV["HEARD_S3_ACCESS_KEY_ID"],
            secret_key=ENV["HEARD_S3_SECRET_ACCESS_KEY"],
            redirect_seconds=HEARD_STORAGE_REDIRECT_SECONDS,
        ),
    }
# Django makes uploaded files 0644 whatever the umask says, unless told otherwise.
FILE_UPLOAD_PERMISSIONS = FILE_MODE
FILE_UPLOAD_DIRECTORY_PERMISSIONS = FOLDER_MODE
# Archives of `heard backup` and the scheduled backups (heard/core/backup/).
HEARD_BACKUP_DIR: Path = ENV["HEARD_BACKUP_DIR"] or DATA_DIR / "backups"
HEARD_BACKUP_INTERVAL_HOURS: int = ENV["HEARD_BACKUP_INTERVAL_HOURS"]
HEARD_BACKUP_KEEP: int = ENV["HEARD_BACKUP_KEEP"]

HEARD_WHISPER_MODEL: str = ENV["HEARD_WHISPER_MODEL"]
HEARD_WHISPER_DEVICE: str = ENV["HEARD_WHISPER_DEVICE"]
HEARD_WHISPER_COMPUTE_TYPE: str = ENV["HEARD_WHISPER_COMPUTE_TYPE"]
HEARD_WHISPER_THREADS: int = ENV["HEARD_WHISPER_THREADS"]
HEARD_WHISPER_BATCH_SIZE: int | None = ENV["HEARD_WHISPER_BATCH_SIZE"]
HEARD_DIARIZATION_MODEL: str = ENV["HEARD_DIARIZATION_MODEL"]

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 14 * 24 * 3600
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Served over https (HEARD_BASE_URL), cookies go over TLS only and browsers remember to
# use it (HSTS); HEARD_SECURE_COOKIES says otherwise only when set.
if ENV["HEARD_SECURE_COOKIES"]:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = 31536000
# Behind a reverse proxy the ASGI edge (heard/core/proxy.py) takes the client's address, the
# scheme and the host from the forwarded headers of the trusted proxies alone; Django's own
# SECURE_PROXY_SSL_HEADER and USE_X_FORWARDED_HOST, which believe any client, stay off.
HEARD_BEHIND_PROXY: bool = ENV["HEARD_BEHIND_PROXY"]
HEARD_TRUSTED_PROXIES: list[str] = ENV["HEARD_TRUSTED_PROXIES"]

SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "object-src": [CSP.NONE],
}
if HEARD_OBJECT_STORE is not None and HEARD_STORAGE_REDIRECT_SECONDS:
    # The player follows a redirect to the object store's signed address.
    SECURE_CSP["media-src"] = [CSP.SELF, HEARD_OBJECT_STORE.endpoint_origin]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": ENV["HEARD_LOG_LEVEL"]},
    # faster-whisper says at INFO what every window of every transcription did.
    "loggers": {"faster_whisper": {"level": "WARNING"}},
}
