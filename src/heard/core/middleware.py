from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from heard.accounts.services import needs_first_run


class FirstRunMiddleware:
    """Until an owner account exists, every page leads to the first-run set-up."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.ready = False

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not self.ready:
            setup_url = reverse("accounts:setup")
            exempt = request.path == setup_url or request.path.startswith(
                "/" + settings.STATIC_URL.lstrip("/")
            )
            if not exempt and needs_first_run():
                return redirect(setup_url)
            # Once someone has an account there is no going back to first run.
            self.ready = not needs_first_run()
        return self.get_response(request)
