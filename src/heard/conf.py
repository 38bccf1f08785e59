"""Heard's settings: every knob an operator can turn, read from the environment.

Each setting is declared once here with its type, default and a line of help.
`docs/settings.md` documents every one (a test keeps the two in step), and a value
that does not parse stops start-up with a message naming the variable.
"""

from __future__ import annotations

import ipaddress
import os
import secrets
import zoneinfo
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from email.utils import parseaddr
from enum import StrEnum
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import platformdirs


class SettingError(Exception):
    """A setting's value could not be understood."""


def _parse_bool(raw: str) -> bool:
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ValueError("expected one of true/false, yes/no, on/off, 1/0")


def _parse_optional_bool(raw: str) -> bool | None:
    return None if not raw.strip() else _parse_bool(raw)


def _parse_int(raw: str) -> int:
    try:
        return int(raw.strip())
    except ValueError:
        raise ValueError("expected a whole number") from None


def _not_negative(parse: Callable[[str], int]) -> Callable[[str], int]:
    def parse_not_negative(raw: str) -> int:
        value = parse(raw)
        if value < 0:
            raise ValueError("expected 0 or more")
        return value

    return parse_not_negative


def _positive(parse: Callable[[str], int]) -> Callable[[str], int]:
    def parse_positive(raw: str) -> int:
        value = parse(raw)
        if value < 1:
            raise ValueError("expected a number of at least 1")
        return value

    return parse_positive


def _parse_port(raw: str) -> int:
    value = _parse_int(raw)
    if not 1 <= value <= 65535:
        raise ValueError("expected a port between 1 and 65535")
    return value


def _parse_list(raw: str) -> list[str]:
    return [item.strip() for item in raw.split(",") if item.strip()]


def _parse_path(raw: str) -> Path:
    if not raw.strip():
        raise ValueError("expected a folder path")
    return Path(raw.strip()).expanduser()


def _parse_optional_path(raw: str) -> Path | None:
    return Path(raw.strip()).expanduser() if raw.strip() else None


def _parse_database_url(raw: str) -> str:
    value = raw.strip()
    if value and not value.startswith(("postgres://", "postgresql://", "sqlite://")):
        raise ValueError("expected a postgres://… or sqlite:///… URL")
    return value


def _parse_url(raw: str) -> str:
    value = raw.strip().rstrip("/")
    if not value.startswith(("http://", "https://")):
        raise ValueError("expected an http:// or https:// address")
    return value


def _parse_networks(raw: str) -> list[str]:
    """Addresses or networks in CIDR notation (10.0.0.0/8, ::1), comma-separated."""
    items = _parse_list(raw)
    for item in items:
        try:
            ipaddress.ip_network(item, strict=False)
        except ValueError:
            raise ValueError(
                f"{item!r} is not an address or a network such as 10.0.0.0/8 or ::1"
            ) from None
    return items


def _parse_time_zone(raw: str) -> str:
    value = raw.strip()
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ValueError("expected an IANA time zone such as Europe/Berlin") from None
    return value


def _parse_choice(*choices: str) -> Callable[[str], str]:
    def parse_choice(raw: str) -> str:
        value = raw.strip().lower()
        if value not in choices:
            raise ValueError(f"expected one of {', '.join(choices)}")
        return value

    return parse_choice


def _parse_optional_int(raw: str) -> int | None:
    return None if not raw.strip() else _not_negative(_parse_int)(raw)


def _parse_log_level(raw: str) -> str:
    value = raw.strip().upper()
    if value not in {"DEBUG", "INFO", "WARNING", "ERROR"}:
        raise ValueError("expected DEBUG, INFO, WARNING or ERROR")
    return value


class MailSecurity(StrEnum):
    """How the connection to the mail server is secured (from the scheme of HEARD_EMAIL_URL)."""

    NONE = "none"
    STARTTLS = "starttls"  # upgrade after connecting
    TLS = "tls"  # from the start


@dataclass(frozen=True)
class MailServer:
    """The mail server that sends Heard's email, from HEARD_EMAIL_URL."""

    host: str
    port: int
    security: MailSecurity
    username: str = ""
    password: str = field(default="", repr=False)


MAIL_SCHEMES = {
    "smtp": (MailSecurity.NONE, 25),
    "smtp+starttls": (MailSecurity.STARTTLS, 587),
    "smtps": (MailSecurity.TLS, 465),
}


