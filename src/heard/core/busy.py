"""When the database cannot take a request now: 503 with Retry-After, and nothing typed lost.

SQLite lets one writer in at a time; a write that waits longer than the busy timeout
(HEARD_DB_BUSY_TIMEOUT) for another's lock gives up with "database is locked". PostgreSQL's
equivalents are a lock wait past `lock_timeout`, a serialization failure or deadlock, and a
server that refuses connections or a pool with none free. None of these is a bug: a moment
later the same request succeeds. So instead of a 500 Heard answers 503 with `Retry-After`:

- the live call's JSON API gets a JSON refusal, which the screen's outbox retries by itself;
- a form gets a page that holds what was sent, ready to send again to the same address with
  a fresh CSRF token ("Try again"), and shows the typed text so that it can be copied.
  Passwords are not written back into a page, and a chosen file cannot be: the page says so.

`BusyMiddleware` catches it from a view; `server_error` (the URL map's handler500) from
anywhere else (a session saved after the view), so that no layer answers a bare 500. Work
that Heard itself does only a few at a time (checking passwords) says it is full by raising
a `Busy` of its own, with its reason and when to come back, and gets the same answer.
"""

from __future__ import annotations

import logging
import sqlite3
import sys
import time
from collections.abc import Callable
from typing import Any

from django.db import InterfaceError, OperationalError, close_old_connections
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.http.request import RawPostDataException
from django.template import loader
from django.views.defaults import server_error as django_server_error

from heard.core.middleware import BothModes, GetResponse

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 5

# SQLite's result codes for a lock held by another connection (the low byte of extended codes).
SQLITE_BUSY_CODES = {5, 6}  # SQLITE_BUSY, SQLITE_LOCKED
# PostgreSQL's SQLSTATEs of a transaction it ended because another one got in its way: run
# again, it finds the other's work done.
POSTGRES_RETRY_STATES = {"40001", "40P01"}  # serialization_failure, deadlock_detected
# PostgreSQL's SQLSTATEs of a request that would succeed a moment later.
POSTGRES_BUSY_STATES = POSTGRES_RETRY_STATES | {
    "55P03",  # lock_not_available (lock_timeout)
    "53300",  # too_many_connections
    "57P01",  # admin_shutdown
    "57P02",  # crash_shutdown
    "57P03",  # cannot_connect_now (starting up, in recovery)
}
# What a form sends that a page must never write back.
NOT_KEPT = ("csrfmiddlewaretoken",)
SECRET_FIELD_WORDS = ("password", "passphrase", "secret", "token")


class Busy(Exception):
    """Raised by work that Heard does only a few at a time, when all its places are taken:
    the request is answered like one that met a busy database, with this reason."""

    message = "Heard is busy for a moment. Nothing was saved: try again in a moment."
    retry_after = RETRY_AFTER_SECONDS


def is_busy(error: BaseException | None) -> bool:
    """Whether `error` says the database (or a part of Heard with a few places) is busy or
    out of reach for now, not that the request is wrong."""
    if isinstance(error, Busy):
        return True
    if isinstance(error, InterfaceError):
        return True  # the connection went away (the server restarted)
    if not isinstance(error, OperationalError):
        return False
    cause = error.__cause__
    if isinstance(cause, sqlite3.Error):
        code = getattr(cause, "sqlite_errorcode", None)
        if code is not None:
            return code & 0xFF in SQLITE_BUSY_CODES
        return "locked" in str(cause)
    if cause is None:
        # Raised by Heard's own SQLite writer queue when its wait runs out.
        return "database is locked" in str(error)
    sqlstate = getattr(cause, "sqlstate", None)
    if sqlstate is None:
        # psycopg without a state: the connection failed or broke, or the pool had none free.
        return type(cause).__module__.startswith(("psycopg", "psycopg_pool"))
    return sqlstate in POSTGRES_BUSY_STATES or sqlstate.startswith("08")


def is_collision(error: BaseException) -> bool:
    """Whether `error` ended a transaction that met another (a deadlock, a serialization
    failure): the transaction may be run again at once, as PostgreSQL advises."""
    cause = error.__cause__ if isinstance(error, OperationalError) else None
    return getattr(cause, "sqlstate", None) in POSTGRES_RETRY_STATES


