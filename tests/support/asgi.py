"""Calling the ASGI application (`heard.asgi.application`, the edge included) in the test's own
process, as an ASGI server would: a request's body fed a chunk at a time, and the answer
collected. Views run in Django's threads with their own connections, so a test that reads
the database this way must use committed data (`django_db(transaction=True)`)."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.test import Client

from heard.accounts.models import User

CHUNK = 64 * 1024


@dataclass
class Answer:
    status: int = 0
    headers: dict[str, str] = field(default_factory=dict)
    body_parts: int = 0
    size: int = 0
    body: bytes = b""
    chunks_read: int = 0  # how many chunks of the request's body the app asked for


class ReadTooMuch(AssertionError):
    """The application read more of a body than it should have."""


def zeros(total: int, chunk: int = CHUNK, fail_after: int | None = None) -> Iterator[bytes]:
    """`total` bytes of body, in chunks; past `fail_after` bytes read, the test fails."""
    sent = 0
    while sent < total:
        if fail_after is not None and sent > fail_after:
            raise ReadTooMuch(f"the application read more than {fail_after:,} bytes")
        part = b"0" * min(chunk, total - sent)
        sent += len(part)
        yield part


def call(
    app: Any,
    path: str,
    *,
    method: str = "GET",
    headers: Iterable[tuple[str, str]] = (),
    body: Iterable[bytes] = (),
    client: tuple[str, int] = ("127.0.0.1", 50000),
    keep_body: bool = True,
    on_body: Any = None,
) -> Answer:
    """One request through `app`; `body`'s chunks are handed over as the app asks for them."""
    return asyncio.run(
        _call(app, path, method, list(headers), iter(body), client, keep_body, on_body)
    )


async def _call(app, path, method, headers, body, client, keep_body, on_body) -> Answer:  # type: ignore[no-untyped-def]
    answer = Answer()
    parts: list[bytes] = []
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "root_path": "",
        "query_string": b"",
        "headers": [
            (b"host", b"127.0.0.1"),
            *((name.lower().encode(), value.encode()) for name, value in headers),
        ],
        "client": client,
        "server": ("127.0.0.1", 8000),
    }
    finished = asyncio.Event()
    pending: bytes | None = next(body, b"")  # a request without a body: one empty chunk

    async def receive() -> dict[str, Any]:
        nonlocal pending
        if pending is None:
            await finished.wait()  # the client stays until the answer is complete
            return {"type": "http.disconnect"}
        answer.chunks_read += 1
        part, pending = pending, next(body, None)
        return {"type": "http.request", "body": part, "more_body": pending is not None}

    async def send(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.start":
            answer.status = message["status"]
            answer.headers = {k.decode().lower(): v.decode() for k, v in message["headers"]}
        elif message["type"] == "http.response.body":
            part = message.get("body", b"")
            answer.body_parts += 1
            answer.size += len(part)
            if on_body is not None:
                on_body(part)
            if keep_body:
                parts.append(part)
            if not message.get("more_body", False):
                finished.set()

    await app(scope, receive, send)
    finished.set()
    answer.body = b"".join(parts)
    return answer


def session_cookie(user: User) -> str:
    """A `cookie` header's value that signs `user` in, for `call`."""
    browser = Client()
    browser.force_login(user)
    return f"{settings.SESSION_COOKIE_NAME}={browser.cookies[settings.SESSION_COOKIE_NAME].value}"