def _parse_email_url(raw: str) -> MailServer | None:
    value = raw.strip()
    if not value:
        return None
    parts = urlsplit(value)
    if parts.scheme not in MAIL_SCHEMES or not parts.hostname:
        raise ValueError("expected smtp://, smtp+starttls:// or smtps:// and a host name")
    if parts.path not in {"", "/"} or parts.query or parts.fragment:
        raise ValueError("expected nothing after the host and port")
    try:
        port = parts.port
    except ValueError:
        raise ValueError("expected a port between 1 and 65535") from None
    security, default_port = MAIL_SCHEMES[parts.scheme]
    return MailServer(
        host=parts.hostname,
        port=port or default_port,
        security=security,
        username=unquote(parts.username or ""),
        password=unquote(parts.password or ""),
    )


def _parse_email_address(raw: str) -> str:
    value = raw.strip()
    if not value:
        return ""
    _, address = parseaddr(value)
    local, _, domain = address.rpartition("@")
    if "\n" in value or "\r" in value or not local or "." not in domain or " " in address:
        raise ValueError(
            "expected an address such as heard@example.org or Heard <heard@example.org>"
        )
    return value


@dataclass(frozen=True)
class ObjectStore:
    """An S3-compatible object store that keeps Heard's stored files, from HEARD_STORAGE_URL."""

    bucket: str
    prefix: str = ""
    endpoint: str = ""  # empty: Amazon S3 itself
    region: str = ""
    addressing: str = ""  # "path" or "virtual"; empty: the client's choice

    @property
    def endpoint_origin(self) -> str:
        """Where browsers fetch a presigned address from (for the page's media policy)."""
        if self.endpoint:
            parts = urlsplit(self.endpoint)
            return f"{parts.scheme}://{parts.netloc}"
        return "https://*.amazonaws.com"


STORE_OPTIONS = {"endpoint", "region", "addressing"}


def _parse_storage_url(raw: str) -> ObjectStore | None:
    """Empty for the data folder, or s3://bucket/prefix?endpoint=…&region=…&addressing=path."""
    value = raw.strip()
    if not value:
        return None
    parts = urlsplit(value)
    if parts.scheme != "s3" or not parts.hostname:
        raise ValueError("expected s3://bucket, optionally /prefix and ?endpoint=…&region=…")
    if parts.username or parts.password:
        raise ValueError(
            "keys do not belong in the URL: set HEARD_S3_ACCESS_KEY_ID and "
            "HEARD_S3_SECRET_ACCESS_KEY"
        )
    options: dict[str, str] = {}
    for pair in filter(None, parts.query.split("&")):
        key, _, item = pair.partition("=")
        if key not in STORE_OPTIONS:
            raise ValueError(f"unknown option {key!r} (expected endpoint, region or addressing)")
        options[key] = unquote(item)
    endpoint = options.get("endpoint", "")
    if endpoint and not endpoint.startswith(("http://", "https://")):
        raise ValueError("expected the endpoint as an http:// or https:// address")
    addressing = options.get("addressing", "")
    if addressing not in {"", "path", "virtual"}:
        raise ValueError("expected addressing=path or addressing=virtual")
    return ObjectStore(
        bucket=parts.hostname,
        prefix=parts.path.strip("/"),
        endpoint=endpoint.rstrip("/"),
        region=options.get("region", ""),
        addressing=addressing,
    )


@dataclass(frozen=True)
class Setting:
    name: str
    parse: Callable[[str], Any]
    default: str
    help: str

    def read(self, environ: Mapping[str, str]) -> Any:
        raw = environ.get(self.name)
        if raw is None:
            raw = self.default
        try:
            return self.parse(raw)
        except ValueError as error:
            raise SettingError(f"{self.name}={raw!r} is not valid: {error}.") from None


