import functools
import gc
import os
from typing import Any

from asgiref.sync import iscoroutinefunction
from django.core.asgi import get_asgi_application
from django.core.handlers.asgi import ASGIHandler
from django.urls import Resolver404, resolve

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
                await self.handle(scope, receive, send)
                return
        await super().__call__(scope, receive, send)


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
