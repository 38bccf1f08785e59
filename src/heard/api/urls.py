"""The API's addresses: every operation of `api.core.api`, its OpenAPI document
(`openapi.json`) and its interactive docs (`docs`), each checking its token itself and
answering GETs with an ETag."""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, URLResolver
from django.utils.cache import get_conditional_response, patch_vary_headers, set_response_etag

from heard.api import resources
from heard.api.core import api

resources.register(api)


def conditional(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """`view`, answering a GET with an ETag of what it sends, and 304 to a client that holds
    it already (`If-None-Match`); exempt from the pages' sign-in and CSRF checks, since a
    token, not a cookie, lets a request in."""
    if asyncio.iscoroutinefunction(view):  # every operation is synchronous
        raise TypeError(f"{view!r} is asynchronous")

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = view(request, *args, **kwargs)
        patch_vary_headers(response, ("Authorization",))
        if (
            request.method in ("GET", "HEAD")
            and response.status_code == 200
            and not response.streaming
        ):
            set_response_etag(response)
            response["Cache-Control"] = "private, no-cache"
            answer = get_conditional_response(request, etag=response["ETag"], response=response)
            return answer if answer is not None else response
        return response

    wrapped.login_required = False  # type: ignore[attr-defined]
    wrapped.csrf_exempt = True  # type: ignore[attr-defined]
    return wrapped


def _wrapped(patterns: list[URLPattern | URLResolver]) -> list[URLPattern | URLResolver]:
    for pattern in patterns:
        if isinstance(pattern, URLPattern):
            pattern.callback = conditional(pattern.callback)
        else:
            _wrapped(pattern.url_patterns)
    return patterns


_patterns, app_name, namespace = api.urls
urlpatterns = _wrapped(_patterns)
