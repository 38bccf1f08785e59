"""A request's signed-in user, checked from its session row read inside a larger statement.

Django finds a request's user in two queries (the session row, then the user) and checks the
session's hash of the password. The live call's API, which every screen calls several times a
minute, reads the session row, the user, the interview and the membership in one statement
(`interviews.access.open_for_session`); this module says which user to read and checks the
session as `django.contrib.auth.get_user` does. Anything it does not recognise (another
session engine or backend, a key seen for the first time, a hash made with an older secret)
goes the usual way, which also does what Django does then (cycling or flushing the session).
"""

from __future__ import annotations

from collections import OrderedDict
from importlib import import_module
from threading import Lock
from typing import Any

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.http import HttpRequest
from django.utils.crypto import constant_time_compare

from heard.accounts.models import User

DB_ENGINE = "django.contrib.sessions.backends.db"
REMEMBERED = 20_000  # session keys whose user this process remembers (a few MB at most)

_users: OrderedDict[str, int] = OrderedDict()
_decoded: OrderedDict[str, dict[str, Any]] = OrderedDict()
_lock = Lock()


def _usable() -> bool:
    return settings.SESSION_ENGINE == DB_ENGINE and len(settings.AUTHENTICATION_BACKENDS) == 1


def session_key(request: HttpRequest) -> str | None:
    """The session key the request's cookie names, when its user can be read along."""
    key = request.COOKIES.get(settings.SESSION_COOKIE_NAME)
    return key if key and _usable() else None


def _remember[V](table: OrderedDict[str, V], key: str, value: V) -> None:
    with _lock:
        table[key] = value
        table.move_to_end(key)
        while len(table) > REMEMBERED:
            table.popitem(last=False)


def remember(request: HttpRequest, user: Any) -> None:
    """After the usual check found `user` for the request's session: its user id, for the next
    request with the same key. A key names one user for its whole life (signing in makes a new
    key), so what is remembered is only which user row to read: the session is still read and
    checked on every request."""
    key = session_key(request)
    if key and isinstance(user, User):
        _remember(_users, key, user.pk)


def user_id_of(key: str) -> int | None:
    return _users.get(key)


def _decode(session_data: str) -> dict[str, Any]:
    found = _decoded.get(session_data)
    if found is None:
        store = import_module(settings.SESSION_ENGINE).SessionStore()
        found = store.decode(session_data)  # {} when the signature does not hold
        _remember(_decoded, session_data, found)
    return found


def holds(session_data: str, user: User) -> bool:
    """Whether a session with `session_data` is `user`'s, as `auth.get_user` would find: the
    user id, the one backend (Heard's `ModelBackend`: active users only) and the hash of the
    password under the current secret."""
    data = _decode(session_data)
    expected_hash = data.get(HASH_SESSION_KEY)
    return (
        data.get(SESSION_KEY) == str(user.pk)
        and data.get(BACKEND_SESSION_KEY) == settings.AUTHENTICATION_BACKENDS[0]
        and user.is_active
        and isinstance(expected_hash, str)
        and constant_time_compare(expected_hash, user.get_session_auth_hash())
    )
