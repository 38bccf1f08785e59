"""The one place that decides who may see or change a workspace's things.

Every workspace view starts here: a user outside the workspace gets 404 (the workspace
might as well not exist), a member whose role does not allow the change gets 403.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from enum import StrEnum
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponseNotAllowed
from django.http.response import HttpResponseBase

from heard.accounts.models import Membership, Role, User


class Need(StrEnum):
    VIEW = "view"
    EDIT = "edit"
    MANAGE = "manage"


def allows(role: Role, need: Need) -> bool:
    if need is Need.MANAGE:
        return role.can_manage_members()
    if need is Need.EDIT:
        return role.can_edit()
    return role.can_view()


def require(role: Role, need: Need) -> None:
    """403 unless `role` allows `need`."""
    if not allows(role, need):
        raise PermissionDenied(f"Your role ({role.label}) cannot do this.")


def current_user(request: HttpRequest) -> User:
    """The signed-in user (every view but sign-in and first run requires one)."""
    if not isinstance(request.user, User):
        raise Http404
    return request.user


def membership_for(request: HttpRequest, ws: str, need: Need = Need.VIEW) -> Membership:
    """The signed-in user's membership of workspace `ws`, or 404; 403 if the role falls short."""
    membership = (
        Membership.objects.select_related("workspace", "user")
        .filter(user=current_user(request), workspace__slug=ws)
        .first()
    )
    if membership is None:
        raise Http404
    require(membership.role_enum, need)
    request.membership = membership  # type: ignore[attr-defined]
    return membership


def allow_methods(
    *methods: str,
) -> Callable[[Callable[..., HttpResponseBase]], Callable[..., HttpResponseBase]]:
    """Like Django's require_http_methods, but outsiders get 404 before members get 405.

    A 405 to an outsider would confirm that the address exists in another workspace.
    """

    def decorator(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
        @functools.wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if request.method not in methods:
                membership_for(request, kwargs["ws"])
                return HttpResponseNotAllowed(list(methods))
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


post_only = allow_methods("POST")
get_only = allow_methods("GET", "HEAD")
