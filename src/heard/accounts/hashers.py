"""Password hashing, a few at a time: argon2 takes about 100 MB of memory for each hash.

Every password check or hash of a web process (signing in, a wrong email included, setting
up, joining, changing a password) takes one of `HEARD_PASSWORD_CHECKS` places. One that finds
none free within a moment raises `PasswordChecksBusy`, which the sign-in page answers itself
(keeping the email typed) and every other page as a busy database (`core.busy`): 503 and
Retry-After. A burst of sign-ins waits its turn or is asked to come back, instead of taking
the server's memory.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings
from django.contrib.auth import hashers

from heard.core.busy import Busy

WAIT_SECONDS = 0.25  # a place frees up within a hash or two; after that, ask to come back
RETRY_AFTER_SECONDS = 2


class PasswordChecksBusy(Busy):
    """Every place for a password check of this process is taken."""

    message = (
        "Heard is checking other people's passwords right now, and it does only a few at a "
        f"time. Nothing was saved: send the form again in {RETRY_AFTER_SECONDS} seconds."
    )
    retry_after = RETRY_AFTER_SECONDS


@functools.cache
def _places() -> threading.BoundedSemaphore:
    return threading.BoundedSemaphore(settings.HEARD_PASSWORD_CHECKS)


@contextmanager
def password_check_place() -> Iterator[None]:
    places = _places()
    if not places.acquire(timeout=WAIT_SECONDS):
        raise PasswordChecksBusy
    try:
        yield
    finally:
        places.release()


class Argon2PasswordHasher(hashers.Argon2PasswordHasher):
    """Django's argon2 hasher (same algorithm name, same hashes), a few at a time."""

    def encode(self, password: str, salt: str) -> str:
        with password_check_place():
            return super().encode(password, salt)

    def verify(self, password: str, encoded: str) -> bool:
        with password_check_place():
            return super().verify(password, encoded)
