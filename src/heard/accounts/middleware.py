"""Accounts' middleware: the first run leads every page to setting up the owner account."""

from __future__ import annotations

from collections.abc import Awaitable

from asgiref.sync import sync_to_async
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from heard.accounts.services import needs_first_run
from heard.core.middleware import BothModes, GetResponse


class FirstRunMiddleware(BothModes):
    """Until an owner account exists, every page leads to the first-run set-up.

    Requests with a session skip the check (someone has signed in, or the sign-in page,
    which checks again, will show); for the others it is one indexed `LIMIT 1` query,
    cheap enough not to cache and so never stale.
    """

    def __init__(self, get_response: GetResponse) -> None:
        super().__init__(get_response)
        self.setup_url = reverse("accounts:setup")
        self.static_prefix = "/" + settings.STATIC_URL.lstrip("/")

    def exempt(self, request: HttpRequest) -> bool:
        return (
            settings.SESSION_COOKIE_NAME in request.COOKIES
            or request.path == self.setup_url
            or request.path.startswith(self.static_prefix)
            # The API answers a request without a token with 401, never a page
            or request.path.startswith("/api/")
            # A calendar feed's secret address answers a calendar app, never with a page
            or request.path.startswith("/calendar/")
        )

    def handle(self, request: HttpRequest) -> HttpResponse:
        if not self.exempt(request) and needs_first_run():
            return redirect(self.setup_url)
        response: HttpResponse = self.get_response(request)
        return response

    async def __acall__(self, request: HttpRequest) -> HttpResponse:
        if not self.exempt(request) and await sync_to_async(needs_first_run)():
            return redirect(self.setup_url)
        response: Awaitable[HttpResponse] = self.get_response(request)
        return await response