def when_free[T](write: Callable[[], T], *, seconds: float = 120) -> T:
    """`write()`, tried again while the database is busy, for up to `seconds`: for the last
    word of work that cannot be undone (a mail the mail server has taken must be recorded as
    sent, or it stays "sending" and in doubt), where a request would answer 503 instead."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            return write()
        except (OperationalError, InterfaceError) as error:
            if not is_busy(error) or time.monotonic() > deadline:
                raise
            logger.warning("Database busy (%s): trying again in a moment.", error)
            close_old_connections()
            time.sleep(0.5)


def wants_json(request: HttpRequest) -> bool:
    if request.content_type == "application/json":
        return True
    preferred = request.get_preferred_type(["text/html", "application/json"])
    return preferred == "application/json"


def _is_secret(name: str) -> bool:
    return any(word in name.lower() for word in SECRET_FIELD_WORDS)


def sent_fields(request: HttpRequest) -> tuple[list[tuple[str, str]], list[str], list[str]]:
    """What the request sent: (name, value) pairs to send again, the names of secret fields
    left out, and the names of the files that cannot be kept."""
    try:
        data, files = request.POST, request.FILES
    except (RawPostDataException, OSError, ValueError):
        return [], [], []
    kept: list[tuple[str, str]] = []
    secret: list[str] = []
    for name in data:
        if name in NOT_KEPT:
            continue
        if _is_secret(name):
            secret.append(name)
            continue
        kept.extend((name, value) for value in data.getlist(name))
    chosen = [upload.name or name for name in files for upload in files.getlist(name)]
    return kept, secret, chosen


def busy_response(request: HttpRequest, error: BaseException | None = None) -> HttpResponse:
    """503, with Retry-After: JSON for the API, else a page that keeps what was sent."""
    message = "Heard is busy saving other changes. Nothing was saved: try again in a moment."
    retry_after = RETRY_AFTER_SECONDS
    if isinstance(error, Busy):
        message, retry_after = error.message, error.retry_after
    if wants_json(request):
        response: HttpResponse = JsonResponse({"error": message, "busy": True}, status=503)
    else:
        kept, secret, files = ([], [], []) if request.method != "POST" else sent_fields(request)
        shown = [(name, value) for name, value in kept if value.strip()]
        context: dict[str, Any] = {
            "posted": request.method == "POST",
            "action": request.get_full_path(),
            "kept": kept,
            "shown": shown,
            "secret": secret,
            "files": files,
            "back": _same_site_referer(request),
            "reason": message if isinstance(error, Busy) else "",
        }
        html = loader.render_to_string("503.html", context, request=request)
        response = HttpResponse(html, status=503)
        # The page may hold what was typed: no cache keeps a copy.
        response["Cache-Control"] = "no-store"
    response["Retry-After"] = str(retry_after)
    return response


def _same_site_referer(request: HttpRequest) -> str:
    """The page the form was on, when it is one of Heard's own (a path, never another site)."""
    referer = request.headers.get("Referer", "")
    host = request.get_host()
    for scheme in ("https://", "http://"):
        prefix = f"{scheme}{host}/"
        if referer.startswith(prefix):
            return referer[len(prefix) - 1 :]
    return ""


class BusyMiddleware(BothModes):
    """A view that met a busy database answers 503 (see the module's docstring)."""

    def __init__(self, get_response: GetResponse) -> None:
        super().__init__(get_response)

    def handle(self, request: HttpRequest) -> HttpResponse:
        response: HttpResponse = self.get_response(request)
        return response

    async def __acall__(self, request: HttpRequest) -> HttpResponse:
        response: HttpResponse = await self.get_response(request)
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not is_busy(exception):
            return None
        logger.warning(
            "Database busy, answered 503 to %s %s: %s", request.method, request.path, exception
        )
        return busy_response(request, exception)


def server_error(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    """The 500 handler: a busy database met outside a view is a 503 too."""
    error = sys.exception()
    if is_busy(error):
        return busy_response(request, error)
    return django_server_error(request, *args, **kwargs)
