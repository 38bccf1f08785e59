import asyncio
import functools
import gc
import os
from contextlib import closing
from typing import Any

from asgiref.sync import iscoroutinefunction
from django.core import signals
from django.core.asgi import get_asgi_application
from django.core.exceptions import RequestAborted
from django.core.handlers.asgi import ASGIHandler, get_script_prefix
from django.urls import Resolver404, resolve, set_script_prefix

from heard.core.private import keep_files_private

keep_files_private()  # the data folder holds personal data: nothing Heard makes is shared
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "heard.settings")


@functools.lru_cache(maxsize=4096)
def _async_view(path: str) -> bool:
    try:
        return iscoroutinefunction(resolve(path).func)
    except Resolver404:
        return False


class Handler(ASGIHandler):
    """Django's ASGI handler, where requests for async views (the live call's API, which runs
    its database work in the thread pool itself) skip the thread Django starts per request for
    sync code: under load, starting and joining those threads cost more than the work."""

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "http":
            path = scope["path"].removeprefix(scope.get("root_path", ""))
            if _async_view(path):
                await self.handle_async_view(scope, receive, send)
                return
        await super().__call__(scope, receive, send)

    async def handle_async_view(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        """Django's `handle`, step for step, but for where a request's start and end are told
        (`request_started`, and `request_finished` as the response closes): here, on the event
        loop. Their receivers look after the connections of the thread they run on (closing
        old ones, clearing the query log); an async view's thread on the loop holds none, and
        handing them to Django's one thread for sync code twice a request cost a live save a
        tenth of its time and made every request of the process queue for that thread."""
        try:
            body_file = await self.read_body(receive)
        except RequestAborted:
            return
        with closing(body_file):
            set_script_prefix(get_script_prefix(scope))
            signals.request_started.send(sender=self.__class__, scope=scope)
            request, error_response = self.create_request(scope, body_file)
            if request is None:
                assert error_response is not None  # create_request gives one or the other
                await self.send_response(error_response, send)
                error_response.close()
                return
            response = None
            try:
                try:
                    async with asyncio.TaskGroup() as group:
                        group.create_task(self.listen_for_disconnect(receive))
                        response = await self.run_get_response(request)
                        await self.send_response(response, send)
                        raise _Processed
                except* (_Processed, RequestAborted):
                    pass
            except BaseExceptionGroup as raised:
                if len(raised.exceptions) == 1:
                    raise raised.exceptions[0] from None
                raise
            if response is None:
                signals.request_finished.send(sender=self.__class__)
            else:
                response.close()


class _Processed(Exception):
    """Ends the request's task group once the response is sent (as in Django's `handle`)."""


get_asgi_application()  # sets Django up

from heard.core.bodylimit import BodyLimit  # noqa: E402 (needs the settings)
from heard.core.proxy import ForwardedHeaders  # noqa: E402

# The edge, outside Django: who sent the request (behind trusted proxies), then the body's
# size checked before Django reads it.
application = ForwardedHeaders(BodyLimit(Handler()))
# What is loaded by now (Django, the URL map, templates) lives as long as the process: keep
# it out of the garbage collector's scans, which otherwise pause every request now and then.
gc.collect()
gc.freeze()
