"""Heard's own middleware. Each works in both modes, so that under ASGI a request reaches an
async view (the live call's API) without a trip through a thread for every layer."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from typing import IO, Any

from asgiref.sync import iscoroutinefunction, markcoroutinefunction, sync_to_async
from django.conf import settings
from django.contrib.auth import middleware as auth_middleware
from django.contrib.messages import middleware as messages
from django.contrib.sessions import middleware as sessions
from django.http import HttpRequest, HttpResponse
from django.middleware import clickjacking, common, csp, csrf, security
from whitenoise.middleware import WhiteNoiseMiddleware

GetResponse = Callable[[HttpRequest], Any]


class BothModes:
    """Middleware that runs as the chain around it does: sync, or async without threads."""

    sync_capable = True
    async_capable = True

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response
        self.async_mode = iscoroutinefunction(get_response)
        if self.async_mode:
            markcoroutinefunction(self)

    def __call__(self, request: HttpRequest) -> Any:
        if self.async_mode:
            return self.__acall__(request)
        return self.handle(request)

    def handle(self, request: HttpRequest) -> HttpResponse:
        raise NotImplementedError

    async def __acall__(self, request: HttpRequest) -> HttpResponse:
        raise NotImplementedError


class StaticFilesMiddleware(BothModes, WhiteNoiseMiddleware):
    """WhiteNoise's static files, in both modes: other requests pass straight through."""

    def __init__(self, get_response: GetResponse) -> None:
        WhiteNoiseMiddleware.__init__(self, get_response)
        BothModes.__init__(self, get_response)

    def static_file(self, request: HttpRequest) -> Any:
        if self.autorefresh:
            return self.find_file(request.path_info)
        return self.files.get(request.path_info)

    def handle(self, request: HttpRequest) -> HttpResponse:
        found = self.static_file(request)
        if found is not None:
            return self.serve(found, request)
        response: HttpResponse = self.get_response(request)
        return response

    async def __acall__(self, request: HttpRequest) -> HttpResponse:
        found = self.static_file(request)
        if found is not None:
            served = await sync_to_async(self.serve, thread_sensitive=False)(found, request)
            # Django's ASGI handler warns about (and reads whole) a response whose content
            # is a plain iterator: hand it the file chunk by chunk instead.
            served.streaming_content = _chunks_of(served.file_to_stream)
            return served
        response: Awaitable[HttpResponse] = self.get_response(request)
        return await response


STATIC_CHUNK = 64 * 1024


async def _chunks_of(file: IO[bytes] | None) -> AsyncIterator[bytes]:
    """A file's bytes, read in a thread a chunk at a time, closed at the end; nothing for
    a response without a body (HEAD, 304)."""
    if file is None:
        return
    read = sync_to_async(file.read, thread_sensitive=False)
    try:
        while chunk := await read(STATIC_CHUNK):
            yield chunk
    finally:
        file.close()


# Django's own middleware, without a thread per hook ---------------------------------------------
#
# Under ASGI, Django runs every hook of a MiddlewareMixin middleware in a thread
# (`sync_to_async`), two trips per middleware and request. The hooks below only read headers
# and cookies, set headers or lazy attributes, so they run on the event loop; the few that may
# touch the database (a session or messages to save, a user to load) still go to a thread,
# and only when they have that to do.


class OnTheLoop:
    """Mixed into a MiddlewareMixin middleware whose hooks never block."""

    async def __acall__(self, request: HttpRequest) -> Any:
        response = None
        process_request = getattr(self, "process_request", None)
        if process_request is not None:
            response = process_request(request)
        if response is None:
            response = await self.get_response(request)  # type: ignore[attr-defined]
        process_response = getattr(self, "process_response", None)
        if process_response is None:
            return response
        if self.response_blocks(request):
            return await sync_to_async(process_response)(request, response)
        return process_response(request, response)

    def response_blocks(self, request: HttpRequest) -> bool:
        """Whether process_response will touch the database this time."""
        return False


class SecurityMiddleware(OnTheLoop, security.SecurityMiddleware):
    pass


class CommonMiddleware(OnTheLoop, common.CommonMiddleware):
    pass


class XFrameOptionsMiddleware(OnTheLoop, clickjacking.XFrameOptionsMiddleware):
    pass


class ContentSecurityPolicyMiddleware(OnTheLoop, csp.ContentSecurityPolicyMiddleware):
    pass


class AuthenticationMiddleware(OnTheLoop, auth_middleware.AuthenticationMiddleware):
    """Sets `request.user` as a lazy object: the user is read where it is first used."""


class SessionMiddleware(OnTheLoop, sessions.SessionMiddleware):
    def response_blocks(self, request: HttpRequest) -> bool:
        session = getattr(request, "session", None)
        return session is not None and (session.modified or settings.SESSION_SAVE_EVERY_REQUEST)


class MessageMiddleware(OnTheLoop, messages.MessageMiddleware):
    def response_blocks(self, request: HttpRequest) -> bool:
        storage = getattr(request, "_messages", None)
        return storage is not None and (storage.used or storage.added_new)


def _check_view_on_loop(
    check: Callable[..., Any], on_loop: Callable[[HttpRequest, Callable[..., Any]], bool]
) -> Callable[..., Awaitable[Any]]:
    """A process_view hook for async mode: on the loop when `on_loop(request, view)`, else in
    a thread."""

    async def process_view(
        request: HttpRequest, view: Callable[..., Any], args: Any, kwargs: Any
    ) -> Any:
        if on_loop(request, view):
            return check(request, view, args, kwargs)
        return await sync_to_async(check)(request, view, args, kwargs)

    return process_view


def _small_body_for_async_view(request: HttpRequest, view: Callable[..., Any]) -> bool:
    return iscoroutinefunction(view) and not (request.content_type or "").startswith("multipart/")


class CsrfViewMiddleware(OnTheLoop, csrf.CsrfViewMiddleware):
    """For async views the check reads the cookie and the body already received (JSON: a
    multipart upload, whose parsing writes files, still goes to a thread), on the loop; for
    the others it runs in a thread, as the view does."""

    def __init__(self, get_response: GetResponse) -> None:
        super().__init__(get_response)
        if self.async_mode:
            self.process_view = _check_view_on_loop(  # type: ignore[method-assign,assignment]
                super().process_view, _small_body_for_async_view
            )


class LoginRequiredMiddleware(OnTheLoop, auth_middleware.LoginRequiredMiddleware):
    """Views that check the user themselves (`login_not_required`) skip the thread trip."""

    def __init__(self, get_response: GetResponse) -> None:
        super().__init__(get_response)
        if self.async_mode:
            self.process_view = _check_view_on_loop(  # type: ignore[method-assign,assignment]
                super().process_view,
                lambda request, view: not getattr(view, "login_required", True),
            )
