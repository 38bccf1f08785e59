"""Signing in to a running `heard serve` over plain HTTP, from many threads at once."""

from __future__ import annotations

import http.client
import re
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from urllib.parse import urlencode

from django.contrib.auth.hashers import Argon2PasswordHasher

from heard.accounts.models import User
from tests.support.server import HeardServer

PAUSED = "Too many failed attempts"
NO_MATCH = "do not match an account"
BUSY = "busy signing other people in"


def argon2_user(email: str, password: str) -> User:
    """An account whose password is hashed as in production (the tests' hasher is MD5)."""
    hashed = Argon2PasswordHasher().encode(password, Argon2PasswordHasher().salt())
    return User.objects.create(email=email, name=email.split("@")[0], password=hashed)


@dataclass(frozen=True)
class Answer:
    status: int
    text: str
    retry_after: str | None


class SignInPage:
    """The sign-in form of `server`, fetched once: its CSRF cookie and token serve every post."""

    def __init__(self, server: HeardServer) -> None:
        self.port = server.port
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        connection.request("GET", "/accounts/login/")
        response = connection.getresponse()
        page = response.read().decode()
        assert response.status == 200, (response.status, page[:300])
        cookie = response.getheader("Set-Cookie") or ""
        self.cookie = cookie.split(";")[0]
        found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        assert found, "no CSRF token on the sign-in page"
        self.token = found.group(1)

    def post(self, email: str, password: str, headers: dict[str, str] | None = None) -> Answer:
        body = urlencode({"csrfmiddlewaretoken": self.token, "email": email, "password": password})
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        connection.request(
            "POST",
            "/accounts/login/",
            body=body,
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Cookie": self.cookie,
                **(headers or {}),
            },
        )
        response = connection.getresponse()
        answer = Answer(
            response.status, response.read().decode(), response.getheader("Retry-After")
        )
        connection.close()
        return answer


def at_once(posts: Sequence[Callable[[], Answer]]) -> list[Answer]:
    """Run every post in a thread of its own, all released at the same moment."""
    start = threading.Barrier(len(posts))

    def run(post: Callable[[], Answer]) -> Answer:
        start.wait()
        return post()

    with ThreadPoolExecutor(len(posts)) as pool:
        return list(pool.map(run, posts))
