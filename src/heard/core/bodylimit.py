"""Request bodies limited at the ASGI edge, before Django reads a byte of them.

Django's ASGI handler reads the whole body into a temporary file before any middleware or
view runs (the CSRF check included), so a limit inside Django comes too late. Here a body
whose declared `Content-Length` is over the route's limit is refused at once with 413, and
a body sent without one (chunked) is counted as it arrives and cut off once it passes the
limit. Each route's limit: `settings.HEARD_BODY_LIMITS` by URL name (the routes that take
uploads), `settings.HEARD_MAX_BODY_BYTES` for every other.
"""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.urls import Resolver404, resolve

from heard.core.middleware import BothModes

Scope = dict[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

DISCONNECT: Message = {"type": "http.disconnect"}


@functools.lru_cache(maxsize=4096)
def limit_for(path: str) -> int:
    """The largest body the route at `path` takes, in bytes."""
    try:
        name = resolve(path).view_name
    except Resolver404:
        name = ""
    return int(settings.HEARD_BODY_LIMITS.get(name, settings.HEARD_MAX_BODY_BYTES))


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB" if size >= 1024 * 1024 else f"{size // 1024} KB"


async def refuse(send: Send, status: int, template: str, context: dict[str, Any]) -> None:
    """Answer with an error page, and close the connection (the body was not read)."""
    body = render_to_string(template, context).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"text/html; charset=utf-8"),
                (b"content-length", str(len(body)).encode()),
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


def _declared_length(scope: Scope) -> int | None:
    """The body's declared length; -1 for one that is not a number."""
    for name, value in scope.get("headers", ()):
        if name.lower() == b"content-length":
            try:
                return int(value)
            except ValueError:
                return -1
    return None


class BodyLimit:
    """ASGI middleware: refuse or cut off a request body larger than its route takes."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = limit_for(scope["path"].removeprefix(scope.get("root_path", "")))
        declared = _declared_length(scope)
        if declared is not None and declared < 0:
            await refuse(send, 400, "400.html", {})
            return
        if declared is not None and declared > limit:
            await refuse(send, 413, "413.html", {"limit": _megabytes(limit)})
            return
        received = 0
        over = started = False

        async def counted() -> Message:
            nonlocal received, over
            if over:
                return DISCONNECT
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    over = True  # Django stops reading, as when a client goes away
                    return DISCONNECT
            return message

        async def watched(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        await self.app(scope, counted, watched)
        if over and not started:
            await refuse(send, 413, "413.html", {"limit": _megabytes(limit)})


class BodyLimitMiddleware(BothModes):
    """The same limit inside Django, for what does not come through the ASGI edge (the WSGI
    application, the test client): a body declared over its route's limit is refused before
    any view runs. Otherwise a view that never reads the form (a delete button) would act,
    and only then would Django's own `DATA_UPLOAD_MAX_MEMORY_SIZE` refuse the request.

    It also refuses, as a bad request, an address whose query holds a NUL character: no text
    Heard keeps holds one, and PostgreSQL refuses it in a query, so a filter or a search that
    passed it on would fail with a 500. (Forms refuse it in their fields already.)"""

    def refused(self, request: HttpRequest) -> HttpResponse | None:
        query = request.META.get("QUERY_STRING", "")
        if "%00" in query or "\x00" in query or "\x00" in request.path:
            return HttpResponse(render_to_string("400.html", {}), status=400)
        try:
            declared = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return HttpResponse(render_to_string("400.html", {}), status=400)
        limit = limit_for(request.path_info)
        if declared > limit:
            page = render_to_string("413.html", {"limit": _megabytes(limit)})
            return HttpResponse(page, status=413)
        return None

    def handle(self, request: HttpRequest) -> HttpResponse:
        response: HttpResponse = self.refused(request) or self.get_response(request)
        return response

    async def __acall__(self, request: HttpRequest) -> HttpResponse:
        response: HttpResponse = self.refused(request) or await self.get_response(request)
        return response