def default_data_dir() -> str:
    return platformdirs.user_data_dir("heard", appauthor=False)


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "HEARD_DATA_DIR",
        _parse_path,
        default_data_dir(),
        "Folder for the SQLite database, its backups, uploaded media and the generated "
        "secret key. Defaults to the platform's user data folder.",
    ),
    Setting(
        "DATABASE_URL",
        _parse_database_url,
        "",
        "Empty for the embedded SQLite database in the data folder, or a PostgreSQL URL "
        "such as postgres://heard:secret@db.example.org:5432/heard for a team server.",
    ),
    Setting(
        "HEARD_DB_POOL_SIZE",
        _positive(_parse_int),
        "40",
        "Most PostgreSQL connections one web process keeps in its pool (all processes "
        "together must stay under the server's max_connections).",
    ),
    Setting(
        "HEARD_DB_BUSY_TIMEOUT",
        _positive(_parse_int),
        "5",
        "Seconds a write waits for another's lock (SQLite's busy timeout, PostgreSQL's "
        "lock_timeout and a free pooled connection) before the request answers 503 "
        '"busy, try again" with what was typed kept.',
    ),
    Setting(
        "HEARD_DB_THREADS",
        _positive(_parse_int),
        "2",
        "Threads per web process that run the database work of the live call's API. More "
        "threads overlap waits on a remote database; fewer keep latency low on a small machine.",
    ),
    Setting(
        "HEARD_SECRET_KEY",
        str,
        "",
        "Key that signs sessions and links. Empty: Heard generates one on first start "
        "and keeps it in the data folder. Set it (the same on every web process) on a "
        "team server.",
    ),
    Setting("HEARD_DEBUG", _parse_bool, "false", "Show Django's debug pages. Never in production."),
    Setting("HEARD_HOST", str, "127.0.0.1", "Address `heard serve` binds to."),
    Setting("HEARD_PORT", _parse_port, "8000", "Port `heard serve` listens on."),
    Setting(
        "HEARD_WEB_PROCESSES",
        _positive(_parse_int),
        "1",
        "Web server processes `heard serve` starts (each uses about one CPU core under load).",
    ),
    Setting(
        "HEARD_BASE_URL",
        _parse_url,
        "http://127.0.0.1:8000",
        "The address people use to reach Heard; used in invitation links and calendar files.",
    ),
    Setting(
        "HEARD_ALLOWED_HOSTS",
        _parse_list,
        "127.0.0.1,localhost",
        "Comma-separated host names Heard answers to (add your server's name).",
    ),
    Setting(
        "HEARD_CSRF_TRUSTED_ORIGINS",
        _parse_list,
        "",
        "Comma-separated origins (https://heard.example.org) trusted for form posts "
        "when Heard runs behind a reverse proxy.",
    ),
    Setting(
        "HEARD_SECURE_COOKIES",
        _parse_optional_bool,
        "",
        "Send cookies over HTTPS only and set HSTS. Empty: on when HEARD_BASE_URL is an "
        "https:// address, off for http://.",
    ),
    Setting(
        "HEARD_BEHIND_PROXY",
        _parse_bool,
        "false",
        "Heard runs behind a reverse proxy: read the client's address, the scheme and the "
        "host from the X-Forwarded-For, X-Forwarded-Proto and X-Forwarded-Host headers, "
        "but only of requests that come from HEARD_TRUSTED_PROXIES.",
    ),
    Setting(
        "HEARD_TRUSTED_PROXIES",
        _parse_networks,
        "127.0.0.1,::1",
        "Comma-separated addresses or networks (10.0.0.0/8) of the reverse proxies whose "
        "forwarded headers Heard believes, with HEARD_BEHIND_PROXY. The client's address is "
        "the rightmost X-Forwarded-For entry that is not one of them: entries further left "
        "come from the client and may be made up.",
    ),
    Setting(
        "HEARD_INPROCESS_WORKER",
        _parse_optional_bool,
        "",
        "Run background tasks in a thread of `heard serve`. Empty: on for SQLite, off for "
        "PostgreSQL (run `heard worker` there).",
    ),
    Setting(
        "HEARD_TIME_ZONE",
        _parse_time_zone,
        "UTC",
        "Time zone for dates shown when an interview names none.",
    ),
    Setting(
        "HEARD_LOGIN_MAX_FAILURES",
        _positive(_parse_int),
        "5",
        "Failed sign-ins allowed for one email or address before sign-in is paused.",
    ),
    Setting(
        "HEARD_LOGIN_LOCKOUT_MINUTES",
        _positive(_parse_int),
        "15",
        "How long sign-in stays paused after too many failures.",
    ),
    Setting(
        "HEARD_PASSWORD_CHECKS",
        _positive(_parse_int),
        "2",
        "Passwords one web process checks or hashes at once (argon2 takes about 100 MB for "
        "each). A sign-in beyond that waits a moment, then is asked to try again in a few "
        "seconds (503 with Retry-After).",
    ),
    Setting(
        "HEARD_INVITE_DAYS",
        _positive(_parse_int),
        "7",
        "Days an invitation link stays valid.",
    ),
    Setting(
        "HEARD_AUDIT_KEEP_DAYS",
        _not_negative(_parse_int),
        "730",
        "Days the audit log keeps each entry (who played, downloaded, exported, erased or "
        "changed roles and retention); the worker deletes older entries every day. 0 keeps "
        "them for ever.",
    ),
    Setting(
        "HEARD_IMPORT_MAX_ROWS",
        _positive(_parse_int),
        "10000",
        "Most rows a participant CSV import accepts in one file.",
    ),
    Setting(
        "HEARD_IMPORT_MAX_MB",
        _positive(_parse_int),
        "10",
        "Largest participant CSV file accepted, in megabytes.",
    ),
    Setting(
        "HEARD_EXPORT_BACKGROUND_QUOTES",
        _not_negative(_parse_int),
        "5000",
        "A study's matrix XLSX with more quotes than this (among the interviews its filters "
        "keep) is made in the background, with a progress bar and a download when done; a "
        "smaller one downloads at once. 0 makes every one in the background.",
    ),
    Setting(
        "HEARD_API_REQUESTS_PER_MINUTE",
        _positive(_parse_int),
        "600",
        "Requests each API token may make in a minute, across every web process; past it the "
        "API answers 429 with Retry-After.",
    ),
    Setting(
        "HEARD_WEBHOOKS_ALLOW_PRIVATE",
        _parse_bool,
        "false",
        "Let webhooks call addresses inside private networks (loopback, 10.x, 192.168.x, "
        "link-local, …). Off: only addresses on the public internet, so that an owner cannot "
        "make the server reach its own network.",
    ),
    Setting(
        "HEARD_WEBHOOKS_TIMEOUT",
        _positive(_parse_int),
        "10",
        "Seconds one webhook request may take in all (connecting at most 5 of them); a "
        "receiver slower than that is tried again later.",
    ),
    Setting(
        "HEARD_MAX_BODY_KB",
        _positive(_parse_int),
        "1024",
        "Largest request body, in kilobytes, for every page but those that take uploads "
        "(the participant import takes HEARD_IMPORT_MAX_MB). A larger one is refused with "
        "413 before it is read.",
    ),
    Setting(
        "HEARD_RECORDING_MAX_MB",
        _positive(_parse_int),
        "4096",
        "Largest recording (audio or video) accepted, in megabytes. The browser sends it in "
        "pieces of 8 MB, so no single request is larger than that.",
    ),
    Setting(
        "HEARD_STORAGE_URL",
        _parse_storage_url,
        "",
        "Where stored files (recordings) live. Empty: the data folder. "
        "s3://bucket/prefix?endpoint=https://…&region=…&addressing=path for any "
        "S3-compatible object store, which several web and worker machines then share.",
    ),
    Setting(
        "HEARD_S3_ACCESS_KEY_ID",
        str,
        "",
        "The access key of the object store in HEARD_STORAGE_URL. Empty: the client's own "
        "search (AWS_ACCESS_KEY_ID, a profile, the machine's role).",
    ),
    Setting(
        "HEARD_S3_SECRET_ACCESS_KEY",
        str,
        "",
        "The secret key that goes with HEARD_S3_ACCESS_KEY_ID.",
    ),
    Setting(
        "HEARD_STORAGE_REDIRECT_SECONDS",
        _not_negative(_parse_int),
        "0",
        "With an object store: 0 streams recordings through Heard after its access check; "
        "a number of seconds sends the browser, after the same check, to a signed address "
        "of the object store valid that long.",
    ),
    Setting(
        "HEARD_EMAIL_URL",
        _parse_email_url,
        "",
        "The mail server that sends follow-up emails and invitations: "
        "smtp://user:password@host:port, "
        "smtp+starttls://… to upgrade to TLS after connecting (port 587 by default) or "
        "smtps://… for TLS from the start (port 465). Escape special characters in the user "
        "and password as in any URL (@ is %40). Empty: sending is off; follow-ups can still "
        "be downloaded as .eml files or opened in your mail program, and invitation links "
        "are shown to pass on.",
    ),
    Setting(
        "HEARD_EMAIL_FROM",
        _parse_email_address,
        "",
        "The From address of follow-up emails and invitations, e.g. "
        "Research team <research@example.org>; "
        "replies go to the person who sent the email. Required with HEARD_EMAIL_URL: Heard "
        "never sends from a person's account email, which nobody has verified. Without a mail "
        "server it is the From of downloaded .eml files when set (else the person's own).",
    ),
    Setting(
        "HEARD_BACKUP_DIR",
        _parse_optional_path,
        "",
        "Folder for `heard backup`'s archives, the scheduled backups and the copies of the "
        "SQLite file `heard serve` takes before migrating. Empty: `backups` in the data folder.",
    ),
    Setting(
        "HEARD_BACKUP_INTERVAL_HOURS",
        _not_negative(_parse_int),
        "24",
        "Hours between scheduled backups, which the worker takes (`heard worker`, or the one "
        "inside `heard serve`) when the newest archive in the backup folder is this old. "
        "0 turns scheduled backups off.",
    ),
    Setting(
        "HEARD_BACKUP_KEEP",
        _positive(_parse_int),
        "7",
        "How many archives a scheduled backup keeps in the backup folder: the newest ones; "
        "it deletes older archives.",
    ),
    Setting(
        "HEARD_WHISPER_MODEL",
        str,
        "small",
        "The speech model that transcribes recordings: a name from `heard models` (tiny, "
        "base, small, medium, large-v3, turbo, … with .en for English-only ones), once "
        "`heard models fetch NAME` has put it into `models` in the data folder (a "
        "transcription never downloads one), or the path of a CTranslate2 model folder.",
    ),
    Setting(
        "HEARD_WHISPER_DEVICE",
        _parse_choice("auto", "cpu", "cuda"),
        "auto",
        "Where the speech model runs: cpu, cuda (an NVIDIA GPU) or auto (the GPU when "
        "there is one).",
    ),
    Setting(
        "HEARD_WHISPER_COMPUTE_TYPE",
        _parse_choice("", "int8", "int8_float16", "int8_float32", "float16", "bfloat16", "float32"),
        "",
        "The speech model's number type. Empty: int8 on a CPU, float16 on a GPU.",
    ),
    Setting(
        "HEARD_WHISPER_THREADS",
        _not_negative(_parse_int),
        "0",
        "CPU threads one transcription uses. 0: every core the process may use.",
    ),
    Setting(
        "HEARD_WHISPER_BATCH_SIZE",
        _parse_optional_int,
        "",
        "Pieces of up to 30 seconds the speech model works on at once (faster-whisper's "
        "batched pipeline), for a minute of sound or more; shorter clips go one piece after "
        "another. Empty: 16 on a GPU; on a CPU as many as 1 GiB holds (11 for tiny, 1 for "
        "small and larger); 0: never batched.",
    ),
    Setting(
        "HEARD_DIARIZATION_MODEL",
        str,
        "",
        "An optional extra: a local pyannote.audio pipeline (its folder or config.yaml) that "
        "tells the speakers of a one-channel recording apart. Needs `heard[diarization]`. "
        "Empty: a one-channel recording's lines have no speaker.",
    ),
    Setting("HEARD_LOG_LEVEL", _parse_log_level, "INFO", "DEBUG, INFO, WARNING or ERROR."),
)


