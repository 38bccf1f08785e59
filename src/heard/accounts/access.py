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
from django.db.models import OuterRef, QuerySet
from django.http import Http404, HttpRequest, HttpResponseNotAllowed
from django.http.response import HttpResponseBase
from django.template.loader import render_to_string

from heard.accounts.models import Membership, Role, User
from heard.accounts.requests import WorkspaceRequest


class Need(StrEnum):
    VIEW = "view"
    EDIT = "edit"
    MANAGE = "manage"
    TAKE_PART_IN_REVIEW = "take_part_in_review"
    QUEUE_QUESTION = "queue_question"
    PARTICIPANT_REQUESTS = "participant_requests"
    AUDIT_LOG = "audit_log"


def allows(role: Role, need: Need) -> bool:
    """Whether `role` may do what `need` names: each need is one of `Role`'s rules."""
    rules: dict[Need, Callable[[], bool]] = {
        Need.VIEW: role.can_view,
        Need.EDIT: role.can_edit,
        Need.MANAGE: role.can_manage_members,
        Need.TAKE_PART_IN_REVIEW: role.can_take_part_in_reviews,
        Need.QUEUE_QUESTION: role.can_queue_questions,
        Need.PARTICIPANT_REQUESTS: role.can_handle_participant_requests,
        Need.AUDIT_LOG: role.can_read_audit_log,
    }
    return rules[need]()


def require(role: Role, need: Need) -> None:
    """403 unless `role` allows `need`."""
    if not allows(role, need):
        raise PermissionDenied(f"Your role ({role.label}) cannot do this.")


def current_user(request: HttpRequest) -> User:
    """The signed-in user (every view but sign-in and first run requires one)."""
    if not isinstance(request.user, User):
        raise Http404
    return request.user


def memberships(user: User, workspace: str | OuterRef) -> QuerySet[Membership]:
    """The query behind every access check: `user`'s membership of a workspace, named by its
    slug or, inside a larger query, by a reference to its row (`OuterRef("study__workspace")`)."""
    where = (
        {"workspace__slug": workspace} if isinstance(workspace, str) else {"workspace": workspace}
    )
    return Membership.objects.filter(user=user, **where)


def membership_for(request: WorkspaceRequest, ws: str, need: Need = Need.VIEW) -> Membership:
    """The signed-in user's membership of workspace `ws`, or 404; 403 if the role falls short."""
    membership = memberships(current_user(request), ws).select_related("workspace", "user").first()
    if membership is None:
        raise Http404
    ceiling = getattr(request, "role_ceiling", None)
    if ceiling is not None:  # a request made with a token: its role, if lower than theirs
        membership.role = membership.role_enum.at_most(ceiling)
    require(membership.role_enum, need)
    request.membership = membership
    return membership


def allow_methods(
    *methods: str,
) -> Callable[[Callable[..., HttpResponseBase]], Callable[..., HttpResponseBase]]:
    """Like Django's require_http_methods, but outsiders get 404 before members get 405.

    A 405 to an outsider would confirm that the address exists in another workspace.
    """

    def decorator(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
        @functools.wraps(view)
        def wrapper(request: WorkspaceRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if request.method not in methods:
                membership_for(request, kwargs["ws"])
                return HttpResponseNotAllowed(list(methods), render_to_string("405.html"))
            return view(request, *args, **kwargs)

        wrapper.http_methods = methods  # type: ignore[attr-defined]  # read by tests
        return wrapper

    return decorator


post_only = allow_methods("POST")
get_only = allow_methods("GET", "HEAD")
