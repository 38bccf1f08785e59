"""Where to send the browser back to after a form, when the form says (`next`)."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme


def safe_next(request: HttpRequest, target: str | None) -> str | None:
    """`target` when it is a page of this site ("/w/acme/…"), else None.

    Only a path counts: anything else a form sends is someone else's site, or a word that
    Django's `redirect()` would look up as the name of a view, and fail on.
    """
    if not target or not target.startswith("/"):
        return None
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return None
    return target