def read_settings(environ: Mapping[str, str] | None = None) -> dict[str, Any]:
    """Parse every setting; raise SettingError naming the first bad variable, or the
    settings that do not go together."""
    environ = os.environ if environ is None else environ
    values = {setting.name: setting.read(environ) for setting in SETTINGS}
    _check_together(values)
    if values["HEARD_SECURE_COOKIES"] is None:
        values["HEARD_SECURE_COOKIES"] = values["HEARD_BASE_URL"].startswith("https://")
    return values


def _check_together(values: Mapping[str, Any]) -> None:
    if values["HEARD_EMAIL_URL"] is not None and not values["HEARD_EMAIL_FROM"]:
        raise SettingError(
            "HEARD_EMAIL_FROM is needed with HEARD_EMAIL_URL: set the address Heard's mail "
            "comes from, such as Research team <research@example.org> (replies still go to "
            "the person who sends). Heard does not send from people's account emails: nobody "
            "has verified them, and the mail server would be sending in their name."
        )
    if bool(values["HEARD_S3_ACCESS_KEY_ID"]) != bool(values["HEARD_S3_SECRET_ACCESS_KEY"]):
        raise SettingError(
            "HEARD_S3_ACCESS_KEY_ID and HEARD_S3_SECRET_ACCESS_KEY go together: set both, or "
            "neither to let the object store's client find its keys itself."
        )


def child_environment(extra: Mapping[str, str]) -> dict[str, str]:
    """The environment for a program Heard starts (pg_dump), with these variables added."""
    return {**os.environ, **extra}


def load_secret_key(configured: str, data_dir: Path) -> str:
    """The configured key, or one generated once and kept in the data folder."""
    if configured:
        return configured
    key_file = data_dir / "secret_key"
    if key_file.exists():
        if key_file.stat().st_mode & 0o077:  # written by an earlier version, readable by others
            key_file.chmod(0o600)
        return key_file.read_text().strip()
    data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    key = secrets.token_urlsafe(50)
    try:
        fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process generated it first
        return key_file.read_text().strip()
    with os.fdopen(fd, "w") as handle:
        handle.write(key)
    return key
