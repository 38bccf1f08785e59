"""The calendar feed: a person's own page (make, replace or stop their address) and the feed
itself, which calendar apps fetch without signing in.

The address is shown once, in the answer to the POST that made it (never kept in the session,
which is a database row), with `Cache-Control: no-store`. The feed answers 404 alike for an
address stopped, replaced or never made, sets no cookie, and answers 304 to a calendar app
that sends the ETag of the feed it has.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control

from heard.accounts.access import current_user
from heard.accounts.models import User
from heard.interviews.calendar import services
from heard.interviews.calendar.feed import build_feed, etag_of
from heard.interviews.models import CalendarFeed

View = Callable[..., HttpResponseBase]


def _methods(*methods: str) -> Callable[[View], View]:
    """405 for any other method, the same whoever asks (these addresses belong to no
    workspace, so a 405 confirms nothing)."""

    def decorator(view: View) -> View:
        @functools.wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if request.method not in methods:
                return HttpResponseNotAllowed(list(methods), render_to_string("405.html"))
            return view(request, *args, **kwargs)

        wrapper.http_methods = methods  # type: ignore[attr-defined]  # read by tests
        return wrapper

    return decorator


def _page(
    request: HttpRequest,
    user: User,
    feed: CalendarFeed | None,
    new_address: str | None = None,
    replaced: bool = False,
) -> HttpResponse:
    context = {
        "feed": feed,
        "new_address": new_address,
        "webcal_address": "webcal://" + new_address.split("://", 1)[1] if new_address else None,
        "replaced": replaced,
        "interview_count": services.in_feed(user, timezone.now()).count() if feed else None,
        "days_back": services.DAYS_BACK,
        "hint": services.address_hint(feed) if feed else "",
    }
    response = render(request, "interviews/calendar/page.html", context)
    if new_address:
        # The secret is in this page: no copy of it in any cache, the browser's included.
        patch_cache_control(response, no_store=True)
    return response


@_methods("GET", "HEAD")
def page(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    return _page(request, user, services.live_feed(user))


def _replacing(request: HttpRequest) -> int | None:
    value = request.POST.get("replaces", "")
    return int(value) if value.isascii() and value.isdigit() else None


@_methods("POST")
def create(request: HttpRequest) -> HttpResponse:
    """Make the person's address, or a new one in place of the old."""
    user = current_user(request)
    replacing = _replacing(request)
    try:
        feed, token = services.new_feed(user, replacing)
    except services.FeedChanged:
        messages.info(
            request,
            "Your calendar address had changed since this page was shown, so no new one was "
            "made. An address is shown only once: if you did not copy it, make a new one.",
        )
        return redirect("calendar:page")
    return _page(
        request, user, feed, new_address=services.address(token), replaced=replacing is not None
    )


@_methods("POST")
def stop(request: HttpRequest) -> HttpResponse:
    if services.stop_feed(current_user(request)):
        messages.success(
            request,
            "Your calendar address is stopped: calendar apps that use it get nothing more "
            "from Heard.",
        )
    return redirect("calendar:page")


@login_not_required
@_methods("GET", "HEAD")
def feed(request: HttpRequest, token: str) -> HttpResponse:
    """The feed itself, for calendar apps: no session, no cookie, 404 for any address that
    is not live."""
    found = services.feed_for(token)
    if found is None:
        raise Http404
    now = timezone.now()
    services.note_fetched(found, now)
    content = build_feed(found.user, services.feed_interviews(found.user, now))
    etag = etag_of(content)
    response = get_conditional_response(request, etag=etag) or HttpResponse(
        content, content_type="text/calendar; charset=utf-8"
    )
    response["ETag"] = etag
    patch_cache_control(response, private=True, no_cache=True)
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"
    return response
