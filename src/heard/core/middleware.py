from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from heard.accounts.services import needs_first_run


class FirstRunMiddleware:
    """Until an owner account exists, every page leads to the first-run set-up.

    Signed-in requests skip the check (someone has an account); for the others it is one
    indexed `LIMIT 1` query, cheap enough not to cache and so never stale.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.setup_url = reverse("accounts:setup")
        self.static_prefix = "/" + settings.STATIC_URL.lstrip("/")

    def __call__(self, request: HttpRequest) -> HttpResponse:
        exempt = (
            request.user.is_authenticated
            or request.path == self.setup_url
            or request.path.startswith(self.static_prefix)
        )
        if not exempt and needs_first_run():
            return redirect(self.setup_url)
        return self.get_response(request)
